"""SLA compliance: hand-counted figures per team, priority and organization on the page, in the CSV and the API."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import World
from torg.core.models import Team
from torg.core.testing.api import ApiClient, assert_error
from torg.core.tests.factories import TeamFactory
from torg.desk.models import Status
from torg.desk.tests.factories import TicketFactory
from torg.sla import compliance
from torg.sla.models import Agreement, CaseTimer
from torg.sla.tests.factories import AgreementFactory, AgreementTargetFactory

PAGE = reverse("sla:compliance")
SPAN = {"from": "2025-01", "to": "2025-02"}
RESPONSE = {
    "met": {"response_met_at": timedelta(minutes=30)},
    "late": {"response_met_at": timedelta(hours=3), "response_breached_at": timedelta(hours=1)},
    "breached": {"response_breached_at": timedelta(hours=1)},
    "running": {},
}
RESOLUTION = {
    "met": {"stopped_at": timedelta(hours=4)},
    "late": {"stopped_at": timedelta(days=2), "resolution_breached_at": timedelta(hours=8)},
    "breached": {"resolution_breached_at": timedelta(hours=8)},
    "open": {},
}


def utc(month: int, day: int, hour: int, minute: int = 0, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def clock(
    agreement: Agreement | None,
    caller: Any,
    started: datetime,
    *,
    team: Team | None = None,
    priority: int = 3,
    response: str = "met",
    resolution: str = "met",
) -> CaseTimer:
    """A case and its clock as they stand when read: the marks set at offsets from the start."""
    ticket = TicketFactory(caller=caller, team=team, priority=priority)
    marks = {name: started + after for name, after in (RESPONSE[response] | RESOLUTION[resolution]).items()}
    return CaseTimer.objects.create(
        ticket=ticket,
        organization=ticket.organization,
        agreement=agreement,
        priority=priority,
        status=Status.RESOLVED if "stopped_at" in marks else Status.IN_PROGRESS,
        started_at=started,
        **marks,
    )


@dataclass
class Desk:
    first: Team  # "1. linje", the agent's team, serving Lindås
    second: Team  # "2. linje", serving Lindås too


@pytest.fixture
def desk(world: World) -> Desk:
    """Clocks of Lindås in January and February 2025 (Norwegian time), one of Fjellby, and some that do not count.

    Lindås, January:  1. linje P3 met/met · 1. linje P3 late/late · 2. linje P2 met/open · 2. linje P3 running/open
    Lindås, February: 1. linje P2 met/met · no team P3 breached/breached · 2. linje P3 met/met (started
                      23:30 UTC on 31 January: February in Oslo) · 2. linje P3 met/open
    Fjellby, January: no team P3 met/met
    """
    first = Team.objects.get(name="1. linje")
    second = TeamFactory(organization=world.provider, name="2. linje", serves=[world.member])
    lindas = AgreementFactory(organization=world.member, name="Lindås standard")
    AgreementTargetFactory(agreement=lindas, priority=2)
    AgreementTargetFactory(agreement=lindas, priority=3)
    fjellby = AgreementFactory(organization=world.other, name="Fjellby standard")
    caller = world.employee

    clock(lindas, caller, utc(1, 6, 9), team=first)
    clock(lindas, caller, utc(1, 7, 9), team=first, response="late", resolution="late")
    clock(lindas, caller, utc(1, 8, 9), team=second, priority=2, resolution="open")
    clock(lindas, caller, utc(1, 9, 9), team=second, response="running", resolution="open")
    clock(lindas, caller, utc(2, 3, 9), team=first, priority=2)
    clock(lindas, caller, utc(2, 4, 9), response="breached", resolution="breached")
    clock(lindas, caller, utc(1, 31, 23, 30), team=second)
    clock(lindas, caller, utc(2, 5, 9), team=second, resolution="open")
    clock(fjellby, world.other_employee, utc(1, 10, 9))

    # Outside the months or without an agreement: never counted.
    clock(lindas, caller, utc(12, 31, 22, 30, year=2024), team=first)  # 23:30 on 31 December in Oslo
    clock(lindas, caller, utc(2, 28, 23, 30), team=first)  # 00:30 on 1 March in Oslo
    clock(None, caller, utc(1, 15, 9), team=first, response="breached", resolution="breached")
    return Desk(first, second)


FIGURES = (
    "cases",
    "response_met",
    "response_breached",
    "response_running",
    "response_compliance",
    "resolution_met",
    "resolution_breached",
    "resolution_open",
    "resolution_compliance",
)


def figures(row: dict[str, Any] | compliance.Figures) -> tuple:
    """The counts and the compliance of a row of the API or of the read, in one order."""
    if isinstance(row, dict):
        return tuple(row[name] for name in FIGURES)
    return tuple(getattr(row, name) for name in FIGURES)


# The read.

LINDAS_BY_TEAM = [
    ("2025-01", "1. linje", (2, 1, 1, 0, 50.0, 1, 1, 0, 50.0)),
    ("2025-01", "2. linje", (2, 1, 0, 1, 100.0, 0, 0, 2, None)),
    ("2025-02", "1. linje", (1, 1, 0, 0, 100.0, 1, 0, 0, 100.0)),
    ("2025-02", "2. linje", (2, 2, 0, 0, 100.0, 1, 0, 1, 100.0)),
    ("2025-02", "No team", (1, 0, 1, 0, 0.0, 0, 1, 0, 0.0)),
]
LINDAS_MONTHS = [
    ("2025-01", (4, 2, 1, 1, 66.7, 1, 1, 2, 50.0)),
    ("2025-02", (4, 3, 1, 0, 75.0, 2, 1, 1, 66.7)),
]


def test_rows_per_team_and_month_and_the_totals_of_each_month(world: World, desk: Desk) -> None:
    report = compliance.report(
        world.agent,
        group_by="team",
        first=compliance.parse_month("2025-01"),
        last=compliance.parse_month("2025-02"),
    )
    rows = [(f"{row.month:%Y-%m}", row.label, figures(row)) for row in report.rows]
    assert rows == LINDAS_BY_TEAM
    months = [(f"{month.month:%Y-%m}", figures(month)) for month in report.months]
    assert months == LINDAS_MONTHS
    assert [r.key for r in report.rows] == [
        desk.first.pk,
        desk.second.pk,
        desk.first.pk,
        desk.second.pk,
        None,
    ]


def test_the_month_is_the_month_the_clock_started_in_norwegian_time(world: World) -> None:
    agreement = AgreementFactory(organization=world.member)
    started = [
        utc(1, 31, 22, 30),  # 23:30 on 31 January in Oslo (winter time, UTC+1)
        utc(1, 31, 23, 30),  # 00:30 on 1 February
        utc(6, 30, 21, 30),  # 23:30 on 30 June (summer time, UTC+2)
        utc(6, 30, 22, 30),  # 00:30 on 1 July
    ]
    for at in started:
        clock(agreement, world.employee, at)
    report = compliance.report(
        world.admin, first=compliance.parse_month("2025-01"), last=compliance.parse_month("2025-07")
    )
    counted = {f"{month.month:%Y-%m}": month.cases for month in report.months if month.cases}
    assert counted == {"2025-01": 1, "2025-02": 1, "2025-06": 1, "2025-07": 1}


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2025-03", "2025-02", "The first month cannot come after the last."),
        ("2022-01", "2025-01", "Choose at most 36 months at a time."),
    ],
)
def test_a_span_backwards_or_over_36_months_is_refused(first: str, last: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        compliance.month_span(compliance.parse_month(first), compliance.parse_month(last))
    assert refused.value.message_dict == {"from": [message]}
    assert compliance.month_span(compliance.parse_month("2022-02"), compliance.parse_month("2025-01"))


def test_without_months_the_span_is_the_last_twelve_including_this_one() -> None:
    current = compliance.parse_month("2025-03")
    assert compliance.month_span(None, None, current) == (
        compliance.parse_month("2024-04"),
        compliance.parse_month("2025-03"),
    )
    only_first = compliance.month_span(compliance.parse_month("2025-01"), None, current)
    assert only_first == (compliance.parse_month("2025-01"), current)


# The page.


class Cells(HTMLParser):
    """The text of each row of one table's body and foot, cell by cell."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.inside, self.rows = table_id, False, []
        self.cell: list[str] | None = None
        self.found = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("id", self.table_id) in attrs:
            self.found = True
        elif self.found and tag in ("tbody", "tfoot"):
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.found = self.inside = False
        elif tag in ("tbody", "tfoot"):
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table(page: str, table_id: str) -> list[list[str]]:
    assert f'id="{table_id}"' in page
    parser = Cells(table_id)
    parser.feed(page)
    return parser.rows


def show(client: Client, person: Any, **params: str) -> str:
    client.force_login(person)
    response = client.get(PAGE, params)
    assert response.status_code == 200, response.content.decode()[:3000]
    return response.content.decode()


def test_page_shows_the_months_and_the_teams_with_the_hand_counted_figures(
    client: Client, world: World, desk: Desk
) -> None:
    page = show(client, world.agent, group_by="team", **SPAN)
    assert table(page, "compliance-months") == [
        ["January 2025", "4", "66.7 % (2 of 3)", "50.0 % (1 of 2)"],
        ["February 2025", "4", "75.0 % (3 of 4)", "66.7 % (2 of 3)"],
        ["Total", "8", "71.4 % (5 of 7)", "60.0 % (3 of 5)"],
    ]
    assert table(page, "compliance-rows") == [
        ["January 2025", "1. linje", "2", "1", "1", "0", "50.0 %", "1", "1", "0", "50.0 %"],
        ["January 2025", "2. linje", "2", "1", "0", "1", "100.0 %", "0", "0", "2", "–"],
        ["February 2025", "1. linje", "1", "1", "0", "0", "100.0 %", "1", "0", "0", "100.0 %"],
        ["February 2025", "2. linje", "2", "2", "0", "0", "100.0 %", "1", "0", "1", "100.0 %"],
        ["February 2025", "No team", "1", "0", "1", "0", "0.0 %", "0", "1", "0", "0.0 %"],
    ]
    # The chart draws the same per cent, described as the table's.
    assert 'aria-describedby="compliance-chart-note"' in page
    assert '<meter min="0" max="100" value="66.7"' in page
    assert '<meter min="0" max="100" value="75.0"' in page
    assert "style=" not in page


def test_page_groups_by_priority_and_filters_by_team(client: Client, world: World, desk: Desk) -> None:
    page = show(client, world.agent, group_by="priority", **SPAN)
    assert table(page, "compliance-rows") == [
        ["January 2025", "2 – High", "1", "1", "0", "0", "100.0 %", "0", "0", "1", "–"],
        ["January 2025", "3 – Normal", "3", "1", "1", "1", "50.0 %", "1", "1", "1", "50.0 %"],
        ["February 2025", "2 – High", "1", "1", "0", "0", "100.0 %", "1", "0", "0", "100.0 %"],
        ["February 2025", "3 – Normal", "3", "2", "1", "0", "66.7 %", "1", "1", "1", "50.0 %"],
    ]
    page = show(client, world.agent, group_by="priority", team=str(desk.second.pk), priority="3", **SPAN)
    assert table(page, "compliance-rows") == [
        ["January 2025", "3 – Normal", "1", "0", "0", "1", "–", "0", "0", "1", "–"],
        ["February 2025", "3 – Normal", "2", "2", "0", "0", "100.0 %", "1", "0", "1", "100.0 %"],
    ]


def test_administrator_sees_every_organization_customer_manager_only_theirs(
    client: Client, world: World, desk: Desk
) -> None:
    page = show(client, world.admin, **SPAN)
    assert [row[:3] for row in table(page, "compliance-rows")] == [
        ["January 2025", "Fjellby kommune", "1"],
        ["January 2025", "Lindås kommune", "4"],
        ["February 2025", "Lindås kommune", "4"],
    ]
    # The customer manager follows Fjellby: nothing of Lindås, not even in the filter's choices.
    page = show(client, world.customer_manager, **SPAN)
    assert table(page, "compliance-rows") == [
        ["January 2025", "Fjellby kommune", "1", "1", "0", "0", "100.0 %", "1", "0", "0", "100.0 %"],
    ]
    assert [row[:2] for row in table(page, "compliance-months")] == [
        ["January 2025", "1"],
        ["February 2025", "0"],
        ["Total", "1"],
    ]
    assert "Lindås" not in page
    # Asking for Lindås by its id shows nothing either.
    client.force_login(world.customer_manager)
    response = client.get(PAGE, {"organization": str(world.member.pk), **SPAN})
    assert response.status_code == 400  # not one of the choices the manager has
    assert "Lindås" not in response.content.decode()


def test_a_month_without_decided_clocks_shows_a_dash_not_a_percentage(client: Client, world: World) -> None:
    agreement = AgreementFactory(organization=world.member)
    clock(agreement, world.employee, utc(1, 6, 9), response="running", resolution="open")
    page = show(client, world.agent, **SPAN)
    assert table(page, "compliance-months")[:2] == [
        ["January 2025", "1", "–", "–"],
        ["February 2025", "0", "–", "–"],
    ]
    assert "<meter" not in page


def test_without_filters_the_page_shows_the_last_twelve_months(client: Client, world: World) -> None:
    agreement = AgreementFactory(organization=world.member)
    now = timezone.now()
    clock(agreement, world.employee, now - timedelta(minutes=5), response="running", resolution="open")
    clock(agreement, world.employee, now - timedelta(days=400))  # before the twelve months
    page = show(client, world.agent)
    months = table(page, "compliance-months")
    assert len(months) == 13  # twelve and the total
    this_month = timezone.localdate(timezone=compliance.ZONE)
    assert months[-2][0] == f"{this_month:%B %Y}"
    assert months[-1][:2] == ["Total", "1"]
    assert f'value="{this_month:%Y-%m}"' in page  # the month fields show the span


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2025-13"}, "Write the month as year and month, like 2027-03."),
        ({"from": "januar", "to": "2025-02"}, "Write the month as year and month, like 2027-03."),
        ({"from": "2025-03", "to": "2025-02"}, "The first month cannot come after the last."),
        ({"from": "2020-01", "to": "2025-02"}, "Choose at most 36 months at a time."),
    ],
)
def test_bad_months_give_a_message_on_the_page(
    client: Client, world: World, params: dict[str, str], message: str
) -> None:
    client.force_login(world.agent)
    response = client.get(PAGE, params)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'id="compliance-rows"' not in page


def test_employee_gets_403_and_anonymous_is_sent_to_sign_in(client: Client, world: World) -> None:
    client.force_login(world.employee)
    assert client.get(PAGE).status_code == 403
    assert client.get(PAGE, {"format": "csv"}).status_code == 403
    client.logout()
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "signin" in response["Location"]


def test_navigation_links_to_the_page(client: Client, world: World) -> None:
    client.force_login(world.customer_manager)
    assert f'href="{PAGE}"' in client.get(reverse("core:home")).content.decode()


def test_page_queries_do_not_grow_with_clocks(client: Client, world: World, desk: Desk) -> None:
    client.force_login(world.admin)
    with CaptureQueriesContext(connection) as few:
        assert client.get(PAGE, {"group_by": "team", **SPAN}).status_code == 200
    agreement = Agreement.objects.get(name="Lindås standard")
    for n in range(12):
        team = TeamFactory(organization=world.provider, serves=[world.member])
        clock(agreement, world.employee, utc(1 + n % 2, 10 + n, 9), team=team, priority=2 + n % 3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(PAGE, {"group_by": "team", **SPAN})
    assert response.status_code == 200
    assert len(table(response.content.decode(), "compliance-rows")) == 6 + 12  # with Fjellby's, no team
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# The CSV.


def read_csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))


def test_csv_holds_the_same_table(client: Client, world: World, desk: Desk) -> None:
    client.force_login(world.agent)
    response = client.get(PAGE, {"group_by": "team", "format": "csv", **SPAN})
    assert 'filename="sla-compliance-2025-01-2025-02.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == [
        "Month",
        "Team",
        "Cases",
        "Response met",
        "Response breached",
        "Response running",
        "Response compliance (%)",
        "Resolution met",
        "Resolution breached",
        "Resolution open",
        "Resolution compliance (%)",
    ]
    assert rows[1:] == [
        ["2025-01", "1. linje", "2", "1", "1", "0", "50.0", "1", "1", "0", "50.0"],
        ["2025-01", "2. linje", "2", "1", "0", "1", "100.0", "0", "0", "2", ""],
        ["2025-02", "1. linje", "1", "1", "0", "0", "100.0", "1", "0", "0", "100.0"],
        ["2025-02", "2. linje", "2", "2", "0", "0", "100.0", "1", "0", "1", "100.0"],
        ["2025-02", "No team", "1", "0", "1", "0", "0.0", "0", "1", "0", "0.0"],
    ]
    page = show(client, world.agent, group_by="team", **SPAN)
    assert "format=csv" in page


def test_csv_writes_a_label_that_looks_like_a_formula_as_text(client: Client, world: World) -> None:
    agreement = AgreementFactory(organization=world.member)
    team = TeamFactory(organization=world.provider, name='=HYPERLINK("http://x")', serves=[world.member])
    clock(agreement, world.employee, utc(1, 6, 9), team=team)
    client.force_login(world.agent)
    rows = read_csv(client.get(PAGE, {"group_by": "team", "format": "csv", **SPAN}))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'


def test_csv_of_the_customer_manager_has_only_their_organization(
    client: Client, world: World, desk: Desk
) -> None:
    client.force_login(world.customer_manager)
    rows = read_csv(client.get(PAGE, {"format": "csv", **SPAN}))
    assert [row[:3] for row in rows[1:]] == [["2025-01", "Fjellby kommune", "1"]]


# The API.

API = "/sla-compliance/"


def test_api_gives_the_rows_and_the_months(client: Client, world: World, desk: Desk) -> None:
    response = ApiClient(client, world.agent).get(API, {"group_by": "team", **SPAN})
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert [(row["month"], row["label"], figures(row)) for row in body["rows"]] == LINDAS_BY_TEAM
    assert [row["key"] for row in body["rows"]] == [
        desk.first.pk,
        desk.second.pk,
        desk.first.pk,
        desk.second.pk,
        None,
    ]
    assert [(month["month"], figures(month)) for month in body["months"]] == LINDAS_MONTHS


def test_api_filters_and_groups_by_organization(client: Client, world: World, desk: Desk) -> None:
    api = ApiClient(client, world.admin)
    body = api.get(API, {"organization": world.other.pk, **SPAN}).json()
    assert [(row["month"], row["key"], row["label"], row["cases"]) for row in body["rows"]] == [
        ("2025-01", world.other.pk, "Fjellby kommune", 1)
    ]
    body = api.get(API, {"group_by": "priority", "priority": 2, **SPAN}).json()
    assert [(row["month"], row["key"], row["label"], row["cases"]) for row in body["rows"]] == [
        ("2025-01", 2, "2 – High", 1),
        ("2025-02", 2, "2 – High", 1),
    ]


def test_api_customer_manager_sees_none_of_another_organizations_clocks(
    client: Client, world: World, desk: Desk
) -> None:
    api = ApiClient(client, world.customer_manager)
    body = api.get(API, SPAN).json()
    assert [row["label"] for row in body["rows"]] == ["Fjellby kommune"]
    assert [month["cases"] for month in body["months"]] == [1, 0]
    body = api.get(API, {"organization": world.member.pk, **SPAN}).json()
    assert body["rows"] == []
    assert [month["cases"] for month in body["months"]] == [0, 0]


def test_api_refuses_an_employee(client: Client, world: World) -> None:
    assert_error(ApiClient(client, world.employee).get(API), 403)
    assert_error(ApiClient(client).get(API), 401)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2025-13"}, "from"),
        ({"to": "25-02"}, "to"),
        ({"from": "2025-03", "to": "2025-02"}, "from"),
        ({"from": "2020-01", "to": "2025-02"}, "from"),
        ({"group_by": "assignee"}, "group_by"),
        ({"priority": "9"}, "priority"),
    ],
)
def test_api_bad_input_is_422_naming_the_field(
    client: Client, world: World, params: dict[str, str], field: str
) -> None:
    error = assert_error(ApiClient(client, world.agent).get(API, params), 422, field)
    assert error["code"] == "invalid_request"


# In a browser.


@pytest.mark.browser
def test_page_is_accessible_and_reflows_at_320_px(
    transactional_db: None, world: World, desk: Desk, page: Any, live_server: Any
) -> None:
    from torg.core.testing.browser import assert_accessible
    from torg.core.tests.test_browser import assert_no_sideways_scrolling, sign_in

    sign_in(page, live_server, world.customer_manager)
    urls = [
        f"{PAGE}?group_by=team&from=2025-01&to=2025-02",
        f"{PAGE}?from=2024-01&to=2025-12",
        f"{PAGE}?from=2025-03&to=2025-02",  # refused, with the message on the field
    ]
    for url in urls:
        page.goto(url)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    assert page.get_by_role("alert").count() == 1
    page.set_viewport_size({"width": 320, "height": 640})
    for url in urls:
        page.goto(url)
        assert_no_sideways_scrolling(page)
