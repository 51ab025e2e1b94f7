"""Pages of business calendars: the workspace's generic pages, plus weekly hours, special days and effect."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
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
    WorkspaceView,
    model_urls,
)
from torg.sla import services
from torg.sla.forms import CalendarForm, HoursForm, SpecialDayForm, spans_to_text
from torg.sla.models import BusinessCalendar, SpecialDay, Weekday

EFFECT_MONTHS = 12


class CalendarMixin:
    model = BusinessCalendar
    kind = "calendar"
    url_prefix = "calendar"
    url_namespace = "sla"
    request: HttpRequest


class CalendarList(CalendarMixin, ObjectListView):
    filter_form = ListFilterForm
    related = ("organization",)
    columns = [
        Column(gettext_lazy("Name"), "name", link=True),
        Column(gettext_lazy("Provider"), "organization"),
        Column(gettext_lazy("Time zone"), "time_zone"),
    ]


class CalendarDetail(CalendarMixin, ObjectDetailView):
    related = ("organization",)
    template_name = "sla/calendar_detail.html"
    fields = [
        Column(gettext_lazy("Provider"), "organization"),
        Column(gettext_lazy("Time zone"), "time_zone"),
        Column(gettext_lazy("Open around the clock"), "is_24_7"),
        Column(gettext_lazy("Closed on Norwegian public holidays"), "public_holidays"),
    ]

    def queryset(self) -> models.QuerySet:
        return super().queryset().with_hours()

    def extra_context(self, obj: BusinessCalendar) -> dict[str, Any]:
        hours = services.weekly_hours(obj)
        today = timezone.localdate(timezone=ZoneInfo(obj.time_zone))
        return {
            "week": [(day.label, spans_to_text(hours[day.value])) for day in Weekday],
            "special_days": obj.special_days.all(),
            "effect": services.calendar_effect(obj, today, EFFECT_MONTHS),
            "hours_form": HoursForm(hours=hours),
            "special_day_form": SpecialDayForm(),
        }


class CalendarFormPage(CalendarMixin, ObjectFormView):
    form_class = CalendarForm
    create_service = services.calendar_create
    update_service = services.calendar_update


class CalendarActivation(CalendarMixin, ObjectActivationView):
    active_service = services.calendar_set_active


class CalendarHours(CalendarMixin, DetailFormView):
    """POST: replace the weekly hours."""

    form_class = HoursForm
    form_name = "hours_form"
    detail_view = CalendarDetail

    def apply(self, calendar: BusinessCalendar, form: HoursForm) -> None:
        services.calendar_set_hours(
            calendar=calendar, hours=form.hours(), by=self.request.user, via=Channel.PAGE
        )


class SpecialDayAdd(CalendarMixin, DetailFormView):
    """POST: add a special day."""

    form_class = SpecialDayForm
    form_name = "special_day_form"
    detail_view = CalendarDetail

    def apply(self, calendar: BusinessCalendar, form: SpecialDayForm) -> None:
        services.special_day_save(
            calendar=calendar, by=self.request.user, via=Channel.PAGE, **form.cleaned_data
        )


class SpecialDayDelete(CalendarMixin, WorkspaceView):
    """POST: remove a special day."""

    def post(self, request: HttpRequest, pk: int, day_id: int) -> HttpResponse:
        calendar = self.get_object()
        day = get_object_or_404(SpecialDay.objects.filter(calendar=calendar), pk=day_id)
        services.special_day_delete(special_day=day, by=request.user, via=Channel.PAGE)
        messages.success(request, _("Removed."))
        return redirect(self.url("detail", calendar))


urlpatterns = model_urls(
    "calendar",
    "calendars",
    list_view=CalendarList,
    detail_view=CalendarDetail,
    form_view=CalendarFormPage,
    activation_view=CalendarActivation,
)
