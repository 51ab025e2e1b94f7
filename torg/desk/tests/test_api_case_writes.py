"""The cases API, writing: create with an idempotency key, changes, assignment, links and merging, bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest

from torg.core.models import AuditEntry, Channel
from torg.core.testing.api import assert_error
from torg.core.tests.factories import (
    DepartmentFactory,
    LocationFactory,
    ProviderFactory,
    TeamFactory,
)
from torg.desk.models import IdempotencyKey, Message, Status, Ticket
from torg.desk.services.conversation import ticket_reply
from torg.desk.services.tickets import ticket_transition
from torg.desk.tests.factories import CategoryFactory
from torg.desk.tests.test_api_cases import api, case, state

pytestmark = pytest.mark.django_db


# Create and idempotency.


def test_an_agent_registers_a_case_for_a_caller(client: Any, world: Any) -> None:
    category = CategoryFactory(organization=world.provider, name="PC og skrivar")
    payload = {
        "caller": world.employee.pk, "title": "Skjermen er svart", "description": "Sidan i går.",
        "kind": "incident", "category": category.pk, "impact": 2, "urgency": 1, "channel": "phone",
        "assignee": world.agent.pk,
    }  # fmt: skip
    response = api(client, world.agent).post("/cases/", payload)
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert body["priority"] == 2 and body["status"] == "in_progress"
    assert body["category"] == {"id": category.pk, "name": "PC og skrivar"}
    assert body["assignee"] == {"id": world.agent.pk, "name": "Ola Agent"}
    assert body["department"]["name"] == "Oppvekst" and body["identity_numbers_masked"] is False
    entry = AuditEntry.objects.get(object_id=body["id"], action="create")
    assert entry.channel == Channel.API and entry.actor_id == world.agent.pk


def test_the_same_idempotency_key_twice_makes_one_case(client: Any, world: Any) -> None:
    agent = api(client, world.agent)
    agent.headers["Idempotency-Key"] = "6f1c2e-registrering-1"
    payload = {"caller": world.employee.pk, "title": "Tilgang til fagsystem"}
    first = agent.post("/cases/", payload)
    again = agent.post("/cases/", payload)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Ticket.objects.count() == 1


def test_the_same_key_from_different_people_makes_two_cases(client: Any, world: Any) -> None:
    payload = {"caller": world.employee.pk, "title": "Tilgang til fagsystem"}
    ids = set()
    for person in (world.agent, world.lead):
        sender = api(client, person)
        sender.headers["Idempotency-Key"] = "same-key"
        response = sender.post("/cases/", payload)
        assert response.status_code == 201
        ids.add(response.json()["id"])
    assert len(ids) == 2 and Ticket.objects.count() == 2


def test_a_retry_racing_the_first_request_gets_the_first_case(
    client: Any, world: Any, monkeypatch: Any
) -> None:
    agent = api(client, world.agent)
    agent.headers["Idempotency-Key"] = "race"
    first = agent.post("/cases/", {"caller": world.employee.pk, "title": "Tilgang"}).json()
    # The retry does not see the first request's key (not committed yet) and runs into its unique constraint.
    real = IdempotencyKey.objects.filter
    monkeypatch.setattr(IdempotencyKey.objects, "filter", lambda *a, **kw: real(*a, **kw).none())
    again = agent.post("/cases/", {"caller": world.employee.pk, "title": "Tilgang"})
    assert again.json()["id"] == first["id"], again.content.decode()
    assert Ticket.objects.count() == 1
    assert AuditEntry.objects.filter(action="create", content_type__model="ticket").count() == 1


def test_an_idempotency_key_longer_than_100_is_refused(client: Any, world: Any) -> None:
    agent = api(client, world.agent)
    agent.headers["Idempotency-Key"] = "k" * 101
    assert_error(agent.post("/cases/", {"caller": world.employee.pk, "title": "X"}), 422, "Idempotency-Key")
    assert not Ticket.objects.exists()


# Bad input.


def test_ids_the_writer_cannot_see_are_unknown_and_nothing_is_created(client: Any, world: Any) -> None:
    elsewhere = ProviderFactory(name="Austland IKT")
    foreign_team = TeamFactory(organization=elsewhere, name="Servicedesk aust")
    foreign_category = CategoryFactory(organization=elsewhere)
    agent = api(client, world.agent)
    base = {"caller": world.employee.pk, "title": "Skjermen er svart"}
    for field, value in (
        ("caller", world.other_employee.pk),
        ("team", foreign_team.pk),
        ("assignee", world.other_employee.pk),
        ("category", foreign_category.pk),
        ("caller", 987654321),
    ):
        error = assert_error(agent.post("/cases/", base | {field: value}), 400, field)
        assert error["fields"][field][0].startswith("Unknown") and str(value) in error["fields"][field][0]
        assert world.other_employee.full_name not in json.dumps(error)
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"title": ["ikkje", "tekst"]},
        {"title": "X", "impact": "høg"},
        {"title": "X", "impact": 9},
        {"title": "X", "kind": "klage"},
        {"title": "X", "caller": "Eli"},
        {"title": "X", "description": "x" * 20_001},
        {},
    ],
)
def test_wrong_types_are_a_structured_422_and_create_nothing(client: Any, world: Any, payload: dict) -> None:
    error = assert_error(api(client, world.agent).post("/cases/", payload), 422)
    assert error["fields"]
    assert not Ticket.objects.exists()


def test_a_title_longer_than_200_is_a_field_error_and_changes_nothing(client: Any, world: Any) -> None:
    agent, mine = api(client, world.agent), case(world)
    before = state(mine)
    assert_error(agent.post("/cases/", {"caller": world.employee.pk, "title": "x" * 201}), 400, "title")
    assert_error(agent.patch(f"/cases/{mine.pk}", {"title": "x" * 201}), 400, "title")
    assert_error(agent.patch(f"/cases/{mine.pk}", {"title": None}), 422, "title")
    assert_error(agent.patch(f"/cases/{mine.pk}", {"impact": None}), 422, "impact")
    assert Ticket.objects.count() == 1 and state(mine) == before


def test_a_transition_that_is_not_allowed_is_a_field_error(client: Any, world: Any) -> None:
    agent, mine = api(client, world.agent), case(world)
    before = state(mine)
    error = assert_error(agent.post(f"/cases/{mine.pk}/transition", {"status": "closed"}), 400, "status")
    assert "New" in error["fields"]["status"][0]
    assert_error(agent.post(f"/cases/{mine.pk}/transition", {"status": "flying"}), 422, "status")
    assert state(mine) == before


def test_a_bulk_change_is_all_or_none(client: Any, world: Any) -> None:
    fresh = case(world)
    resolved = ticket_transition(ticket=case(world), status=Status.RESOLVED, by=world.agent, via=Channel.PAGE)
    agent = api(client, world.agent)
    before = (state(fresh), state(resolved))
    # resolved → closed is allowed, new → closed is not: the first change is rolled back with the second.
    assert_error(
        agent.post("/cases/bulk/transition", {"ids": [resolved.pk, fresh.pk], "status": "closed"}), 400
    )
    assert (state(fresh), state(resolved)) == before
    assert_error(agent.post("/cases/bulk/transition", {"ids": ["ein"], "status": "closed"}), 422, "ids.0")
    assert_error(agent.post("/cases/bulk/assign", {"ids": [], "team": None}), 422, "ids")


def test_bulk_changes_return_the_cases_in_the_order_asked(client: Any, world: Any) -> None:
    first, second = case(world), case(world)
    agent = api(client, world.agent)
    response = agent.post("/cases/bulk/transition", {"ids": [second.pk, first.pk], "status": "in_progress"})
    assert [item["id"] for item in response.json()["items"]] == [second.pk, first.pk]
    assert {item["status"] for item in response.json()["items"]} == {"in_progress"}
    team = world.agent.teams.get()
    response = agent.post(
        "/cases/bulk/assign", {"ids": [first.pk, second.pk], "team": team.pk, "assignee": world.agent.pk}
    )
    assert response.status_code == 200, response.content.decode()
    assert {item["assignee"]["id"] for item in response.json()["items"]} == {world.agent.pk}
    changes = AuditEntry.objects.filter(content_type__model="ticket", object_id__in=[first.pk, second.pk])
    assert changes.filter(channel="api", actor=world.agent).count() == 4


def test_a_case_cannot_be_merged_into_itself_or_another_organizations_case(client: Any, world: Any) -> None:
    mine, theirs = case(world), case(world, caller=world.other_employee)
    before, theirs_before = state(mine), state(theirs)
    agent, admin = api(client, world.agent), api(client, world.admin)
    assert_error(agent.post(f"/cases/{mine.pk}/merge", {"into": mine.pk}), 400)
    assert_error(
        agent.post(f"/cases/{mine.pk}/merge", {"into": theirs.pk}), 400, "into"
    )  # out of reach: unknown
    assert_error(
        admin.post(f"/cases/{mine.pk}/merge", {"into": theirs.pk}), 400
    )  # in reach, but not the same
    assert_error(agent.post(f"/cases/{mine.pk}/links", {"other": theirs.pk}), 400, "other")
    assert state(mine) == before and state(theirs) == theirs_before


def test_html_and_script_are_stored_and_returned_as_the_same_text(client: Any, world: Any) -> None:
    agent = api(client, world.agent)
    title = '<script>alert("x")</script><img src=x onerror=alert(1)> & "sitat"'
    body = "<b>Fet</b> <iframe src='https://example.org'></iframe>"
    response = agent.post("/cases/", {"caller": world.employee.pk, "title": title, "description": body})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["title"] == title and response.json()["description"] == body
    ticket = Ticket.objects.get()
    assert (ticket.title, ticket.description) == (title, body)
    reply = agent.post(f"/cases/{ticket.pk}/replies", {"body": body}).json()
    assert reply["body"] == body and Message.objects.get().body == body
    assert agent.get(f"/cases/{ticket.pk}").json()["title"] == title


# Changing a case.


def test_patch_changes_fields_through_the_service_and_is_in_the_history(client: Any, world: Any) -> None:
    mine = case(world, impact=3, urgency=3)
    agent = api(client, world.agent)
    department = DepartmentFactory(organization=world.member, name="Helse")
    response = agent.patch(f"/cases/{mine.pk}", {"impact": 1, "urgency": 1, "department": department.pk})
    assert response.status_code == 200, response.content.decode()
    assert response.json()["priority"] == 1 and response.json()["department"]["name"] == "Helse"
    entry = agent.get(f"/cases/{mine.pk}/history").json()["items"][0]
    assert entry["channel"] == "api" and entry["actor"]["id"] == world.agent.pk
    assert entry["changes"]["priority"][1] == "1 – Critical"
    assert_error(
        agent.patch(f"/cases/{mine.pk}", {"priority": 1, "impact": 3, "urgency": 3}), 400, "priority_reason"
    )


def test_patch_refuses_a_department_or_location_of_another_organization(client: Any, world: Any) -> None:
    mine = case(world)
    before = state(mine)
    admin = api(client, world.admin)  # reaches both organizations
    for field, other in (
        ("department", DepartmentFactory(organization=world.other)),
        ("location", LocationFactory(organization=world.other)),
        ("category", CategoryFactory(organization=ProviderFactory())),
    ):
        assert_error(admin.patch(f"/cases/{mine.pk}", {field: other.pk}), 400, field)
    assert state(mine) == before


def test_assign_keeps_the_team_when_it_is_left_out_and_transfers_with_a_reason(
    client: Any, world: Any
) -> None:
    mine = case(world)
    agent = api(client, world.agent)
    response = agent.post(f"/cases/{mine.pk}/assign", {"assignee": world.agent.pk})
    assert (
        response.json()["team"]["name"] == "1. linje" and response.json()["assignee"]["id"] == world.agent.pk
    )
    second = TeamFactory(organization=world.provider, name="2. linje", serves=[world.member])
    assert_error(agent.post(f"/cases/{mine.pk}/assign", {"team": second.pk}), 400, "reason")
    response = agent.post(f"/cases/{mine.pk}/assign", {"team": second.pk, "reason": "Treng servertilgang"})
    assert response.json()["team"]["name"] == "2. linje" and response.json()["transferred"] is True
    assert response.json()["assignee"] is None


def test_links_and_merge(client: Any, world: Any) -> None:
    mine, other, duplicate = case(world), case(world), case(world)
    agent = api(client, world.agent)
    link = agent.post(f"/cases/{mine.pk}/links", {"other": other.pk, "kind": "related"})
    assert link.status_code == 201 and link.json()["target"] == other.pk
    assert agent.post(f"/cases/{mine.pk}/links", {"other": other.pk}).json()["id"] == link.json()["id"]
    assert_error(agent.post(f"/cases/{mine.pk}/links", {"other": other.pk, "kind": "blocks"}), 422, "kind")
    ticket_reply(ticket=duplicate, by=world.agent, via=Channel.PAGE, body="Same feil her")
    response = agent.post(f"/cases/{duplicate.pk}/merge", {"into": mine.pk})
    assert response.status_code == 200 and response.json()["id"] == mine.pk
    merged = agent.get(f"/cases/{duplicate.pk}").json()
    assert merged["status"] == "closed" and merged["merged_into"] == mine.pk
    bodies = [m["body"] for m in agent.get(f"/cases/{mine.pk}/messages").json()["items"]]
    assert "Same feil her" in bodies
