"""A case's conversation and records: replies, internal notes, attachments, time, links and merging."""

from __future__ import annotations

import hashlib
import mimetypes
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from torg.core import audit
from torg.desk.masking import mask_identity_numbers
from torg.desk.models import (
    Attachment,
    Message,
    Status,
    Ticket,
    TicketChannel,
    TicketLink,
    TimeEntry,
)
from torg.desk.search import refresh_search_text
from torg.desk.services.files import sniff_content_type
from torg.desk.services.tickets import (
    _apply_status,
    _check_relative,
    ensure_can_work,
    is_staff_for,
    reopen_days,
)
from torg.sla import timers as sla_timers


def _ensure_can_write(by: Any, ticket: Ticket, internal: bool) -> bool:
    """Staff write replies and notes; the caller writes replies on their own case. Returns whether `by` is staff."""
    if is_staff_for(by, ticket):
        return True
    if internal or ticket.caller_id != getattr(by, "pk", None):
        raise PermissionDenied(_("You may not write on this case."))
    return False


@transaction.atomic
def ticket_reply(
    *,
    ticket: Ticket,
    by: Any,
    via: str,
    body: str,
    internal: bool = False,
    channel: str = TicketChannel.PORTAL,
    files: list[Any] = (),  # type: ignore[assignment]
) -> Message:
    """Add a public reply or an internal note; a caller's reply reopens a recently resolved case."""
    staff = _ensure_can_write(by, ticket, internal)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    body = mask_identity_numbers(body.strip()).text
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    if ticket.status == Status.CLOSED:
        raise ValidationError(
            _("The case is closed. Open a new case and refer to #%(id)s.") % {"id": ticket.pk}
        )
    visibility = Message.Visibility.INTERNAL if internal else Message.Visibility.PUBLIC
    message = Message.objects.create(
        ticket=ticket,
        organization_id=ticket.organization_id,
        author=by,
        visibility=visibility,
        body=body,
        channel=channel,
    )
    for upload in files:
        attachment_add(ticket=ticket, by=by, via=via, upload=upload, message=message)
    with audit.change(ticket, by=by, via=via) as extra:
        extra["message"] = [None, message.get_visibility_display()]
        if staff and not internal and ticket.first_response_at is None:
            ticket.first_response_at = timezone.now()
        if not staff:
            _caller_answered(ticket)
        refresh_search_text(ticket)
        ticket.save()
    sla_timers.on_change(ticket)
    return message


def _caller_answered(ticket: Ticket) -> None:
    if ticket.status == Status.WAITING_USER:
        ticket.status = Status.IN_PROGRESS
    elif ticket.status == Status.RESOLVED and timezone.now() - ticket.resolved_at <= timedelta(
        days=reopen_days()
    ):
        _apply_status(ticket, Status.IN_PROGRESS)


@transaction.atomic
def attachment_add(
    *, ticket: Ticket, by: Any, via: str, upload: Any, message: Message | None = None
) -> Attachment:
    """Store a file on a case: size limited, type read from the content, saved under a generated name."""
    _ensure_can_write(by, ticket, internal=False)
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}}
        )
    content = upload.read()
    content_type = sniff_content_type(content, upload.name)
    if content_type is None:
        raise ValidationError(
            {"file": _("This kind of file is not accepted. Send PDF, images, text or Office files.")}
        )
    try:
        name = get_valid_filename(upload.name.rsplit("/", 1)[-1])
    except SuspiciousFileOperation:  # nothing usable in the name, e.g. "§§§"
        name = "file"
    # The name's spaces are underscores now: "010203_51213" is masked like "010203 51213".
    name = mask_identity_numbers(name.replace("_", " ")).text.replace(" ", "_")[:200]
    guessed = mimetypes.guess_type(name)[0]
    if guessed and guessed != content_type and not _compatible(guessed, content_type):
        raise ValidationError(
            {
                "file": _("The file's name says %(name)s but its content is %(content)s.")
                % {"name": guessed, "content": content_type}
            }
        )
    attachment = Attachment(
        ticket=ticket,
        organization_id=ticket.organization_id,
        message=message,
        name=name,
        content_type=content_type,
        size=len(content),
        uploaded_by=by,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    attachment.file.save(
        f"{attachment.sha256[:16]}-{timezone.now():%Y%m%d%H%M%S%f}", ContentFile(content), save=False
    )
    attachment.save()
    audit.record(ticket, action=audit.Action.UPDATE, by=by, via=via, changes={"attachment": [None, name]})
    return attachment


def _compatible(guessed: str, sniffed: str) -> bool:
    # Office files are ZIP containers; plain text has many names (.csv, .log …).
    return (sniffed == "application/zip" and "officedocument" in guessed) or (
        sniffed == "text/plain" and guessed.startswith("text/")
    )


@transaction.atomic
def time_entry_add(
    *, ticket: Ticket, by: Any, via: str, minutes: int, note: str = "", work_date: date | None = None
) -> TimeEntry:
    """Log time spent on a case."""
    ensure_can_work(by, ticket)
    if not 0 < minutes <= 24 * 60:
        raise ValidationError({"minutes": _("Give the time in minutes, between 1 and 1440.")})
    entry = TimeEntry(
        ticket=ticket,
        organization_id=ticket.organization_id,
        person=by,
        minutes=minutes,
        note=mask_identity_numbers(note.strip()).text,
        work_date=work_date or timezone.localdate(),
    )
    entry.full_clean(exclude=["ticket", "person"])
    entry.save()
    audit.record(
        ticket, action=audit.Action.UPDATE, by=by, via=via, changes={"time": [None, f"{minutes} min"]}
    )
    return entry


@transaction.atomic
def ticket_link(*, ticket: Ticket, other: Ticket, kind: str, by: Any, via: str) -> TicketLink:
    """Relate two cases of the same organization."""
    ensure_can_work(by, ticket)
    _check_relative(ticket, other)
    if kind not in TicketLink.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of link.")})
    link, created = TicketLink.objects.get_or_create(
        source=ticket, target=other, kind=kind, defaults={"created_by": by}
    )
    if created:
        audit.record(
            ticket,
            action=audit.Action.UPDATE,
            by=by,
            via=via,
            changes={"link": [None, f"{link.get_kind_display()} #{other.pk}"]},
        )
    return link


@transaction.atomic
def ticket_merge(*, duplicate: Ticket, into: Ticket, by: Any, via: str) -> Ticket:
    """Merge a duplicate into another case: its messages, files and time move; it closes with a pointer."""
    ensure_can_work(by, duplicate)
    ensure_can_work(by, into)
    _check_relative(duplicate, into)
    if duplicate.merged_into_id or into.merged_into_id:
        raise ValidationError(_("One of the cases is already merged."))
    if into.status == Status.CLOSED:
        raise ValidationError(_("Merge into an open case."))
    moved = {
        "messages": Message.objects.filter(ticket=duplicate).update(ticket=into),
        "attachments": Attachment.objects.filter(ticket=duplicate).update(ticket=into),
        "time": TimeEntry.objects.filter(ticket=duplicate).update(ticket=into),
    }
    Message.objects.create(
        ticket=into,
        organization_id=into.organization_id,
        author=by,
        visibility=Message.Visibility.INTERNAL,
        channel=TicketChannel.PORTAL,
        body=_("Merged from #%(id)s: %(title)s") % {"id": duplicate.pk, "title": duplicate.title},
    )
    with audit.change(duplicate, by=by, via=via) as extra:
        duplicate.merged_into = into
        _apply_status(duplicate, Status.CLOSED)
        extra["moved"] = [None, moved]
        duplicate.save()
    sla_timers.on_change(duplicate)
    TicketLink.objects.get_or_create(
        source=duplicate, target=into, kind=TicketLink.Kind.DUPLICATE, defaults={"created_by": by}
    )
    audit.record(
        into, action=audit.Action.UPDATE, by=by, via=via, changes={"merged": [None, f"#{duplicate.pk}"]}
    )
    refresh_search_text(into)  # the moved replies are found through the case they joined
    into.save(update_fields=["search_text", "updated_at"])
    return into
