"""List exports: the rows of a list as its user filtered them, as XLSX or as
CSV for Excel (``mentoring.spreadsheets``), with translated headers.

Each export view is its list view (same ``visible_to`` queryset, same
filters, same sort) whose rows are written to a file instead of a page: all
of them, read in chunks and streamed, in a constant number of queries. The
migration background is never in an export. Each export is written to the
access log (who exported which list, with which filters; never a searched
name).

The columns of a list export are those of the import sheet of the same
records (same headers, same values), plus what the list shows besides: an
exported file can be corrected and imported again, and the import reads the
extra columns as information (``imports.sheets``).
"""

from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import F, FilteredRelation, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from audit.models import AccessAction
from audit.services import access_log_record
from mentoring.spreadsheets import FORMATS, XLSX, spreadsheet_response
from programmes.permissions import coordinator_partner_id, is_actiris

from .models import ContractType, Duo, Meeting, OutcomeSource, OutcomeType
from .selectors import duos_with_cadence, duos_with_meeting_summary
from .views import DuoListView, MenteeListView, MentorListView

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class ExportColumn:
    """``key``: the import sheet's column key when the import has this column;
    ``value(row)``: what the cell holds (typed: dates, numbers, text)."""

    key: str
    label: object
    value: object
    width: int = 18
    actiris_only: bool = False  # the partner's name: a coordinator sees one partner


def _field(name):
    return lambda row: getattr(row, name)


def _display(name):
    return lambda row: getattr(row, f"get_{name}_display")() if getattr(row, name) else ""


def _choice_label(choices, attribute):
    labels = dict(choices)
    return lambda row: labels.get(getattr(row, attribute) or "", "")


def _partner():
    return ExportColumn("partner", _("Partner"), lambda row: row.partner.name, 24, actiris_only=True)


def _people_columns(reference_column):
    return [
        reference_column,
        ExportColumn("first_name", _("First name"), _field("first_name")),
        ExportColumn("last_name", _("Last name"), _field("last_name")),
        ExportColumn("birth_date", _("Birth date"), _field("birth_date"), 12),
        ExportColumn("gender", _("Gender"), _display("gender"), 14),
    ]


MENTOR_COLUMNS = [
    *_people_columns(ExportColumn("reference", _("Reference"), _field("reference"), 14)),
    ExportColumn("email", _("Email"), _field("email"), 28),
    ExportColumn("phone", _("Phone"), _field("phone"), 16),
    ExportColumn("employer", _("Employer"), _field("employer"), 24),
    ExportColumn("job_title", _("Job title"), _field("job_title"), 24),
    ExportColumn("spoken_languages", _("Languages spoken"), lambda row: row.get_spoken_languages_display(), 24),
    ExportColumn("sector", _("Sector"), _display("sector"), 24),
    ExportColumn("commune", _("Commune"), _display("commune"), 18),
    _partner(),
    ExportColumn("active_duos", _("Active duos"), _field("active_duos"), 10),
]

MENTEE_COLUMNS = [
    *_people_columns(ExportColumn("jobseeker_number", _("Job-seeker number"), _field("jobseeker_number"), 16)),
    ExportColumn("education_level", _("Education level"), _display("education_level"), 24),
    ExportColumn("registered_on", _("Registration date"), _field("registered_on"), 12),
    ExportColumn("spoken_languages", _("Languages spoken"), lambda row: row.get_spoken_languages_display(), 24),
    ExportColumn("languages", _("Other languages"), _field("languages"), 24),
    ExportColumn("sector", _("Sector"), _display("sector"), 24),
    ExportColumn("commune", _("Commune"), _display("commune"), 18),
    ExportColumn("email", _("Email"), _field("email"), 28),
    ExportColumn("phone", _("Phone"), _field("phone"), 16),
    _partner(),
    ExportColumn("active_duos", _("Active duos"), _field("active_duos"), 10),
]

DUO_COLUMNS = [
    ExportColumn("reference", _("Reference"), _field("reference"), 14),
    ExportColumn("programme", _("Programme"), lambda duo: duo.programme.name, 24),
    ExportColumn("mentor_reference", _("Mentor reference"), lambda duo: duo.mentor.reference, 14),
    ExportColumn("mentor", _("Mentor"), lambda duo: f"{duo.mentor.first_name} {duo.mentor.last_name}", 24),
    ExportColumn("mentee_jobseeker_number", _("Mentee's job-seeker number"), lambda duo: duo.mentee.jobseeker_number),
    ExportColumn("mentee", _("Mentee"), lambda duo: f"{duo.mentee.first_name} {duo.mentee.last_name}", 24),
    ExportColumn("start_date", _("Start date"), _field("start_date"), 12),
    ExportColumn("convention", _("Funding convention"), lambda duo: duo.convention.name if duo.convention else "", 24),
    ExportColumn("planned_end_date", _("Planned end date"), _field("planned_end_date"), 12),
    _partner(),
    ExportColumn("status", _("Status"), _display("status"), 12),
    ExportColumn("meetings_held", _("Meetings held"), _field("meetings_held"), 10),
    ExportColumn("last_meeting_date", _("Last meeting"), _field("last_meeting_date"), 12),
    ExportColumn("end_date", _("Closure date"), _field("end_date"), 12),
    ExportColumn("closure_reason", _("Closure reason"), _display("closure_reason"), 28),
    ExportColumn("outcome_type", _("Outcome"), _choice_label(OutcomeType.choices, "outcome_type"), 20),
    ExportColumn("contract_type", _("Contract type"), _choice_label(ContractType.choices, "contract_type"), 24),
    ExportColumn("contract_months", _("Contract length (months)"), _field("contract_months"), 10),
    ExportColumn("outcome_start_date", _("Job start date"), _field("outcome_start_date"), 12),
    ExportColumn("outcome_employer", _("Employer"), _field("outcome_employer"), 24),
    ExportColumn("outcome_source", _("Source"), _choice_label(OutcomeSource.choices, "outcome_source"), 20),
]

MEETING_COLUMNS = [
    ExportColumn("duo_reference", _("Duo reference"), lambda meeting: meeting.duo.reference, 14),
    ExportColumn("reference", _("Reference"), _field("reference"), 12),
    ExportColumn("date", _("Date"), _field("date"), 12),
    ExportColumn("duration_minutes", _("Duration (minutes)"), _field("duration_minutes"), 10),
    ExportColumn("place", _("Place"), _display("place"), 24),
    ExportColumn("status", _("Status"), _display("status"), 12),
    ExportColumn("note", _("Note"), _field("note"), 40),
]

# The columns of each list export, by the import sheet of the same records.
EXPORT_COLUMNS = {
    "mentors": MENTOR_COLUMNS,
    "mentees": MENTEE_COLUMNS,
    "duos": DUO_COLUMNS,
    "meetings": MEETING_COLUMNS,
}


def export_format(request):
    """``XLSX`` or ``CSV_EXCEL`` from ``?format=``; another value is a 404."""
    value = request.GET.get("format", XLSX)
    if value not in FORMATS:
        raise Http404
    return value


def _filters_used(request):
    """The list's filters, for the access log: names and values, except the
    free-text search (it may be a person's name)."""
    used = []
    for key in sorted(request.GET):
        value = request.GET.get(key)
        if key in ("format", "page") or not value:
            continue
        used.append(key if key == "q" else f"{key}={value}")
    return ",".join(used)


class ListExportMixin:
    """Turns a ``FilterView`` list into a download of all its filtered rows."""

    export_columns = ()
    export_title = ""
    export_name = ""
    object_type = ""

    def export_queryset(self):
        return self.get_queryset()

    def get(self, request, *args, **kwargs):
        file_format = export_format(request)
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_bound or filterset.is_valid() or not self.get_strict():
            queryset = filterset.qs
        else:
            queryset = filterset.queryset.none()
        return self.export_response(request, queryset, file_format)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["queryset"] = self.export_queryset()
        return kwargs

    def columns(self):
        actiris = is_actiris(self.request.user)
        return [column for column in self.export_columns if actiris or not column.actiris_only]

    def export_response(self, request, queryset, file_format, *, object_id="", partner_id=None):
        columns = self.columns()
        rows = ([column.value(row) for column in columns] for row in queryset.iterator(chunk_size=CHUNK_SIZE))
        access_log_record(
            request=request,
            action=AccessAction.LIST_EXPORT,
            object_type=self.object_type,
            object_id=object_id,
            partner_id=partner_id if partner_id is not None else coordinator_partner_id(request.user),
            detail=f"{file_format} {_filters_used(request)}".strip(),
        )
        return spreadsheet_response(
            file_format=file_format,
            filename=f"{self.export_name}-{timezone.localdate().isoformat()}",
            title=str(self.export_title),
            headers=[str(column.label) for column in columns],
            rows=rows,
            widths=[column.width for column in columns],
        )


class MentorExportView(ListExportMixin, MentorListView):
    export_columns = MENTOR_COLUMNS
    export_title = _("Mentors")
    export_name = "mentors"
    object_type = "duos.mentor"


class MenteeExportView(ListExportMixin, MenteeListView):
    """Never the migration background (it is not even read)."""

    export_columns = MENTEE_COLUMNS
    export_title = _("Mentees")
    export_name = "mentees"
    object_type = "duos.mentee"

    def export_queryset(self):
        return super().export_queryset().defer(None)  # the list defers contact fields; the export has them


class DuoExportView(ListExportMixin, DuoListView):
    export_columns = DUO_COLUMNS
    export_title = _("Duos")
    export_name = "duos"
    object_type = "duos.duo"

    def export_queryset(self):
        """The list's duos with the columns of the export: people, programme
        and convention joined once each, the meeting summary and cadence as
        the list computes them, the primary outcome joined (at most one per
        duo, so no row is repeated)."""
        queryset = (
            Duo.objects.visible_to(self.request.user)
            .select_related("partner", "programme", "mentor", "mentee", "convention")
            .annotate(primary_outcome=FilteredRelation("outcomes", condition=Q(outcomes__is_primary=True)))
            .annotate(
                outcome_type=F("primary_outcome__type"),
                contract_type=F("primary_outcome__contract_type"),
                contract_months=F("primary_outcome__contract_months"),
                outcome_start_date=F("primary_outcome__start_date"),
                outcome_employer=F("primary_outcome__employer"),
                outcome_source=F("primary_outcome__source"),
            )
        )
        return duos_with_meeting_summary(duos_with_cadence(queryset))


class MeetingExportView(ListExportMixin, LoginRequiredMixin, View):
    """The meetings of one duo (the duo page's list), newest first."""

    export_columns = MEETING_COLUMNS
    export_title = _("Meetings")
    export_name = "meetings"
    object_type = "duos.duo"

    def get(self, request, *args, **kwargs):
        file_format = export_format(request)
        duo = get_object_or_404(Duo.objects.visible_to(request.user), pk=kwargs["pk"])
        meetings = (
            Meeting.objects.visible_to(request.user).filter(duo=duo).select_related("duo").order_by("-date", "-pk")
        )
        self.export_name = f"meetings-{duo.reference or duo.pk}"
        return self.export_response(request, meetings, file_format, object_id=str(duo.pk), partner_id=duo.partner_id)
