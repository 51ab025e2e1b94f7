"""The case workspace in a real browser: axe-core on every page, reflow at 320 px, the phone-call flow with the
keyboard, the shortcuts, search as you type, canned answers and bulk changes. Run with `pytest -m browser`."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from playwright.sync_api import Page, expect

from torg.core.models import Channel, Person
from torg.core.testing.browser import TIMEOUT_MS, assert_accessible
from torg.desk.models import CannedAnswer, Status, Ticket
from torg.desk.services.conversation import attachment_add, ticket_link, ticket_reply, time_entry_add
from torg.desk.services.tickets import ticket_create

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)

NARROW = {"width": 320, "height": 640}  # WCAG 1.4.10: 1280 px at 400 % zoom


def sign_in(page: Page, live_server: Any, person: Person) -> Page:
    person.language = "en"
    person.save(update_fields=["language"])
    client = Client()
    client.force_login(person)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def field_by_label(page: Page, label: str) -> Any:
    """The control labelled exactly `label`, a required field's asterisk allowed."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def path_of(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0].split("#")[0]


@pytest.fixture
def agent_page(transactional_db: None, world: Any, page: Page, live_server: Any) -> Page:
    return sign_in(page, live_server, world.agent)


@pytest.fixture
def busy_case(world: Any, settings: Any, tmp_path: Any) -> Ticket:
    """A case with a long title, a reply, a note, a file, a link and time: everything the case page draws."""
    settings.MEDIA_ROOT = tmp_path
    ticket = ticket_create(
        by=world.agent,
        via=Channel.PAGE,
        caller=world.employee,
        description="Skjermen er svart.\nHeilt svart.",
        title="Skrivaren-på-lærarværelset-i-andre-etasje-skriv-berre-blanke-ark-etter-oppdateringa",
    )
    ticket_reply(ticket=ticket, by=world.agent, via=Channel.PAGE, body="Har du prøvd å starte han på nytt?")
    ticket_reply(ticket=ticket, by=world.agent, via=Channel.PAGE, body="Truleg driveren.", internal=True)
    attachment_add(
        ticket=ticket, by=world.agent, via=Channel.PAGE, upload=SimpleUploadedFile("logg.txt", b"feil")
    )
    other = ticket_create(by=world.agent, via=Channel.PAGE, caller=world.employee, title="Same skrivar")
    ticket_link(ticket=ticket, other=other, kind="related", by=world.agent, via=Channel.PAGE)
    time_entry_add(ticket=ticket, by=world.agent, via=Channel.PAGE, minutes=20, note="Ringde")
    CannedAnswer.objects.create(
        organization=world.provider,
        team=world.agent.teams.get(),
        language="en",
        title="Omstart",
        body="Hei {caller_first_name}, sak {case_number}. {agent_name}",
    )
    return ticket


def assert_no_sideways_scrolling(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, f"{path_of(page)} scrolls sideways at 320 px: {width} px"


def test_every_case_page_is_accessible_and_reflows_at_320_px(
    agent_page: Page, world: Any, busy_case: Ticket, live_server: Any
) -> None:
    page = agent_page
    other = Ticket.objects.exclude(pk=busy_case.pk).get()
    urls = [
        "/desk/cases/?queue=all",
        "/desk/cases/new/",
        f"/desk/cases/{busy_case.pk}/",
        f"/desk/cases/{busy_case.pk}/?order=newest",
        f"/desk/cases/{busy_case.pk}/edit/",
        f"/desk/cases/{busy_case.pk}/merge/?into={other.pk}",
        "/desk/shortcuts/",
    ]
    for url in urls:
        page.goto(url)
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
    page.set_viewport_size(NARROW)
    for url in urls:
        page.goto(url)
        assert_no_sideways_scrolling(page)
    page.goto(f"/desk/cases/{busy_case.pk}/")
    assert_accessible(page)

    # The canned answers' pages, for a team lead.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, world.lead)
    answer = CannedAnswer.objects.get()
    for url in ["/desk/cases/answers/", "/desk/cases/answers/new/", f"/desk/cases/answers/{answer.pk}/edit/"]:
        page.goto(url)
        assert_accessible(page)
        page.set_viewport_size(NARROW)
        assert_no_sideways_scrolling(page)
        page.set_viewport_size({"width": 1280, "height": 900})


def test_a_phone_call_is_registered_with_the_keyboard(agent_page: Page, world: Any) -> None:
    page = agent_page
    page.goto("/desk/cases/")
    with page.expect_navigation():
        page.keyboard.press("Alt+Shift+KeyN")
    assert path_of(page) == "/desk/cases/new/"
    search = page.get_by_label("Search for Caller")
    expect(search).to_be_focused()  # the call starts with finding the caller

    page.keyboard.type("ansatt", delay=30)
    caller = field_by_label(page, "Caller")
    expect(caller.locator("option")).to_have_text(["1 match – choose", re.compile("^Eli Ansatt")])
    page.keyboard.press("Enter")  # goes on to the matches, does not submit
    expect(caller).to_be_focused()
    assert path_of(page) == "/desk/cases/new/"
    caller.select_option(str(world.employee.pk))
    info = page.locator("#caller-info")
    expect(info).to_contain_text("Lindås kommune")
    expect(info).to_contain_text("Oppvekst")
    expect(info).to_contain_text("Knarvik skule")

    page.get_by_label("Question").check()
    field_by_label(page, "Title").fill("Korleis byter eg passord?")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Register and resolve").click()
    ticket = Ticket.objects.get()
    assert path_of(page) == f"/desk/cases/{ticket.pk}/"
    assert ticket.status == Status.RESOLVED and ticket.first_line_resolved and ticket.kind == "question"
    expect(page.locator(".shell-messages")).to_contain_text(f"Case #{ticket.pk} is registered and resolved.")
    assert_accessible(page)


def test_shortcuts_move_between_the_queues_the_search_the_reply_box_and_the_help(
    agent_page: Page, busy_case: Ticket
) -> None:
    page = agent_page
    page.goto(f"/desk/cases/{busy_case.pk}/")
    page.keyboard.press("Alt+Shift+KeyR")
    expect(page.get_by_label("Message")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Alt+Shift+KeyS")
    expect(page.get_by_role("searchbox", name="Search cases")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Alt+Shift+KeyQ")
    assert path_of(page) == "/desk/cases/"
    page.get_by_label("Search cases").focus()
    page.keyboard.type("Q")  # a plain letter types, it is no shortcut
    expect(page.get_by_label("Search cases")).to_have_value("Q")
    with page.expect_navigation():
        page.keyboard.press("Alt+Shift+KeyH")
    assert path_of(page) == "/desk/shortcuts/"
    expect(page.locator("tbody tr")).to_have_count(5)


def test_search_as_you_type_updates_the_rows_and_announces_the_count(
    agent_page: Page, world: Any, busy_case: Ticket
) -> None:
    page = agent_page
    ticket_create(by=world.agent, via=Channel.PAGE, caller=world.employee, title="Passordet gjekk ut")
    page.goto("/desk/cases/?queue=all")
    count = page.locator("#result-count")
    expect(count).to_have_text("3 matches")
    page.get_by_label("Search cases").press_sequentially("passord", delay=30)
    expect(count).to_have_text("1 match")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Passordet gjekk ut")
    assert "text=passord" in page.url  # the filter is kept in the address, for Back and for sharing
    assert_accessible(page)


def test_a_canned_answer_goes_into_the_reply_box_and_is_sent(agent_page: Page, busy_case: Ticket) -> None:
    page = agent_page
    page.goto(f"/desk/cases/{busy_case.pk}/")
    page.get_by_label("Canned answer").select_option(label="Omstart (English)")
    page.get_by_role("button", name="Insert the answer").click()
    box = page.get_by_label("Message")
    expect(box).to_have_value(f"Hei Eli, sak #{busy_case.pk}. Ola Agent")
    expect(page.locator("#reply-status")).to_have_text("The answer “Omstart” is in the message box.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the reply to the caller").click()
    expect(page.locator(".timeline")).to_contain_text(f"Hei Eli, sak #{busy_case.pk}. Ola Agent")
    assert_accessible(page)


def test_bulk_assignment_of_ticked_cases(agent_page: Page, world: Any, busy_case: Ticket) -> None:
    page = agent_page
    page.goto("/desk/cases/?queue=all")
    page.get_by_label("Tick every case on this page").check()
    page.get_by_text("Change the ticked cases").click()  # the bulk bar opens when it is needed
    page.locator("#id_bulk-team").select_option(label="1. linje")
    agent = page.locator("#id_bulk-assignee")
    expect(agent.locator("option")).to_have_count(3)  # filled with the team's members
    agent.select_option(label="Lise Leder (team lead)")
    with page.expect_navigation():
        page.get_by_role("button", name="Assign the ticked cases").click()
    expect(page.locator(".shell-messages")).to_contain_text("2 cases changed.")
    assert set(Ticket.objects.values_list("assignee", flat=True)) == {world.lead.pk}
    assert_accessible(page)
