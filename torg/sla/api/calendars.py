"""Business calendars: weekly hours, special days and the effect of both over the coming months."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations at run time.

from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import PatchDict, Query, Router, Status
from ninja.pagination import paginate

from torg.core.api.common import KeysetPagination, history, resolve
from torg.core.models import Channel, Organization
from torg.core.permissions import ensure_can_manage
from torg.core.schemas import AuditEntryOut
from torg.sla import services
from torg.sla.models import BusinessCalendar, SpecialDay
from torg.sla.schemas import (
    CalendarFields,
    CalendarFilter,
    CalendarIn,
    CalendarOut,
    EffectMonthOut,
    EffectQuery,
    HoursIn,
    SpecialDayIn,
    SpecialDayOut,
)

router = Router(tags=["calendars"])


def _get(request: HttpRequest, calendar_id: int) -> BusinessCalendar:
    return get_object_or_404(BusinessCalendar.objects.visible_to(request.auth).with_hours(), pk=calendar_id)


@router.get("/", response=list[CalendarOut])
@paginate(KeysetPagination, ordering=("name", "id"))
def list_calendars(request: HttpRequest, filters: Query[CalendarFilter]) -> Any:
    return filters.filter(BusinessCalendar.objects.visible_to(request.auth).with_hours())


@router.get("/{calendar_id}", response=CalendarOut)
def get_calendar(request: HttpRequest, calendar_id: int) -> BusinessCalendar:
    return _get(request, calendar_id)


@router.post("/", response={201: CalendarOut})
def create_calendar(request: HttpRequest, payload: CalendarIn) -> Status:
    # Refuse the role before looking up the provider: one the caller cannot see would otherwise be a 400.
    ensure_can_manage(request.auth, "calendar")
    data = resolve(request.auth, payload.dict(), organization=Organization)
    return Status(201, services.calendar_create(by=request.auth, via=Channel.API, **data))


@router.patch("/{calendar_id}", response=CalendarOut)
def update_calendar(
    request: HttpRequest, calendar_id: int, payload: PatchDict[CalendarFields]
) -> BusinessCalendar:
    return services.calendar_update(
        calendar=_get(request, calendar_id), by=request.auth, via=Channel.API, **payload
    )


@router.post("/{calendar_id}/deactivate", response=CalendarOut)
def deactivate_calendar(request: HttpRequest, calendar_id: int) -> BusinessCalendar:
    return services.calendar_set_active(
        calendar=_get(request, calendar_id), active=False, by=request.auth, via=Channel.API
    )


@router.post("/{calendar_id}/reactivate", response=CalendarOut)
def reactivate_calendar(request: HttpRequest, calendar_id: int) -> BusinessCalendar:
    return services.calendar_set_active(
        calendar=_get(request, calendar_id), active=True, by=request.auth, via=Channel.API
    )


@router.put("/{calendar_id}/hours", response=CalendarOut)
def set_hours(request: HttpRequest, calendar_id: int, payload: HoursIn) -> BusinessCalendar:
    calendar = services.calendar_set_hours(
        calendar=_get(request, calendar_id), hours=payload.by_weekday(), by=request.auth, via=Channel.API
    )
    return _get(request, calendar.pk)


@router.post("/{calendar_id}/special-days", response={201: SpecialDayOut})
def add_special_day(request: HttpRequest, calendar_id: int, payload: SpecialDayIn) -> Status:
    data = payload.dict() | {"spans": [list(pair) for pair in payload.spans]}
    day = services.special_day_save(
        calendar=_get(request, calendar_id), by=request.auth, via=Channel.API, **data
    )
    return Status(201, day)


@router.delete("/{calendar_id}/special-days/{day_id}", response={204: None})
def delete_special_day(request: HttpRequest, calendar_id: int, day_id: int) -> Status:
    day = get_object_or_404(SpecialDay.objects.filter(calendar=_get(request, calendar_id)), pk=day_id)
    services.special_day_delete(special_day=day, by=request.auth, via=Channel.API)
    return Status(204, None)


@router.get("/{calendar_id}/effect", response=list[EffectMonthOut])
def calendar_effect(request: HttpRequest, calendar_id: int, query: Query[EffectQuery]) -> Any:
    calendar = _get(request, calendar_id)
    start = query.start or timezone.localdate(timezone=ZoneInfo(calendar.time_zone))
    return [
        {"month": month, "days": days}
        for month, days in services.calendar_effect(calendar, start, query.months)
    ]


@router.get("/{calendar_id}/history", response=list[AuditEntryOut])
@paginate(KeysetPagination, ordering=("-id",))
def calendar_history(request: HttpRequest, calendar_id: int) -> Any:
    return history(request.auth, _get(request, calendar_id))
