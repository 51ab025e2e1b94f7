from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from torg.core.models import AuditEntry, Channel, Department, Organization, Person
from torg.core.services.organizations import (
    department_create,
    department_move,
    department_set_active,
    organization_create,
)
from torg.core.services.people import person_create, person_set_language, person_update
from torg.core.services.teams import team_create, team_set_members
from torg.core.tests.factories import OrganizationFactory, PersonFactory, organization_number

PAGE = Channel.PAGE


def tree(world, by):
    """Oppvekst → Skule → Klasse 1, and Helse at the root."""
    oppvekst = department_create(organization=world.member, name="Oppvekst", code="OPP", by=by, via=PAGE)
    skule = department_create(organization=world.member, name="Skule", parent=oppvekst, by=by, via=PAGE)
    klasse = department_create(organization=world.member, name="Klasse 1", parent=skule, by=by, via=PAGE)
    helse = department_create(organization=world.member, name="Helse", by=by, via=PAGE)
    return oppvekst, skule, klasse, helse


def test_moving_a_department_moves_its_whole_subtree(world):
    oppvekst, skule, klasse, helse = tree(world, world.admin)
    department_move(department=skule, parent=helse, by=world.admin, via=PAGE)
    klasse.refresh_from_db()
    skule.refresh_from_db()
    assert skule.parent == helse
    assert klasse.path == f"/{helse.pk}/{skule.pk}/{klasse.pk}/"
    assert klasse.depth == 2
    assert list(Department.objects.subtree(helse).order_by("depth")) == [helse, skule, klasse]
    assert not Department.objects.subtree(oppvekst).filter(pk=klasse.pk).exists()
    entry = AuditEntry.objects.filter(object_id=skule.pk, action="move").get()
    assert entry.changes["parent"] == ["Oppvekst", "Helse"]


def test_moving_to_the_root_and_back(world):
    oppvekst, skule, klasse, _helse = tree(world, world.admin)
    department_move(department=skule, parent=None, by=world.admin, via=PAGE)
    klasse.refresh_from_db()
    assert klasse.path == f"/{skule.pk}/{klasse.pk}/" and klasse.depth == 1
    department_move(department=skule, parent=oppvekst, by=world.admin, via=PAGE)
    klasse.refresh_from_db()
    assert klasse.path == f"/{oppvekst.pk}/{skule.pk}/{klasse.pk}/" and klasse.depth == 2


def test_a_department_cannot_move_below_itself(world):
    oppvekst, skule, klasse, _helse = tree(world, world.admin)
    with pytest.raises(ValidationError):
        department_move(department=oppvekst, parent=klasse, by=world.admin, via=PAGE)
    with pytest.raises(ValidationError):
        department_move(department=skule, parent=skule, by=world.admin, via=PAGE)
    klasse.refresh_from_db()
    assert klasse.path == f"/{oppvekst.pk}/{skule.pk}/{klasse.pk}/"


def test_a_department_cannot_move_into_another_organization(world):
    _oppvekst, skule, _klasse, _helse = tree(world, world.admin)
    foreign = department_create(organization=world.other, name="Teknisk", by=world.admin, via=PAGE)
    with pytest.raises(ValidationError):
        department_move(department=skule, parent=foreign, by=world.admin, via=PAGE)


def test_a_department_with_people_cannot_be_deactivated(world):
    department = world.employee.department
    with pytest.raises(ValidationError):
        department_set_active(department=department, active=False, by=world.admin, via=PAGE)


def test_customer_manager_keeps_the_departments_of_their_organization_only(world):
    department_create(organization=world.other, name="Kultur", by=world.customer_manager, via=PAGE)
    with pytest.raises(PermissionDenied):
        department_create(organization=world.member, name="Kultur", by=world.customer_manager, via=PAGE)


def test_agent_registers_people_only_where_their_teams_serve(world):
    person = person_create(
        organization=world.member, first_name="Siri", last_name="Ny", by=world.agent, via=PAGE
    )
    assert not person.has_login
    assert person.search_text == "siri ny"
    with pytest.raises(PermissionDenied):
        person_create(organization=world.other, first_name="Siri", last_name="Ny", by=world.agent, via=PAGE)


def test_a_person_cannot_get_a_department_of_another_organization(world):
    foreign = department_create(organization=world.other, name="Teknisk", by=world.admin, via=PAGE)
    with pytest.raises(ValidationError) as error:
        person_update(person=world.employee, department=foreign, by=world.admin, via=PAGE)
    assert "department" in error.value.error_dict
    world.employee.refresh_from_db()
    assert world.employee.department.name == "Oppvekst"


def test_email_is_unique_whatever_the_case(world):
    with pytest.raises(ValidationError):
        person_create(
            organization=world.member,
            first_name="A",
            last_name="B",
            email=world.employee.email.upper(),
            by=world.admin,
            via=PAGE,
        )


def test_update_audits_from_and_to_and_nothing_when_nothing_changes(world):
    person_update(person=world.employee, phone="99887766", by=world.agent, via=Channel.API)
    entry = AuditEntry.objects.filter(object_id=world.employee.pk, action="update").latest("id")
    assert entry.changes["phone"][1] == "99887766"
    assert entry.channel == "api" and entry.actor == world.agent
    count = AuditEntry.objects.count()
    person_update(person=world.employee, phone="99887766", by=world.agent, via=PAGE)
    assert AuditEntry.objects.count() == count


def test_a_person_chooses_their_own_language_but_not_others(world):
    person_set_language(person=world.employee, language="nn", by=world.employee, via=PAGE)
    assert Person.objects.get(pk=world.employee.pk).preferred_language == "nn"
    with pytest.raises(PermissionDenied):
        person_set_language(person=world.other_employee, language="en", by=world.employee, via=PAGE)


def test_organization_number_is_checked(world):
    with pytest.raises(ValidationError) as error:
        organization_create(
            name="Feil",
            kind="member",
            provider=world.provider,
            organization_number="123456789",
            by=world.admin,
            via=PAGE,
        )
    assert "organization_number" in error.value.error_dict
    created = organization_create(
        name="Rett kommune",
        kind="member",
        provider=world.provider,
        organization_number=organization_number(777),
        municipality_code="4601",
        by=world.admin,
        via=PAGE,
    )
    assert created.municipality.name == "Bergen"


def test_a_member_needs_a_provider_and_only_administrators_add_organizations(world):
    with pytest.raises(ValidationError):
        organization_create(
            name="Uten", kind="member", organization_number=organization_number(778), by=world.admin, via=PAGE
        )
    with pytest.raises(PermissionDenied):
        organization_create(
            name="Ny",
            kind="member",
            provider=world.provider,
            organization_number=organization_number(779),
            by=world.agent,
            via=PAGE,
        )
    assert not Organization.objects.filter(name__in=["Uten", "Ny"]).exists()


def test_team_members_are_provider_staff_and_lead_gives_the_role(world):
    team = team_create(
        organization=world.provider,
        name="HR",
        function="hr",
        served_organizations=[world.other],
        by=world.admin,
        via=PAGE,
    )
    hr = PersonFactory(organization=world.provider)
    team_set_members(team=team, members=[hr], leads=[hr], by=world.admin, via=PAGE)
    hr = Person.objects.get(pk=hr.pk)
    assert {"agent", "team_lead"} <= hr.roles
    assert hr.serves(world.other.pk) and not hr.serves(world.member.pk)
    with pytest.raises(ValidationError):
        team_set_members(team=team, members=[world.employee], leads=[], by=world.admin, via=PAGE)
    entry = AuditEntry.objects.filter(object_id=team.pk, action="update").latest("id")
    assert entry.changes["members"] == [[], [hr.full_name]]


def test_a_team_serves_only_members_of_its_provider(world):
    stranger = OrganizationFactory()
    with pytest.raises(ValidationError):
        team_create(
            organization=world.provider, name="X", served_organizations=[stranger], by=world.admin, via=PAGE
        )
