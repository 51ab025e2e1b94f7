"""The people API: generated cases plus the CSV export and the people-specific rules."""

from __future__ import annotations

import csv
import io
from typing import Any

from torg.core.models import AuditEntry, Organization, Person
from torg.core.testing.api import TenantModelApiTests, assert_error
from torg.core.tests.factories import DepartmentFactory, LocationFactory, PersonFactory


class TestPersonApi(TenantModelApiTests):
    path = "/people/"
    model = Person
    writers = (("admin", "member"), ("agent", "member"), ("customer_manager", "other"))
    search_field = "last_name"
    patch_payload = {"first_name": "Kristin", "phone": "98765432"}
    invalid_payload = {"email": "ikkje-ei-adresse"}
    malformed_patch_payload = {"first_name": ["ikkje", "tekst"], "department": "ein"}

    def make(self, world: Any, organization: Organization) -> Person:
        return PersonFactory(organization=organization)

    def create_payload(self, world: Any, organization: Organization) -> dict[str, Any]:
        return {
            "organization": organization.pk,
            "first_name": "Solveig",
            "last_name": "Haugland",
            "email": f"solveig.haugland@{organization.pk}.kommune.no",
            "phone": "55 12 34 56",
            "employee_number": "H-1001",
        }

    def export(self, role: str | None, params: dict[str, Any] | None = None) -> list[dict[str, str]]:
        response = self.as_(role).get(f"{self.path}export.csv", params)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    def test_search_finds_by_words_of_name_email_phone_and_number(self) -> None:
        person = PersonFactory(
            organization=self.world.member, first_name="Ingrid", last_name="Bø", phone="41 00 00 01"
        )
        api = self.as_("agent")
        assert self.ids(api.get(self.path, {"search": "ingrid bø"})) == {person.pk}
        assert self.ids(api.get(self.path, {"search": "41000001"})) == {person.pk}

    def test_filter_by_department_and_location(self) -> None:
        api = self.as_("agent")
        employee = self.world.employee
        assert self.ids(api.get(self.path, {"department": employee.department_id})) == {employee.pk}
        assert self.ids(api.get(self.path, {"location": employee.location_id})) == {employee.pk}

    def test_employee_sees_only_themself(self) -> None:
        assert self.ids(self.as_("employee").get(self.path)) == {self.world.employee.pk}

    def test_a_department_the_writer_cannot_see_is_unknown(self) -> None:
        theirs = DepartmentFactory(organization=self.world.other)
        payload = self.create_payload(self.world, self.world.member) | {"department": theirs.pk}
        error = assert_error(self.as_("agent").post(self.path, payload), 400, "department")
        assert str(theirs.pk) in error["fields"]["department"][0]

    def test_a_department_of_another_organization_is_refused(self) -> None:
        theirs = LocationFactory(organization=self.world.other)
        payload = self.create_payload(self.world, self.world.member) | {"location": theirs.pk}
        assert_error(self.as_("admin").post(self.path, payload), 400, "location")

    def test_patch_moves_a_person_to_another_department(self) -> None:
        department = DepartmentFactory(organization=self.world.member)
        response = self.as_("agent").patch(
            f"{self.path}{self.world.employee.pk}", {"department": department.pk}
        )
        assert response.status_code == 200
        assert response.json()["department"] == department.pk

    def test_a_person_cannot_deactivate_themself(self) -> None:
        assert_error(self.as_("agent").post(f"{self.path}{self.world.agent.pk}/deactivate"), 400)

    def test_duplicate_email_is_a_field_error(self) -> None:
        payload = self.create_payload(self.world, self.world.member) | {
            "email": self.world.employee.email.upper()
        }
        assert_error(self.as_("admin").post(self.path, payload), 400)

    def test_export_contains_only_visible_people_and_logs_the_bulk_read(self) -> None:
        PersonFactory.create_batch(3, organization=self.world.member)
        hidden = PersonFactory(organization=self.world.other)
        rows = self.export("agent")
        ids = {int(row["id"]) for row in rows}
        assert ids == set(Person.objects.visible_to(self.world.agent).values_list("id", flat=True))
        assert self.world.employee.pk in ids
        assert hidden.pk not in ids
        assert self.world.other_employee.pk not in ids
        employee = next(row for row in rows if int(row["id"]) == self.world.employee.pk)
        assert employee["department"] == "Oppvekst"
        assert employee["organization"] == self.world.member.name
        entries = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=self.world.agent)
        assert {entry.organization_id for entry in entries} == {
            self.world.member.pk,
            self.world.provider.pk,
        }
        assert all(entry.channel == "api" and entry.changes == {"rows": len(rows)} for entry in entries)

    def test_export_follows_the_filters(self) -> None:
        rows = self.export("customer_manager", {"search": "annen"})
        assert [int(row["id"]) for row in rows] == [self.world.other_employee.pk]

    def test_export_writes_formulas_as_text(self) -> None:
        PersonFactory(organization=self.world.member, first_name="=HYPERLINK(1)", phone="+47 55 00 00 00")
        row = next(row for row in self.export("agent") if "HYPERLINK" in row["first_name"])
        assert row["first_name"] == "'=HYPERLINK(1)"
        assert row["phone"] == "+47 55 00 00 00"

    def test_export_is_for_authenticated_callers_only(self) -> None:
        assert_error(self.as_(None).get(f"{self.path}export.csv"), 401)
        assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()
