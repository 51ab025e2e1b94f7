from __future__ import annotations

from django.urls import path

from torg.sla.views import agreements, calendars, compliance

app_name = "sla"
urlpatterns = [
    *calendars.urlpatterns,
    path("calendars/<int:pk>/hours/", calendars.CalendarHours.as_view(), name="calendar_hours"),
    path(
        "calendars/<int:pk>/special-days/", calendars.SpecialDayAdd.as_view(), name="calendar_special_day_add"
    ),
    path(
        "calendars/<int:pk>/special-days/<int:day_id>/delete/",
        calendars.SpecialDayDelete.as_view(),
        name="calendar_special_day_delete",
    ),
    *agreements.urlpatterns,
    path("agreements/<int:pk>/targets/", agreements.AgreementTargets.as_view(), name="agreement_targets"),
    path("compliance/", compliance.compliance_page, name="compliance"),
]
