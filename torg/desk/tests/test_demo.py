"""The demo's service desk: queues with work in them, SLA clocks in every state, and nothing written twice."""

from __future__ import annotations

import html
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from torg.core.demo import load_demo
from torg.core.management.commands.demo import load_service_desk
from torg.core.models import AuditEntry, Channel, Person
from torg.desk.demo import MIN_CASES
from torg.desk.models import CannedAnswer, Category, Message, Status, Ticket
from torg.sla.models import Agreement, BusinessCalendar, CaseTimer, SpecialDay, TimerNotice, TimerState

SCALE = 0.02
MODELS = [
    Ticket,
    Message,
    AuditEntry,
    CaseTimer,
    TimerNotice,
    Category,
    CannedAnswer,
    BusinessCalendar,
    SpecialDay,
    Agreement,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def load() -> tuple[dict[str, int], float]:
    """The whole demo as `torg demo` loads it: what was created, and the seconds it took."""
    started = time.monotonic()
    core = load_demo(scale=SCALE)
    created, _seconds = load_service_desk(core, SCALE)
    return core.created | created, time.monotonic() - started


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker) -> Iterator[dict[str, int]]:
    """The demo, loaded once for this module's tests and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        created, seconds = load()
        print(f"\nthe demo at scale {SCALE}, {created['cases']} cases, loaded in {seconds:.1f} s")
        yield created
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded: dict[str, int], db: None) -> Iterator[dict[str, int]]:
    # The demo's people read pages in Norwegian; the tests after these keep the language they had.
    with translation.override(translation.get_language()):
        yield loaded


def person(username: str) -> Person:
    return Person.objects.get(username=username)


def test_agents_find_open_cases_in_their_queues(client, demo: dict[str, int]) -> None:
    agent = person("agent1")
    mine = Ticket.objects.filter(assignee=agent).open()
    assert mine.exists()
    client.force_login(agent)
    page = client.get(reverse("desk:case_list")).content.decode()
    for ticket in mine:
        assert html.escape(ticket.title) in page
    unassigned = Ticket.objects.filter(team__name="1. linje IT", assignee=None).open()
    assert unassigned.exists()
    assert set(unassigned.values_list("status", flat=True)) == {Status.NEW}
    assert Ticket.objects.filter(team__name="2. linje IT", assignee__username="agent2").open().exists()


def test_the_clocks_are_in_every_state_and_agree_with_their_cases(demo: dict[str, int]) -> None:
    now = timezone.now()
    timers = list(CaseTimer.objects.select_related("ticket"))
    assert len(timers) == Ticket.objects.count()
    states = {timer.state(now) for timer in timers}
    assert states == {
        TimerState.ON_TRACK,
        TimerState.AT_RISK,
        TimerState.BREACHED,
        TimerState.PAUSED,
        TimerState.MET,
    }
    for timer in timers:
        ticket = timer.ticket
        assert timer.started_at == ticket.created_at.replace(microsecond=0)  # clocks keep whole seconds
        assert ticket.sla_due == timer.next_due()
        assert (timer.stopped_at is not None) == (not ticket.is_open)
        assert (timer.paused_at is not None) == (
            ticket.status in {Status.WAITING_USER, Status.WAITING_SUPPLIER}
        )
        if timer.response_met_at is not None and ticket.first_response_at is not None:
            assert timer.response_met_at == ticket.first_response_at
        if timer.state(now) == TimerState.PAUSED:
            assert ticket.status in {Status.WAITING_USER, Status.WAITING_SUPPLIER}
    # Warnings and breaches already passed count as sent, so the job does not mail them all when the demo starts.
    assert TimerNotice.objects.exists()
    assert not TimerNotice.objects.filter(sent_at=None).exists()


def test_cases_of_every_kind_spread_over_three_weeks_in_the_order_they_happened(demo: dict[str, int]) -> None:
    now = timezone.now()
    tickets = list(Ticket.objects.select_related("organization"))
    assert demo["cases"] == len(tickets) >= MIN_CASES - 2
    assert {t.status for t in tickets} == set(Status.values)
    assert {t.kind for t in tickets} == {"incident", "request", "question"}
    assert {t.channel for t in tickets} >= {"phone", "email", "portal", "chat", "walk_in"}
    assert len({t.priority for t in tickets}) >= 3
    assert {t.organization.name for t in tickets} == {"Bærum kommune", "Modalen kommune", "Fedje kommune"}
    created = sorted(t.created_at for t in tickets)
    assert now - timedelta(days=22) <= created[0] and created[-1] < now
    assert created[-1] - created[0] > timedelta(days=14)
    content_type = ContentType.objects.get_for_model(Ticket)
    for ticket in tickets:
        messages = list(ticket.messages.all())
        entries = AuditEntry.objects.filter(content_type=content_type, object_id=ticket.pk)
        stamps = [m.created_at for m in messages] + list(entries.values_list("created_at", flat=True))
        assert all(ticket.created_at <= at <= ticket.updated_at < now for at in stamps), ticket
        assert entries.filter(action=AuditEntry.Action.CREATE, created_at=ticket.created_at).exists()
        staff = [
            m.created_at for m in messages if m.visibility == "public" and m.author_id != ticket.caller_id
        ]
        assert ticket.first_response_at == (min(staff) if staff else None)
        if ticket.status in {Status.RESOLVED, Status.CLOSED}:
            assert ticket.first_response_at <= ticket.resolved_at <= (ticket.closed_at or now)


def test_the_history_is_written_by_the_demo_logins_and_the_callers(demo: dict[str, int]) -> None:
    content_type = ContentType.objects.get_for_model(Ticket)
    entries = AuditEntry.objects.filter(content_type=content_type)
    assert set(entries.values_list("channel", flat=True)) == {Channel.COMMAND}
    actors = set(entries.values_list("actor__username", flat=True))
    assert {"agent1", "agent2", "lead"} <= actors
    assert actors - {"agent1", "agent2", "lead", None} <= {"baerum", "modalen"}  # employees without logins
    callers = Person.objects.filter(tickets__isnull=False).distinct()
    assert not callers.filter(organization__kind="provider").exists()
    # The employee logins find cases of their own.
    kari = person("baerum")
    assert Ticket.objects.visible_to(kari).filter(caller=kari).count() == 2
    assert Ticket.objects.filter(caller=kari, status=Status.WAITING_USER).exists()
    # The search text is the services': a word of a public reply finds its case.
    reply = Message.objects.filter(visibility="public", author__username="agent1").first()
    assert Ticket.objects.search(reply.body.split()[-1]).filter(pk=reply.ticket_id).exists()


def test_the_sla_set_up_is_loaded_before_the_cases(demo: dict[str, int]) -> None:
    calendar = BusinessCalendar.objects.get(name="Kontortid Vestland IKT")
    assert calendar.organization.name == "Vestland IKT-samarbeid"
    assert calendar.public_holidays and not calendar.is_24_7
    spans = {(s.weekday, s.start.strftime("%H:%M"), s.end.strftime("%H:%M")) for s in calendar.spans.all()}
    assert spans == {(day, "08:00", "16:00") for day in range(5)}
    year = timezone.localdate().year
    eve = calendar.special_days.get(start_date=f"{year}-12-24")
    assert (eve.kind, eve.spans) == (SpecialDay.Kind.SHORTENED, [["08:00", "12:00"]])
    summer = calendar.special_days.get(start_date=f"{year}-07-01")
    assert (str(summer.end_date), summer.spans) == (f"{year}-07-31", [["07:45", "15:00"]])
    standard = Agreement.objects.get(name="Standard SLA Bærum")
    targets = {t.priority: (t.response_minutes, t.resolution_minutes) for t in standard.targets.all()}
    assert targets == {1: (30, 240), 2: (60, 480), 3: (240, 1440), 4: (480, 2400)}
    strict = Agreement.objects.get(organization=standard.organization, kind="incident")
    assert all(t.resolution_minutes < targets[t.priority][1] for t in strict.targets.all())
    assert {a.organization.name for a in Agreement.objects.filter(kind="")} == {
        "Bærum kommune",
        "Modalen kommune",
        "Fedje kommune",
    }
    assert not Agreement.objects.filter(calendar=None).exists()
    # Every case has its clock on the agreement that fits it: Bærum's incidents on the stricter one.
    baerum = CaseTimer.objects.filter(organization=standard.organization)
    assert set(baerum.filter(kind="incident").values_list("agreement", flat=True)) == {strict.pk}
    assert set(baerum.exclude(kind="incident").values_list("agreement", flat=True)) == {standard.pk}
    admin = person("admin")
    for obj in (calendar, standard, Category.objects.first(), CannedAnswer.objects.first()):
        entry = AuditEntry.objects.for_object(obj).get(action=AuditEntry.Action.CREATE)
        assert (entry.actor, entry.channel) == (admin, Channel.COMMAND)


def test_a_second_load_changes_nothing(demo: dict[str, int]) -> None:
    before = counts()
    created, seconds = load()
    print(f"second load in {seconds:.2f} s")
    assert not any(created.values())
    assert counts() == before
