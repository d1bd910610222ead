"""Reads of the privacy app: a person as their partner's coordinator may see
them, and everything recorded about them (GDPR art. 15, right of access)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext as _

from audit.history import _tracked_fields
from duos.models import Duo, MigrationBackground
from mentoring.types import AnyUser

from .models import Erasure, PersonKind
from .services import PERSON_MODELS

if TYPE_CHECKING:
    from duos.models import Mentee, Mentor

# Rows that belong to a duo and go into the export with it; a model named here
# that is not installed (yet) is skipped.
DUO_PARTS = ["duos.Meeting", "duos.Outcome", "followups.FollowUp"]


def get_person_for_user(user: AnyUser, kind: str, pk: int) -> Mentee | Mentor:
    """The mentee or mentor ``pk`` if ``user`` may see it, else 404."""
    model = PERSON_MODELS.get(kind)
    if model is None:
        raise Http404
    person = model.objects.visible_to(user).select_related("partner").filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def is_erased(person: Mentee | Mentor, kind: str) -> bool:
    return Erasure.objects.filter(person_kind=kind, person_id=person.pk).exists()


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    return value


def _record(instance: Model, skip: Iterable[str] = ()) -> dict[str, Any]:
    """``{"id", "fields": [{"name", "label", "value", "display"}]}`` of the
    instance's fields (but those named in ``skip``)."""
    rows = []
    for model_field in _tracked_fields(type(instance)):
        if model_field.name in skip:
            continue
        raw = getattr(instance, model_field.attname)
        display = raw
        if model_field.choices:
            display = dict(model_field.flatchoices).get(raw, raw)
        elif isinstance(raw, bool):
            display = _("yes") if raw else _("no")
        elif model_field.is_relation:
            display = str(getattr(instance, model_field.name)) if raw is not None else None
        rows.append(
            {
                "name": model_field.name,
                "label": str(model_field.verbose_name),
                "value": _json_value(raw),
                "display": display,
            }
        )
    return {"id": instance.pk, "fields": rows}


def _history(model: Any, **filters: object) -> list[dict[str, Any]]:
    fields = _tracked_fields(model)
    return [
        {
            "record": str(model._meta.verbose_name),
            "id": row.id,
            "at": row.history_date.isoformat(),
            "type": row.get_history_type_display(),
            "by": row.history_user.get_username() if row.history_user else "",
            "reason": row.history_change_reason or "",
            "values": {f.name: _json_value(getattr(row, f.attname)) for f in fields},
        }
        for row in model.history.filter(**filters).select_related("history_user").order_by("history_date")
    ]


def person_data_export(person: Mentee | Mentor) -> dict[str, Any]:
    """Everything recorded about ``person`` (a mentee or a mentor): their record,
    the migration background (mentees), every duo with its meetings, outcomes
    and follow-ups, and the history of all of these. A dict ready for JSON
    (values) and for the printable page (labels, displays)."""
    kind = PersonKind.MENTEE if PERSON_MODELS[PersonKind.MENTEE] is type(person) else PersonKind.MENTOR
    parts = [apps.get_model(label) for label in DUO_PARTS if _installed(label)]
    duos = list(
        Duo.objects.filter(**{kind: person})
        .select_related("programme", "mentor", "mentee", "convention", "partner")
        .order_by("start_date", "pk")
    )
    duo_ids = [duo.pk for duo in duos]
    part_rows = {model: list(model._default_manager.filter(duo_id__in=duo_ids).order_by("pk")) for model in parts}
    export: dict[str, Any] = {
        "kind": kind,
        "partner": str(person.partner),
        "person": _record(person),
        "duos": [
            {
                **_record(duo),
                "parts": [
                    {
                        "name": str(model._meta.verbose_name_plural),
                        "rows": [_record(row, skip=("duo",)) for row in part_rows[model] if row.duo_id == duo.pk],
                    }
                    for model in parts
                ],
            }
            for duo in duos
        ],
        "history": _history(type(person), id=person.pk) + _history(Duo, id__in=duo_ids),
    }
    for model in parts:
        export["history"] += _history(model, duo_id__in=duo_ids)
    if kind == PersonKind.MENTEE:
        background = MigrationBackground.objects.filter(mentee_id=person.pk).first()
        export["migration_background"] = None if background is None else background.has_migration_background
    export["history"].sort(key=lambda row: row["at"])
    return export


def export_as_json(export: dict[str, Any]) -> dict[str, Any]:
    """The export with values only (no labels), as machines read it."""

    def flat(record: dict[str, Any]) -> dict[str, Any]:
        return {"id": record["id"], **{row["name"]: row["value"] for row in record["fields"]}}

    data = {
        "kind": export["kind"],
        "partner": export["partner"],
        "person": flat(export["person"]),
        "duos": [
            {**flat(duo), **{part["name"]: [flat(row) for row in part["rows"]] for part in duo["parts"]}}
            for duo in export["duos"]
        ],
        "history": export["history"],
    }
    if "migration_background" in export:
        data["migration_background"] = export["migration_background"]
    return data


def _installed(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True
