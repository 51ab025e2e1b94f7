"""The clocks of a case: due times on office hours, pauses, the first reply, recomputes and reopening."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import World
from torg.core.models import Channel
from torg.desk.models import Status, Ticket
from torg.desk.services.conversation import ticket_reply
from torg.desk.services.tickets import ticket_create, ticket_transition
from torg.desk.tests.factories import TicketFactory
from torg.sla import services
from torg.sla.models import Agreement, CaseTimer, TimerState
from torg.sla.tests.factories import AgreementFactory, AgreementTargetFactory, BusinessCalendarFactory
from torg.sla.timers import on_change, timer_start

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
OFFICE = {day: [["08:00", "16:00"]] for day in range(5)}


def oslo(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=OSLO)


# Wednesday before Easter 2027: Maundy Thursday, Good Friday and Easter Monday are closed.
WED = oslo(24, 14)


@pytest.fixture
def agreement(world: World) -> Agreement:
    calendar = BusinessCalendarFactory(organization=world.provider)
    services.calendar_set_hours(calendar=calendar, hours=OFFICE, by=world.admin, via=Channel.PAGE)
    agreement = AgreementFactory(organization=world.member, name="Kontortid", calendar=calendar)
    AgreementTargetFactory(agreement=agreement, priority=3, response_minutes=60, resolution_minutes=480)
    AgreementTargetFactory(agreement=agreement, priority=2, response_minutes=30, resolution_minutes=120)
    return agreement


def started(world: World, at: datetime = WED) -> tuple[Ticket, CaseTimer]:
    ticket = TicketFactory(caller=world.employee, priority=3)
    timer = timer_start(ticket, now=at)
    assert timer is not None
    return ticket, timer


def move(ticket: Ticket, at: datetime, **fields: object) -> CaseTimer:
    for name, value in fields.items():
        setattr(ticket, name, value)
    ticket.save()
    timer = on_change(ticket, now=at)
    assert timer is not None
    return timer


def test_eight_office_hours_from_wednesday_before_easter_end_on_tuesday(
    world: World, agreement: Agreement
) -> None:
    _, timer = started(world)
    assert timer.agreement == agreement
    assert timer.reason == "Lindås kommune: all cases"
    assert timer.response_due == oslo(24, 15)
    assert timer.resolution_due == oslo(30, 14)
    assert timer.resolution_warning_at == oslo(30, 12)  # 75 % of 8 hours: 2 on Wednesday, 4 on Tuesday


def test_agreement_without_calendar_counts_clock_time(world: World) -> None:
    agreement = AgreementFactory(organization=world.member)
    AgreementTargetFactory(agreement=agreement, priority=3, resolution_minutes=480)
    _, timer = started(world)
    assert timer.resolution_due == WED + timedelta(hours=8)


def test_pause_moves_the_deadline_by_the_paused_business_time(world: World, agreement: Agreement) -> None:
    ticket, _ = started(world)
    timer = move(ticket, oslo(24, 15), status=Status.WAITING_USER, first_response_at=oslo(24, 14, 30))
    assert timer.paused_at == oslo(24, 15)
    assert timer.resolution_used == 3600
    assert timer.state(oslo(29, 12)) == TimerState.PAUSED

    timer = move(ticket, oslo(30, 10), status=Status.IN_PROGRESS)
    # Paused Wednesday 15–16 and Tuesday 08–10: three office hours, so 14:00 Tuesday becomes 09:00 Wednesday.
    assert timer.paused_at is None
    assert timer.resolution_due == oslo(31, 9)
    assert timer.state(oslo(30, 10)) == TimerState.ON_TRACK


def test_response_is_met_by_the_first_public_reply_of_staff(world: World, agreement: Agreement) -> None:
    ticket = ticket_create(by=world.agent, via=Channel.PAGE, caller=world.employee, title="Skrivaren er tom")
    ticket_reply(ticket=ticket, by=world.agent, via=Channel.PAGE, body="Notat", internal=True)
    ticket_reply(ticket=ticket, by=world.employee, via=Channel.PAGE, body="Hastar!")
    assert CaseTimer.objects.get(ticket=ticket).response_met_at is None

    ticket_reply(ticket=ticket, by=world.agent, via=Channel.PAGE, body="Vi ser på det.")
    ticket.refresh_from_db()
    assert ticket.sla.response_met_at == ticket.first_response_at is not None


def test_desk_workflow_pauses_resumes_and_stops_the_clock(world: World, agreement: Agreement) -> None:
    ticket = ticket_create(by=world.agent, via=Channel.PAGE, caller=world.employee, title="VPN")
    for status in (Status.WAITING_SUPPLIER, Status.IN_PROGRESS, Status.RESOLVED):
        ticket = ticket_transition(ticket=ticket, status=status, by=world.agent, via=Channel.PAGE)
        timer = CaseTimer.objects.get(ticket=ticket)
        assert (timer.paused_at is not None) == (status == Status.WAITING_SUPPLIER)
    assert timer.stopped_at is not None
    assert timer.response_met_at == timer.stopped_at  # resolved without a reply: the resolve answered


def test_case_without_agreement_gets_no_clock(world: World) -> None:
    ticket = ticket_create(by=world.agent, via=Channel.PAGE, caller=world.employee, title="VPN")
    assert not CaseTimer.objects.filter(ticket=ticket).exists()


def test_priority_change_recomputes_and_keeps_the_time_used(world: World, agreement: Agreement) -> None:
    ticket, _ = started(world)
    timer = move(ticket, oslo(24, 15), priority=2)
    assert (timer.response_minutes, timer.resolution_minutes) == (30, 120)
    assert timer.resolution_used == 3600
    assert timer.resolution_due == oslo(24, 16)  # two hours' target, one used
    assert timer.response_due == oslo(24, 14, 30)
    assert timer.state(oslo(24, 15)) == TimerState.BREACHED  # 30 minutes to respond passed at 14:30


def test_reopening_resumes_with_the_time_used_before_the_resolve(world: World, agreement: Agreement) -> None:
    ticket, _ = started(world)
    timer = move(ticket, oslo(24, 15), status=Status.RESOLVED)
    assert timer.state(oslo(24, 15)) == TimerState.MET
    timer = move(ticket, oslo(30, 8), status=Status.IN_PROGRESS)
    assert timer.stopped_at is None
    assert timer.resolution_due == oslo(30, 15)  # seven office hours left


def test_states_through_a_cases_life(world: World, agreement: Agreement) -> None:
    ticket, timer = started(world)
    timer = move(ticket, oslo(24, 14, 10), first_response_at=oslo(24, 14, 10))
    assert timer.state(oslo(24, 14, 10)) == TimerState.ON_TRACK
    assert timer.state(oslo(30, 12)) == TimerState.AT_RISK
    assert timer.state(oslo(30, 14, 1)) == TimerState.BREACHED
    timer = move(ticket, oslo(30, 15), status=Status.RESOLVED)
    assert timer.state(oslo(31, 9)) == TimerState.BREACHED  # resolved late stays breached
    assert TimerState.AT_RISK.label == "At risk"


def test_agent_of_another_organization_cannot_see_the_clocks(world: World, agreement: Agreement) -> None:
    _, ours = started(world)
    AgreementTargetFactory(agreement=AgreementFactory(organization=world.other), priority=3)
    theirs = timer_start(TicketFactory(caller=world.other_employee, priority=3), now=WED)
    assert theirs is not None
    assert list(CaseTimer.objects.visible_to(world.agent)) == [ours]
    assert list(CaseTimer.objects.visible_to(world.customer_manager)) == [theirs]
    assert set(CaseTimer.objects.visible_to(world.admin)) == {ours, theirs}


def test_the_case_carries_its_nearest_running_deadline(world: World, agreement: Agreement) -> None:
    ticket, _ = started(world)
    ticket.refresh_from_db()
    assert ticket.sla_due == oslo(24, 15)  # the response is due first
    move(ticket, oslo(24, 14, 10), first_response_at=oslo(24, 14, 10))
    ticket.refresh_from_db()
    assert ticket.sla_due == oslo(30, 14)  # answered: the resolution deadline is next
    move(ticket, oslo(24, 15), status=Status.WAITING_USER)
    ticket.refresh_from_db()
    assert ticket.sla_due is None  # paused and answered: no clock runs
    move(ticket, oslo(30, 8), status=Status.IN_PROGRESS)
    ticket.refresh_from_db()
    assert ticket.sla_due == oslo(30, 15)


def test_breaches_are_marked_when_the_clocks_stop_late_and_cleared_by_a_longer_target(
    world: World, agreement: Agreement
) -> None:
    ticket, _ = started(world)
    timer = move(ticket, oslo(24, 15, 30), first_response_at=oslo(24, 15, 30))
    assert timer.response_breached_at == oslo(24, 15)  # an hour to respond, answered after 90 minutes
    assert timer.resolution_breached_at is None
    timer = move(ticket, oslo(31, 9), status=Status.RESOLVED)
    assert timer.resolution_breached_at == oslo(30, 14)

    on_time, _ = started(world)
    timer = move(on_time, oslo(24, 15), priority=2)  # two hours' target: 14–16
    assert timer.response_breached_at == oslo(24, 14, 30)
    timer = move(on_time, oslo(24, 15, 1), priority=3)  # back to an hour's response: still late
    assert timer.response_breached_at == oslo(24, 14, 30)  # the first deadline it broke
    AgreementTargetFactory(agreement=agreement, priority=4, response_minutes=240, resolution_minutes=960)
    timer = move(on_time, oslo(24, 15, 2), priority=4)  # four hours to respond: not late after all
    assert timer.response_breached_at is None


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.WAITING_USER])
def test_a_breach_stands_when_the_case_stops_after_closing_time(
    world: World, agreement: Agreement, status: str
) -> None:
    # Friday 5 March, 14:00, two office hours to resolve (priority 2): due at Friday's closing, 16:00.
    ticket, _ = started(world, at=oslo(5, 14))
    timer = move(ticket, oslo(5, 14), priority=2, first_response_at=oslo(5, 14, 10))
    assert timer.resolution_due == oslo(5, 16)
    timer = move(ticket, oslo(5, 18), status=status)  # no office time passed since 16:00: exactly the target
    assert timer.resolution_breached_at == oslo(5, 16)
    assert timer.state(oslo(5, 18)) == TimerState.BREACHED
