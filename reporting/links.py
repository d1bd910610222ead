"""Links from a figure to the list of duos behind it (the workspace's duo
list, filtered with its GET parameters)."""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

# Parameters read by the workspace's ``DuoFilter`` (duos/filters.py):
# ``partner``, ``programme``, ``convention``, ``status``,
# ``start_after``/``start_before``, ``end_after``/``end_before``, ``outcome``
# (primary outcome type, or ``missing``), ``contract``, ``closure_reason`` and
# ``active_on``. A rate links to the duos of its denominator, narrowed where
# the figure is about one outcome.
CLOSED_FIGURES = {
    "duos_closed": {},
    "employment_rate": {"outcome": "job"},
    "employment_rate_incl_self_employment": {},
    "positive_outcome_rate": {},
    "stable_job_rate": {"outcome": "job"},
    "cdi_share": {"outcome": "job"},
    "completion_rate": {"closure_reason": "completed"},
}


def duo_list_url():
    try:
        return reverse("duos:duo_list")
    except NoReverseMatch:
        return "/duos/"


def _scope_params(partner, programme, convention):
    params = {}
    if partner is not None:
        params["partner"] = partner.pk
    if programme is not None:
        params["programme"] = programme.pk
    if convention is not None:
        params["convention"] = convention.pk
    return params


def outcome_link(outcome_type, *, period, contract="", partner=None, programme=None, convention=None):
    """The duo list filtered to the duos closed in the period with this
    primary outcome (and contract type)."""
    params = _scope_params(partner, programme, convention)
    params.update(status="closed", end_after=period.date_from.isoformat(), end_before=period.date_to.isoformat())
    params["outcome"] = outcome_type or "missing"
    if contract:
        params["contract"] = contract
    return duo_list_url() + "?" + urlencode(params)


def duo_list_link(key, *, period, partner=None, programme=None, convention=None):
    """The duo list filtered to the duos counted by figure ``key``."""
    params = _scope_params(partner, programme, convention)
    start, end = period.date_from.isoformat(), period.date_to.isoformat()
    if key in ("duos_started", "target_attainment"):
        params.update(start_after=start, start_before=end)
    elif key in CLOSED_FIGURES:
        params.update(status="closed", end_after=start, end_before=end, **CLOSED_FIGURES[key])
    elif key in ("duos_active_at_end", "meeting_cadence_compliance"):
        params.update(start_before=end, active_on=end)
    return duo_list_url() + "?" + urlencode(params)
