"""Calendar pages: the generated cases, plus weekly hours, special days and the effect table."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from conftest import World
from torg.core.models import AuditEntry, Organization
from torg.core.testing.pages import TenantModelViewTests
from torg.core.tests.factories import ProviderFactory
from torg.sla.models import BusinessCalendar, OpeningSpan, SpecialDay
from torg.sla.tests.factories import BusinessCalendarFactory, OpeningSpanFactory


def office(world: World) -> BusinessCalendar:
    calendar = BusinessCalendarFactory(organization=world.provider)
    for weekday in range(5):
        OpeningSpanFactory(calendar=calendar, weekday=weekday)
    return calendar


def url(name: str, *args: Any) -> str:
    return reverse(f"sla:{name}", args=args)


class TestCalendarPages(TenantModelViewTests):
    url_prefix = "calendar"
    url_namespace = "sla"

    # Calendars belong to providers: the reached one is the world's, the hidden one another provider's.
    def make(self, world: Any, organization: Organization, **fields: Any) -> BusinessCalendar:
        provider = world.provider if organization == world.member else ProviderFactory()
        return BusinessCalendarFactory(organization=provider, **fields)

    def create_data(self, world: Any) -> dict[str, Any]:
        return {"organization": world.provider.pk, "name": "Kontortid Knarvik", "time_zone": "Europe/Oslo"}

    def created(self, world: Any) -> BusinessCalendar:
        return BusinessCalendar.objects.get(name="Kontortid Knarvik")

    def update_data(self, world: Any, obj: BusinessCalendar) -> dict[str, Any]:
        return {"name": "Sommartid", "time_zone": "Europe/Oslo", "public_holidays": "on"}


def test_detail_shows_the_week_the_special_days_and_the_effect(client: Any, world: World) -> None:
    calendar = office(world)
    client.force_login(world.admin)
    soon = timezone.localdate() + timedelta(days=40)  # inside the next 12 months, whenever this runs
    response = client.post(
        url("calendar_special_day_add", calendar.pk),
        {
            "name": "Planleggingsdag",
            "start_date": soon.isoformat(),
            "end_date": "",
            "kind": "special",
            "spans": "10:00–14:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(url("calendar_detail", calendar.pk)).content.decode()
    assert "08:00–16:00" in page  # Monday to Friday
    assert "Planleggingsdag" in page
    row = page[page.index(f'id="effect-{soon.isoformat()}"') :]
    row = row[: row.index("</tr>")]
    assert "Planleggingsdag" in row
    assert "10:00–14:00" in row


def test_hours_form_refuses_overlaps_and_changes_nothing(client: Any, world: World) -> None:
    calendar = office(world)
    client.force_login(world.admin)
    before, audited = list(OpeningSpan.objects.values_list("pk", flat=True)), AuditEntry.objects.count()
    response = client.post(
        url("calendar_hours", calendar.pk), {"monday": "08:00–12:00, 11:00–16:00", "tuesday": "08:00-16:00"}
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert list(OpeningSpan.objects.values_list("pk", flat=True)) == before
    assert AuditEntry.objects.count() == audited


def test_hours_form_saves_the_week(client: Any, world: World) -> None:
    calendar = office(world)
    client.force_login(world.admin)
    response = client.post(
        url("calendar_hours", calendar.pk), {"monday": "07:00–15:00", "saturday": "10:00-14:00"}
    )
    assert response.status_code == 302
    assert list(calendar.spans.values_list("weekday", flat=True)) == [0, 5]


def test_special_day_is_removed(client: Any, world: World) -> None:
    calendar = office(world)
    day = SpecialDay.objects.create(
        calendar=calendar, name="Stengt", start_date=date(2027, 1, 4), end_date=date(2027, 1, 4)
    )
    client.force_login(world.admin)
    assert client.post(url("calendar_special_day_delete", calendar.pk, day.pk)).status_code == 302
    assert not SpecialDay.objects.exists()


def test_agent_may_not_change_hours_or_special_days(client: Any, world: World) -> None:
    calendar = office(world)
    day = SpecialDay.objects.create(
        calendar=calendar, name="Stengt", start_date=date(2027, 1, 4), end_date=date(2027, 1, 4)
    )
    client.force_login(world.agent)
    page = client.get(url("calendar_detail", calendar.pk)).content.decode()
    assert url("calendar_hours", calendar.pk) not in page
    assert client.post(url("calendar_hours", calendar.pk), {"monday": "08:00–10:00"}).status_code == 403
    assert client.post(url("calendar_special_day_delete", calendar.pk, day.pk)).status_code == 403
    assert client.get(url("calendar_update", calendar.pk)).status_code == 403
    assert calendar.spans.count() == 5
    assert SpecialDay.objects.exists()


def test_another_providers_calendar_is_404_everywhere(client: Any, world: World) -> None:
    theirs = BusinessCalendarFactory(organization=ProviderFactory())
    day = SpecialDay.objects.create(
        calendar=theirs, name="Stengt", start_date=date(2027, 1, 4), end_date=date(2027, 1, 4)
    )
    client.force_login(world.agent)
    assert client.get(url("calendar_detail", theirs.pk)).status_code == 404
    assert client.post(url("calendar_hours", theirs.pk), {"monday": "08:00–10:00"}).status_code == 404
    assert client.post(url("calendar_special_day_add", theirs.pk), {"name": "x"}).status_code == 404
    assert client.post(url("calendar_special_day_delete", theirs.pk, day.pk)).status_code == 404


def test_a_customer_manager_reads_the_calendars_of_their_provider_but_cannot_change_them(
    client: Any, world: World
) -> None:
    calendar = office(world)
    elsewhere = BusinessCalendarFactory(organization=ProviderFactory())
    assert list(BusinessCalendar.objects.visible_to(world.customer_manager)) == [calendar]
    assert list(BusinessCalendar.objects.visible_to(world.other_employee)) == []  # no workspace role

    client.force_login(world.customer_manager)
    page = client.get(url("calendar_detail", calendar.pk))
    assert page.status_code == 200
    assert url("calendar_update", calendar.pk).encode() not in page.content
    assert client.get(url("calendar_detail", elsewhere.pk)).status_code == 404
    response = client.post(url("calendar_update", calendar.pk), {"name": "Vår", "time_zone": "Europe/Oslo"})
    assert response.status_code == 403
    calendar.refresh_from_db()
    assert calendar.name != "Vår"
