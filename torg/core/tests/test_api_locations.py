"""The locations API: generated cases plus what is specific to locations."""

from __future__ import annotations

from typing import Any

from torg.core.models import Location, Organization
from torg.core.testing.api import TenantModelApiTests, assert_error
from torg.core.tests.factories import LocationFactory


class TestLocationApi(TenantModelApiTests):
    path = "/locations/"
    model = Location
    writers = (("admin", "member"), ("customer_manager", "other"))
    patch_payload = {"name": "Knarvik barnehage", "kind": "kindergarten"}

    def make(self, world: Any, organization: Organization) -> Location:
        return LocationFactory(organization=organization)

    def create_payload(self, world: Any, organization: Organization) -> dict[str, Any]:
        return {
            "organization": organization.pk,
            "name": "Alversund skule",
            "kind": "school",
            "street_address": "Skulevegen 1",
            "postal_code": "5911",
            "city": "Alversund",
        }

    def test_filter_by_kind_and_search_in_city(self) -> None:
        api = self.as_("admin")
        api.post(self.path, self.create_payload(self.world, self.world.member))
        home = LocationFactory(organization=self.world.member, kind="nursing_home", city="Frekhaug")
        assert self.ids(api.get(self.path, {"kind": "nursing_home"})) == {home.pk}
        assert self.ids(api.get(self.path, {"search": "frekhaug"})) == {home.pk}

    def test_an_unknown_kind_is_422(self) -> None:
        payload = self.create_payload(self.world, self.world.member) | {"kind": "castle"}
        assert_error(self.as_("admin").post(self.path, payload), 422, "kind")

    def test_employee_sees_the_locations_of_their_organization(self) -> None:
        mine = LocationFactory(organization=self.world.member)
        theirs = LocationFactory(organization=self.world.other)
        ids = self.ids(self.as_("employee").get(self.path))
        assert mine.pk in ids
        assert theirs.pk not in ids
