"""Recomputing open clocks after a calendar change: in batches, in the background, with the time used kept."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import World
from torg.core.models import Channel
from torg.desk.models import Status, Ticket
from torg.desk.tests.factories import TicketFactory
from torg.sla import services
from torg.sla.models import Agreement, BusinessCalendar, CaseTimer
from torg.sla.services import recompute
from torg.sla.tests.factories import AgreementFactory, AgreementTargetFactory, BusinessCalendarFactory
from torg.sla.timers import on_change, timer_start

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
OFFICE = {day: [["08:00", "16:00"]] for day in range(5)}


def oslo(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=OSLO)


@pytest.fixture
def calendar(world: World) -> BusinessCalendar:
    calendar = BusinessCalendarFactory(organization=world.provider)
    services.calendar_set_hours(calendar=calendar, hours=OFFICE, by=world.admin, via=Channel.PAGE)
    return calendar


@pytest.fixture
def agreement(world: World, calendar: BusinessCalendar) -> Agreement:
    agreement = AgreementFactory(organization=world.member, calendar=calendar)
    AgreementTargetFactory(agreement=agreement, priority=3, response_minutes=60, resolution_minutes=480)
    return agreement


def open_cases(world: World, count: int, at: datetime) -> list[Ticket]:
    tickets = [TicketFactory(caller=world.employee, priority=3) for _ in range(count)]
    for ticket in tickets:
        timer_start(ticket, now=at)
    return tickets


def test_a_closed_day_added_to_the_calendar_moves_open_deadlines_in_the_background(
    world: World,
    calendar: BusinessCalendar,
    agreement: Agreement,
    django_capture_on_commit_callbacks: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(recompute, "BATCH", 2)  # three batches for five cases
    # Monday 7 June 2027, 10:00: eight office hours end Tuesday 10:00.
    tickets = open_cases(world, 5, oslo(6, 7, 10))
    resolved = tickets[-1]
    resolved.status = Status.RESOLVED
    resolved.save()
    on_change(resolved, now=oslo(6, 7, 11))
    assert CaseTimer.objects.get(ticket=tickets[0]).resolution_due == oslo(6, 8, 10)

    # The planning day is added on Monday at 11:00: one office hour is used, seven are left from 11:00,
    # and with Tuesday closed the deadline moves from Tuesday 10:00 to Wednesday 10:00.
    monkeypatch.setattr(recompute.timezone, "now", lambda: oslo(6, 7, 11))
    with django_capture_on_commit_callbacks(execute=True):
        services.special_day_save(
            calendar=calendar, by=world.admin, via=Channel.PAGE, name="Planleggingsdag",
            start_date=date(2027, 6, 8), end_date=date(2027, 6, 8), kind="closed", spans=[],
        )  # fmt: skip

    timers = CaseTimer.objects.filter(ticket__in=tickets[:4])
    assert {t.resolution_due for t in timers} == {oslo(6, 9, 10)}
    assert {t.resolution_used for t in timers} == {3600}
    assert {t.counting_since for t in timers} == {oslo(6, 7, 11)}
    assert set(
        Ticket.objects.filter(pk__in=[t.pk for t in tickets[:4]]).values_list("sla_due", flat=True)
    ) == {
        oslo(6, 7, 11)  # the response (an hour from 10:00) is still the nearest deadline
    }
    stopped = CaseTimer.objects.get(ticket=resolved)
    assert stopped.resolution_due == oslo(6, 8, 10)  # a resolved case keeps the deadline it was held to


def test_only_the_clocks_of_the_changed_calendar_are_recomputed(
    world: World, calendar: BusinessCalendar, agreement: Agreement
) -> None:
    open_cases(world, 2, oslo(6, 7, 10))
    other = BusinessCalendarFactory(organization=world.provider)
    services.calendar_set_hours(calendar=other, hours=OFFICE, by=world.admin, via=Channel.PAGE)
    assert recompute.clocks_recompute(calendar_id=other.pk) == 0
    assert recompute.clocks_recompute(calendar_id=calendar.pk, now=oslo(6, 7, 12)) == 2


def test_recompute_picks_the_agreement_again_for_the_organization(world: World, agreement: Agreement) -> None:
    tickets = open_cases(world, 2, oslo(6, 7, 10))
    narrower = AgreementFactory(organization=world.member, kind=tickets[0].kind, name="Feil")
    AgreementTargetFactory(agreement=narrower, priority=3, response_minutes=30, resolution_minutes=120)
    assert recompute.clocks_recompute(organization_id=world.member.pk, now=oslo(6, 7, 10, 30)) == 2
    timer = CaseTimer.objects.get(ticket=tickets[0])
    assert timer.agreement == narrower
    assert timer.resolution_due == oslo(6, 7, 12)  # clock time, two hours from 10:00 with the half hour kept


def test_recompute_reads_a_batch_in_a_fixed_number_of_queries(
    world: World, calendar: BusinessCalendar, agreement: Agreement, django_assert_max_num_queries: object
) -> None:
    timers = [CaseTimer.objects.get(ticket=t).pk for t in open_cases(world, 12, oslo(6, 7, 10))]
    # Lock and read the clocks, the old agreements (+ hours), the candidates (+ targets, hours), two writes.
    with django_assert_max_num_queries(12):
        assert recompute.recompute_batch(timers, now=oslo(6, 7, 12)) == 12


def test_the_task_runs_the_recompute(world: World, calendar: BusinessCalendar, agreement: Agreement) -> None:
    from torg.sla.tasks import recompute_clocks

    open_cases(world, 3, oslo(6, 7, 10))
    assert recompute_clocks.call_local(calendar_id=calendar.pk) == 3


def test_the_first_agreement_of_an_organization_starts_clocks_on_its_open_cases(world: World) -> None:
    waiting = TicketFactory(caller=world.employee, priority=3, status=Status.WAITING_USER)
    running = TicketFactory(caller=world.employee, priority=3)
    TicketFactory(caller=world.employee, priority=3, status=Status.RESOLVED)
    agreement = AgreementFactory(organization=world.member)
    AgreementTargetFactory(agreement=agreement, priority=3, response_minutes=60, resolution_minutes=480)

    assert recompute.clocks_recompute(organization_id=world.member.pk, now=oslo(6, 7, 10)) == 2
    assert CaseTimer.objects.get(ticket=running).resolution_due == oslo(6, 7, 18)  # clock time from now
    assert CaseTimer.objects.get(ticket=waiting).paused_at == oslo(6, 7, 10)
    assert CaseTimer.objects.count() == 2
    assert recompute.clocks_recompute(organization_id=world.member.pk, now=oslo(6, 7, 11)) == 2  # recomputed
    assert CaseTimer.objects.count() == 2


def test_a_breached_clock_keeps_the_deadline_it_broke_when_recomputed(
    world: World, calendar: BusinessCalendar, agreement: Agreement
) -> None:
    from torg.sla.models import TimerState

    (ticket,) = open_cases(world, 1, oslo(6, 7, 10))  # eight office hours: Tuesday 10:00
    assert recompute.clocks_recompute(calendar_id=calendar.pk, now=oslo(6, 9, 12)) == 1
    timer = CaseTimer.objects.get(ticket=ticket)
    assert timer.resolution_due == oslo(6, 8, 10)
    assert timer.resolution_breached_at == oslo(6, 8, 10)
    assert timer.state(oslo(6, 9, 12)) == TimerState.BREACHED
    assert recompute.clocks_recompute(calendar_id=calendar.pk, now=oslo(6, 9, 13)) == 1
    assert CaseTimer.objects.get(ticket=ticket).resolution_due == oslo(6, 8, 10)


def test_time_used_before_an_agreement_changes_calendar_stays_counted_on_the_old_hours(
    world: World,
    agreement: Agreement,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: object,
) -> None:
    (ticket,) = open_cases(world, 1, oslo(6, 4, 15))  # Friday 15:00 on office hours
    # Monday 09:00 the agreement moves to clock time: two office hours are used (Friday 15–16, Monday 8–9),
    # not the 66 hours of the clock since Friday.
    monkeypatch.setattr(recompute.timezone, "now", lambda: oslo(6, 7, 9))
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_update(agreement=agreement, by=world.admin, via=Channel.PAGE, calendar=None)
    timer = CaseTimer.objects.get(ticket=ticket)
    assert timer.resolution_used == 2 * 3600
    assert timer.resolution_due == oslo(6, 7, 15)  # six hours left, counted on the clock from 09:00


def test_a_deadline_at_closing_time_stays_there_when_recomputed_at_a_fraction_of_a_second(
    world: World, calendar: BusinessCalendar, agreement: Agreement
) -> None:
    (ticket,) = open_cases(world, 1, oslo(6, 7, 8).replace(microsecond=176_844))  # eight hours: 16:00
    assert CaseTimer.objects.get(ticket=ticket).resolution_due == oslo(6, 7, 16)
    recompute.clocks_recompute(calendar_id=calendar.pk, now=oslo(6, 7, 10).replace(microsecond=999_999))
    assert CaseTimer.objects.get(ticket=ticket).resolution_due == oslo(6, 7, 16)  # not Tuesday 08:00


def test_a_calendar_set_up_before_any_case_queues_no_recompute(
    world: World, calendar: BusinessCalendar, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        services.calendar_set_hours(
            calendar=calendar, hours={0: [["09:00", "15:00"]]}, by=world.admin, via=Channel.PAGE
        )
    assert callbacks == []  # a queued job would later re-count cases loaded meanwhile on the old hours


def test_response_time_used_before_new_hours_stays_counted_on_the_old_ones(
    world: World,
    calendar: BusinessCalendar,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: object,
) -> None:
    agreement = AgreementFactory(organization=world.member, calendar=calendar)
    AgreementTargetFactory(agreement=agreement, priority=3, response_minutes=240, resolution_minutes=480)
    (ticket,) = open_cases(world, 1, oslo(6, 7, 9))  # Monday 09:00: respond by 13:00 on 08–16 hours
    # At 10:00 the desk moves to 12:00–20:00: one hour is used; the three left run from noon.
    monkeypatch.setattr(recompute.timezone, "now", lambda: oslo(6, 7, 10))
    late = {day: [["12:00", "20:00"]] for day in range(5)}
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_set_hours(calendar=calendar, hours=late, by=world.admin, via=Channel.PAGE)
    timer = CaseTimer.objects.get(ticket=ticket)
    assert timer.response_due == oslo(6, 7, 15)
    assert timer.resolution_used == 3600
    assert timer.resolution_due == oslo(6, 7, 19)  # seven hours left from noon
