from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from torg.core.tests.factories import PersonFactory
from torg.desk.models import Category, Ticket


class TicketFactory(DjangoModelFactory):
    class Meta:
        model = Ticket

    caller = factory.SubFactory(PersonFactory)
    organization = factory.SelfAttribute("caller.organization")
    title = factory.Sequence(lambda n: f"Skrivaren på rom {n} skriv ikkje ut")
    description = "Papiret kjem ut blankt."


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Kategori {n}")
