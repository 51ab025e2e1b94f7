"""Cases: create, change fields, assign and transfer, move through the status workflow."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torg.core import audit
from torg.core.models import Channel, Person, Team
from torg.core.services.base import ensure_same_organization, ensure_visible
from torg.desk.masking import mask_identity_numbers
from torg.desk.models import (
    OPEN_STATUSES,
    Category,
    IdempotencyKey,
    Message,
    Status,
    Ticket,
    TicketChannel,
)
from torg.desk.search import refresh_search_text
from torg.desk.services.priority import priority_for
from torg.sla import timers as sla_timers

# Which status may follow which. Reopening (resolved → in progress) is allowed to staff and to the caller's reply.
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.IN_PROGRESS, Status.WAITING_USER, Status.WAITING_SUPPLIER, Status.RESOLVED},
    Status.IN_PROGRESS: {Status.WAITING_USER, Status.WAITING_SUPPLIER, Status.RESOLVED},
    Status.WAITING_USER: {Status.IN_PROGRESS, Status.WAITING_SUPPLIER, Status.RESOLVED},
    Status.WAITING_SUPPLIER: {Status.IN_PROGRESS, Status.WAITING_USER, Status.RESOLVED},
    Status.RESOLVED: {Status.IN_PROGRESS, Status.CLOSED},
    Status.CLOSED: set(),
}
MASKED_FIELDS = ("title", "description")


def reopen_days() -> int:
    return int(getattr(settings, "DESK_REOPEN_DAYS", 14))


def is_staff_for(person: Any, ticket_or_org_id: Ticket | int) -> bool:
    org_id = ticket_or_org_id if isinstance(ticket_or_org_id, int) else ticket_or_org_id.organization_id
    return bool(
        getattr(person, "is_authenticated", False) and person.is_workspace_user and person.serves(org_id)
    )


def ensure_can_work(by: Any, ticket: Ticket) -> None:
    """Agents of teams serving the case's organization (and administrators) work cases."""
    if not is_staff_for(by, ticket):
        raise PermissionDenied(_("You do not work cases of this organization."))


def mask(fields: dict[str, Any], names: tuple[str, ...] = MASKED_FIELDS) -> int:
    """Mask identity numbers in the given text fields in place; return how many were masked."""
    count = 0
    for name in names:
        if isinstance(fields.get(name), str):
            result = mask_identity_numbers(fields[name])
            fields[name], count = result.text, count + result.count
    return count


def _check_team_and_assignee(ticket: Ticket, team: Team | None, assignee: Person | None) -> None:
    errors = {}
    if team is not None and not (
        team.is_active and team.served_organizations.filter(pk=ticket.organization_id).exists()
    ):
        errors["team"] = _("%(team)s does not serve %(org)s.") % {"team": team, "org": ticket.organization}
    if assignee is not None:
        if not assignee.is_active or not assignee.serves(ticket.organization_id):
            errors["assignee"] = _("This agent does not serve %(org)s.") % {"org": ticket.organization}
        elif team is not None and not team.memberships.filter(person=assignee).exists():
            errors["assignee"] = _("%(name)s is not on %(team)s.") % {
                "name": assignee.full_name,
                "team": team,
            }
    if errors:
        raise ValidationError(errors)


def _check_category(category: Category | None, organization: Any) -> None:
    if category is not None and category.organization_id not in {organization.provider_id, organization.pk}:
        raise ValidationError({"category": _("Choose a category of this organization's provider.")})


def _default_team(by: Any, category: Category | None, organization_id: int) -> Team | None:
    if category is not None and category.default_team_id:
        return category.default_team
    if getattr(by, "is_workspace_user", False):
        return by.teams.filter(is_active=True, served_organizations=organization_id).order_by("name").first()
    return None


@transaction.atomic
def ticket_create(
    *,
    by: Any,
    via: str,
    caller: Person,
    title: str,
    description: str = "",
    kind: str = "incident",
    category: Category | None = None,
    impact: int = 3,
    urgency: int = 2,
    priority: int | None = None,
    priority_reason: str = "",
    channel: str = TicketChannel.PHONE,
    team: Team | None = None,
    assignee: Person | None = None,
    idempotency_key: str = "",
) -> Ticket:
    """Register a case for a caller; staff for callers they serve, an employee for themself."""
    if len(idempotency_key) > 100:
        raise ValidationError({"idempotency_key": _("An idempotency key has at most 100 characters.")})
    if idempotency_key:
        earlier = (
            IdempotencyKey.objects.filter(person=by, key=idempotency_key).select_related("ticket").first()
        )
        if earlier is not None:
            return earlier.ticket
    if caller.pk != getattr(by, "pk", None) and not is_staff_for(by, caller.organization_id):
        raise PermissionDenied(_("You do not work cases of this organization."))
    fields = {"title": title.strip(), "description": description.strip()}
    masked = mask(fields)
    ticket = Ticket(
        organization_id=caller.organization_id,
        caller=caller,
        department_id=caller.department_id,
        location_id=caller.location_id,
        kind=kind,
        category=category,
        impact=impact,
        urgency=urgency,
        channel=channel,
        created_by=by if getattr(by, "pk", None) else None,
        **fields,
    )
    _set_priority(ticket, priority, priority_reason)
    _check_category(category, caller.organization)
    ticket.team = team or _default_team(by, category, ticket.organization_id)
    ticket.received_by = ticket.team
    ticket.assignee = assignee
    _check_team_and_assignee(ticket, ticket.team, assignee)
    if assignee is not None:
        ticket.status = Status.IN_PROGRESS
    refresh_search_text(ticket)
    ticket.full_clean(exclude=["caller", "organization", "team", "assignee", "received_by", "category"])
    ticket.save()
    sla_timers.timer_start(ticket)
    entry = audit.created(ticket, by=by, via=via)
    if masked:
        entry.changes["masked_identity_numbers"] = [None, masked]
        entry.save(update_fields=["changes"])
    if idempotency_key:
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(person=by, key=idempotency_key, ticket=ticket)
        except IntegrityError:
            # Another request with the same key won the race: this one's case must not exist. Read the
            # winner's first: once the block is marked for rollback, it runs no more queries.
            winner = (
                IdempotencyKey.objects.select_related("ticket").get(person=by, key=idempotency_key).ticket
            )
            transaction.set_rollback(True)
            return winner
    ensure_visible(ticket, by)
    return ticket


def _set_priority(ticket: Ticket, priority: int | None, reason: str) -> None:
    provider_id = ticket.organization.provider_id or ticket.organization_id
    computed = priority_for(provider_id=provider_id, impact=ticket.impact, urgency=ticket.urgency)
    if priority is None or priority == computed:
        ticket.priority, ticket.priority_reason = computed, ""
        return
    if not reason.strip():
        raise ValidationError(
            {"priority_reason": _("Give a reason when the priority differs from the matrix.")}
        )
    ticket.priority, ticket.priority_reason = priority, mask_identity_numbers(reason.strip()).text


EDITABLE = {
    "title",
    "description",
    "kind",
    "category",
    "impact",
    "urgency",
    "department",
    "location",
    "parent",
}


@transaction.atomic
def ticket_update(
    *,
    ticket: Ticket,
    by: Any,
    via: str,
    priority: int | None = None,
    priority_reason: str | None = None,
    **fields: Any,
) -> Ticket:
    """Change a case's fields; priority follows impact × urgency unless overridden with a reason."""
    ensure_can_work(by, ticket)
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    mask(fields)
    ensure_same_organization(
        ticket.organization_id, department=fields.get("department"), location=fields.get("location")
    )
    _check_category(fields.get("category"), ticket.organization)
    if fields.get("parent") is not None:
        _check_relative(ticket, fields["parent"])
    with audit.change(ticket, by=by, via=via):
        for name, value in fields.items():
            setattr(ticket, name, value)
        refresh_search_text(ticket)
        if {"impact", "urgency"} & set(fields) or priority is not None:
            keep = ticket.priority if priority is None and ticket.priority_reason else priority
            _set_priority(
                ticket, keep, priority_reason if priority_reason is not None else ticket.priority_reason
            )
        ticket.full_clean(
            exclude=["caller", "organization", "team", "assignee", "received_by", "category", "parent"]
        )
        ticket.save()
    sla_timers.on_change(ticket)
    return ticket


def _check_relative(ticket: Ticket, other: Ticket) -> None:
    if other.pk == ticket.pk:
        raise ValidationError(_("A case cannot be linked to itself."))
    if other.organization_id != ticket.organization_id:
        raise ValidationError(_("Link only cases of the same organization."))


@transaction.atomic
def ticket_assign(
    *, ticket: Ticket, by: Any, via: str, team: Team | None, assignee: Person | None = None, reason: str = ""
) -> Ticket:
    """Give a case to a team and (optionally) an agent; passing it to another team needs a reason."""
    ensure_can_work(by, ticket)
    if not ticket.is_open:
        raise ValidationError(_("Reopen the case before you assign it."))
    _check_team_and_assignee(ticket, team, assignee)
    transfer = team is not None and ticket.team_id is not None and team.pk != ticket.team_id
    if transfer and not reason.strip():
        raise ValidationError({"reason": _("Say why the case goes to another team.")})
    with audit.change(ticket, by=by, via=via):
        ticket.team, ticket.assignee = team, assignee
        if transfer:
            ticket.transferred = True
        if assignee is not None and ticket.status == Status.NEW:
            ticket.status = Status.IN_PROGRESS
        ticket.save()
    if transfer:
        Message.objects.create(
            ticket=ticket,
            organization_id=ticket.organization_id,
            author=by,
            channel=TicketChannel.PORTAL,
            visibility=Message.Visibility.INTERNAL,
            body=_("Passed to %(team)s: %(reason)s")
            % {"team": team, "reason": mask_identity_numbers(reason.strip()).text},
        )
    return ticket


@transaction.atomic
def ticket_transition(*, ticket: Ticket, status: str, by: Any, via: str) -> Ticket:
    """Move a case along the workflow: new → in progress → waiting → resolved → closed, or reopen it."""
    ensure_can_work(by, ticket)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if status not in TRANSITIONS.get(ticket.status, set()):
        raise ValidationError(
            {
                "status": _("A case cannot go from %(old)s to %(new)s.")
                % {
                    "old": ticket.get_status_display(),
                    "new": Status(status).label if status in Status.values else status,
                }
            }
        )
    with audit.change(ticket, by=by, via=via):
        _apply_status(ticket, status)
        ticket.save()
    sla_timers.on_change(ticket)
    return ticket


def _apply_status(ticket: Ticket, status: str) -> None:
    now = timezone.now()
    if ticket.status == Status.RESOLVED and status in OPEN_STATUSES:
        ticket.reopen_count += 1
        ticket.resolved_at = None
        ticket.first_line_resolved = False
    if status == Status.RESOLVED:
        ticket.resolved_at = now
        # First-line resolution: solved by the team that received it, never passed on.
        ticket.first_line_resolved = not ticket.transferred and ticket.team_id == ticket.received_by_id
    if status == Status.CLOSED:
        ticket.closed_at = now
    ticket.status = status


@transaction.atomic
def tickets_close_resolved(*, now: Any = None) -> int:
    """Close cases resolved longer ago than the reopening period (the nightly job); returns how many."""
    now = now or timezone.now()
    due = Ticket.objects.filter(status=Status.RESOLVED, resolved_at__lt=now - timedelta(days=reopen_days()))
    closed = 0
    for ticket in due.select_for_update(skip_locked=True).order_by("pk")[:5000]:
        with audit.change(ticket, by=None, via=Channel.JOB):
            _apply_status(ticket, Status.CLOSED)
            ticket.save(update_fields=["status", "closed_at", "updated_at"])
        closed += 1
    return closed


@transaction.atomic
def tickets_bulk_assign(
    *,
    tickets: list[Ticket],
    by: Any,
    via: str,
    team: Team | None,
    assignee: Person | None = None,
    reason: str = "",
) -> list[Ticket]:
    """Assign many cases at once: all or none, one audit entry per case."""
    return [
        ticket_assign(ticket=t, team=team, assignee=assignee, reason=reason, by=by, via=via) for t in tickets
    ]


@transaction.atomic
def tickets_bulk_transition(*, tickets: list[Ticket], status: str, by: Any, via: str) -> list[Ticket]:
    """Change the status of many cases at once: all or none, one audit entry per case."""
    return [ticket_transition(ticket=t, status=status, by=by, via=via) for t in tickets]
