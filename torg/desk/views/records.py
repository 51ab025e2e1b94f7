"""A case's records: links, merging, time entries and the permission-checked download of its files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from torg.core.models import Channel
from torg.core.views.generic import form_errors_from
from torg.core.views.workspace import workspace
from torg.desk.forms import LinkForm, MergeForm, TimeEntryForm
from torg.desk.models import Attachment
from torg.desk.services.conversation import ticket_link, ticket_merge, time_entry_add
from torg.desk.services.tickets import ticket_update
from torg.desk.views.cases import DETAIL_RELATED, case_page, case_url
from torg.desk.views.common import masking_notice, render_desk, visible_ticket


def _refused(form: object, error: Exception) -> None:
    if isinstance(error, ValidationError):
        form_errors_from(form, error)  # type: ignore[arg-type]
    else:
        form.add_error(None, str(error))  # type: ignore[attr-defined]


@workspace
@require_POST
def case_link(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = visible_ticket(request, pk, *DETAIL_RELATED)
    form = LinkForm(request.POST, user=request.user, ticket=ticket)
    if form.is_valid():
        other, kind = form.cleaned_data["other"], form.cleaned_data["kind"]
        try:
            if kind == "parent":
                ticket_update(ticket=ticket, parent=other, by=request.user, via=Channel.PAGE)
            else:
                ticket_link(ticket=ticket, other=other, kind=kind, by=request.user, via=Channel.PAGE)
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
            ticket = visible_ticket(request, pk, *DETAIL_RELATED)
        else:
            messages.success(request, _("The cases are linked."))
            return redirect(case_url(ticket, request, "links"))
    return case_page(request, ticket, status=400, link_form=form)


@workspace
def case_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST merges this case into the other."""
    ticket = visible_ticket(request, pk, *DETAIL_RELATED)
    form = MergeForm(
        request.POST if request.method == "POST" else request.GET, user=request.user, ticket=ticket
    )
    if form.is_valid():
        into = form.cleaned_data["into"]
        if request.method != "POST":
            return render_desk(
                request, "desk/case_merge.html", {"ticket": ticket, "into": into, "form": form}
            )
        try:
            ticket_merge(duplicate=ticket, into=into, by=request.user, via=Channel.PAGE)
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(
                request, _("Case #%(duplicate)s is merged into this case.") % {"duplicate": ticket.pk}
            )
            return redirect("desk:case_detail", into.pk)
    return case_page(request, ticket, status=400, merge_form=form)


@workspace
@require_POST
def case_time(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = visible_ticket(request, pk, *DETAIL_RELATED)
    form = TimeEntryForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            time_entry_add(ticket=ticket, by=request.user, via=Channel.PAGE, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
        else:
            masking_notice(request)
            messages.success(request, _("The time is logged."))
            return redirect(case_url(ticket, request, "time"))
    return case_page(request, ticket, status=400, time_form=form)


@workspace
def attachment_download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A case's file, to those who see the case; always a download, never rendered by the browser."""
    ticket = visible_ticket(request, pk)
    attachment = get_object_or_404(Attachment.objects.filter(ticket=ticket), pk=file_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
