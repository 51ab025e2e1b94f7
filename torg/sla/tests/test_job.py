"""The notice job: warnings and breaches mailed once per deadline, even with two consumers at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from conftest import World
from torg.core.models import Channel, Team
from torg.desk.tests.factories import TicketFactory
from torg.sla import notices, services
from torg.sla.models import TimerNotice
from torg.sla.tasks import send_timer_notices
from torg.sla.tests.factories import AgreementFactory, AgreementTargetFactory, BusinessCalendarFactory
from torg.sla.timers import timer_start

OSLO = ZoneInfo("Europe/Oslo")
OFFICE = {day: [["08:00", "16:00"]] for day in range(5)}
WED = datetime(2027, 3, 24, 14, tzinfo=OSLO)


def oslo(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=OSLO)


@pytest.fixture
def cases(world: World) -> list[object]:
    """Three cases of the agent's team on office hours: respond within 1 hour, resolve within 8."""
    calendar = BusinessCalendarFactory(organization=world.provider)
    services.calendar_set_hours(calendar=calendar, hours=OFFICE, by=world.admin, via=Channel.PAGE)
    agreement = AgreementFactory(organization=world.member, calendar=calendar)
    AgreementTargetFactory(agreement=agreement, priority=3, response_minutes=60, resolution_minutes=480)
    team = Team.objects.get(name="1. linje")
    team.email = "forstelinje@vestland.example"
    team.save()
    tickets = [
        TicketFactory(caller=world.employee, priority=3, team=team, assignee=world.agent) for _ in range(3)
    ]
    for ticket in tickets:
        timer_start(ticket, now=WED)
    return tickets


@pytest.mark.django_db
def test_warning_and_breach_are_mailed_once_each(
    world: World, cases: list[object], mailoutbox: list, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.notices_send(now=oslo(24, 14, 50)) == 3  # 45 of 60 minutes: respond soon
        assert notices.notices_send(now=oslo(24, 14, 55)) == 0
    message = mailoutbox[0]
    assert message.to == [world.agent.email, "forstelinje@vestland.example", world.lead.email]
    assert message.subject.startswith(f"Case #{cases[0].pk}: respond by ")

    with django_capture_on_commit_callbacks(execute=True):
        # Tuesday after Easter, 12:30: the response deadline has passed, 6 of 8 office hours are used.
        assert notices.notices_send(now=oslo(30, 12, 30)) == 6
    kinds = set(TimerNotice.objects.values_list("kind", "threshold"))
    assert kinds == {("response", "warning"), ("response", "breach"), ("resolution", "warning")}
    assert len(mailoutbox) == 9


@pytest.mark.django_db(transaction=True)
def test_two_consumers_at_once_send_one_notice_per_case_and_threshold(
    world: World, cases: list[object], mailoutbox: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = oslo(30, 12, 30)  # each case: response breach and resolution warning
    if connection.vendor == "sqlite":
        # SQLite writes one at a time: two consumers in turn stand in for two at once.
        notices.notices_send(now=now)
        notices.notices_send(now=now)
    else:
        # Both consumers have read the same work before either writes: the unique key must decide.
        both_read = threading.Barrier(2, timeout=10)
        due = notices._due

        def due_then_wait(at: datetime) -> Iterator[tuple]:
            work = list(due(at))
            both_read.wait()
            return iter(work)

        monkeypatch.setattr(notices, "_due", due_then_wait)
        errors: list[BaseException] = []

        def consumer() -> None:
            try:
                notices.notices_send(now=now)
            except BaseException as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=consumer) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
    assert TimerNotice.objects.count() == 6
    assert len(mailoutbox) == 6
    assert len({m.subject for m in mailoutbox}) == 6


@pytest.mark.django_db
def test_the_periodic_task_runs_the_job(cases: list[object]) -> None:
    assert send_timer_notices.call_local() == TimerNotice.objects.count()


@pytest.mark.django_db
def test_a_failed_mail_is_tried_again_until_it_goes_out(
    cases: list[object],
    mailoutbox: list,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: object,
) -> None:
    send = notices.send_mail
    refused = []

    def mail_server_down(*args: object, **kwargs: object) -> None:
        refused.append(args[0])
        raise ConnectionRefusedError("smtp")

    monkeypatch.setattr(notices, "send_mail", mail_server_down)
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.notices_send(now=oslo(24, 14, 50)) == 3
    assert len(refused) == 3 and mailoutbox == []
    assert set(TimerNotice.objects.values_list("attempts", "sent_at")) == {(1, None)}

    monkeypatch.setattr(notices, "send_mail", send)
    notices.notices_send(now=oslo(24, 14, 51))
    assert mailoutbox == []  # the next try is a minute after the last
    tried = max(TimerNotice.objects.values_list("tried_at", flat=True))
    monkeypatch.setattr(notices.timezone, "now", lambda: tried + timedelta(minutes=1))
    notices.notices_send(now=oslo(24, 14, 52))
    assert len(mailoutbox) == 3
    assert all(sent_at is not None for sent_at in TimerNotice.objects.values_list("sent_at", flat=True))
    monkeypatch.setattr(notices.timezone, "now", lambda: tried + timedelta(hours=1))
    notices.notices_send(now=oslo(24, 15, 52))
    assert len(mailoutbox) == 3  # sent is sent


@pytest.mark.django_db
def test_retries_back_off_and_give_up(cases: list[object], monkeypatch: pytest.MonkeyPatch) -> None:
    tries = []
    monkeypatch.setattr(notices, "_send", lambda notice_id: tries.append(notice_id) or 1 / 0)
    notice = TimerNotice.objects.create(timer=cases[0].sla, kind="response", threshold="warning", due=WED)
    first = timezone.now()
    notices.notice_mail(notice.pk)
    for minutes in (0, 1, 2, 3, 7, 15, 31, 60):  # tries at 1, 3, 7, 15 and 31 minutes, then no more
        monkeypatch.setattr(
            notices.timezone, "now", lambda m=minutes: first + timedelta(minutes=m, seconds=1)
        )
        notices.notices_send(now=WED)
    assert len(tries) == 6
    notice.refresh_from_db()
    assert notice.attempts == notices.MAX_ATTEMPTS and notice.sent_at is None


@pytest.mark.django_db
def test_a_breach_notice_marks_the_clock_breached(cases: list[object]) -> None:
    notices.notices_send(now=oslo(24, 15, 1))
    timer = cases[0].sla
    timer.refresh_from_db()
    assert timer.response_breached_at == oslo(24, 15)
    assert timer.resolution_breached_at is None
