"""The calendars API: the generated cases, plus hours, special days and the effect."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from torg.core.models import AuditEntry, Organization, Role
from torg.core.testing.api import TenantModelApiTests, assert_error
from torg.core.tests.factories import PersonFactory, ProviderFactory, RoleGrantFactory
from torg.sla.models import BusinessCalendar, OpeningSpan, SpecialDay
from torg.sla.tests.factories import BusinessCalendarFactory, OpeningSpanFactory

OFFICE = {day: [["08:00", "16:00"]] for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}


class TestCalendarApi(TenantModelApiTests):
    path = "/calendars/"
    model = BusinessCalendar
    writers = (("admin", "member"), ("service_owner", "member"))
    reader = "service_owner"  # reaches the world's provider; the agent may read but not write
    patch_payload = {"name": "Sommartid", "public_holidays": False}
    invalid_payload = {"time_zone": "Europe/Bergen"}
    malformed_patch_payload = {"name": ["ikkje", "tekst"]}

    @pytest.fixture(autouse=True)
    def _setup(self, world: Any, client: Client) -> None:
        world.service_owner = PersonFactory(organization=world.provider, username="so")
        RoleGrantFactory(person=world.service_owner, role=Role.SERVICE_OWNER, organization=world.provider)
        self.world = world
        self.client = client

    # Calendars belong to providers: "member" is the world's provider, "other" another provider.
    def make(self, world: Any, organization: Organization) -> BusinessCalendar:
        provider = world.provider if organization == world.member else ProviderFactory()
        calendar = BusinessCalendarFactory(organization=provider)
        OpeningSpanFactory(calendar=calendar)
        return calendar

    def create_payload(self, world: Any, organization: Organization) -> dict[str, Any]:
        provider = world.provider if organization == world.member else organization
        return {"organization": provider.pk, "name": "Kontortid Knarvik"}

    # Hours.

    def test_put_hours_replaces_the_week(self) -> None:
        calendar = self.make(self.world, self.world.member)
        response = self.as_("service_owner").put(self.item(calendar, "/hours"), OFFICE)
        assert response.status_code == 200, response.content.decode()
        assert response.json()["hours"]["friday"] == [["08:00", "16:00"]]
        assert response.json()["hours"]["saturday"] == []
        assert calendar.spans.count() == 5

    def test_overlapping_hours_are_a_field_error_and_change_nothing(self) -> None:
        calendar = self.make(self.world, self.world.member)
        api = self.as_("admin")  # its token is audited when made
        before, audited = list(OpeningSpan.objects.values_list("pk", flat=True)), AuditEntry.objects.count()
        payload = OFFICE | {"tuesday": [["08:00", "12:00"], ["11:59", "16:00"]]}
        assert_error(api.put(self.item(calendar, "/hours"), payload), 400, "tuesday")
        assert list(OpeningSpan.objects.values_list("pk", flat=True)) == before
        assert AuditEntry.objects.count() == audited

    def test_agent_may_not_change_hours_or_special_days(self) -> None:
        calendar = self.make(self.world, self.world.member)
        api = self.as_("agent")
        assert api.get(self.item(calendar)).status_code == 200
        assert_error(api.put(self.item(calendar, "/hours"), OFFICE), 403)
        day = {"name": "Stengt", "start_date": "2027-01-04"}
        assert_error(api.post(self.item(calendar, "/special-days"), day), 403)
        assert calendar.spans.count() == 1

    def test_another_providers_calendar_is_404_for_hours_days_and_effect(self) -> None:
        theirs = self.make(self.world, self.world.other)
        api = self.as_("service_owner")
        assert_error(api.put(self.item(theirs, "/hours"), OFFICE), 404)
        assert_error(
            api.post(self.item(theirs, "/special-days"), {"name": "x", "start_date": "2027-01-04"}), 404
        )
        assert_error(api.get(self.item(theirs, "/effect")), 404)

    # Special days and the effect.

    def test_special_day_added_shows_in_the_effect_and_is_removed(self) -> None:
        calendar = self.make(self.world, self.world.member)
        api = self.as_("service_owner")
        response = api.post(
            self.item(calendar, "/special-days"),
            {
                "name": "Planleggingsdag",
                "start_date": "2027-01-04",
                "kind": "special",
                "spans": [["10:00", "14:00"]],
            },
        )
        assert response.status_code == 201, response.content.decode()
        day = response.json()
        assert (day["end_date"], day["spans"]) == ("2027-01-04", [["10:00", "14:00"]])
        effect = api.get(self.item(calendar, "/effect"), {"from": "2027-01-01", "months": 1}).json()
        assert effect[0]["month"] == "2027-01-01"
        assert {
            "date": "2027-01-04",
            "names": ["Planleggingsdag"],
            "hours": ["10:00–14:00"],
            "holiday": False,
        } in (effect[0]["days"])
        path = "/api/v1" + self.item(calendar, f"/special-days/{day['id']}")
        response = self.client.delete(path, headers=api.headers)
        assert response.status_code == 204
        assert not SpecialDay.objects.exists()

    def test_effect_lists_17_may_2027_once_with_both_names(self) -> None:
        calendar = self.make(self.world, self.world.member)
        effect = (
            self.as_("agent").get(self.item(calendar, "/effect"), {"from": "2027-05-17", "months": 1}).json()
        )
        may17 = [day for day in effect[0]["days"] if day["date"] == "2027-05-17"]
        assert may17 == [
            {"date": "2027-05-17", "names": ["Andre pinsedag", "Grunnlovsdag"], "hours": [], "holiday": True}
        ]

    def test_effect_months_are_bounded(self) -> None:
        calendar = self.make(self.world, self.world.member)
        assert_error(self.as_("agent").get(self.item(calendar, "/effect"), {"months": 25}), 422, "months")
