"""Factories for the core models; every base setup makes two member organizations, so leaks show."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from torg.core.models import Department, Location, Organization, Person, RoleGrant, Team, TeamMembership
from torg.core.validators import ORGANIZATION_NUMBER_WEIGHTS


def organization_number(n: int) -> str:
    """The n-th valid organization number from 900000000 upwards."""
    base = 90_000_000 + n
    while True:
        digits = f"{base:08d}"
        remainder = sum(int(d) * w for d, w in zip(digits, ORGANIZATION_NUMBER_WEIGHTS, strict=True)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check != 10:
            return f"{digits}{check}"
        base += 1_000_000


class ProviderFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"IKT-samarbeid {n}")
    kind = Organization.Kind.PROVIDER
    organization_number = factory.Sequence(lambda n: organization_number(2 * n))
    language = "en"


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Kommune {n}")
    kind = Organization.Kind.MEMBER
    provider = factory.SubFactory(ProviderFactory)
    organization_number = factory.Sequence(lambda n: organization_number(2 * n + 1))
    municipality_code = "3201"
    language = "en"


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Enhet {n}")
    path = "/"

    @factory.post_generation
    def set_path(obj: Department, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.path = f"{obj.parent.path if obj.parent else '/'}{obj.pk}/"
            obj.depth = obj.parent.depth + 1 if obj.parent else 0
            obj.save(update_fields=["path", "depth"])


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Skole {n}")
    kind = Location.Kind.SCHOOL


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    first_name = factory.Sequence(lambda n: f"Kari{n}")
    last_name = factory.Sequence(lambda n: f"Nordmann{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.no")
    phone = factory.Sequence(lambda n: f"4{n:07d}")
    employee_number = factory.Sequence(lambda n: f"A{n:05d}")
    username = factory.Sequence(lambda n: f"person{n}")
    search_text = factory.LazyAttribute(lambda p: Person.compute_search_text(p))
    password = factory.django.Password("riktig-passord-123")


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    organization = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    function = Team.Function.IT

    @factory.post_generation
    def serves(obj: Team, create: bool, extracted: list[Organization] | None, **kwargs: object) -> None:
        if create and extracted:
            obj.served_organizations.set(extracted)


class TeamMembershipFactory(DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    person = factory.SubFactory(PersonFactory)


class RoleGrantFactory(DjangoModelFactory):
    class Meta:
        model = RoleGrant

    person = factory.SubFactory(PersonFactory)
    organization = factory.SelfAttribute("person.organization")
