"""Organizations: the provider and the member municipalities it serves."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations at run time.

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import PatchDict, Query, Router, Status
from ninja.pagination import paginate

from torg.core.api.common import KeysetPagination, history, resolve
from torg.core.models import Channel, Organization
from torg.core.permissions import ensure_can_manage
from torg.core.schemas import AuditEntryOut, OrganizationFilter, OrganizationIn, OrganizationOut
from torg.core.services import organizations as services

router = Router(tags=["organizations"])


def _get(request: HttpRequest, organization_id: int) -> Organization:
    return get_object_or_404(Organization.objects.visible_to(request.auth), pk=organization_id)


@router.get("/", response=list[OrganizationOut])
@paginate(KeysetPagination, ordering=("name", "id"))
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilter]) -> Any:
    return filters.filter(Organization.objects.visible_to(request.auth))


@router.get("/{organization_id}", response=OrganizationOut)
def get_organization(request: HttpRequest, organization_id: int) -> Organization:
    return _get(request, organization_id)


@router.post("/", response={201: OrganizationOut})
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Status:
    # Only administrators add organizations: say so before looking up the ids in the payload.
    ensure_can_manage(request.auth, "organization")
    data = resolve(request.auth, payload.dict(), provider=Organization)
    return Status(201, services.organization_create(by=request.auth, via=Channel.API, **data))


@router.patch("/{organization_id}", response=OrganizationOut)
def update_organization(
    request: HttpRequest, organization_id: int, payload: PatchDict[OrganizationIn]
) -> Organization:
    organization = _get(request, organization_id)
    data = resolve(request.auth, payload, provider=Organization)
    return services.organization_update(organization=organization, by=request.auth, via=Channel.API, **data)


@router.post("/{organization_id}/deactivate", response=OrganizationOut)
def deactivate_organization(request: HttpRequest, organization_id: int) -> Organization:
    return services.organization_set_active(
        organization=_get(request, organization_id), active=False, by=request.auth, via=Channel.API
    )


@router.post("/{organization_id}/reactivate", response=OrganizationOut)
def reactivate_organization(request: HttpRequest, organization_id: int) -> Organization:
    return services.organization_set_active(
        organization=_get(request, organization_id), active=True, by=request.auth, via=Channel.API
    )


@router.get("/{organization_id}/history", response=list[AuditEntryOut])
@paginate(KeysetPagination, ordering=("-id",))
def organization_history(request: HttpRequest, organization_id: int) -> Any:
    return history(request.auth, _get(request, organization_id))
