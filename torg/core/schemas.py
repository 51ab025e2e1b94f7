"""Schemas of the core API: ids, names and ISO datetimes in and out; never a password or a token digest."""

# No `from __future__ import annotations` here: ninja's PatchDict re-reads these annotations at run time.

from datetime import datetime
from typing import Annotated, Any, Literal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from ninja import Field, FilterSchema, Schema
from ninja.filter_schema import FilterLookup

from torg.core.models import AuditEntry, Location, Organization, Team

MAX_ID = 2**63 - 1  # a bigint; a larger id is bad input, not a database error
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Language = Literal["nb", "nn", "en"]  # settings.LANGUAGES
Text = Annotated[str, Field(max_length=1000)]  # the model decides the real limit, in the user's language
# Choices as literals of their values: as enums, Organization.Kind and Location.Kind collide in OpenAPI.
OrganizationKind = Literal[tuple(Organization.Kind.values)]
LocationKind = Literal[tuple(Location.Kind.values)]
TeamFunction = Literal[tuple(Team.Function.values)]


# Output.


class OrganizationOut(Schema):
    id: int
    name: str
    kind: OrganizationKind
    provider: int | None = Field(validation_alias="provider_id")
    organization_number: str
    municipality_code: str
    language: str
    is_active: bool
    created_at: datetime
    updated_at: datetime


class DepartmentOut(Schema):
    id: int
    organization: int = Field(validation_alias="organization_id")
    parent: int | None = Field(validation_alias="parent_id")
    name: str
    code: str
    depth: int
    is_active: bool
    created_at: datetime
    updated_at: datetime


class LocationOut(Schema):
    id: int
    organization: int = Field(validation_alias="organization_id")
    name: str
    kind: LocationKind
    street_address: str
    postal_code: str
    city: str
    is_active: bool
    created_at: datetime
    updated_at: datetime


class PersonOut(Schema):
    id: int
    organization: int = Field(validation_alias="organization_id")
    first_name: str
    last_name: str
    full_name: str
    email: str
    phone: str
    employee_number: str
    department: int | None = Field(validation_alias="department_id")
    location: int | None = Field(validation_alias="location_id")
    language: str
    username: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime


class TeamOut(Schema):
    id: int
    organization: int = Field(validation_alias="organization_id")
    name: str
    function: TeamFunction
    email: str
    served_organizations: list[int]
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_served_organizations(team: Team) -> list[int]:
        return sorted(organization.pk for organization in team.served_organizations.all())


class TeamMemberOut(Schema):
    id: int = Field(validation_alias="person_id")
    name: str
    is_lead: bool

    @staticmethod
    def resolve_name(membership: Any) -> str:
        return membership.person.full_name


class TeamDetailOut(TeamOut):
    members: list[TeamMemberOut]

    @staticmethod
    def resolve_members(team: Team) -> list[Any]:
        return sorted(team.memberships.all(), key=lambda m: (m.person.last_name, m.person.first_name, m.pk))


class ActorOut(Schema):
    id: int
    name: str = Field(validation_alias="full_name")


class AuditEntryOut(Schema):
    id: int
    created_at: datetime
    organization: int | None = Field(validation_alias="organization_id")
    actor: ActorOut | None
    channel: str
    action: str
    object_type: str
    object_id: int | None
    object_repr: str
    changes: dict[str, Any]

    @staticmethod
    def resolve_object_type(entry: AuditEntry) -> str:
        return entry.content_type.model


class TokenOut(Schema):
    id: int
    person: int = Field(validation_alias="person_id")
    name: str
    prefix: str = Field(description="The first characters of the secret, to tell tokens apart.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    secret: str = Field(description="Shown this once; only a digest is stored.")


# Input. Ids of other records are looked up through what the caller may see.


class OrganizationIn(Schema):
    name: Text
    kind: OrganizationKind = Organization.Kind.MEMBER.value
    provider: Id | None = None
    organization_number: Text
    municipality_code: Text = ""
    language: Language = "nb"


class DepartmentFields(Schema):
    name: Text
    code: Text = ""


class DepartmentIn(DepartmentFields):
    organization: Id
    parent: Id | None = None


class DepartmentMoveIn(Schema):
    parent: Id | None = Field(description="The new parent, or null for the top of the tree.")


class LocationFields(Schema):
    name: Text
    kind: LocationKind = Location.Kind.OFFICE.value
    street_address: Text = ""
    postal_code: Text = ""
    city: Text = ""


class LocationIn(LocationFields):
    organization: Id


class PersonFields(Schema):
    first_name: Text
    last_name: Text
    email: Text = ""
    phone: Text = ""
    employee_number: Text = ""
    department: Id | None = None
    location: Id | None = None
    language: Language | Literal[""] = ""


class PersonIn(PersonFields):
    organization: Id


class TeamFields(Schema):
    name: Text
    function: TeamFunction = Team.Function.IT.value
    email: Text = ""
    served_organizations: list[Id] = Field(default_factory=list, max_length=1000)


class TeamIn(TeamFields):
    organization: Id = Field(description="The provider the team belongs to.")


class TeamMembersIn(Schema):
    members: list[Id] = Field(max_length=1000)
    leads: list[Id] = Field(default_factory=list, max_length=1000, description="Leads are members too.")


class TokenIn(Schema):
    name: Annotated[str, Field(max_length=100)] = ""


# Filters of the lists.

Search = Annotated[str | None, Field(max_length=200)]


class OrganizationFilter(FilterSchema):
    search: Annotated[Search, FilterLookup("name__icontains")] = None
    kind: OrganizationKind | None = None
    active: Annotated[bool | None, FilterLookup("is_active")] = None
    municipality_code: Annotated[str | None, Field(max_length=4)] = None


class DepartmentFilter(FilterSchema):
    organization: Annotated[Id | None, FilterLookup("organization_id")] = None
    parent: Annotated[Id | None, FilterLookup("parent_id")] = None
    search: Annotated[Search, FilterLookup(["name__icontains", "code__icontains"])] = None
    active: Annotated[bool | None, FilterLookup("is_active")] = None


class LocationFilter(FilterSchema):
    organization: Annotated[Id | None, FilterLookup("organization_id")] = None
    kind: LocationKind | None = None
    search: Annotated[Search, FilterLookup(["name__icontains", "city__icontains"])] = None
    active: Annotated[bool | None, FilterLookup("is_active")] = None


class PersonFilter(FilterSchema):
    organization: Annotated[Id | None, FilterLookup("organization_id")] = None
    department: Annotated[Id | None, FilterLookup("department_id")] = None
    location: Annotated[Id | None, FilterLookup("location_id")] = None
    search: Search = Field(None, description="Words of the name, e-mail, phone or employee number.")
    active: Annotated[bool | None, FilterLookup("is_active")] = None

    def filter_search(self, value: str | None) -> Q:
        return Q()  # applied in filter() by PersonQuerySet.search, the same search as the pages

    def filter(self, queryset: Any) -> Any:
        queryset = super().filter(queryset)
        return queryset.search(self.search) if self.search else queryset


class TeamFilter(FilterSchema):
    function: TeamFunction | None = None
    search: Annotated[Search, FilterLookup("name__icontains")] = None
    active: Annotated[bool | None, FilterLookup("is_active")] = None


class AuditFilter(FilterSchema):
    object_type: Annotated[str | None, Field(max_length=100, description='A model, e.g. "person".')] = None
    object_id: Annotated[Id | None, FilterLookup("object_id")] = None
    organization: Annotated[Id | None, FilterLookup("organization_id")] = None
    actor: Annotated[Id | None, FilterLookup("actor_id")] = None

    def filter_object_type(self, value: str | None) -> Q:
        if not value:
            return Q()
        app_label, _, model = value.lower().rpartition(".")
        types = ContentType.objects.filter(model=model, **({"app_label": app_label} if app_label else {}))
        return Q(content_type__in=types)


class TokenFilter(FilterSchema):
    person: Annotated[Id | None, FilterLookup("person_id")] = None
