"""Erasure and retention keep every figure: on the demo data, the figures of
every quarter from 2013 to 2026 (all conventions, and each convention within
its period), per partner and in total, the outcome breakdowns and the duo rows
of a report are identical before and after erasing people on request and
pseudonymising everyone past retention.

(Quarters, not years: the figures of a period longer than a few months exceed
Python's recursion limit in the cadence expressions, a reporting limit noted
apart.)"""

import datetime
import json
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from duos.models import Duo, DuoStatus, Mentee, Mentor
from privacy.models import Erasure
from privacy.services import person_erase, retention_apply
from programmes.models import FundingConvention
from reporting.figures import Period
from reporting.figures.breakdowns import outcomes_by_type
from reporting.selectors import ReportData, ReportScope, report_sources_for_everyone


def report_json(*args):
    out = StringIO()
    call_command("report", *args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


QUARTERS = [f"{year}Q{q}" for year in range(2013, 2027) for q in range(1, 5)]


def all_figures():
    figures = {}
    conventions = list(FundingConvention.objects.all())
    for quarter in QUARTERS:
        figures[quarter] = report_json("--quarter", quarter)
        period = Period.quarter(quarter)
        for convention in conventions:
            if convention.period_start <= period.date_to and convention.period_end >= period.date_from:
                figures[quarter, convention.slug] = report_json("--quarter", quarter, "--convention", convention.slug)
    scope = ReportScope(period=Period(Period.quarter("2013Q1").date_from, Period.quarter("2026Q4").date_to))
    sources = report_sources_for_everyone(scope)
    figures["outcomes"] = repr(outcomes_by_type(sources.duos, period=scope.period))
    rows = ReportData(scope=scope, figures=None, outcome_counts=None, duos=sources.duos, generated_at=None)
    figures["duo_rows"] = list(rows.duo_rows())
    for payload in figures.values():
        if isinstance(payload, dict):
            payload.pop("generated_at", None)
    return figures


class ErasureKeepsFiguresTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_data", stdout=StringIO())

    def test_every_figure_identical_after_erasure_and_retention(self):
        before = all_figures()
        self.assertEqual(before["2017Q4"]["total"]["employment_rate"]["denominator"] > 0, True)
        self.assertGreater(len(before["duo_rows"]), 2000)

        coordinator = get_user_model().objects.get(username="duo")
        closed = Duo.objects.filter(status=DuoStatus.CLOSED).select_related("mentee", "mentor").order_by("pk")[:20]
        for duo in closed[:10]:
            if not Erasure.objects.filter(person_kind="mentee", person_id=duo.mentee_id).exists():
                person_erase(person=duo.mentee, by=coordinator)
        for duo in closed[10:]:
            if not Duo.objects.filter(mentor=duo.mentor, status=DuoStatus.ACTIVE).exists() and not (
                Erasure.objects.filter(person_kind="mentor", person_id=duo.mentor_id).exists()
            ):
                person_erase(person=duo.mentor, by=coordinator)
        # Then everyone not in an active duo (a retention period of 0 years;
        # the demo people were registered today).
        retention_apply(years=0, today=timezone.localdate() + datetime.timedelta(days=1))
        self.assertGreater(Mentee.objects.filter(first_name="Erased").count(), 2000)
        self.assertGreater(Mentor.objects.filter(first_name="Erased").count(), 100)

        after = all_figures()
        self.assertEqual(before.keys(), after.keys())
        for key in before:
            self.assertEqual(before[key], after[key], key)
