"""Mentors (matched by the partner's reference) and mentees (matched by the
Actiris job-seeker number), written by ``duos.services.mentor_save`` and
``mentee_save`` like the forms do."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from duos import services
from duos.models import Mentee, Mentor, MigrationBackground

from ..sheets import MENTEE_SHEET, MENTEES, MENTOR_SHEET, MENTORS
from .base import Failed, blank, in_chunks

MENTOR_FIELDS = ("first_name", "last_name", "birth_date", "gender", "email", "phone", "employer", "job_title")
MENTEE_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "gender",
    "education_level",
    "languages",
    "email",
    "phone",
)
# Service (model) field → column key; the same names but for the key columns.
MENTOR_COLUMNS = {name: name for name in (*MENTOR_FIELDS, "reference")}
MENTEE_COLUMNS = {name: name for name in (*MENTEE_FIELDS, "jobseeker_number")}
MENTEE_COLUMNS["migration_background"] = "migration_background"


def _values(run, kind, fields, row):
    """The row's values of ``fields`` whose column is in the file (an absent
    column leaves the recorded value as it is)."""
    values = {}
    for name in fields:
        if run.has(kind, name):
            value = row.values.get(name)
            values[name] = value if name == "birth_date" else blank(value)
    return values


def _duplicate(run, row, key, first):
    run.report.error(
        row,
        key,
        _("Row %(row)s of this sheet already has this value; a record is given once.") % {"row": first.number},
    )


def import_mentors(run):
    """Create or update the mentors of the file; fills ``run.mentors``
    (reference → ``Mentor`` or ``Failed``)."""
    rows = run.parsed.rows(MENTORS)
    existing = {
        mentor.reference: mentor
        for mentor in in_chunks(
            Mentor.objects.filter(partner=run.partner), "reference", (row.values.get("reference") for row in rows)
        )
    }
    seen, new = {}, []
    for row in rows:
        run.tick()
        reference = row.values.get("reference")
        if reference and reference in seen:
            _duplicate(run, row, "reference", seen[reference])
            continue
        if reference:
            seen[reference] = row
        if row.errors:
            run.report.cell_errors(row)
            run.mentors[reference] = Failed(row)
            continue
        values = _values(run, MENTORS, MENTOR_FIELDS, row)
        mentor = existing.get(reference)
        label = f"{row.values.get('first_name')} {row.values.get('last_name')} ({reference})"
        if mentor is None:
            new.append((row, Mentor(partner=run.partner, reference=reference, **values), label))
            continue
        else:
            changes = run.changes(MENTOR_SHEET, mentor, values)
            if not changes:
                run.report.unchanged(row)
            else:
                before = {name: getattr(mentor, name) for name in values}
                for name, value in values.items():
                    setattr(mentor, name, value)
                saved = run.apply(row, MENTOR_COLUMNS, lambda mentor=mentor: services.mentor_save(mentor=mentor))
                if saved is None:
                    for name, value in before.items():
                        setattr(mentor, name, value)
                    run.mentors[reference] = Failed(row)
                    continue
                run.report.updated(row, label, changes)
        run.mentors[reference] = mentor
    _create(run, new, MENTOR_COLUMNS, run.mentors, "reference")


def import_mentees(run):
    """Create or update the mentees of the file, and their migration
    background when the column says yes or no (empty keeps what is
    recorded); fills ``run.mentees`` (number → ``Mentee`` or ``Failed``)."""
    rows = run.parsed.rows(MENTEES)
    existing = {
        mentee.jobseeker_number: mentee
        for mentee in in_chunks(
            Mentee.objects.filter(partner=run.partner),
            "jobseeker_number",
            (row.values.get("jobseeker_number") for row in rows),
        )
    }
    backgrounds = {}
    if run.has(MENTEES, "migration_background") and existing:
        backgrounds = dict(
            in_chunks(
                MigrationBackground.objects.values_list("mentee_id", "has_migration_background"),
                "mentee_id",
                (mentee.pk for mentee in existing.values()),
            )
        )
    seen, new, new_backgrounds = {}, [], []
    for row in rows:
        run.tick()
        number = row.values.get("jobseeker_number")
        if number and number in seen:
            _duplicate(run, row, "jobseeker_number", seen[number])
            continue
        if number:
            seen[number] = row
        if row.errors:
            run.report.cell_errors(row)
            run.mentees[number] = Failed(row)
            continue
        values = _values(run, MENTEES, MENTEE_FIELDS, row)
        mentee = existing.get(number)
        label = f"{row.values.get('first_name')} {row.values.get('last_name')} ({number})"
        given_background = row.values.get("migration_background")
        recorded_background = backgrounds.get(mentee.pk) if mentee is not None else None
        background = recorded_background if given_background is None else given_background
        if mentee is None:
            new.append((row, Mentee(partner=run.partner, jobseeker_number=number, **values), label))
            new_backgrounds.append(background)
            continue
        else:
            changes = run.changes(MENTEE_SHEET, mentee, values)
            if background != recorded_background:
                # Special-category data: the preview says it changes, never what it was or becomes.
                changes.append((MENTEE_SHEET.column("migration_background").label, "…", "…"))
            if not changes:
                run.report.unchanged(row)
            else:
                before = {name: getattr(mentee, name) for name in values}
                for name, value in values.items():
                    setattr(mentee, name, value)
                saved = run.apply(
                    row,
                    MENTEE_COLUMNS,
                    lambda mentee=mentee, background=background: services.mentee_save(
                        mentee=mentee, has_migration_background=background
                    ),
                )
                if saved is None:
                    for name, value in before.items():
                        setattr(mentee, name, value)
                    run.mentees[number] = Failed(row)
                    continue
                run.report.updated(row, label, changes)
        run.mentees[number] = mentee
    _create(run, new, MENTEE_COLUMNS, run.mentees, "jobseeker_number", backgrounds=new_backgrounds)


def _create(run, new, columns, found, key, *, backgrounds=None):
    """Create the ``new`` people (``[(row, unsaved person, label)]``) at once
    (``services.people_create_many``); fills ``found`` (key → person or
    ``Failed``)."""
    people = [person for _row, person, _label in new]
    results = services.people_create_many(people=people, backgrounds=backgrounds)
    for (row, person, label), result in zip(new, results, strict=True):
        if isinstance(result, ValidationError):
            run.report.validation_error(row, result, columns)
            found[getattr(person, key)] = Failed(row)
        else:
            run.report.created(row, label)
            found[getattr(person, key)] = person
