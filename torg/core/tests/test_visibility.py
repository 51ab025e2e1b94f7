"""The tenancy gate: what each role reaches, model by model."""

from __future__ import annotations

import pytest

from torg.core.models import AuditEntry, Department, Location, Organization, Person, Team


def names(queryset) -> set[str]:
    return {str(obj) for obj in queryset}


def test_agent_reaches_the_organizations_their_teams_serve_and_their_own(world):
    assert names(Organization.objects.visible_to(world.agent)) == {"Vestland IKT", "Lindås kommune"}
    people = Person.objects.visible_to(world.agent)
    assert world.employee in people and world.other_employee not in people


def test_employee_sees_their_own_organization_publicly_and_only_their_own_record(world):
    assert names(Organization.objects.visible_to(world.employee)) == {"Lindås kommune"}
    assert list(Person.objects.visible_to(world.employee)) == [world.employee]
    assert Department.objects.visible_to(world.employee).count() == 1
    assert Location.objects.visible_to(world.employee).count() == 1
    assert not Team.objects.visible_to(world.employee).exists()
    assert not AuditEntry.objects.visible_to(world.employee).exists()


def test_customer_manager_sees_their_organization_not_the_others(world):
    reached = names(Organization.objects.visible_to(world.customer_manager))
    assert "Fjellby kommune" in reached and "Lindås kommune" not in reached
    assert world.other_employee in Person.objects.visible_to(world.customer_manager)
    assert world.employee not in Person.objects.visible_to(world.customer_manager)


def test_administrator_sees_everything(world):
    assert Organization.objects.visible_to(world.admin).count() == 3
    assert Person.objects.visible_to(world.admin).count() == Person.objects.count()


@pytest.mark.parametrize("role", ["agent", "lead"])
def test_deactivated_team_gives_no_reach(world, role):
    person = getattr(world, role)
    Team.objects.update(is_active=False)
    person = Person.objects.get(pk=person.pk)
    assert world.employee not in Person.objects.visible_to(person)


def test_deactivated_person_reaches_nothing(world):
    Person.objects.filter(pk=world.agent.pk).update(is_active=False)
    agent = Person.objects.get(pk=world.agent.pk)
    assert not Person.objects.visible_to(agent).exists()
