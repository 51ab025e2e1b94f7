"""The shared test world: a provider serving two member municipalities, with a person of each role."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

import pytest

from torg.core.models import Organization, Person, Role
from torg.core.tests.factories import (
    DepartmentFactory,
    LocationFactory,
    OrganizationFactory,
    PersonFactory,
    ProviderFactory,
    RoleGrantFactory,
    TeamFactory,
    TeamMembershipFactory,
)

pytest_plugins = ["torg.core.testing.browser"]

PASSWORD = "riktig-passord-123"  # noqa: S105 (test data)


@dataclass
class World:
    provider: Organization
    member: Organization  # served by the agent's team
    other: Organization  # another member, served by no team the agent is on
    admin: Person
    agent: Person
    lead: Person
    employee: Person  # an employee of `member`
    other_employee: Person  # an employee of `other`
    customer_manager: Person  # follows `other`


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache (sign-in throttling lives there)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    provider = ProviderFactory(name="Vestland IKT")
    member = OrganizationFactory(name="Lindås kommune", provider=provider)
    other = OrganizationFactory(name="Fjellby kommune", provider=provider)
    team = TeamFactory(organization=provider, name="1. linje", serves=[member])
    agent = PersonFactory(organization=provider, first_name="Ola", last_name="Agent", username="agent")
    lead = PersonFactory(organization=provider, first_name="Lise", last_name="Leder", username="lead")
    TeamMembershipFactory(team=team, person=agent)
    TeamMembershipFactory(team=team, person=lead, is_lead=True)
    admin = PersonFactory(organization=provider, first_name="Anne", last_name="Admin", username="admin")
    RoleGrantFactory(person=admin, role=Role.ADMINISTRATOR, organization=provider)
    customer_manager = PersonFactory(
        organization=provider, first_name="Kai", last_name="Kunde", username="cm"
    )
    RoleGrantFactory(person=customer_manager, role=Role.CUSTOMER_MANAGER, organization=other)
    department = DepartmentFactory(organization=member, name="Oppvekst")
    location = LocationFactory(organization=member, name="Knarvik skule")
    employee = PersonFactory(
        organization=member,
        first_name="Eli",
        last_name="Ansatt",
        username="employee",
        department=department,
        location=location,
    )
    other_employee = PersonFactory(organization=other, first_name="Per", last_name="Annen", username="other")
    return World(provider, member, other, admin, agent, lead, employee, other_employee, customer_manager)


def server_reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def need_server(name: str, host: str, port: int) -> None:
    """Skip a test outside CI when a server it needs is not there; in CI a missing server is a failure."""
    if server_reachable(host, port):
        return
    message = f"{name} is not reachable on {host}:{port}"
    if os.environ.get("CI"):
        pytest.fail(message + " (in CI every test must run)")
    pytest.skip(message)
