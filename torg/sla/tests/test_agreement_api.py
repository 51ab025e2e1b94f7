"""The agreements API: the generated cases, plus targets, who may keep agreements and the calendar check."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from torg.core.models import AuditEntry, Channel, Organization, Role, Team
from torg.core.testing.api import TenantModelApiTests, assert_error
from torg.core.tests.factories import PersonFactory, ProviderFactory, RoleGrantFactory, TeamMembershipFactory
from torg.desk.tests.factories import TicketFactory
from torg.sla import services
from torg.sla.models import Agreement, AgreementTarget, BusinessCalendar
from torg.sla.tests.factories import AgreementFactory, AgreementTargetFactory, BusinessCalendarFactory
from torg.sla.timers import on_change

OFFICE = {day: [["08:00", "16:00"]] for day in range(5)}
TARGETS = {
    "targets": [
        {"priority": 1, "response_minutes": 15, "resolution_minutes": 90},
        {"priority": 3, "response_minutes": 60, "resolution_minutes": 480},
    ]
}


class TestAgreementApi(TenantModelApiTests):
    path = "/agreements/"
    model = Agreement
    writers = (("admin", "member"), ("service_owner", "member"), ("customer_manager", "other"))
    reader = "lindas_manager"  # keeps Lindås's agreements, does not reach Fjellby
    patch_payload = {"name": "Standard med kontortid", "kind": "incident"}
    invalid_payload = {"name": ""}
    malformed_patch_payload = {"kind": "alt"}

    @pytest.fixture(autouse=True)
    def _setup(self, world: Any, client: Client) -> None:
        world.service_owner = PersonFactory(organization=world.provider, username="so")
        RoleGrantFactory(person=world.service_owner, role=Role.SERVICE_OWNER, organization=world.provider)
        TeamMembershipFactory(team=Team.objects.get(name="1. linje"), person=world.service_owner)
        world.lindas_manager = PersonFactory(organization=world.member, username="lindas")
        RoleGrantFactory(person=world.lindas_manager, role=Role.CUSTOMER_MANAGER, organization=world.member)
        self.world = world
        self.client = client

    def make(self, world: Any, organization: Organization) -> Agreement:
        agreement = AgreementFactory(organization=organization)
        AgreementTargetFactory(agreement=agreement, priority=3)
        return agreement

    def create_payload(self, world: Any, organization: Organization) -> dict[str, Any]:
        return {"organization": organization.pk, "name": "Standard"}

    def office(self, provider: Organization | None = None) -> BusinessCalendar:
        calendar = BusinessCalendarFactory(organization=provider or self.world.provider, name="Kontortid")
        services.calendar_set_hours(calendar=calendar, hours=OFFICE, by=self.world.admin, via=Channel.PAGE)
        return calendar

    # Reading.

    def test_detail_has_the_targets_and_the_calendar(self) -> None:
        calendar = self.office()
        agreement = AgreementFactory(organization=self.world.member, calendar=calendar)
        AgreementTargetFactory(agreement=agreement, priority=2, response_minutes=30, resolution_minutes=240)
        body = self.as_("agent").get(self.item(agreement)).json()
        assert body["calendar"] == calendar.pk
        assert body["kind"] == ""
        assert body["targets"] == [{"priority": 2, "response_minutes": 30, "resolution_minutes": 240}]

    def test_list_filters_by_organization(self) -> None:
        lindas, fjellby = self.make(self.world, self.world.member), self.make(self.world, self.world.other)
        api = self.as_("admin")
        assert self.ids(api.get(self.path, {"organization": self.world.other.pk})) == {fjellby.pk}
        assert lindas.pk in self.ids(api.get(self.path, {"organization": self.world.member.pk}))

    # Targets.

    def test_put_targets_replaces_them_and_history_shows_the_change(self) -> None:
        agreement = self.make(self.world, self.world.member)
        api = self.as_("service_owner")
        response = api.put(self.item(agreement, "/targets"), TARGETS)
        assert response.status_code == 200, response.content.decode()
        assert response.json()["targets"] == TARGETS["targets"]
        entry = api.get(self.item(agreement, "/history")).json()["items"][0]
        before, after = entry["changes"]["targets"]
        assert before == "3 – Normal: response 1 h, resolution 8 h"
        assert after.startswith("1 – Critical: response 15 min, resolution 1 h 30 min; ")

    @pytest.mark.parametrize(
        ("target", "field"),
        [
            ({"priority": 5, "response_minutes": 10, "resolution_minutes": 20}, "targets.1.priority"),
            ({"priority": 2, "response_minutes": 0, "resolution_minutes": 20}, "targets.1.response_minutes"),
            (
                {"priority": 2, "response_minutes": 10, "resolution_minutes": 10**6},
                "targets.1.resolution_minutes",
            ),
            ({"priority": 1, "response_minutes": 10, "resolution_minutes": 20}, "targets"),
        ],
    )
    def test_wrong_targets_are_a_422_and_change_nothing(self, target: dict[str, int], field: str) -> None:
        agreement = self.make(self.world, self.world.member)
        api = self.as_("admin")
        audited = AuditEntry.objects.count()
        payload = {"targets": [TARGETS["targets"][0], target]}
        assert_error(api.put(self.item(agreement, "/targets"), payload), 422, field)
        assert list(AgreementTarget.objects.values_list("priority", flat=True)) == [3]
        assert AuditEntry.objects.count() == audited

    def test_a_response_time_longer_than_the_resolution_time_is_a_field_error(self) -> None:
        agreement = self.make(self.world, self.world.member)
        api = self.as_("admin")
        payload = {"targets": [{"priority": 1, "response_minutes": 120, "resolution_minutes": 60}]}
        error = assert_error(api.put(self.item(agreement, "/targets"), payload), 400, "response_1")
        assert error["fields"]["response_1"] == [
            "The response time cannot be longer than the resolution time."
        ]
        assert list(AgreementTarget.objects.values_list("priority", flat=True)) == [3]

    def test_new_targets_move_the_due_time_of_an_open_case(
        self, django_capture_on_commit_callbacks: Any
    ) -> None:
        agreement = AgreementFactory(organization=self.world.member)
        AgreementTargetFactory(agreement=agreement, priority=3, response_minutes=60, resolution_minutes=480)
        ticket = TicketFactory(caller=self.world.employee, priority=3)
        timer = on_change(ticket, now=timezone.now() - timedelta(minutes=10))
        payload = {"targets": [{"priority": 3, "response_minutes": 20, "resolution_minutes": 240}]}
        with django_capture_on_commit_callbacks(execute=True):
            response = self.as_("service_owner").put(self.item(agreement, "/targets"), payload)
        assert response.status_code == 200
        ticket.refresh_from_db()
        assert ticket.sla_due == timer.started_at + timedelta(minutes=20)

    # Who may keep agreements, and what they may count on.

    def test_agent_and_another_organizations_customer_manager_may_not_write(self) -> None:
        lindas = self.make(self.world, self.world.member)
        agent = self.as_("agent")
        assert agent.get(self.item(lindas)).status_code == 200
        assert_error(agent.post(self.path, self.create_payload(self.world, self.world.member)), 403)
        assert_error(agent.patch(self.item(lindas), {"name": "Endra"}), 403)
        assert_error(agent.put(self.item(lindas, "/targets"), TARGETS), 403)
        cm = self.as_("customer_manager")  # follows Fjellby
        assert_error(
            cm.post(self.path, self.create_payload(self.world, self.world.member)), 400, "organization"
        )
        assert_error(cm.put(self.item(lindas, "/targets"), TARGETS), 404)
        assert list(AgreementTarget.objects.values_list("priority", flat=True)) == [3]

    def test_another_providers_calendar_is_a_field_error(self) -> None:
        theirs = self.office(ProviderFactory(name="Sunnfjord IKT"))
        api = self.as_("admin")
        payload = self.create_payload(self.world, self.world.member) | {"calendar": theirs.pk}
        error = assert_error(api.post(self.path, payload), 400, "calendar")
        assert "Vestland IKT" in error["fields"]["calendar"][0]
        agreement = self.make(self.world, self.world.member)
        assert_error(api.patch(self.item(agreement), {"calendar": theirs.pk}), 400, "calendar")
        ours = self.office()
        response = api.patch(self.item(agreement), {"calendar": ours.pk})
        assert response.json()["calendar"] == ours.pk
        assert api.patch(self.item(agreement), {"calendar": None}).json()["calendar"] is None
