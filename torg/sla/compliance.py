"""SLA compliance: how well the desk kept its promises, per organization, team or priority and month.

The definitions, which the page repeats in short:

- The population: the clocks (CaseTimer) with an agreement that the reader may see
  (`CaseTimer.objects.visible_to(user)`, by the clock's organization). A clock counts in the month
  it started (`started_at`), in Norwegian time (Europe/Oslo).
- Response: met when answered (`response_met_at`) and not breached; breached when
  `response_breached_at` is set; otherwise still running.
- Resolution: met when stopped (`stopped_at`) and not breached; breached when
  `resolution_breached_at` is set; otherwise open.
- Compliance = met / (met + breached) in per cent, one decimal; none while nothing is decided.
- Groups: the clock's organization, the case's team (or no team) or the clock's priority.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torg.desk.models import Priority
from torg.sla.business_time import OSLO
from torg.sla.models import CaseTimer

ZONE = ZoneInfo(OSLO)
DEFAULT_MONTHS = 12
MAX_MONTHS = 36
# Clocks started before 1900 do not exist; the bounds keep every month a valid date in both databases.
FIRST_YEAR, LAST_YEAR = 1900, 9998
MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)

RESPONSE_MET = Q(response_met_at__isnull=False, response_breached_at__isnull=True)
RESPONSE_BREACHED = Q(response_breached_at__isnull=False)
RESOLUTION_MET = Q(stopped_at__isnull=False, resolution_breached_at__isnull=True)
RESOLUTION_BREACHED = Q(resolution_breached_at__isnull=False)


class GroupBy(models.TextChoices):
    ORGANIZATION = "organization", gettext_lazy("Organization")
    TEAM = "team", gettext_lazy("Team")
    PRIORITY = "priority", gettext_lazy("Priority")


# The key of each group and the field its label is read from in the same query (None: from the choices).
GROUP_FIELDS: dict[str, tuple[str, str | None]] = {
    GroupBy.ORGANIZATION: ("organization_id", "organization__name"),
    GroupBy.TEAM: ("ticket__team_id", "ticket__team__name"),
    GroupBy.PRIORITY: ("priority", None),
}


def rate(met: int, breached: int) -> float | None:
    """Met of the decided, in per cent with one decimal; None while nothing is decided."""
    decided = met + breached
    return round(100 * met / decided, 1) if decided else None


@dataclass(frozen=True, kw_only=True)
class Figures:
    """The counts of one month (or of the whole span when `month` is None) and their compliance."""

    month: date | None = None
    cases: int = 0
    response_met: int = 0
    response_breached: int = 0
    resolution_met: int = 0
    resolution_breached: int = 0

    @property
    def response_running(self) -> int:
        return self.cases - self.response_met - self.response_breached

    @property
    def resolution_open(self) -> int:
        return self.cases - self.resolution_met - self.resolution_breached

    @property
    def response_compliance(self) -> float | None:
        return rate(self.response_met, self.response_breached)

    @property
    def resolution_compliance(self) -> float | None:
        return rate(self.resolution_met, self.resolution_breached)


COUNTS = ("cases", "response_met", "response_breached", "resolution_met", "resolution_breached")


def total(figures: Iterable[Figures], month: date | None = None) -> Figures:
    """The sum of `figures`, as the figures of `month`."""
    sums = dict.fromkeys(COUNTS, 0)
    for item in figures:
        for name in COUNTS:
            sums[name] += getattr(item, name)
    return Figures(month=month, **sums)


@dataclass(frozen=True, kw_only=True)
class Row(Figures):
    """One group's figures in one month."""

    key: int | None
    label: str


@dataclass(frozen=True)
class Report:
    group_by: str
    first: date
    last: date
    rows: list[Row]
    months: list[Figures]  # every month of the span, also those without clocks
    total: Figures = field(default_factory=Figures)


# Months.


def month_index(month: date) -> int:
    return month.year * 12 + month.month - 1


def month_of(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def parse_month(text: str) -> date:
    """ "2027-03" → 1 March 2027; anything else is a ValidationError."""
    match = MONTH.fullmatch(text.strip())
    if match and FIRST_YEAR <= int(match[1]) <= LAST_YEAR and 1 <= int(match[2]) <= 12:
        return date(int(match[1]), int(match[2]), 1)
    raise ValidationError(
        _("Write the month as year and month, like %(example)s."),
        code="month",
        params={"example": "2027-03"},
    )


def this_month() -> date:
    return timezone.localdate(timezone=ZONE).replace(day=1)


def month_span(first: date | None, last: date | None, current: date | None = None) -> tuple[date, date]:
    """The months to show: by default the last 12 up to `current` (this month); at most 36, in order."""
    current = current or this_month()
    if last is None:
        last = max(first, current) if first else current
    if first is None:
        first = month_of(month_index(last) - DEFAULT_MONTHS + 1)
    if first > last:
        raise ValidationError({"from": _("The first month cannot come after the last.")})
    if month_index(last) - month_index(first) + 1 > MAX_MONTHS:
        raise ValidationError(
            {"from": _("Choose at most %(months)s months at a time.") % {"months": MAX_MONTHS}}
        )
    return first, last


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The first instant of `first` and of the month after `last`, in Norwegian time."""
    after = month_of(month_index(last) + 1)
    return (
        datetime(first.year, first.month, 1, tzinfo=ZONE),
        datetime(after.year, after.month, 1, tzinfo=ZONE),
    )


# The read.


def _label(group_by: str, key: int | None, name: str | None) -> str:
    if group_by == GroupBy.PRIORITY:
        return str(Priority(key).label) if key in Priority.values else str(key)
    if key is None:
        return _("No team")
    return name or str(key)


def _month(first: date, last: date) -> Case:
    """The Norwegian month a clock started in, as comparisons with each month's first instant.

    Plain comparisons use the index and cost nothing per row; SQLite's time-zone truncation calls into
    Python for every row (3 s at a million clocks)."""
    months = [month_of(index) for index in range(month_index(first), month_index(last) + 1)]
    starts = [datetime(m.year, m.month, 1, tzinfo=ZONE) for m in months[1:]]
    return Case(
        *(
            When(started_at__lt=start, then=Value(month))
            for month, start in zip(months, starts, strict=False)
        ),
        default=Value(months[-1]),
        output_field=models.DateField(),
    )


def report(
    user: Any,
    *,
    group_by: str = GroupBy.ORGANIZATION,
    first: date,
    last: date,
    organization: int | None = None,
    team: int | None = None,
    priority: int | None = None,
) -> Report:
    """The compliance of the clocks `user` may see, started from `first` to `last` (months): one query."""
    start, end = _bounds(first, last)
    timers = CaseTimer.objects.visible_to(user).filter(
        agreement__isnull=False, started_at__gte=start, started_at__lt=end
    )
    if organization is not None:
        timers = timers.filter(organization_id=organization)
    if team is not None:
        timers = timers.filter(ticket__team_id=team)
    if priority is not None:
        timers = timers.filter(priority=priority)
    key, label = GROUP_FIELDS[group_by]
    counted = (
        timers.annotate(month=_month(first, last))
        .values("month", key, *([label] if label else []))
        .annotate(
            cases=Count("pk"),
            response_met=Count("pk", filter=RESPONSE_MET),
            response_breached=Count("pk", filter=RESPONSE_BREACHED),
            resolution_met=Count("pk", filter=RESOLUTION_MET),
            resolution_breached=Count("pk", filter=RESOLUTION_BREACHED),
        )
        .order_by()
    )
    rows = [
        Row(
            month=values["month"],
            key=values[key],
            label=_label(group_by, values[key], values.get(label) if label else None),
            **{name: values[name] for name in COUNTS},
        )
        for values in counted
    ]
    # Sorted here, not in the database: the same order in SQLite and PostgreSQL, "No team" last.
    rows.sort(key=lambda row: (row.month, row.key is None, row.label.casefold(), row.key or 0))
    months = [
        total((row for row in rows if row.month == month), month)
        for month in map(month_of, range(month_index(first), month_index(last) + 1))
    ]
    return Report(group_by, first, last, rows, months, total(months))
