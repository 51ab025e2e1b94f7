"""Schemas of the cases API: ids and {id, name} references out, ids in; text comes back as it was stored."""

# No `from __future__ import annotations` here: ninja's PatchDict re-reads these annotations at run time.

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from ninja import Field, FilterSchema, Schema
from ninja.filter_schema import FilterLookup
from pydantic import field_validator

from torg.core.schemas import MAX_ID, ActorOut, Id, Search, Text
from torg.desk.models import OPEN_STATUSES, Attachment, Kind, Message, Status, TicketChannel, TicketLink
from torg.desk.querysets import SLA_FILTERS
from torg.sla.models import TimerState

# Choices as literals of their values, as in the core schemas.
KindValue = Literal[tuple(Kind.values)]
StatusValue = Literal[tuple(Status.values)]
ChannelValue = Literal[tuple(TicketChannel.values)]
LinkKind = Literal[tuple(TicketLink.Kind.values)]
LevelValue = Annotated[int, Field(ge=1, le=3, description="1 high, 2 medium, 3 low.")]
PriorityValue = Annotated[int, Field(ge=1, le=4, description="1 critical, 2 high, 3 normal, 4 low.")]
# Bounds of the request; the model's own limits (a title of 200) answer 400 in the user's language.
Description = Annotated[str, Field(max_length=20_000)]
Body = Annotated[str, Field(max_length=50_000)]
MASKED = "Whether identity numbers (fødselsnummer, D-number) in the text were masked before it was stored."


# Output.


class NamedRef(Schema):
    id: int
    name: str


class SlaOut(Schema):
    """A case's SLA clocks: the agreement that covers it, why, the state now and the deadlines."""

    state: Literal[tuple(TimerState.values)] = Field(
        description="on_track, at_risk (past 75 % of a target), breached (a deadline passed; stays so "
        "after a pause or the resolve), paused (waiting for the caller or a supplier), met (resolved in "
        "time), none (the agreement has no target for the case's priority)."
    )
    agreement: NamedRef
    reason: str = Field(description="Why this agreement covers the case.")
    response_due: datetime | None
    response_met_at: datetime | None
    resolution_due: datetime | None = Field(description="Null while the resolution clock is paused.")
    paused_at: datetime | None
    due: datetime | None = Field(
        description="The nearest deadline of a clock still running; null when none runs."
    )


class CaseListOut(Schema):
    """A row of the list: only what `Ticket.objects.for_list()` loads."""

    id: int
    title: str
    kind: KindValue
    status: StatusValue
    priority: int
    channel: ChannelValue
    organization: NamedRef
    caller: ActorOut
    team: NamedRef | None
    assignee: ActorOut | None
    category: NamedRef | None
    created_at: datetime
    updated_at: datetime
    sla: SlaOut | None = Field(description="Null when no agreement covers the case.")

    @staticmethod
    def resolve_sla(ticket: Any) -> dict[str, Any] | None:
        # The clocks come with the case (select_related); a case without them has no row to read.
        timer = getattr(ticket, "sla", None)
        if timer is None or timer.agreement_id is None:
            return None
        return {
            "state": timer.state(timezone.now()),
            "agreement": timer.agreement,
            "reason": timer.reason,
            "response_due": timer.response_due,
            "response_met_at": timer.response_met_at,
            "resolution_due": None if timer.paused_at is not None else timer.resolution_due,
            "paused_at": timer.paused_at,
            "due": ticket.sla_due,
        }


class CaseOut(CaseListOut):
    description: str
    impact: int
    urgency: int
    priority_reason: str
    department: NamedRef | None
    location: NamedRef | None
    received_by: NamedRef | None
    transferred: bool
    first_line_resolved: bool
    parent: int | None = Field(validation_alias="parent_id")
    merged_into: int | None = Field(validation_alias="merged_into_id")
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    reopen_count: int
    created_by: ActorOut | None


class CaseWrittenOut(CaseOut):
    identity_numbers_masked: bool = Field(False, description=MASKED)


class CasesOut(Schema):
    """The cases a bulk change changed, in the order of the request."""

    items: list[CaseListOut]


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    message: int | None = Field(validation_alias="message_id")
    uploaded_by: ActorOut | None
    created_at: datetime
    download_url: str

    @staticmethod
    def resolve_download_url(attachment: Attachment) -> str:
        return reverse(
            "api:download_case_attachment",
            kwargs={"ticket_id": attachment.ticket_id, "attachment_id": attachment.pk},
        )


class AttachmentWrittenOut(AttachmentOut):
    identity_numbers_masked: bool = Field(False, description=MASKED)


class MessageOut(Schema):
    id: int
    visibility: Literal[tuple(Message.Visibility.values)] = Field(
        description="public: a reply the caller sees; internal: a note for the agents."
    )
    body: str
    author: ActorOut | None
    channel: ChannelValue
    created_at: datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(message: Message) -> list[Attachment]:
        return list(message.attachments.all())


class MessageWrittenOut(MessageOut):
    identity_numbers_masked: bool = Field(False, description=MASKED)


class TimeEntryOut(Schema):
    id: int
    person: ActorOut
    minutes: int
    note: str
    work_date: date
    created_at: datetime
    identity_numbers_masked: bool = Field(False, description=MASKED)


class LinkOut(Schema):
    id: int
    source: int = Field(validation_alias="source_id")
    target: int = Field(validation_alias="target_id")
    kind: LinkKind
    created_at: datetime


class CategoryOut(Schema):
    id: int
    organization: int = Field(validation_alias="organization_id")
    name: str
    parent: int | None = Field(validation_alias="parent_id")
    default_team: int | None = Field(validation_alias="default_team_id")
    is_active: bool


# Input. Ids of other records are looked up through what the caller may see.


class CaseFields(Schema):
    title: Text
    description: Description = ""
    kind: KindValue = Kind.INCIDENT.value
    category: Id | None = None
    impact: LevelValue = 3
    urgency: LevelValue = 2
    priority: PriorityValue | None = Field(
        None, description="Left out, the priority follows impact × urgency; another needs a priority_reason."
    )
    priority_reason: Text = ""

    # A PATCH may leave these out, but not set them to null.
    @field_validator("title", "description", "kind", "impact", "urgency", "priority_reason")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("This field cannot be null.")
        return value


class CaseIn(CaseFields):
    caller: Id | None = Field(None, description="Who the case is for; yourself when left out.")
    channel: ChannelValue = TicketChannel.API.value
    team: Id | None = Field(None, description="Left out, the category's team or your own.")
    assignee: Id | None = None


class CasePatch(CaseFields):
    department: Id | None = None
    location: Id | None = None
    parent: Id | None = None


class AssignIn(Schema):
    team: Id | None = Field(None, description="Left out, the case stays with its team; null takes it off.")
    assignee: Id | None = None
    reason: Text = Field("", description="Needed when the case goes to another team.")


class TransitionIn(Schema):
    status: StatusValue


Ids = Annotated[list[Id], Field(min_length=1, max_length=200)]


class BulkAssignIn(Schema):
    ids: Ids
    team: Id | None
    assignee: Id | None = None
    reason: Text = ""


class BulkTransitionIn(Schema):
    ids: Ids
    status: StatusValue


class MessageIn(Schema):
    body: Body


class TimeEntryIn(Schema):
    minutes: int = Field(description="Between 1 and 1440.")
    note: Text = ""
    work_date: date | None = Field(None, description="Today when left out.")


class LinkIn(Schema):
    other: Id
    kind: LinkKind = TicketLink.Kind.RELATED.value


class MergeIn(Schema):
    into: Id = Field(description="The case that stays; this one closes, pointing to it.")


# Filters of the lists.


class CaseFilter(FilterSchema):
    status: Annotated[list[StatusValue] | None, FilterLookup("status__in")] = Field(
        None, max_length=len(Status.values), description="Repeat for several."
    )
    open: bool | None = Field(None, description="Only open (true) or only resolved and closed (false).")
    priority: PriorityValue | None = None
    kind: KindValue | None = None
    channel: ChannelValue | None = None
    team: Annotated[Id | None, FilterLookup("team_id")] = None
    assignee: Annotated[str | None, Field(pattern=r"^(me|none|[1-9][0-9]{0,18})$")] = Field(
        None, description='An agent\'s id, "me" or "none" (unassigned).'
    )
    organization: Annotated[Id | None, FilterLookup("organization_id")] = None
    department: Annotated[Id | None, FilterLookup("department_id")] = None
    location: Annotated[Id | None, FilterLookup("location_id")] = None
    category: Annotated[Id | None, FilterLookup("category_id")] = None
    created_after: Annotated[datetime | None, FilterLookup("created_at__gte")] = None
    created_before: Annotated[datetime | None, FilterLookup("created_at__lt")] = None
    text: Search = Field(None, description="Words of the title or description, or a case number (#123).")
    sla: Literal[SLA_FILTERS] | None = Field(
        None,
        description="soon: a running SLA clock breaks within the next hour; breached: a deadline has passed "
        "and the clock still runs.",
    )

    def filter_open(self, value: bool) -> Q:
        return Q(status__in=OPEN_STATUSES) if value else ~Q(status__in=OPEN_STATUSES)

    # "me" needs the user, the text is a search and the SLA filter reads the clock: `apply` does them.
    def filter_assignee(self, value: str) -> Q:
        return Q()

    def filter_text(self, value: str) -> Q:
        return Q()

    def filter_sla(self, value: str) -> Q:
        return Q()

    def apply(self, cases: Any, user: Any) -> Any:
        cases = self.filter(cases)
        if self.assignee == "me":
            cases = cases.filter(assignee_id=user.pk)
        elif self.assignee == "none":
            cases = cases.filter(assignee__isnull=True)
        elif self.assignee:
            cases = cases.filter(assignee_id=min(int(self.assignee), MAX_ID))
        if self.sla:
            cases = cases.sla(self.sla, timezone.now())
        return cases.search(self.text) if self.text and self.text.strip() else cases


class CategoryFilter(FilterSchema):
    search: Annotated[Search, FilterLookup("name__icontains")] = None
    parent: Annotated[Id | None, FilterLookup("parent_id")] = None
    active: Annotated[bool | None, FilterLookup("is_active")] = None
