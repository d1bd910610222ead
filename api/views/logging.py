"""Reads of personal data through the API, written to the access log
(``audit``), as the pages do."""

from audit.models import AccessAction
from audit.services import access_log_record


def log_list_read(request, model, response):
    """One access-log entry for a page of a list of ``model`` read through the
    API: how many rows, and which filters were used (their names only, never
    their values: a search may hold a person's name)."""
    if response.status_code != 200:
        return
    rows = len(response.data.get("results", ())) if isinstance(response.data, dict) else 0
    filters = sorted(key for key, value in request.query_params.items() if value and key not in ("cursor", "page_size"))
    detail = f"api {rows} rows" + (f"; filters: {', '.join(filters)}" if filters else "")
    access_log_record(
        request=request,
        action=AccessAction.API_LIST_READ,
        object_type=model._meta.label_lower,
        detail=detail,
        path=request.path,  # without the query string: a search may hold a name
    )
