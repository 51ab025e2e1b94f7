"""Factories for business calendars and agreements."""

from __future__ import annotations

from datetime import time

import factory
from factory.django import DjangoModelFactory

from torg.core.tests.factories import OrganizationFactory, ProviderFactory
from torg.sla.models import Agreement, AgreementTarget, BusinessCalendar, OpeningSpan, SpecialDay


class BusinessCalendarFactory(DjangoModelFactory):
    class Meta:
        model = BusinessCalendar

    organization = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Kontortid {n}")


class OpeningSpanFactory(DjangoModelFactory):
    class Meta:
        model = OpeningSpan

    calendar = factory.SubFactory(BusinessCalendarFactory)
    weekday = 0
    start = time(8)
    end = time(16)


class SpecialDayFactory(DjangoModelFactory):
    class Meta:
        model = SpecialDay

    calendar = factory.SubFactory(BusinessCalendarFactory)
    name = "Stengt"
    kind = SpecialDay.Kind.CLOSED
    end_date = factory.SelfAttribute("start_date")


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Tenesteavtale {n}")


class AgreementTargetFactory(DjangoModelFactory):
    class Meta:
        model = AgreementTarget

    agreement = factory.SubFactory(AgreementFactory)
    priority = 3
    response_minutes = 60
    resolution_minutes = 480
