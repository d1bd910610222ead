"""The permission matrix: every URL of the workspace x every persona.

The URL names are read from the URL resolver (namespaces ``duos`` and
``programmes``, the home page and the auth pages), so a new URL without an
entry in ``EXPECTED`` fails ``test_every_url_has_an_expectation``, and its
own matrix rows fail with a clear message. Objects in URLs belong to partner
A: coordinator B must get 404 for them (never 403, never the page).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import PASSWORD, UserFactory

PERSONAS = ("anonymous", "coordinator_a", "coordinator_b", "staff", "manager", "dpo")

# Namespaces tested here; ``admin`` and ``reporting`` (tested by its own app)
# are left out, as is the language switch of ``django.conf.urls.i18n``.
NAMESPACES = {"duos", "programmes", "accounts", "audit", "privacy", "followups", "api_tokens", "imports", "matching"}
EXCLUDED_TOP_LEVEL = {"set_language"}

LOGIN = 302  # redirect to the login page

# url name: (object of partner A in the URL or None, {persona: status})
# Order of statuses: anonymous, coordinator A, coordinator B, staff, manager,
# data-protection officer (who sees no partner record: empty lists, 404 on records).
READ_ALL = (LOGIN, 200, 200, 200, 200, 200)
READ_A = (LOGIN, 200, 404, 200, 200, 404)  # a record of partner A
WRITE_NEW = (LOGIN, 200, 200, 403, 403, 403)  # coordinators create partner records
WRITE_A = (LOGIN, 200, 404, 403, 403, 404)  # coordinator A edits A's record
MANAGE_NEW = (LOGIN, 403, 403, 200, 200, 403)  # staff manage partners, programmes, conventions
MANAGE_A = (LOGIN, 403, 404, 200, 200, 404)
PUBLIC = (200, 200, 200, 200, 200, 200)
POST_ONLY = (405, 405, 405, 405, 405, 405)
SIGNED_IN_POST_ONLY = (LOGIN, 405, 405, 405, 405, 405)
# The second step of sign-in: coordinators (not enrolled) are sent to the set-up
# page; the others' sessions here passed it already (see tests/two_factor.py).
SECOND_STEP = (LOGIN, 302, 302, 200, 200, 200)
ACCESS_LOG = (LOGIN, 403, 403, 403, 403, 200)  # the data-protection officer (and administrators)
DATA_RIGHTS_A = (LOGIN, 200, 404, 403, 403, 404)  # a person's export and erasure: their coordinator
IMPORT = (LOGIN, 200, 200, 200, 200, 403)  # coordinators for their partner, Actiris roles for a chosen one
POST_A = (LOGIN, 405, 404, 405, 405, 404)  # a POST action on A's record: resolved (404) before the method

EXPECTED = {
    "home": (None, READ_ALL),
    # Actiris' list of job seekers enrolled at two partners at once
    "duos:double_enrolment_list": (None, (LOGIN, 403, 403, 200, 200, 403)),
    # matching: the waiting list, and a mentee's suggested mentors (read by whoever may read the mentee)
    "matching:waiting_list": (None, READ_ALL),
    "matching:suggestions": ("mentee_a", READ_A),
    # the duo form's people pickers: the people the user may see (none for the DPO), as <option>s
    "duos:picker": (("kwargs", {"kind": "mentor"}), READ_ALL),
    # the health check: no login, no personal data (tests/test_healthz.py)
    "healthz": (None, PUBLIC),
    # auth
    "login": (None, PUBLIC),
    "logout": (None, POST_ONLY),
    "password_change": (None, READ_ALL),
    "password_change_done": (None, READ_ALL),
    "password_reset": (None, PUBLIC),
    "password_reset_done": (None, PUBLIC),
    "password_reset_confirm": ("reset_token", PUBLIC),
    "password_reset_complete": (None, PUBLIC),
    "accounts:profile": (None, READ_ALL),
    "accounts:two_factor_verify": (None, SECOND_STEP),
    "accounts:two_factor_setup": (None, READ_ALL),
    "accounts:recovery_codes": (None, READ_ALL),
    "accounts:two_factor_disable": (None, SIGNED_IN_POST_ONLY),
    # personal API tokens, on the profile page (the API itself: api/tests/test_permissions.py)
    "api_tokens:create": (None, SIGNED_IN_POST_ONLY),
    "api_tokens:revoke": (None, SIGNED_IN_POST_ONLY),
    # programmes
    "programmes:partner_list": (None, READ_ALL),
    "programmes:partner_create": (None, MANAGE_NEW),
    "programmes:partner_detail": ("partner_a", READ_A),
    "programmes:partner_update": ("partner_a", MANAGE_A),
    "programmes:programme_list": (None, READ_ALL),
    "programmes:programme_create": (None, MANAGE_NEW),
    "programmes:programme_detail": ("programme_a", READ_A),
    "programmes:programme_update": ("programme_a", MANAGE_A),
    "programmes:convention_list": (None, READ_ALL),
    "programmes:convention_create": (None, MANAGE_NEW),
    "programmes:convention_detail": ("convention_a", READ_A),
    "programmes:convention_update": ("convention_a", MANAGE_A),
    # audit and privacy: targets with the URL's other arguments
    "audit:access_log": (None, ACCESS_LOG),
    "audit:record_history": (("duo_a", {"kind": "duo"}), READ_A),
    "privacy:person_export": (("mentee_a", {"kind": "mentee"}), DATA_RIGHTS_A),
    "privacy:person_erase": (("mentee_a", {"kind": "mentee"}), DATA_RIGHTS_A),
    # duos
    "duos:mentor_list": (None, READ_ALL),
    "duos:mentor_create": (None, WRITE_NEW),
    "duos:mentor_detail": ("mentor_a", READ_A),
    "duos:mentor_update": ("mentor_a", WRITE_A),
    "duos:mentee_list": (None, READ_ALL),
    "duos:mentee_create": (None, WRITE_NEW),
    "duos:mentee_detail": ("mentee_a", READ_A),
    "duos:mentee_update": ("mentee_a", WRITE_A),
    "duos:duo_list": (None, READ_ALL),
    "duos:duo_create": (None, WRITE_NEW),
    "duos:duo_detail": ("duo_a", READ_A),
    "duos:duo_update": ("duo_a", WRITE_A),
    "duos:duo_close": ("duo_a", WRITE_A),
    "duos:duo_closure_correct": ("duo_a", WRITE_A),
    "duos:duo_reopen": ("duo_a", WRITE_A),
    "duos:duo_cancel": ("duo_a", WRITE_A),
    "duos:meeting_create": ("duo_a", WRITE_A),
    "duos:meeting_update": ("meeting_a", WRITE_A),
    "duos:meeting_delete": ("meeting_a", WRITE_A),
    # follow-ups
    "followups:follow_up_list": (None, READ_ALL),
    "followups:follow_up_create": ("closed_duo_a", WRITE_A),
    "followups:follow_up_update": ("follow_up_a", WRITE_A),
    # list exports: the list's rows as a file (the data-protection officer's lists are empty)
    "duos:mentor_export": (None, READ_ALL),
    "duos:mentee_export": (None, READ_ALL),
    "duos:duo_export": (None, READ_ALL),
    "duos:meeting_export": ("duo_a", READ_A),
    # spreadsheet imports
    "imports:import_list": (None, IMPORT),
    "imports:import_create": (None, IMPORT),
    "imports:template": (None, IMPORT),
    "imports:import_detail": ("import_request_a", READ_A),
    "imports:import_progress": ("import_request_a", READ_A),
    "imports:import_confirm": ("import_request_a", POST_A),
    "imports:import_discard": ("import_request_a", POST_A),
    "imports:import_retry": ("import_request_a", POST_A),
    "imports:import_recheck": ("import_request_a", POST_A),
}


def workspace_url_names():
    """Every named URL of the workspace, read from the resolver."""
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace:
                    if pattern.namespace in NAMESPACES:
                        walk(pattern.url_patterns, pattern.namespace)
                elif namespace is None:
                    walk(pattern.url_patterns, None)
                else:
                    walk(pattern.url_patterns, namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                if namespace is None and pattern.name in EXCLUDED_TOP_LEVEL:
                    continue
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return sorted(set(names))


URL_NAMES = workspace_url_names()


def test_every_url_has_an_expectation():
    missing = sorted(set(URL_NAMES) - set(EXPECTED))
    assert not missing, f"URLs without an entry in the permission matrix: {missing}"


def test_no_stale_expectation():
    assert not sorted(set(EXPECTED) - set(URL_NAMES))


@pytest.fixture
def personas(coordinator_a, coordinator_b, staff_user, manager_user, dpo_user):
    return {
        "anonymous": None,
        "coordinator_a": coordinator_a,
        "coordinator_b": coordinator_b,
        "staff": staff_user,
        "manager": manager_user,
        "dpo": dpo_user,
    }


def _url(name, world):
    target, _ = EXPECTED[name]
    extra = {}
    if isinstance(target, tuple):
        target, extra = target
    if target is None:
        return reverse(name)
    if target == "kwargs":  # arguments that are not a record: ("kwargs", {"kind": "mentor"})
        return reverse(name, kwargs=extra)
    if target == "reset_token":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "bad-token"})
    return reverse(name, kwargs={"pk": getattr(world, target).pk, **extra})


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", URL_NAMES)
def test_permission_matrix(client, world, personas, url_name, persona):
    assert url_name in EXPECTED, f"{url_name} has no entry in the permission matrix"
    expected = EXPECTED[url_name][1][PERSONAS.index(persona)]
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    url = _url(url_name, world)
    response = client.get(url)
    assert response.status_code == expected, f"{persona} GET {url}: {response.status_code}, expected {expected}"
    if expected == LOGIN and user is None:
        assert response.url.startswith(reverse("login")), response.url


@pytest.mark.parametrize("persona", ["staff", "manager"])
@pytest.mark.parametrize("url_name", [name for name, (_, codes) in EXPECTED.items() if codes in (WRITE_NEW, WRITE_A)])
def test_actiris_roles_cannot_post_partner_records(client, world, personas, url_name, persona):
    """Staff and managers read partner records; every write is refused (403)."""
    client.force_login(personas[persona])
    response = client.post(_url(url_name, world), {})
    assert response.status_code == 403


@pytest.mark.parametrize("url_name", [name for name, (_, codes) in EXPECTED.items() if codes in (WRITE_A, READ_A)])
def test_foreign_record_is_404_on_post_too(client, world, coordinator_b, url_name):
    client.force_login(coordinator_b)
    response = client.post(_url(url_name, world), {})
    assert response.status_code in (404, 405)
    if response.status_code == 405:  # detail pages take no POST at all
        assert EXPECTED[url_name][1] == READ_A


@pytest.mark.parametrize("url_name", [name for name, (_, codes) in EXPECTED.items() if codes in (MANAGE_NEW, MANAGE_A)])
def test_coordinators_cannot_post_staff_screens(client, world, coordinator_a, url_name):
    client.force_login(coordinator_a)
    response = client.post(_url(url_name, world), {"name": "Hijack"})
    assert response.status_code == 403


def test_user_without_role_sees_nothing(client, world):
    user = UserFactory(username="nobody", role=None)
    client.force_login(user)
    assert client.get(reverse("duos:duo_detail", args=[world.duo_a.pk])).status_code == 404
    response = client.get(reverse("duos:duo_list"))
    assert response.status_code == 200
    assert not response.context["object_list"]


@pytest.mark.parametrize("url_name", ["duos:duo_list", "programmes:partner_list", "home"])
def test_anonymous_redirect_keeps_next(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse(url_name)}"


def test_login_with_password(client, coordinator_a):
    response = client.post(reverse("login"), {"username": "coord-a", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
