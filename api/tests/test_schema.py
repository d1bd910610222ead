"""The OpenAPI schema: served at /api/schema/, valid OpenAPI 3 (checked with
openapi-spec-validator), and describing every route; the docs page works
under the Content-Security-Policy (no inline script or style)."""

import re

import pytest
from django.urls import reverse
from openapi_spec_validator import validate

from .conftest import token_client

ROUTES = {
    "/api/v1/figures/": {"get"},
    "/api/v1/partners/": {"get"},
    "/api/v1/partners/{id}/": {"get"},
    "/api/v1/programmes/": {"get"},
    "/api/v1/programmes/{id}/": {"get"},
    "/api/v1/conventions/": {"get"},
    "/api/v1/conventions/{id}/": {"get"},
    "/api/v1/mentors/": {"get", "post"},
    "/api/v1/mentors/{id}/": {"get", "put", "patch"},
    "/api/v1/mentees/": {"get", "post"},
    "/api/v1/mentees/{id}/": {"get", "put", "patch"},
    "/api/v1/duos/": {"get", "post"},
    "/api/v1/duos/{id}/": {"get", "put", "patch"},
    "/api/v1/duos/{id}/close/": {"post"},
    "/api/v1/duos/{id}/correct-closure/": {"post"},
    "/api/v1/duos/{id}/reopen/": {"post"},
    "/api/v1/duos/{id}/cancel/": {"post"},
    "/api/v1/meetings/": {"get", "post"},
    "/api/v1/meetings/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/outcomes/": {"get"},
    "/api/v1/outcomes/{id}/": {"get"},
    "/api/v1/follow-ups/": {"get", "post"},
    "/api/v1/follow-ups/{id}/": {"get", "put", "patch"},
}


@pytest.fixture
def schema(coordinator_a):
    response = token_client(coordinator_a).get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi(schema):
    validate(schema)  # raises on any error


def test_the_schema_describes_every_route_and_method(schema):
    described = {path: set(operations) - {"parameters"} for path, operations in schema["paths"].items()}
    assert described == ROUTES


def test_the_figures_route_is_documented(schema):
    operation = schema["paths"]["/api/v1/figures/"]["get"]
    parameters = {p["name"] for p in operation["parameters"]}
    assert {"quarter", "date_from", "date_to", "view", "as_of", "partner", "programme", "convention"} <= parameters
    assert "definition" in operation["description"] and "404" in operation["description"]
    figure = schema["components"]["schemas"]["Figure"]["properties"]
    assert {"numerator", "denominator", "value", "definition", "numerator_url", "denominator_url"} <= set(figure)


def test_the_schema_says_how_to_authenticate(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    }
    assert "cookieAuth" in schemes


def test_lists_never_carry_the_migration_background(schema):
    components = schema["components"]["schemas"]
    assert "has_migration_background" not in components["Mentee"]["properties"]
    assert "has_migration_background" in components["MenteeDetail"]["properties"]
    listed = schema["paths"]["/api/v1/mentees/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listed["schema"]["$ref"] == "#/components/schemas/PaginatedMenteeList"


def test_filters_of_the_list_pages_are_documented(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/duos/"]["get"]["parameters"]}
    assert {
        "q",
        "programme",
        "status",
        "start_after",
        "start_before",
        "behind_cadence",
        "outcome",
        "cursor",
    } <= parameters
    assert "o" not in parameters  # pages are in a fixed order (cursor pagination)


def test_the_docs_page_has_no_inline_script_or_style(client, coordinator_a):
    client.force_login(coordinator_a)
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in page and "js/api-docs.js" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # every script is a file
    assert "<style" not in page and " style=" not in page
    assert "cdn" not in page.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]
