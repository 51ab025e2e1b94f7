"""The service desk's acceptance scenario, end to end through the real pages in a real browser.

A caller phones the 1st line. The 1st-line agent, with the keyboard only, signs in, registers the case (finding
the caller by part of their phone number) and escalates it to the 2nd line with a reason. A 2nd-line agent
signs in in a browser of their own, finds the case among their teams' unassigned cases, replies to the caller
and resolves it. Every page on the way has no axe-core violations, and the case's timeline tells the story.
Run with `pytest -m browser`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from conftest import PASSWORD
from torg.core.models import AuditEntry, Person, Team
from torg.core.testing.browser import LOCALE, TIMEOUT_MS, _watch, assert_accessible, assert_no_page_errors
from torg.core.tests.factories import PersonFactory, TeamFactory, TeamMembershipFactory
from torg.desk.models import Kind, Message, Status, Ticket

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)

CALLER_PHONE = "915 22 384"
TITLE = "Lærarane på Knarvik får ikkje logge på"
DESCRIPTION = "Alle på lærarværelset får «feil passord» sidan klokka åtte.\nElevane kjem inn som vanleg."
REASON = "Gjeld fleire brukarar: truleg feil i pålogginga, må sjåast på av 2. linje"
REPLY = "Vi har starta synkroniseringa av brukarane på nytt. Prøv å logge på igjen no."
MAX_TABS = 80  # more Tab presses than this to reach a control is a bug in the page's order


def path_of(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0].split("#")[0]


def is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate("element => element === document.activeElement"))


def tab_to(page: Page, locator: Locator) -> None:
    """Press Tab until `locator` has the focus, as a keyboard user does; fail if it never gets it."""
    for _ in range(MAX_TABS):
        if is_focused(locator):
            return
        page.keyboard.press("Tab")
    expect(locator).to_be_focused()


def arrow_to(page: Page, select: Locator, value: str) -> None:
    """With the focus on a closed select, press the down arrow until the option of `value` is chosen."""
    expect(select).to_be_focused()
    for _ in range(select.locator("option").count()):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    expect(select).to_have_value(value)


def flat(text: str) -> str:
    """Text with its runs of white space (table cells, line breaks) made single spaces."""
    return " ".join(text.split())


def sign_in_with_keyboard(page: Page, username: str, next_path: str) -> None:
    page.goto(f"/signin/?next={next_path}")
    assert_accessible(page)
    tab_to(page, page.locator("#id_username"))
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == next_path


@pytest.fixture
def second_line(world: Any) -> tuple[Team, Person]:
    team = TeamFactory(organization=world.provider, name="2. linje", serves=[world.member])
    agent = PersonFactory(
        organization=world.provider, first_name="Siv", last_name="Andrelinje", username="andrelinje"
    )
    TeamMembershipFactory(team=team, person=agent)
    return team, agent


@pytest.fixture
def second_page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """The 2nd-line agent's own browser: a new context, no cookies shared with the 1st-line agent's."""
    context = browser.new_context(
        base_url=live_server.url, locale=LOCALE, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    _watch(page)
    try:
        yield page
        assert_no_page_errors(page)
    finally:
        context.close()


def test_a_call_is_registered_escalated_to_2nd_line_answered_and_resolved(
    transactional_db: None, world: Any, second_line: tuple[Team, Person], page: Page, second_page: Page
) -> None:
    team2, agent2 = second_line
    for person in (world.agent, agent2):
        person.language = "en"
        person.save(update_fields=["language"])
    caller = world.employee
    caller.phone = CALLER_PHONE
    caller.search_text = caller.compute_search_text()
    caller.save(update_fields=["phone", "search_text"])

    # The 1st-line agent: keyboard only from here on.
    sign_in_with_keyboard(page, "agent", "/desk/cases/")
    assert_accessible(page)
    with page.expect_navigation():
        page.keyboard.press("Alt+Shift+KeyN")
    assert path_of(page) == "/desk/cases/new/"
    expect(page.locator("h1")).to_have_text("New case")
    assert_accessible(page)

    # The caller, found by part of the phone number they call from.
    search = page.get_by_label("Search for Caller")
    expect(search).to_be_focused()
    page.keyboard.type("22384", delay=30)
    picker = page.locator("#id_caller")
    expect(picker.locator("option")).to_have_text(
        ["1 match – choose", re.compile(r"^Eli Ansatt – Lindås kommune")]
    )
    page.keyboard.press("Enter")  # to the matches
    arrow_to(page, picker, str(caller.pk))
    info = page.locator("#caller-info")
    expect(info).to_contain_text("Eli Ansatt")
    expect(info).to_contain_text(CALLER_PHONE)
    expect(info).to_contain_text("Knarvik skule")
    assert_accessible(page)

    # The case: an incident, with a title and a description.
    incident = page.get_by_role("radio", name="Incident")
    tab_to(page, incident)
    page.keyboard.press("Space")
    expect(incident).to_be_checked()
    tab_to(page, page.get_by_label(re.compile(r"^Title")))
    page.keyboard.type(TITLE)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Description")).to_be_focused()
    page.keyboard.type(DESCRIPTION)
    tab_to(page, page.get_by_role("button", name="Register", exact=True))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    ticket = Ticket.objects.get()
    assert path_of(page) == f"/desk/cases/{ticket.pk}/"
    expect(page.locator(".shell-messages")).to_contain_text(f"Case #{ticket.pk} is registered.")
    expect(page.locator("h1")).to_have_text(f"#{ticket.pk} {TITLE}")
    expect(page.locator(".case-facts")).to_contain_text("Incident")
    expect(page.locator(".case-facts")).to_contain_text("1. linje")
    expect(page.locator("#description-heading + .message-body")).to_contain_text(
        "Elevane kjem inn som vanleg."
    )
    assert_accessible(page)

    # Escalated to the 2nd line, with a reason.
    team = page.locator("#id_team")
    tab_to(page, team)
    arrow_to(page, team, str(team2.pk))
    expect(page.locator("#id_assignee option").first).to_have_text("No agent")  # the 2nd line's agents came
    expect(page.locator("#id_assignee")).to_contain_text("Siv Andrelinje")
    tab_to(page, page.get_by_label(re.compile(r"^Reason")))
    page.keyboard.type(REASON)
    tab_to(page, page.get_by_role("button", name="Assign", exact=True))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".shell-messages")).to_contain_text("The case is assigned.")
    expect(page.locator(".case-facts")).to_contain_text("2. linje")
    expect(page.locator(".timeline")).to_contain_text(f"Passed to 2. linje: {REASON}")
    assert_accessible(page)

    # The 2nd-line agent, in a browser of their own.
    other = second_page
    sign_in_with_keyboard(other, "andrelinje", "/desk/cases/")
    expect(other.locator("#result-count")).to_have_text("0 matches")  # their own cases: none yet
    assert_accessible(other)
    with other.expect_navigation():
        other.get_by_role("link", name="My teams' unassigned").click()
    assert "queue=unassigned" in other.url
    expect(other.locator("#result-count")).to_have_text("1 match")
    row = other.locator("#results tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text("2. linje")
    expect(row).to_contain_text("Nobody")
    assert_accessible(other)
    with other.expect_navigation():
        other.get_by_role("link", name=f"#{ticket.pk} {TITLE}").click()
    assert path_of(other) == f"/desk/cases/{ticket.pk}/"
    assert_accessible(other)

    other.get_by_label("Message").fill(REPLY)
    with other.expect_navigation():
        other.get_by_role("button", name="Send the reply to the caller").click()
    expect(other.locator(".shell-messages")).to_contain_text("The reply is sent.")
    assert_accessible(other)
    with other.expect_navigation():
        other.get_by_role("button", name="Change the status to: Resolved").click()
    expect(other.locator(".shell-messages")).to_contain_text("The status is changed.")
    expect(other.locator(".status-tag")).to_have_text("Status: Resolved")
    assert_accessible(other)

    facts = other.locator(".case-facts")
    expect(facts).to_contain_text("Resolved")
    expect(facts).not_to_contain_text("solved at first line")
    expect(facts.locator("div", has_text="First response").locator("time")).to_have_count(1)

    # The timeline tells the story: registered, passed on with the reason, answered, resolved.
    events = [flat(text) for text in other.locator(".timeline > li").all_inner_texts()]
    step = {
        "created": [i for i, e in enumerate(events) if e.startswith("Registered – Ola Agent")],
        "moved": [i for i, e in enumerate(events) if "Team 1. linje 2. linje" in e],
        "reason": [i for i, e in enumerate(events) if f"Passed to 2. linje: {REASON}" in e],
        "reply": [i for i, e in enumerate(events) if e.startswith("Reply to the caller – Siv Andrelinje")],
        "resolved": [i for i, e in enumerate(events) if "Status New Resolved" in e],
    }
    assert all(len(found) == 1 for found in step.values()) and len(events) == len(step), (step, events)
    order = sorted(step, key=step.get)
    assert order[0] == "created" and set(order[1:3]) == {"moved", "reason"}, events
    assert order[3:] == ["reply", "resolved"], events
    at = {name: found[0] for name, found in step.items()}
    assert "Internal note" in events[at["reason"]] and flat(REPLY) in events[at["reply"]]
    assert_no_page_errors(page)

    # What is stored.
    ticket.refresh_from_db()
    assert ticket.kind == Kind.INCIDENT and ticket.caller == caller
    assert ticket.title == TITLE and ticket.description.replace("\r\n", "\n") == DESCRIPTION
    assert ticket.team == team2 and ticket.received_by == world.agent.teams.get() and ticket.transferred
    assert ticket.status == Status.RESOLVED and ticket.resolved_at is not None
    assert ticket.first_line_resolved is False
    assert ticket.first_response_at is not None
    reply = Message.objects.get(ticket=ticket, visibility=Message.Visibility.PUBLIC)
    assert reply.body == REPLY and reply.author == agent2
    transfer = Message.objects.get(ticket=ticket, visibility=Message.Visibility.INTERNAL)
    assert transfer.body == f"Passed to 2. linje: {REASON}" and transfer.author == world.agent
    entries = list(AuditEntry.objects.for_object(ticket).order_by("id"))
    created = entries.pop(0)
    assert (created.actor, created.action, created.channel) == (world.agent, AuditEntry.Action.CREATE, "page")
    assert created.changes["title"] == [None, TITLE] and created.changes["team"] == [None, "1. linje"]
    assert [(entry.actor, entry.action, entry.channel, sorted(entry.changes)) for entry in entries] == [
        (world.agent, AuditEntry.Action.UPDATE, "page", ["team", "transferred"]),
        (agent2, AuditEntry.Action.UPDATE, "page", ["first_response_at", "message"]),
        (agent2, AuditEntry.Action.UPDATE, "page", ["resolved_at", "status"]),
    ]
