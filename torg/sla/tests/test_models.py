"""Business calendars as stored: validation, tenancy, and the schedule read from them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conftest import World
from torg.core.tests.factories import OrganizationFactory
from torg.sla.business_time import DAY, SHORTENED, Schedule, SpecialRule
from torg.sla.models import BusinessCalendar, OpeningSpan, SpecialDay
from torg.sla.tests.factories import BusinessCalendarFactory, OpeningSpanFactory, SpecialDayFactory

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
H = 3600


def errors(obj: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        obj.full_clean()  # type: ignore[attr-defined]
    return raised.value.message_dict


def office_calendar(**kwargs: object) -> BusinessCalendar:
    calendar = BusinessCalendarFactory(**kwargs)
    for weekday in range(5):
        OpeningSpanFactory(calendar=calendar, weekday=weekday, start=time(8), end=time(16))
    return calendar


# BusinessCalendar.


def test_calendar_defaults_to_oslo_with_public_holidays() -> None:
    calendar = BusinessCalendarFactory()
    calendar.full_clean()
    assert (calendar.time_zone, calendar.public_holidays, calendar.is_24_7) == ("Europe/Oslo", True, False)


def test_calendar_refuses_an_unknown_time_zone() -> None:
    calendar = BusinessCalendarFactory.build(organization=BusinessCalendarFactory().organization)
    calendar.time_zone = "Europe/Bergen"
    assert "time_zone" in errors(calendar)


def test_calendar_belongs_to_a_provider() -> None:
    calendar = BusinessCalendarFactory.build(organization=OrganizationFactory())
    assert "organization" in errors(calendar)


def test_calendar_names_are_unique_per_provider() -> None:
    calendar = BusinessCalendarFactory(name="Kontortid")
    twin = BusinessCalendar(organization=calendar.organization, name="Kontortid")
    assert errors(twin)
    BusinessCalendar(organization=BusinessCalendarFactory().organization, name="Kontortid").full_clean()


def test_calendar_is_visible_to_the_providers_agents_only(world: World) -> None:
    calendar = BusinessCalendarFactory(organization=world.provider)
    BusinessCalendarFactory()  # another provider's
    assert list(BusinessCalendar.objects.visible_to(world.agent)) == [calendar]
    assert not BusinessCalendar.objects.visible_to(world.employee).exists()


# OpeningSpan.


def test_span_must_end_after_it_starts() -> None:
    span = OpeningSpanFactory.build(calendar=BusinessCalendarFactory(), start=time(16), end=time(8))
    assert "end" in errors(span)
    span.end = time(16)
    assert "end" in errors(span)


def test_span_ending_at_midnight_runs_to_the_end_of_the_day() -> None:
    span = OpeningSpanFactory(start=time(20), end=time(0))
    span.full_clean()
    assert str(span) == "Monday 20:00–24:00"


def test_database_refuses_a_backwards_span() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningSpanFactory(start=time(16), end=time(8))


def test_spans_of_a_weekday_must_not_overlap() -> None:
    existing = OpeningSpanFactory(weekday=0, start=time(8), end=time(12))
    overlapping = OpeningSpan(calendar=existing.calendar, weekday=0, start=time(11), end=time(16))
    assert "Monday 08:00–12:00" in str(errors(overlapping))
    # Touching is fine, as is another weekday, and so is saving the span itself again.
    OpeningSpan(calendar=existing.calendar, weekday=0, start=time(12), end=time(16)).full_clean()
    OpeningSpan(calendar=existing.calendar, weekday=1, start=time(11), end=time(16)).full_clean()
    existing.full_clean()


# SpecialDay.


def test_special_day_without_last_date_is_a_single_day() -> None:
    day = SpecialDay(calendar=BusinessCalendarFactory(), name="Stengt", start_date=date(2027, 7, 9))
    day.full_clean()
    assert day.end_date == date(2027, 7, 9)


def test_special_day_range_runs_forward_and_at_most_a_year() -> None:
    calendar = BusinessCalendarFactory()
    backwards = SpecialDay(
        calendar=calendar, name="x", start_date=date(2027, 7, 9), end_date=date(2027, 7, 1)
    )
    assert "end_date" in errors(backwards)
    too_long = SpecialDay(calendar=calendar, name="x", start_date=date(2027, 1, 1), end_date=date(2028, 1, 2))
    assert "end_date" in errors(too_long)


def test_closed_day_has_no_spans_and_shortened_day_needs_them() -> None:
    calendar = BusinessCalendarFactory()
    closed = SpecialDay(calendar=calendar, name="x", start_date=date(2027, 7, 9), spans=[["08:00", "12:00"]])
    assert "spans" in errors(closed)
    shortened = SpecialDay(calendar=calendar, name="x", start_date=date(2027, 7, 9), kind=SHORTENED)
    assert "spans" in errors(shortened)


@pytest.mark.parametrize(
    "spans",
    [
        [["08:00", "12:00"], ["11:00", "14:00"]],  # overlapping
        [["12:00", "08:00"]],  # backwards
        [["8", "12:00"]],
        [["08:00", "25:00"]],
        [["24:00", "24:00"]],
        [["08:00"]],
        {"start": "08:00"},
        ["08:00-12:00"],
    ],
)
def test_special_day_refuses_bad_spans(spans: object) -> None:
    day = SpecialDay(
        calendar=BusinessCalendarFactory(),
        name="x",
        start_date=date(2027, 12, 24),
        kind=SHORTENED,
        spans=spans,
    )
    assert "spans" in errors(day)


def test_special_day_spans_are_stored_sorted_in_one_form() -> None:
    day = SpecialDay(
        calendar=BusinessCalendarFactory(),
        name="Åpen lørdag",
        start_date=date(2027, 11, 13),
        kind=SpecialDay.Kind.SPECIAL,
        spans=[["18:00", "00:00"], ["9:00", "12:00"]],
    )
    day.full_clean()
    assert day.spans == [["09:00", "12:00"], ["18:00", "24:00"]]


def test_same_date_range_twice_is_refused() -> None:
    first = SpecialDayFactory(start_date=date(2027, 7, 9))
    twin = SpecialDay(calendar=first.calendar, name="Igjen", start_date=date(2027, 7, 9))
    assert errors(twin)


# Schedule.from_calendar.


def test_schedule_reads_spans_and_special_days() -> None:
    calendar = office_calendar()
    OpeningSpanFactory(calendar=calendar, weekday=5, start=time(10), end=time(12))
    OpeningSpanFactory(calendar=calendar, weekday=5, start=time(13), end=time(0))
    SpecialDayFactory(
        calendar=calendar,
        name="Julaften",
        start_date=date(2027, 12, 24),
        kind=SHORTENED,
        spans=[["08:00", "12:00"]],
    )
    SpecialDayFactory(
        calendar=calendar, name="Flytting", start_date=date(2027, 7, 5), end_date=date(2027, 7, 6)
    )
    schedule = Schedule.from_calendar(calendar)
    assert schedule.weekly[0] == ((8 * H, 16 * H),)
    assert schedule.weekly[5] == ((10 * H, 12 * H), (13 * H, DAY))
    assert schedule.weekly[6] == ()
    assert schedule.special_rule(date(2027, 12, 24)) == SpecialRule(
        date(2027, 12, 24), date(2027, 12, 24), SHORTENED, ((8 * H, 12 * H),), "Julaften"
    )
    assert schedule.wall_spans(date(2027, 7, 6)) == ()
    # Thu 23 Dec 15:00–16:00, Fri 24 Dec 08:00–12:00, Sat 25 Dec is Christmas Day: Mon 27 Dec 08:00 + 1 h.
    start = datetime(2027, 12, 23, 15, tzinfo=OSLO)
    assert schedule.add_business_time(start, timedelta(hours=6)) == datetime(2027, 12, 27, 9, tzinfo=OSLO)


def test_schedule_of_a_24_7_calendar_is_always_open() -> None:
    schedule = BusinessCalendarFactory(is_24_7=True, time_zone="UTC").schedule()
    assert schedule == Schedule.around_the_clock("UTC")


def test_schedule_without_public_holidays_opens_on_holidays() -> None:
    schedule = office_calendar(public_holidays=False).schedule()
    assert schedule.is_open(datetime(2027, 5, 17, 10, tzinfo=OSLO))


def test_schedules_of_many_calendars_load_in_three_queries(
    django_assert_num_queries: Callable[..., AbstractContextManager[object]],
) -> None:
    for _ in range(3):
        SpecialDayFactory(calendar=office_calendar(), start_date=date(2027, 7, 9))
    with django_assert_num_queries(3):
        schedules = [c.schedule() for c in BusinessCalendar.objects.with_hours()]
    assert len(schedules) == 3
    assert all(s.wall_spans(date(2027, 7, 9)) == () for s in schedules)
