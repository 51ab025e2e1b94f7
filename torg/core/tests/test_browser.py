"""The workspace in a real browser: keyboard sign-in, language, pickers, search as you type, reflow.

Every page visited is checked with axe-core's default rules (WCAG 2.x A and AA, and best practices):
zero violations. Console errors, script errors and failed loads fail a test as well (see
torg.core.testing.browser). Run with `pytest -m browser`.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from conftest import PASSWORD, World
from torg.core.models import AuditEntry, Department, Person
from torg.core.testing.browser import TIMEOUT_MS, assert_accessible
from torg.core.tests.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.browser

expect.set_options(timeout=TIMEOUT_MS)

NARROW = {"width": 320, "height": 640}  # WCAG 1.4.10: 1280 px at 400 % zoom


def path_of(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]


def html_lang(page: Page) -> str:
    return page.evaluate("document.documentElement.lang")


def tab_to(page: Page, selector: str, most: int = 15) -> None:
    """Press Tab until `selector` has the focus: reachable with the keyboard, in a sane number of steps."""
    target = page.locator(selector)
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{selector} did not get the focus after {most} presses of Tab")


def sign_in(page: Page, live_server: Any, person: Person, *, language: str | None = "en") -> None:
    """Start the page's context signed in (the sign-in form itself is tested once, with the keyboard).

    The workspace follows the person's language; English by default, so that the tests read the
    same whatever the Norwegian catalogues hold.
    """
    if language is not None:
        person.language = language
        person.save(update_fields=["language"])
    client = Client()
    client.force_login(person)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.fixture
def signed_in(transactional_db: None, world: World, page: Page, live_server: Any) -> Page:
    """The administrator's page, signed in, reading English."""
    sign_in(page, live_server, world.admin)
    return page


def test_administrator_signs_in_with_the_keyboard(transactional_db: None, world: World, page: Page) -> None:
    world.provider.language = "nb"
    world.provider.save(update_fields=["language"])
    page.goto("/signin/")
    assert html_lang(page) == "nb"  # the browser asks for Norwegian Bokmål
    assert_accessible(page)

    page.keyboard.press("Tab")
    skip_link = page.locator(".ds-skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # shown when it has the focus

    tab_to(page, "#id_username")
    page.keyboard.type("admin")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert path_of(page) == "/desk/"
    expect(page.locator("h1")).to_be_visible()
    assert html_lang(page) == "nb"
    assert_accessible(page)
    assert AuditEntry.objects.filter(actor=world.admin, action=AuditEntry.Action.SIGN_IN).count() == 1


def test_language_switcher_changes_the_page_language_and_keeps_it(
    transactional_db: None, world: World, page: Page, live_server: Any
) -> None:
    world.provider.language = "nb"
    world.provider.save(update_fields=["language"])
    # No language of their own: the administrator reads the organization's, Bokmål.
    sign_in(page, live_server, world.admin, language=None)
    page.goto("/desk/")
    assert html_lang(page) == "nb"

    for code in ("nn", "en"):
        switcher = page.locator("form.shell-language")
        switcher.locator("select").select_option(code)
        with page.expect_navigation():
            switcher.locator("button[type=submit]").click()
        assert path_of(page) == "/desk/", "the switcher returns to the page it was used on"
        assert html_lang(page) == code
        expect(switcher.locator("select")).to_have_value(code)
        assert_accessible(page)

        page.goto("/desk/people/")
        assert html_lang(page) == code, "the choice holds on the next page"
        assert_accessible(page)
        page.goto("/desk/")

    world.admin.refresh_from_db()
    assert world.admin.language == "en", "a signed-in person's choice is kept on their record"


def test_administrator_creates_a_person_choosing_the_department_by_search(
    signed_in: Page, world: World
) -> None:
    page = signed_in
    DepartmentFactory(organization=world.member, name="Helse og omsorg")
    DepartmentFactory(organization=world.other, name="Oppvekst og kultur")  # same letters, other municipality
    page.goto("/desk/people/new/")
    assert_accessible(page)

    page.get_by_label("Organization").select_option(label="Lindås kommune")
    page.get_by_label("First name").fill("Sigrid")
    page.get_by_label("Last name").fill("Haugland")
    page.get_by_label("E-mail").fill("sigrid.haugland(at)lindas.kommune.no")
    page.get_by_label("Phone").fill("56 37 50 00")

    department = page.get_by_label("Department", exact=True)
    page.get_by_label("Search for Department").press_sequentially("opp", delay=30)
    # The picker asks /desk/pick/departments/ for this organization's matches and fills the select.
    expect(department.locator("option")).to_have_text(["1 match – choose", "Oppvekst"])
    # The result is announced to screen readers, not only drawn in the select.
    status = page.locator("#id_department_pickstatus")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("1 match – choose")
    department.select_option(label="Oppvekst")

    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert path_of(page) == "/desk/people/new/"
    email = page.get_by_label("E-mail")
    expect(email).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_email_error")
    expect(error).to_be_visible()
    assert "id_email_error" in (email.get_attribute("aria-describedby") or "").split()
    # The error sits with its field, and the rest of what was typed is kept.
    assert error.evaluate("e => e.closest('.ds-field').contains(document.getElementById('id_email'))")
    expect(page.get_by_label("First name")).to_have_value("Sigrid")
    expect(department).to_have_value(str(Department.objects.get(name="Oppvekst").pk))
    assert not Person.objects.filter(last_name="Haugland").exists()
    assert_accessible(page)

    email.fill("sigrid.haugland@lindas.kommune.no")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()

    person = Person.objects.get(last_name="Haugland")
    assert path_of(page) == f"/desk/people/{person.pk}/"
    expect(page.locator("h1")).to_have_text("Sigrid Haugland")
    facts = page.locator("dl.facts")
    for label, value in [
        ("Organization", "Lindås kommune"),
        ("Department", "Oppvekst"),
        ("E-mail", "sigrid.haugland@lindas.kommune.no"),
        ("Phone", person.phone),
    ]:
        expect(
            facts.locator("div", has=page.locator("dt", has_text=re.compile(f"^{label}$"))).locator("dd")
        ).to_have_text(value)
    history = page.get_by_role("region", name="History")
    expect(history.get_by_role("listitem")).to_have_count(1)
    expect(history.get_by_role("listitem")).to_contain_text("Created")
    expect(history).to_contain_text("Anne Admin")
    expect(page.locator(".shell-messages")).to_contain_text("Saved.")
    assert_accessible(page)


def test_administrator_moves_a_department_and_sees_its_new_place(signed_in: Page, world: World) -> None:
    page = signed_in
    oppvekst = Department.objects.get(name="Oppvekst")
    skule = DepartmentFactory(organization=world.member, name="Skule", parent=oppvekst)
    helse = DepartmentFactory(organization=world.member, name="Helse")
    moving = DepartmentFactory(organization=world.member, name="Spesialpedagogisk team", parent=helse)
    DepartmentFactory(organization=world.other, name="Skulehelse", parent=None)  # another municipality's

    page.goto(f"/desk/departments/{moving.pk}/")
    tree = page.get_by_role("navigation", name="Departments above")
    expect(tree.get_by_role("link")).to_have_text(["Helse"])
    page.get_by_role("link", name="Move", exact=True).click()
    assert path_of(page) == f"/desk/departments/{moving.pk}/move/"
    assert_accessible(page)

    page.get_by_label("Search for New parent department").press_sequentially("sku", delay=30)
    parent = page.get_by_label("New parent department", exact=True)
    expect(parent.locator("option")).to_have_text(["1 match – choose", "Skule"])
    parent.select_option(label="Skule")
    with page.expect_navigation():
        page.get_by_role("button", name="Move").click()

    assert path_of(page) == f"/desk/departments/{moving.pk}/"
    tree = page.get_by_role("navigation", name="Departments above")
    expect(tree.get_by_role("link")).to_have_text(["Oppvekst", "Skule"])
    expect(tree.locator("[aria-current=page]")).to_have_text("Spesialpedagogisk team")
    history = page.get_by_role("region", name="History")
    moved = history.get_by_role("listitem").filter(has_text="Moved")
    expect(moved).to_have_count(1)
    expect(moved.get_by_role("row", name=re.compile("^Parent"))).to_contain_text("Skule")
    moving.refresh_from_db()
    assert moving.parent_id == skule.pk
    assert moving.path == f"{skule.path}{moving.pk}/"
    assert_accessible(page)


def test_people_search_updates_the_table_and_announces_the_count(signed_in: Page, world: World) -> None:
    page = signed_in
    for first, last in [("Ivar", "Haugen"), ("Randi", "Haugen"), ("Tor", "Hauge"), ("Mari", "Lie")]:
        PersonFactory(organization=world.member, first_name=first, last_name=last)
    page.goto("/desk/people/")
    count = page.locator("#result-count")
    expect(count).to_have_attribute("role", "status")
    total = Person.objects.visible_to(world.admin).filter(is_active=True).count()
    expect(count).to_have_text(f"{total} matches")
    page.evaluate("window.notReloaded = true")

    page.get_by_role("searchbox", name="Search").press_sequentially("haug", delay=30)
    expect(count).to_have_text("3 matches")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Tor Hauge")
    assert page.evaluate("window.notReloaded === true"), "the table was updated in place, not by a new page"
    assert "q=haug" in page.url, "the address follows the search, so it can be shared and reloaded"
    assert_accessible(page)

    page.get_by_role("searchbox", name="Search").press_sequentially("en", delay=30)
    expect(count).to_have_text("2 matches")
    expect(rows).to_have_count(2)
    assert page.evaluate("window.notReloaded === true")

    # Back returns to the previous search, search field included, still inside the same page and shell.
    # No copy of the list (personal data) is kept in the browser's storage for that: the server draws it again.
    page.go_back()
    expect(count).to_have_text("3 matches")
    assert "q=haug&" in page.url
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("haug")
    expect(page.locator("main h1")).to_have_count(1)
    expect(page.locator("header nav")).to_be_visible()
    assert page.evaluate("window.notReloaded === true")
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") in (None, "[]")
    assert_accessible(page)


def other_pages(world: World) -> list[str]:
    """The workspace's pages that the scenarios above do not walk through."""
    return [
        "/desk/organizations/",
        f"/desk/organizations/{world.member.pk}/",
        "/desk/departments/",
        "/desk/locations/",
        f"/desk/locations/{world.employee.location_id}/",
        "/desk/teams/",
        f"/desk/teams/{world.agent.teams.get().pk}/",
        "/desk/tokens/",
        "/accessibility/",
        "/desk/settings/accessibility/",
        "/desk/no-such-page/",
    ]


def assert_no_sideways_scrolling(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    limit = page.viewport_size["width"] + 1
    assert width <= limit, f"{path_of(page)} scrolls sideways at {limit - 1} px: it is {width} px wide"


def test_pages_reflow_at_320_px_without_horizontal_scrolling(signed_in: Page, world: World) -> None:
    page = signed_in
    long_name = PersonFactory(
        organization=world.member,
        first_name="Anne-Kristine",
        last_name="Vestrheim-Øvrebotten",
        email="anne-kristine.vestrheim-ovrebotten@lindas.kommune.no",
        department=world.employee.department,
    )
    page.set_viewport_size(NARROW)
    for url in [
        "/desk/people/",
        f"/desk/people/{long_name.pk}/",
        f"/desk/departments/{long_name.department_id}/",
    ]:
        page.goto(url)
        assert_no_sideways_scrolling(page)
        assert_accessible(page)
    for url in other_pages(world):  # axe checks these at full width, in the next test
        page.goto(url)
        assert_no_sideways_scrolling(page)
    # On the list, the wide table scrolls inside its own region, which the keyboard can reach.
    page.goto("/desk/people/")
    region = page.locator(".table-scroll")
    assert region.evaluate("e => e.scrollWidth > e.clientWidth"), "the table needs to scroll at 320 px"
    expect(region).to_have_attribute("tabindex", "0")


def test_anonymous_front_page_and_sign_in_page_are_accessible(
    transactional_db: None, world: World, page: Page
) -> None:
    page.goto("/")
    assert html_lang(page) == "nb"
    assert_accessible(page)
    page.locator("main").get_by_role("link").first.click()
    assert path_of(page) == "/signin/"
    assert_accessible(page)

    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill("feil-passord")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert path_of(page) == "/signin/"
    assert_accessible(page)


def test_the_other_workspace_pages_are_accessible(signed_in: Page, world: World) -> None:
    for url in other_pages(world):
        signed_in.goto(url)
        assert_accessible(signed_in)


def test_back_to_a_searched_list_shows_the_whole_page(signed_in: Page, world: World) -> None:
    page = signed_in
    PersonFactory(organization=world.member, first_name="Ivar", last_name="Haugen")
    page.goto("/desk/people/")
    page.get_by_role("searchbox", name="Search").press_sequentially("haug", delay=30)
    expect(page.locator("#result-count")).to_have_text("1 match")
    page.locator("#results").get_by_role("link", name="Ivar Haugen").click()
    expect(page.locator("h1")).to_have_text("Ivar Haugen")
    page.go_back()
    page.wait_for_load_state()
    assert page.locator("header nav").count() == 1, "Back shows the rows without the page around them"
    expect(page.locator("#result-count")).to_have_text("1 match")


def test_enter_in_a_picker_search_does_not_submit_the_form(signed_in: Page, world: World) -> None:
    page = signed_in
    page.goto("/desk/people/new/")
    page.get_by_label("Organization").select_option(label="Lindås kommune")
    page.get_by_label("First name").fill("Sigrid")
    page.get_by_label("Last name").fill("Haugland")
    search = page.get_by_label("Search for Department")
    search.press_sequentially("opp", delay=30)
    expect(page.locator("#id_department_pickstatus")).to_have_text("1 match – choose")
    search.press("Enter")
    page.wait_for_timeout(300)
    assert path_of(page) == "/desk/people/new/"
    assert not Person.objects.filter(last_name="Haugland").exists()
