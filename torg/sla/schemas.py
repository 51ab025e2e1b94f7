"""Schemas of the calendars API: opening hours as [["08:00", "16:00"], …] per weekday, dates as ISO dates."""

# No `from __future__ import annotations` here: ninja's PatchDict re-reads these annotations at run time.

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, FilterSchema, Schema
from ninja.filter_schema import FilterLookup

from torg.core.schemas import Id, Search, Text
from torg.sla.models import BusinessCalendar, SpecialDay
from torg.sla.services import MAX_EFFECT_MONTHS, weekly_hours

Clock = Annotated[str, Field(max_length=5, examples=["08:00"])]
Spans = Annotated[list[tuple[Clock, Clock]], Field(max_length=24)]
SpecialKind = Literal[tuple(SpecialDay.Kind.values)]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class SpecialDayOut(Schema):
    id: int
    name: str
    start_date: date
    end_date: date
    kind: SpecialKind
    spans: list[tuple[str, str]]
    note: str


class HoursIn(Schema):
    """The week's opening hours; a day left out or empty is closed."""

    monday: Spans = []
    tuesday: Spans = []
    wednesday: Spans = []
    thursday: Spans = []
    friday: Spans = []
    saturday: Spans = []
    sunday: Spans = []

    def by_weekday(self) -> dict[int, list[tuple[str, str]]]:
        return {n: getattr(self, name) for n, name in enumerate(WEEKDAYS)}


class HoursOut(HoursIn):
    @staticmethod
    def of(calendar: BusinessCalendar) -> dict[str, Any]:
        return {WEEKDAYS[n]: spans for n, spans in weekly_hours(calendar).items()}


class CalendarOut(Schema):
    id: int
    organization: int = Field(validation_alias="organization_id")
    name: str
    time_zone: str
    is_24_7: bool
    public_holidays: bool
    is_active: bool
    hours: HoursOut
    special_days: list[SpecialDayOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_hours(obj: BusinessCalendar) -> dict[str, Any]:
        return HoursOut.of(obj)

    @staticmethod
    def resolve_special_days(obj: BusinessCalendar) -> list[SpecialDay]:
        return list(obj.special_days.all())


class CalendarFields(Schema):
    name: Text
    time_zone: Text = "Europe/Oslo"
    is_24_7: bool = False
    public_holidays: bool = True


class CalendarIn(CalendarFields):
    organization: Id = Field(description="The provider the calendar belongs to.")


class SpecialDayIn(Schema):
    name: Text
    start_date: date
    end_date: date | None = Field(None, description="Empty for a single day.")
    kind: SpecialKind = SpecialDay.Kind.CLOSED.value
    spans: Spans = []
    note: Annotated[str, Field(max_length=5000)] = ""


class EffectDayOut(Schema):
    date: date
    names: list[str] = Field(description="Public holidays (in Norwegian) and the calendar's own day.")
    hours: list[str] = Field(description="The hours that apply, like 08:00–12:00; empty when closed.")
    holiday: bool


class EffectMonthOut(Schema):
    month: date
    days: list[EffectDayOut]


class EffectQuery(Schema):
    start: date | None = Field(
        None, alias="from", description="A date in the first month; today if left out."
    )
    months: int = Field(12, ge=1, le=MAX_EFFECT_MONTHS)


class CalendarFilter(FilterSchema):
    organization: Annotated[Id | None, FilterLookup("organization_id")] = None
    search: Annotated[Search, FilterLookup("name__icontains")] = None
    active: Annotated[bool | None, FilterLookup("is_active")] = None
