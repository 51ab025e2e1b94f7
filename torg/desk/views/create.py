"""The phone-call flow: find the caller, describe the case, register it (and perhaps resolve it at once)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from torg.core.models import Channel, Person
from torg.core.views.generic import form_errors_from
from torg.core.views.workspace import workspace
from torg.desk.forms import CaseCreateForm
from torg.desk.models import Status
from torg.desk.services.tickets import ticket_create, ticket_transition
from torg.desk.views.common import masking_notice, render_desk


def _caller(request: HttpRequest, value: object) -> Person | None:
    if not str(value or "").isdigit():
        return None
    return Person.objects.visible_to(request.user).with_directory().filter(pk=int(str(value))).first()


@workspace
def case_create(request: HttpRequest) -> HttpResponse:
    form = CaseCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        resolve = request.POST.get("action") == "resolve"
        try:
            # Registered and resolved together, or not at all.
            with transaction.atomic():
                ticket = ticket_create(by=request.user, via=Channel.PAGE, **form.cleaned_data)
                if resolve:
                    ticket = ticket_transition(
                        ticket=ticket, status=Status.RESOLVED, by=request.user, via=Channel.PAGE
                    )
        except ValidationError as error:
            form_errors_from(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            masking_notice(request)
            if resolve:
                messages.success(request, _("Case #%(id)s is registered and resolved.") % {"id": ticket.pk})
            else:
                messages.success(request, _("Case #%(id)s is registered.") % {"id": ticket.pk})
            return redirect("desk:case_detail", ticket.pk)
    caller = _caller(request, form["caller"].value())
    return render_desk(
        request, "desk/case_create.html", {"form": form, "caller": caller}, status=400 if form.errors else 200
    )


@workspace
def caller_info(request: HttpRequest) -> HttpResponse:
    """The chosen caller's organization, department and location, shown as soon as they are picked."""
    return render_desk(request, "desk/_caller.html", {"caller": _caller(request, request.GET.get("caller"))})
