"""Pages for importing people and departments from an HR system's CSV export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from torg.core.forms import DsForm
from torg.core.models import Channel, ImportRun, Organization
from torg.core.pagination import keyset_page
from torg.core.permissions import can_manage, ensure_can_manage
from torg.core.services.imports import import_start
from torg.core.views.generic import PAGE_SIZE, form_errors_from
from torg.core.views.workspace import workspace

WAITING = (ImportRun.Status.PENDING, ImportRun.Status.RUNNING)


class ImportForm(DsForm):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("An export from the HR system: one person on each row, the column names on the first."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reachable = Organization.objects.visible_to(self.user).filter(is_active=True).only("id", "name")
        allowed = [org.pk for org in reachable if can_manage(self.user, "import", org.pk)]
        self.fields["organization"].queryset = reachable.filter(pk__in=allowed)
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,text/csv"


def _runs(request: HttpRequest) -> QuerySet[ImportRun]:
    return (
        ImportRun.objects.visible_to(request.user)
        .select_related("organization", "uploaded_by")
        .defer("content")
    )


@workspace
def import_list(request: HttpRequest) -> HttpResponse:
    runs = _runs(request)
    ordering = ("-created_at", "-id")
    try:
        page = keyset_page(runs, ordering, request.GET.get("cursor"), PAGE_SIZE)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        page = keyset_page(runs, ordering, None, PAGE_SIZE)
    context = {
        "page": page,
        "can_import": can_manage(request.user, "import"),
        "first_page": "cursor" in request.GET,
    }
    return render(request, "core/import_list.html", context)


@workspace
def import_create(request: HttpRequest) -> HttpResponse:
    ensure_can_manage(request.user, "import")
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # One byte past the limit is enough for the service to refuse a file that is too large.
            run = import_start(
                organization=form.cleaned_data["organization"],
                file_name=upload.name,
                content=upload.read(settings.IMPORT_MAX_BYTES + 1),
                by=request.user,
                via=Channel.PAGE,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return redirect("core:import_detail", run.pk)
    return render(request, "core/import_create.html", {"form": form}, status=400 if form.errors else 200)


@workspace
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(_runs(request), pk=pk)
    context = {"run": run, "report": run.report, "waiting": run.status in WAITING}
    if request.htmx:
        # 286 tells htmx to stop polling: the run has ended.
        return render(request, "core/_import_status.html", context, status=200 if context["waiting"] else 286)
    return render(request, "core/import_detail.html", context)
