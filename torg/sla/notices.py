"""Warnings and breach notices of SLA clocks: recorded once per deadline, then mailed by the recorder."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from torg.core.models import TeamMembership
from torg.sla.models import CaseTimer, TimerNotice

if TYPE_CHECKING:
    from torg.desk.models import Ticket

logger = logging.getLogger(__name__)

# Per kind and threshold and run; the job comes back every minute for the rest.
BATCH = 500
# A mail that fails is tried again 1, 3, 7, 15 and 31 minutes after the notice: six tries in all.
MAX_ATTEMPTS = 6

Kind, Threshold = TimerNotice.Kind, TimerNotice.Threshold


def _due(now: datetime) -> Iterator[tuple[CaseTimer, str, str, datetime]]:
    timers = CaseTimer.objects.all()
    checks = [
        (Kind.RESPONSE, Threshold.WARNING, "response_due", timers.response_running().filter(
            response_warning_at__lte=now, response_due__gt=now)),
        (Kind.RESPONSE, Threshold.BREACH, "response_due", timers.response_running().filter(
            response_due__lte=now)),
        (Kind.RESOLUTION, Threshold.WARNING, "resolution_due", timers.resolution_running().filter(
            resolution_warning_at__lte=now, resolution_due__gt=now)),
        (Kind.RESOLUTION, Threshold.BREACH, "resolution_due", timers.resolution_running().filter(
            resolution_due__lte=now)),
    ]  # fmt: skip
    for kind, threshold, field, due in checks:
        sent = TimerNotice.objects.filter(
            timer=OuterRef("pk"), kind=kind, threshold=threshold, due=OuterRef(field)
        )
        for timer in due.filter(~Exists(sent)).order_by(field, "pk")[:BATCH]:
            yield timer, kind, threshold, getattr(timer, field)


def notices_send(*, now: datetime | None = None) -> int:
    """Record the warnings and breaches due at `now` and mail each once, however many consumers run this."""
    now = now or timezone.now()
    created_count = 0
    for timer, kind, threshold, due in list(_due(now)):
        with transaction.atomic():
            # The clock may have moved since the work was read (a reply, a new priority): lock it, and
            # record the notice only if it still runs towards this deadline.
            running = (
                CaseTimer.objects.response_running()
                if kind == Kind.RESPONSE
                else (CaseTimer.objects.resolution_running())
            )
            if not running.select_for_update().filter(pk=timer.pk, **{f"{kind}_due": due}).exists():
                continue
            # The unique key decides who sends: a consumer that loses the race gets the IntegrityError
            # inside get_or_create, which then reads the winner's row and answers created=False.
            notice, created = TimerNotice.objects.get_or_create(
                timer=timer, kind=kind, threshold=threshold, due=due
            )
            if created:
                if threshold == Threshold.BREACH:  # the mark compliance counts, for the deadline that passed
                    CaseTimer.objects.filter(pk=timer.pk, **{f"{kind}_breached_at__isnull": True}).update(
                        **{f"{kind}_breached_at": due}
                    )
                # Robust: a mail server that refuses one notice must not stop the others.
                transaction.on_commit(partial(notice_mail, notice.pk), robust=True)
                created_count += 1
    for notice_id in _retries():
        notice_mail(notice_id)
    return created_count


def _retries() -> list[int]:
    """Notices whose last try failed long enough ago: 1, 2, 4, 8 and 16 minutes after it, on the real clock.

    A try in flight on another consumer is younger than a minute, so it is not taken twice."""
    now, due = timezone.now(), Q(pk__in=[])
    for attempts in range(1, MAX_ATTEMPTS):
        due |= Q(attempts=attempts, tried_at__lte=now - timedelta(minutes=2 ** (attempts - 1)))
    unsent = TimerNotice.objects.filter(due, sent_at__isnull=True).order_by("pk")
    return list(unsent.values_list("pk", flat=True)[:BATCH])


def recipients(ticket: Ticket) -> list[str]:
    """The assignee, the team's address and the team's leads, each once."""
    addresses = []
    if ticket.assignee_id and ticket.assignee.is_active:
        addresses.append(ticket.assignee.email)
    if ticket.team_id:
        addresses.append(ticket.team.email)
        leads = TeamMembership.objects.filter(team_id=ticket.team_id, is_lead=True, person__is_active=True)
        addresses += leads.order_by("person_id").values_list("person__email", flat=True)
    return list(dict.fromkeys(address for address in addresses if address))


def _subject(notice: TimerNotice, due: str) -> str:
    params = {"id": notice.timer.ticket_id, "due": due}
    if notice.threshold == Threshold.WARNING and notice.kind == Kind.RESPONSE:
        return _("Case #%(id)s: respond by %(due)s") % params
    if notice.threshold == Threshold.WARNING:
        return _("Case #%(id)s: resolve by %(due)s") % params
    if notice.kind == Kind.RESPONSE:
        return _("Case #%(id)s: the response deadline %(due)s has passed") % params
    return _("Case #%(id)s: the resolution deadline %(due)s has passed") % params


def _claim(notice_id: int) -> bool:
    """Take the next try of a notice's mail; of two consumers only one gets it (a conditional update)."""
    attempts = TimerNotice.objects.filter(pk=notice_id).values_list("attempts", flat=True).first()
    if attempts is None or attempts >= MAX_ATTEMPTS:
        return False
    claimed = TimerNotice.objects.filter(pk=notice_id, sent_at__isnull=True, attempts=attempts)
    return claimed.update(attempts=attempts + 1, tried_at=timezone.now()) == 1


def notice_mail(notice_id: int) -> None:
    """Mail one notice to the people working the case, in the provider's language; a failure is tried again."""
    if not _claim(notice_id):
        return
    try:
        _send(notice_id)
    except Exception:
        logger.exception("SLA notice %s: the mail was not sent", notice_id)
        return
    TimerNotice.objects.filter(pk=notice_id).update(sent_at=timezone.now())


def _send(notice_id: int) -> None:
    notice = TimerNotice.objects.select_related(
        "timer__ticket__team",
        "timer__ticket__assignee",
        "timer__ticket__organization__provider",
        "timer__agreement",
    ).get(pk=notice_id)
    ticket = notice.timer.ticket
    to = recipients(ticket)
    if not to:
        return
    organization = ticket.organization
    language = (organization.provider or organization).language or settings.LANGUAGE_CODE
    with translation.override(language):
        due = formats.date_format(timezone.localtime(notice.due), "SHORT_DATETIME_FORMAT")
        subject = _subject(notice, due)
        body = "\n".join(
            [
                subject,
                "",
                f"#{ticket.pk} {ticket.title}",
                _("Agreement: %(agreement)s") % {"agreement": notice.timer.agreement or "–"},
            ]
        )
    send_mail(subject, body, None, to)
