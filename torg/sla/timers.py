"""A case's SLA clocks: started on create, recomputed, paused, resumed and stopped as the case changes.

The desk calls `on_change(ticket)` once after each save of a case. The clock keeps a copy of what it
last saw (priority, kind, category, organization, status), so the call needs no "before" and may be
repeated: it acts only on what differs.

The response clock runs from the start until the first public reply by staff (or the resolve) and
never pauses. The resolution clock pauses while the case waits for the user or a supplier: the
business time used so far is kept in `resolution_used`, and on resuming the deadline is what is left
of the target, counted from the resumption.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone, translation

from torg.desk.models import Status, Ticket
from torg.sla.agreements import agreement_for
from torg.sla.business_time import Schedule
from torg.sla.models import AT_RISK_SHARE, Agreement, BusinessCalendar, CaseTimer

logger = logging.getLogger(__name__)

WAITING = {Status.WAITING_USER, Status.WAITING_SUPPLIER}
STOPPED = {Status.RESOLVED, Status.CLOSED}


def hours_of(calendar: BusinessCalendar | None) -> Schedule:
    """The hours a calendar counts on; clock time without a calendar, or for one without opening hours."""
    if calendar is None:
        return Schedule.around_the_clock()
    try:
        return calendar.schedule()
    except ValueError:
        # A calendar without opening hours must not stop the desk from registering cases.
        logger.warning("calendar %s has no opening hours; counting clock time", calendar.pk)
        return Schedule.around_the_clock(calendar.time_zone)


def schedule_of(agreement: Agreement | None) -> Schedule:
    """The agreement's hours, read once per agreement instance (a batch shares its instances)."""
    if agreement is None:
        return Schedule.around_the_clock()
    if getattr(agreement, "_schedule", None) is None:
        agreement._schedule = hours_of(agreement.calendar)
    return agreement._schedule


def whole_second(at: datetime) -> datetime:
    """The clocks keep whole seconds, so that time banked and time left add up to the target exactly: a
    fraction lost would move a deadline at closing time to the next opening."""
    return at.replace(microsecond=0)


def _seconds(schedule: Schedule, start: datetime, end: datetime) -> int:
    # Rounded up: a clock stamped before whole seconds were kept never gains time.
    return max(0, math.ceil(schedule.business_time_between(start, end).total_seconds()))


def _choose(timer: CaseTimer, ticket: Ticket, candidates: list[Agreement] | None = None) -> None:
    """Pick the agreement and its target for the case's priority; the reason is stored in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        agreement, reason = agreement_for(ticket, candidates)
    targets = agreement.targets.all() if agreement else ()
    target = next((t for t in targets if t.priority == ticket.priority), None)
    timer.agreement, timer.reason = agreement, reason[:300]
    timer.response_minutes = target.response_minutes if target else None
    timer.resolution_minutes = target.resolution_minutes if target else None
    timer.organization_id, timer.priority = ticket.organization_id, ticket.priority
    timer.kind, timer.category_id = ticket.kind, ticket.category_id


@dataclass(frozen=True)
class PastHours:
    """The hours that held until `changed_at`: time a clock used before then is counted on them."""

    schedule: Schedule
    changed_at: datetime


def _response_point(timer: CaseTimer, schedule: Schedule, share: float, past: PastHours | None) -> datetime:
    """When the given share of the response target is used up, counting the time before a change on the old hours."""
    target = timedelta(minutes=timer.response_minutes or 0) * share
    if past is None or timer.started_at >= past.changed_at:
        return schedule.add_business_time(timer.started_at, target)
    on_old_hours = past.schedule.add_business_time(timer.started_at, target)
    if on_old_hours <= past.changed_at:
        return on_old_hours  # passed before the change
    used = past.schedule.business_time_between(timer.started_at, past.changed_at)
    return schedule.add_business_time(past.changed_at, target - used)


def _plan(timer: CaseTimer, schedule: Schedule, past: PastHours | None = None) -> None:
    """Set the deadlines and warning points from the targets, the start and the time used."""
    if timer.response_minutes is None:
        timer.response_due = timer.response_warning_at = None
    else:
        timer.response_due = _response_point(timer, schedule, 1, past)
        timer.response_warning_at = _response_point(timer, schedule, AT_RISK_SHARE, past)
    if timer.resolution_minutes is None:
        timer.resolution_due = timer.resolution_warning_at = None
    elif timer.counting_since is not None:
        target, used = timedelta(minutes=timer.resolution_minutes), timedelta(seconds=timer.resolution_used)
        since = timer.counting_since
        if used >= target:
            # Over the target already: the deadline passed. Keep the one it passed (so the breach and its
            # notice stand), or, for a lower target after a priority change, the moment it was found.
            previous = timer.resolution_due
            timer.resolution_due = previous if previous is not None and previous <= since else since
            timer.resolution_warning_at = min(timer.resolution_warning_at or since, timer.resolution_due)
            return
        timer.resolution_due = schedule.add_business_time(since, target - used)
        timer.resolution_warning_at = schedule.add_business_time(
            since, max(target * AT_RISK_SHARE - used, timedelta(0))
        )


def _mark(timer: CaseTimer, now: datetime) -> None:
    """Keep the breach marks true to the deadlines: set once a deadline passed, cleared if a new target moved it."""
    if timer.response_due is not None and (timer.response_met_at or now) > timer.response_due:
        timer.response_breached_at = timer.response_breached_at or timer.response_due
    else:
        timer.response_breached_at = None
    if timer.resolution_minutes is None:
        timer.resolution_breached_at = None
    elif timer.counting_since is not None:
        over = timer.resolution_used > timer.resolution_minutes * 60
        passed = timer.resolution_due is not None and (now > timer.resolution_due or over)
        timer.resolution_breached_at = (
            (timer.resolution_breached_at or timer.resolution_due) if passed else None
        )
    elif timer.resolution_used > timer.resolution_minutes * 60:
        timer.resolution_breached_at = timer.resolution_breached_at or timer.resolution_due or now
    elif timer.resolution_used < timer.resolution_minutes * 60:
        timer.resolution_breached_at = None  # a longer target than the time used: not late after all
    # Used exactly the target: a mark set when it stopped after its deadline stands.


def _keep_due(timer: CaseTimer, ticket: Ticket) -> None:
    """Copy the nearest running deadline onto the case, which the lists sort and filter on."""
    due = timer.next_due()
    if ticket.sla_due != due:
        Ticket.objects.filter(pk=ticket.pk).update(sla_due=due)
        ticket.sla_due = due


def _hold(timer: CaseTimer, schedule: Schedule, at: datetime) -> None:
    """Stop counting: bank the business time used since counting last (re)started.

    Stopped after its deadline, the clock is breached even when no business time passed since (a resolve
    at 18:00 of a deadline at 16:00 has used exactly the target)."""
    if timer.counting_since is not None:
        if timer.resolution_due is not None and at > timer.resolution_due:
            timer.resolution_breached_at = timer.resolution_breached_at or timer.resolution_due
        timer.resolution_used += _seconds(schedule, timer.counting_since, at)
        timer.counting_since = None


def timer_start(
    ticket: Ticket, *, now: datetime | None = None, candidates: list[Agreement] | None = None
) -> CaseTimer | None:
    """Start a case's clocks at `now` (its creation); nothing when no agreement covers it."""
    timer = CaseTimer(ticket=ticket, status=Status.NEW)
    _choose(timer, ticket, candidates)
    if timer.agreement is None:
        return None
    timer.started_at = timer.counting_since = whole_second(now or ticket.created_at or timezone.now())
    _plan(timer, schedule_of(timer.agreement))
    return on_change(ticket, now=timer.started_at, timer=timer)  # which saves it


def timer_recompute(
    ticket: Ticket,
    *,
    now: datetime | None = None,
    timer: CaseTimer | None = None,
    candidates: list[Agreement] | None = None,
    past: PastHours | None = None,
    save: bool = True,
) -> CaseTimer:
    """Choose the agreement and target again after a change of the case or its agreements; time used is kept.

    After a change of hours, `past` holds the hours before it: the time used until then counts on those."""
    now = whole_second(now or timezone.now())
    timer = timer or CaseTimer.objects.select_related("agreement__calendar").get(ticket=ticket)
    if past is not None and timer.counting_since is not None and timer.counting_since < past.changed_at:
        _hold(timer, past.schedule, past.changed_at)
        timer.counting_since = past.changed_at
    _hold(timer, schedule_of(timer.agreement), now)  # the rest on the hours of the agreement as it is now
    _choose(timer, ticket, candidates)
    if timer.paused_at is None and timer.stopped_at is None:
        timer.counting_since = now
    _plan(timer, schedule_of(timer.agreement), past)
    _mark(timer, now)
    if save:
        timer.save()
    return timer


def _follow_status(timer: CaseTimer, status: str, at: datetime) -> None:
    if timer.status == status:
        return
    timer.status = status
    if status in STOPPED:
        if timer.stopped_at is None:
            _hold(timer, schedule_of(timer.agreement), at)
            timer.stopped_at, timer.paused_at = at, None
            timer.response_met_at = timer.response_met_at or at  # a resolve answers the caller too
        return
    resumed = False
    if timer.stopped_at is not None:  # reopened: count on from the time used before the resolve
        timer.stopped_at, timer.counting_since, resumed = None, at, True
    if status in WAITING:
        if timer.paused_at is None:
            _hold(timer, schedule_of(timer.agreement), at)
            timer.paused_at = at
        return
    if timer.paused_at is not None:
        timer.paused_at, timer.counting_since, resumed = None, at, True
    if resumed:
        _plan(timer, schedule_of(timer.agreement))


def on_change(
    ticket: Ticket, *, now: datetime | None = None, timer: CaseTimer | None = None
) -> CaseTimer | None:
    """Bring a case's clocks up to date after a save: start, recompute, pause, resume, stop, mark responded."""
    start, now = now, whole_second(now or timezone.now())
    if timer is None:
        timer = (
            CaseTimer.objects.select_for_update(of=("self",))
            .select_related("agreement__calendar")
            .filter(ticket_id=ticket.pk)
            .first()
        )
        if timer is None:
            return timer_start(ticket, now=start) if ticket.status not in STOPPED else None
    basis = (ticket.organization_id, ticket.priority, ticket.kind, ticket.category_id)
    if basis != (timer.organization_id, timer.priority, timer.kind, timer.category_id):
        timer_recompute(ticket, now=now, timer=timer)
    _follow_status(timer, ticket.status, now)
    if timer.response_met_at is None and ticket.first_response_at is not None:
        timer.response_met_at = ticket.first_response_at
    _mark(timer, now)
    timer.save()
    _keep_due(timer, ticket)
    return timer
