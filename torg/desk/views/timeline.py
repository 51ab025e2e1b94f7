"""A case's timeline: its messages, files and recorded changes, merged in time order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from torg.core.models import AuditEntry
from torg.desk.models import Attachment, Message, Ticket

LIMIT = 1000  # of each kind; a case with more is a mailing loop, not a conversation
# Changes that the timeline shows as a message or a file already.
SHOWN_ELSEWHERE = {"message", "attachment", "first_response_at"}


@dataclass(frozen=True)
class Event:
    at: datetime
    rank: int  # a message goes before the change it caused
    kind: str  # "message", "file" or "change"
    item: Any


def timeline(ticket: Ticket, user: Any, *, newest_first: bool) -> list[Event]:
    """The case's events in a constant number of queries, however long the case."""
    messages = (
        Message.objects.filter(ticket=ticket)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "id")[:LIMIT]
    )
    files = (
        Attachment.objects.filter(ticket=ticket, message__isnull=True)
        .select_related("uploaded_by")
        .order_by("created_at", "id")[:LIMIT]
    )
    changes = (
        AuditEntry.objects.visible_to(user)
        .for_object(ticket)
        .select_related("actor", "content_type")
        .order_by("created_at", "id")[:LIMIT]
    )
    events = [Event(m.created_at, 0, "message", m) for m in messages]
    events += [Event(f.created_at, 1, "file", f) for f in files]
    events += [Event(e.created_at, 2, "change", e) for e in changes if not set(e.changes) <= SHOWN_ELSEWHERE]
    events.sort(key=lambda e: (e.at, e.rank, e.item.pk), reverse=newest_first)
    return events
