"""The API's permission matrix: every route of the ``api`` namespace x every
method x every persona, with personal tokens (the way partners' systems come
in) and, for reads, with a session.

Routes are read from the URL resolver, so a new route without an entry in
``ROUTES`` fails ``test_every_api_route_has_an_expectation``. Records in URLs
belong to partner A: coordinator B (the Team4Job-like coordinator) gets 404
for them, with every method.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory

from .conftest import token_client

PERSONAS = ("anonymous", "coordinator_a", "coordinator_b", "staff", "manager", "dpo", "admin")
METHODS = ("get", "post", "put", "patch", "delete")

# Statuses in the order of PERSONAS. Writes are sent with an empty body: a
# coordinator allowed to write gets the services' 400 ("this field is
# required"), which proves the permission passed without writing anything.
LIST_READ = (401, 200, 200, 200, 200, 200, 200)  # the data-protection officer sees empty lists
RECORD_READ = (401, 200, 404, 200, 200, 404, 200)
CREATE = (401, 400, 400, 403, 403, 403, 403)  # coordinators create their own partner's records
RECORD_WRITE = (401, 400, 404, 403, 403, 404, 403)  # PUT (or an action) on A's record, empty body
RECORD_PATCH = (401, 200, 404, 403, 403, 404, 403)  # PATCH {} on A's record changes nothing
RECORD_DELETE = (401, 204, 404, 403, 403, 404, 403)
LIST_NOT_ALLOWED = (401, 405, 405, 405, 405, 405, 405)
RECORD_NOT_ALLOWED = (401, 405, 404, 405, 405, 404, 405)  # a foreign id stays a 404 with any method
SIGNED_IN_ONLY = (401, 200, 200, 200, 200, 200, 200)
FIGURES = (401, 200, 200, 200, 200, 403, 200)  # figures: every role but the data-protection officer
DOCS = (302, 200, 200, 200, 200, 200, 200)  # a page: anonymous goes to the login
DOCS_NOT_ALLOWED = (302, 405, 405, 405, 405, 405, 405)

READ_ONLY_LIST = dict.fromkeys(METHODS, LIST_NOT_ALLOWED) | {"get": LIST_READ}
READ_ONLY_RECORD = dict.fromkeys(METHODS, RECORD_NOT_ALLOWED) | {"get": RECORD_READ}
WRITABLE_LIST = READ_ONLY_LIST | {"post": CREATE}
PEOPLE_RECORD = READ_ONLY_RECORD | {"put": RECORD_WRITE, "patch": RECORD_PATCH}

# url name: (object of partner A in the URL or None, {method: statuses})
ROUTES = {
    "api:api-root": (None, READ_ONLY_LIST),
    "api:schema": (None, dict.fromkeys(METHODS, LIST_NOT_ALLOWED) | {"get": SIGNED_IN_ONLY}),
    "api:figures": (None, dict.fromkeys(METHODS, LIST_NOT_ALLOWED) | {"get": FIGURES}),
    "api:docs": (None, dict.fromkeys(METHODS, DOCS_NOT_ALLOWED) | {"get": DOCS}),
    "api:partner-list": (None, READ_ONLY_LIST),
    "api:partner-detail": ("partner_a", READ_ONLY_RECORD),
    "api:programme-list": (None, READ_ONLY_LIST),
    "api:programme-detail": ("programme_a", READ_ONLY_RECORD),
    "api:convention-list": (None, READ_ONLY_LIST),
    "api:convention-detail": ("convention_a", READ_ONLY_RECORD),
    "api:mentor-list": (None, WRITABLE_LIST),
    "api:mentor-detail": ("mentor_a", PEOPLE_RECORD),
    "api:mentee-list": (None, WRITABLE_LIST),
    "api:mentee-detail": ("mentee_a", PEOPLE_RECORD),
    "api:duo-list": (None, WRITABLE_LIST),
    "api:duo-detail": ("duo_a", PEOPLE_RECORD),
    "api:duo-close": ("duo_a", dict.fromkeys(METHODS, RECORD_NOT_ALLOWED) | {"post": RECORD_WRITE}),
    "api:duo-correct-closure": ("closed_duo_a", dict.fromkeys(METHODS, RECORD_NOT_ALLOWED) | {"post": RECORD_WRITE}),
    "api:duo-reopen": ("closed_duo_a", dict.fromkeys(METHODS, RECORD_NOT_ALLOWED) | {"post": RECORD_WRITE}),
    "api:duo-cancel": ("duo_a", dict.fromkeys(METHODS, RECORD_NOT_ALLOWED) | {"post": RECORD_WRITE}),
    "api:meeting-list": (None, WRITABLE_LIST),
    "api:meeting-detail": ("meeting_a", PEOPLE_RECORD | {"delete": RECORD_DELETE}),
    "api:outcome-list": (None, READ_ONLY_LIST),
    "api:outcome-detail": ("outcome_a", READ_ONLY_RECORD),
    "api:follow-up-list": (None, WRITABLE_LIST),
    "api:follow-up-detail": ("follow_up_a", PEOPLE_RECORD),
}


def api_url_names():
    """Every named URL of the ``api`` namespace (format-suffix twins aside)."""
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace == "api":
                names.add(f"api:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return sorted(names)


def test_every_api_route_has_an_expectation():
    missing = sorted(set(api_url_names()) - set(ROUTES))
    assert not missing, f"API routes without an entry in the permission matrix: {missing}"
    assert not sorted(set(ROUTES) - set(api_url_names()))


@pytest.fixture
def personas(coordinator_a, coordinator_b, staff_user, manager_user, dpo_user, admin_user_):
    return {
        "anonymous": None,
        "coordinator_a": coordinator_a,
        "coordinator_b": coordinator_b,
        "staff": staff_user,
        "manager": manager_user,
        "dpo": dpo_user,
        "admin": admin_user_,
    }


def url_of(name, world):
    target = ROUTES[name][0]
    return reverse(name) if target is None else reverse(name, args=[getattr(world, target).pk])


def call(client, method, url):
    return getattr(client, method)(url, {} if method != "get" else None, format="json")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_permission_matrix_with_tokens(world, personas, name, method):
    """Each persona's token, on each route and method. One test per route and
    method (the world is built once), every persona checked, every mismatch
    reported."""
    url = url_of(name, world)
    statuses = ROUTES[name][1][method]
    wrong = []
    # Those who succeed go last: a DELETE that works removes the record.
    for persona in sorted(PERSONAS, key=lambda p: 200 <= statuses[PERSONAS.index(p)] < 300):
        user = personas[persona]
        if name == "api:docs" and user is not None:
            client = APIClient()
            client.force_login(user)  # a browser page: the session, not a token
        else:
            client = token_client(user) if user is not None else APIClient()
        expected = statuses[PERSONAS.index(persona)]
        status = call(client, method, url).status_code
        if status != expected:
            wrong.append(f"{persona} {method.upper()} {url}: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_reads_with_a_session(world, personas, name):
    """The browsable API's way in: the session of a signed-in user (who passed
    the second factor) sees exactly what their token sees."""
    url = url_of(name, world)
    wrong = []
    for persona in PERSONAS:
        client = APIClient()
        if personas[persona] is not None:
            client.force_login(personas[persona])
        expected = ROUTES[name][1]["get"][PERSONAS.index(persona)]
        status = client.get(url).status_code
        if status != expected:
            wrong.append(f"{persona} GET {url}: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_user_without_role_sees_nothing(world):
    client = token_client(UserFactory(username="nobody", role=None))
    assert client.get(reverse("api:duo-list")).json()["results"] == []
    assert client.get(reverse("api:duo-detail", args=[world.duo_a.pk])).status_code == 404
