"""``mentoring.validation.full_clean`` finds what ``Model.full_clean`` finds,
with the same messages, in fewer queries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from duos.models import Duo, DuoStatus, Outcome, OutcomeType
from mentoring.validation import full_clean
from tests.factories import DuoFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


def errors_of(validate):
    try:
        validate()
    except ValidationError as exc:
        return {field: sorted(messages) for field, messages in exc.message_dict.items()}
    return {}


def broken_records():
    duo = DuoFactory(start_date=datetime.date(2019, 3, 1))
    duo.status = DuoStatus.CLOSED  # closed without a reason, before it started
    duo.end_date = datetime.date(2019, 2, 1)
    duo.planned_end_date = datetime.date(2019, 1, 1)
    outcome = Outcome(duo=OutcomeFactory().duo, is_primary=True, type=OutcomeType.TRAINING, contract_type="cdi")
    outcome.recorded_on = datetime.date(2019, 6, 1)
    return duo, outcome


def test_same_errors_as_django():
    for record in broken_records():
        expected = errors_of(record.full_clean)
        assert expected  # each record breaks a check constraint at least
        assert errors_of(lambda record=record: full_clean(record)) == expected


def test_conditional_unique_constraints_as_django_finds_them():
    first = DuoFactory(reference="D-1")
    # The same mentee's second active duo, under a reference the partner took.
    second = Duo(
        partner=first.partner,
        programme=first.programme,
        mentor=first.mentor,
        mentee=first.mentee,
        start_date=first.start_date,
        planned_end_date=first.planned_end_date,
        reference="D-1",
    )
    outcome = OutcomeFactory()
    again = Outcome(duo=outcome.duo, is_primary=True, type=OutcomeType.NONE, recorded_on=outcome.recorded_on)
    for record in (second, again):
        expected = errors_of(record.full_clean)
        assert expected
        assert errors_of(lambda record=record: full_clean(record)) == expected
    assert len(errors_of(second.full_clean)["__all__"]) == 2
    # The record itself is no clash: an update of the first duo passes.
    full_clean(first)
    full_clean(outcome)


def test_a_valid_record_passes():
    duo = DuoFactory()
    full_clean(duo)
    full_clean(duo, known=("partner", "programme", "mentor", "mentee", "convention"))


def test_check_constraints_in_one_query_and_known_relations_not_looked_up():
    duo, _outcome = broken_records()
    with transaction.atomic():
        with CaptureQueriesContext(connection) as django_way:
            errors_of(duo.full_clean)
        with CaptureQueriesContext(connection) as ours:
            errors_of(lambda: full_clean(duo, known=("partner", "programme", "mentor", "mentee", "convention")))
    # Django: a savepoint, a query and a release per constraint, one query per relation.
    assert len(ours.captured_queries) < len(django_way.captured_queries) - 5
    checks = [query for query in ours.captured_queries if "_check_" in query["sql"]]
    assert len(checks) == 1
    assert not [query for query in ours.captured_queries if "SAVEPOINT" in query["sql"]]
