"""The clocks under concurrent writers: the desk, the background recompute and the notice job."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from conftest import World
from torg.core.models import Channel, Team
from torg.desk.models import Ticket
from torg.desk.services.tickets import ticket_assign
from torg.desk.tests.factories import TicketFactory
from torg.sla import notices, services
from torg.sla.models import Agreement, AgreementTarget, CaseTimer, TimerNotice
from torg.sla.services.recompute import recompute_batch
from torg.sla.tests.factories import AgreementFactory, AgreementTargetFactory, BusinessCalendarFactory
from torg.sla.timers import on_change, timer_start

OSLO = ZoneInfo("Europe/Oslo")
OFFICE = {day: [["08:00", "16:00"]] for day in range(5)}
T0 = datetime(2027, 6, 7, 10, tzinfo=OSLO)  # Monday
T1 = datetime(2027, 6, 7, 11, tzinfo=OSLO)


@pytest.fixture
def case(world: World) -> tuple[Ticket, CaseTimer, Agreement]:
    calendar = BusinessCalendarFactory(organization=world.provider)
    services.calendar_set_hours(calendar=calendar, hours=OFFICE, by=world.admin, via=Channel.PAGE)
    agreement = AgreementFactory(organization=world.member, calendar=calendar)
    AgreementTargetFactory(agreement=agreement, priority=3, response_minutes=60, resolution_minutes=480)
    AgreementTargetFactory(agreement=agreement, priority=2, response_minutes=30, resolution_minutes=120)
    ticket = TicketFactory(caller=world.employee, priority=3)
    timer = timer_start(ticket, now=T0)
    assert timer is not None
    return ticket, timer, agreement


def at_once(*work: Callable[[], None]) -> list[BaseException]:
    """Run each in its own thread and connection; the errors they raised."""
    errors: list[BaseException] = []

    def thread(fn: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                fn()
            except BaseException as error:
                errors.append(error)
            finally:
                connection.close()

        return run

    threads = [threading.Thread(target=thread(fn)) for fn in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return errors


@pytest.mark.django_db(transaction=True)
def test_a_desk_change_and_a_recompute_batch_do_not_deadlock(case: tuple) -> None:
    ticket, timer, agreement = case
    AgreementTarget.objects.filter(agreement=agreement, priority=3).update(response_minutes=120)
    desk_holds_case, batch_started = threading.Event(), threading.Event()

    def desk() -> None:
        with transaction.atomic():
            mine = Ticket.objects.get(pk=ticket.pk)
            mine.title = "Skjermen er svart"
            mine.save()  # the case row is locked first, as ticket_update does
            desk_holds_case.set()
            batch_started.wait(5)
            time.sleep(0.5)
            on_change(mine, now=T1)

    def batch() -> None:
        desk_holds_case.wait(5)
        batch_started.set()
        recompute_batch([timer.pk], now=T1)

    assert at_once(desk, batch) == []
    assert CaseTimer.objects.get(pk=timer.pk).response_minutes == 120


@pytest.mark.django_db(transaction=True)
def test_a_recompute_batch_that_waited_for_the_desk_computes_from_what_the_desk_saved(case: tuple) -> None:
    ticket, timer, _ = case
    desk_saved = threading.Event()

    def desk() -> None:
        with transaction.atomic():
            mine = Ticket.objects.get(pk=ticket.pk)
            mine.priority = 2
            mine.save()
            on_change(mine, now=T1)
            desk_saved.set()
            time.sleep(1)  # the batch waits for this transaction

    def batch() -> None:
        desk_saved.wait(5)
        recompute_batch([timer.pk], now=T1)

    assert at_once(desk, batch) == []
    timer = CaseTimer.objects.get(pk=timer.pk)
    assert (timer.priority, timer.resolution_minutes) == (2, 120)


@pytest.mark.django_db
def test_no_notice_for_a_deadline_that_moved_after_the_job_read_it(
    case: tuple, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket, _, agreement = case
    AgreementTargetFactory(agreement=agreement, priority=4, response_minutes=240, resolution_minutes=960)
    now = datetime(2027, 6, 7, 11, 0, 30, tzinfo=OSLO)  # the hour to respond has just passed
    read = notices._due

    def read_then_the_desk_moves_it(at: datetime) -> object:
        work = list(read(at))
        ticket.priority = 4
        ticket.save()
        on_change(ticket, now=now)
        return iter(work)

    monkeypatch.setattr(notices, "_due", read_then_the_desk_moves_it)
    notices.notices_send(now=now)
    assert CaseTimer.objects.get(ticket=ticket).response_breached_at is None
    assert not TimerNotice.objects.filter(threshold="breach").exists()


@pytest.mark.django_db
def test_a_save_of_the_case_does_not_put_back_a_deadline_a_recompute_moved(world: World, case: tuple) -> None:
    ticket, timer, agreement = case
    read_by_the_page = Ticket.objects.get(pk=ticket.pk)
    AgreementTarget.objects.filter(agreement=agreement).update(response_minutes=240)
    recompute_batch([timer.pk], now=T0)  # the background batch commits meanwhile
    ticket_assign(
        ticket=read_by_the_page,
        by=world.agent,
        via=Channel.PAGE,
        team=Team.objects.get(name="1. linje"),
        assignee=world.agent,
    )
    assert Ticket.objects.get(pk=ticket.pk).sla_due == CaseTimer.objects.get(pk=timer.pk).next_due()
