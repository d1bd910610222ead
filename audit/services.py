"""Writes of the audit app: one function every feature calls to log a read."""

from __future__ import annotations

from django.db.models import Model
from django.http import HttpRequest

from accounts.client_ip import client_ip_address
from programmes.permissions import role_of

from .models import AccessLogEntry


def access_log_record(
    *,
    request: HttpRequest,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    partner_id: int | None = None,
    detail: str = "",
    path: str | None = None,
) -> AccessLogEntry:
    """Append who (``request.user``), when (now), from where (the client address
    through the trusted proxies, ``accounts.client_ip``) and which page did
    ``action`` (an ``audit.models.AccessAction``) on ``obj``.

    ``obj``: a model instance; its type (``app_label.model``), id and, when it
    has one, partner id are recorded. Without ``obj`` (a list export, a report)
    pass ``object_type``/``object_id``/``partner_id`` as they apply, and
    ``detail`` (up to 200 characters, e.g. "xlsx 2019Q1" or the list's filters)
    — never a person's name: the log must stay free of personal data. ``path``
    replaces the request's full path (e.g. without a query string that holds
    a search for a name).

    One INSERT. Returns the ``AccessLogEntry``.
    """
    user = request.user if request.user.is_authenticated else None
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
        if partner_id is None:
            partner_id = getattr(obj, "partner_id", None)
    return AccessLogEntry.objects.create(
        user=user,
        username=user.get_username() if user else "",
        role=(role_of(user) or ("admin" if user.is_superuser else "")) if user else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        partner_id=partner_id,
        detail=detail[:200],
        ip_address=client_ip_address(request),
        path=(request.get_full_path() if path is None else path)[:500],
    )
