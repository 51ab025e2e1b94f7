"""Agreement pages: the generated cases, plus targets, who may keep them, the calendar check and query counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import World
from torg.core.models import AuditEntry, Channel, Organization, Person, Role, Team
from torg.core.testing.pages import TenantModelViewTests
from torg.core.tests.factories import PersonFactory, ProviderFactory, RoleGrantFactory, TeamMembershipFactory
from torg.desk.tests.factories import CategoryFactory, TicketFactory
from torg.sla import services
from torg.sla.models import Agreement, AgreementTarget, BusinessCalendar
from torg.sla.tests.factories import AgreementFactory, AgreementTargetFactory, BusinessCalendarFactory
from torg.sla.timers import on_change

OFFICE = {day: [["08:00", "16:00"]] for day in range(5)}
TARGETS = {
    "response_1": "0:15",
    "resolution_1": "1:30",
    "response_3": "1",
    "resolution_3": "8:00",
}


def url(name: str, *args: Any) -> str:
    return reverse(f"sla:{name}", args=args)


def office(world: World, provider: Organization | None = None) -> BusinessCalendar:
    calendar = BusinessCalendarFactory(organization=provider or world.provider, name="Kontortid")
    services.calendar_set_hours(calendar=calendar, hours=OFFICE, by=world.admin, via=Channel.PAGE)
    return calendar


def service_owner(world: World) -> Person:
    person = PersonFactory(organization=world.provider, username="so")
    RoleGrantFactory(person=person, role=Role.SERVICE_OWNER, organization=world.provider)
    TeamMembershipFactory(team=Team.objects.get(name="1. linje"), person=person)
    return person


def main_rows(page: str) -> str:
    return page[page.index("<tbody>") : page.index("</tbody>")]


class TestAgreementPages(TenantModelViewTests):
    url_prefix = "agreement"
    url_namespace = "sla"

    def make(self, world: Any, organization: Organization, **fields: Any) -> Agreement:
        agreement = AgreementFactory(organization=organization, **fields)
        AgreementTargetFactory(agreement=agreement, priority=3)
        return agreement

    def create_data(self, world: Any) -> dict[str, Any]:
        return {"organization": world.member.pk, "name": "Standard Lindås", "kind": "", "category": ""}

    def created(self, world: Any) -> Agreement:
        return Agreement.objects.get(name="Standard Lindås")

    def update_data(self, world: Any, obj: Agreement) -> dict[str, Any]:
        return {"name": "Standard med kontortid", "kind": "incident"}


def test_list_shows_what_each_agreement_covers_and_counts_on(client: Any, world: World) -> None:
    calendar = office(world)
    AgreementFactory(organization=world.member, name="Alle saker")
    AgreementFactory(
        organization=world.member,
        name="Feil på PC",
        kind="incident",
        category=CategoryFactory(organization=world.provider, name="PC"),
        calendar=calendar,
    )
    client.force_login(world.agent)
    rows = main_rows(client.get(url("agreement_list")).content.decode())
    general, specific = rows.split("Feil på PC")
    assert "All categories" in general and "All kinds" in general and "Clock time" in general
    assert "Lindås kommune" in specific
    for text in ("PC", "Incident", "Kontortid"):
        assert text in specific


def test_detail_shows_the_targets_in_hours_and_minutes_and_the_open_cases(client: Any, world: World) -> None:
    agreement = AgreementFactory(organization=world.member)
    AgreementTargetFactory(agreement=agreement, priority=1, response_minutes=15, resolution_minutes=90)
    AgreementTargetFactory(agreement=agreement, priority=3, response_minutes=60, resolution_minutes=480)
    for _ in range(2):
        on_change(TicketFactory(caller=world.employee, priority=3), now=timezone.now())
    client.force_login(world.agent)
    page = client.get(url("agreement_detail", agreement.pk)).content.decode()
    table = page[page.index('id="targets-heading"') :]
    critical = table[table.index("1 – Critical") :]
    assert critical.index("15 min") < critical.index("1 h 30 min") < critical.index("2 – High")
    high = table[table.index("2 – High") :]
    assert high.index("No target") < high.index("3 – Normal")
    assert "It governs 2 open cases now." in page
    assert url("agreement_targets", agreement.pk) not in page  # the agent reads, and may not change


def test_targets_form_saves_hours_and_minutes(client: Any, world: World) -> None:
    agreement = AgreementFactory(organization=world.member)
    client.force_login(service_owner(world))
    response = client.post(url("agreement_targets", agreement.pk), TARGETS)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert services.agreement_targets(agreement) == {1: (15, 90), 3: (60, 480)}
    entry = AuditEntry.objects.for_object(agreement).get()
    assert "1 h 30 min" in entry.changes["targets"][1]
    page = client.get(url("agreement_detail", agreement.pk)).content.decode()
    assert 'value="1:30"' in page  # the form shows the targets as they are


def test_wrong_targets_are_shown_on_their_fields_and_change_nothing(client: Any, world: World) -> None:
    agreement = AgreementFactory(organization=world.member)
    AgreementTargetFactory(agreement=agreement, priority=3)
    client.force_login(world.admin)
    audited = AuditEntry.objects.count()
    for data, message in (
        (TARGETS | {"response_1": "2:00"}, "The response time cannot be longer than the resolution time."),
        (TARGETS | {"resolution_3": "8 timar"}, "Write hours and minutes, like 0:30 or 8:00."),
        (TARGETS | {"resolution_3": "8:75"}, "Write hours and minutes, like 0:30 or 8:00."),
        (TARGETS | {"response_2": "0:30"}, "Give both times, or neither for no target."),
        (TARGETS | {"resolution_1": "9000:00"}, "Give a resolution time above zero and at most a year."),
        (TARGETS | {"response_1": "0:00"}, "Give a response time above zero and at most a year."),
    ):
        response = client.post(url("agreement_targets", agreement.pk), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert 'aria-invalid="true"' in page
        assert message in page
        assert "<details open>" in page  # the form stays open on its errors
    assert list(AgreementTarget.objects.values_list("priority", flat=True)) == [3]
    assert AuditEntry.objects.count() == audited


def test_customer_manager_keeps_their_organizations_agreements_only(client: Any, world: World) -> None:
    theirs = AgreementFactory(organization=world.other)
    lindas = AgreementFactory(organization=world.member)
    client.force_login(world.customer_manager)
    response = client.post(
        url("agreement_create"), {"organization": world.other.pk, "name": "Fjellby standard"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert client.post(url("agreement_targets", theirs.pk), TARGETS).status_code == 302
    # Lindås is out of the customer manager's reach: it is neither offered nor found.
    form = client.get(url("agreement_create")).content.decode()
    assert "Fjellby kommune" in form and "Lindås kommune" not in form
    response = client.post(url("agreement_create"), {"organization": world.member.pk, "name": "Lindås"})
    assert response.status_code == 400
    assert client.post(url("agreement_targets", lindas.pk), TARGETS).status_code == 404
    assert not Agreement.objects.filter(name="Lindås").exists()


def test_agent_may_not_set_targets(client: Any, world: World) -> None:
    agreement = AgreementFactory(organization=world.member)
    client.force_login(world.agent)
    assert client.get(url("agreement_create")).status_code == 403
    assert client.post(url("agreement_targets", agreement.pk), TARGETS).status_code == 403
    assert not agreement.targets.exists()


def test_another_providers_calendar_is_refused_on_the_calendar_field(client: Any, world: World) -> None:
    theirs = office(world, ProviderFactory(name="Sunnfjord IKT"))
    client.force_login(world.admin)
    response = client.post(
        url("agreement_create"), {"organization": world.member.pk, "name": "Kontortid", "calendar": theirs.pk}
    )
    assert response.status_code == 400
    page = response.content.decode()
    field = page[page.index('for="id_calendar"') :]
    assert "Choose a calendar of Vestland IKT, the provider that serves Lindås kommune." in field
    assert not Agreement.objects.exists()


def test_list_and_detail_query_counts_do_not_grow_with_agreements_targets_or_cases(
    client: Any, world: World
) -> None:
    calendar = office(world)
    category = CategoryFactory(organization=world.provider)
    client.force_login(world.admin)

    def add(n: int) -> Agreement:
        for i in range(n):
            agreement = AgreementFactory(
                organization=world.member, kind="incident", category=category, calendar=calendar
            )
            for priority in range(1, 5):
                AgreementTargetFactory(agreement=agreement, priority=priority)
            on_change(
                TicketFactory(caller=world.employee, priority=3), now=timezone.now() - timedelta(hours=i)
            )
        return agreement

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    first = add(2)
    few = (queries(url("agreement_list")), queries(url("agreement_detail", first.pk)))
    last = add(20)
    services.agreement_set_targets(agreement=first, targets={1: (10, 20)}, by=world.admin, via=Channel.PAGE)
    many = (queries(url("agreement_list")), queries(url("agreement_detail", last.pk)))
    assert many == few
