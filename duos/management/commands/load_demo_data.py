from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from duos.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoBuilder, demo_delete, demo_loaded
from duos.models import Duo
from followups.demo import demo_follow_ups


class Command(BaseCommand):
    help = (
        "Load the synthetic demo data that reproduces the 2018 press release's counts, and one demo "
        "account per role. Idempotent: does nothing when the demo partners exist (use --reset to reload)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete the demo data first, then load it again.")

    def handle(self, *args, reset=False, **options):
        if reset and demo_loaded():
            demo_delete()
            self.stdout.write("Deleted the previous demo data.")
        if demo_loaded():
            self.stdout.write(f"Demo data already loaded ({Duo.objects.count()} duos); nothing to do.")
        else:
            today = timezone.localdate()
            with transaction.atomic():
                counts = DemoBuilder(stdout=self.stdout, today=today).build()
                counts.update(demo_follow_ups(today=today))
            self.stdout.write(
                self.style.SUCCESS(
                    "Loaded demo data: {partners} partners, {duos} duos, {meetings} meetings, "
                    "{mentors} mentors, {mentees} mentees; {recent_duos} duos closed recently and "
                    "{follow_ups} follow-ups.".format(**counts)
                )
            )
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for username, role, partner, superuser in DEMO_ACCOUNTS:
            what = "administrator (Django admin)" if superuser else (f"{role} of {partner}" if partner else role)
            self.stdout.write(f"  {username:<10} {what}")
