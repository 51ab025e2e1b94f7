"""API tokens: create (the secret once), list, revoke; a revoked token no longer authenticates."""

from __future__ import annotations

from typing import Any

import pytest

from torg.core.models import ApiToken, AuditEntry
from torg.core.testing.api import ApiClient, assert_error

pytestmark = pytest.mark.django_db


def test_create_returns_the_secret_once_and_it_authenticates(client: Any, world: Any) -> None:
    response = ApiClient(client, world.agent).post("/tokens/", {"name": "Integrasjon mot HR"})
    assert response.status_code == 201
    body = response.json()
    assert body["secret"].startswith("torg_")
    assert body["prefix"] == body["secret"][:12]
    assert body["person"] == world.agent.pk
    assert "digest" not in body
    token = ApiToken.objects.get(pk=body["id"])
    assert body["secret"] not in (token.digest, token.prefix)
    me = client.get(f"/api/v1/people/{world.agent.pk}", headers={"Authorization": f"Bearer {body['secret']}"})
    assert me.status_code == 200
    assert AuditEntry.objects.filter(action=AuditEntry.Action.TOKEN_CREATE, object_id=world.agent.pk).exists()


def test_list_shows_own_tokens_without_secrets(client: Any, world: Any) -> None:
    ApiClient(client, world.employee)  # a token of someone else
    api = ApiClient(client, world.agent)
    response = api.get("/tokens/")
    assert response.status_code == 200
    items = response.json()["items"]
    assert {item["person"] for item in items} == {world.agent.pk}
    assert all("secret" not in item and "digest" not in item for item in items)


def test_administrator_sees_every_token_and_filters_by_person(client: Any, world: Any) -> None:
    ApiClient(client, world.employee)
    ApiClient(client, world.agent)
    api = ApiClient(client, world.admin)
    people = {item["person"] for item in api.get("/tokens/").json()["items"]}
    assert {world.employee.pk, world.agent.pk, world.admin.pk} <= people
    filtered = api.get("/tokens/", {"person": world.employee.pk}).json()["items"]
    assert {item["person"] for item in filtered} == {world.employee.pk}


def test_a_revoked_token_gets_401(client: Any, world: Any) -> None:
    api = ApiClient(client, world.agent)
    token = ApiToken.objects.filter(person=world.agent).latest("id")
    response = api.post(f"/tokens/{token.pk}/revoke")
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert_error(api.get("/tokens/"), 401)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.TOKEN_REVOKE, actor=world.agent).exists()


def test_someone_elses_token_is_404_and_stays_live(client: Any, world: Any) -> None:
    ApiClient(client, world.employee)
    theirs = ApiToken.objects.get(person=world.employee)
    assert_error(ApiClient(client, world.agent).post(f"/tokens/{theirs.pk}/revoke"), 404)
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_administrator_may_revoke_anyones_token(client: Any, world: Any) -> None:
    employee = ApiClient(client, world.employee)
    theirs = ApiToken.objects.get(person=world.employee)
    assert ApiClient(client, world.admin).post(f"/tokens/{theirs.pk}/revoke").status_code == 200
    assert_error(employee.get("/tokens/"), 401)


def test_a_deactivated_person_s_token_gets_401(client: Any, world: Any) -> None:
    employee = ApiClient(client, world.employee)
    ApiClient(client, world.admin).post(f"/people/{world.employee.pk}/deactivate")
    assert_error(employee.get("/tokens/"), 401)


def test_an_empty_name_gets_the_default_and_a_long_one_is_422(client: Any, world: Any) -> None:
    api = ApiClient(client, world.agent)
    assert api.post("/tokens/", {}).json()["name"]
    assert_error(api.post("/tokens/", {"name": "x" * 101}), 422, "name")
