"""Business time by hand-computed examples: office hours, Norwegian holidays, special days, clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from torg.sla.business_time import (
    CLOSED,
    SHORTENED,
    SPECIAL,
    Schedule,
    SpecialRule,
    norwegian_holidays,
)

OSLO = ZoneInfo("Europe/Oslo")
HOUR = timedelta(hours=1)
WEEKDAYS_8_16 = {weekday: [("08:00", "16:00")] for weekday in range(5)}


def oslo(*args: int) -> datetime:
    return datetime(*args, tzinfo=OSLO)


def office(**kwargs: object) -> Schedule:
    return Schedule.build(WEEKDAYS_8_16, **kwargs)  # type: ignore[arg-type]


CHRISTMAS = (
    SpecialRule.of(date(2027, 12, 24), SHORTENED, [("08:00", "12:00")], name="Julaften"),
    SpecialRule.of(date(2027, 12, 31), SHORTENED, [("08:00", "12:00")], name="Nyttårsaften"),
    SpecialRule.of(date(2028, 12, 24), SHORTENED, [("08:00", "12:00")], name="Julaften"),
)
SUMMER = SpecialRule.of(
    date(2027, 7, 1), SHORTENED, [("08:00", "15:00")], last=date(2027, 8, 15), name="Sommertid"
)


# Easter 2027, with the clock change on Easter Sunday.


def test_easter_2027_skips_holy_week_weekend_and_clock_change() -> None:
    # Wed 24 Mar 14:00–16:00 counts 2 h (6 h left). Maundy Thursday 25, Good Friday 26, Sat 27,
    # Easter Sunday 28 (clocks go forward at 02:00) and Easter Monday 29 are closed.
    # Tue 30 Mar 08:00 + 6 h = 14:00 (CEST). 2 + 6 = 8 business hours.
    deadline = office().add_business_time(oslo(2027, 3, 24, 14), 8 * HOUR)
    assert deadline == oslo(2027, 3, 30, 14)
    assert deadline.tzinfo is UTC
    assert office().business_time_between(oslo(2027, 3, 24, 14), deadline) == 8 * HOUR


def test_holy_week_days_are_closed_and_named_in_norwegian() -> None:
    schedule = office()
    names = norwegian_holidays(2027)
    assert names[date(2027, 3, 25)] == "Skjærtorsdag"
    for day in (date(2027, 3, 25), date(2027, 3, 26), date(2027, 3, 29)):
        assert schedule.wall_spans(day) == ()
    assert not schedule.is_open(oslo(2027, 3, 29, 10))
    assert schedule.is_open(oslo(2027, 3, 30, 10))


def test_calendar_without_public_holidays_opens_on_maundy_thursday() -> None:
    deadline = office(public_holidays=False).add_business_time(oslo(2027, 3, 24, 14), 8 * HOUR)
    assert deadline == oslo(2027, 3, 25, 14)


def test_ascension_day_is_closed() -> None:
    # Wed 5 May 2027 15:00–16:00 is 1 h; Thu 6 May (Kristi himmelfartsdag) closed; Fri 7 May 08:00 + 1 h.
    assert office().add_business_time(oslo(2027, 5, 5, 15), 2 * HOUR) == oslo(2027, 5, 7, 9)


def test_17_may_2027_is_both_constitution_day_and_whit_monday() -> None:
    name = norwegian_holidays(2027)[date(2027, 5, 17)]
    assert "Grunnlovsdag" in name
    assert "Andre pinsedag" in name
    # Fri 14 May 14:00–16:00 is 2 h; the weekend (Whit Sunday) and Mon 17 May closed; Tue 18 May 08:00 + 6 h.
    assert office().add_business_time(oslo(2027, 5, 14, 14), 8 * HOUR) == oslo(2027, 5, 18, 14)
    assert office().business_time_between(oslo(2027, 5, 14), oslo(2027, 5, 19)) == 2 * 8 * HOUR


# Clock changes: 28 March 2027 (02:00 → 03:00) and 31 October 2027 (03:00 → 02:00).


def test_around_the_clock_day_of_the_march_change_is_23_hours() -> None:
    schedule = Schedule.around_the_clock()
    assert schedule.business_time_between(oslo(2027, 3, 28), oslo(2027, 3, 29)) == 23 * HOUR
    # Sat 27 Mar 12:00 + 24 h of real time is Sun 28 Mar 13:00 on the wall clock.
    assert schedule.add_business_time(oslo(2027, 3, 27, 12), 24 * HOUR) == oslo(2027, 3, 28, 13)
    assert schedule.add_business_time(oslo(2027, 3, 28), 23 * HOUR) == oslo(2027, 3, 29)


def test_around_the_clock_day_of_the_october_change_is_25_hours() -> None:
    schedule = Schedule.around_the_clock()
    assert schedule.business_time_between(oslo(2027, 10, 31), oslo(2027, 11, 1)) == 25 * HOUR
    assert schedule.add_business_time(oslo(2027, 10, 30, 12), 24 * HOUR) == oslo(2027, 10, 31, 11)


def test_whole_day_spans_measure_the_change_days_in_real_time() -> None:
    every_day = Schedule.build({d: [("00:00", "00:00")] for d in range(7)}, public_holidays=False)
    assert every_day.business_time_between(oslo(2027, 3, 28), oslo(2027, 3, 29)) == 23 * HOUR
    assert every_day.business_time_between(oslo(2027, 10, 31), oslo(2027, 11, 1)) == 25 * HOUR
    assert every_day.add_business_time(oslo(2027, 3, 27, 12), 24 * HOUR) == oslo(2027, 3, 28, 13)


def test_office_hours_on_a_change_day_are_8_real_hours() -> None:
    # The clocks move at night, so 08:00–16:00 on either Sunday is 8 hours.
    sundays = Schedule.build({6: [("08:00", "16:00")]}, public_holidays=False)
    assert sundays.business_time_between(oslo(2027, 3, 28), oslo(2027, 3, 29)) == 8 * HOUR
    assert sundays.business_time_between(oslo(2027, 10, 31), oslo(2027, 11, 1)) == 8 * HOUR


def test_night_span_across_the_change_is_measured_in_real_time() -> None:
    nights = Schedule.build({6: [("00:00", "06:00")]}, public_holidays=False)
    assert nights.business_time_between(oslo(2027, 3, 28), oslo(2027, 3, 29)) == 5 * HOUR
    assert nights.business_time_between(oslo(2027, 10, 31), oslo(2027, 11, 1)) == 7 * HOUR
    # 2 h before the jump (00:00–02:00 CET) + 3 h after it (03:00–06:00 CEST) = 5 h.
    assert nights.add_business_time(oslo(2027, 3, 28), 3 * HOUR) == oslo(2027, 3, 28, 4)


def test_span_boundary_in_the_skipped_hour_means_the_jump() -> None:
    schedule = Schedule.build({6: [("02:30", "05:00")]}, public_holidays=False)
    (start, end), *_ = schedule.open_intervals(oslo(2027, 3, 28), oslo(2027, 3, 29))
    assert start == oslo(2027, 3, 28, 3)  # 02:30 never shows; the office opens when the clock jumps
    assert end - start == 2 * HOUR
    inside_gap = Schedule.build({6: [("02:15", "02:45")], 0: [("08:00", "09:00")]}, public_holidays=False)
    assert inside_gap.open_intervals(oslo(2027, 3, 28), oslo(2027, 3, 29)) == []


def test_span_boundary_in_the_repeated_hour_means_its_first_occurrence() -> None:
    day = (oslo(2027, 10, 31), oslo(2027, 11, 1))
    before = Schedule.build({6: [("00:00", "02:30")]}, public_holidays=False)
    after = Schedule.build({6: [("02:30", "00:00")]}, public_holidays=False)
    ((_, closing),) = before.open_intervals(*day)
    ((opening, _),) = after.open_intervals(*day)
    assert closing == opening == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 02:30 CEST
    # 00:00–02:30 CEST is 2.5 h; 02:30 CEST to midnight CET is 22.5 h: together the 25-hour day.
    assert before.business_time_between(*day) + after.business_time_between(*day) == 25 * HOUR


# The calendar's own days.


def test_christmas_eve_shortened_to_noon() -> None:
    schedule = office(special_days=CHRISTMAS)
    # Thu 23 Dec 2027 15:00–16:00 is 1 h; Fri 24 Dec (Julaften) 08:00 + 3 h = 11:00.
    assert schedule.add_business_time(oslo(2027, 12, 23, 15), 4 * HOUR) == oslo(2027, 12, 24, 11)
    # 1 h + the 4 h of Christmas Eve; 25–26 Dec (a weekend and holidays) closed; Mon 27 Dec 08:00 + 1 h.
    assert schedule.add_business_time(oslo(2027, 12, 23, 15), 6 * HOUR) == oslo(2027, 12, 27, 9)
    assert not schedule.is_open(oslo(2027, 12, 24, 12))


def test_shortened_day_on_a_closed_day_stays_closed() -> None:
    # Christmas Eve 2028 is a Sunday.
    assert office(special_days=CHRISTMAS).wall_spans(date(2028, 12, 24)) == ()


def test_new_years_eve_shortened_and_new_years_day_closed() -> None:
    schedule = office(special_days=CHRISTMAS)
    # Fri 31 Dec 2027 08:00–12:00 is 4 h; Sat 1 Jan 2028 is a holiday anyway; Mon 3 Jan 08:00 + 4 h.
    assert schedule.add_business_time(oslo(2027, 12, 31, 8), 8 * HOUR) == oslo(2028, 1, 3, 12)


def test_summer_hours_apply_to_weekdays_of_the_range() -> None:
    schedule = office(special_days=(SUMMER,))
    assert schedule.business_time_between(oslo(2027, 7, 5), oslo(2027, 7, 6)) == 7 * HOUR
    assert schedule.wall_spans(date(2027, 7, 3)) == ()  # a Saturday stays closed
    # Fri 13 Aug 13:00–15:00 is 2 h; the weekend closes the range (ends Sun 15 Aug); Mon 16 Aug 08:00 + 6 h.
    assert schedule.add_business_time(oslo(2027, 8, 13, 13), 8 * HOUR) == oslo(2027, 8, 16, 14)
    # 30 Jun 15:00–16:00 is still normal hours (1 h); Thu 1 Jul 08:00 + 7 h is the summer closing time.
    assert schedule.add_business_time(oslo(2027, 6, 30, 15), 8 * HOUR) == oslo(2027, 7, 1, 15)


def test_a_closed_day_inside_summer_hours_wins() -> None:
    moving = SpecialRule.of(date(2027, 7, 9), CLOSED, name="Flytting")
    schedule = office(special_days=(SUMMER, moving))
    assert schedule.wall_spans(date(2027, 7, 9)) == ()
    assert schedule.special_rule(date(2027, 7, 9)) == moving
    assert schedule.wall_spans(date(2027, 7, 8)) == ((8 * 3600, 15 * 3600),)


def test_special_hours_open_a_closed_day() -> None:
    migration = SpecialRule.of(date(2027, 11, 13), SPECIAL, [("10:00", "14:00")], name="Migrering")
    schedule = office(special_days=(migration,))
    assert schedule.is_open(oslo(2027, 11, 13, 11))
    # Fri 12 Nov 15:00–16:00, Sat 13 Nov 10:00–14:00, then Mon 15 Nov 08:00 + 1 h.
    assert schedule.add_business_time(oslo(2027, 11, 12, 15), 6 * HOUR) == oslo(2027, 11, 15, 9)


def test_special_hours_can_open_a_public_holiday() -> None:
    duty = SpecialRule.of(date(2027, 5, 17), SPECIAL, [("10:00", "12:00")], name="Vakt")
    assert office(special_days=(duty,)).is_open(oslo(2027, 5, 17, 11))


# Opening hours of a day, and edges.


def test_lunch_break_is_not_counted() -> None:
    schedule = Schedule.build({d: [("08:00", "11:30"), ("12:00", "16:00")] for d in range(5)})
    # Mon 4 Jan 2027: 3.5 h + 4 h = 7.5 h; Tue 5 Jan 08:00 + 0.5 h.
    assert schedule.add_business_time(oslo(2027, 1, 4, 8), 8 * HOUR) == oslo(2027, 1, 5, 8, 30)
    assert not schedule.is_open(oslo(2027, 1, 4, 11, 45))


def test_deadline_may_fall_on_the_closing_edge() -> None:
    assert office().add_business_time(oslo(2027, 1, 4, 8), 8 * HOUR) == oslo(2027, 1, 4, 16)
    assert not office().is_open(oslo(2027, 1, 4, 16))


def test_counting_starts_at_the_next_opening() -> None:
    schedule = office()
    assert schedule.add_business_time(oslo(2027, 1, 2, 3), HOUR) == oslo(2027, 1, 4, 9)  # a Saturday
    assert schedule.add_business_time(oslo(2027, 1, 2, 3), timedelta(0)) == oslo(2027, 1, 4, 8)
    assert schedule.next_open(oslo(2027, 1, 4, 17)) == oslo(2027, 1, 5, 8)
    assert schedule.next_open(oslo(2027, 1, 5, 9)) == oslo(2027, 1, 5, 9)


def test_time_between_is_negative_backwards() -> None:
    assert office().business_time_between(oslo(2027, 1, 5, 10), oslo(2027, 1, 4, 15)) == -3 * HOUR


def test_touching_spans_are_one_interval() -> None:
    schedule = Schedule.build({0: [("08:00", "12:00"), ("12:00", "16:00")]})
    assert schedule.weekly[0] == ((8 * 3600, 16 * 3600),)


def test_works_in_another_zone() -> None:
    schedule = Schedule.build({d: [("09:00", "17:00")] for d in range(5)}, zone="America/New_York")
    start = datetime(2027, 3, 12, 16, tzinfo=ZoneInfo("America/New_York"))  # a Friday
    assert schedule.add_business_time(start, 2 * HOUR) == datetime(
        2027, 3, 15, 10, tzinfo=ZoneInfo("America/New_York")
    )


def test_naive_datetimes_and_negative_durations_are_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        office().is_open(datetime(2027, 1, 4, 10))
    with pytest.raises(ValueError, match="negative"):
        office().add_business_time(oslo(2027, 1, 4, 10), -HOUR)


def test_schedule_without_opening_hours_is_refused() -> None:
    with pytest.raises(ValueError, match="needs opening hours"):
        Schedule.build({})


def test_calendar_that_never_opens_again_raises_instead_of_looping() -> None:
    once = SpecialRule.of(date(2027, 1, 9), SPECIAL, [("10:00", "12:00")])
    schedule = Schedule.build({}, special_days=(once,))
    assert schedule.add_business_time(oslo(2027, 1, 1), HOUR) == oslo(2027, 1, 9, 11)
    with pytest.raises(ValueError, match="does not open again"):
        schedule.add_business_time(oslo(2027, 1, 9, 11), 2 * HOUR)


def test_500_business_hours_walks_days_not_minutes() -> None:
    schedule = office()
    deadline = schedule.add_business_time(oslo(2027, 1, 4, 8), 500 * HOUR)
    # 62.5 office days. Mon 4 Jan–Fri 26 Mar is 60 weekdays less Maundy Thursday and Good Friday = 58;
    # Easter Monday closed; Tue 30 Mar–Fri 2 Apr makes 62; Mon 5 Apr 08:00 + 4 h.
    assert deadline == oslo(2027, 4, 5, 12)
    assert len(schedule._days) < 100  # one entry per calendar day visited
    assert schedule.business_time_between(oslo(2027, 1, 4, 8), deadline) == 500 * HOUR


def test_around_the_clock_is_plain_arithmetic() -> None:
    schedule = Schedule.around_the_clock()
    start = oslo(2027, 1, 4, 8)
    assert schedule.add_business_time(start, 10_000 * HOUR) == start + 10_000 * HOUR
    assert schedule._days == {}


def test_open_across_midnight_is_one_period() -> None:
    nights = Schedule.build({4: [("20:00", "24:00")], 5: [("00:00", "06:00")]})
    # Fri 8 Jan 2027 20:00 to Sat 9 Jan 06:00.
    assert nights.open_intervals(oslo(2027, 1, 8), oslo(2027, 1, 10)) == [
        (oslo(2027, 1, 8, 20), oslo(2027, 1, 9, 6))
    ]
