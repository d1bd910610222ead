"""The client's network address, as seen through the reverse proxies we run.

Each proxy appends the address it received the request from to
``X-Forwarded-For``; so with ``TRUSTED_PROXY_COUNT`` proxies in front of the
app, the client is the entry that many places from the right. Entries further
left were written by the client itself and can be forged, so they are never
read. With ``TRUSTED_PROXY_COUNT = 0`` the header is ignored and the address is
the connection's (``REMOTE_ADDR``).

django-axes (login throttling) and the access log both read it, so a lockout
and a log entry name the same client.
"""

from django.conf import settings


def client_ip_address(request):
    """The client's IP address as a string, or ``None`` when the request has none.

    Falls back to ``REMOTE_ADDR`` when the header is missing or shorter than the
    configured chain (a request that did not come through every proxy).
    """
    trusted = settings.TRUSTED_PROXY_COUNT
    remote_addr = request.META.get("REMOTE_ADDR") or None
    if trusted <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < trusted:
        return remote_addr
    return forwarded[-trusted]
