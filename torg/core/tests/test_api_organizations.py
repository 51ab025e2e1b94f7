"""The organizations API: generated cases plus what is specific to organizations."""

from __future__ import annotations

from typing import Any

from torg.core.models import Organization
from torg.core.testing.api import TenantModelApiTests, assert_error
from torg.core.tests.factories import OrganizationFactory, organization_number


class TestOrganizationApi(TenantModelApiTests):
    path = "/organizations/"
    model = Organization
    organization_field = None  # an organization is its own
    patch_payload = {"name": "Nye Lindås kommune", "municipality_code": "4631"}

    def make(self, world: Any, organization: Organization) -> Organization:
        # An organization owns itself: a new member, served by the same teams as `organization`.
        new = OrganizationFactory(provider=world.provider)
        for team in organization.serving_teams.all():
            team.served_organizations.add(new)
        return new

    def create_payload(self, world: Any, organization: Organization) -> dict[str, Any]:
        return {
            "name": "Nyby kommune",
            "kind": "member",
            "provider": world.provider.pk,
            "organization_number": organization_number(40_000),
            "municipality_code": "4601",
            "language": "nn",
        }

    def test_filters_by_kind_and_municipality(self) -> None:
        api = self.as_("admin")
        assert self.ids(api.get(self.path, {"kind": "provider"})) == {self.world.provider.pk}
        bergen = OrganizationFactory(provider=self.world.provider, municipality_code="4601")
        assert self.ids(api.get(self.path, {"municipality_code": "4601"})) == {bergen.pk}

    def test_employee_sees_only_their_own_organization(self) -> None:
        assert self.ids(self.as_("employee").get(self.path)) == {self.world.member.pk}

    def test_an_unknown_provider_is_a_field_error(self) -> None:
        payload = self.create_payload(self.world, self.world.member) | {"provider": 987654321}
        error = assert_error(self.as_("admin").post(self.path, payload), 400, "provider")
        assert "987654321" in error["fields"]["provider"][0]

    def test_the_services_rules_come_back_as_field_errors(self) -> None:
        payload = self.create_payload(self.world, self.world.member) | {"provider": None}
        assert_error(self.as_("admin").post(self.path, payload), 400, "provider")
        payload = self.create_payload(self.world, self.world.member) | {"organization_number": "123456789"}
        error = assert_error(self.as_("admin").post(self.path, payload), 400, "organization_number")
        assert "123456789" in error["fields"]["organization_number"][0]

    def test_agent_may_read_but_not_change_an_organization(self) -> None:
        response = self.as_("agent").patch(f"{self.path}{self.world.member.pk}", {"name": "Anna"})
        assert_error(response, 403)
