"""The demo's SLA: Vestland IKT's office-hours calendar, an agreement per municipality, and the clocks of
backdated demo cases.

Written through the SLA services by the demo administrator (channel command); only what is missing by name
is written, so a second load writes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from torg.core.models import Channel, Organization, Person
from torg.desk.models import Kind, Status, Ticket
from torg.sla import timers
from torg.sla.models import Agreement, BusinessCalendar, CaseTimer, SpecialDay, TimerNotice
from torg.sla.services import (
    agreement_create,
    agreement_set_targets,
    calendar_create,
    calendar_set_hours,
    special_day_save,
)

CALENDAR = "Kontortid Vestland IKT"
OFFICE_HOURS = {weekday: [("08:00", "16:00")] for weekday in range(5)}  # Monday to Friday
HALF_DAY = [("08:00", "12:00")]
SUMMER_HOURS = [("07:45", "15:00")]

# {priority: (response minutes, resolution minutes)} in business time.
STANDARD = {1: (30, 4 * 60), 2: (60, 8 * 60), 3: (4 * 60, 24 * 60), 4: (8 * 60, 40 * 60)}
# Bærum pays for faster help with what stopped working than with what it asks for.
INCIDENTS = {1: (15, 2 * 60), 2: (30, 4 * 60), 3: (2 * 60, 16 * 60), 4: (4 * 60, 32 * 60)}
# (organization's plan key, name, kind of case or "" for all, targets)
AGREEMENTS = [
    ("baerum", "Standard SLA Bærum", "", STANDARD),
    ("baerum", "Skjerpet SLA for hendelser, Bærum", Kind.INCIDENT, INCIDENTS),
    ("modalen", "Standard SLA Modalen", "", STANDARD),
    ("fedje", "Standard SLA Fedje", "", STANDARD),
]


@dataclass
class SlaDemoResult:
    created: dict[str, int] = field(default_factory=lambda: {"calendars": 0, "agreements": 0})
    seconds: float = 0.0


def special_days(year: int) -> list[tuple[str, date, date, str, list[tuple[str, str]]]]:
    """The calendar's own days of a year: half days at Christmas and New Year, shorter days in July."""
    shortened = SpecialDay.Kind.SHORTENED
    return [
        ("Sommertid", date(year, 7, 1), date(year, 7, 31), shortened, SUMMER_HOURS),
        ("Julaften", date(year, 12, 24), date(year, 12, 24), shortened, HALF_DAY),
        ("Nyttårsaften", date(year, 12, 31), date(year, 12, 31), shortened, HALF_DAY),
    ]


def load_sla_demo(*, organizations: dict[str, Organization], admin: Person) -> SlaDemoResult:
    """Create the demo calendar and agreements that are missing; run again, it writes nothing."""
    started = time.monotonic()
    result = SlaDemoResult()
    with transaction.atomic():
        provider = organizations["provider"]
        calendar = BusinessCalendar.objects.filter(organization=provider, name=CALENDAR).first()
        if calendar is None:
            calendar = _calendar(provider, admin)
            result.created["calendars"] += 1
        existing = set(
            Agreement.objects.filter(organization__in=organizations.values()).values_list(
                "organization_id", "name"
            )
        )
        for key, name, kind, targets in AGREEMENTS:
            organization = organizations[key]
            if (organization.pk, name) in existing:
                continue
            agreement = agreement_create(
                by=admin,
                via=Channel.COMMAND,
                organization=organization,
                name=name,
                kind=kind,
                calendar=calendar,
            )
            agreement_set_targets(agreement=agreement, targets=targets, by=admin, via=Channel.COMMAND)
            result.created["agreements"] += 1
    result.seconds = time.monotonic() - started
    return result


def _calendar(provider: Organization, admin: Person) -> BusinessCalendar:
    """Office hours on weekdays, closed on public holidays, with last year's to next year's own days."""
    calendar = calendar_create(
        by=admin, via=Channel.COMMAND, organization=provider, name=CALENDAR, public_holidays=True
    )
    calendar_set_hours(calendar=calendar, hours=OFFICE_HOURS, by=admin, via=Channel.COMMAND)
    this_year = timezone.localdate().year
    for year in range(this_year - 1, this_year + 2):
        for name, first, last, kind, spans in special_days(year):
            special_day_save(
                calendar=calendar,
                by=admin,
                via=Channel.COMMAND,
                name=name,
                start_date=first,
                end_date=last,
                kind=kind,
                spans=[list(span) for span in spans],
            )
    return calendar


# The clocks of backdated cases.

# (status, first response) of a case after each step of its history, and when the step happened.
History = Sequence[tuple[datetime, str, datetime | None]]


def clock_replay(ticket: Ticket, history: History, *, now: datetime) -> CaseTimer | None:
    """Start a backdated case's clocks again at its creation and follow its history step by step up to `now`.

    The services started the clocks when the demo wrote the case; this puts them where they would be had
    the case lived through its history at the times it claims."""
    CaseTimer.objects.filter(ticket=ticket).delete()
    final = ticket.status, ticket.first_response_at
    ticket.status, ticket.first_response_at = Status.NEW, None
    timer = timers.timer_start(ticket, now=history[0][0])
    if timer is not None:
        for at, status, responded in history:
            ticket.status, ticket.first_response_at = status, responded
            timers.on_change(ticket, now=at, timer=timer)
    ticket.status, ticket.first_response_at = final
    if timer is not None:
        timers.on_change(ticket, now=now, timer=timer)
        _notices_sent(timer, now)
    return timer


def _notices_sent(timer: CaseTimer, now: datetime) -> None:
    """Record the warnings and breach notices of the running clocks as sent when they fell due, as the job
    would have, so that it does not mail them all at once when the demo starts."""
    clocks = []
    if timer.stopped_at is None and timer.response_met_at is None:
        clocks.append((TimerNotice.Kind.RESPONSE, timer.response_warning_at, timer.response_due))
    if timer.stopped_at is None and timer.counting_since is not None:
        clocks.append((TimerNotice.Kind.RESOLUTION, timer.resolution_warning_at, timer.resolution_due))
    for kind, warning_at, due in clocks:
        for threshold, at in (
            (TimerNotice.Threshold.WARNING, warning_at),
            (TimerNotice.Threshold.BREACH, due),
        ):
            if due is not None and at is not None and at <= now:
                notice = TimerNotice.objects.create(
                    timer=timer, kind=kind, threshold=threshold, due=due, sent_at=at, attempts=1
                )
                TimerNotice.objects.filter(pk=notice.pk).update(created_at=at)  # when it was due, not now
