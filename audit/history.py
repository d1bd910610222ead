"""The History tab: django-simple-history's rows of a record (and of the
records that belong to it, e.g. a duo's meetings and outcomes) turned into
changes field by field, in the reader's language, with the reason given for a
correction (``history_change_reason``, set by services as ``instance._change_reason``).

``HISTORY_KINDS`` lists what has a History tab; a new kind is one entry.
"""

from dataclasses import dataclass, field
from itertools import groupby

from django.db import models
from django.utils.translation import gettext_lazy as _

from duos.models import Duo, Meeting, Mentee, Mentor, Outcome
from followups.models import FollowUp
from programmes.models import ConventionShare, FundingConvention

# Bookkeeping columns that change on every save and tell the reader nothing.
SKIPPED_FIELDS = {"id", "created_at", "updated_at", "recorded_at"}


@dataclass(frozen=True)
class HistoryKind:
    slug: str
    model: type
    title: str
    # (model, field naming this record's id): records whose changes show here too.
    parts: tuple = ()
    # What the record's name (``str``) reads, fetched with it.
    select_related: tuple = ()


HISTORY_KINDS = {
    kind.slug: kind
    for kind in (
        HistoryKind(
            "duo",
            Duo,
            _("duo"),
            parts=((Meeting, "duo_id"), (Outcome, "duo_id"), (FollowUp, "duo_id")),
            select_related=("mentor", "mentee"),
        ),
        HistoryKind("mentee", Mentee, _("mentee")),
        HistoryKind("mentor", Mentor, _("mentor")),
        HistoryKind("meeting", Meeting, _("meeting"), select_related=("duo__mentor", "duo__mentee")),
        HistoryKind("outcome", Outcome, _("outcome"), select_related=("duo__mentor", "duo__mentee")),
        HistoryKind(
            "convention", FundingConvention, _("funding convention"), parts=((ConventionShare, "convention_id"),)
        ),
    )
}

# Related records whose name reads other rows: fetched together.
NAME_RELATED = {Duo: ("mentor", "mentee")}

CHANGE_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass
class FieldChange:
    label: str
    old: object
    new: object


@dataclass
class Change:
    at: object
    username: str
    type: str
    type_label: str
    record_label: str  # "Meeting", "Outcome"... or the record itself
    record_id: int
    reason: str
    fields: list = field(default_factory=list)
    # The record's first history row is a change: it was written in bulk (demo
    # data, an import) without a "created" row, so earlier values are unknown.
    baseline: bool = False


def _tracked_fields(model):
    # Fields left out of the history table (``excluded_fields``) are not there.
    history_fields = {f.name for f in model.history.model._meta.fields}
    tracked = []
    for model_field in model._meta.concrete_fields:
        if model_field.name in SKIPPED_FIELDS or model_field.name not in history_fields:
            continue
        tracked.append(model_field)
    return tracked


def _raw(row, model_field):
    return getattr(row, model_field.attname)


def _rows(model, **filters):
    return list(model.history.filter(**filters).select_related("history_user").order_by("id", "history_id"))


def record_history(kind, record):
    """Every change of ``record`` and of its parts (``kind.parts``), newest
    first, as ``Change`` objects with their ``FieldChange``s. One query per
    model, plus one per kind of related record named in a changed field."""
    sources = [(kind.model, _rows(kind.model, id=record.pk))]
    for part_model, id_field in kind.parts:
        sources.append((part_model, _rows(part_model, **{id_field: record.pk})))

    changes, foreign = [], {}
    for model, rows in sources:
        fields = _tracked_fields(model)
        for _object_id, object_rows in groupby(rows, key=lambda row: row.id):
            previous = None
            for row in object_rows:
                changed = []
                for model_field in fields:
                    new = _raw(row, model_field) if row.history_type != "-" else None
                    old = _raw(previous, model_field) if previous is not None else None
                    if row.history_type == "-" or (previous is None and new in (None, "")):
                        continue
                    if previous is not None and old == new:
                        continue
                    changed.append((model_field, old, new))
                    if isinstance(model_field, models.ForeignKey):
                        foreign.setdefault(model_field.related_model, set()).update(v for v in (old, new) if v)
                changes.append((model, row, changed, previous is None and row.history_type == "~"))
                previous = row

    names = {
        related: {
            pk: str(obj)
            for pk, obj in related._default_manager.select_related(*NAME_RELATED.get(related, ()))
            .in_bulk(list(ids))
            .items()
        }
        for related, ids in foreign.items()
    }
    result = []
    for model, row, changed, baseline in changes:
        result.append(
            Change(
                at=row.history_date,
                username=row.history_user.get_username() if row.history_user else "",
                type=row.history_type,
                type_label=CHANGE_TYPES.get(row.history_type, row.history_type),
                record_label=str(model._meta.verbose_name).capitalize() if model is not kind.model else "",
                record_id=row.id,
                reason=row.history_change_reason or "",
                baseline=baseline,
                fields=[
                    FieldChange(
                        label=str(model_field.verbose_name).capitalize(),
                        old=_display(model_field, old, names),
                        new=_display(model_field, new, names),
                    )
                    for model_field, old, new in changed
                ],
            )
        )
    result.sort(key=lambda change: change.at, reverse=True)
    return result


def _display(model_field, value, names):
    """The value as the reader knows it: a choice's label, yes/no, a related
    record's name; ``None`` and "" stay empty."""
    if value is None or value == "":
        return None
    if isinstance(model_field, models.ForeignKey):
        return names.get(model_field.related_model, {}).get(value, f"#{value}")
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(model_field, models.BooleanField):
        return _("Yes") if value else _("No")
    return value
