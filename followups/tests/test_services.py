"""Recording and correcting follow-ups: every rule with its good and its
broken case, nothing written on error, the closure outcome never touched."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from duos.models import Duo, Outcome
from followups.models import FollowUp, FollowUpOffset
from followups.services import follow_up_record, follow_up_update, programme_follow_up_months_set
from tests.factories import DuoFactory

from .conftest import closed_duo

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2019, 9, 15)
CLOSED = datetime.date(2019, 6, 15)  # 3 months due 2019-09-15, 6 months 2019-12-15


def fields(**overrides):
    values = {
        "offset_months": 3,
        "date": TODAY,
        "situation": "job",
        "contract_type": "cdi",
        "same_job": True,
        "source": "mentee",
        "today": TODAY,
    }
    values.update(overrides)
    return values


def errors_of(call, **kwargs):
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    error = caught.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def test_record_keeps_the_closure_outcome(programme_a, coordinator_a):
    duo = closed_duo(programme_a, CLOSED, outcome="job", contract="cdd")
    before = list(Outcome.objects.values())
    follow_up = follow_up_record(duo=duo, user=coordinator_a, **fields(situation="self_employment", same_job=False))
    assert (follow_up.offset_months, follow_up.situation, follow_up.same_job) == (3, "self_employment", False)
    assert follow_up.contract_type == "" and follow_up.recorded_by == coordinator_a
    assert list(Outcome.objects.values()) == before  # the closure outcome is as it was
    assert follow_up.history.count() == 1


def test_contract_and_same_job_only_where_they_apply(programme_a):
    duo = closed_duo(programme_a, CLOSED)
    follow_up = follow_up_record(duo=duo, **fields(situation="training", contract_type="cdi", same_job=True))
    assert (follow_up.contract_type, follow_up.same_job) == ("", None)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date": TODAY + datetime.timedelta(days=1)}, "date", "cannot be in the future"),
        ({"offset_months": 6}, "date", "due on 15/12/2019; it can be recorded from 15/11/2019"),
        ({"contract_type": ""}, "contract_type", "Choose the contract type"),
        ({"situation": "astronaut"}, "situation", "Choose the mentee's situation"),
        ({"offset_months": 4}, "offset_months", "has no follow-up at this time"),
    ],
)
def test_broken_rules_write_nothing(programme_a, overrides, field, message):
    duo = closed_duo(programme_a, CLOSED)
    errors = errors_of(follow_up_record, duo=duo, **fields(**overrides))
    assert message in " ".join(errors[field])
    assert not FollowUp.objects.exists()


def test_early_and_late_recording(programme_a, settings):
    settings.FOLLOW_UP_EARLY_DAYS = 30
    duo = closed_duo(programme_a, CLOSED)
    # 30 days before it is due is accepted; 31 days is not.
    follow_up_record(duo=duo, **fields(date=datetime.date(2019, 8, 16), today=datetime.date(2019, 8, 20)))
    errors = errors_of(
        follow_up_record,
        duo=duo,
        **fields(offset_months=6, date=datetime.date(2019, 11, 14), today=datetime.date(2019, 11, 20)),
    )
    assert "date" in errors
    # Long after it was due, it can still be recorded.
    follow_up_record(
        duo=duo, **fields(offset_months=6, date=datetime.date(2021, 1, 5), today=datetime.date(2021, 1, 5))
    )
    assert FollowUp.objects.count() == 2


def test_once_per_follow_up_and_only_for_closed_duos(programme_a):
    duo = closed_duo(programme_a, CLOSED)
    follow_up_record(duo=duo, **fields())
    errors = errors_of(follow_up_record, duo=duo, **fields())
    assert errors["offset_months"] == ["This follow-up is already recorded."]
    active = DuoFactory(programme=programme_a, start_date=datetime.date(2019, 3, 1))
    assert errors_of(follow_up_record, duo=active, **fields()) == {
        "__all__": ["Follow-ups are recorded once the duo is closed."]
    }
    Duo.objects.filter(pk=duo.pk).update(status="cancelled")
    assert "__all__" in errors_of(follow_up_record, duo=duo, **fields(offset_months=6, date=TODAY))
    assert FollowUp.objects.count() == 1


def test_update_corrects_and_keeps_history(programme_a):
    duo = closed_duo(programme_a, CLOSED)
    follow_up = follow_up_record(duo=duo, **fields())
    values = {key: value for key, value in fields().items() if key != "offset_months"}
    values.update(situation="none", note="Lost the job in August.")
    follow_up_update(follow_up=follow_up, **values)
    follow_up.refresh_from_db()
    assert (follow_up.situation, follow_up.contract_type, follow_up.same_job) == ("none", "", None)
    assert follow_up.history.count() == 2
    errors = errors_of(follow_up_update, follow_up=follow_up, **{**values, "date": TODAY + datetime.timedelta(days=3)})
    assert "date" in errors
    follow_up.refresh_from_db()
    assert follow_up.date == TODAY


def test_programme_months(programme_a):
    assert list(programme_a.follow_up_offsets.values_list("months", flat=True)) == [3, 6, 12]
    assert programme_follow_up_months_set(programme=programme_a, months=[12, 6, 24, 6]) == [6, 12, 24]
    assert list(FollowUpOffset.objects.filter(programme=programme_a).values_list("months", flat=True)) == [6, 12, 24]
    with pytest.raises(ValidationError):
        programme_follow_up_months_set(programme=programme_a, months=[0, 6])
    assert programme_follow_up_months_set(programme=programme_a, months=[]) == []
    assert not FollowUpOffset.objects.filter(programme=programme_a).exists()
