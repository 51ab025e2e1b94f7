"""Generated API tests: a resource's case declares what differs, the base tests list, detail, create, patch,
deactivate, permissions, the other organization (the leak test), errors, audit, history and query counts."""

from __future__ import annotations

import json
from typing import Any, ClassVar

import pytest
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext

from torg.core.models import AuditEntry, Channel, Person
from torg.core.services.tokens import token_create

API = "/api/v1"


def bearer(person: Person) -> dict[str, str]:
    """Headers that authenticate as `person` with a real API token."""
    _token, secret = token_create(person=person, name="test", by=person, via=Channel.API)
    return {"Authorization": f"Bearer {secret}"}


class ApiClient:
    """Django's test client speaking JSON to /api/v1/ as one person (or nobody)."""

    def __init__(self, client: Client, person: Person | None = None) -> None:
        self.client = client
        self.headers = bearer(person) if person is not None else {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(API + path, params or {}, headers=self.headers)

    def post(self, path: str, data: Any = None) -> Any:
        return self._send("post", path, data)

    def patch(self, path: str, data: Any = None) -> Any:
        return self._send("patch", path, data)

    def put(self, path: str, data: Any = None) -> Any:
        return self._send("put", path, data)

    def _send(self, method: str, path: str, data: Any) -> Any:
        body = "" if data is None else json.dumps(data)
        return getattr(self.client, method)(
            API + path, body, content_type="application/json", headers=self.headers
        )


def assert_error(response: Any, status: int, *fields: str) -> dict[str, Any]:
    """The response is the one error shape with `status`, naming at least `fields`."""
    assert response.status_code == status, response.content.decode()[:2000]
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] and error["message"]
    assert set(fields) <= set(error["fields"]), error
    return error


class TenantModelApiTests:
    """Subclass as `Test…Api`; declare the resource, how to make a row of an organization, the payloads."""

    path: ClassVar[str]  # "/locations/"
    model: ClassVar[type[Model]]
    # (role in the world fixture, the organization of the world it may write in)
    writers: ClassVar[tuple[tuple[str, str], ...]] = (("admin", "member"),)
    reader: ClassVar[str] = "agent"  # reaches world.member, not world.other
    search_field: ClassVar[str] = "name"
    patch_payload: ClassVar[dict[str, Any]] = {"name": "Endra namn"}
    # Fields the model refuses (400: on create and patch) and fields of the wrong types (422).
    invalid_payload: ClassVar[dict[str, Any]] = {"name": ""}
    malformed_patch_payload: ClassVar[dict[str, Any]] = {"name": ["ikkje", "tekst"]}
    # The payload field naming the organization, to check an unreachable one is refused as unknown.
    organization_field: ClassVar[str | None] = "organization"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A test that does not apply to a resource is not generated for it (rather than skipped).
        if cls.organization_field is None:
            cls.test_unknown_organization_in_a_payload_is_a_field_error = None  # type: ignore[assignment]

    # Each resource's case defines make(world, organization) and create_payload(world, organization).

    def created(self, response: Any) -> Model:
        return self.model._default_manager.get(pk=response.json()["id"])

    # Parametrized by writer: every role that may write gets the write tests.
    def pytest_generate_tests(self, metafunc: Any) -> None:
        if "writer" in metafunc.fixturenames:
            metafunc.parametrize(
                "writer", self.writers, ids=[f"{role}-in-{org}" for role, org in self.writers]
            )

    @pytest.fixture(autouse=True)
    def _setup(self, world: Any, client: Client) -> None:
        self.world = world
        self.client = client

    def as_(self, role: str | None) -> ApiClient:
        return ApiClient(self.client, getattr(self.world, role) if role else None)

    def item(self, obj: Model, suffix: str = "") -> str:
        return f"{self.path}{obj.pk}{suffix}"

    def ids(self, response: Any) -> set[int]:
        assert response.status_code == 200, response.content.decode()[:2000]
        return {item["id"] for item in response.json()["items"]}

    def label(self, obj: Model) -> str:
        return str(getattr(obj, self.search_field))

    def audited(self, obj: Model, action: str, actor: Person) -> AuditEntry:
        entry = AuditEntry.objects.for_object(obj).filter(action=action).latest("id")
        assert entry.channel == Channel.API
        assert entry.actor_id == actor.pk
        return entry

    def state(self, obj: Model) -> dict[str, Any]:
        obj = self.model._default_manager.get(pk=obj.pk)
        return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}

    # Reading and the leak test.

    def test_list_shows_reached_rows_and_hides_the_other_organization(self) -> None:
        mine, theirs = self.make(self.world, self.world.member), self.make(self.world, self.world.other)
        ids = self.ids(self.as_(self.reader).get(self.path, {"limit": 200}))
        assert mine.pk in ids
        assert theirs.pk not in ids

    def test_search_finds_reached_rows_and_does_not_reveal_the_other_organization(self) -> None:
        mine, theirs = self.make(self.world, self.world.member), self.make(self.world, self.world.other)
        api = self.as_(self.reader)
        assert mine.pk in self.ids(api.get(self.path, {"search": self.label(mine)}))
        assert theirs.pk not in self.ids(api.get(self.path, {"search": self.label(theirs)}))

    def test_detail_of_a_reached_row(self) -> None:
        mine = self.make(self.world, self.world.member)
        response = self.as_(self.reader).get(self.item(mine))
        assert response.status_code == 200
        assert response.json()["id"] == mine.pk
        assert "password" not in response.json()

    def test_another_organizations_row_is_404_as_if_missing(self) -> None:
        theirs = self.make(self.world, self.world.other)
        api = self.as_(self.reader)
        for response in (
            api.get(self.item(theirs)),
            api.get(self.item(theirs, "/history")),
            api.patch(self.item(theirs), self.patch_payload),
            api.post(self.item(theirs, "/deactivate")),
        ):
            assert_error(response, 404)
        assert api.get(f"{self.path}987654321").status_code == 404

    def test_unknown_organization_in_a_payload_is_a_field_error(self) -> None:
        payload = self.create_payload(self.world, self.world.member)
        payload[self.organization_field] = self.world.other.pk  # exists, but the reader does not reach it
        before = self.model._default_manager.count()
        error = assert_error(self.as_(self.reader).post(self.path, payload), 400, self.organization_field)
        assert str(self.world.other.pk) in error["fields"][self.organization_field][0]
        assert self.world.other.name not in json.dumps(error)
        assert self.model._default_manager.count() == before

    # Writing by a role that may.

    def test_create_by_a_permitted_role_saves_and_audits(self, writer: tuple[str, str]) -> None:
        role, organization = writer
        response = self.as_(role).post(
            self.path, self.create_payload(self.world, getattr(self.world, organization))
        )
        assert response.status_code == 201, response.content.decode()[:2000]
        obj = self.created(response)
        self.audited(obj, AuditEntry.Action.CREATE, getattr(self.world, role))
        assert self.as_(role).get(self.item(obj)).status_code == 200

    def test_patch_by_a_permitted_role_saves_and_audits(self, writer: tuple[str, str]) -> None:
        role, organization = writer
        obj = self.make(self.world, getattr(self.world, organization))
        response = self.as_(role).patch(self.item(obj), self.patch_payload)
        assert response.status_code == 200, response.content.decode()[:2000]
        for name, value in self.patch_payload.items():
            assert response.json()[name] == value
        entry = self.audited(obj, AuditEntry.Action.UPDATE, getattr(self.world, role))
        name, value = next(iter(self.patch_payload.items()))
        assert entry.changes[name][1] == value

    def test_deactivate_and_reactivate_by_a_permitted_role(self, writer: tuple[str, str]) -> None:
        role, organization = writer
        obj = self.make(self.world, getattr(self.world, organization))
        api = self.as_(role)
        response = api.post(self.item(obj, "/deactivate"))
        assert response.status_code == 200, response.content.decode()[:2000]
        assert response.json()["is_active"] is False
        self.audited(obj, AuditEntry.Action.DEACTIVATE, getattr(self.world, role))
        assert obj.pk in self.ids(api.get(self.path, {"active": "false", "limit": 200}))
        assert obj.pk not in self.ids(api.get(self.path, {"active": "true", "limit": 200}))
        response = api.post(self.item(obj, "/reactivate"))
        assert response.json()["is_active"] is True
        self.audited(obj, AuditEntry.Action.REACTIVATE, getattr(self.world, role))

    def test_history_shows_the_changes_made_through_the_api(self, writer: tuple[str, str]) -> None:
        role, organization = writer
        obj = self.make(self.world, getattr(self.world, organization))
        api = self.as_(role)
        api.patch(self.item(obj), self.patch_payload)
        response = api.get(self.item(obj, "/history"))
        assert response.status_code == 200
        entry = response.json()["items"][0]
        assert entry["action"] == "update"
        assert entry["channel"] == "api"
        assert entry["actor"] == {
            "id": getattr(self.world, role).pk,
            "name": getattr(self.world, role).full_name,
        }
        assert entry["object_type"] == self.model._meta.model_name
        assert entry["object_id"] == obj.pk

    # Writing refused.

    def test_employee_may_not_write(self) -> None:
        obj = self.make(self.world, self.world.member)
        sees_it = self.model._default_manager.visible_to(self.world.employee).filter(pk=obj.pk).exists()
        api = self.as_("employee")
        before, audited = self.state(obj), AuditEntry.objects.count()
        assert_error(api.post(self.path, self.create_payload(self.world, self.world.member)), 403)
        for response in (
            api.patch(self.item(obj), self.patch_payload),
            api.post(self.item(obj, "/deactivate")),
        ):
            assert_error(response, 403 if sees_it else 404)
        assert self.state(obj) == before
        assert AuditEntry.objects.count() == audited

    def test_unauthenticated_is_401(self) -> None:
        obj = self.make(self.world, self.world.member)
        api = self.as_(None)
        for response in (
            api.get(self.path),
            api.get(self.item(obj)),
            api.post(self.path, self.create_payload(self.world, self.world.member)),
            api.patch(self.item(obj), self.patch_payload),
            api.post(self.item(obj, "/deactivate")),
        ):
            assert_error(response, 401)
            assert response["WWW-Authenticate"].startswith("Bearer")

    def test_a_wrong_token_is_401(self) -> None:
        obj = self.make(self.world, self.world.member)
        response = self.client.get(f"/api/v1{self.item(obj)}", headers={"Authorization": "Bearer torg_wrong"})
        assert_error(response, 401)

    # Bad input.

    def test_bad_input_is_a_structured_400_and_changes_nothing(self, writer: tuple[str, str]) -> None:
        role, organization = writer
        obj = self.make(self.world, getattr(self.world, organization))
        api, before, count = self.as_(role), self.state(obj), self.model._default_manager.count()
        payload = self.create_payload(self.world, getattr(self.world, organization))
        payload |= self.invalid_payload
        assert_error(api.post(self.path, payload), 400, *self.invalid_payload)
        assert_error(api.patch(self.item(obj), self.invalid_payload), 400, *self.invalid_payload)
        assert self.model._default_manager.count() == count
        assert self.state(obj) == before

    def test_wrong_types_are_a_structured_422_with_the_field_paths(self) -> None:
        obj = self.make(self.world, self.world.member)
        api, before = self.as_("admin"), self.state(obj)
        assert_error(
            api.patch(self.item(obj), self.malformed_patch_payload), 422, *self.malformed_patch_payload
        )
        error = assert_error(api.post(self.path, {}), 422)
        assert error["fields"]
        assert_error(api.get(self.path, {"limit": 1000}), 422, "limit")
        assert_error(api.get(self.path, {"cursor": "ikkje-ein-peikar"}), 400)
        broken_json = self.client.post(
            API + self.path, "{", content_type="application/json", headers=api.headers
        )
        assert_error(broken_json, 400)
        assert self.state(obj) == before

    # Speed.

    def test_list_query_count_does_not_grow_with_rows(self) -> None:
        api = self.as_("admin")
        for _ in range(3):
            self.make(self.world, self.world.member)
        api.get(self.path)  # the token's first use is recorded once
        with CaptureQueriesContext(connection) as few:
            assert api.get(self.path, {"limit": 200}).status_code == 200
        for _ in range(27):
            self.make(self.world, self.world.member)
        with CaptureQueriesContext(connection) as many:
            response = api.get(self.path, {"limit": 200})
        assert len(response.json()["items"]) >= 30
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
