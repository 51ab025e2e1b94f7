"""Which agreement governs a case: category and kind beat category beat kind beat organization-wide."""

from __future__ import annotations

import pytest

from conftest import World
from torg.desk.models import Kind
from torg.desk.tests.factories import CategoryFactory, TicketFactory
from torg.sla.agreements import agreement_for
from torg.sla.tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def printers(world: World) -> object:
    return CategoryFactory(organization=world.provider, name="Printers")


def test_most_specific_agreement_wins(world: World, printers: object) -> None:
    everything = AgreementFactory(organization=world.member, name="Alt")
    incidents = AgreementFactory(organization=world.member, name="Feil", kind=Kind.INCIDENT)
    by_category = AgreementFactory(organization=world.member, name="Skrivarar", category=printers)
    both = AgreementFactory(
        organization=world.member, name="Skrivarfeil", category=printers, kind=Kind.INCIDENT
    )
    printer_fault = TicketFactory(caller=world.employee, category=printers, kind=Kind.INCIDENT)
    printer_request = TicketFactory(caller=world.employee, category=printers, kind=Kind.REQUEST)
    other_fault = TicketFactory(caller=world.employee, category=CategoryFactory(organization=world.provider))
    question = TicketFactory(caller=world.employee, kind=Kind.QUESTION)

    assert agreement_for(printer_fault) == (both, "Lindås kommune: category Printers, kind Incident")
    assert agreement_for(printer_request) == (by_category, "Lindås kommune: category Printers")
    assert agreement_for(other_fault) == (incidents, "Lindås kommune: kind Incident")
    assert agreement_for(question) == (everything, "Lindås kommune: all cases")


def test_inactive_agreement_is_passed_over(world: World, printers: object) -> None:
    everything = AgreementFactory(organization=world.member)
    AgreementFactory(organization=world.member, category=printers, is_active=False)
    ticket = TicketFactory(caller=world.employee, category=printers)
    assert agreement_for(ticket)[0] == everything


def test_tie_goes_to_the_oldest_agreement(world: World) -> None:
    first = AgreementFactory(organization=world.member, kind=Kind.INCIDENT)
    AgreementFactory(organization=world.member, kind=Kind.INCIDENT)
    assert agreement_for(TicketFactory(caller=world.employee))[0] == first


def test_agreement_of_another_organization_never_applies(world: World) -> None:
    AgreementFactory(organization=world.other)
    agreement, reason = agreement_for(TicketFactory(caller=world.employee))
    assert agreement is None
    assert reason == "No active agreement covers this case."
