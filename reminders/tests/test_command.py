"""``manage.py send_reminders [--dry-run] [--date D]``."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from reminders.models import Digest

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_dry_run_prints_and_records_nothing(coordinator_a, coordinator_b, staff_user, partner_a_work):
    output = run("--dry-run", "--date", "2019-09-16")
    assert "=== To: coord-a <coord-a@example.org> (coordinator, daily, en)" in output
    assert "Subject: Mentoring: what needs doing on 16/09/2019" in output
    assert "== Follow-ups due: 1 ==" in output
    assert f"(#{partner_a_work['due'].pk})" in output
    assert "= coord-b: nothing to do on 2019-09-16, nothing would be sent" in output
    assert "=== To: staff <staff@example.org> (staff, weekly, en)" in output  # a Monday
    assert "Dry run for 2019-09-16: 2 digests would be sent" in output
    assert not Digest.objects.exists()
    assert mail.outbox == []


def test_sends_once_per_day(coordinator_a, coordinator_b, staff_user, partner_a_work):
    output = run("--date", "2019-09-17")  # a Tuesday: coordinators only
    assert "2 digests planned now; 1 sent and 1 with nothing to send" in output
    assert [message.to for message in mail.outbox] == [["coord-a@example.org"]]
    output = run("--date", "2019-09-17")
    assert "0 digests planned now; 1 sent" in output
    assert len(mail.outbox) == 1
    assert "the digest of 2019-09-17 is already done" in run("--dry-run", "--date", "2019-09-17")


def test_bad_date():
    with pytest.raises(CommandError, match="is not a date"):
        run("--date", "16/09/2019")
