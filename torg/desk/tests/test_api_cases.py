"""The cases API, reading: the leak table over every endpoint, what an employee sees, the list, categories."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from torg.core.models import AuditEntry, Channel
from torg.core.testing.api import API, ApiClient, assert_error
from torg.core.tests.factories import PersonFactory, ProviderFactory
from torg.desk.api.cases import SORTS
from torg.desk.models import Attachment, Message, Status, Ticket, TicketLink, TimeEntry
from torg.desk.services.conversation import attachment_add
from torg.desk.services.tickets import ticket_create, ticket_transition
from torg.desk.tests.factories import CategoryFactory, TicketFactory

pytestmark = pytest.mark.django_db


class Api(ApiClient):
    def upload(self, path: str, name: str, content: bytes) -> Any:
        return self.client.post(API + path, {"file": SimpleUploadedFile(name, content)}, headers=self.headers)


def api(client: Any, person: Any) -> Api:
    return Api(client, person)


def case(world: Any, caller: Any = None, **kwargs: Any) -> Ticket:
    """A case registered through the service: by the agent in the organization it serves, else the administrator."""
    caller = caller or world.employee
    by = world.agent if caller.organization_id == world.member.pk else world.admin
    kwargs.setdefault("title", "PC-en startar ikkje")
    return ticket_create(by=by, via=Channel.PAGE, caller=caller, **kwargs)


def state(ticket: Ticket) -> dict[str, Any]:
    """Everything an endpoint could change about a case."""
    row = Ticket.objects.get(pk=ticket.pk)
    return {
        "case": {f.attname: getattr(row, f.attname) for f in Ticket._meta.concrete_fields},
        "messages": Message.objects.filter(ticket=ticket).count(),
        "attachments": Attachment.objects.filter(ticket=ticket).count(),
        "time": TimeEntry.objects.filter(ticket=ticket).count(),
        "links": TicketLink.objects.filter(source=ticket).count()
        + TicketLink.objects.filter(target=ticket).count(),
        "audit": AuditEntry.objects.for_object(ticket).count(),
    }


# Every endpoint of one case: (method, path after /cases/{id}, payload). "{other}" is another case the caller
# may work, "{attachment}" a file on the case under test.
ENDPOINTS = [
    ("get", "", None),
    ("patch", "", {"title": "Endra tittel"}),
    ("post", "/assign", {"assignee": "{agent}"}),
    ("post", "/transition", {"status": "in_progress"}),
    ("get", "/messages", None),
    ("post", "/replies", {"body": "Har du prøvd å starte på nytt?"}),
    ("post", "/notes", {"body": "Truleg nettverkskortet."}),
    ("get", "/attachments", None),
    ("upload", "/attachments", None),
    ("get", "/attachments/{attachment}/download", None),
    ("get", "/time", None),
    ("post", "/time", {"minutes": 15, "note": "Ringde"}),
    ("post", "/links", {"other": "{other}", "kind": "related"}),
    ("post", "/merge", {"into": "{other}"}),
    ("get", "/history", None),
]
ENDPOINT_IDS = [f"{method}{path or '/'}" for method, path, _payload in ENDPOINTS]


def call(client: Api, ticket: Ticket, endpoint: tuple[str, str, Any], **names: Any) -> Any:
    method, path, payload = endpoint
    names = {key: value.pk for key, value in names.items()}
    path = f"/cases/{ticket.pk}{path.format(**names)}"
    if isinstance(payload, dict):
        payload = {
            k: names[v[1:-1]] if isinstance(v, str) and v[:1] == "{" else v for k, v in payload.items()
        }
    if method == "upload":
        return client.upload(path, "logg.txt", b"Feil 0x0000007B ved oppstart\n")
    return getattr(client, method)(path, payload)


@pytest.fixture
def files(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ENDPOINT_IDS)
def test_every_endpoint_of_a_case_the_agent_does_not_serve_is_404_and_changes_nothing(
    client: Any, world: Any, files: None, endpoint: tuple[str, str, Any]
) -> None:
    theirs = case(world, caller=world.other_employee)
    attachment = attachment_add(
        ticket=theirs, by=world.admin, via=Channel.PAGE, upload=SimpleUploadedFile("a.txt", b"hei")
    )
    mine = case(world)
    before, mine_before = state(theirs), state(mine)
    response = call(
        api(client, world.agent), theirs, endpoint, other=mine, attachment=attachment, agent=world.agent
    )
    error = assert_error(response, 404)
    assert error["code"] == "not_found"
    assert theirs.title not in response.content.decode()
    assert state(theirs) == before
    assert state(mine) == mine_before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ENDPOINT_IDS)
def test_every_endpoint_of_a_served_case_answers(
    client: Any, world: Any, files: None, endpoint: tuple[str, str, Any]
) -> None:
    mine, other = case(world), case(world)
    attachment = attachment_add(
        ticket=mine, by=world.agent, via=Channel.PAGE, upload=SimpleUploadedFile("a.txt", b"hei")
    )
    response = call(
        api(client, world.agent), mine, endpoint, other=other, attachment=attachment, agent=world.agent
    )
    assert response.status_code in (200, 201), response.content.decode()[:2000]
    if response.streaming:
        assert b"".join(response.streaming_content) == b"hei"  # read to the end, which closes the file


def test_a_case_the_agent_does_not_serve_is_absent_from_the_list_the_search_and_bulk_changes(
    client: Any, world: Any
) -> None:
    mine, theirs = (
        case(world, title="Skrivar på Knarvik"),
        case(world, caller=world.other_employee, title="Skrivar i Fjellby"),
    )
    agent = api(client, world.agent)
    listed = {item["id"] for item in agent.get("/cases/", {"limit": 200}).json()["items"]}
    assert mine.pk in listed and theirs.pk not in listed
    assert [i["id"] for i in agent.get("/cases/", {"text": "Skrivar"}).json()["items"]] == [mine.pk]
    assert agent.get("/cases/", {"text": "Fjellby"}).json()["items"] == []
    assert agent.get("/cases/", {"text": f"#{theirs.pk}"}).json()["items"] == []
    assert agent.get("/cases/", {"organization": world.other.pk}).json()["items"] == []
    before, mine_before = state(theirs), state(mine)
    for path, payload in (
        ("/cases/bulk/transition", {"ids": [mine.pk, theirs.pk], "status": "in_progress"}),
        ("/cases/bulk/assign", {"ids": [mine.pk, theirs.pk], "team": None}),
    ):
        error = assert_error(agent.post(path, payload), 400, "ids")
        assert str(theirs.pk) in error["fields"]["ids"][0]
    assert assert_error(agent.get(f"/cases/{theirs.pk + 1000}"), 404)
    assert state(theirs) == before and state(mine) == mine_before


def test_unauthenticated_is_401(client: Any, world: Any) -> None:
    mine = case(world)
    anonymous = ApiClient(client)
    for response in (
        anonymous.get("/cases/"),
        anonymous.get(f"/cases/{mine.pk}"),
        anonymous.post("/cases/", {}),
    ):
        assert_error(response, 401)


# An employee.


def test_an_employee_sees_only_their_own_cases(client: Any, world: Any) -> None:
    colleague = PersonFactory(organization=world.member)
    own, theirs = case(world), case(world, caller=colleague)
    employee = api(client, world.employee)
    assert [item["id"] for item in employee.get("/cases/").json()["items"]] == [own.pk]
    assert employee.get(f"/cases/{own.pk}").json()["title"] == own.title
    for path in ("", "/messages", "/attachments", "/history"):
        assert_error(employee.get(f"/cases/{theirs.pk}{path}"), 404)
    assert employee.get(f"/cases/{own.pk}/history").json()["items"] == []  # the audit is for staff


def test_an_employee_registers_their_own_case_but_works_no_case(client: Any, world: Any) -> None:
    employee = api(client, world.employee)
    response = employee.post("/cases/", {"title": "Treg PC", "description": "Tek fem minutt å starte."})
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert body["caller"]["id"] == world.employee.pk and body["channel"] == "api"
    colleague = PersonFactory(organization=world.member)
    assert_error(employee.post("/cases/", {"title": "X", "caller": colleague.pk}), 400, "caller")
    for response in (
        employee.patch(f"/cases/{body['id']}", {"title": "Endra"}),
        employee.post(f"/cases/{body['id']}/transition", {"status": "resolved"}),
        employee.post(f"/cases/{body['id']}/notes", {"body": "Internt"}),
        employee.get(f"/cases/{body['id']}/time"),
    ):
        assert_error(response, 403)
    assert Ticket.objects.get(pk=body["id"]).title == "Treg PC"


# The list.


def test_the_list_filters(client: Any, world: Any) -> None:
    category = CategoryFactory(organization=world.provider)
    colleague = PersonFactory(organization=world.member, department=None, location=None)
    a = case(world, kind="request", category=category, impact=1, urgency=1, channel="email")
    b = case(world, caller=colleague, title="Passordet er utgått")
    c = ticket_transition(ticket=case(world), status=Status.RESOLVED, by=world.agent, via=Channel.PAGE)
    d = case(world, assignee=world.agent)
    Ticket.objects.filter(pk=a.pk).update(created_at=timezone.now() - timedelta(days=10))
    agent = api(client, world.agent)

    def ids(**params: Any) -> set[int]:
        response = agent.get("/cases/", params)
        assert response.status_code == 200, response.content.decode()
        return {item["id"] for item in response.json()["items"]}

    team = world.agent.teams.get()
    assert ids() == {a.pk, b.pk, c.pk, d.pk}
    assert ids(status=["new"]) == {a.pk, b.pk}
    assert ids(status=["new", "resolved"]) == {a.pk, b.pk, c.pk}
    assert ids(open="true") == {a.pk, b.pk, d.pk} and ids(open="false") == {c.pk}
    assert ids(priority=1) == {a.pk}
    assert ids(kind="request") == {a.pk} and ids(channel="email") == {a.pk}
    assert ids(category=category.pk) == {a.pk}
    assert ids(team=team.pk) == {a.pk, b.pk, c.pk, d.pk}
    assert ids(assignee="me") == {d.pk} and ids(assignee=str(world.agent.pk)) == {d.pk}
    assert ids(assignee="none") == {a.pk, b.pk, c.pk}
    assert ids(organization=world.member.pk) == {a.pk, b.pk, c.pk, d.pk}
    assert ids(department=world.employee.department_id) == {a.pk, c.pk, d.pk}
    assert ids(location=world.employee.location_id) == {a.pk, c.pk, d.pk}
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(created_after=since) == {b.pk, c.pk, d.pk} and ids(created_before=since) == {a.pk}
    assert ids(text="passordet utgått") == {b.pk} and ids(text=f"#{c.pk}") == {c.pk}
    for bad in (
        {"status": "flying"},
        {"assignee": "deg"},
        {"priority": 7},
        {"sort": "title"},
        {"open": "kanskje"},
    ):
        error = assert_error(agent.get("/cases/", bad), 422)
        assert any(next(iter(bad)) in field for field in error["fields"]), error


@pytest.mark.parametrize("sort", list(SORTS))
def test_a_cursor_walk_returns_every_case_once_in_order(client: Any, world: Any, sort: str) -> None:
    tickets = [case(world, impact=1 + n % 3, urgency=1 + n % 2) for n in range(11)]
    same = timezone.now() - timedelta(hours=1)  # ties, so the id has to break them
    Ticket.objects.filter(pk__in=[t.pk for t in tickets[:5]]).update(created_at=same, updated_at=same)
    agent = api(client, world.agent)
    seen: list[int] = []
    cursor = None
    for _ in range(20):
        page = agent.get(
            "/cases/", {"sort": sort, "limit": 3, **({"cursor": cursor} if cursor else {})}
        ).json()
        assert len(page["items"]) <= 3
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(Ticket.objects.order_by(*SORTS[sort]).values_list("id", flat=True))
    assert len(seen) == len(set(seen)) == 11


def test_a_bad_cursor_is_a_structured_400(client: Any, world: Any) -> None:
    error = assert_error(api(client, world.agent).get("/cases/", {"cursor": "ikkje-ein-peikar"}), 400)
    assert error["code"] == "cursor"


@pytest.mark.parametrize(
    "params", [{}, {"status": ["new", "in_progress"], "text": "skrivar", "sort": "priority"}]
)
def test_the_list_query_count_does_not_grow_with_cases(client: Any, world: Any, params: dict) -> None:
    agent = api(client, world.agent)
    category = CategoryFactory(organization=world.provider)

    def make(n: int) -> None:
        for _ in range(n):
            TicketFactory(
                caller=PersonFactory(organization=world.member),
                title="Skrivar står",
                category=category,
                team=world.agent.teams.get(),
                assignee=world.agent,
            )

    make(3)
    agent.get("/cases/")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert len(agent.get("/cases/", params | {"limit": 200}).json()["items"]) == 3
    make(27)
    with CaptureQueriesContext(connection) as many:
        assert len(agent.get("/cases/", params | {"limit": 200}).json()["items"]) == 30
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert not [q for q in many.captured_queries if "COUNT(" in q["sql"].upper()]


# Categories.


def test_categories_of_the_provider_are_offered_to_its_agents_and_to_the_employees_it_serves(
    client: Any, world: Any
) -> None:
    ours = CategoryFactory(organization=world.provider, name="Tilgang")
    retired = CategoryFactory(organization=world.provider, name="Faks", is_active=False)
    CategoryFactory(organization=ProviderFactory(), name="Andre sin")
    for person in (world.agent, world.employee):
        response = api(client, person).get("/cases/categories/")
        assert response.status_code == 200
        assert {item["id"] for item in response.json()["items"]} == {ours.pk, retired.pk}
    response = api(client, world.employee).get("/cases/categories/", {"active": "true"})
    assert [item["name"] for item in response.json()["items"]] == ["Tilgang"]
    created = api(client, world.employee).post("/cases/", {"title": "Tilgang til Visma", "category": ours.pk})
    assert created.status_code == 201 and created.json()["category"]["id"] == ours.pk
