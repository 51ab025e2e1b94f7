"""The one tenancy gate: every read of tenant data starts from a `visible_to(user)` here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from torg.core.models import Person


@dataclass(frozen=True)
class Scope:
    """Which organizations a person reaches: `full_ids` for all tenant data, `public_ids` for public data."""

    person_id: int | None
    sees_all: bool
    full_ids: frozenset[int]
    public_ids: frozenset[int]

    @classmethod
    def of(cls, person: Person) -> Scope:
        from torg.core.models import Organization
        from torg.core.models.people import STAFF_ROLES, Role

        if not getattr(person, "is_authenticated", False) or not person.is_active:
            return NOBODY
        roles = person.roles
        if Role.ADMINISTRATOR in roles:
            return cls(person.pk, True, frozenset(), frozenset())
        full = set(
            Organization.objects.filter(
                serving_teams__is_active=True, serving_teams__memberships__person=person
            ).values_list("id", flat=True)
        )
        if Role.CUSTOMER_MANAGER in roles:
            full |= person.managed_organization_ids()
        if Role.SERVICE_OWNER in roles:
            # A provider's service owner keeps the services and agreements of every organization it serves.
            full |= set(
                Organization.objects.filter(provider_id=person.organization_id).values_list("id", flat=True)
            )
        if roles & STAFF_ROLES:
            full.add(person.organization_id)
        return cls(person.pk, False, frozenset(full), frozenset(full | {person.organization_id}))


NOBODY = Scope(None, False, frozenset(), frozenset())


def scope_of(user: Any) -> Scope:
    return getattr(user, "scope", NOBODY) if getattr(user, "is_authenticated", False) else NOBODY


class TenantQuerySet(models.QuerySet):
    """Rows owned by an organization; staff with a reach into that organization see them."""

    organization_field = "organization"
    public = False  # public rows (departments, locations) are seen by every person of the organization

    def visible_to(self, user: Any) -> models.QuerySet:
        scope = scope_of(user)
        if scope.sees_all:
            return self
        ids = scope.public_ids if self.public else scope.full_ids
        return self.filter(**{f"{self.organization_field}__in": ids})

    def active(self) -> models.QuerySet:
        return self.filter(is_active=True)


class OrganizationQuerySet(TenantQuerySet):
    organization_field = "id"
    public = True

    def providers(self) -> OrganizationQuerySet:
        return self.filter(kind="provider")


class DepartmentQuerySet(TenantQuerySet):
    public = True

    def subtree(self, department: Any) -> DepartmentQuerySet:
        return self.filter(organization_id=department.organization_id, path__startswith=department.path)


class LocationQuerySet(TenantQuerySet):
    public = True


class PersonQuerySet(TenantQuerySet):
    def visible_to(self, user: Any) -> models.QuerySet:
        scope = scope_of(user)
        if scope.sees_all:
            return self
        # An employee sees their own record; staff see the people of the organizations they reach.
        return self.filter(models.Q(organization__in=scope.full_ids) | models.Q(pk=scope.person_id))

    def search(self, text: str) -> PersonQuerySet:
        for word in text.lower().split()[:5]:
            self = self.filter(search_text__contains=word.replace(" ", ""))
        return self

    def with_directory(self) -> PersonQuerySet:
        return self.select_related("organization", "department", "location")


class TeamQuerySet(TenantQuerySet):
    def visible_to(self, user: Any) -> models.QuerySet:
        scope = scope_of(user)
        if scope.sees_all:
            return self
        serves_reached = models.Exists(
            self.model.served_organizations.through.objects.filter(
                team=models.OuterRef("pk"), organization__in=scope.full_ids
            )
        )
        return self.filter(models.Q(organization__in=scope.full_ids) | serves_reached)


class RoleGrantQuerySet(TenantQuerySet):
    pass


class AuditEntryQuerySet(TenantQuerySet):
    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        from django.contrib.contenttypes.models import ContentType

        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> models.QuerySet:
        scope = scope_of(user)
        if scope.sees_all:
            return self
        return self.filter(person_id=scope.person_id)

    def live(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, person__is_active=True)


class ImportRunQuerySet(TenantQuerySet):
    pass
