"""The number of queries of an import does not grow with the rows that the
services take together: a duo's new meetings (``meeting_log_many``), new
mentors and mentees (``people_create_many``). The time target itself is
measured by ``benchmarks/imports.py``, never in a test."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports.engine import import_rows
from imports.reader import read_spreadsheet

from .files import duo_row, filled_template, meeting_row, mentee_row, mentor_row

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2019, 6, 1)
START = datetime.date(2018, 9, 3)


def queries_of(partner, rows):
    parsed = read_spreadsheet(io.BytesIO(filled_template(rows)))
    with CaptureQueriesContext(connection) as context:
        report = import_rows(partner=partner, parsed=parsed, commit=False, today=TODAY)
    assert not report.errors, report.errors
    assert report.totals()["create"] == sum(len(records) for records in rows.values())
    return len(context.captured_queries)


def a_duo_with_meetings(count):
    return {
        "mentors": [mentor_row("M-1")],
        "mentees": [mentee_row("10000001")],
        "duos": [duo_row("D-1", "M-1", "10000001", start=START)],
        "meetings": [
            meeting_row("D-1", str(n), START + datetime.timedelta(days=3 * n), place="Online") for n in range(count)
        ],
    }


def people(count):
    return {
        "mentors": [mentor_row(f"M-{n}") for n in range(count)],
        "mentees": [mentee_row(f"{10000000 + n}") for n in range(count)],
    }


def test_a_duos_meetings_cost_the_same_queries_for_20_or_40(partner_a, programme_a):
    assert queries_of(partner_a, a_duo_with_meetings(20)) == queries_of(partner_a, a_duo_with_meetings(40))


def test_new_mentors_and_mentees_cost_the_same_queries_for_10_or_30(partner_a, programme_a):
    assert queries_of(partner_a, people(10)) == queries_of(partner_a, people(30))
