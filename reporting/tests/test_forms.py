"""The dashboard's filter form reads the conventions a user may see once: its
convention choices and its funders come from the same rows, and a submitted
convention is still checked against what the user may see."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.figures import ALL_FUNDERS
from reporting.forms import DashboardFilterForm
from tests.factories import FundingConventionFactory

FIRST, LAST = datetime.date(2018, 1, 1), datetime.date(2019, 12, 31)


def _form(user, data=None):
    return DashboardFilterForm(data, user=user, first_day=FIRST, last_day=LAST)


def test_convention_choices_and_funders_from_one_read(hand_counted, manager_user):
    other = FundingConventionFactory(
        slug="brussels-2019", funder="Brussels", amount=Decimal("5000"), period_start=FIRST, period_end=LAST
    )
    with CaptureQueriesContext(connection) as built:
        form = _form(manager_user)
    conventions = [q for q in built.captured_queries if "programmes_fundingconvention" in q["sql"]]
    assert len(conventions) == 1
    with CaptureQueriesContext(connection) as rendered:
        html = str(form["convention"])
    assert not [q for q in rendered.captured_queries if "programmes_fundingconvention" in q["sql"]]
    assert hand_counted["convention"].name in html and other.name in html
    choices = [value for value, _label in form.fields["convention"].choices]
    assert choices[0] == ""  # the empty choice first, then the rows in the queryset's order
    assert [value.value for value in choices[1:]] == [c.pk for c in form.fields["convention"].queryset]
    assert len(form.fields["convention"].choices) == 3
    assert [value for value, _label in form.fields["funder"].choices] == ["Actiris", "Brussels", ALL_FUNDERS]
    assert form.fields["funder"].initial == "Actiris"


def test_coordinator_sees_and_submits_only_their_conventions(hand_counted, coordinator_a):
    foreign = FundingConventionFactory(slug="foreign-2019", period_start=FIRST, period_end=LAST)
    form = _form(coordinator_a)
    assert [c.pk for c in form.fields["convention"].queryset] == [hand_counted["convention"].pk]
    assert foreign.name not in str(form["convention"])
    valid = _form(coordinator_a, {"quarter": "2019Q1", "convention": hand_counted["convention"].pk})
    assert valid.is_valid(), valid.errors
    assert valid.cleaned_data["convention"] == hand_counted["convention"]
    refused = _form(coordinator_a, {"quarter": "2019Q1", "convention": foreign.pk})
    assert not refused.is_valid()
    assert "convention" in refused.errors
