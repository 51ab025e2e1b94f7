"""What every resource shares: schema and docs, authentication, keyset pages, the error shape, language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db.models import CharField
from django.test import Client
from django.utils import translation

from torg.core.models import Location
from torg.core.testing.api import ApiClient, assert_error
from torg.core.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def test_openapi_schema_loads_without_signing_in(client: Client, world: Any) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Torg API"
    assert "/api/v1/people/export.csv" in schema["paths"]
    assert {"BearerToken", "SignedInSession"} <= set(schema["components"]["securitySchemes"])
    properties = {name for component in schema["components"]["schemas"].values()
                  for name in component.get("properties", {})}  # fmt: skip
    assert not properties & {"digest", "password", "search_text"}


def test_docs_page_uses_the_shipped_assets_under_the_strict_csp(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui.css" in html
    assert not re.search(r"https?://", html)  # nothing from a CDN
    # Every script is a file or inert JSON data; no inline style: the site-wide policy holds.
    assert all(
        "src=" in tag or 'type="application/json"' in tag for tag in re.findall(r"<script[^>]*>", html)
    )
    assert "<style" not in html and " style=" not in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy


def test_signed_in_session_may_use_the_api_but_writes_need_the_csrf_token(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    assert client.get("/api/v1/locations/").status_code == 200
    payload = {"organization": world.member.pk, "name": "Rådhuset"}
    response = client.post("/api/v1/locations/", payload, content_type="application/json")
    assert_error(response, 403)
    assert not Location.objects.filter(name="Rådhuset").exists()
    client.get("/api/v1/docs")  # sets the CSRF cookie, as the docs page does
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/locations/", payload, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201


def test_no_session_and_no_token_is_401_not_a_csrf_failure(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/locations/", {}, content_type="application/json")
    assert_error(response, 401)


def test_a_token_in_another_scheme_is_401(client: Client, world: Any) -> None:
    assert_error(client.get("/api/v1/locations/", headers={"Authorization": "Basic dG9yZzp0b3Jn"}), 401)


def test_a_cursor_walk_returns_every_row_once_in_order(client: Client, world: Any) -> None:
    for name in [
        "Ås skule",
        "Alversund skule",
        "Bø skule",
        "Alversund skule",
        "Seim skule",
        "Isdal barnehage",
    ]:
        LocationFactory(organization=world.member, name=name)
    api = ApiClient(client, world.admin)
    seen: list[int] = []
    cursor = None
    for _ in range(20):
        page = api.get("/locations/", {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    expected = list(Location.objects.order_by("name", "id").values_list("id", flat=True))
    assert seen == expected
    assert len(set(seen)) == len(seen)


def test_the_default_page_is_50_rows(client: Client, world: Any) -> None:
    LocationFactory.create_batch(52, organization=world.member)
    page = ApiClient(client, world.admin).get("/locations/").json()
    assert len(page["items"]) == 50
    assert page["next_cursor"]


@pytest.mark.parametrize("cursor", ["ikkje-ein-peikar", "W10", "WyJhIiwxLDJd", "%00", "eyJhIjoxfQ"])
def test_a_bad_cursor_is_a_structured_400(client: Client, world: Any, cursor: str) -> None:
    error = assert_error(ApiClient(client, world.admin).get("/locations/", {"cursor": cursor}), 400)
    assert error["code"] == "cursor"


@pytest.mark.parametrize("limit", ["0", "201", "mange"])
def test_a_limit_out_of_range_is_422(client: Client, world: Any, limit: str) -> None:
    assert_error(ApiClient(client, world.admin).get("/locations/", {"limit": limit}), 422, "limit")


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_validation_messages_come_in_the_persons_language(client: Client, world: Any, language: str) -> None:
    location = LocationFactory(organization=world.member)
    world.admin.language = language
    world.admin.save(update_fields=["language"])
    with translation.override("nb"):  # the request activates the person's language; put it back after
        response = ApiClient(client, world.admin).patch(f"/locations/{location.pk}", {"name": ""})
    error = assert_error(response, 400, "name")
    with translation.override(language):
        assert error["fields"]["name"] == [str(CharField.default_error_messages["blank"])]
    assert response["Content-Language"] == language


def test_wrong_json_and_wrong_shapes_are_structured(client: Client, world: Any) -> None:
    api = ApiClient(client, world.admin)
    assert_error(
        client.post("/api/v1/locations/", "{", content_type="application/json", headers=api.headers), 400
    )
    assert_error(
        client.post("/api/v1/locations/", "[1]", content_type="application/json", headers=api.headers), 422
    )
    error = assert_error(
        api.post("/locations/", {"organization": "fire", "name": 7}), 422, "organization", "name"
    )
    assert error["code"] == "invalid_request"
    assert_error(api.put("/teams/1/members", {"members": ["a"]}), 422, "members.0")


@pytest.mark.parametrize("big", [2**63, 10**30])
def test_huge_ids_are_not_a_server_error(client: Client, world: Any, big: int) -> None:
    api = ApiClient(client, world.admin)
    assert api.get(f"/locations/{big}").status_code in (404, 422)
    assert_error(api.post("/locations/", {"organization": big, "name": "X"}), 422, "organization")
    assert_error(api.get("/people/", {"department": big}), 422, "department")


def test_a_nul_character_is_not_a_server_error(client: Client, world: Any) -> None:
    api = ApiClient(client, world.admin)
    assert api.get("/locations/", {"search": "a\x00b"}).status_code in (200, 400)
    response = api.post("/locations/", {"organization": world.member.pk, "name": "Ra\x00dhus"})
    assert response.status_code in (201, 400)


def test_an_unknown_method_does_not_answer_200(client: Client, world: Any) -> None:
    api = ApiClient(client, world.admin)
    assert api.put("/locations/", {}).status_code == 405


@pytest.mark.browser
def test_docs_page_runs_under_the_csp_and_tries_a_call_with_the_session(
    transactional_db: None, world: Any, page: Any, live_server: Any
) -> None:
    client = Client()
    client.force_login(world.admin)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto("/api/v1/docs")
    page.get_by_role("heading", name=re.compile("Torg API")).wait_for()
    operation = page.locator("#operations-locations-create_location")
    operation.locator("button.opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()
    body = operation.locator("textarea.body-param__text")
    body.fill(f'{{"organization": {world.member.pk}, "name": "Prøvd frå dokumentasjonen"}}')
    operation.get_by_role("button", name="Execute").click()
    operation.locator(".live-responses-table tbody .response-col_status").first.wait_for()
    assert "201" in operation.locator(".live-responses-table tbody .response-col_status").first.inner_text()
    assert Location.objects.filter(name="Prøvd frå dokumentasjonen").exists()
