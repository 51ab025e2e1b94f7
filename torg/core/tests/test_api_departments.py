"""The departments API: generated cases plus moving in the tree."""

from __future__ import annotations

from typing import Any

from torg.core.models import AuditEntry, Department, Organization
from torg.core.testing.api import TenantModelApiTests, assert_error
from torg.core.tests.factories import DepartmentFactory, PersonFactory


class TestDepartmentApi(TenantModelApiTests):
    path = "/departments/"
    model = Department
    writers = (("admin", "member"), ("customer_manager", "other"))
    patch_payload = {"name": "Helse og omsorg", "code": "HO-2"}

    def make(self, world: Any, organization: Organization) -> Department:
        return DepartmentFactory(organization=organization)

    def create_payload(self, world: Any, organization: Organization) -> dict[str, Any]:
        return {"organization": organization.pk, "name": "Kultur", "code": "KU"}

    def tree(self) -> tuple[Department, Department, Department]:
        top = DepartmentFactory(organization=self.world.member, name="Oppvekst og kultur")
        school = DepartmentFactory(organization=self.world.member, parent=top, name="Skule")
        class_ = DepartmentFactory(organization=self.world.member, parent=school, name="Klasse 1A")
        return top, school, class_

    def test_create_under_a_parent(self) -> None:
        top, _school, _class = self.tree()
        payload = {"organization": self.world.member.pk, "name": "Bibliotek", "parent": top.pk}
        response = self.as_("admin").post(self.path, payload)
        assert response.status_code == 201
        assert response.json()["parent"] == top.pk
        assert response.json()["depth"] == 1

    def test_move_takes_the_subtree_along_and_is_audited(self) -> None:
        top, school, class_ = self.tree()
        other_top = DepartmentFactory(organization=self.world.member, name="Helse")
        response = self.as_("admin").post(f"{self.path}{school.pk}/move", {"parent": other_top.pk})
        assert response.status_code == 200, response.content
        assert response.json()["parent"] == other_top.pk
        class_.refresh_from_db()
        assert class_.path == f"/{other_top.pk}/{school.pk}/{class_.pk}/"
        assert class_.depth == 2
        entry = self.audited(school, AuditEntry.Action.MOVE, self.world.admin)
        assert entry.changes["parent"] == [top.name, other_top.name]

    def test_move_to_the_top_of_the_tree(self) -> None:
        _top, school, _class = self.tree()
        response = self.as_("admin").post(f"{self.path}{school.pk}/move", {"parent": None})
        assert response.status_code == 200
        assert response.json()["parent"] is None
        assert response.json()["depth"] == 0

    def test_move_below_itself_is_refused(self) -> None:
        top, _school, class_ = self.tree()
        assert_error(
            self.as_("admin").post(f"{self.path}{top.pk}/move", {"parent": class_.pk}), 400, "parent"
        )
        top.refresh_from_db()
        assert top.parent is None

    def test_move_under_another_organizations_department_is_refused(self) -> None:
        _top, school, _class = self.tree()
        theirs = DepartmentFactory(organization=self.world.other)
        # The customer manager reaches both; the service keeps the tree inside one organization.
        other_school = DepartmentFactory(organization=self.world.other)
        response = self.as_("admin").post(f"{self.path}{school.pk}/move", {"parent": theirs.pk})
        assert_error(response, 400, "parent")
        response = self.as_("customer_manager").post(
            f"{self.path}{other_school.pk}/move", {"parent": school.pk}
        )
        assert_error(response, 400, "parent")  # the member's department is unknown to them

    def test_employee_may_not_move(self) -> None:
        _top, school, _class = self.tree()
        assert_error(self.as_("employee").post(f"{self.path}{school.pk}/move", {"parent": None}), 403)

    def test_deactivating_a_department_with_people_is_refused(self) -> None:
        department = DepartmentFactory(organization=self.world.member)
        PersonFactory(organization=self.world.member, department=department)
        error = assert_error(self.as_("admin").post(f"{self.path}{department.pk}/deactivate"), 400)
        assert error["message"]
        department.refresh_from_db()
        assert department.is_active

    def test_filter_by_parent_and_organization(self) -> None:
        top, school, _class = self.tree()
        api = self.as_("admin")
        assert self.ids(api.get(self.path, {"parent": top.pk})) == {school.pk}
        assert top.pk in self.ids(api.get(self.path, {"organization": self.world.member.pk}))
        assert top.pk not in self.ids(api.get(self.path, {"organization": self.world.other.pk}))
