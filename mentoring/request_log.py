"""One log record per request, on the ``mentoring.requests`` logger.

The record's message reads ``GET /duos/ 200 12.3 ms``; its fields, which the
JSON format (``mentoring.log_config``) writes as keys, are:

- ``method``, ``status`` (the HTTP status code, an int);
- ``path``: the path without the query string (filters and searches may hold
  names); for URLs that carry a secret (a password-reset link) the URL
  pattern instead, e.g. ``/accounts/reset/<uidb64>/<token>/``;
- ``view``: the URL name, e.g. ``duos:duo_detail`` (None for a 404);
- ``duration_ms``: time spent building the response, in milliseconds (a
  streamed download's transfer is not included);
- ``user_id``: the primary key of the logged-in user, or None;
- ``request_id``: the ``X-Request-ID`` header a proxy sent (if it looks like an
  id), else a new random one; sent back in the response's ``X-Request-ID``
  header, and attached to every record logged while the request is served.

A successful ``/healthz`` probe is logged at DEBUG, so that a load balancer's
probes every few seconds do not drown the requests people make.
"""

import logging
import re
import time
import uuid

from .log_config import current_request_id

logger = logging.getLogger("mentoring.requests")

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# URL keyword arguments that are secrets: the path is logged as its pattern.
SECRET_URL_KWARGS = frozenset({"uidb64", "token"})
QUIET_VIEWS = frozenset({"healthz"})


def _request_id(request):
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if _VALID_REQUEST_ID.match(given) else uuid.uuid4().hex


def _logged_path(request):
    match = request.resolver_match
    if match is not None and SECRET_URL_KWARGS & match.kwargs.keys():
        return "/" + match.route
    return request.path


def _user_id(request):
    # Only a user the request already loaded: reading ``request.user`` here
    # would query the session and the user for requests that never needed
    # them (``/healthz`` must answer without the database).
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    """Logs one record per request (see the module docstring for its fields).

    First in ``MIDDLEWARE``, so that the duration covers the other middleware
    and every response is logged, redirects and static files included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _request_id(request)
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response[REQUEST_ID_HEADER] = request_id
            match = request.resolver_match
            view = match.view_name if match is not None else None
            quiet = view in QUIET_VIEWS and response.status_code < 400
            path = _logged_path(request)
            logger.log(
                logging.DEBUG if quiet else logging.INFO,
                "%s %s %s %s ms",
                request.method,
                path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": path,
                    "view": view,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            current_request_id.reset(token)
