"""Business calendars: the one write path for calendars, their weekly hours and special days."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torg.core import audit
from torg.core.permissions import ensure_can_manage
from torg.core.services.base import assign, save_changes, save_new, set_active
from torg.sla.business_time import DAY, Schedule, SpanError, format_clock, norwegian_holidays, parse_spans
from torg.sla.models import SPAN_ERRORS, BusinessCalendar, OpeningSpan, SpecialDay, Weekday
from torg.sla.services.recompute import Before, recompute_later
from torg.sla.timers import hours_of, whole_second

# What a calendar counts; a change of any of these moves the deadlines of the cases counted on it.
COUNTING_FIELDS = ("time_zone", "is_24_7", "public_holidays")

MAX_EFFECT_MONTHS = 24


# Calendars.


def _hours_until_now(calendar: BusinessCalendar) -> Before:
    """The hours before a change, so the clocks it moves keep the time they used on them."""
    return Before(hours_of(calendar), whole_second(timezone.now()))


@transaction.atomic
def calendar_create(*, by: Any, via: str, **fields: Any) -> BusinessCalendar:
    """Add a business calendar to a provider; it has no opening hours until they are set."""
    return save_new(BusinessCalendar(**fields), by=by, via=via, kind="calendar")


@transaction.atomic
def calendar_update(*, calendar: BusinessCalendar, by: Any, via: str, **fields: Any) -> BusinessCalendar:
    """Rename a calendar or change its zone, 24/7 and public-holiday settings; it stays with its provider."""
    if "organization" in fields and fields["organization"].pk != calendar.organization_id:
        raise ValidationError({"organization": _("A calendar stays with its provider.")})
    before, hours = [getattr(calendar, name) for name in COUNTING_FIELDS], _hours_until_now(calendar)
    calendar = save_changes(calendar, fields, by=by, via=via, kind="calendar")
    if [getattr(calendar, name) for name in COUNTING_FIELDS] != before:
        recompute_later(calendar_id=calendar.pk, before=hours)
    return calendar


@transaction.atomic
def calendar_set_active(*, calendar: BusinessCalendar, active: bool, by: Any, via: str) -> BusinessCalendar:
    """Deactivate a calendar (no new SLA picks it) or bring it back."""
    return set_active(calendar, active, by=by, via=via, kind="calendar")


# Weekly hours.


def weekly_hours(calendar: BusinessCalendar) -> dict[int, list[list[str]]]:
    """The weekly spans as {weekday: [["08:00", "16:00"], …]}, Monday = 0; read from prefetched spans."""
    hours: dict[int, list[list[str]]] = {day: [] for day in Weekday.values}
    for span in calendar.spans.all():
        end = span._end()
        hours[span.weekday].append(
            [format_clock(span._start()), "24:00" if end == DAY else format_clock(end)]
        )
    return hours


def _parse_week(hours: Mapping[int, Iterable[Any]]) -> dict[int, tuple[tuple[int, int], ...]]:
    week, errors = {}, {}
    for weekday in Weekday:
        try:
            week[weekday.value] = parse_spans(hours.get(weekday.value, ()))
        except SpanError as error:
            errors[weekday.name.lower()] = ValidationError(SPAN_ERRORS[error.code], code=error.code)
    if set(hours) - set(Weekday.values):
        errors["hours"] = ValidationError(_("Weekdays are numbered 0 (Monday) to 6 (Sunday)."))
    if errors:
        raise ValidationError(errors)
    return week


def _clock(seconds: int) -> time:
    return time(0) if seconds == DAY else time(seconds // 3600, seconds % 3600 // 60)


@transaction.atomic
def calendar_set_hours(
    *, calendar: BusinessCalendar, hours: Mapping[int, Iterable[Any]], by: Any, via: str
) -> BusinessCalendar:
    """Replace the weekly opening hours; spans of a day must not overlap, and nothing changes if any do."""
    ensure_can_manage(by, "calendar", calendar.organization_id)
    week = _parse_week(hours)
    until_now = _hours_until_now(calendar)
    # Lock the calendar so two editors do not interleave their deletes and inserts.
    BusinessCalendar.objects.select_for_update().filter(pk=calendar.pk).first()
    before = weekly_hours(calendar)
    calendar.spans.all().delete()
    for weekday, spans in week.items():
        for start, end in spans:
            span = OpeningSpan(calendar=calendar, weekday=weekday, start=_clock(start), end=_clock(end))
            span.full_clean()  # also checks the span against the rows already saved for the day
            span.save()
    if hasattr(calendar, "_prefetched_objects_cache"):
        calendar._prefetched_objects_cache.pop("spans", None)
    after = weekly_hours(calendar)
    if after != before:
        changes = {"opening_hours": [_week_text(before), _week_text(after)]}
        audit.record(calendar, action=audit.Action.UPDATE, by=by, via=via, changes=changes)
        recompute_later(calendar_id=calendar.pk, before=until_now)
    return calendar


def _week_text(hours: Mapping[int, list[list[str]]]) -> str:
    return "; ".join(
        f"{Weekday(day).label}: {', '.join(f'{s}–{e}' for s, e in spans)}"
        for day, spans in hours.items()
        if spans
    )


# Special days.


def _special_text(day: SpecialDay) -> str:
    dates = str(day.start_date) if day.end_date == day.start_date else f"{day.start_date}–{day.end_date}"
    hours = ", ".join(f"{s}–{e}" for s, e in day.spans) or day.get_kind_display()
    return f"{day.name} ({dates}): {hours}"


@transaction.atomic
def special_day_save(
    *, calendar: BusinessCalendar, by: Any, via: str, special_day: SpecialDay | None = None, **fields: Any
) -> SpecialDay:
    """Add a special day (or range) to a calendar, or change one; recorded in the calendar's history."""
    ensure_can_manage(by, "calendar", calendar.organization_id)
    if special_day is not None and special_day.calendar_id != calendar.pk:
        raise ValidationError(_("This special day belongs to another calendar."))
    day = special_day or SpecialDay(calendar=calendar)
    until_now = _hours_until_now(calendar)
    before = _special_text(day) if special_day else None
    assign(day, fields)
    day.full_clean()
    day.save()
    audit.record(
        calendar,
        action=audit.Action.UPDATE,
        by=by,
        via=via,
        changes={"special_day": [before, _special_text(day)]},
    )
    recompute_later(calendar_id=calendar.pk, before=until_now)
    return day


@transaction.atomic
def special_day_delete(*, special_day: SpecialDay, by: Any, via: str) -> None:
    """Remove a special day; the calendar's history keeps what it was."""
    calendar = special_day.calendar
    ensure_can_manage(by, "calendar", calendar.organization_id)
    text, until_now = _special_text(special_day), _hours_until_now(calendar)
    special_day.delete()
    audit.record(calendar, action=audit.Action.UPDATE, by=by, via=via, changes={"special_day": [text, None]})
    recompute_later(calendar_id=calendar.pk, before=until_now)


# The effect of a calendar: a read shared by the page and the API.


@dataclass(frozen=True)
class EffectDay:
    """A date whose hours differ from the normal week, or a public holiday, and the hours that apply."""

    date: date
    names: tuple[str, ...]
    hours: tuple[str, ...]  # "08:00–12:00"; empty when closed
    holiday: bool


def calendar_effect(
    calendar: BusinessCalendar, start: date, months: int
) -> list[tuple[date, list[EffectDay]]]:
    """Per month from `start`'s month, the days that differ from the normal week, keyed by date."""
    if not 1 <= months <= MAX_EFFECT_MONTHS:
        raise ValidationError(
            {"months": _("Give between 1 and %(max)s months.") % {"max": MAX_EFFECT_MONTHS}}
        )
    try:
        schedule = Schedule.from_calendar(calendar)
    except ValueError:
        schedule = None  # no opening hours yet: nothing to compare with
    if schedule is not None and schedule.always_open:
        schedule = None  # every hour counts, every day alike
    first = start.replace(day=1)
    out: list[tuple[date, list[EffectDay]]] = []
    for n in range(months):
        month = date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1)
        days, day = [], month
        while day.month == month.month:
            if schedule is not None and (row := _effect_day(schedule, day)):
                days.append(row)
            day += timedelta(days=1)
        out.append((month, days))
    return out


def _effect_day(schedule: Schedule, day: date) -> EffectDay | None:
    holiday = norwegian_holidays(day.year).get(day) if schedule.public_holidays else None
    rule = schedule.special_rule(day)
    spans = schedule.wall_spans(day)
    if not holiday and rule is None and spans == schedule.weekly[day.weekday()]:
        return None
    names = tuple(holiday.split("; ")) if holiday else ()
    if rule is not None and rule.name:
        names += (rule.name,)
    hours = tuple(f"{format_clock(s)}–{'24:00' if e == DAY else format_clock(e)}" for s, e in spans)
    return EffectDay(day, names, hours, bool(holiday))
