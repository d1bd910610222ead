"""``examples/api_client.py`` against a running server (pytest-django's
``live_server``): it records a mentee, a mentor, a duo and a meeting."""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings

from duos.models import Duo, Meeting
from tests.factories import ProgrammeFactory

from .conftest import token_for


def load_example():
    path = Path(settings.BASE_DIR) / "examples" / "api_client.py"
    spec = importlib.util.spec_from_file_location("api_client_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True)
def test_the_example_client_records_a_duo_and_a_meeting(live_server, coordinator_a, partner_a):
    programme = ProgrammeFactory(
        partner=partner_a,
        mentee_min_age=18,
        mentee_max_age=30,
        migration_background_required=True,
        meeting_place="mentor_workplace",
    )
    lines = []
    status = load_example().main(["--base-url", live_server.url, "--token", token_for(coordinator_a)], out=lines.append)
    assert status == 0, lines
    duo = Duo.objects.get()
    assert (duo.programme, duo.partner, duo.status) == (programme, partner_a, "active")
    assert duo.mentee.migration_background.has_migration_background is True
    meeting = Meeting.objects.get()
    assert (meeting.duo, meeting.place, meeting.duration_minutes) == (duo, "mentor_workplace", 60)
    assert lines[-1] == f"Meeting #{meeting.pk} logged on {meeting.date.isoformat()}."


@pytest.mark.django_db(transaction=True)
def test_the_example_client_reports_the_apis_refusal(live_server, staff_user, partner_a):
    ProgrammeFactory(partner=partner_a)
    lines = []
    status = load_example().main(["--base-url", live_server.url, "--token", token_for(staff_user)], out=lines.append)
    assert status == 1
    assert "403" in lines[-1]
