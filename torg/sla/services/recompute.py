"""Recomputing the running clocks after a calendar or an agreement changed: in batches, in the background.

A change of opening hours moves the deadlines of every open case counted on that calendar; a change of
an agreement may change which agreement governs each open case of its organization. The change itself
commits at once, and a Huey job then walks the affected clocks in batches of `BATCH`, each batch in
its own transaction. A batch locks its cases first and then their clocks, in the order the desk does,
and reads both after it holds the locks: the desk's own update of one of those cases waits for one batch
at most, and the batch computes from what the desk saved.

Time already used is measured on the hours that held when it was used: the change hands the schedule
from before it (`before`) and its moment to the job, which banks the time up to that moment on the old
schedule and only the time since on the new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from torg.core.services.base import update_each
from torg.desk.models import Ticket
from torg.sla.agreements import candidates_of
from torg.sla.models import Agreement, CaseTimer
from torg.sla.timers import PastHours, timer_recompute, timer_start, whole_second

BATCH = 500
TIMER_FIELDS = [
    "agreement",
    "reason",
    "organization",
    "priority",
    "kind",
    "category",
    "response_minutes",
    "resolution_minutes",
    "response_due",
    "response_warning_at",
    "resolution_due",
    "resolution_warning_at",
    "resolution_used",
    "counting_since",
    "response_breached_at",
    "resolution_breached_at",
    "updated_at",
]


def affected_clocks(
    *, calendar_id: int | None = None, organization_id: int | None = None
) -> models.QuerySet[CaseTimer]:
    """The clocks still running (or paused) that a change of this calendar or organization's agreements moves."""
    clocks = CaseTimer.objects.filter(stopped_at__isnull=True)
    if calendar_id is not None:
        clocks = clocks.filter(agreement__calendar_id=calendar_id)
    if organization_id is not None:
        clocks = clocks.filter(organization_id=organization_id)
    return clocks


@dataclass(frozen=True)
class Before(PastHours):
    """The hours that held until a change, for the clocks it moves: all on a calendar, or one agreement's."""

    agreement_id: int | None = None  # None: every affected clock

    def covers(self, timer: CaseTimer) -> bool:
        return self.agreement_id is None or timer.agreement_id == self.agreement_id


def recompute_later(
    *, calendar_id: int | None = None, organization_id: int | None = None, before: Before | None = None
) -> None:
    """Queue the recompute to run once the change that calls for it has committed; nothing when no open case
    could move (a calendar or agreements set up before any case)."""
    from torg.sla.tasks import recompute_clocks

    if not affected_clocks(calendar_id=calendar_id, organization_id=organization_id).exists() and (
        organization_id is None
        or not Ticket.objects.open().filter(organization_id=organization_id, sla__isnull=True).exists()
    ):
        return
    transaction.on_commit(
        lambda: recompute_clocks(calendar_id=calendar_id, organization_id=organization_id, before=before),
        robust=True,
    )


def clocks_recompute(
    *,
    calendar_id: int | None = None,
    organization_id: int | None = None,
    before: Before | None = None,
    now: datetime | None = None,
) -> int:
    """Recompute every affected clock, a batch at a time; returns how many were recomputed or started.

    After a change of an organization's agreements, its open cases without a clock (registered before any
    agreement covered them) get one, counting from now: the promise did not hold before it was made."""
    clocks = affected_clocks(calendar_id=calendar_id, organization_id=organization_id).order_by("pk")
    done, last = 0, 0
    while ids := list(clocks.filter(pk__gt=last).values_list("pk", flat=True)[:BATCH]):
        done += recompute_batch(ids, before=before, now=now)
        last = ids[-1]
    if organization_id is not None:
        done += _start_missing(organization_id, whole_second(now or timezone.now()))
    return done


def _start_missing(organization_id: int, now: datetime) -> int:
    candidates = candidates_of([organization_id])[organization_id]
    if not candidates:
        return 0
    waiting = Ticket.objects.open().filter(organization_id=organization_id, sla__isnull=True).order_by("pk")
    started, last = 0, 0
    while tickets := list(waiting.filter(pk__gt=last)[:BATCH]):
        with transaction.atomic():
            for ticket in tickets:
                try:
                    with transaction.atomic():  # the desk may have started it this very moment
                        started += timer_start(ticket, now=now, candidates=candidates) is not None
                except IntegrityError:
                    continue
        last = tickets[-1].pk
    return started


@transaction.atomic
def recompute_batch(
    timer_ids: list[int], *, before: Before | None = None, now: datetime | None = None
) -> int:
    """Choose the agreement and plan the deadlines again for these clocks, in one transaction."""
    now = whole_second(now or timezone.now())
    # The cases first, then the clocks, as the desk locks them; each read once the lock is held.
    tickets = {
        ticket.pk: ticket
        for ticket in Ticket.objects.select_for_update().filter(sla__pk__in=timer_ids).order_by("pk")
    }
    timers = list(
        CaseTimer.objects.select_for_update().filter(pk__in=timer_ids, stopped_at__isnull=True).order_by("pk")
    )
    if not timers:
        return 0
    # One instance per agreement, so that each calendar's schedule is read once per batch.
    old = Agreement.objects.filter(pk__in={t.agreement_id for t in timers if t.agreement_id})
    old = {
        a.pk: a
        for a in old.select_related("calendar").prefetch_related("calendar__spans", "calendar__special_days")
    }
    candidates = candidates_of({tickets[t.ticket_id].organization_id for t in timers})
    moved = []
    for timer in timers:
        ticket = timer.ticket = tickets[timer.ticket_id]
        timer.agreement = old.get(timer.agreement_id)
        past = before if before is not None and before.covers(timer) else None
        timer_recompute(
            ticket, now=now, timer=timer, candidates=candidates[ticket.organization_id], past=past, save=False
        )
        timer.updated_at = now
        if ticket.sla_due != (due := timer.next_due()):
            ticket.sla_due = due
            moved.append(ticket)
    update_each(timers, TIMER_FIELDS)
    update_each(moved, ["sla_due"])
    return len(timers)
