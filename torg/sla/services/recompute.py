"""Recomputing the running clocks after a calendar or an agreement changed: in batches, in the background.

A change of opening hours moves the deadlines of every open case counted on that calendar; a change of
an agreement may change which agreement governs each open case of its organization. The change itself
commits at once, and a Huey job then walks the affected clocks in batches of `BATCH`, each batch in
its own transaction with its rows locked, so the desk's own updates of those cases wait for one batch
at most and are never overwritten.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from torg.desk.models import Ticket
from torg.sla.agreements import candidates_of
from torg.sla.models import Agreement, CaseTimer
from torg.sla.timers import timer_recompute, timer_start

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


def recompute_later(*, calendar_id: int | None = None, organization_id: int | None = None) -> None:
    """Queue the recompute to run once the change that calls for it has committed."""
    from torg.sla.tasks import recompute_clocks

    transaction.on_commit(
        lambda: recompute_clocks(calendar_id=calendar_id, organization_id=organization_id), robust=True
    )


def clocks_recompute(
    *, calendar_id: int | None = None, organization_id: int | None = None, now: datetime | None = None
) -> int:
    """Recompute every affected clock, a batch at a time; returns how many were recomputed or started.

    After a change of an organization's agreements, its open cases without a clock (registered before any
    agreement covered them) get one, counting from now: the promise did not hold before it was made."""
    clocks = affected_clocks(calendar_id=calendar_id, organization_id=organization_id).order_by("pk")
    done, last = 0, 0
    while ids := list(clocks.filter(pk__gt=last).values_list("pk", flat=True)[:BATCH]):
        done += recompute_batch(ids, now=now)
        last = ids[-1]
    if organization_id is not None:
        done += _start_missing(organization_id, now or timezone.now())
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
def recompute_batch(timer_ids: list[int], *, now: datetime | None = None) -> int:
    """Choose the agreement and plan the deadlines again for these clocks, in one transaction."""
    now = now or timezone.now()
    timers = list(
        CaseTimer.objects.select_for_update(of=("self",))
        .filter(pk__in=timer_ids, stopped_at__isnull=True)
        .select_related("ticket")
        .order_by("pk")
    )
    if not timers:
        return 0
    # One instance per agreement, so that each calendar's schedule is read once per batch.
    old = Agreement.objects.filter(pk__in={t.agreement_id for t in timers if t.agreement_id})
    old = {
        a.pk: a
        for a in old.select_related("calendar").prefetch_related("calendar__spans", "calendar__special_days")
    }
    candidates = candidates_of({t.ticket.organization_id for t in timers})
    moved = []
    for timer in timers:
        ticket = timer.ticket
        timer.agreement = old.get(timer.agreement_id)
        timer_recompute(
            ticket, now=now, timer=timer, candidates=candidates[ticket.organization_id], save=False
        )
        timer.updated_at = now
        if ticket.sla_due != (due := timer.next_due()):
            ticket.sla_due = due
            moved.append(ticket)
    CaseTimer.objects.bulk_update(timers, TIMER_FIELDS)
    Ticket.objects.bulk_update(moved, ["sla_due"])
    return len(timers)
