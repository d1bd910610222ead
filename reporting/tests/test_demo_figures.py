"""The demo data (``load_demo_data``) gives the 2018 press release's figures.

Loaded once for the class (``setUpTestData``): loading takes a few seconds.
"""

import json
import re
from decimal import Decimal
from functools import partial
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from duos.models import Duo
from programmes.models import FundingConvention, Partner
from reporting import figures as f
from reporting.figures import Period, Rounding
from reporting.selectors import ReportScope, figure_set_for, report_sources_for_everyone

PRESS_RELEASE = Period.quarter("2013Q1").date_from, Period.quarter("2017Q4").date_to
COHORT = Period(*PRESS_RELEASE)  # 2013-01-01 .. 2017-12-31


def ratio(figure):
    return figure.numerator, figure.denominator, figure.value


class PressReleaseFiguresTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_data", stdout=StringIO())
        cls.team4job = Partner.objects.get(slug="team4job")
        cls.duo = Partner.objects.get(slug="duo-for-a-job")
        cls.actiris_2013 = FundingConvention.objects.get(slug="actiris-2013-2017")
        cls.actiris_2018 = FundingConvention.objects.get(slug="actiris-2018-2019")

    def test_team4job_employment_rate(self):
        duos = Duo.objects.filter(partner=self.team4job)
        self.assertEqual(ratio(f.total_figure("employment_rate", duos, period=COHORT)), (77, 152, Decimal("50.7")))
        truncated = f.total_figure("employment_rate", duos, period=COHORT, rounding=Rounding.TRUNCATE)
        self.assertEqual(truncated.value, Decimal("50.6"))  # as published
        self.assertEqual(
            ratio(f.total_figure("employment_rate_incl_self_employment", duos, period=COHORT)),
            (85, 152, Decimal("55.9")),
        )
        self.assertEqual(ratio(f.total_figure("cdi_share", duos, period=COHORT))[:2], (25, 77))
        self.assertEqual(f.total_figure("duos_started", duos, period=COHORT).value, 171)
        self.assertEqual(f.total_figure("duos_closed", duos, period=COHORT).value, 152)

    def test_duo_actiris_cohort(self):
        duos = Duo.objects.filter(partner=self.duo, convention=self.actiris_2013)
        self.assertEqual(ratio(f.total_figure("employment_rate", duos, period=COHORT)), (212, 383, Decimal("55.4")))
        self.assertEqual(ratio(f.total_figure("cdi_share", duos, period=COHORT))[:2], (82, 212))
        self.assertEqual(f.total_figure("duos_started", duos, period=COHORT).value, 471)

    def test_duo_organisation_wide_rate(self):
        duos = Duo.objects.filter(partner=self.duo)
        self.assertEqual(ratio(f.total_figure("employment_rate", duos, period=COHORT)), (477, 900, Decimal("53.0")))

    def test_actiris_funded_pooled(self):
        duos = Duo.objects.filter(convention=self.actiris_2013)
        self.assertEqual(
            ratio(f.total_figure("employment_rate_incl_self_employment", duos, period=COHORT)),
            (297, 535, Decimal("55.5")),
        )
        self.assertEqual(
            ratio(f.total_figure("positive_outcome_rate", duos, period=COHORT)), (396, 535, Decimal("74.0"))
        )

    def test_planned_budget_per_duo(self):
        conventions = FundingConvention.objects.filter(pk=self.actiris_2018.pk)
        planned = partial(f.funding_figure, "budget_per_duo_planned", Duo.objects.none(), conventions=conventions)
        self.assertEqual(planned().value, Decimal("1299.50"))
        self.assertEqual(planned(budget_basis="months").value, Decimal("1301.94"))

    def test_report_command_gives_the_same_figures(self):
        out = StringIO()
        call_command(
            "report",
            "--from",
            "2013-01-01",
            "--to",
            "2017-12-31",
            "--convention",
            "actiris-2013-2017",
            "--rounding",
            "truncate",
            stdout=out,
            stderr=StringIO(),
        )
        payload = json.loads(out.getvalue())
        rows = {row["partner"]: row for row in payload["partners"]}
        self.assertEqual(rows["team4job"]["employment_rate"], {"numerator": 77, "denominator": 152, "value": 50.6})
        self.assertEqual(
            rows["duo-for-a-job"]["employment_rate"], {"numerator": 212, "denominator": 383, "value": 55.3}
        )
        self.assertEqual(payload["total"]["positive_outcome_rate"]["numerator"], 396)

    def test_figure_set_for_the_2018_convention(self):
        scope = ReportScope(period=Period.quarter("2019Q2"), convention=self.actiris_2018)
        result = figure_set_for(report_sources_for_everyone(scope), scope)
        self.assertEqual(result.total["budget_per_duo_planned"].value, Decimal("1299.50"))
        by_months = ReportScope(period=scope.period, convention=self.actiris_2018, budget_basis="months")
        result = figure_set_for(report_sources_for_everyone(by_months), by_months)
        self.assertEqual(result.total["budget_per_duo_planned"].value, Decimal("1301.94"))

    def test_manager_dashboard_shows_the_press_release(self):
        from django.contrib.auth import get_user_model

        manager = get_user_model().objects.filter(membership__role="manager").first()
        self.client.force_login(manager)
        response = self.client.get(
            reverse("reporting:dashboard"),
            {"date_from": "2013-01-01", "date_to": "2017-12-31", "convention": self.actiris_2013.pk},
        )
        self.assertEqual(response.status_code, 200)
        content = re.sub(r"<[^>]+>", "", response.content.decode())  # each number links to its duos
        self.assertIn("77 / 152", content)
        self.assertIn("212 / 383", content)
        self.assertIn("396 / 535", content)

    def _login(self, role):
        from django.contrib.auth import get_user_model

        self.client.force_login(get_user_model().objects.filter(membership__role=role).first())

    def test_team4job_cohort_from_the_dashboard(self):
        """The press release's figures are cohort figures: Team4Job's duos
        started up to 31 December 2017, their outcomes as of that day."""
        self._login("staff")
        response = self.client.get(
            reverse("reporting:dashboard"),
            {
                "date_from": "2013-01-01",
                "date_to": "2017-12-31",
                "view": "cohort",
                "as_of": "2017-12-31",
                "partner": self.team4job.pk,
            },
        )
        self.assertEqual(response.status_code, 200)
        total = response.context["figures"].total
        self.assertEqual(total["duos_started"].value, 171)
        self.assertEqual(total["duos_closed"].value, 152)
        self.assertEqual(total["duos_active_at_end"].value, 19)  # started = closed + still active
        self.assertEqual(ratio(total["employment_rate"]), (77, 152, Decimal("50.7")))
        content = re.sub(r"<[^>]+>", "", response.content.decode())
        self.assertIn("77 / 152", content)
        self.assertIn("Duos started in the period 01/01/2013 – 31/12/2017 (cohort), outcomes as of 31/12/2017", content)

    def test_duo_for_a_job_actiris_cohort_from_the_report_command(self):
        out = StringIO()
        call_command(
            "report",
            "--from",
            "2013-01-01",
            "--to",
            "2017-12-31",
            "--view",
            "cohort",
            "--convention",
            "actiris-2013-2017",
            stdout=out,
            stderr=StringIO(),
        )
        rows = {row["partner"]: row for row in json.loads(out.getvalue())["partners"]}
        self.assertEqual(
            rows["duo-for-a-job"]["employment_rate"], {"numerator": 212, "denominator": 383, "value": 55.4}
        )
        self.assertEqual(rows["duo-for-a-job"]["duos_started"]["value"], 471)

    def test_money_of_the_2018_convention_by_funder(self):
        """June 2018 - December 2019: Actiris' money only by default (87.0 % of
        the target, 1,299.50 EUR planned per duo); the other funders' 1.1 M EUR
        only when all funders are asked for."""
        period = Period(Period.quarter("2018Q2").date_to.replace(day=1), Period.quarter("2019Q4").date_to)
        scope = ReportScope(period=period)
        result = figure_set_for(report_sources_for_everyone(scope), scope)
        self.assertEqual(result.funder, "Actiris")
        self.assertEqual(ratio(result.total["target_attainment"])[::2], (1180, Decimal("87.0")))
        self.assertEqual(result.total["budget_per_duo_planned"].value, Decimal("1299.50"))
        rows = {partner.slug: row for partner, row in result.partners}
        # DUO for a JOB's share over the 700 duos that convention funds for it.
        self.assertEqual(ratio(rows["duo-for-a-job"]["budget_per_duo_actual"])[:2], (Decimal("1057500.00"), 700))
        everyone = ReportScope(period=period, funder="*")
        all_funders = figure_set_for(report_sources_for_everyone(everyone), everyone)
        self.assertGreater(all_funders.total["budget_per_duo_actual"].numerator, Decimal("2800000"))

    def test_every_link_on_the_demo_data(self):
        from .walk import walk_dashboard

        self._login("manager")
        for params in (
            {"quarter": "2019Q2"},
            {"date_from": "2013-01-01", "date_to": "2017-12-31", "convention": self.actiris_2013.pk},
            {"date_from": "2013-01-01", "date_to": "2017-12-31", "view": "cohort", "as_of": "2019-12-31"},
        ):
            walked, mismatches = walk_dashboard(self.client, params)
            self.assertGreater(walked, 60)
            self.assertEqual(mismatches, [], params)
