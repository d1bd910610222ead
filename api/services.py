"""Writes of the API app: personal tokens made and revoked by their owner,
and the partner's own reference of a record written through the API."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.types import AnyUser
from programmes.permissions import has_role

from .models import ApiToken

# How long a new token lasts, in days, as offered on the profile page; None: no expiry.
TOKEN_LIFETIMES_DAYS = (30, 90, 365, None)
DEFAULT_TOKEN_LIFETIME_DAYS = 90
# The most tokens one person keeps at once (one per system that uses the API is the idea).
MAX_TOKENS_PER_USER = 20


def can_use_api(user: AnyUser) -> bool:
    """Whether ``user`` may make API tokens: anyone who may see partner records
    (coordinators, Actiris staff and managers, administrators). The
    data-protection officer sees no partner record, so has no use for one."""
    return has_role(user)


def api_token_create(
    *, user: User, name: str, lifetime_days: int | None = DEFAULT_TOKEN_LIFETIME_DAYS
) -> tuple[ApiToken, str]:
    """Make a personal token for ``user`` named ``name``, valid for
    ``lifetime_days`` days (one of ``TOKEN_LIFETIMES_DAYS``; ``None``: no
    expiry). Returns ``(ApiToken, token)``: the token string is returned here
    only and never stored (knox keeps its SHA-512 digest).

    Raises ``PermissionDenied`` for a user without a role, ``ValidationError``
    keyed ``name`` / ``lifetime_days`` for an empty or repeated name, an
    unknown lifetime or more than ``MAX_TOKENS_PER_USER`` tokens."""
    if not can_use_api(user):
        raise PermissionDenied
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("Give the token a name, e.g. the software that will use it.")]
    elif len(name) > ApiToken._meta.get_field("name").max_length:
        errors["name"] = [_("A token's name has at most 100 characters.")]
    if lifetime_days not in TOKEN_LIFETIMES_DAYS:
        errors["lifetime_days"] = [_("Choose how long the token lasts.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the owner so that two requests cannot both pass the checks below.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        tokens = ApiToken.objects.filter(user=user)
        if tokens.filter(name__iexact=name).exists():
            raise ValidationError({"name": [_("You already have a token with this name.")]})
        if tokens.count() >= MAX_TOKENS_PER_USER:
            raise ValidationError(
                {
                    "name": [
                        _("You have %(count)d tokens, the most allowed: revoke one first.")
                        % {"count": MAX_TOKENS_PER_USER}
                    ]
                }
            )
        expiry = timedelta(days=lifetime_days) if lifetime_days is not None else None
        return ApiToken.objects.create(user, expiry=expiry, name=name)


def api_token_revoke(*, user: User, digest: str) -> str:
    """Revoke (delete) ``user``'s token with this digest; the next request
    made with it is refused. Another user's token, or one already revoked, is
    ``ApiToken.DoesNotExist`` (the view answers 404). Returns the revoked
    token's name."""
    token = ApiToken.objects.get(user=user, digest=digest)
    name = token.name
    token.delete()
    return name


def api_token_touch(
    token: ApiToken, *, now: datetime | None = None, resolution: timedelta = timedelta(minutes=5)
) -> None:
    """Record that ``token`` was just used; written at most every
    ``resolution`` so that a busy integration does not write on every call."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= resolution:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def _reference_constraint(model: Any) -> Any:
    return next(c for c in model._meta.constraints if "reference" in getattr(c, "fields", ()))


def record_reference_set(*, record: Any, reference: str) -> Any:
    """Give ``record`` (a mentor, duo or meeting its own service just wrote)
    the partner's own reference for it: how the partner's system names the
    record when it sends it again (``duos.models.REFERENCE_MAX_LENGTH``
    characters; empty for none). The services take no reference, as it
    carries no rule but one: unique per partner (per duo for a meeting),
    checked here and by the database. Call inside the transaction of the
    service's write, so that a clash leaves nothing written. Raises
    ``ValidationError`` keyed ``reference``."""
    reference = (reference or "").strip()
    if reference == record.reference:
        return record
    model = type(record)
    constraint = _reference_constraint(model)
    scope = {field: getattr(record, f"{field}_id") for field in constraint.fields if field != "reference"}
    clash = {"reference": [constraint.get_violation_error_message()]}
    if reference and model.objects.filter(reference=reference, **scope).exclude(pk=record.pk).exists():
        raise ValidationError(clash)
    try:
        with transaction.atomic():
            model.objects.filter(pk=record.pk).update(reference=reference)
    except IntegrityError as exc:  # the same reference given at the same moment
        raise ValidationError(clash) from exc
    record.reference = reference
    return record
