"""Service level agreements: what a customer organization is promised, with targets per priority in minutes."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations at run time.

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import PatchDict, Query, Router, Status
from ninja.pagination import paginate

from torg.core.api.common import KeysetPagination, history, resolve
from torg.core.models import Channel, Organization
from torg.core.permissions import ensure_can_manage
from torg.core.schemas import AuditEntryOut
from torg.desk.models import Category
from torg.sla import services
from torg.sla.models import Agreement, BusinessCalendar
from torg.sla.schemas import AgreementFields, AgreementFilter, AgreementIn, AgreementOut, TargetsIn

router = Router(tags=["agreements"])


def _get(request: HttpRequest, agreement_id: int) -> Agreement:
    agreements = Agreement.objects.visible_to(request.auth).prefetch_related("targets")
    return get_object_or_404(agreements, pk=agreement_id)


@router.get("/", response=list[AgreementOut])
@paginate(KeysetPagination, ordering=("name", "id"))
def list_agreements(request: HttpRequest, filters: Query[AgreementFilter]) -> Any:
    return filters.filter(Agreement.objects.visible_to(request.auth).prefetch_related("targets"))


@router.get("/{agreement_id}", response=AgreementOut)
def get_agreement(request: HttpRequest, agreement_id: int) -> Agreement:
    return _get(request, agreement_id)


@router.post("/", response={201: AgreementOut})
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Status:
    # Refuse the role before looking up the organization: one the caller cannot see would otherwise be a 400.
    ensure_can_manage(request.auth, "agreement")
    data = resolve(
        request.auth, payload.dict(), organization=Organization, category=Category, calendar=BusinessCalendar
    )
    agreement = services.agreement_create(by=request.auth, via=Channel.API, **data)
    return Status(201, _get(request, agreement.pk))


@router.patch("/{agreement_id}", response=AgreementOut)
def update_agreement(
    request: HttpRequest, agreement_id: int, payload: PatchDict[AgreementFields]
) -> Agreement:
    agreement = _get(request, agreement_id)
    data = resolve(request.auth, payload, category=Category, calendar=BusinessCalendar)
    return services.agreement_update(agreement=agreement, by=request.auth, via=Channel.API, **data)


@router.post("/{agreement_id}/deactivate", response=AgreementOut)
def deactivate_agreement(request: HttpRequest, agreement_id: int) -> Agreement:
    return services.agreement_set_active(
        agreement=_get(request, agreement_id), active=False, by=request.auth, via=Channel.API
    )


@router.post("/{agreement_id}/reactivate", response=AgreementOut)
def reactivate_agreement(request: HttpRequest, agreement_id: int) -> Agreement:
    return services.agreement_set_active(
        agreement=_get(request, agreement_id), active=True, by=request.auth, via=Channel.API
    )


@router.put("/{agreement_id}/targets", response=AgreementOut)
def set_targets(request: HttpRequest, agreement_id: int, payload: TargetsIn) -> Agreement:
    """Replace the targets: response and resolution minutes per priority; a priority left out has none."""
    agreement = services.agreement_set_targets(
        agreement=_get(request, agreement_id), targets=payload.by_priority(), by=request.auth, via=Channel.API
    )
    return _get(request, agreement.pk)


@router.get("/{agreement_id}/history", response=list[AuditEntryOut])
@paginate(KeysetPagination, ordering=("-id",))
def agreement_history(request: HttpRequest, agreement_id: int) -> Any:
    return history(request.auth, _get(request, agreement_id))
