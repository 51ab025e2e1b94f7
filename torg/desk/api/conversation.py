"""A case's conversation and records: replies, internal notes, attachments and time."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations at run time.

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Router, Status, UploadedFile
from ninja.pagination import paginate

from torg.core.api.common import KeysetPagination
from torg.core.models import Channel
from torg.desk.api.cases import get_case
from torg.desk.masking import contains_identity_number
from torg.desk.models import Attachment, Message, Ticket, TicketChannel
from torg.desk.schemas import (
    AttachmentOut,
    AttachmentWrittenOut,
    MessageIn,
    MessageOut,
    MessageWrittenOut,
    TimeEntryIn,
    TimeEntryOut,
)
from torg.desk.services import conversation as services
from torg.desk.services.tickets import ensure_can_work, is_staff_for

router = Router(tags=["cases"])

PUBLIC = Message.Visibility.PUBLIC


def _attachments(request: HttpRequest, ticket: Ticket) -> QuerySet[Attachment]:
    """The case's files; a caller does not get those of internal notes."""
    attachments = ticket.attachments.select_related("uploaded_by")
    if is_staff_for(request.auth, ticket):
        return attachments
    return attachments.filter(Q(message__isnull=True) | Q(message__visibility=PUBLIC))


def _write(request: HttpRequest, ticket_id: int, payload: MessageIn, internal: bool) -> Message:
    message = services.ticket_reply(
        ticket=get_case(request, ticket_id), by=request.auth, via=Channel.API, body=payload.body,
        internal=internal, channel=TicketChannel.API,
    )  # fmt: skip
    message.identity_numbers_masked = contains_identity_number(payload.body)  # type: ignore[attr-defined]
    return message


@router.get("/{ticket_id}/messages", response=list[MessageOut])
@paginate(KeysetPagination, ordering=("created_at", "id"))
def list_case_messages(request: HttpRequest, ticket_id: int) -> Any:
    """The conversation, oldest first: replies, and for the case's agents the internal notes too."""
    ticket = get_case(request, ticket_id)
    files = Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by"))
    messages = ticket.messages.select_related("author").prefetch_related(files)
    return messages if is_staff_for(request.auth, ticket) else messages.filter(visibility=PUBLIC)


@router.post("/{ticket_id}/replies", response={201: MessageWrittenOut})
def reply_to_case(request: HttpRequest, ticket_id: int, payload: MessageIn) -> Status:
    """A public reply: the caller sees it (and may write one on their own case)."""
    return Status(201, _write(request, ticket_id, payload, internal=False))


@router.post("/{ticket_id}/notes", response={201: MessageWrittenOut})
def add_case_note(request: HttpRequest, ticket_id: int, payload: MessageIn) -> Status:
    """An internal note: only the agents of the case see it."""
    return Status(201, _write(request, ticket_id, payload, internal=True))


@router.get("/{ticket_id}/attachments", response=list[AttachmentOut])
@paginate(KeysetPagination, ordering=("created_at", "id"))
def list_case_attachments(request: HttpRequest, ticket_id: int) -> Any:
    return _attachments(request, get_case(request, ticket_id))


@router.post("/{ticket_id}/attachments", response={201: AttachmentWrittenOut})
def upload_case_attachment(request: HttpRequest, ticket_id: int, file: File[UploadedFile]) -> Status:
    """Add a file (multipart, field `file`): PDF, images, text or Office files, its kind read from its content."""
    attachment = services.attachment_add(
        ticket=get_case(request, ticket_id), by=request.auth, via=Channel.API, upload=file
    )
    attachment.identity_numbers_masked = contains_identity_number(file.name or "")  # type: ignore[attr-defined]
    return Status(201, attachment)


@router.get(
    "/{ticket_id}/attachments/{attachment_id}/download",
    url_name="download_case_attachment",
    openapi_extra={
        "responses": {200: {"description": "The file", "content": {"application/octet-stream": {}}}}
    },
)
def download_case_attachment(request: HttpRequest, ticket_id: int, attachment_id: int) -> FileResponse:
    """The file, always as a download and never run by the browser, whatever it holds."""
    attachment = get_object_or_404(_attachments(request, get_case(request, ticket_id)), pk=attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,  # RFC 6266: filename*=utf-8''… when it is not ASCII
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"  # personal data: no shared cache keeps a copy
    return response


@router.get("/{ticket_id}/time", response=list[TimeEntryOut])
@paginate(KeysetPagination, ordering=("-work_date", "-id"))
def list_case_time(request: HttpRequest, ticket_id: int) -> Any:
    """Time logged on the case, for its agents."""
    ticket = get_case(request, ticket_id)
    ensure_can_work(request.auth, ticket)
    return ticket.time_entries.select_related("person")


@router.post("/{ticket_id}/time", response={201: TimeEntryOut})
def log_case_time(request: HttpRequest, ticket_id: int, payload: TimeEntryIn) -> Status:
    entry = services.time_entry_add(
        ticket=get_case(request, ticket_id), by=request.auth, via=Channel.API, **payload.dict()
    )
    entry.identity_numbers_masked = contains_identity_number(payload.note or "")  # type: ignore[attr-defined]
    return Status(201, entry)
