"""SLA in the workspace: the state and deadline of each case in the queues, on the case page and in the API;
the filters "breaches within the hour" and "breached", and the sort by the next deadline."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from conftest import World
from torg.core.models import Channel
from torg.core.testing.api import ApiClient, assert_error
from torg.core.tests.factories import PersonFactory
from torg.desk.models import Kind, Status, Ticket
from torg.desk.services.conversation import ticket_reply
from torg.desk.services.tickets import ticket_create, ticket_transition
from torg.desk.views.sla import moment_text
from torg.sla.models import Agreement, CaseTimer
from torg.sla.tests.factories import AgreementFactory, AgreementTargetFactory
from torg.sla.timers import on_change

pytestmark = pytest.mark.django_db

LIST = reverse("desk:case_list")
HTMX = {"HX-Request": "true"}
STATES = ("On track", "At risk", "Breached", "Paused", "Met")


def near(words: str) -> str:
    """`words` and a time within a day of now, as the pages write it (the test may run across midnight)."""
    return rf"{words} (yesterday|today|tomorrow) \d"


def promise(organization: Any, **fields: Any) -> Agreement:
    """An agreement on clock time (no calendar): respond within an hour, resolve within eight, every priority."""
    agreement = AgreementFactory(organization=organization, **fields)
    for priority in range(1, 5):
        AgreementTargetFactory(
            agreement=agreement, priority=priority, response_minutes=60, resolution_minutes=480
        )
    return agreement


@pytest.fixture
def agreement(world: World) -> Agreement:
    # Incidents only, so a service request of the same caller is a case without an agreement.
    return promise(world.member, name="Gullavtale", kind=Kind.INCIDENT)


def case(world: World, title: str, **fields: Any) -> Ticket:
    return ticket_create(by=world.agent, via=Channel.PAGE, caller=world.employee, title=title, **fields)


def move(ticket: Ticket, *, response: timedelta | None, resolution: timedelta = timedelta(hours=6)) -> Ticket:
    """Put the case's deadlines `response` and `resolution` from now (None: answered) and let the clocks see it."""
    now = timezone.now()
    timer = CaseTimer.objects.get(ticket=ticket)
    if response is None:
        timer.response_met_at = now - timedelta(minutes=5)
    else:
        timer.response_due = now + response
        timer.response_warning_at = timer.response_due - timedelta(minutes=15)  # at 45 of its 60 minutes
    timer.resolution_due = now + resolution
    timer.resolution_warning_at = timer.resolution_due - timedelta(hours=2)
    timer.save()
    ticket.refresh_from_db()
    with transaction.atomic():  # as the desk services call it
        on_change(ticket)  # marks a breach and copies the nearest running deadline onto the case
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def cases(world: World, agreement: Agreement) -> dict[str, Ticket]:
    """Due within the hour, overdue, due in three hours, answered and due within the hour, resolved, and a case
    no agreement covers."""
    made = {
        "soon": move(case(world, "Skrivaren står"), response=timedelta(minutes=10)),
        "overdue": move(case(world, "Nettet er nede"), response=timedelta(minutes=-10)),
        "later": move(case(world, "Ny skjerm"), response=timedelta(hours=3)),
        "answered": move(case(world, "Treg PC"), response=None, resolution=timedelta(minutes=50)),
        "resolved": case(world, "Passord løyst"),
        "uncovered": case(world, "Ønskjer ny stol", kind=Kind.REQUEST),
    }
    ticket_transition(ticket=made["resolved"], status=Status.RESOLVED, by=world.agent, via=Channel.PAGE)
    return made


def listed(client: Any, **params: Any) -> list[int]:
    return [t.pk for t in client.get(LIST, {"queue": "all", **params}).context["page"].items]


def words(html: str) -> str:
    """What a reader is told: the text without its tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def row(html: str, ticket: Ticket) -> str:
    """The words of one case's row in the table."""
    start = html.index(f'id="case-link-{ticket.pk}"')
    return words(html[html.rindex("<tr>", 0, start) : html.index("</tr>", start)])


def same_moment(text: str, moment: datetime) -> bool:
    """An API time (to the millisecond) is the stored one."""
    return abs(datetime.fromisoformat(text) - moment) < timedelta(milliseconds=1)


def ids(tickets: dict[str, Ticket], *names: str) -> set[int]:
    return {tickets[name].pk for name in names}


# The queues.


def test_soon_lists_the_cases_that_break_within_the_hour_and_breached_the_overdue_ones(client, world, cases):
    client.force_login(world.agent)
    assert set(listed(client, sla="soon")) == ids(cases, "soon", "answered")
    assert set(listed(client, sla="breached")) == ids(cases, "overdue")
    assert set(listed(client)) == set(ids(cases, *cases))
    # Once its deadline comes within the hour, the case due later joins them; the overdue one does not.
    move(cases["later"], response=timedelta(minutes=59))
    assert set(listed(client, sla="soon")) == ids(cases, "soon", "answered", "later")


def test_the_sla_filter_is_kept_by_the_poll_and_a_saved_queue(client, world, cases):
    client.force_login(world.agent)
    response = client.get(LIST, {"queue": "all", "sla": "breached"})
    assert "sla=breached" in response.context["poll_query"]
    html = client.get(LIST, {"queue": "all", "poll": "1", "sla": "breached"}, headers=HTMX).content.decode()
    assert cases["overdue"].title in html and cases["soon"].title not in html
    saved = client.post(
        reverse("desk:queue_save"), {"name": "Brotne frister", "query": response.context["current"]}
    )
    assert {t.pk for t in client.get(saved["Location"]).context["page"].items} == ids(cases, "overdue")


def test_an_unknown_sla_filter_is_a_message_not_an_error(client, world, cases):
    client.force_login(world.agent)
    response = client.get(LIST, {"queue": "all", "sla": "snart"})
    assert response.status_code == 200
    assert response.context["page"].items == []
    assert "Select a valid choice" in response.content.decode()


def test_by_next_deadline_lists_running_clocks_only_in_deadline_order_across_pages(
    client, world, agreement, monkeypatch
):
    from torg.desk.views import queues

    monkeypatch.setattr(queues, "PAGE_SIZE", 3)
    minutes = [50, -30, 200, 10, 90, 10, 400, -5]  # two alike: the case number breaks the tie
    running = [move(case(world, f"Sak {i}"), response=timedelta(minutes=m)) for i, m in enumerate(minutes)]
    case(world, "Utan avtale", kind=Kind.REQUEST)
    done = case(world, "Ferdig")
    ticket_transition(ticket=done, status=Status.RESOLVED, by=world.agent, via=Channel.PAGE)
    client.force_login(world.agent)
    seen, params, pages = [], {"queue": "all", "sort": "due"}, 0
    while True:
        response = client.get(LIST, params)
        page = response.context["page"]
        seen += [t.pk for t in page.items]
        pages += 1
        if not page.next_cursor:
            break
        params = {"queue": "all", "sort": "due", "cursor": page.next_cursor}
    expected = sorted(running, key=lambda t: (t.sla_due, t.pk))
    assert seen == [t.pk for t in expected] and pages == 3
    assert response.context["count"] == len(running)
    # The sort says that it leaves out the cases without a running clock.
    assert "only the cases whose SLA clock is running" in response.content.decode()


def test_a_row_shows_the_state_in_words_and_the_deadline(client, world, cases):
    client.force_login(world.agent)
    html = client.get(LIST, {"queue": "all"}).content.decode()
    assert "At risk" in row(html, cases["soon"]) and re.search(near("Due"), row(html, cases["soon"]))
    assert "Breached" in row(html, cases["overdue"]) and "Overdue since" in row(html, cases["overdue"])
    assert "On track" in row(html, cases["later"])
    assert "Met" in row(html, cases["resolved"]) and "Due" not in row(html, cases["resolved"])
    uncovered = row(html, cases["uncovered"])  # the SLA cell, between priority and team, is a dash
    assert "Low – 1. linje" in uncovered and not any(state in uncovered for state in STATES)
    # The deadline is a machine-readable local time.
    due = timezone.localtime(cases["later"].sla_due).isoformat()
    assert f'<time datetime="{due}">' in html


def test_a_paused_clock_says_paused(client, world, cases):
    ticket_transition(ticket=cases["later"], status=Status.WAITING_USER, by=world.agent, via=Channel.PAGE)
    client.force_login(world.agent)
    html = client.get(LIST, {"queue": "all"}).content.decode()
    assert "Paused" in row(html, cases["later"])


def test_the_list_makes_as_many_queries_for_30_cases_with_clocks_as_for_3(client, world, agreement):
    client.force_login(world.agent)

    def make(n: int) -> None:
        for i in range(n):
            move(case(world, f"Sak {i}"), response=timedelta(minutes=i * 7 - 20))

    make(3)
    client.get(LIST, {"queue": "all"})  # warm the content type cache
    with CaptureQueriesContext(connection) as few:
        client.get(LIST, {"queue": "all", "sort": "due"})
    make(27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST, {"queue": "all", "sort": "due"})
    assert len(response.context["page"].items) == 30
    assert response.content.decode().count('class="ds-tag sla-tag"') == 30
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# The case page.


def page(client: Any, ticket: Ticket) -> str:
    """The words of the case page's SLA section."""
    html = client.get(reverse("desk:case_detail", args=[ticket.pk])).content.decode()
    return words(html[html.index('id="sla-heading"') : html.index('id="facts-heading"')])


def test_the_case_page_tells_the_agreement_why_the_state_and_both_deadlines(client, world, cases, agreement):
    client.force_login(world.agent)
    html = client.get(reverse("desk:case_detail", args=[cases["soon"].pk])).content.decode()
    assert f'href="{reverse("sla:agreement_detail", args=[agreement.pk])}">Gullavtale</a>' in html
    section = page(client, cases["soon"])
    assert "Gullavtale" in section and "Lindås kommune: kind Incident" in section
    assert "At risk" in section and re.search(near("Due"), section)
    overdue = page(client, cases["overdue"])
    assert "Breached" in overdue and "Overdue since" in overdue


def test_the_case_page_tells_a_late_response_a_pause_and_a_resolve(client, world, cases):
    ticket = cases["overdue"]
    ticket_reply(ticket=ticket, by=world.agent, via=Channel.PAGE, body="Vi ser på det.")
    client.force_login(world.agent)
    assert re.search(near("Responded") + r"[^()]* \(late\)", page(client, ticket))
    counting_since = timezone.now() - timedelta(hours=2, minutes=15)
    CaseTimer.objects.filter(ticket=ticket).update(counting_since=counting_since)
    ticket_transition(ticket=ticket, status=Status.WAITING_USER, by=world.agent, via=Channel.PAGE)
    paused = page(client, ticket)
    assert re.search(near("Paused since"), paused) and "2 h 15 min used of 8 h" in paused
    assert re.search(near("Resolved"), page(client, cases["resolved"]))
    assert "Met" in page(client, cases["resolved"])


def test_a_case_without_agreement_says_so_and_shows_no_state(client, world, cases):
    client.force_login(world.agent)
    section = page(client, cases["uncovered"])
    assert "No agreement covers this case." in section
    assert not any(state in section for state in STATES)


def test_the_sla_section_costs_no_query_of_its_own(client, world, cases):
    client.force_login(world.agent)
    client.get(reverse("desk:case_detail", args=[cases["uncovered"].pk]))  # warm the caches
    counts = []
    for name in ("uncovered", "soon"):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("desk:case_detail", args=[cases[name].pk]))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_another_organizations_people_see_nothing_of_the_clocks(client, world, cases):
    foreign_agreement = promise(world.other, name="Fjellby-avtale")
    foreign = ticket_create(
        by=world.admin, via=Channel.PAGE, caller=world.other_employee, title="Fjellby sin sak"
    )
    move(foreign, response=timedelta(minutes=-3))
    assert foreign.sla.agreement == foreign_agreement
    client.force_login(world.agent)
    assert foreign.pk not in listed(client, sla="breached")
    assert client.get(reverse("desk:case_detail", args=[foreign.pk])).status_code == 404
    # The customer manager of the other municipality works its cases, never those of Lindås.
    client.force_login(world.customer_manager)
    assert set(listed(client, sla="breached")) == {foreign.pk}
    assert client.get(reverse("desk:case_detail", args=[cases["overdue"].pk])).status_code == 404
    # And its employees reach no workspace, and through the API no case but their own.
    client.force_login(world.other_employee)
    assert client.get(LIST).status_code == 403
    api = ApiClient(client, world.other_employee)
    assert [c["id"] for c in api.get("/cases/", {"sla": "breached"}).json()["items"]] == [foreign.pk]
    assert_error(api.get(f"/cases/{cases['overdue'].pk}"), 404)


# The API.


def test_the_api_filters_by_sla_and_tells_each_cases_clocks(client, world, cases):
    api = ApiClient(client, world.agent)

    def found(**params: Any) -> set[int]:
        return {c["id"] for c in api.get("/cases/", params).json()["items"]}

    assert found(sla="soon") == ids(cases, "soon", "answered")
    assert found(sla="breached") == ids(cases, "overdue")
    assert_error(api.get("/cases/", {"sla": "snart"}), 422)
    item = api.get(f"/cases/{cases['soon'].pk}").json()["sla"]
    timer = CaseTimer.objects.get(ticket=cases["soon"])
    assert item["state"] == "at_risk"
    assert item["agreement"] == {"id": timer.agreement_id, "name": "Gullavtale"}
    assert item["reason"] == "Lindås kommune: kind Incident"
    assert same_moment(item["response_due"], timer.response_due) and same_moment(
        item["due"], timer.response_due
    )
    assert item["response_met_at"] is None and item["paused_at"] is None
    rows = {c["id"]: c for c in api.get("/cases/").json()["items"]}
    assert rows[cases["uncovered"].pk]["sla"] is None
    assert (
        rows[cases["resolved"].pk]["sla"]["state"] == "met"
        and rows[cases["resolved"].pk]["sla"]["due"] is None
    )
    assert rows[cases["overdue"].pk]["sla"]["state"] == "breached"


def test_the_api_sorts_by_next_deadline_across_pages(client, world, cases):
    api = ApiClient(client, world.agent)
    seen, cursor = [], None
    for _ in range(10):
        body = api.get(
            "/cases/", {"sort": "due", "limit": 2, **({"cursor": cursor} if cursor else {})}
        ).json()
        seen += [c["id"] for c in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    running = Ticket.objects.filter(sla_due__isnull=False).order_by("sla_due", "id")
    assert seen == list(running.values_list("id", flat=True))
    assert set(seen) == ids(cases, "soon", "overdue", "later", "answered")


def test_the_api_list_makes_as_many_queries_for_30_cases_with_clocks_as_for_3(client, world, agreement):
    api = ApiClient(client, world.agent)

    def make(n: int) -> None:
        for i in range(n):
            caller = PersonFactory(organization=world.member)
            ticket = ticket_create(by=world.agent, via=Channel.PAGE, caller=caller, title=f"Sak {i}")
            move(ticket, response=timedelta(minutes=i * 7 - 20))

    make(3)
    api.get("/cases/")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert len(api.get("/cases/", {"sort": "due", "limit": 200}).json()["items"]) == 3
    make(27)
    with CaptureQueriesContext(connection) as many:
        items = api.get("/cases/", {"sort": "due", "limit": 200}).json()["items"]
    assert len(items) == 30 and all(item["sla"]["agreement"]["name"] == "Gullavtale" for item in items)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# Words.


def test_times_are_short_and_local():
    oslo = ZoneInfo("Europe/Oslo")
    now = datetime(2027, 3, 24, 9, 0, tzinfo=oslo)
    with translation.override("en"), timezone.override(oslo):
        assert moment_text(datetime(2027, 3, 24, 14, 30, tzinfo=oslo), now).startswith("today ")
        assert moment_text(datetime(2027, 3, 25, 8, 0, tzinfo=oslo), now).startswith("tomorrow ")
        assert moment_text(datetime(2027, 3, 23, 23, 30, tzinfo=ZoneInfo("UTC")), now).startswith("today ")
        assert moment_text(datetime(2027, 3, 23, 16, 0, tzinfo=oslo), now).startswith("yesterday ")
        assert "2027" in moment_text(datetime(2027, 4, 2, 8, 0, tzinfo=oslo), now)


# In a browser.


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_sla_column_filter_and_section_pass_axe_and_reflow(world, cases, page, live_server):
    from django.test import Client
    from playwright.sync_api import expect

    from torg.core.testing.browser import assert_accessible

    ticket_transition(ticket=cases["later"], status=Status.WAITING_USER, by=world.agent, via=Channel.PAGE)
    world.agent.language = "en"
    world.agent.save(update_fields=["language"])
    signed_in = Client()
    signed_in.force_login(world.agent)
    page.context.add_cookies(
        [{"name": "sessionid", "value": signed_in.cookies["sessionid"].value, "url": live_server.url}]
    )
    urls = [
        "/desk/cases/?queue=all",
        "/desk/cases/?queue=all&sort=due&sla=soon",
        *(f"/desk/cases/{cases[name].pk}/" for name in ("soon", "overdue", "later", "resolved", "uncovered")),
    ]
    for url in urls:
        page.goto(url)
        assert_accessible(page)
    page.goto(urls[0])
    expect(page.get_by_role("row", name=re.compile(cases["overdue"].title))).to_contain_text("Breached")
    page.get_by_label("SLA").select_option("breached")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text(cases["overdue"].title)
    expect(page).to_have_url(re.compile("sla=breached"))
    page.set_viewport_size({"width": 320, "height": 640})  # WCAG 1.4.10: 1280 px at 400 % zoom
    for url in urls:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 321, url
