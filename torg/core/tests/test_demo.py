from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from torg.core.demo import DEMO_PASSWORD, load_demo
from torg.core.demo.loader import spread
from torg.core.demo.plans import LOGINS, Unit, build_plans
from torg.core.models import (
    AuditEntry,
    Channel,
    Department,
    Location,
    Organization,
    Person,
    Role,
    RoleGrant,
    Team,
    TeamMembership,
)
from torg.core.municipalities import municipalities
from torg.core.validators import organization_number_is_valid

SCALE = 0.02
MODELS = [Organization, Department, Location, Person, Team, TeamMembership, RoleGrant, AuditEntry]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo(db: None) -> None:
    load_demo(scale=SCALE)


def org(name: str) -> Organization:
    return Organization.objects.get(name=name)


def test_demo_loads_a_provider_serving_three_municipalities(demo: None) -> None:
    provider = org("Vestland IKT-samarbeid")
    assert provider.kind == Organization.Kind.PROVIDER
    members = Organization.objects.filter(provider=provider)
    assert {m.name for m in members} == {"Bærum kommune", "Modalen kommune", "Fedje kommune"}
    assert org("Bærum kommune").people.count() == round(12_000 * SCALE) + 1  # and the employee login
    assert org("Modalen kommune").language == "nn"
    for team in Team.objects.all():
        assert set(team.served_organizations.all()) == {provider, *members}
    assert {t.function for t in Team.objects.all()} == {"it", "hr", "finance", "facilities"}


def test_organization_numbers_and_municipality_codes_are_valid(demo: None) -> None:
    for organization in Organization.objects.all():
        assert organization_number_is_valid(organization.organization_number), organization
        assert organization.kind == "provider" or organization.municipality_code in municipalities()
        organization.full_clean()


def test_a_second_load_changes_nothing(demo: None) -> None:
    before = counts()
    result = load_demo(scale=SCALE)
    assert not result.changed
    assert counts() == before


def test_a_larger_load_adds_to_a_smaller_one(db: None) -> None:
    load_demo(scale=0.01)
    small = counts()
    result = load_demo(scale=SCALE)
    assert result.changed
    assert Person.objects.count() > small["Person"]
    assert Person.objects.filter(organization__name="Bærum kommune").count() == round(12_000 * SCALE) + 1


def test_every_row_has_its_audit_entry(demo: None) -> None:
    for model in (Organization, Department, Location, Person, Team, RoleGrant):
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), action=AuditEntry.Action.CREATE
        )
        assert set(entries.values_list("object_id", flat=True)) == set(
            model.objects.values_list("pk", flat=True)
        )
        assert not entries.exclude(channel=Channel.COMMAND).exists()
        assert not entries.filter(actor__isnull=False).exists()
    person = Person.objects.get(username="baerum")
    entry = AuditEntry.objects.for_object(person).get()
    assert entry.organization == person.organization
    assert entry.changes["email"] == [None, "kari.nordmann@baerum.kommune.no"]
    assert "password" not in entry.changes
    # Team memberships and served organizations are logged on the team, as team_set_members does.
    team = Team.objects.get(name="1. linje IT")
    changes = AuditEntry.objects.for_object(team).filter(action=AuditEntry.Action.UPDATE)
    assert any(
        "Håkon Brekke" in c.get("leads", [[], []])[1] for c in changes.values_list("changes", flat=True)
    )


def test_every_login_authenticates(demo: None) -> None:
    for login in LOGINS:
        person = authenticate(username=login.username, password=DEMO_PASSWORD)
        assert person is not None, login.username
        assert person.full_name == login.name
    wrong = DEMO_PASSWORD + "x"
    assert authenticate(username="admin", password=wrong) is None
    assert not any(p.has_usable_password() for p in Person.objects.filter(username__isnull=True))


def test_the_logins_have_their_roles_and_reach(demo: None) -> None:
    baerum, modalen, fedje = org("Bærum kommune"), org("Modalen kommune"), org("Fedje kommune")
    person = {p.username: p for p in Person.objects.exclude(username=None)}
    assert person["admin"].is_administrator and person["admin"].is_staff
    for username in ("agent1", "agent2", "lead"):
        assert Role.AGENT in person[username].roles
        assert all(person[username].serves(o.pk) for o in (baerum, modalen, fedje))
    assert Role.TEAM_LEAD in person["lead"].roles
    assert Role.TEAM_LEAD not in person["agent1"].roles
    assert Role.SERVICE_OWNER in person["owner"].roles
    assert Role.CHANGE_MANAGER in person["change"].roles
    customer = person["customer"]
    assert customer.managed_organization_ids() == {baerum.pk}
    assert customer.serves(baerum.pk) and not customer.serves(modalen.pk)
    for username, organization in (("baerum", baerum), ("modalen", modalen)):
        assert person[username].roles == {Role.EMPLOYEE}
        assert person[username].organization == organization
        assert not person[username].is_staff
    assert Person.objects.visible_to(person["baerum"]).get() == person["baerum"]


def test_people_look_real(demo: None) -> None:
    people = list(Person.objects.select_related("organization", "department", "location"))
    emails = [p.email for p in people]
    assert len(set(emails)) == len(emails)
    for p in people:
        assert p.search_text == p.compute_search_text()
        assert re.fullmatch(r"[49]\d{7}", p.phone), p.phone
        assert p.department.organization_id == p.organization_id == p.location.organization_id
    baerum = [p for p in people if p.organization.name == "Bærum kommune"]
    assert all(p.email.endswith("@baerum.kommune.no") for p in baerum)
    assert all(re.fullmatch(r"[a-z0-9.-]+@[a-z.-]+", p.email) for p in people)
    assert any(set("æøåÆØÅ") & set(p.full_name) for p in people)


def test_departments_form_a_tree_with_paths(demo: None) -> None:
    baerum = org("Bærum kommune")
    by_pk = {d.pk: d for d in Department.objects.all()}
    for department in by_pk.values():
        parent = by_pk.get(department.parent_id)
        assert department.path == f"{parent.path if parent else '/'}{department.pk}/"
        assert department.depth == (parent.depth + 1 if parent else 0)
    sectors = Department.objects.filter(organization=baerum, depth=0)
    assert {"Oppvekst", "Helse og omsorg", "Organisasjon og HR"} <= set(
        sectors.values_list("name", flat=True)
    )
    assert Department.objects.filter(organization=baerum, depth=2).exists()
    kinds = set(Location.objects.filter(organization=baerum).values_list("kind", flat=True))
    assert {"school", "kindergarten", "nursing_home", "town_hall"} <= kinds


def test_the_plans_are_the_same_every_time() -> None:
    assert build_plans(SCALE) == build_plans(SCALE)
    full = {plan.key: plan for plan in build_plans(1)}
    assert len(full["baerum"].locations) == 250
    assert full["baerum"].people == 12_000
    for plan in full.values():
        codes = [unit.code for unit in plan.units]
        assert len(codes) == len(set(codes))
        assert len({name for name, *_ in plan.locations}) == len(plan.locations)


def test_spread_shares_people_by_weight() -> None:
    leaves = [Unit("1", "a", None, weight=1), Unit("2", "b", None, weight=3)]
    assert [unit.code for unit in spread(leaves, 8)].count("2") == 6
    assert len(spread(leaves, 7)) == 7


def test_demo_command_prints_the_logins(db: None) -> None:
    out = StringIO()
    call_command("demo", scale=0.01, stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    # The service desk comes with the people: its SLA set-up, then its cases.
    assert re.search(r"\d agreements, \d+ categories, \d+ canned answers, \d+ cases, \d+ messages\.", text)
    assert "http://127.0.0.1:8000/" in text
    for login in LOGINS:
        assert login.username in text
    out = StringIO()
    call_command("demo", scale=0.01, stdout=out)
    assert "nothing changed" in out.getvalue()


def test_demo_command_refuses_an_https_installation_unless_forced(db: None, settings) -> None:
    settings.HTTPS = True
    with pytest.raises(CommandError, match="--force"):
        call_command("demo", scale=0.01)
    assert not Person.objects.exists()
    call_command("demo", scale=0.01, force=True, stdout=StringIO())
    assert Person.objects.exists()
