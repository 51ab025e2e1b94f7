"""Business time by property: random weekly hours and special days, instants 2024–2030, clock changes."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.easter import easter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from torg.sla.business_time import CLOSED, SHORTENED, SPECIAL, Schedule, SpecialRule

OSLO = ZoneInfo("Europe/Oslo")
YEARS = range(2024, 2031)
QUARTER = 900  # seconds; boundaries on the quarter hour keep the sampling oracle exact
REPEATED_HOUR_INSIDE = range(9, 12)  # 02:15, 02:30, 02:45: wall times the October night shows twice

EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def last_sunday(year: int, month: int) -> date:
    day = date(year, month, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


# Days where the calendar is most likely wrong: clock changes, Easter to Whitsun, 17 May, Christmas.
TRICKY_DAYS = sorted(
    {last_sunday(y, 3) for y in YEARS}
    | {last_sunday(y, 10) for y in YEARS}
    | {easter(y) + timedelta(days=n) for y in YEARS for n in (-3, -1, 1, 39, 50)}
    | {date(y, 5, 17) for y in YEARS}
    | {date(y, 12, 24) for y in YEARS}
)


@st.composite
def day_spans(draw: st.DrawFn, *, wall_clock_exact: bool = False) -> tuple[tuple[int, int], ...]:
    """0–3 spans of a day on quarter hours, from 00:00 to 24:00; a day may have none."""
    points = draw(st.lists(st.integers(0, 96), unique=True, max_size=6))
    if wall_clock_exact:
        points = [p for p in points if p not in REPEATED_HOUR_INSIDE]
    points = sorted(points)[: len(points) // 2 * 2]
    return tuple((points[i] * QUARTER, points[i + 1] * QUARTER) for i in range(0, len(points), 2))


def instants() -> st.SearchStrategy[datetime]:
    anywhere = st.datetimes(
        min_value=datetime(2024, 1, 1),
        max_value=datetime(2030, 12, 31),
        timezones=st.sampled_from([OSLO, UTC]),
        allow_imaginary=False,
    )
    near_tricky_day = st.builds(
        lambda day, minutes: datetime.combine(day, time(), tzinfo=UTC) + timedelta(minutes=minutes),
        st.sampled_from(TRICKY_DAYS),
        st.integers(-3 * 24 * 60, 4 * 24 * 60),
    )
    return st.one_of(anywhere, near_tricky_day)


@st.composite
def scenarios(draw: st.DrawFn, *, wall_clock_exact: bool = False) -> tuple[Schedule, datetime]:
    """A random valid schedule (at least one open weekday) and a start near its special days."""
    start = draw(instants())
    weekly = list(draw(st.lists(day_spans(wall_clock_exact=wall_clock_exact), min_size=7, max_size=7)))
    if not any(weekly):
        weekly[draw(st.integers(0, 6))] = ((8 * 3600, 16 * 3600),)
    rules = []
    for _ in range(draw(st.integers(0, 3))):
        first = start.date() + timedelta(days=draw(st.integers(-5, 10)))
        kind = draw(st.sampled_from([CLOSED, SHORTENED, SPECIAL]))
        spans = () if kind == CLOSED else draw(day_spans(wall_clock_exact=wall_clock_exact))
        length = timedelta(days=draw(st.integers(0, 20)))
        rules.append(SpecialRule(first, first + length, kind, spans))
    schedule = Schedule("Europe/Oslo", tuple(weekly), tuple(rules), draw(st.booleans()))
    return schedule, start


durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=200))
later = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20))


def within_open_time(schedule: Schedule, at: datetime) -> bool:
    """Inside an open interval or at its closing edge (which may be midnight, the next local date)."""
    local_date = at.astimezone(OSLO).date()
    days = (local_date - timedelta(days=1), local_date)
    return any(s <= at <= e for day in days for s, e in schedule.day_intervals(day))


@EXAMPLES
@given(scenarios(), durations)
def test_measuring_back_gives_the_duration(scenario: tuple[Schedule, datetime], duration: timedelta) -> None:
    schedule, start = scenario
    deadline = schedule.add_business_time(start, duration)
    assert deadline >= start
    assert schedule.business_time_between(start, deadline) == duration
    # Closed time before the next opening does not count.
    assert schedule.add_business_time(schedule.next_open(start), duration) == deadline


@EXAMPLES
@given(scenarios(), durations)
def test_deadline_is_in_open_time_or_at_its_closing_edge(
    scenario: tuple[Schedule, datetime], duration: timedelta
) -> None:
    schedule, start = scenario
    deadline = schedule.add_business_time(start, duration)
    assert within_open_time(schedule, deadline)
    if duration:
        # And no later than needed: the moment just before the deadline was open time.
        assert schedule.is_open(deadline - timedelta(microseconds=1))


@EXAMPLES
@given(scenarios(), later, durations, durations)
def test_deadline_never_moves_earlier_with_a_later_start_or_longer_duration(
    scenario: tuple[Schedule, datetime], delay: timedelta, duration: timedelta, extra: timedelta
) -> None:
    schedule, start = scenario
    deadline = schedule.add_business_time(start, duration)
    assert schedule.add_business_time(start.astimezone(UTC) + delay, duration) >= deadline
    assert schedule.add_business_time(start, duration + extra) >= deadline


@EXAMPLES
@given(scenarios(), durations, st.floats(0, 1), later)
def test_pausing_and_resuming_never_shortens_a_deadline(
    scenario: tuple[Schedule, datetime], duration: timedelta, pause_share: float, wait: timedelta
) -> None:
    schedule, start = scenario
    start = start.astimezone(UTC)  # so that adding is real time, not wall-clock time
    deadline = schedule.add_business_time(start, duration)
    pause_at = start + (deadline - start) * pause_share
    resume_at = pause_at + wait
    remaining = duration - schedule.business_time_between(start, pause_at)
    assert remaining >= timedelta(0)
    assert schedule.add_business_time(resume_at, remaining) >= deadline


@EXAMPLES
@given(scenarios(), later)
def test_open_intervals_are_ordered_disjoint_and_add_up(
    scenario: tuple[Schedule, datetime], length: timedelta
) -> None:
    schedule, start = scenario
    end = start.astimezone(UTC) + length
    intervals = schedule.open_intervals(start, end)
    assert all(start <= s < e <= end for s, e in intervals)
    assert all(e1 < s2 for (_, e1), (s2, _) in itertools.pairwise(intervals))
    assert sum((e - s for s, e in intervals), timedelta(0)) == schedule.business_time_between(start, end)
    assert schedule.business_time_between(end, start) == -schedule.business_time_between(start, end)


@settings(max_examples=150, deadline=None)
@given(scenarios(wall_clock_exact=True), st.integers(0, 4 * 24 * 12))
def test_agrees_with_reading_the_wall_clock_every_five_minutes(
    scenario: tuple[Schedule, datetime], steps: int
) -> None:
    # An independent oracle: step through real time, read the wall clock, look the time up in the
    # day's hours. Exact while boundaries sit on the quarter hour and none inside the repeated hour.
    schedule, start = scenario
    step = timedelta(minutes=5)
    start = start.astimezone(UTC).replace(second=0, microsecond=0)
    start -= timedelta(minutes=start.minute % 5)
    open_steps = 0
    for n in range(steps):
        at = start + n * step
        wall = at.astimezone(OSLO)
        seconds = wall.hour * 3600 + wall.minute * 60
        is_open = any(s <= seconds < e for s, e in schedule.wall_spans(wall.date()))
        assert schedule.is_open(at) == is_open, at
        open_steps += is_open
    assert schedule.business_time_between(start, start + steps * step) == open_steps * step


@EXAMPLES
@given(instants(), durations, later)
def test_whole_days_without_holidays_are_plain_arithmetic(
    start: datetime, duration: timedelta, length: timedelta
) -> None:
    # Through the span machinery, across every clock change, 24-hour spans are real time. (In UTC:
    # adding to an Oslo datetime moves the wall clock, not real time.)
    start = start.astimezone(UTC)
    every_day = Schedule.build({d: [("00:00", "24:00")] for d in range(7)}, public_holidays=False)
    around_the_clock = Schedule.around_the_clock()
    deadline = every_day.add_business_time(start, duration)
    assert deadline == around_the_clock.add_business_time(start, duration) == start + duration
    assert every_day.business_time_between(start, start + length) == length
