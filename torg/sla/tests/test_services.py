"""The calendar services: who may keep calendars, weekly hours, special days, and the effect table."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import World
from torg.core.models import AuditEntry, Channel, Role
from torg.core.tests.factories import PersonFactory, ProviderFactory, RoleGrantFactory
from torg.sla import services
from torg.sla.models import BusinessCalendar, OpeningSpan, SpecialDay
from torg.sla.tests.factories import BusinessCalendarFactory, OpeningSpanFactory, SpecialDayFactory

pytestmark = pytest.mark.django_db
OFFICE = {day: [["08:00", "16:00"]] for day in range(5)}


def service_owner(world: World) -> object:
    person = PersonFactory(organization=world.provider, username="so")
    RoleGrantFactory(person=person, role=Role.SERVICE_OWNER, organization=world.provider)
    return person


def office(world: World) -> BusinessCalendar:
    calendar = BusinessCalendarFactory(organization=world.provider)
    services.calendar_set_hours(calendar=calendar, hours=OFFICE, by=world.admin, via=Channel.PAGE)
    return calendar


def test_service_owner_of_the_provider_creates_and_changes_a_calendar(world: World) -> None:
    owner = service_owner(world)
    calendar = services.calendar_create(
        organization=world.provider, name="Kontortid", by=owner, via=Channel.API
    )
    services.calendar_update(calendar=calendar, name="Kontortid Vestland", by=owner, via=Channel.API)
    actions = AuditEntry.objects.for_object(calendar).values_list("action", flat=True)
    assert set(actions) == {"create", "update"}


def test_service_owner_may_not_keep_another_providers_calendar(world: World) -> None:
    theirs = BusinessCalendarFactory(organization=ProviderFactory())
    with pytest.raises(PermissionDenied):
        services.calendar_set_active(calendar=theirs, active=False, by=service_owner(world), via=Channel.PAGE)


def test_agent_may_not_keep_calendars(world: World) -> None:
    calendar = BusinessCalendarFactory(organization=world.provider)
    with pytest.raises(PermissionDenied):
        services.calendar_set_hours(calendar=calendar, hours=OFFICE, by=world.agent, via=Channel.PAGE)
    with pytest.raises(PermissionDenied):
        services.calendar_create(organization=world.provider, name="Ny", by=world.agent, via=Channel.PAGE)


def test_set_hours_replaces_the_week_and_audits_it(world: World) -> None:
    calendar = office(world)
    hours = {0: [["08:00", "11:30"], ["12:00", "16:00"]], 5: [["10:00", "00:00"]]}
    services.calendar_set_hours(calendar=calendar, hours=hours, by=world.admin, via=Channel.PAGE)
    assert services.weekly_hours(calendar) == {
        0: [["08:00", "11:30"], ["12:00", "16:00"]],
        1: [],
        2: [],
        3: [],
        4: [],
        5: [["10:00", "24:00"]],
        6: [],
    }
    entry = AuditEntry.objects.for_object(calendar).latest("id")
    before, after = entry.changes["opening_hours"]
    assert "Friday: 08:00–16:00" in before
    assert "Monday: 08:00–11:30, 12:00–16:00" in after


def test_overlapping_hours_are_refused_and_nothing_changes(world: World) -> None:
    calendar = office(world)
    spans, audited = list(OpeningSpan.objects.values_list("pk", flat=True)), AuditEntry.objects.count()
    hours = {0: [["08:00", "12:00"]], 2: [["08:00", "12:00"], ["11:00", "16:00"]]}
    with pytest.raises(ValidationError) as raised:
        services.calendar_set_hours(calendar=calendar, hours=hours, by=world.admin, via=Channel.PAGE)
    assert set(raised.value.message_dict) == {"wednesday"}
    assert list(OpeningSpan.objects.values_list("pk", flat=True)) == spans
    assert AuditEntry.objects.count() == audited


def test_a_span_that_ends_before_it_starts_is_a_field_error(world: World) -> None:
    calendar = office(world)
    with pytest.raises(ValidationError) as raised:
        services.calendar_set_hours(
            calendar=calendar, hours={4: [["16:00", "08:00"]]}, by=world.admin, via=Channel.PAGE
        )
    assert set(raised.value.message_dict) == {"friday"}


def test_special_day_save_and_delete_are_in_the_calendars_history(world: World) -> None:
    calendar = office(world)
    day = services.special_day_save(
        calendar=calendar,
        name="Julaftan",
        start_date=date(2026, 12, 24),
        end_date=None,
        kind=SpecialDay.Kind.SHORTENED,
        spans=[["8:00", "12:00"]],
        by=world.admin,
        via=Channel.PAGE,
    )
    assert (day.end_date, day.spans) == (date(2026, 12, 24), [["08:00", "12:00"]])
    services.special_day_delete(special_day=day, by=world.admin, via=Channel.PAGE)
    assert not SpecialDay.objects.exists()
    changes = [e.changes["special_day"] for e in AuditEntry.objects.for_object(calendar).order_by("id")[1:]]
    assert changes == [
        [None, "Julaftan (2026-12-24): 08:00–12:00"],
        ["Julaftan (2026-12-24): 08:00–12:00", None],
    ]


def test_a_closed_special_day_with_hours_is_a_field_error(world: World) -> None:
    calendar = office(world)
    with pytest.raises(ValidationError) as raised:
        services.special_day_save(
            calendar=calendar,
            name="Stengt",
            start_date=date(2027, 1, 4),
            kind=SpecialDay.Kind.CLOSED,
            spans=[["08:00", "12:00"]],
            by=world.admin,
            via=Channel.PAGE,
        )
    assert "spans" in raised.value.message_dict
    assert not SpecialDay.objects.exists()


def test_effect_lists_17_may_2027_once_with_both_names(world: World) -> None:
    calendar = office(world)
    (month, days), *_ = services.calendar_effect(calendar, date(2027, 5, 10), 1)
    assert month == date(2027, 5, 1)
    may17 = [day for day in days if day.date == date(2027, 5, 17)]
    assert len(may17) == 1
    assert set(may17[0].names) == {"Grunnlovsdag", "Andre pinsedag"}
    assert may17[0].hours == ()
    assert [day.date.day for day in days] == [1, 6, 16, 17]  # Labour Day, Ascension Day, Whitsun


def test_effect_shows_a_special_day_with_its_hours(world: World) -> None:
    calendar = office(world)
    SpecialDayFactory(
        calendar=calendar,
        name="Personalmøte",
        start_date=date(2027, 3, 3),
        kind="shortened",
        spans=[["08:00", "12:00"]],
    )
    calendar = BusinessCalendar.objects.with_hours().get(pk=calendar.pk)
    ((_month, days),) = services.calendar_effect(calendar, date(2027, 3, 1), 1)
    special = [(d.date, d.names, d.hours) for d in days if not d.holiday]  # Easter is in March 2027 too
    assert special == [(date(2027, 3, 3), ("Personalmøte",), ("08:00–12:00",))]


def test_effect_of_a_24_7_calendar_or_one_without_hours_is_empty(world: World) -> None:
    always = BusinessCalendarFactory(organization=world.provider, is_24_7=True)
    OpeningSpanFactory(calendar=always, start=time(8), end=time(16))
    empty = BusinessCalendarFactory(organization=world.provider)
    for calendar in (always, empty):
        assert all(not days for _month, days in services.calendar_effect(calendar, date(2027, 1, 1), 12))


def test_effect_refuses_more_than_two_years(world: World) -> None:
    with pytest.raises(ValidationError):
        services.calendar_effect(office(world), date(2027, 1, 1), 25)
