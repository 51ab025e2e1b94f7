from __future__ import annotations

from typing import Any

from torg.core.models import Department, Location, Organization, Person, Team
from torg.core.testing.pages import TenantModelViewTests
from torg.core.tests.factories import (
    DepartmentFactory,
    LocationFactory,
    OrganizationFactory,
    PersonFactory,
    ProviderFactory,
    TeamFactory,
    organization_number,
)


class TestOrganizationPages(TenantModelViewTests):
    url_prefix = "organization"

    def make(self, world: Any, organization: Organization, **fields: Any) -> Organization:
        return OrganizationFactory(provider=organization.provider or organization, **fields)

    def visible(self, world: Any) -> Organization:
        member = OrganizationFactory(provider=world.provider)
        world.agent.teams.first().served_organizations.add(member)
        return member

    def hidden(self, world: Any) -> Organization:
        return world.other

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "name": "Masfjorden kommune",
            "kind": "member",
            "provider": world.provider.pk,
            "organization_number": organization_number(9001),
            "municipality_code": "4634",
            "language": "nn",
        }

    def created(self, world: Any) -> Organization:
        return Organization.objects.get(name="Masfjorden kommune")

    def update_data(self, world: Any, obj: Organization) -> dict[str, Any]:
        return {
            "name": "Nytt namn kommune",
            "kind": "member",
            "provider": world.provider.pk,
            "organization_number": obj.organization_number,
            "municipality_code": "",
            "language": "nb",
        }


class TestDepartmentPages(TenantModelViewTests):
    url_prefix = "department"

    def make(self, world: Any, organization: Organization, **fields: Any) -> Department:
        return DepartmentFactory(organization=organization, **fields)

    def create_data(self, world: Any) -> dict[str, Any]:
        return {"organization": world.member.pk, "name": "Helse og omsorg", "code": "HO"}

    def created(self, world: Any) -> Department:
        return Department.objects.get(name="Helse og omsorg")

    def update_data(self, world: Any, obj: Department) -> dict[str, Any]:
        return {"name": "Oppvekst og kultur", "code": "OK1"}


class TestLocationPages(TenantModelViewTests):
    url_prefix = "location"

    def make(self, world: Any, organization: Organization, **fields: Any) -> Location:
        return LocationFactory(organization=organization, **fields)

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "organization": world.member.pk,
            "name": "Alversund skule",
            "kind": "school",
            "street_address": "Skulevegen 1",
            "postal_code": "5911",
            "city": "Alversund",
        }

    def created(self, world: Any) -> Location:
        return Location.objects.get(name="Alversund skule")

    def update_data(self, world: Any, obj: Location) -> dict[str, Any]:
        return {
            "name": "Knarvik sjukeheim",
            "kind": "nursing_home",
            "street_address": "",
            "postal_code": "",
            "city": "Knarvik",
        }


class TestPersonPages(TenantModelViewTests):
    url_prefix = "person"
    writer = "agent"
    outsider = None
    search_field = "last_name"

    def make(self, world: Any, organization: Organization, **fields: Any) -> Person:
        return PersonFactory(organization=organization, **fields)

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "organization": world.member.pk,
            "first_name": "Åse",
            "last_name": "Ødegård",
            "email": "ase.odegard@lindas.kommune.no",
            "phone": "90012345",
            "employee_number": "L-1001",
            "department": "",
            "location": "",
            "language": "",
        }

    def created(self, world: Any) -> Person:
        return Person.objects.get(last_name="Ødegård")

    def update_data(self, world: Any, obj: Person) -> dict[str, Any]:
        return {
            "first_name": obj.first_name,
            "last_name": "Bjørnstad",
            "email": obj.email,
            "phone": obj.phone,
            "employee_number": obj.employee_number,
            "department": "",
            "location": "",
            "language": "nn",
        }


class TestTeamPages(TenantModelViewTests):
    url_prefix = "team"

    def make(self, world: Any, organization: Organization, **fields: Any) -> Team:
        return TeamFactory(organization=organization, **fields)

    def visible(self, world: Any) -> Team:
        return TeamFactory(organization=world.provider, serves=[world.member])

    def hidden(self, world: Any) -> Team:
        other_provider = ProviderFactory()
        return TeamFactory(organization=other_provider, serves=[OrganizationFactory(provider=other_provider)])

    def create_data(self, world: Any) -> dict[str, Any]:
        return {
            "organization": world.provider.pk,
            "name": "2. linje",
            "function": "it",
            "email": "",
            "served_organizations": [world.member.pk, world.other.pk],
        }

    def created(self, world: Any) -> Team:
        return Team.objects.get(name="2. linje")

    def update_data(self, world: Any, obj: Team) -> dict[str, Any]:
        return {
            "name": "Drift",
            "function": "facilities",
            "email": "drift@vestland-ikt.no",
            "served_organizations": [world.member.pk],
        }
