"""Cases: the list and its filters, create, change, assign, move through the workflow, link, merge, history."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations at run time.

from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Header, PatchDict, Query, Router, Status
from ninja.pagination import paginate

from torg.core.api.common import KeysetPagination, history, resolve
from torg.core.models import Channel, Department, Location, Person, Team
from torg.core.pagination import keyset_page
from torg.core.schemas import AuditEntryOut
from torg.desk.masking import contains_identity_number
from torg.desk.models import Category, IdempotencyKey, Ticket
from torg.desk.schemas import (
    AssignIn,
    BulkAssignIn,
    BulkTransitionIn,
    CaseFilter,
    CaseIn,
    CaseListOut,
    CaseOut,
    CasePatch,
    CasesOut,
    CaseWrittenOut,
    LinkIn,
    LinkOut,
    MergeIn,
    TransitionIn,
)
from torg.desk.services import conversation, tickets

router = Router(tags=["cases"])

# Every ordering ends in the id, so the keyset is unique.
SORTS: dict[str, tuple[str, ...]] = {
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
    "-updated": ("-updated_at", "-id"),
    "updated": ("updated_at", "id"),
    "priority": ("priority", "-created_at", "-id"),
    "-priority": ("-priority", "-created_at", "-id"),
}
# Sorts that narrow the list too: by deadline only the cases whose clock runs, as on the page. NULLs sort
# differently on the two databases, and the partial index (sla_due, id) holds exactly these rows.
DUE_SORTS: dict[str, tuple[str, ...]] = {"due": ("sla_due", "id")}
DETAIL = ("organization", "caller", "team", "assignee", "category", "department", "location",
          "received_by", "created_by", "sla__agreement")  # fmt: skip


class CasePagination(KeysetPagination):
    """Keyset pages in the order the client chose."""

    class Input(KeysetPagination.Input):
        sort: Literal[tuple(SORTS) + tuple(DUE_SORTS)] = Field(
            "-created",
            description="created or updated (with '-': newest first), priority (most urgent first, "
            "with '-': least), due (the next SLA deadline first; only the cases whose SLA clock runs). "
            "A cursor belongs to the order it was made in.",
        )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(ordering=SORTS["-created"], **kwargs)

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        if pagination.sort in DUE_SORTS:
            queryset = queryset.sla_running()
        ordering = SORTS.get(pagination.sort) or DUE_SORTS[pagination.sort]
        page = keyset_page(
            queryset, ordering, pagination.cursor, pagination.limit, rows=Ticket.objects.for_list()
        )
        return {"items": page.items, "next_cursor": page.next_cursor}


def visible(request: HttpRequest) -> Any:
    return Ticket.objects.visible_to(request.auth)


def get_case(request: HttpRequest, ticket_id: int) -> Ticket:
    """The case, if the caller may see it; 404 as if missing otherwise."""
    return get_object_or_404(visible(request), pk=ticket_id)


def _detail(request: HttpRequest, ticket_id: int, *texts: str | None) -> Ticket:
    ticket = get_object_or_404(visible(request).select_related(*DETAIL), pk=ticket_id)
    # The writer is told why the stored text differs from what was sent.
    ticket.identity_numbers_masked = any(contains_identity_number(text) for text in texts if text)  # type: ignore[attr-defined]
    return ticket


def _items(request: HttpRequest, changed: list[Ticket]) -> dict[str, Any]:
    rows = visible(request).for_list().in_bulk([ticket.pk for ticket in changed])
    return {"items": [rows[ticket.pk] for ticket in changed if ticket.pk in rows]}


@router.get("/", response=list[CaseListOut])
@paginate(CasePagination)
def list_cases(request: HttpRequest, filters: Query[CaseFilter]) -> Any:
    """The cases the caller may see: an agent those of the organizations their teams serve, an employee their own."""
    return filters.apply(visible(request).for_list(), request.auth)


@router.post("/bulk/assign", response=CasesOut)
def bulk_assign_cases(request: HttpRequest, payload: BulkAssignIn) -> dict[str, Any]:
    """Give many cases to one team and agent: all or none."""
    data = resolve(request.auth, payload.dict(), ids=Ticket, team=Team, assignee=Person)
    changed = tickets.tickets_bulk_assign(tickets=data.pop("ids"), by=request.auth, via=Channel.API, **data)
    return _items(request, changed)


@router.post("/bulk/transition", response=CasesOut)
def bulk_transition_cases(request: HttpRequest, payload: BulkTransitionIn) -> dict[str, Any]:
    """Move many cases to one status: all or none."""
    data = resolve(request.auth, payload.dict(), ids=Ticket)
    changed = tickets.tickets_bulk_transition(
        tickets=data["ids"], status=payload.status, by=request.auth, via=Channel.API
    )
    return _items(request, changed)


@router.post("/", response={200: CaseWrittenOut, 201: CaseWrittenOut})
def create_case(
    request: HttpRequest,
    payload: CaseIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=100,
        description="Send the same key again (a retry) and get the same case back, with 200 instead of 201.",
    ),
) -> Status:
    """Register a case: 201 with the new case; 200 with the earlier one when the Idempotency-Key was used before."""
    data = payload.dict() | {"caller": payload.caller or request.auth.pk}
    data = resolve(request.auth, data, caller=Person, category=Category, team=Team, assignee=Person)
    key = (idempotency_key or "").strip()
    # Only to answer 200 rather than 201; the service decides what a key means.
    seen = bool(key) and IdempotencyKey.objects.filter(person=request.auth, key=key).exists()
    ticket = tickets.ticket_create(by=request.auth, via=Channel.API, idempotency_key=key, **data)
    return Status(
        200 if seen else 201,
        _detail(request, ticket.pk, payload.title, payload.description, payload.priority_reason),
    )


@router.get("/{ticket_id}", response=CaseOut)
def get_case_detail(request: HttpRequest, ticket_id: int) -> Ticket:
    return _detail(request, ticket_id)


@router.patch("/{ticket_id}", response=CaseWrittenOut)
def update_case(request: HttpRequest, ticket_id: int, payload: PatchDict[CasePatch]) -> Ticket:
    """Change fields; the priority follows impact × urgency unless set with a priority_reason."""
    ticket = get_case(request, ticket_id)
    data = resolve(
        request.auth, payload, category=Category, department=Department, location=Location, parent=Ticket
    )
    tickets.ticket_update(ticket=ticket, by=request.auth, via=Channel.API, **data)
    return _detail(
        request, ticket_id, payload.get("title"), payload.get("description"), payload.get("priority_reason")
    )


@router.post("/{ticket_id}/assign", response=CaseWrittenOut)
def assign_case(request: HttpRequest, ticket_id: int, payload: AssignIn) -> Ticket:
    """Give the case to a team and (optionally) one of its agents; another team needs a reason."""
    ticket = get_case(request, ticket_id)
    data = resolve(request.auth, payload.dict(), team=Team, assignee=Person)
    if "team" not in payload.model_fields_set:
        data["team"] = ticket.team
    tickets.ticket_assign(ticket=ticket, by=request.auth, via=Channel.API, **data)
    return _detail(request, ticket_id, payload.reason)


@router.post("/{ticket_id}/transition", response=CaseOut)
def transition_case(request: HttpRequest, ticket_id: int, payload: TransitionIn) -> Ticket:
    """Move the case along the workflow (new → in progress → waiting → resolved → closed) or reopen it."""
    tickets.ticket_transition(
        ticket=get_case(request, ticket_id), status=payload.status, by=request.auth, via=Channel.API
    )
    return _detail(request, ticket_id)


@router.post("/{ticket_id}/links", response={201: LinkOut})
def link_case(request: HttpRequest, ticket_id: int, payload: LinkIn) -> Status:
    """Relate the case to another of the same organization; linking twice answers with the same link."""
    ticket = get_case(request, ticket_id)
    data = resolve(request.auth, payload.dict(), other=Ticket)
    link = conversation.ticket_link(ticket=ticket, by=request.auth, via=Channel.API, **data)
    return Status(201, link)


@router.post("/{ticket_id}/merge", response=CaseOut)
def merge_case(request: HttpRequest, ticket_id: int, payload: MergeIn) -> Ticket:
    """Merge this case (a duplicate) into another: its conversation moves there and it closes. Answers the other."""
    duplicate = get_case(request, ticket_id)
    into = resolve(request.auth, payload.dict(), into=Ticket)["into"]
    conversation.ticket_merge(duplicate=duplicate, into=into, by=request.auth, via=Channel.API)
    return _detail(request, into.pk)


@router.get("/{ticket_id}/history", response=list[AuditEntryOut])
@paginate(KeysetPagination, ordering=("-id",))
def case_history(request: HttpRequest, ticket_id: int) -> Any:
    return history(request.auth, get_case(request, ticket_id))
