"""Schemas of the calendars and agreements API: opening hours as [["08:00", "16:00"], …] per weekday,
dates as ISO dates, targets in minutes."""

# No `from __future__ import annotations` here: ninja's PatchDict re-reads these annotations at run time.

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from ninja import Field, FilterSchema, Schema
from ninja.filter_schema import FilterLookup
from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from torg.core.schemas import Id, Search, Text
from torg.desk.models import Kind
from torg.sla import compliance
from torg.sla.models import Agreement, AgreementTarget, BusinessCalendar, SpecialDay
from torg.sla.services import MAX_EFFECT_MONTHS, MAX_TARGET_MINUTES, weekly_hours

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


# Agreements.

Minutes = Annotated[int, Field(ge=1, le=MAX_TARGET_MINUTES)]
KindOrAll = Literal[("", *Kind.values)]


class TargetOut(Schema):
    priority: int
    response_minutes: int
    resolution_minutes: int


class TargetIn(Schema):
    priority: Annotated[int, Field(ge=1, le=4, description="1 (critical) to 4 (low).")]
    response_minutes: Minutes
    resolution_minutes: Minutes = Field(description="At least the response time.")


class TargetsIn(Schema):
    """The targets that replace the agreement's; a priority left out has none."""

    targets: Annotated[list[TargetIn], Field(max_length=4)]

    @field_validator("targets")
    @classmethod
    def one_per_priority(cls, targets: list[TargetIn]) -> list[TargetIn]:
        if len({t.priority for t in targets}) < len(targets):
            raise ValueError("each priority at most once")
        return targets

    def by_priority(self) -> dict[int, tuple[int, int]]:
        return {t.priority: (t.response_minutes, t.resolution_minutes) for t in self.targets}


class AgreementOut(Schema):
    id: int
    organization: int = Field(validation_alias="organization_id")
    name: str
    category: int | None = Field(validation_alias="category_id")
    kind: KindOrAll = Field(description="Empty for every kind of case.")
    calendar: int | None = Field(validation_alias="calendar_id", description="Null: clock time.")
    is_active: bool
    targets: list[TargetOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_targets(obj: Agreement) -> list[AgreementTarget]:
        return sorted(obj.targets.all(), key=lambda t: t.priority)


class AgreementFields(Schema):
    name: Text
    category: Id | None = Field(None, description="A category of the customer's provider; null for all.")
    kind: KindOrAll = ""
    calendar: Id | None = Field(
        None, description="A calendar of the customer's provider; null for clock time."
    )


class AgreementIn(AgreementFields):
    organization: Id = Field(description="The customer organization the agreement is made with.")


class AgreementFilter(FilterSchema):
    organization: Annotated[Id | None, FilterLookup("organization_id")] = None
    search: Annotated[Search, FilterLookup("name__icontains")] = None
    active: Annotated[bool | None, FilterLookup("is_active")] = None


# SLA compliance.


def _month_or_none(text: str | None) -> date | None:
    """A "YYYY-MM" of the query as a date; a refusal as pydantic's error, so that ninja answers 422."""
    try:
        return compliance.parse_month(text) if text is not None else None
    except ValidationError as error:
        raise PydanticCustomError("month", " ".join(error.messages)) from None


class ComplianceQuery(Schema):
    group_by: Literal[tuple(compliance.GroupBy.values)] = compliance.GroupBy.ORGANIZATION.value
    # "to" before "from": the check of the span, on "from", reads the last month already validated.
    last: str | None = Field(
        None, alias="to", examples=["2027-12"], description="The last month, YYYY-MM; this month if left out."
    )
    first: str | None = Field(
        None,
        alias="from",
        examples=["2027-01"],
        description=f"The first month, YYYY-MM; 11 months before `to` if left out. "
        f"At most {compliance.MAX_MONTHS} months.",
    )
    organization: Id | None = None
    team: Id | None = None
    priority: int | None = Field(None, ge=1, le=4)

    @field_validator("last")
    @classmethod
    def _last(cls, value: str | None) -> str | None:
        _month_or_none(value)
        return value

    @field_validator("first")
    @classmethod
    def _first(cls, value: str | None, info: ValidationInfo) -> str | None:
        first = _month_or_none(value)
        if first is not None and "last" in info.data:  # else the last month is refused already
            try:
                compliance.month_span(first, _month_or_none(info.data["last"]))
            except ValidationError as error:
                raise PydanticCustomError("month_span", " ".join(error.messages)) from None
        return value

    def filters(self) -> dict[str, Any]:
        """The arguments of `compliance.report`."""
        first, last = compliance.month_span(_month_or_none(self.first), _month_or_none(self.last))
        return {
            "group_by": self.group_by,
            "first": first,
            "last": last,
            "organization": self.organization,
            "team": self.team,
            "priority": self.priority,
        }


class ComplianceMonthOut(Schema):
    month: str = Field(examples=["2027-03"], description="The month the clocks started, in Norwegian time.")
    cases: int
    response_met: int
    response_breached: int
    response_running: int
    response_compliance: float | None = Field(
        description="Per cent of the decided (met + breached) that were met, one decimal; null if none is."
    )
    resolution_met: int
    resolution_breached: int
    resolution_open: int
    resolution_compliance: float | None = Field(
        description="Per cent of the decided (met + breached) that were met, one decimal; null if none is."
    )

    @staticmethod
    def resolve_month(obj: compliance.Figures) -> str:
        return f"{obj.month.year:04d}-{obj.month.month:02d}"


class ComplianceRowOut(ComplianceMonthOut):
    key: int | None = Field(description="The organization's or team's id, or the priority; null for no team.")
    label: str


class ComplianceOut(Schema):
    rows: list[ComplianceRowOut] = Field(description="Per group and month, the groups with clocks only.")
    months: list[ComplianceMonthOut] = Field(description="The totals of every month of the span.")
