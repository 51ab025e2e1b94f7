"""Queues: the case list with its filters, saved queues, polling and bulk changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from torg.core.models import Channel
from torg.core.pagination import capped_count, keyset_page
from torg.core.views.workspace import workspace
from torg.desk.forms import QUEUES, SORTS, BulkForm, QueueFilterForm, SaveFilterForm, team_members
from torg.desk.models import Ticket
from torg.desk.services.tickets import tickets_bulk_assign, tickets_bulk_transition
from torg.desk.services.workspace import saved_filter_delete, saved_filter_save, saved_filters_for
from torg.desk.views.common import error_text, local_next, masking_notice, render_desk
from torg.desk.views.sla import with_sla_rows

PAGE_SIZE = 50
EQUALS = (
    "priority",
    "kind",
    "channel",
    "team",
    "assignee",
    "organization",
    "department",
    "location",
    "category",
)


def default_queue(user: Any) -> str:
    return "mine" if user.team_ids else "all"


def filter_cases(
    queryset: models.QuerySet, data: dict[str, Any], user: Any, now: datetime | None = None
) -> models.QuerySet:
    """The cases of a queue, narrowed by the filter; a queue other than 'all' holds open cases unless a status
    is chosen. Sorted by SLA deadline, only the cases whose clock runs."""
    queue = data.get("queue") or "all"
    # A list, not a subquery: the planner then knows how few teams these are and walks the age index.
    my_teams = user.team_ids
    if queue == "mine":
        queryset = queryset.filter(assignee=user)
    elif queue == "unassigned":
        queryset = queryset.filter(team__in=my_teams, assignee__isnull=True)
    elif queue == "teams":
        queryset = queryset.filter(team__in=my_teams)
    if data.get("status"):
        queryset = queryset.filter(status__in=data["status"])
    elif queue != "all":
        queryset = queryset.open()
    for name in EQUALS:
        if data.get(name) not in (None, ""):
            queryset = queryset.filter(**{name: data[name]})
    if data.get("older_than"):
        queryset = queryset.filter(created_at__lt=timezone.now() - timedelta(days=data["older_than"]))
    if data.get("sla"):
        queryset = queryset.sla(data["sla"], now or timezone.now())
    if data.get("sort") == "due":
        queryset = queryset.sla_running()
    if data.get("text"):
        queryset = queryset.search(data["text"])
    return queryset


@workspace
def case_list(request: HttpRequest) -> HttpResponse:
    user, now = request.user, timezone.now()
    form = QueueFilterForm(request.GET, user=user)
    queryset = Ticket.objects.visible_to(user).for_list()
    if form.is_valid():
        data = form.cleaned_data
        data["queue"] = data["queue"] or default_queue(user)
        queryset = filter_cases(queryset, data, user, now)
    else:
        data = {"queue": request.GET.get("queue", ""), "sort": ""}
        queryset = queryset.none()
    ordering = SORTS.get(data.get("sort") or "created", SORTS["created"])[1]
    try:
        page = keyset_page(
            queryset, ordering, request.GET.get("cursor"), PAGE_SIZE, rows=Ticket.objects.for_list()
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        page = keyset_page(queryset, ordering, None, PAGE_SIZE, rows=Ticket.objects.for_list())
    with_sla_rows(page.items, now)
    count, more = capped_count(queryset)
    query = request.GET.copy()
    for name in ("cursor", "poll", "q"):
        query.pop(name, None)
    current = form.query() if form.is_valid() else ""
    shown = f"{count}{'+' if more else ''}"
    context = {
        "form": form,
        "page": page,
        "count": count,
        "more": more,
        "query": query.urlencode(),
        "first_page": bool(request.GET.get("cursor")),
        "queue": data["queue"],
        "current": current,
        # A poll announces the count only when it changed, so a screen reader is not told the same every 30 s.
        "announce": request.GET.get("poll") != shown,
        "shown": shown,
        "poll_query": _with_cursor(current, request.GET.get("cursor")),
    }
    if request.htmx:
        return _vary(render_desk(request, "desk/_case_rows.html", context))
    saved = list(saved_filters_for(user).select_related("team"))
    context |= {
        "queues": [(key, label, f"queue={key}") for key, label in QUEUES],
        "saved_filters": saved,
        "current_saved": next((s for s in saved if s.query == current), None),
        "search_here": True,
        "bulk_form": BulkForm(prefix="bulk", user=user),
        "save_form": SaveFilterForm(user=user),
    }
    return _vary(render_desk(request, "desk/case_list.html", context))


def _vary(response: HttpResponse) -> HttpResponse:
    # One URL answers with the rows (HTMX) or the whole page: the browser's cache must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _with_cursor(query: str, cursor: str | None) -> str:
    return f"{query}{'&' if query else ''}cursor={cursor}" if cursor else query


@workspace
@require_POST
def case_bulk(request: HttpRequest) -> HttpResponse:
    """Assign or change the status of the ticked cases: all of them, or none."""
    back = local_next(request, reverse("desk:case_list"))
    form = BulkForm(request.POST, prefix="bulk", user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    ids = form.cleaned_data["tickets"]
    tickets = list(Ticket.objects.visible_to(request.user).filter(pk__in=ids).order_by("pk"))
    if len(tickets) != len(ids):
        raise Http404
    data = form.cleaned_data
    try:
        if data["action"] == "status":
            if not data["status"]:
                raise ValidationError(_("Choose the new status."))
            tickets_bulk_transition(tickets=tickets, status=data["status"], by=request.user, via=Channel.PAGE)
        else:
            tickets_bulk_assign(
                tickets=tickets,
                team=data["team"],
                assignee=data["assignee"],
                reason=data["reason"],
                by=request.user,
                via=Channel.PAGE,
            )
    except (ValidationError, PermissionDenied) as error:
        text = error_text(error) if isinstance(error, ValidationError) else str(error)
        messages.error(request, _("Nothing was changed. %(error)s") % {"error": text})
    else:
        masking_notice(request)
        messages.success(
            request,
            ngettext("%(count)d case changed.", "%(count)d cases changed.", len(tickets))
            % {"count": len(tickets)},
        )
    return redirect(back)


@workspace
def team_agents(request: HttpRequest) -> HttpResponse:
    """The options of an agent select: the members of the chosen team."""
    team_id = request.GET.get("team") or request.GET.get("bulk-team") or ""
    return render(request, "desk/_agent_options.html", {"members": team_members(request.user, team_id)})


@workspace
@require_POST
def queue_save(request: HttpRequest) -> HttpResponse:
    form = SaveFilterForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(local_next(request, reverse("desk:case_list")))
    try:
        saved = saved_filter_save(by=request.user, via=Channel.PAGE, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(local_next(request, reverse("desk:case_list")))
    messages.success(request, _("The queue “%(name)s” is saved.") % {"name": saved.name})
    return redirect(f"{reverse('desk:case_list')}?{saved.query}")


@workspace
@require_POST
def queue_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(saved_filters_for(request.user), pk=pk)
    try:
        saved_filter_delete(saved_filter=saved, by=request.user, via=Channel.PAGE)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The queue “%(name)s” is deleted.") % {"name": saved.name})
    return redirect("desk:case_list")
