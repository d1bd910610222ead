"""List exports: the filtered rows the user may see, as XLSX and CSV for
Excel, translated, formula-safe, streamed, logged, in a constant number of
queries; never the migration background."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AccessAction, AccessLogEntry
from programmes.tests.world import use_fast_password_hasher
from tests.factories import (
    DuoFactory,
    MeetingFactory,
    MenteeFactory,
    MentorFactory,
    MigrationBackgroundFactory,
    OutcomeFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    use_fast_password_hasher(settings)


def xlsx_rows(response):
    content = b"".join(response.streaming_content)
    worksheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in worksheet.iter_rows(values_only=True)]


def csv_rows(response):
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with its byte-order mark: Excel reads the accents
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def duos(partner_a, partner_b):
    programme = ProgrammeFactory(partner=partner_a, name="Job Duo")
    active = DuoFactory(programme=programme, reference="D-1", start_date=datetime.date(2019, 1, 7))
    MigrationBackgroundFactory(mentee=active.mentee)
    MeetingFactory(duo=active, date=datetime.date(2019, 1, 14))
    closed = DuoFactory(programme=programme, closed=True, reference="D-2", start_date=datetime.date(2018, 9, 3))
    OutcomeFactory(duo=closed, type="job", contract_type="cdd", contract_months=6, employer="Example SA")
    foreign = DuoFactory(programme=ProgrammeFactory(partner=partner_b), reference="B-1")
    return {"active": active, "closed": closed, "foreign": foreign}


def test_duo_export_xlsx_has_the_users_rows_in_their_language(client, coordinator_a, duos):
    client.force_login(coordinator_a)
    client.cookies["django_language"] = "fr"

    response = client.get(reverse("duos:duo_export"), {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="duos-')
    rows = xlsx_rows(response)
    header = rows[0]
    assert header[:3] == ["Référence", "Programme", "Référence du mentor"]
    assert "Partenaire" not in header  # a coordinator sees one partner
    references = [row[0] for row in rows[1:]]
    assert references == ["D-1", "D-2"]  # newest first, as the list; never partner B's
    closed = dict(zip(header, rows[2], strict=True))
    assert closed["Statut"] == "Clôturé"
    assert closed["Résultat"] == "Emploi salarié" and closed["Durée du contrat (mois)"] == 6
    assert closed["Date de début"] == datetime.datetime(2018, 9, 3)


def test_duo_export_follows_the_lists_filters(client, coordinator_a, duos):
    client.force_login(coordinator_a)

    response = client.get(reverse("duos:duo_export"), {"format": "csv", "status": "closed"})

    rows = csv_rows(response)
    assert [row[0] for row in rows[1:]] == ["D-2"]


def test_csv_for_excel(client, coordinator_a, duos):
    client.force_login(coordinator_a)

    response = client.get(reverse("duos:duo_export"), {"format": "csv"})

    assert response.streaming  # written as it is read
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    header = rows[0]
    active = dict(zip(header, rows[1], strict=True))
    assert active["Start date"] == "07/01/2019"  # day first
    assert active["Meetings held"] == "1"


def test_staff_export_every_partner_with_the_partner_column(client, staff_user, duos):
    client.force_login(staff_user)

    rows = csv_rows(client.get(reverse("duos:duo_export"), {"format": "csv"}))

    assert "Partner" in rows[0]
    assert sorted(row[0] for row in rows[1:]) == ["B-1", "D-1", "D-2"]


def test_mentee_export_never_has_the_migration_background(client, coordinator_a, duos):
    client.force_login(coordinator_a)

    for file_format in ("xlsx", "csv"):
        response = client.get(reverse("duos:mentee_export"), {"format": file_format})
        rows = xlsx_rows(response) if file_format == "xlsx" else csv_rows(response)
        text = repr(rows).lower()
        assert "migration" not in text and "origine" not in text
        assert len(rows) == 3  # the header and partner A's two mentees
        assert duos["active"].mentee.jobseeker_number in [row[0] for row in rows]


def test_no_cell_starts_a_formula(client, coordinator_a, partner_a):
    MentorFactory(partner=partner_a, reference="M-1", first_name='=HYPERLINK("http://example.org","x")')
    MentorFactory(partner=partner_a, reference="M-2", first_name="+32 2 505 14 11", last_name="@home")
    MentorFactory(partner=partner_a, reference="M-3", first_name="-5", last_name="\tTabbed")
    client.force_login(coordinator_a)

    rows = csv_rows(client.get(reverse("duos:mentor_export"), {"format": "csv"}))
    names = {row[0]: (row[1], row[2]) for row in rows[1:]}
    assert names["M-1"][0] == '\'=HYPERLINK("http://example.org","x")'
    assert names["M-2"] == ("'+32 2 505 14 11", "'@home")
    assert names["M-3"] == ("'-5", "'\tTabbed")

    response = client.get(reverse("duos:mentor_export"), {"format": "xlsx"})
    worksheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = {row[0].value: row[1] for row in worksheet.iter_rows(min_row=2)}
    cell = cells["M-1"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://example.org","x")'  # text, never a formula
    assert cell.quotePrefix


def test_each_export_is_in_the_access_log(client, coordinator_a, duos):
    client.force_login(coordinator_a)

    client.get(reverse("duos:duo_export"), {"format": "xlsx", "status": "closed", "q": "Martin"})

    entry = AccessLogEntry.objects.get(action=AccessAction.LIST_EXPORT)
    assert entry.object_type == "duos.duo" and entry.username == "coord-a"
    assert entry.partner_id == coordinator_a.membership.partner_id
    assert entry.detail == "xlsx q,status=closed"  # never the searched name


def test_meetings_of_a_duo(client, coordinator_a, coordinator_b, duos):
    client.force_login(coordinator_a)
    url = reverse("duos:meeting_export", args=[duos["active"].pk])

    rows = csv_rows(client.get(url, {"format": "csv"}))

    assert rows[0][:4] == ["Duo reference", "Reference", "Date", "Duration (minutes)"]
    assert rows[1][0] == "D-1" and rows[1][2] == "14/01/2019"
    client.force_login(coordinator_b)
    assert client.get(url).status_code == 404


def test_an_unknown_format_is_404(client, coordinator_a):
    client.force_login(coordinator_a)
    assert client.get(reverse("duos:duo_export"), {"format": "pdf"}).status_code == 404


@pytest.mark.parametrize("url_name", ["duos:duo_export", "duos:mentee_export", "duos:mentor_export"])
def test_query_count_does_not_grow_with_rows(client, coordinator_a, partner_a, url_name):
    programme = ProgrammeFactory(partner=partner_a)
    client.force_login(coordinator_a)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(url_name), {"format": "csv"})
            b"".join(response.streaming_content)
        return len(captured)

    for _ in range(3):
        DuoFactory(programme=programme, closed=True)
    few = queries()
    for _ in range(30):
        duo = DuoFactory(programme=programme, closed=True)
        OutcomeFactory(duo=duo)
        MeetingFactory(duo=duo)
        MenteeFactory(partner=partner_a)
    assert queries() == few
