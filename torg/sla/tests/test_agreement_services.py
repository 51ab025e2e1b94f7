"""The agreement services: who may keep agreements, what they may count on, targets, and the cases they move."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import World
from torg.core.models import AuditEntry, Channel, Person, Role, Team
from torg.core.tests.factories import (
    OrganizationFactory,
    PersonFactory,
    ProviderFactory,
    RoleGrantFactory,
    TeamMembershipFactory,
)
from torg.desk.models import Ticket
from torg.desk.tests.factories import CategoryFactory, TicketFactory
from torg.sla import services
from torg.sla.models import Agreement, AgreementTarget, BusinessCalendar
from torg.sla.tests.factories import AgreementFactory, AgreementTargetFactory, BusinessCalendarFactory
from torg.sla.timers import on_change

pytestmark = pytest.mark.django_db
OFFICE = {day: [["08:00", "16:00"]] for day in range(5)}


def service_owner(world: World) -> Person:
    """A service owner of the provider on the team that serves Lindås."""
    person = PersonFactory(organization=world.provider, username="so")
    RoleGrantFactory(person=person, role=Role.SERVICE_OWNER, organization=world.provider)
    TeamMembershipFactory(team=Team.objects.get(name="1. linje"), person=person)
    return person


def office(provider: object, world: World) -> BusinessCalendar:
    calendar = BusinessCalendarFactory(organization=provider)
    services.calendar_set_hours(calendar=calendar, hours=OFFICE, by=world.admin, via=Channel.PAGE)
    return calendar


# Who may keep agreements.


def test_service_owner_reaching_the_customer_creates_and_changes_an_agreement(world: World) -> None:
    owner = service_owner(world)
    agreement = services.agreement_create(
        organization=world.member, name="Standard", by=owner, via=Channel.PAGE
    )
    services.agreement_update(agreement=agreement, name="Standard Lindås", by=owner, via=Channel.PAGE)
    entries = AuditEntry.objects.for_object(agreement).order_by("id")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes["name"] == ["Standard", "Standard Lindås"]
    assert entries[1].actor == owner


def test_customer_manager_keeps_the_agreements_of_their_organization(world: World) -> None:
    agreement = services.agreement_create(
        organization=world.other, name="Fjellby", by=world.customer_manager, via=Channel.API
    )
    services.agreement_set_targets(
        agreement=agreement, targets={1: (30, 240)}, by=world.customer_manager, via=Channel.API
    )
    services.agreement_set_active(
        agreement=agreement, active=False, by=world.customer_manager, via=Channel.API
    )
    agreement.refresh_from_db()
    assert agreement.is_active is False
    assert agreement.targets.get().resolution_minutes == 240


def test_customer_manager_of_another_organization_may_not_keep_its_agreements(world: World) -> None:
    theirs = AgreementFactory(organization=world.member)
    cm = world.customer_manager  # follows Fjellby, not Lindås
    with pytest.raises(PermissionDenied):
        services.agreement_create(organization=world.member, name="Ny", by=cm, via=Channel.PAGE)
    with pytest.raises(PermissionDenied):
        services.agreement_update(agreement=theirs, name="Endra", by=cm, via=Channel.PAGE)
    with pytest.raises(PermissionDenied):
        services.agreement_set_targets(agreement=theirs, targets={1: (30, 60)}, by=cm, via=Channel.PAGE)
    with pytest.raises(PermissionDenied):
        services.agreement_set_active(agreement=theirs, active=False, by=cm, via=Channel.PAGE)
    assert not AuditEntry.objects.for_object(theirs).exists()


def test_agent_may_not_keep_agreements(world: World) -> None:
    agreement = AgreementFactory(organization=world.member)
    with pytest.raises(PermissionDenied):
        services.agreement_create(organization=world.member, name="Ny", by=world.agent, via=Channel.PAGE)
    with pytest.raises(PermissionDenied):
        services.agreement_update(agreement=agreement, name="Endra", by=world.agent, via=Channel.PAGE)
    with pytest.raises(PermissionDenied):
        services.agreement_set_targets(
            agreement=agreement, targets={3: (60, 480)}, by=world.agent, via=Channel.PAGE
        )
    assert not agreement.targets.exists()


# What an agreement may cover and count on.


def test_calendar_of_the_customers_provider_is_taken(world: World) -> None:
    calendar = office(world.provider, world)
    agreement = services.agreement_create(
        organization=world.member, name="Kontortid", calendar=calendar, by=world.admin, via=Channel.PAGE
    )
    assert agreement.calendar == calendar


def test_another_providers_calendar_is_refused_with_a_field_error(world: World) -> None:
    theirs = office(ProviderFactory(name="Sunnfjord IKT"), world)
    with pytest.raises(ValidationError) as raised:
        services.agreement_create(
            organization=world.member, name="Kontortid", calendar=theirs, by=world.admin, via=Channel.PAGE
        )
    assert "Vestland IKT" in raised.value.message_dict["calendar"][0]
    agreement = AgreementFactory(organization=world.member)
    with pytest.raises(ValidationError) as raised:
        services.agreement_update(agreement=agreement, calendar=theirs, by=world.admin, via=Channel.PAGE)
    assert "calendar" in raised.value.message_dict
    agreement.refresh_from_db()
    assert agreement.calendar is None
    assert not Agreement.objects.filter(name="Kontortid").exists()


def test_deactivated_calendar_and_one_without_hours_are_refused(world: World) -> None:
    closed = office(world.provider, world)
    services.calendar_set_active(calendar=closed, active=False, by=world.admin, via=Channel.PAGE)
    empty = BusinessCalendarFactory(organization=world.provider)
    for calendar in (closed, empty):
        with pytest.raises(ValidationError) as raised:
            services.agreement_create(
                organization=world.member, name="Ny", calendar=calendar, by=world.admin, via=Channel.PAGE
            )
        assert set(raised.value.message_dict) == {"calendar"}


def test_a_calendar_deactivated_later_does_not_block_a_rename(world: World) -> None:
    calendar = office(world.provider, world)
    agreement = services.agreement_create(
        organization=world.member, name="Kontortid", calendar=calendar, by=world.admin, via=Channel.PAGE
    )
    services.calendar_set_active(calendar=calendar, active=False, by=world.admin, via=Channel.PAGE)
    services.agreement_update(agreement=agreement, name="Kontortid gammal", by=world.admin, via=Channel.PAGE)
    agreement.refresh_from_db()
    assert agreement.name == "Kontortid gammal"


def test_category_must_be_the_providers_or_the_organizations_own(world: World) -> None:
    ours = CategoryFactory(organization=world.provider, name="PC og skrivar")
    own = CategoryFactory(organization=world.member, name="Skuleportalen")
    theirs = CategoryFactory(organization=ProviderFactory(), name="Tilgang")
    for category in (ours, own):
        agreement = services.agreement_create(
            organization=world.member, name=category.name, category=category, by=world.admin, via=Channel.PAGE
        )
        assert agreement.category == category
    with pytest.raises(ValidationError) as raised:
        services.agreement_create(
            organization=world.member, name="Tilgang", category=theirs, by=world.admin, via=Channel.PAGE
        )
    assert set(raised.value.message_dict) == {"category"}


def test_a_provider_is_not_a_customer(world: World) -> None:
    with pytest.raises(ValidationError) as raised:
        services.agreement_create(
            organization=world.provider, name="Intern", by=world.admin, via=Channel.PAGE
        )
    assert set(raised.value.message_dict) == {"organization"}


def test_an_agreement_stays_with_its_organization(world: World) -> None:
    agreement = AgreementFactory(organization=world.member)
    with pytest.raises(ValidationError) as raised:
        services.agreement_update(
            agreement=agreement,
            organization=OrganizationFactory(provider=world.provider),
            by=world.admin,
            via=Channel.PAGE,
        )
    assert set(raised.value.message_dict) == {"organization"}
    agreement.refresh_from_db()
    assert agreement.organization == world.member


# Targets.


def test_set_targets_replaces_them_and_audits_one_change_with_before_and_after(world: World) -> None:
    agreement = AgreementFactory(organization=world.member)
    AgreementTargetFactory(agreement=agreement, priority=3, response_minutes=60, resolution_minutes=480)
    services.agreement_set_targets(
        agreement=agreement, targets={1: (15, 90), 2: (30, 240)}, by=world.admin, via=Channel.PAGE
    )
    assert services.agreement_targets(agreement) == {1: (15, 90), 2: (30, 240)}
    entry = AuditEntry.objects.for_object(agreement).get()
    before, after = entry.changes["targets"]
    assert before == "3 – Normal: response 1 h, resolution 8 h"
    assert after == (
        "1 – Critical: response 15 min, resolution 1 h 30 min; 2 – High: response 30 min, resolution 4 h"
    )
    assert (entry.action, entry.channel, entry.actor) == ("update", "page", world.admin)


def test_the_same_targets_again_record_nothing(world: World) -> None:
    agreement = AgreementFactory(organization=world.member)
    for _ in range(2):
        services.agreement_set_targets(
            agreement=agreement, targets={3: (60, 480)}, by=world.admin, via=Channel.PAGE
        )
    assert AuditEntry.objects.for_object(agreement).count() == 1


@pytest.mark.parametrize(
    ("targets", "field"),
    [
        ({1: (120, 60)}, "response_1"),
        ({2: (0, 60)}, "response_2"),
        ({3: (30, 0)}, "resolution_3"),
        ({4: (30, 365 * 24 * 60 + 1)}, "resolution_4"),
        ({5: (30, 60)}, "targets"),
    ],
)
def test_wrong_targets_are_refused_and_nothing_changes(
    world: World, targets: dict[int, tuple[int, int]], field: str
) -> None:
    agreement = AgreementFactory(organization=world.member)
    kept = AgreementTargetFactory(agreement=agreement, priority=3)
    with pytest.raises(ValidationError) as raised:
        services.agreement_set_targets(
            agreement=agreement, targets={1: (15, 90)} | targets, by=world.admin, via=Channel.PAGE
        )
    assert set(raised.value.message_dict) == {field}
    assert list(AgreementTarget.objects.filter(agreement=agreement)) == [kept]
    assert not AuditEntry.objects.for_object(agreement).exists()


# The cases an agreement governs.


def open_case(world: World, priority: int = 3) -> Ticket:
    ticket = TicketFactory(caller=world.employee, priority=priority)
    on_change(ticket, now=timezone.now() - timedelta(minutes=10))
    ticket.refresh_from_db()
    return ticket


def test_new_targets_move_the_due_time_of_an_open_case(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    agreement = AgreementFactory(organization=world.member)  # clock time
    AgreementTargetFactory(agreement=agreement, priority=3, response_minutes=60, resolution_minutes=480)
    ticket = open_case(world)
    started = ticket.sla.started_at
    assert ticket.sla_due == started + timedelta(minutes=60)
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_set_targets(
            agreement=agreement, targets={3: (30, 240)}, by=world.admin, via=Channel.PAGE
        )
    ticket.refresh_from_db()
    ticket.sla.refresh_from_db()
    assert ticket.sla_due == started + timedelta(minutes=30)
    assert abs(ticket.sla.resolution_due - (started + timedelta(minutes=240))) < timedelta(seconds=2)


def test_deactivating_an_agreement_hands_its_cases_to_the_next_that_fits(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    general = AgreementFactory(organization=world.member, name="Alle saker")
    AgreementTargetFactory(agreement=general, priority=3, response_minutes=240, resolution_minutes=2400)
    incidents = AgreementFactory(organization=world.member, name="Feil", kind="incident")
    AgreementTargetFactory(agreement=incidents, priority=3, response_minutes=60, resolution_minutes=480)
    ticket = open_case(world)
    assert ticket.sla.agreement == incidents
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_set_active(agreement=incidents, active=False, by=world.admin, via=Channel.PAGE)
    ticket.sla.refresh_from_db()
    assert ticket.sla.agreement == general
    assert ticket.sla.response_due == ticket.sla.started_at + timedelta(minutes=240)
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_set_active(agreement=incidents, active=True, by=world.admin, via=Channel.PAGE)
    ticket.sla.refresh_from_db()
    assert ticket.sla.agreement == incidents


def test_a_rename_does_not_recompute_the_cases(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    agreement = AgreementFactory(organization=world.member)
    with django_capture_on_commit_callbacks() as callbacks:
        services.agreement_update(agreement=agreement, kind="request", by=world.admin, via=Channel.PAGE)
    assert callbacks == []  # no open case of the organization: nothing to recompute
    TicketFactory(caller=world.employee)
    with django_capture_on_commit_callbacks() as callbacks:
        services.agreement_update(agreement=agreement, name="Nytt namn", by=world.admin, via=Channel.PAGE)
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        services.agreement_update(agreement=agreement, kind="incident", by=world.admin, via=Channel.PAGE)
    assert len(callbacks) == 1


def test_a_service_owner_without_a_team_keeps_the_agreements_of_every_customer_of_the_provider(
    world: World,
) -> None:
    owner = PersonFactory(organization=world.provider)
    RoleGrantFactory(person=owner, role=Role.SERVICE_OWNER, organization=world.provider)
    for customer in (world.member, world.other):
        agreement = services.agreement_create(
            by=owner, via=Channel.PAGE, organization=customer, name=f"Standard {customer.name}"
        )
        assert agreement.organization == customer
    elsewhere = OrganizationFactory(name="Annan kommune")  # another provider's customer, or none
    with pytest.raises(PermissionDenied):
        services.agreement_create(by=owner, via=Channel.PAGE, organization=elsewhere, name="Nei")
