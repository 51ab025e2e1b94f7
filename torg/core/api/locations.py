"""Locations: the schools, nursing homes, town halls and offices of an organization."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations at run time.

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import PatchDict, Query, Router, Status
from ninja.pagination import paginate

from torg.core.api.common import KeysetPagination, history, resolve
from torg.core.models import Channel, Location, Organization
from torg.core.schemas import AuditEntryOut, LocationFields, LocationFilter, LocationIn, LocationOut
from torg.core.services import organizations as services

router = Router(tags=["locations"])


def _get(request: HttpRequest, location_id: int) -> Location:
    return get_object_or_404(Location.objects.visible_to(request.auth), pk=location_id)


@router.get("/", response=list[LocationOut])
@paginate(KeysetPagination, ordering=("name", "id"))
def list_locations(request: HttpRequest, filters: Query[LocationFilter]) -> Any:
    return filters.filter(Location.objects.visible_to(request.auth))


@router.get("/{location_id}", response=LocationOut)
def get_location(request: HttpRequest, location_id: int) -> Location:
    return _get(request, location_id)


@router.post("/", response={201: LocationOut})
def create_location(request: HttpRequest, payload: LocationIn) -> Status:
    data = resolve(request.auth, payload.dict(), organization=Organization)
    return Status(201, services.location_create(by=request.auth, via=Channel.API, **data))


@router.patch("/{location_id}", response=LocationOut)
def update_location(request: HttpRequest, location_id: int, payload: PatchDict[LocationFields]) -> Location:
    return services.location_update(
        location=_get(request, location_id), by=request.auth, via=Channel.API, **payload
    )


@router.post("/{location_id}/deactivate", response=LocationOut)
def deactivate_location(request: HttpRequest, location_id: int) -> Location:
    return services.location_set_active(
        location=_get(request, location_id), active=False, by=request.auth, via=Channel.API
    )


@router.post("/{location_id}/reactivate", response=LocationOut)
def reactivate_location(request: HttpRequest, location_id: int) -> Location:
    return services.location_set_active(
        location=_get(request, location_id), active=True, by=request.auth, via=Channel.API
    )


@router.get("/{location_id}/history", response=list[AuditEntryOut])
@paginate(KeysetPagination, ordering=("-id",))
def location_history(request: HttpRequest, location_id: int) -> Any:
    return history(request.auth, _get(request, location_id))
