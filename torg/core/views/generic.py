"""The shared shape of the workspace's pages: list, detail, create, edit, deactivate. Models declare what differs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views import View

from torg.core import audit
from torg.core.exports import csv_lines
from torg.core.models import AuditEntry, Channel
from torg.core.pagination import capped_count, keyset_page
from torg.core.permissions import can_manage, ensure_can_manage, ensure_workspace_user

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class Column:
    label: str | Promise
    attr: str
    link: bool = False


def form_errors_from(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class WorkspaceView(LoginRequiredMixin, View):
    """A page of the agent workspace: signed in, with a staff role."""

    model: ClassVar[type[models.Model]]
    kind: ClassVar[str]  # the permission kind in torg.core.permissions.KEEPERS
    url_prefix: ClassVar[str]  # "person" → core:person_list, core:person_detail …
    url_namespace: ClassVar[str] = "core"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            ensure_workspace_user(request.user)
        return super().dispatch(request, *args, **kwargs)

    def queryset(self) -> models.QuerySet:
        return self.model.objects.visible_to(self.request.user)

    def get_object(self) -> Any:
        return get_object_or_404(self.queryset(), pk=self.kwargs["pk"])

    def url(self, action: str, obj: models.Model | None = None) -> str:
        name = f"{self.url_namespace}:{self.url_prefix}_{action}"
        return reverse(name, args=[obj.pk]) if obj is not None else reverse(name)

    def context(self, **extra: Any) -> dict[str, Any]:
        meta = self.model._meta
        return {
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "url_prefix": self.url_prefix,
            "url_namespace": self.url_namespace,
            **extra,
        }


class ObjectListView(WorkspaceView):
    """Search as you type, filters, keyset pages, a capped count and (for some) a CSV export."""

    columns: ClassVar[list[Column]]
    ordering: ClassVar[tuple[str, ...]] = ("name", "id")
    filter_form: ClassVar[type[forms.Form]]
    related: ClassVar[tuple[str, ...]] = ()
    exportable: ClassVar[bool] = False
    template_name = "core/object_list.html"
    partial_name = "core/_object_rows.html"

    def search(self, queryset: models.QuerySet, text: str) -> models.QuerySet:
        return queryset.filter(name__icontains=text)

    def filter(self, queryset: models.QuerySet, data: dict[str, Any]) -> models.QuerySet:
        if data.get("q"):
            queryset = self.search(queryset, data["q"])
        if data.get("organization"):
            field = "id" if self.model._meta.model_name == "organization" else "organization"
            queryset = queryset.filter(**{field: data["organization"]})
        active = data.get("active") or "active"
        if active != "all":
            queryset = queryset.filter(is_active=active == "active")
        return queryset

    def get(self, request: HttpRequest) -> HttpResponse:
        form = self.filter_form(request.GET or None, user=request.user)
        queryset = self.queryset().select_related(*self.related)
        if form.is_bound and not form.is_valid():
            queryset = queryset.none()
        else:
            queryset = self.filter(queryset, form.cleaned_data if form.is_bound else {})
        if request.GET.get("format") == "csv" and self.exportable:
            return self.export(queryset)
        try:
            page = keyset_page(queryset, self.ordering, request.GET.get("cursor"), PAGE_SIZE)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            page = keyset_page(queryset, self.ordering, None, PAGE_SIZE)
        count, more = capped_count(queryset)
        query = request.GET.copy()
        query.pop("cursor", None)
        context = self.context(
            form=form,
            page=page,
            columns=self.columns,
            count=count,
            more=more,
            query=query.urlencode(),
            can_create=can_manage(request.user, self.kind),
            exportable=self.exportable,
            first_page=bool(request.GET.get("cursor")),
        )
        response = render(request, self.partial_name if request.htmx else self.template_name, context)
        # One address answers with the page or with its rows: caches (and the browser's Back) must tell them apart.
        patch_vary_headers(response, ["HX-Request"])
        return response

    def export(self, queryset: models.QuerySet) -> HttpResponse:
        """Stream the filtered rows as CSV; a bulk read of personal data is logged per organization."""
        organization_ids = list(queryset.order_by().values_list("organization_id", flat=True).distinct())
        count = min(queryset.count(), EXPORT_LIMIT)
        queryset = queryset.order_by(*self.ordering)[:EXPORT_LIMIT]
        audit.bulk_read(
            self.model,
            by=self.request.user,
            via=Channel.PAGE,
            organization_ids=organization_ids,
            what=str(self.model._meta.verbose_name_plural),
            count=count,
        )

        def rows() -> Iterator[list[Any]]:
            from torg.core.templatetags.torg import attr

            yield [str(column.label) for column in self.columns]
            for obj in queryset.iterator(chunk_size=2000):
                yield [str(attr(obj, column.attr)) for column in self.columns]

        response = StreamingHttpResponse(csv_lines(rows()), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.url_prefix}-export.csv"'
        return response


class ObjectDetailView(WorkspaceView):
    fields: ClassVar[list[Column]]
    related: ClassVar[tuple[str, ...]] = ()
    template_name = "core/object_detail.html"
    history_size = 50
    bound_forms: dict[str, forms.Form] = {}  # a refused form shown again with its errors (DetailFormView)

    def extra_context(self, obj: Any) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_object_or_404(self.queryset().select_related(*self.related), pk=pk)
        history = (
            AuditEntry.objects.visible_to(request.user)
            .for_object(obj)
            .select_related("actor", "content_type")
        )
        context = self.context(
            object=obj,
            fields=self.fields,
            history=history[: self.history_size],
            can_edit=can_manage(request.user, self.kind, obj.organization.pk),
            **self.extra_context(obj),
        )
        return render(request, self.template_name, context | self.bound_forms)


class DetailFormView(WorkspaceView):
    """POST a form that lives on an object's detail page (weekly hours, targets …): back to the page when the
    service takes it, else the page again with the form and its errors (400), so nothing typed is lost.

    A subclass names `form_class`, the detail page's `detail_view` and the context name `form_name` the page
    draws the form under, and defines `apply(obj, form)`, which calls the service."""

    form_class: ClassVar[type[forms.Form]]
    form_name: ClassVar[str]
    detail_view: ClassVar[type[ObjectDetailView]]
    apply: Callable[[Any, Any], None]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.apply(obj, form)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(self.url("detail", obj))
        page = self.detail_view(bound_forms={self.form_name: form})
        page.setup(request, pk=pk)
        response = page.get(request, pk)
        response.status_code = 400
        return response


class ObjectFormView(WorkspaceView):
    """Create (no pk) or edit (pk) through a service; the form only cleans."""

    form_class: ClassVar[type[forms.BaseForm]]
    template_name = "core/object_form.html"

    create_service: ClassVar[Callable[..., Any]]
    update_service: ClassVar[Callable[..., Any]]

    def create(self, data: dict[str, Any]) -> models.Model:
        return type(self).create_service(by=self.request.user, via=Channel.PAGE, **data)

    def update(self, obj: Any, data: dict[str, Any]) -> models.Model:
        return type(self).update_service(
            **{self.url_prefix: obj}, by=self.request.user, via=Channel.PAGE, **data
        )

    def get_object(self) -> Any:
        obj = super().get_object()
        ensure_can_manage(self.request.user, self.kind, obj.organization.pk)
        return obj

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object() if pk else ensure_can_manage(request.user, self.kind)
        return self.show(self.form_class(instance=obj, user=request.user), obj)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_object() if pk else ensure_can_manage(request.user, self.kind)
        form = self.form_class(request.POST, instance=obj, user=request.user)
        if form.is_valid():
            try:
                saved = (
                    self.update(self.get_object(), form.cleaned_data)
                    if pk
                    else self.create(form.cleaned_data)
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(self.url("detail", saved))
        return self.show(form, obj, status=400)

    def show(self, form: forms.BaseForm, obj: Any, status: int = 200) -> HttpResponse:
        return render(self.request, self.template_name, self.context(form=form, object=obj), status=status)


class ObjectActivationView(WorkspaceView):
    """POST: deactivate or reactivate an object through its service."""

    active_service: ClassVar[Callable[..., Any]]
    active: ClassVar[bool] = False

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        try:
            type(self).active_service(
                **{self.url_prefix: obj}, active=self.active, by=request.user, via=Channel.PAGE
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Deactivated.") if not self.active else _("Reactivated."))
        return redirect(self.url("detail", obj))


def model_urls(
    prefix: str, plural: str, *, list_view: type, detail_view: type, form_view: type, activation_view: type
) -> list:
    """The six pages every kept model has: list, new, detail, edit, deactivate, reactivate."""
    from django.urls import path

    return [
        path(f"{plural}/", list_view.as_view(), name=f"{prefix}_list"),
        path(f"{plural}/new/", form_view.as_view(), name=f"{prefix}_create"),
        path(f"{plural}/<int:pk>/", detail_view.as_view(), name=f"{prefix}_detail"),
        path(f"{plural}/<int:pk>/edit/", form_view.as_view(), name=f"{prefix}_update"),
        path(
            f"{plural}/<int:pk>/deactivate/",
            activation_view.as_view(active=False),
            name=f"{prefix}_deactivate",
        ),
        path(
            f"{plural}/<int:pk>/reactivate/",
            activation_view.as_view(active=True),
            name=f"{prefix}_reactivate",
        ),
    ]
