"""People: the employees of the organizations, and the CSV export of them."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations at run time.

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Count
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import PatchDict, Query, Router, Status
from ninja.pagination import paginate

from torg.core import audit
from torg.core.api.common import KeysetPagination, history, resolve
from torg.core.exports import csv_lines
from torg.core.models import Channel, Department, Location, Organization, Person
from torg.core.schemas import AuditEntryOut, PersonFields, PersonFilter, PersonIn, PersonOut
from torg.core.services import people as services

router = Router(tags=["people"])

ORDERING = ("last_name", "first_name", "id")
EXPORT_COLUMNS = (
    "id", "first_name", "last_name", "email", "phone", "employee_number",
    "organization", "department", "location", "is_active",
)  # fmt: skip


def _get(request: HttpRequest, person_id: int) -> Person:
    return get_object_or_404(Person.objects.visible_to(request.auth), pk=person_id)


@router.get("/", response=list[PersonOut])
@paginate(KeysetPagination, ordering=ORDERING)
def list_people(request: HttpRequest, filters: Query[PersonFilter]) -> Any:
    return filters.filter(Person.objects.visible_to(request.auth))


def _rows(people: Any) -> Iterator[Iterable[Any]]:
    yield EXPORT_COLUMNS
    for person in people.iterator(chunk_size=2000):
        yield (
                person.pk, person.first_name, person.last_name, person.email, person.phone,
                person.employee_number, person.organization.name,
                person.department.name if person.department else "",
            person.location.name if person.location else "", person.is_active,
        )  # fmt: skip


@router.get(
    "/export.csv",
    openapi_extra={"responses": {200: {"description": "CSV", "content": {"text/csv": {}}}}},
)
def export_people(request: HttpRequest, filters: Query[PersonFilter]) -> StreamingHttpResponse:
    """The visible people that match the filters, as CSV; the bulk read is logged (personal data)."""
    people = filters.filter(Person.objects.visible_to(request.auth))
    counts = dict(people.order_by().values_list("organization_id").annotate(rows=Count("id")))
    audit.bulk_read(
        Person,
        by=request.auth,
        via=Channel.API,
        organization_ids=list(counts),
        what=_("People, CSV export"),
        count=sum(counts.values()),
    )
    response = StreamingHttpResponse(
        csv_lines(_rows(people.with_directory().order_by(*ORDERING)), delimiter=","), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="people.csv"'
    return response


@router.get("/{person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: int) -> Person:
    return _get(request, person_id)


@router.post("/", response={201: PersonOut})
def create_person(request: HttpRequest, payload: PersonIn) -> Status:
    data = resolve(
        request.auth, payload.dict(), organization=Organization, department=Department, location=Location
    )
    return Status(201, services.person_create(by=request.auth, via=Channel.API, **data))


@router.patch("/{person_id}", response=PersonOut)
def update_person(request: HttpRequest, person_id: int, payload: PatchDict[PersonFields]) -> Person:
    person = _get(request, person_id)
    data = resolve(request.auth, payload, department=Department, location=Location)
    return services.person_update(person=person, by=request.auth, via=Channel.API, **data)


@router.post("/{person_id}/deactivate", response=PersonOut)
def deactivate_person(request: HttpRequest, person_id: int) -> Person:
    return services.person_set_active(
        person=_get(request, person_id), active=False, by=request.auth, via=Channel.API
    )


@router.post("/{person_id}/reactivate", response=PersonOut)
def reactivate_person(request: HttpRequest, person_id: int) -> Person:
    return services.person_set_active(
        person=_get(request, person_id), active=True, by=request.auth, via=Channel.API
    )


@router.get("/{person_id}/history", response=list[AuditEntryOut])
@paginate(KeysetPagination, ordering=("-id",))
def person_history(request: HttpRequest, person_id: int) -> Any:
    return history(request.auth, _get(request, person_id))
