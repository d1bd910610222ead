"""Published quarters: what is stored, what can never be undone, superseding,
and restatements after a correction."""

import datetime
import hashlib
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from duos.models import Duo
from duos.services import duo_cancel, duo_closure_correct
from reporting.figures import Period
from reporting.models import (
    PublicationIsPermanent,
    PublicationStatus,
    PublishedFigure,
    PublishedReport,
)
from reporting.publishing import published_file_content, published_report_delete, quarter_publish
from reporting.restatements import publication_scope, restatement_of, restatements_for_report
from reporting.selectors import ReportScope, report_sources_for_user

from .factories import day

pytestmark = pytest.mark.django_db

CORRECTION_REASON = "The mentee did not take the job after all."


def publish(user, quarter="2019Q1", **kwargs):
    kwargs.setdefault("language", "en")
    return quarter_publish(user=user, quarter=quarter, **kwargs)


def figure(report, scope, key):
    return PublishedFigure.objects.get(report=report, scope=scope, key=key)


def correct_first_job(partner, reason=CORRECTION_REASON, user=None):
    """Duo d1 of the hand-counted data (partner A, closed 2019-02-15 with a CDI) had no job after all."""
    duo = Duo.objects.get(partner=partner, end_date=day("2019-02-15"))
    return duo_closure_correct(
        duo=duo,
        end_date=duo.end_date,
        reason="early_mentee",  # the fixture's "completed" does not fit its dates
        outcome_type="none",
        correction_reason=reason,
        user=user,
    )


def test_publish_stores_figures_per_scope_with_versions_and_files(hand_counted, manager_user, partner_a, partner_b):
    report = publish(manager_user)
    assert report.status == PublicationStatus.PUBLISHED and report.quarter == "2019Q1"
    assert report.published_by == manager_user and report.funder == "Actiris"
    total = figure(report, "total", "employment_rate")
    assert (total.numerator, total.denominator, total.value, total.version) == (3, 7, Decimal("42.9"), "1")
    a = figure(report, f"partner:{partner_a.pk}", "employment_rate")
    assert (a.numerator, a.denominator) == (2, 5)
    b = figure(report, f"partner:{partner_b.pk}", "employment_rate")
    assert (b.numerator, b.denominator) == (1, 2)
    cadence = figure(report, "total", "meeting_cadence_compliance")
    assert cadence.version == "2"
    convention = hand_counted["convention"]
    attainment = figure(report, f"convention:{convention.pk}", "target_attainment")
    assert attainment.kind == "convention" and attainment.numerator == 3
    scopes = set(PublishedFigure.objects.filter(report=report).values_list("scope", flat=True))
    assert scopes >= {"total", f"partner:{partner_a.pk}", f"partner:{partner_b.pk}", f"convention:{convention.pk}"}

    files = {published.format: published for published in report.files.all()}
    assert set(files) == {"xlsx", "json"}
    for published in files.values():
        content = published_file_content(published)
        assert hashlib.sha256(content).hexdigest() == published.sha256 and published.size == len(content)
    data = json.loads(bytes(files["json"].content))
    assert data["total"]["employment_rate"] == {"numerator": 3, "denominator": 7, "value": 42.9}
    assert data["definitions"]["meeting_cadence_compliance"] == "2"
    # The duos the figures were computed over (alive in the quarter, not cancelled).
    assert (
        report.duos.count()
        == Duo.objects.filter(start_date__lte=day("2019-03-31")).exclude(end_date__lt=day("2019-01-01")).count()
    )


@pytest.mark.parametrize("persona", ["coordinator_a", "staff_user"])
def test_only_managers_publish(hand_counted, persona, request):
    with pytest.raises(PermissionDenied):
        publish(request.getfixturevalue(persona))
    assert not PublishedReport.objects.exists()


def test_a_quarter_is_published_once_it_has_ended(hand_counted, manager_user):
    with pytest.raises(ValidationError) as error:
        publish(manager_user, "2019Q2", today=datetime.date(2019, 6, 30))
    assert "has not ended yet" in error.value.message_dict["quarter"][0]
    with pytest.raises(ValidationError) as error:
        publish(manager_user, "2019Q5")
    assert "quarter" in error.value.message_dict
    assert publish(manager_user, "2019Q2", today=datetime.date(2019, 7, 1)).quarter == "2019Q2"


def test_a_published_report_is_never_deleted_nor_changed(hand_counted, manager_user, partner_a):
    report = publish(manager_user)
    with pytest.raises(ValidationError, match="kept for ever"):
        published_report_delete(user=manager_user, report=report)
    with pytest.raises(PublicationIsPermanent):
        report.delete()
    with pytest.raises(PublicationIsPermanent):
        PublishedReport.objects.all().delete()
    with pytest.raises(PublicationIsPermanent):
        report.figures.all().delete()
    with pytest.raises(PublicationIsPermanent):
        report.files.first().delete()
    stored = report.figures.first()
    stored.value = 99
    with pytest.raises(PublicationIsPermanent):
        stored.save()
    with pytest.raises(PublicationIsPermanent):
        PublishedFigure.objects.update(value=1)
    report.note = "rewritten"
    with pytest.raises(PublicationIsPermanent):
        report.save()
    with pytest.raises(ProtectedError):
        partner_a.delete()
    assert PublishedReport.objects.count() == 1 and report.figures.count() > 0


def test_publishing_again_supersedes_and_keeps_both(hand_counted, manager_user):
    first = publish(manager_user)
    second = publish(manager_user, rounding="truncate", language="fr")
    first.refresh_from_db()
    assert first.status == PublicationStatus.SUPERSEDED and first.superseded_by == second
    assert first.superseded_at == second.published_at
    assert second.status == PublicationStatus.PUBLISHED and second.rounding == "truncate"
    assert list(PublishedReport.objects.order_by("pk")) == [first, second]
    assert figure(first, "total", "employment_rate").value == Decimal("42.9")
    assert figure(second, "total", "employment_rate").value == Decimal("42.8")  # 3/7 = 42.857 truncated
    assert first.figures.count() == second.figures.count()


def test_no_restatement_while_nothing_changed(hand_counted, manager_user, coordinator_a):
    report = publish(manager_user)
    for user in (manager_user, coordinator_a):
        sources = report_sources_for_user(user, publication_scope(report))
        restatement = restatement_of(report, sources)
        assert not restatement.is_restated and restatement.corrections == []


def test_a_correction_after_publication_restates_the_quarter(
    hand_counted, manager_user, coordinator_a, coordinator_b, partner_a, partner_b
):
    report = publish(manager_user)
    correct_first_job(partner_a, user=coordinator_a)

    restatement = restatement_of(report, report_sources_for_user(manager_user, publication_scope(report)))
    assert restatement.is_restated
    changed = {(item.scope, item.key): item for item in restatement.figures}
    total = changed[("total", "employment_rate")]
    assert (total.published.numerator, total.published.denominator) == (3, 7)
    assert (total.current.numerator, total.current.denominator) == (2, 7)
    assert ("total", "stable_job_rate") in changed and (f"partner:{partner_a.pk}", "employment_rate") in changed
    assert not any(scope == f"partner:{partner_b.pk}" for scope, _key in changed)
    assert [c.reason for c in restatement.corrections] == [CORRECTION_REASON]
    assert restatement.corrections[0].made_by == coordinator_a

    # The coordinator of the corrected partner sees their row and their correction...
    own = restatement_of(report, report_sources_for_user(coordinator_a, publication_scope(report, partner=partner_a)))
    assert {item.scope for item in own.figures} == {f"partner:{partner_a.pk}"}
    assert [c.reason for c in own.corrections] == [CORRECTION_REASON]
    # ...the other partner's coordinator sees neither.
    other = restatement_of(report, report_sources_for_user(coordinator_b, publication_scope(report, partner=partner_b)))
    assert not other.is_restated and other.corrections == []


def test_a_cancellation_after_publication_restates_the_quarter(hand_counted, manager_user, partner_b):
    report = publish(manager_user)
    duo = Duo.objects.get(partner=partner_b, end_date=day("2019-01-31"))
    duo_cancel(duo=duo, correction_reason="Entered twice by mistake.")
    restatement = restatement_of(report, report_sources_for_user(manager_user, publication_scope(report)))
    changed = {(item.scope, item.key): item for item in restatement.figures}
    assert changed[("total", "duos_closed")].published.value == 7
    assert changed[("total", "duos_closed")].current.value == 6
    assert [c.reason for c in restatement.corrections] == ["Entered twice by mistake."]


def test_corrections_before_publication_are_not_listed(hand_counted, manager_user, partner_a):
    correct_first_job(partner_a)
    report = publish(manager_user)
    restatement = restatement_of(report, report_sources_for_user(manager_user, publication_scope(report)))
    assert not restatement.is_restated and restatement.corrections == []


def test_the_next_report_lists_the_restated_quarters_in_a_fixed_number_of_queries(
    hand_counted, manager_user, partner_a, partner_b
):
    earlier = publish(manager_user, "2018Q4")
    report = publish(manager_user)
    correct_first_job(partner_a)

    def sources_for(scope):
        return report_sources_for_user(manager_user, scope)

    scope = ReportScope(period=Period.quarter("2019Q2"))
    with CaptureQueriesContext(connection) as one_correction:
        restatements = restatements_for_report(scope, sources_for)
    assert [r.publication for r in restatements] == [report]  # 2018Q4's duos were not touched
    duo_cancel(duo=Duo.objects.get(partner=partner_b, end_date=day("2019-01-31")), correction_reason="Twice.")
    with CaptureQueriesContext(connection) as two_corrections:
        restatements = restatements_for_report(scope, sources_for)
    # The cancelled duo also ran in 2018Q4: that quarter is restated too.
    assert [r.publication for r in restatements] == [earlier, report]
    assert len(restatements[1].corrections) == 2
    assert len(two_corrections) <= 2 * len(one_correction)  # per restated quarter, not per correction
    # A report of an earlier period lists no later quarter.
    later = restatements_for_report(ReportScope(period=Period.quarter("2018Q4")), sources_for)
    assert [r.publication for r in later] == [earlier]


def test_the_admin_shows_publications_read_only_without_delete(client, hand_counted, manager_user, admin_user_):
    report = publish(manager_user)
    client.force_login(admin_user_)
    page = client.get(f"/admin/reporting/publishedreport/{report.pk}/change/")
    assert page.status_code == 200 and b"employment_rate" in page.content
    assert client.get(f"/admin/reporting/publishedreport/{report.pk}/delete/").status_code == 403
    listing = client.get("/admin/reporting/publishedreport/")
    assert b'value="delete_selected"' not in listing.content
    client.post(
        "/admin/reporting/publishedreport/",
        {"action": "delete_selected", "_selected_action": [report.pk], "post": "yes"},
    )
    assert PublishedReport.objects.filter(pk=report.pk).exists()
