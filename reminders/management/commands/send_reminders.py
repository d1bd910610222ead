"""``manage.py send_reminders [--dry-run] [--date D]``: what the periodic task
does, from the command line: plan the digests of a day and send them (here,
in this process, not through the workers). Idempotent like the task: a
digest already sent (or found empty) that day is not sent again.

``--dry-run`` prints who would get what (recipient, language, subject and
the text part) and writes nothing."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from reminders.digests import digest_content, digest_message
from reminders.models import Digest, DigestStatus
from reminders.services import digest_send, digests_plan, recipients


def _day(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date: {value!r} is not a date like 2026-11-30") from exc


class Command(BaseCommand):
    help = "Send the day's reminder digests (daily to coordinators, weekly to Actiris staff, as each user chose)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_day, help="The day to send for (YYYY-MM-DD); default: today.")
        parser.add_argument("--dry-run", action="store_true", help="Print who would get what; send and record nothing.")

    def handle(self, *args, date=None, dry_run=False, **options):
        day = date or timezone.localdate()
        if dry_run:
            return self.dry_run(day)
        planned = digests_plan(day=day, enqueue=False)
        waiting = Digest.objects.filter(date=day, status=DigestStatus.PENDING).order_by("user_id")
        for digest_id in waiting.values_list("pk", flat=True):
            digest_send(digest_id=digest_id)
        done = Digest.objects.filter(date=day)
        sent = done.filter(status=DigestStatus.SENT).count()
        empty = done.filter(status=DigestStatus.EMPTY).count()
        self.stdout.write(
            f"{day}: {len(planned)} digests planned now; {sent} sent and {empty} with nothing to send that day in all."
        )

    def dry_run(self, day):
        already = set(Digest.objects.filter(date=day).values_list("user_id", flat=True))
        would = 0
        for user, kind, frequency, language in recipients(day):
            if user.pk in already:
                self.stdout.write(f"= {user.get_username()}: the digest of {day} is already done")
                continue
            content = digest_content(user, kind=kind, day=day)
            if not content.has_something:
                self.stdout.write(f"= {user.get_username()}: nothing to do on {day}, nothing would be sent")
                continue
            with translation.override(language):
                message = digest_message(user, content)
            would += 1
            self.stdout.write(f"=== To: {user.get_username()} <{user.email}> ({kind}, {frequency}, {language})")
            self.stdout.write(f"Subject: {message.subject}")
            self.stdout.write(message.body)
        self.stdout.write(f"Dry run for {day}: {would} digests would be sent; nothing was sent or recorded.")
