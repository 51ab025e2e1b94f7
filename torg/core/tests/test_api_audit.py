"""The audit log through the API: only the organizations the caller reaches, filtered."""

from __future__ import annotations

from typing import Any

import pytest

from torg.core.models import AuditEntry, Channel
from torg.core.services.organizations import location_create
from torg.core.testing.api import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(world: Any) -> dict[str, Any]:
    mine = location_create(organization=world.member, name="Lindås rådhus", by=world.admin, via=Channel.PAGE)
    theirs = location_create(
        organization=world.other, name="Fjellby rådhus", by=world.admin, via=Channel.PAGE
    )
    return {"mine": mine, "theirs": theirs}


def test_agent_sees_entries_of_served_organizations_only(
    client: Any, world: Any, entries: dict[str, Any]
) -> None:
    response = ApiClient(client, world.agent).get("/audit/", {"limit": 200})
    assert response.status_code == 200
    items = response.json()["items"]
    assert "Lindås rådhus" in {item["object_repr"] for item in items}
    assert "Fjellby rådhus" not in {item["object_repr"] for item in items}
    assert {item["organization"] for item in items} <= {world.member.pk, world.provider.pk}


def test_an_entry_names_who_did_what_through_which_channel(
    client: Any, world: Any, entries: dict[str, Any]
) -> None:
    mine = entries["mine"]
    response = ApiClient(client, world.agent).get(
        "/audit/", {"object_type": "location", "object_id": mine.pk}
    )
    [entry] = response.json()["items"]
    assert entry["action"] == "create"
    assert entry["channel"] == "page"
    assert entry["actor"] == {"id": world.admin.pk, "name": "Anne Admin"}
    assert entry["object_type"] == "location"
    assert entry["changes"]["name"] == [None, "Lindås rådhus"]
    assert entry["created_at"].endswith(("Z", "+00:00", "+01:00", "+02:00"))


def test_filters_by_organization_actor_and_app_label(
    client: Any, world: Any, entries: dict[str, Any]
) -> None:
    api = ApiClient(client, world.admin)
    by_organization = api.get("/audit/", {"organization": world.other.pk, "limit": 200}).json()["items"]
    assert {item["organization"] for item in by_organization} == {world.other.pk}
    by_actor = api.get("/audit/", {"actor": world.admin.pk, "object_type": "core.location"}).json()["items"]
    assert {item["object_repr"] for item in by_actor} == {"Lindås rådhus", "Fjellby rådhus"}
    assert api.get("/audit/", {"object_type": "nothing"}).json()["items"] == []


def test_an_employee_sees_no_audit_entries(client: Any, world: Any, entries: dict[str, Any]) -> None:
    assert ApiClient(client, world.employee).get("/audit/").json()["items"] == []


def test_the_log_is_newest_first_and_pages_by_cursor(
    client: Any, world: Any, entries: dict[str, Any]
) -> None:
    api = ApiClient(client, world.admin)
    first = api.get("/audit/", {"limit": 1}).json()
    second = api.get("/audit/", {"limit": 1, "cursor": first["next_cursor"]}).json()
    assert first["items"][0]["id"] > second["items"][0]["id"]
    assert AuditEntry.objects.order_by("-id").first().pk == first["items"][0]["id"]
