"""Departments: the tree of units inside an organization."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations at run time.

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import PatchDict, Query, Router, Status
from ninja.pagination import paginate

from torg.core.api.common import KeysetPagination, history, resolve
from torg.core.models import Channel, Department, Organization
from torg.core.schemas import (
    AuditEntryOut,
    DepartmentFields,
    DepartmentFilter,
    DepartmentIn,
    DepartmentMoveIn,
    DepartmentOut,
)
from torg.core.services import organizations as services

router = Router(tags=["departments"])


def _get(request: HttpRequest, department_id: int) -> Department:
    return get_object_or_404(Department.objects.visible_to(request.auth), pk=department_id)


@router.get("/", response=list[DepartmentOut])
@paginate(KeysetPagination, ordering=("name", "id"))
def list_departments(request: HttpRequest, filters: Query[DepartmentFilter]) -> Any:
    return filters.filter(Department.objects.visible_to(request.auth))


@router.get("/{department_id}", response=DepartmentOut)
def get_department(request: HttpRequest, department_id: int) -> Department:
    return _get(request, department_id)


@router.post("/", response={201: DepartmentOut})
def create_department(request: HttpRequest, payload: DepartmentIn) -> Status:
    data = resolve(request.auth, payload.dict(), organization=Organization, parent=Department)
    return Status(201, services.department_create(by=request.auth, via=Channel.API, **data))


@router.patch("/{department_id}", response=DepartmentOut)
def update_department(
    request: HttpRequest, department_id: int, payload: PatchDict[DepartmentFields]
) -> Department:
    return services.department_update(
        department=_get(request, department_id), by=request.auth, via=Channel.API, **payload
    )


@router.post("/{department_id}/move", response=DepartmentOut)
def move_department(request: HttpRequest, department_id: int, payload: DepartmentMoveIn) -> Department:
    department = _get(request, department_id)
    data = resolve(request.auth, payload.dict(), parent=Department)
    return services.department_move(
        department=department, parent=data["parent"], by=request.auth, via=Channel.API
    )


@router.post("/{department_id}/deactivate", response=DepartmentOut)
def deactivate_department(request: HttpRequest, department_id: int) -> Department:
    return services.department_set_active(
        department=_get(request, department_id), active=False, by=request.auth, via=Channel.API
    )


@router.post("/{department_id}/reactivate", response=DepartmentOut)
def reactivate_department(request: HttpRequest, department_id: int) -> Department:
    return services.department_set_active(
        department=_get(request, department_id), active=True, by=request.auth, via=Channel.API
    )


@router.get("/{department_id}/history", response=list[AuditEntryOut])
@paginate(KeysetPagination, ordering=("-id",))
def department_history(request: HttpRequest, department_id: int) -> Any:
    return history(request.auth, _get(request, department_id))
