"""The teams API: generated cases plus members and served organizations."""

from __future__ import annotations

from typing import Any

from torg.core.models import AuditEntry, Organization, Team
from torg.core.testing.api import TenantModelApiTests, assert_error
from torg.core.tests.factories import OrganizationFactory, PersonFactory, ProviderFactory, TeamFactory


class TestTeamApi(TenantModelApiTests):
    path = "/teams/"
    model = Team
    organization_field = None  # teams belong to the provider; a team "of" an organization serves it
    patch_payload = {"name": "2. linje", "function": "hr"}

    def make(self, world: Any, organization: Organization) -> Team:
        # The agent reaches every team of their own provider, so the team that must stay hidden belongs to
        # another provider; it serves `organization`.
        return TeamFactory(organization=ProviderFactory(), serves=[organization])

    def create_payload(self, world: Any, organization: Organization) -> dict[str, Any]:
        return {
            "organization": world.provider.pk,
            "name": "Personal",
            "function": "hr",
            "email": "personal@vestland-ikt.no",
            "served_organizations": [organization.pk],
        }

    def team(self) -> Team:
        return Team.objects.get(name="1. linje")

    def test_detail_lists_served_organizations_and_members_with_leads(self) -> None:
        response = self.as_("agent").get(f"{self.path}{self.team().pk}")
        assert response.status_code == 200
        body = response.json()
        assert body["served_organizations"] == [self.world.member.pk]
        assert {(m["id"], m["is_lead"]) for m in body["members"]} == {
            (self.world.agent.pk, False),
            (self.world.lead.pk, True),
        }
        assert {m["name"] for m in body["members"]} == {"Ola Agent", "Lise Leder"}

    def test_create_serves_the_chosen_organizations(self) -> None:
        response = self.as_("admin").post(self.path, self.create_payload(self.world, self.world.other))
        assert response.status_code == 201
        assert response.json()["served_organizations"] == [self.world.other.pk]

    def test_create_needs_a_provider(self) -> None:
        payload = self.create_payload(self.world, self.world.member) | {"organization": self.world.member.pk}
        assert_error(self.as_("admin").post(self.path, payload), 400, "organization")

    def test_patch_changes_the_served_organizations_and_audits_them(self) -> None:
        team = self.team()
        served = sorted([self.world.member.pk, self.world.other.pk])
        response = self.as_("admin").patch(f"{self.path}{team.pk}", {"served_organizations": served})
        assert response.status_code == 200
        assert response.json()["served_organizations"] == served
        entry = self.audited(team, AuditEntry.Action.UPDATE, self.world.admin)
        assert entry.changes["served_organizations"][1] == sorted(
            [self.world.member.name, self.world.other.name]
        )

    def test_serving_an_organization_of_another_provider_is_refused(self) -> None:
        foreign = OrganizationFactory()
        response = self.as_("admin").patch(
            f"{self.path}{self.team().pk}", {"served_organizations": [foreign.pk]}
        )
        assert_error(response, 400, "served_organizations")

    def test_an_unknown_served_organization_is_a_field_error(self) -> None:
        response = self.as_("admin").patch(
            f"{self.path}{self.team().pk}", {"served_organizations": [987654321]}
        )
        error = assert_error(response, 400, "served_organizations")
        assert "987654321" in error["fields"]["served_organizations"][0]

    def test_put_members_replaces_members_and_leads(self) -> None:
        team = self.team()
        newcomer = PersonFactory(organization=self.world.provider, first_name="Nils", last_name="Ny")
        payload = {"members": [self.world.agent.pk, newcomer.pk], "leads": [newcomer.pk]}
        response = self.as_("admin").put(f"{self.path}{team.pk}/members", payload)
        assert response.status_code == 200, response.content
        assert {(m["id"], m["is_lead"]) for m in response.json()["members"]} == {
            (self.world.agent.pk, False),
            (newcomer.pk, True),
        }
        entry = self.audited(team, AuditEntry.Action.UPDATE, self.world.admin)
        assert entry.changes["leads"] == [["Lise Leder"], ["Nils Ny"]]

    def test_a_lead_is_a_member_too(self) -> None:
        response = self.as_("admin").put(f"{self.path}{self.team().pk}/members", {"members": [], "leads": [
            self.world.lead.pk
        ]})  # fmt: skip
        assert [(m["id"], m["is_lead"]) for m in response.json()["members"]] == [(self.world.lead.pk, True)]

    def test_members_must_work_for_the_provider(self) -> None:
        payload = {"members": [self.world.employee.pk]}
        assert_error(self.as_("admin").put(f"{self.path}{self.team().pk}/members", payload), 400, "members")

    def test_an_unknown_member_is_a_field_error_and_changes_nothing(self) -> None:
        team = self.team()
        payload = {"members": [self.world.agent.pk, 987654321], "leads": [987654322]}
        error = assert_error(
            self.as_("admin").put(f"{self.path}{team.pk}/members", payload), 400, "members", "leads"
        )
        assert "987654321" in error["fields"]["members"][0]
        assert team.memberships.count() == 2

    def test_an_agent_may_not_change_the_members(self) -> None:
        payload = {"members": [self.world.agent.pk]}
        assert_error(self.as_("agent").put(f"{self.path}{self.team().pk}/members", payload), 403)
        assert self.team().memberships.count() == 2

    def test_customer_manager_sees_teams_that_serve_their_organization(self) -> None:
        serving_other = TeamFactory(organization=ProviderFactory(), serves=[self.world.other])
        serving_member = TeamFactory(organization=ProviderFactory(), serves=[self.world.member])
        ids = self.ids(self.as_("customer_manager").get(self.path))
        assert serving_other.pk in ids
        assert serving_member.pk not in ids

    def test_filter_by_function(self) -> None:
        hr = TeamFactory(organization=self.world.provider, function="hr")
        assert self.ids(self.as_("admin").get(self.path, {"function": "hr"})) == {hr.pk}
