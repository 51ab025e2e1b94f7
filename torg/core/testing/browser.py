"""Browser test fixtures: one headless Chromium per session, a fresh context per test, and axe-core.

Debian's Chromium is driven by Playwright; nothing is downloaded at test time (axe-core ships inside
axe-playwright-python). Without Chromium the browser tests skip, except in CI, where they fail.
Every page a test opens records console errors, uncaught script errors and failed sub-requests
(a stylesheet or script answering 404, an HTMX request answering 500); any of them fails the test.
"""

from __future__ import annotations

import os
import shutil
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Response

CHROMIUM = os.environ.get("TORG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--disable-gpu", "--disable-quic"]
TIMEOUT_MS = 5_000  # a step that takes longer than this is a bug, not a slow machine
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
LOCALE = "nb-NO"  # a Norwegian reader: the browser asks for Bokmål first


def _missing(reason: str) -> None:
    """Skip outside CI; in CI a missing browser is a failure, so the suite cannot pass without running."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (in CI the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@dataclass
class PageLog:
    """What went wrong in the page that a user would not see: console errors, script errors, failed loads."""

    problems: list[str] = field(default_factory=list)
    # Navigations answering 4xx (a form shown again with errors, status 400) are the test's to check;
    # Chromium also logs them as console errors, which are not problems of the page.
    navigation_failures: set[str] = field(default_factory=set)
    console_failures: list[tuple[str, str]] = field(default_factory=list)
    failed_loads: set[str] = field(default_factory=set)  # already in `problems`, with their status

    def unexpected(self) -> list[str]:
        found = list(self.problems)
        for url, text in self.console_failures:
            if url not in self.navigation_failures and url not in self.failed_loads:
                found.append(f"console: {text} ({url})")
        return found


_logs: weakref.WeakKeyDictionary[Page, PageLog] = weakref.WeakKeyDictionary()


def _watch(page: Page) -> PageLog:
    log = PageLog()
    _logs[page] = log

    def on_console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if message.text.startswith("Failed to load resource"):
            log.console_failures.append((url, message.text))
        else:
            log.problems.append(f"console: {message.text} ({url})")

    def on_response(response: Response) -> None:
        if response.status < 400:
            return
        if response.request.is_navigation_request():
            log.navigation_failures.add(response.url)
        else:
            log.failed_loads.add(response.url)
            log.problems.append(f"{response.request.method} {response.url} answered {response.status}")

    def on_request_failed(request: Request) -> None:
        # A request the browser cancels because the page moved on (a new page, a newer search) is fine.
        if request.failure != "net::ERR_ABORTED":
            log.problems.append(f"{request.method} {request.url} failed: {request.failure}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: log.problems.append(f"script error: {error}"))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    return log


def assert_no_page_errors(page: Page) -> None:
    log = _logs.get(page)
    if log is not None and (found := log.unexpected()):
        log.problems.clear()  # reported once: the fixture's teardown does not report them again
        log.console_failures.clear()
        pytest.fail(
            "The page reported problems:\n" + "\n".join(f"  - {line}" for line in found), pytrace=False
        )


def assert_accessible(page: Page) -> None:
    """Run axe-core's default rules (WCAG 2.x A and AA, and best practices) on the page: zero violations.

    Also fails on console errors, script errors and failed loads seen so far, so that a missing stylesheet
    (which changes what axe measures) is reported as itself.
    """
    from axe_playwright_python.sync_playwright import Axe

    assert_no_page_errors(page)
    violations = Axe().run(page).response["violations"]
    if not violations:
        return
    lines = [f"axe found {len(violations)} violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            checks = [*node.get("any", []), *node.get("all", []), *node.get("none", [])]
            message = next((check["message"] for check in checks if check.get("message")), "")
            lines.append(f"    {target}" + (f": {message}" if message else ""))
    pytest.fail("\n".join(lines), pytrace=False)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium, once per session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed (pip install -e '.[test]')")
    if not (os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM)):
        _missing(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    # Playwright's sync API keeps its asyncio loop marked as running on this thread while it lives, and
    # Django refuses ORM calls (the test world, the database flush) under a running loop. Nothing here is
    # async, so lift that guard for as long as Playwright runs, and put it back after.
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def browser_context(browser: Browser, live_server: Any) -> Iterator[BrowserContext]:
    """A fresh context per test (no cookies carried over), addressing the live server by relative URLs."""
    context = browser.new_context(
        base_url=live_server.url, locale=LOCALE, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser_context: BrowserContext) -> Iterator[Page]:
    """A page of the test's context; console and script errors and failed loads on it fail the test."""
    page = browser_context.new_page()
    _watch(page)
    yield page
    assert_no_page_errors(page)
