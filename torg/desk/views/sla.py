"""How the workspace shows a case's SLA clocks: the state in words, the deadlines in local time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from torg.sla.models import CaseTimer, TimerState
from torg.sla.services import duration_text

# The tag's colour repeats the state's words, never replaces them.
COLORS = {
    TimerState.ON_TRACK: "success",
    TimerState.AT_RISK: "warning",
    TimerState.BREACHED: "danger",
    TimerState.PAUSED: "info",
    TimerState.MET: "neutral",
}


def timer_of(ticket: Any) -> CaseTimer | None:
    """The case's clocks as loaded with it (select_related), or None; never a query of its own."""
    try:
        return ticket.sla
    except ObjectDoesNotExist:
        return None


def moment_text(moment: datetime, now: datetime) -> str:
    """A short local time: "today 14:30", "tomorrow 08:00", "yesterday 16:00" or the date and time."""
    local, today = localtime(moment), localtime(now).date()
    clock = date_format(local, "TIME_FORMAT")
    days = (local.date() - today).days
    if days == 0:
        return _("today %(time)s") % {"time": clock}
    if days == 1:
        return _("tomorrow %(time)s") % {"time": clock}
    if days == -1:
        return _("yesterday %(time)s") % {"time": clock}
    return date_format(local, "SHORT_DATETIME_FORMAT")


@dataclass(frozen=True)
class Moment:
    """A point in time as a page draws it: `<time datetime="{{ at|date:'c' }}">{{ text }}</time>`."""

    at: datetime
    text: str

    @classmethod
    def of(cls, at: datetime | None, now: datetime) -> Moment | None:
        return None if at is None else cls(at, moment_text(at, now))


@dataclass(frozen=True)
class SlaRow:
    """The SLA cell of a list row: the state and the nearest running deadline."""

    state: TimerState
    color: str
    due: Moment | None
    overdue: bool


def sla_row(ticket: Any, now: datetime) -> SlaRow | None:
    """The row's SLA cell; None when no agreement covers the case."""
    timer = timer_of(ticket)
    state = timer.state(now) if timer is not None else TimerState.NONE
    if state == TimerState.NONE:
        return None
    due = ticket.sla_due
    return SlaRow(state, COLORS[state], Moment.of(due, now), due is not None and due <= now)


def with_sla_rows(tickets: list[Any], now: datetime) -> None:
    """Give each case of a list page its SLA cell, as `sla_row`."""
    for ticket in tickets:
        ticket.sla_row = sla_row(ticket, now)


@dataclass(frozen=True)
class SlaDetail:
    """The SLA section of the case page: agreement, why it applies, the state and both clocks in words."""

    timer: CaseTimer
    state: TimerState
    color: str
    agreement_url: str | None
    response_due: Moment | None
    response_overdue: bool
    responded: Moment | None
    response_late: bool
    resolution_due: Moment | None
    resolution_overdue: bool
    resolved: Moment | None
    resolution_late: bool
    paused: Moment | None
    used: str
    target: str


def sla_detail(ticket: Any, user: Any, now: datetime) -> SlaDetail | None:
    """The case page's SLA section from the clocks loaded with the case; None when no agreement covers it."""
    timer = timer_of(ticket)
    if timer is None or timer.agreement_id is None:
        return None
    state = timer.state(now)
    running = timer.stopped_at is None
    response_due = timer.response_due if timer.response_met_at is None and running else None
    resolution_due = timer.resolution_due if timer.counting_since is not None and running else None
    return SlaDetail(
        timer=timer,
        state=state,
        color=COLORS.get(state, "neutral"),
        agreement_url=agreement_url(timer, user),
        response_due=Moment.of(response_due, now),
        response_overdue=response_due is not None and response_due <= now,
        responded=Moment.of(timer.response_met_at, now),
        response_late=timer.response_breached_at is not None,
        resolution_due=Moment.of(resolution_due, now),
        resolution_overdue=resolution_due is not None and resolution_due <= now,
        resolved=Moment.of(timer.stopped_at, now),
        resolution_late=timer.resolution_breached_at is not None,
        paused=Moment.of(timer.paused_at if running else None, now),
        used=duration_text(timer.resolution_used // 60),
        target=duration_text(timer.resolution_minutes or 0),
    )


def agreement_url(timer: CaseTimer, user: Any) -> str | None:
    """The agreement's page if the user may see the agreement (the scope of its visible_to, without a query)."""
    if not user.serves(timer.agreement.organization_id):
        return None
    return reverse("sla:agreement_detail", args=[timer.agreement_id])
