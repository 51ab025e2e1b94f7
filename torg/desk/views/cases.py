"""The case page and what an agent does on it: change the status, assign, reply, write notes, edit fields."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from torg.core.models import Channel
from torg.core.views.generic import form_errors_from
from torg.core.views.workspace import workspace
from torg.desk.forms import (
    AssignForm,
    CannedChoiceForm,
    CaseEditForm,
    LinkForm,
    MergeForm,
    ReplyForm,
    TimeEntryForm,
    TransitionForm,
)
from torg.desk.models import Status, Ticket
from torg.desk.services.conversation import ticket_reply
from torg.desk.services.priority import priority_for
from torg.desk.services.tickets import EDITABLE, TRANSITIONS, ticket_assign, ticket_transition, ticket_update
from torg.desk.services.workspace import canned_answer_render, canned_answers_for
from torg.desk.views.common import masking_notice, render_desk, visible_ticket
from torg.desk.views.sla import sla_detail
from torg.desk.views.timeline import timeline

DETAIL_RELATED = (
    "organization",
    "caller__organization",
    "caller__department",
    "caller__location",
    "department",
    "location",
    "category__parent",
    "team",
    "assignee",
    "received_by",
    "parent",
    "merged_into",
    "sla__agreement",
)


def order_of(request: HttpRequest) -> str:
    """The timeline's order, carried in the query string (and in every form of the page)."""
    value = request.POST.get("order") if request.method == "POST" else request.GET.get("order")
    return "newest" if value == "newest" else "oldest"


def case_url(ticket: Ticket, request: HttpRequest, anchor: str = "") -> str:
    url = reverse("desk:case_detail", args=[ticket.pk])
    if order_of(request) == "newest":
        url += "?order=newest"
    return url + (f"#{anchor}" if anchor else "")


def transitions(ticket: Ticket) -> list[tuple[str, str]]:
    """The statuses the case may go to next, in the workflow's order, with the button's words."""
    allowed = TRANSITIONS.get(ticket.status, set())
    buttons = []
    for status in Status:
        if status in allowed:
            reopen = ticket.status == Status.RESOLVED and status == Status.IN_PROGRESS
            buttons.append((status.value, _("Reopen") if reopen else str(status.label)))
    return buttons


def case_page(request: HttpRequest, ticket: Ticket, *, status: int = 200, **forms: Any) -> HttpResponse:
    """Draw the case page; forms given (bound, with errors) replace the empty ones."""
    user = request.user
    answers = canned_answers_for(user, ticket)
    reply_initial = {"body": request.GET.get("body", "")}
    answer_id = request.GET.get("answer", "") if request.method == "GET" else ""
    if answer_id.isdigit() and (chosen := answers.filter(pk=int(answer_id)).first()):
        reply_initial["body"] = _joined(
            reply_initial["body"], canned_answer_render(chosen, ticket, agent=user)
        )
    defaults = {
        "reply_form": lambda: ReplyForm(user=user, initial=reply_initial),
        "canned_form": lambda: CannedChoiceForm(user=user, answers=answers),
        "assign_form": lambda: AssignForm(
            user=user,
            organization_id=ticket.organization_id,
            initial={"team": ticket.team_id, "assignee": ticket.assignee_id},
        ),
        "link_form": lambda: LinkForm(user=user, ticket=ticket),
        "merge_form": lambda: MergeForm(user=user, ticket=ticket),
        "time_form": lambda: TimeEntryForm(user=user),
    }
    for name, make in defaults.items():
        forms.setdefault(name, make())
    time_entries = list(ticket.time_entries.select_related("person"))
    order = order_of(request)
    context = {
        "ticket": ticket,
        "caller": ticket.caller,
        "order": order,
        "events": timeline(ticket, user, newest_first=order == "newest"),
        "transitions": transitions(ticket),
        "sla": sla_detail(ticket, user, timezone.now()),
        "time_entries": time_entries,
        "time_total": sum(entry.minutes for entry in time_entries),
        "links_out": list(ticket.links_out.select_related("target")),
        "links_in": list(ticket.links_in.select_related("source")),
        "children": list(Ticket.objects.visible_to(user).filter(parent=ticket).only("id", "title", "status")),
        "on_team": ticket.team_id is not None and user.teams.filter(pk=ticket.team_id).exists(),
        **forms,
    }
    return render_desk(request, "desk/case_detail.html", context, status=status)


def _joined(text: str, addition: str) -> str:
    return f"{text.rstrip()}\n\n{addition}" if text.strip() else addition


@workspace
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return case_page(request, visible_ticket(request, pk, *DETAIL_RELATED))


@workspace
@require_POST
def case_status(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = visible_ticket(request, pk, *DETAIL_RELATED)
    form = TransitionForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            ticket_transition(
                ticket=ticket, status=form.cleaned_data["status"], by=request.user, via=Channel.PAGE
            )
        except ValidationError as error:
            form_errors_from(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The status is changed."))
            return redirect(case_url(ticket, request))
    return case_page(
        request, ticket, status=400, status_errors=[e for errs in form.errors.values() for e in errs]
    )


@workspace
@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = visible_ticket(request, pk, *DETAIL_RELATED)
    form = AssignForm(request.POST, user=request.user, organization_id=ticket.organization_id)
    if form.is_valid():
        try:
            ticket_assign(ticket=ticket, by=request.user, via=Channel.PAGE, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            masking_notice(request)
            messages.success(request, _("The case is assigned."))
            return redirect(case_url(ticket, request))
    return case_page(request, ticket, status=400, assign_form=form)


@workspace
@require_POST
def case_reply(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = visible_ticket(request, pk, *DETAIL_RELATED)
    form = ReplyForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        internal = form.cleaned_data["visibility"] == "internal"
        try:
            ticket_reply(
                ticket=ticket,
                by=request.user,
                via=Channel.PAGE,
                body=form.cleaned_data["body"],
                internal=internal,
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            masking_notice(request)
            messages.success(request, _("The note is added.") if internal else _("The reply is sent."))
            return redirect(case_url(ticket, request, "timeline"))
    return case_page(request, ticket, status=400, reply_form=form)


@workspace
def case_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a canned answer, filled in for this case, into the reply box."""
    ticket = visible_ticket(request, pk, "caller", "assignee")
    answers = canned_answers_for(request.user, ticket)
    form = CannedChoiceForm(request.GET, user=request.user, answers=answers)
    answer = form.cleaned_data["answer"] if form.is_valid() else None
    body = request.GET.get("body", "")
    if not request.htmx:
        query = {"answer": answer.pk} if answer else {}
        return redirect(
            f"{reverse('desk:case_detail', args=[ticket.pk])}?{urlencode({**query, 'body': body})}#reply"
        )
    if answer is not None:
        body = _joined(body, canned_answer_render(answer, ticket, agent=request.user))
    reply_form = ReplyForm(user=request.user, initial={"body": body})
    return render_desk(request, "desk/_reply_body.html", {"reply_form": reply_form, "answer": answer})


@workspace
def case_update(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = visible_ticket(request, pk, "organization", "department", "location", "category", "parent")
    initial = {name: getattr(ticket, name) for name in EDITABLE}
    initial["priority"] = ticket.priority if ticket.priority_reason else None
    initial["priority_reason"] = ticket.priority_reason
    form = CaseEditForm(request.POST or None, user=request.user, ticket=ticket, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in form.changed_data if name in EDITABLE}
        if {"priority", "priority_reason", "impact", "urgency"} & set(form.changed_data):
            fields |= {
                "impact": data["impact"],
                "urgency": data["urgency"],
                "priority_reason": data["priority_reason"],
            }
            # An emptied override goes back to the matrix: ask for the matrix's own priority.
            provider_id = ticket.organization.provider_id or ticket.organization_id
            fields["priority"] = data["priority"] or priority_for(
                provider_id=provider_id, impact=data["impact"], urgency=data["urgency"]
            )
        try:
            ticket_update(ticket=ticket, by=request.user, via=Channel.PAGE, **fields)
        except ValidationError as error:
            form_errors_from(form, error)
            ticket.refresh_from_db()  # the service may have set fields before it refused
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            masking_notice(request)
            messages.success(request, _("Saved."))
            return redirect("desk:case_detail", ticket.pk)
    return render_desk(
        request, "desk/case_edit.html", {"ticket": ticket, "form": form}, status=400 if form.errors else 200
    )
