"""Periods are validated once (``reporting.periods``) for the dashboard, the
report form, the service behind it and the ``report`` command: anything
outside the allowed range is a form error in the user's language, never a
server error and never a report that fails later."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from reporting.figures import FigureView, Period
from reporting.models import ReportRequest
from reporting.periods import clean_period, clean_view
from reporting.services import report_request_create

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reporting:dashboard")
D = datetime.date


def errors_of(function, **kwargs):
    with pytest.raises(ValidationError) as caught:
        function(**kwargs)
    return caught.value.message_dict


def test_quarters_and_dates():
    assert clean_period(quarter="2019Q2") == Period.quarter("2019Q2")
    assert clean_period(quarter="2019Q2", date_from=D(2019, 1, 1), date_to=D(2019, 1, 1)) == Period(
        D(2019, 1, 1), D(2019, 1, 1)
    )
    assert clean_period(date_from=D(2000, 1, 1), date_to=D(2099, 12, 31)).days == 36525


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"quarter": "2019Q5"}, "quarter", "A quarter is written like 2018Q3."),
        ({"quarter": "1999Q4"}, "quarter", "Enter a date from 01/01/2000 to 31/12/2099."),
        ({"quarter": "2100Q1"}, "quarter", "Enter a date from 01/01/2000 to 31/12/2099."),
        ({}, "quarter", "Pick a quarter or give the dates of the period."),
        ({"date_from": D(2019, 1, 1)}, "date_to", "Give the last day of the period too, or pick a quarter."),
        ({"date_to": D(2019, 1, 1)}, "date_from", "Give the first day of the period too, or pick a quarter."),
        ({"date_from": D(1, 1, 1), "date_to": D(2019, 1, 1)}, "date_from", "Enter a date from 01/01/2000"),
        ({"date_from": D(2026, 1, 1), "date_to": D(9999, 12, 31)}, "date_to", "Enter a date from 01/01/2000"),
        ({"date_from": D(2019, 3, 1), "date_to": D(2019, 1, 1)}, "date_to", "The end of the period is before"),
    ],
)
def test_malformed_periods_are_errors_on_their_field(kwargs, field, message):
    errors = errors_of(clean_period, **kwargs)
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)


def test_messages_speak_the_users_language():
    with translation.override("fr"):
        errors = errors_of(clean_period, date_from=D(2019, 3, 1), date_to=D(2019, 1, 1))
    assert errors["date_to"] == ["La fin de la période précède son début."]


def test_range_follows_the_settings(settings):
    settings.DATES_ALLOWED_FROM, settings.DATES_ALLOWED_TO = D(2010, 1, 1), D(2030, 12, 31)
    assert "date_from" in errors_of(clean_period, date_from=D(2009, 12, 31), date_to=D(2019, 1, 1))
    assert clean_period(date_from=D(2010, 1, 1), date_to=D(2030, 12, 31))


def test_views_and_as_of():
    q2 = Period.quarter("2019Q2")
    assert clean_view(period=q2) == (FigureView.CLOSED, None)
    assert clean_view(period=q2, view="closed", as_of=D(2030, 1, 1)) == (FigureView.CLOSED, None)
    assert clean_view(period=q2, view="cohort") == (FigureView.COHORT, D(2019, 6, 30))
    assert clean_view(period=q2, view="cohort", as_of=D(2020, 1, 1)) == (FigureView.COHORT, D(2020, 1, 1))
    assert "as_of" in errors_of(clean_view, period=q2, view="cohort", as_of=D(2019, 6, 29))
    assert "as_of" in errors_of(clean_view, period=q2, view="cohort", as_of=D(9999, 1, 1))
    assert "view" in errors_of(clean_view, period=q2, view="sideways")


# --- the dashboard, for every role -------------------------------------------------------

PERSONAS = ["staff_user", "manager_user", "coordinator_a", "coordinator_b"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2019-02-14", "date_to": "2019-02-14"},
        {"date_from": "2000-01-01", "date_to": "2099-12-31"},
        {"date_from": "2000-01-01", "date_to": "2099-12-31", "view": "cohort", "as_of": "2099-12-31"},
        {"date_from": "2013-01-01", "date_to": "2026-12-31"},
    ],
)
def test_any_period_in_range_opens(client, hand_counted, persona, params, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    assert not response.context["form"].errors
    assert response.context["period"] == Period(
        D.fromisoformat(params["date_from"]), D.fromisoformat(params["date_to"])
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "0001-01-01", "date_to": "2019-12-31"}, "date_from"),
        ({"date_from": "2019-01-01", "date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "2019-01-01", "date_to": "10000-01-01"}, "date_to"),
        ({"date_from": "2019-03-01", "date_to": "2019-01-01"}, "date_to"),
        ({"quarter": "2019Q1", "view": "cohort", "as_of": "2019-01-01"}, "as_of"),
        ({"quarter": "9999Q4"}, "quarter"),
    ],
)
def test_malformed_dashboard_periods_are_form_errors(client, hand_counted, manager_user, params, field):
    client.force_login(manager_user)
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Some filters are not valid" in response.content.decode()


def test_all_years_link_opens(client, hand_counted, manager_user):
    client.force_login(manager_user)
    years = client.get(DASHBOARD).context["years"]
    response = client.get(DASHBOARD, {"date_from": f"{years[0]}-01-01", "date_to": f"{years[-1]}-12-31"})
    assert response.status_code == 200 and not response.context["form"].errors


# --- the report form, its service and the command ----------------------------------------


def test_report_form_refuses_a_period_out_of_range(client, hand_counted, manager_user):
    client.force_login(manager_user)
    data = {"format": "xlsx", "rounding": "half-up", "budget_basis": "days", "language": "en"}
    response = client.post(
        reverse("reporting:report_create"), {**data, "date_from": "2026-01-01", "date_to": "9999-12-31"}
    )
    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors
    response = client.post(
        reverse("reporting:report_create"),
        {**data, "quarter": "2019Q1", "view": "cohort", "as_of": "2018-01-01"},
    )
    assert "as_of" in response.context["form"].errors
    assert not ReportRequest.objects.exists()


def test_report_form_accepts_a_cohort(
    client, hand_counted, manager_user, media_root, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:report_create"),
            {
                "date_from": "2018-06-01",
                "date_to": "2019-03-31",
                "view": "cohort",
                "as_of": "2019-12-31",
                "format": "csv",
                "rounding": "half-up",
                "budget_basis": "days",
                "language": "en",
            },
        )
    report_request = ReportRequest.objects.get()
    assert response.status_code == 302
    assert (report_request.view, report_request.as_of) == ("cohort", D(2019, 12, 31))
    assert report_request.status == "done", report_request.error


def test_service_checks_the_period_again(hand_counted, manager_user):
    with pytest.raises(ValidationError) as caught:
        report_request_create(user=manager_user, period=Period(D(2019, 1, 1), D(9999, 12, 31)), format="xlsx")
    assert "date_to" in caught.value.message_dict
    with pytest.raises(ValidationError):
        report_request_create(
            user=manager_user, period=Period.quarter("2019Q1"), format="xlsx", view="cohort", as_of=D(2018, 1, 1)
        )
    assert not ReportRequest.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-01-01", "--to", "9999-12-31"), "--to: Enter a date from 01/01/2000 to 31/12/2099."),
        (("--quarter", "1999Q4"), "--quarter: Enter a date from"),
        (("--quarter", "2019Q1", "--view", "cohort", "--as-of", "2019-01-01"), "--as-of: The outcomes are read"),
        (("--from", "2019-13-01", "--to", "2019-12-31"), "--from: not a date"),
    ],
)
def test_report_command_says_which_option_is_wrong(db, args, message):
    with pytest.raises(CommandError) as caught:
        call_command("report", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert str(caught.value).startswith(message)


def test_report_command_whole_range(hand_counted):
    out = io.StringIO()
    call_command("report", "--from", "2000-01-01", "--to", "2099-12-31", stdout=out, stderr=io.StringIO())
    assert '"duos_started"' in out.getvalue()
