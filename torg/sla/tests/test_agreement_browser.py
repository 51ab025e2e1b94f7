"""Agreement pages in a real browser: list, detail, targets refused and saved, each page checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import World
from torg.core.testing.browser import TIMEOUT_MS, assert_accessible
from torg.core.tests.test_browser import sign_in
from torg.sla import services
from torg.sla.tests.factories import AgreementFactory, AgreementTargetFactory

pytestmark = pytest.mark.browser

expect.set_options(timeout=TIMEOUT_MS)


def test_customer_manager_reads_and_sets_the_targets(
    transactional_db: None, world: World, page: Page, live_server: Any
) -> None:
    agreement = AgreementFactory(organization=world.other, name="Fjellby standard")
    AgreementTargetFactory(agreement=agreement, priority=3, response_minutes=60, resolution_minutes=480)
    sign_in(page, live_server, world.customer_manager)

    page.goto("/desk/sla/agreements/")
    expect(page.get_by_role("row", name="Fjellby standard")).to_contain_text("Clock time")
    assert_accessible(page)

    page.get_by_role("link", name="Fjellby standard").click()
    targets = page.locator('section[aria-labelledby="targets-heading"] table')
    expect(targets.get_by_role("row", name="3 – Normal")).to_contain_text("1 h")
    expect(targets.get_by_role("row", name="3 – Normal")).to_contain_text("8 h")
    expect(targets.get_by_role("row", name="1 – Critical")).to_contain_text("No target")
    assert_accessible(page)

    page.get_by_text("Change the targets").click()
    critical = page.get_by_role("group", name="1 – Critical")
    critical.get_by_label("Response time").fill("2:00")
    critical.get_by_label("Resolution time").fill("1:30")
    page.get_by_role("button", name="Save the targets").click()
    expect(critical.get_by_label("Response time")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("The response time cannot be longer than the resolution time.")).to_be_visible()
    assert_accessible(page)

    critical.get_by_label("Response time").fill("0:15")
    page.get_by_role("button", name="Save the targets").click()
    expect(targets.get_by_role("row", name="1 – Critical")).to_contain_text("1 h 30 min")
    assert services.agreement_targets(agreement) == {1: (15, 90), 3: (60, 480)}
