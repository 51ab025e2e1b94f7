"""Business time: when a calendar is open, and deadlines counted in open time only.

A `Schedule` is a plain, immutable value (weekly hours, the calendar's own days, the zone); every
function here is pure and takes and returns aware datetimes. Results are in UTC: comparing or
subtracting two datetimes that share a `ZoneInfo` ignores the offset (PEP 495), which is wrong for
the night of the October change. Convert with `.astimezone()` only to show a time.

How a day is read:

- Opening hours are wall times in the calendar's zone. Each open span of a local date becomes one
  interval of real instants, from its start to its end, so a span is measured in elapsed time:
  08:00–16:00 is 8 hours on both change days (the clocks move at night), 00:00–24:00 is 23 hours
  on the last Sunday of March and 25 on the last Sunday of October, and so is a 24/7 calendar's day.
- A wall time the clock skips in March (02:00–03:00) means the moment of the jump: a span 01:00–04:00
  lasts 2 hours that night, one inside the gap lasts nothing.
- A wall time the clock shows twice in October (02:00–03:00) means its first occurrence, for starts
  and ends alike (Python's `fold=0`). Spans that meet at such a time stay back to back.
- An end of 00:00 (or "24:00") is midnight at the end of the day.
- Which hours a date has: a special day of the calendar if one covers the date, else none on a
  Norwegian public holiday (if the calendar keeps them), else the weekday's hours. Of overlapping
  special days the one covering the fewest dates wins (a closed day inside a summer-hours range);
  on a tie closed beats shortened beats special hours, then the later start wins. *Shortened* hours
  replace the hours of a date that would otherwise be open (Christmas Eve on a weekday, summer hours
  on weekdays) and leave a closed date closed; *special* hours apply even on a closed date.
- A 24/7 calendar is always open: no holidays, no special days, plain arithmetic.

A deadline is always inside an open interval or at its closing edge: s ≤ deadline ≤ e.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import holidays

if TYPE_CHECKING:
    from torg.sla.models import BusinessCalendar

DAY = 86_400  # seconds in a wall-clock day
ONE_DAY = timedelta(days=1)
NO_TIME = timedelta(0)
# Past this many closed days in a row there is no opening left to find; raise rather than loop.
MAX_CLOSED_DAYS = 3 * 366
OSLO = "Europe/Oslo"

CLOSED, SHORTENED, SPECIAL = "closed", "shortened", "special"
KIND_RANK = {CLOSED: 0, SHORTENED: 1, SPECIAL: 2}

Span = tuple[int, int]  # seconds after local midnight, 0 ≤ start < end ≤ DAY
Interval = tuple[datetime, datetime]
Clock = str | time


class SpanError(ValueError):
    """Opening hours that cannot be read; `code` is one of "format", "order", "overlap"."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def parse_clock(value: Clock, *, end: bool = False) -> int:
    """Seconds after midnight of a `time` or "HH:MM"; as an end, 00:00 and "24:00" are the day's end."""
    if isinstance(value, time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
    else:
        hours, sep, minutes = str(value).strip().partition(":")
        if not (sep and hours.isdigit() and len(hours) <= 2 and minutes.isdigit() and len(minutes) == 2):
            raise SpanError("format", f"{value!r} is not a time of day (HH:MM)")
        seconds = int(hours) * 3600 + int(minutes) * 60
        if int(minutes) > 59 or seconds > DAY or (seconds == DAY and not end):
            raise SpanError("format", f"{value!r} is not a time of day (HH:MM)")
    return DAY if end and seconds == 0 else seconds


def format_clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def parse_spans(pairs: Iterable[Any]) -> tuple[Span, ...]:
    """Spans of one day from (start, end) pairs, sorted; raises `SpanError` if one is empty or two overlap."""
    spans = []
    for pair in pairs:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise SpanError("format", f"{pair!r} is not a pair of times [start, end]")
        start, end = parse_clock(pair[0]), parse_clock(pair[1], end=True)
        if end <= start:
            raise SpanError(
                "order", f"{format_clock(start)}–{format_clock(end)} does not end after it starts"
            )
        spans.append((start, end))
    spans.sort()
    for (_, end), (start, _) in itertools.pairwise(spans):
        if start < end:
            raise SpanError("overlap", f"the spans overlap at {format_clock(start)}")
    return tuple(spans)


def merged(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Sorted spans with touching and overlapping ones joined, so an instant has one interval."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)


@functools.lru_cache(maxsize=64)
def norwegian_holidays(year: int) -> Mapping[date, str]:
    """Norway's public holidays of a year, with Norwegian names (17 May 2027 has two)."""
    return MappingProxyType(dict(holidays.Norway(years=year, language="no")))


@dataclass(frozen=True)
class SpecialRule:
    """A calendar's own day or range of days: closed, shortened, or special hours."""

    first: date
    last: date
    kind: str
    spans: tuple[Span, ...] = ()
    name: str = ""

    @classmethod
    def of(
        cls, first: date, kind: str, spans: Iterable[Any] = (), *, last: date | None = None, name: str = ""
    ) -> SpecialRule:
        return cls(first, last or first, kind, () if kind == CLOSED else parse_spans(spans), name)

    def precedence(self) -> tuple[int, int, int]:
        return ((self.last - self.first).days, KIND_RANK[self.kind], -self.first.toordinal())


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at!r} has no time zone; business time needs aware datetimes")
    return at.astimezone(UTC)


@dataclass(frozen=True)
class Schedule:
    """When a calendar is open: weekly spans (Monday first), its own days, holidays and zone."""

    zone: str = OSLO
    weekly: tuple[tuple[Span, ...], ...] = ((),) * 7
    special_days: tuple[SpecialRule, ...] = ()
    public_holidays: bool = True
    always_open: bool = False
    _tz: ZoneInfo = field(init=False, repr=False, compare=False)
    _special: dict[date, SpecialRule] = field(init=False, repr=False, compare=False)
    _days: dict[date, tuple[Interval, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise ValueError("weekly hours need seven days, Monday first")
        object.__setattr__(self, "weekly", tuple(merged(day) for day in self.weekly))
        object.__setattr__(self, "_tz", ZoneInfo(self.zone))
        special: dict[date, SpecialRule] = {}
        # Lowest precedence first, so the winner of each date is written last.
        for rule in sorted(self.special_days, key=SpecialRule.precedence, reverse=True):
            for n in range((rule.last - rule.first).days + 1):
                special[rule.first + timedelta(days=n)] = rule
        object.__setattr__(self, "_special", special)
        object.__setattr__(self, "_days", {})
        if not self.always_open and not any(self.weekly) and not any(r.spans for r in self.special_days):
            raise ValueError("a calendar that is not 24/7 needs opening hours")

    @classmethod
    def build(
        cls,
        weekly: Mapping[int, Iterable[Any]],
        *,
        zone: str = OSLO,
        public_holidays: bool = True,
        special_days: Iterable[SpecialRule] = (),
    ) -> Schedule:
        """A schedule from plain values: `{0: [("08:00", "16:00")], …}` with Monday = 0."""
        days = tuple(parse_spans(weekly.get(weekday, ())) for weekday in range(7))
        return cls(zone, days, tuple(special_days), public_holidays)

    @classmethod
    def around_the_clock(cls, zone: str = OSLO) -> Schedule:
        return cls(zone, public_holidays=False, always_open=True)

    @classmethod
    def from_calendar(cls, calendar: BusinessCalendar) -> Schedule:
        """The schedule of a stored calendar; prefetch `spans` and `special_days` when loading many."""
        if calendar.is_24_7:
            return cls.around_the_clock(calendar.time_zone)
        weekly: list[list[Span]] = [[] for _ in range(7)]
        for span in calendar.spans.all():
            weekly[span.weekday].append((parse_clock(span.start), parse_clock(span.end, end=True)))
        rules = tuple(
            SpecialRule.of(day.start_date, day.kind, day.spans, last=day.end_date, name=day.name)
            for day in calendar.special_days.all()
        )
        return cls(calendar.time_zone, tuple(tuple(day) for day in weekly), rules, calendar.public_holidays)

    # Wall time.

    def wall_spans(self, day: date) -> tuple[Span, ...]:
        """The open spans of a local date in wall-clock seconds, after holidays and special days."""
        if self.always_open:
            return ((0, DAY),)
        closed_for_holiday = self.public_holidays and day in norwegian_holidays(day.year)
        regular = () if closed_for_holiday else self.weekly[day.weekday()]
        rule = self._special.get(day)
        if rule is None:
            return regular
        if rule.kind == SHORTENED:
            return rule.spans if regular else ()
        return rule.spans

    def special_rule(self, day: date) -> SpecialRule | None:
        return None if self.always_open else self._special.get(day)

    def _instant(self, day: date, seconds: int) -> datetime:
        wall = datetime.combine(day, time()) + timedelta(seconds=seconds)
        first = wall.replace(tzinfo=self._tz).astimezone(UTC)  # fold=0: the first time the clock shows it
        if first.astimezone(self._tz).replace(tzinfo=None) == wall:
            return first
        return self._jump(wall.replace(tzinfo=self._tz, fold=1).astimezone(UTC), first)

    def _jump(self, before: datetime, after: datetime) -> datetime:
        """The instant of a spring-forward jump, which lies in (before, after]: bisect by the second."""
        offset = after.astimezone(self._tz).utcoffset()
        low, high = int(before.timestamp()), int(after.timestamp())
        while high - low > 1:
            middle = (low + high) // 2
            if datetime.fromtimestamp(middle, UTC).astimezone(self._tz).utcoffset() == offset:
                high = middle
            else:
                low = middle
        return datetime.fromtimestamp(high, UTC)

    def day_intervals(self, day: date) -> tuple[Interval, ...]:
        """The open intervals of a local date as UTC instants, measured in real elapsed time."""
        cached = self._days.get(day)
        if cached is None:
            spans = self.wall_spans(day)
            cached = tuple((self._instant(day, s), self._instant(day, e)) for s, e in spans)
            cached = tuple((s, e) for s, e in cached if s < e)  # a span inside the March gap lasts nothing
            if len(self._days) > 10_000:
                self._days.clear()
            self._days[day] = cached
        return cached

    def _local_date(self, at: datetime) -> date:
        return at.astimezone(self._tz).date()

    def _intervals_from(self, at: datetime) -> Iterator[Interval]:
        """Open intervals from `at` on, the first clipped to start at `at`; one ending at `at` is (at, at)."""
        day, closed_days = self._local_date(at), 0
        while True:
            found = False
            for start, end in self.day_intervals(day):
                if end >= at:
                    found = True
                    yield max(start, at), end
            closed_days = 0 if found else closed_days + 1
            if closed_days > MAX_CLOSED_DAYS:
                raise ValueError(f"the calendar does not open again within {MAX_CLOSED_DAYS} days of {at}")
            day += ONE_DAY

    # Business time.

    def is_open(self, at: datetime) -> bool:
        """Open at this instant: opening is included, closing is not."""
        at = _utc(at)
        if self.always_open:
            return True
        return any(start <= at < end for start, end in self.day_intervals(self._local_date(at)))

    def next_open(self, at: datetime) -> datetime:
        """`at` if open, else the next opening: where counting starts."""
        at = _utc(at)
        if self.always_open:
            return at
        return next(start for start, end in self._intervals_from(at) if start < end)

    def open_intervals(self, start: datetime, end: datetime) -> list[Interval]:
        """The open periods between two instants, clipped to them, in order and apart, as UTC instants."""
        start, end = _utc(start), _utc(end)
        if end <= start:
            return []
        if self.always_open:
            return [(start, end)]
        out = []
        day, last = self._local_date(start), self._local_date(end)
        while day <= last:
            for s, e in self.day_intervals(day):
                s, e = max(s, start), min(e, end)
                if s >= e:
                    continue
                if out and out[-1][1] == s:  # open across midnight: one period, not two
                    out[-1] = (out[-1][0], e)
                else:
                    out.append((s, e))
            day += ONE_DAY
        return out

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Open time from `start` to `end`; negative when `end` comes first."""
        start, end = _utc(start), _utc(end)
        if end < start:
            return -self.business_time_between(end, start)
        if self.always_open:
            return end - start
        return sum((e - s for s, e in self.open_intervals(start, end)), NO_TIME)

    def add_business_time(self, start: datetime, duration: timedelta) -> datetime:
        """The deadline: `duration` of open time after `start`, counting from the next opening if closed."""
        if duration < NO_TIME:
            raise ValueError("a duration of business time cannot be negative")
        start = _utc(start)
        if self.always_open:
            return start + duration
        remaining = duration
        # One step per open span, not per minute: 500 hours on office hours is about 90 days.
        for s, e in self._intervals_from(start):
            if remaining <= e - s:
                return s + remaining
            remaining -= e - s
        raise AssertionError("unreachable: _intervals_from raises instead of ending")
