from __future__ import annotations

from django.urls import path

from torg.sla import views

app_name = "sla"
urlpatterns = [
    *views.urlpatterns,
    path("calendars/<int:pk>/hours/", views.CalendarHours.as_view(), name="calendar_hours"),
    path("calendars/<int:pk>/special-days/", views.SpecialDayAdd.as_view(), name="calendar_special_day_add"),
    path(
        "calendars/<int:pk>/special-days/<int:day_id>/delete/",
        views.SpecialDayDelete.as_view(),
        name="calendar_special_day_delete",
    ),
]
