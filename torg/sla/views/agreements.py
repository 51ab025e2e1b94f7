"""Pages of service level agreements: the workspace's generic pages, plus the targets per priority."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.functions import Coalesce, Concat
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torg.core.forms import ListFilterForm
from torg.core.models import Channel
from torg.core.views.generic import (
    Column,
    DetailFormView,
    ObjectActivationView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    model_urls,
)
from torg.desk.models import Kind, Priority, Ticket
from torg.sla import services
from torg.sla.forms import AgreementForm, TargetsForm
from torg.sla.models import Agreement


def with_labels(queryset: models.QuerySet) -> models.QuerySet:
    """What an agreement covers and counts on, as text in the active language, read in the same query."""
    category = models.Case(
        models.When(
            category__parent__isnull=False,
            then=Concat("category__parent__name", models.Value(" › "), "category__name"),
        ),
        default=models.F("category__name"),
        output_field=models.CharField(),
    )
    kind = models.Case(
        *(models.When(kind=value, then=models.Value(str(label))) for value, label in Kind.choices),
        default=models.Value(_("All kinds")),
        output_field=models.CharField(),
    )
    return queryset.annotate(
        category_label=Coalesce(category, models.Value(_("All categories"))),
        kind_label=kind,
        calendar_label=Coalesce("calendar__name", models.Value(_("Clock time"))),
    )


class AgreementMixin:
    model = Agreement
    kind = "agreement"
    url_prefix = "agreement"
    url_namespace = "sla"
    request: HttpRequest


class AgreementList(AgreementMixin, ObjectListView):
    filter_form = ListFilterForm
    related = ("organization",)
    columns = [
        Column(gettext_lazy("Name"), "name", link=True),
        Column(gettext_lazy("Customer"), "organization"),
        Column(gettext_lazy("Category"), "category_label"),
        Column(gettext_lazy("Kind of case"), "kind_label"),
        Column(gettext_lazy("Calendar"), "calendar_label"),
    ]

    def queryset(self) -> models.QuerySet:
        return with_labels(super().queryset())


def _target_rows(targets: dict[int, tuple[int, int]]) -> list[tuple[str, str | None, str | None]]:
    """Per priority: its name and its response and resolution times as a reader says them, or None."""
    rows = []
    for priority in Priority:
        target = targets.get(priority.value)
        response, resolution = (services.duration_text(m) for m in target) if target else (None, None)
        rows.append((priority.label, response, resolution))
    return rows


class AgreementDetail(AgreementMixin, ObjectDetailView):
    related = ("organization",)
    template_name = "sla/agreement_detail.html"
    fields = [
        Column(gettext_lazy("Customer"), "organization"),
        Column(gettext_lazy("Category"), "category_label"),
        Column(gettext_lazy("Kind of case"), "kind_label"),
        Column(gettext_lazy("Calendar"), "calendar_label"),
    ]

    def queryset(self) -> models.QuerySet:
        return with_labels(super().queryset()).prefetch_related("targets")

    def extra_context(self, obj: Agreement) -> dict[str, Any]:
        targets = services.agreement_targets(obj)
        open_cases = Ticket.objects.visible_to(self.request.user).open().filter(sla__agreement=obj).count()
        return {
            "targets": _target_rows(targets),
            "open_cases": open_cases,
            "targets_form": TargetsForm(targets=targets),
        }


class AgreementFormPage(AgreementMixin, ObjectFormView):
    form_class = AgreementForm
    create_service = services.agreement_create
    update_service = services.agreement_update


class AgreementActivation(AgreementMixin, ObjectActivationView):
    active_service = services.agreement_set_active


class AgreementTargets(AgreementMixin, DetailFormView):
    """POST: replace the targets per priority."""

    form_class = TargetsForm
    form_name = "targets_form"
    detail_view = AgreementDetail

    def apply(self, agreement: Agreement, form: TargetsForm) -> None:
        services.agreement_set_targets(
            agreement=agreement, targets=form.targets(), by=self.request.user, via=Channel.PAGE
        )


urlpatterns = model_urls(
    "agreement",
    "agreements",
    list_view=AgreementList,
    detail_view=AgreementDetail,
    form_view=AgreementFormPage,
    activation_view=AgreementActivation,
)
