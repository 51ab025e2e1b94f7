"""The case queues: who sees which cases, filters, polling, counts, bulk changes and saved queues."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from torg.core.models import AuditEntry, Channel
from torg.core.tests.factories import PersonFactory, TeamFactory, TeamMembershipFactory
from torg.desk.models import SavedFilter, Status, Ticket
from torg.desk.services.tickets import ticket_assign, ticket_create, ticket_transition
from torg.desk.tests.factories import TicketFactory

LIST = reverse("desk:case_list")
HTMX = {"HX-Request": "true"}


def case(world, title: str, **kwargs) -> Ticket:
    return ticket_create(by=world.agent, via=Channel.PAGE, caller=world.employee, title=title, **kwargs)


def rows(response) -> str:
    body = response.content.decode()
    return body[body.index("<tbody>") : body.index("</tbody>")]


@pytest.fixture
def cases(world):
    """Mine (assigned to the agent), unassigned on the agent's team, one on another team, and another
    organization's case."""
    team = world.agent.teams.get()
    hr = TeamFactory(organization=world.provider, name="HR", serves=[world.member])
    mine = case(world, "Skrivar streikar", assignee=world.agent, team=team)
    unassigned = case(world, "Passordet gjekk ut")
    elsewhere = case(world, "Lønnsslipp manglar", team=hr)
    foreign = TicketFactory(caller=world.other_employee, title="Fjellby sin hemmelege sak")
    return {"mine": mine, "unassigned": unassigned, "elsewhere": elsewhere, "foreign": foreign, "hr": hr}


def test_an_employee_is_refused_the_workspace(client, world):
    client.force_login(world.employee)
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("desk:case_create")).status_code == 403
    assert client.get(reverse("desk:shortcuts")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    response = client.get(LIST)
    assert response.status_code == 302 and "signin" in response["Location"]


@pytest.mark.parametrize(
    ("queue", "expected"),
    [
        ("mine", {"mine"}),
        ("unassigned", {"unassigned"}),
        ("teams", {"mine", "unassigned"}),
        ("all", {"mine", "unassigned", "elsewhere"}),
    ],
)
def test_each_queue_shows_its_cases_and_never_another_organizations(client, world, cases, queue, expected):
    client.force_login(world.agent)
    html = rows(client.get(LIST, {"queue": queue}))
    for name in ("mine", "unassigned", "elsewhere", "foreign"):
        assert (cases[name].title in html) == (name in expected), name


def test_my_cases_is_the_default_queue_and_holds_open_cases_only(client, world, cases):
    ticket_transition(ticket=cases["mine"], status=Status.RESOLVED, by=world.agent, via=Channel.PAGE)
    client.force_login(world.agent)
    response = client.get(LIST)
    assert response.context["queue"] == "mine"
    assert "Nothing matches." in rows(response)
    resolved = rows(client.get(LIST, {"queue": "mine", "status": ["resolved"]}))
    assert cases["mine"].title in resolved


def test_an_administrator_without_a_team_starts_with_everything(client, world, cases):
    client.force_login(world.admin)
    html = rows(client.get(LIST))
    assert cases["foreign"].title in html and cases["mine"].title in html


def test_search_finds_by_words_and_number_but_never_another_organizations_cases(client, world, cases):
    client.force_login(world.agent)
    html = rows(client.get(LIST, {"queue": "all", "text": "passordet"}, headers=HTMX))
    assert cases["unassigned"].title in html and cases["mine"].title not in html
    assert cases["mine"].title in rows(client.get(LIST, {"queue": "all", "text": f"#{cases['mine'].pk}"}))
    for text in ("hemmelege", f"#{cases['foreign'].pk}"):
        html = rows(client.get(LIST, {"queue": "all", "text": text}, headers=HTMX))
        assert cases["foreign"].title not in html and "Nothing matches." in html


def test_filters_narrow_the_list(client, world, cases):
    old = case(world, "Gammal sak", impact=1, urgency=1)
    Ticket.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    client.force_login(world.agent)

    def titles(**params):
        return rows(client.get(LIST, {"queue": "all", **params}))

    assert old.title in titles(older_than=30) and cases["mine"].title not in titles(older_than=30)
    assert old.title in titles(priority=1) and cases["unassigned"].title not in titles(priority=1)
    assert cases["elsewhere"].title in titles(team=cases["hr"].pk) and old.title not in titles(
        team=cases["hr"].pk
    )
    in_progress = titles(status=["in_progress"])
    assert cases["mine"].title in in_progress and cases["unassigned"].title not in in_progress
    both = titles(status=["in_progress", "new"])
    assert cases["mine"].title in both and cases["unassigned"].title in both
    assert cases["mine"].title in titles(assignee=world.agent.pk)
    department = world.employee.department
    assert cases["mine"].title in titles(organization=world.member.pk, department=department.pk)
    location = world.employee.location
    assert cases["mine"].title in titles(organization=world.member.pk, location=location.pk)
    assert "Nothing matches." in titles(organization=world.member.pk, kind="question")


def test_a_department_of_another_organization_is_not_a_valid_filter(client, world, cases):
    from torg.core.tests.factories import DepartmentFactory

    foreign = DepartmentFactory(organization=world.other)
    client.force_login(world.agent)
    response = client.get(LIST, {"queue": "all", "organization": world.member.pk, "department": foreign.pk})
    assert "Nothing matches." in rows(response)
    assert "Select a valid choice" in response.content.decode()


def test_htmx_answers_with_the_rows_and_announces_the_count(client, world, cases):
    client.force_login(world.agent)
    response = client.get(LIST, {"queue": "all"}, headers=HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]  # so Back never shows the bare rows from the cache
    assert 'id="result-count" hx-swap-oob="innerHTML"' in body and "3 matches" in body
    # The rows poll every 30 s with the current filter, and keep the boxes the agent ticked.
    assert 'hx-trigger="every 30s"' in body and "queue=all" in body
    assert 'hx-preserve="true"' in body


def test_a_poll_announces_the_count_only_when_it_changed(client, world, cases):
    client.force_login(world.agent)
    same = client.get(LIST, {"queue": "all", "poll": "3"}, headers=HTMX).content.decode()
    assert "result-count" not in same
    case(world, "Ny sak medan du venta")
    changed = client.get(LIST, {"queue": "all", "poll": "3"}, headers=HTMX).content.decode()
    assert "4 matches" in changed and "Ny sak medan du venta" in changed


def test_counts_are_capped(client, world, monkeypatch):
    from torg.core import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    for i in range(5):
        case(world, f"Sak {i}")
    client.force_login(world.agent)
    response = client.get(LIST, {"queue": "all"})
    assert "3+ matches" in response.content.decode()


def test_keyset_pages_in_priority_order_walk_every_case_once(client, world, monkeypatch):
    from torg.desk.views import queues

    monkeypatch.setattr(queues, "PAGE_SIZE", 4)
    for i in range(11):
        case(world, f"Sak {i}", impact=1 + i % 3, urgency=1 + i % 2)
    client.force_login(world.agent)
    seen, priorities, params = [], [], {"queue": "all", "sort": "priority"}
    while True:
        page = client.get(LIST, params).context["page"]
        seen += [t.pk for t in page.items]
        priorities += [t.priority for t in page.items]
        if not page.next_cursor:
            break
        params = {"queue": "all", "sort": "priority", "cursor": page.next_cursor}
    assert len(seen) == len(set(seen)) == 11
    assert priorities == sorted(priorities)


def test_html_in_a_title_is_shown_as_text(client, world):
    case(world, '<script>alert("x")</script><b>fet</b>')
    client.force_login(world.agent)
    html = client.get(LIST, {"queue": "all"}).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;fet&lt;/b&gt;" in html
    assert '<script>alert("x")' not in html


def test_the_list_makes_as_many_queries_for_30_cases_as_for_3(client, world):
    client.force_login(world.agent)
    team = world.agent.teams.get()

    def make(n):
        for i in range(n):
            ticket = case(world, f"Sak {i}")
            ticket_assign(ticket=ticket, team=team, assignee=world.agent, by=world.agent, via=Channel.PAGE)

    make(3)
    client.get(LIST, {"queue": "all"})  # warm the content type cache
    with CaptureQueriesContext(connection) as few:
        client.get(LIST, {"queue": "all"})
    make(27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST, {"queue": "all"})
    assert len(response.context["page"].items) == 30
    assert len(many) == len(few)


# Bulk changes.


def bulk(client, ids, **data):
    payload = {"bulk-tickets": ids, "bulk-action": "assign", "next": f"{LIST}?queue=all"}
    payload |= {f"bulk-{k}": v for k, v in data.items()}
    return client.post(reverse("desk:case_bulk"), payload, follow=True)


def test_bulk_assign_writes_one_audit_entry_per_case(client, world, cases):
    team = world.agent.teams.get()
    ids = [cases["mine"].pk, cases["unassigned"].pk]
    before = AuditEntry.objects.filter(object_id__in=ids, action="update").count()
    client.force_login(world.agent)
    response = bulk(client, ids, team=team.pk, assignee=world.lead.pk)
    assert "2 cases changed." in response.content.decode()
    assert set(Ticket.objects.filter(pk__in=ids).values_list("assignee", flat=True)) == {world.lead.pk}
    assert AuditEntry.objects.filter(object_id__in=ids, action="update").count() == before + 2


def test_bulk_assign_is_all_or_nothing(client, world, cases):
    team = world.agent.teams.get()
    second = TeamFactory(organization=world.provider, name="2. linje", serves=[world.member])
    ids = [cases["mine"].pk, cases["unassigned"].pk]
    client.force_login(world.agent)
    # Moving cases to another team needs a reason: refused for both, neither changes.
    response = bulk(client, ids, team=second.pk)
    html = response.content.decode()
    assert "Nothing was changed." in html and "Say why the case goes to another team." in html
    assert set(Ticket.objects.filter(pk__in=ids).values_list("team", flat=True)) == {team.pk}
    # One resolved case among them stops the whole change.
    ticket_transition(ticket=cases["unassigned"], status=Status.RESOLVED, by=world.agent, via=Channel.PAGE)
    html = bulk(client, ids, team=second.pk, reason="Krev 2. linje").content.decode()
    assert "Nothing was changed." in html and "Reopen the case before you assign it." in html
    assert Ticket.objects.get(pk=cases["mine"].pk).team == team
    assert not AuditEntry.objects.filter(
        object_id=cases["mine"].pk, action="update", changes__has_key="team"
    ).exists()


def test_bulk_status_change(client, world, cases):
    ids = [cases["mine"].pk, cases["unassigned"].pk]
    client.force_login(world.agent)
    response = client.post(
        reverse("desk:case_bulk"),
        {"bulk-tickets": ids, "bulk-action": "status", "bulk-status": "waiting_supplier"},
        follow=True,
    )
    assert "2 cases changed." in response.content.decode()
    assert set(Ticket.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"waiting_supplier"}
    response = client.post(
        reverse("desk:case_bulk"),
        {"bulk-tickets": ids, "bulk-action": "status", "bulk-status": "closed"},
        follow=True,
    )
    assert "Nothing was changed." in response.content.decode()
    assert set(Ticket.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"waiting_supplier"}


def test_bulk_with_another_organizations_case_is_404_and_changes_nothing(client, world, cases):
    team = world.agent.teams.get()
    client.force_login(world.agent)
    response = client.post(
        reverse("desk:case_bulk"),
        {
            "bulk-tickets": [cases["unassigned"].pk, cases["foreign"].pk],
            "bulk-action": "assign",
            "bulk-team": team.pk,
            "bulk-assignee": world.agent.pk,
        },
    )
    assert response.status_code == 404
    assert Ticket.objects.get(pk=cases["unassigned"].pk).assignee is None


def test_bulk_without_ticked_cases_says_so(client, world, cases):
    client.force_login(world.agent)
    response = client.post(reverse("desk:case_bulk"), {"bulk-action": "assign"}, follow=True)
    assert "Tick the cases first." in response.content.decode()


def test_team_agents_lists_the_members_of_a_visible_team_only(client, world):
    team = world.agent.teams.get()
    hidden = TeamFactory(name="Skjult")  # a team of another provider
    TeamMembershipFactory(
        team=hidden, person=PersonFactory(organization=hidden.organization, first_name="Skjult")
    )
    client.force_login(world.agent)
    html = client.get(reverse("desk:team_agents"), {"bulk-team": team.pk}).content.decode()
    assert world.agent.full_name in html and "Lise Leder (team lead)" in html
    assert "Skjult" not in client.get(reverse("desk:team_agents"), {"team": hidden.pk}).content.decode()


# Saved queues.


def test_a_private_queue_is_seen_by_its_owner_only_and_a_shared_one_by_the_team(client, world, cases):
    team = world.agent.teams.get()
    outsider = PersonFactory(organization=world.provider, first_name="Ut", last_name="Anfor")
    TeamMembershipFactory(
        team=TeamFactory(organization=world.provider, serves=[world.member]), person=outsider
    )
    client.force_login(world.agent)
    query = {"queue": "all", "text": "passordet"}
    response = client.post(
        reverse("desk:queue_save"), {"name": "Passord", "query": "queue=all&text=passordet"}
    )
    assert response.status_code == 302 and "text=passordet" in response["Location"]
    client.post(reverse("desk:queue_save"), {"name": "Delt", "team": team.pk, "query": "queue=teams"})
    page = client.get(LIST, query).content.decode()
    assert 'aria-current="page">Passord' in page and "Delt" in page

    client.force_login(world.lead)
    page = client.get(LIST).content.decode()
    assert "Delt" in page and "Passord" not in page
    client.force_login(outsider)
    page = client.get(LIST).content.decode()
    assert "Delt" not in page and "Passord" not in page


def test_a_queue_can_be_shared_only_with_ones_own_team(client, world):
    stranger = TeamFactory(organization=world.provider, name="Framand", serves=[world.member])
    client.force_login(world.agent)
    response = client.post(
        reverse("desk:queue_save"), {"name": "X", "team": stranger.pk, "query": "queue=all"}, follow=True
    )
    assert "Select a valid choice" in response.content.decode()
    assert not SavedFilter.objects.exists()


def test_only_the_owner_deletes_a_queue(client, world):
    team = world.agent.teams.get()
    client.force_login(world.agent)
    client.post(reverse("desk:queue_save"), {"name": "Delt", "team": team.pk, "query": "queue=teams"})
    saved = SavedFilter.objects.get()
    client.force_login(world.lead)
    response = client.post(reverse("desk:queue_delete", args=[saved.pk]), follow=True)
    assert "Only the person who saved this queue may delete it." in response.content.decode()
    client.force_login(world.customer_manager)
    assert client.post(reverse("desk:queue_delete", args=[saved.pk])).status_code == 404
    client.force_login(world.agent)
    client.post(reverse("desk:queue_delete", args=[saved.pk]))
    assert not SavedFilter.objects.exists()
