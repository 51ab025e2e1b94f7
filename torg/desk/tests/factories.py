from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from torg.core.tests.factories import PersonFactory
from torg.desk.models import Category, Ticket
from torg.desk.search import document


class TicketFactory(DjangoModelFactory):
    class Meta:
        model = Ticket

    caller = factory.SubFactory(PersonFactory)
    organization = factory.SelfAttribute("caller.organization")
    title = factory.Sequence(lambda n: f"Skrivaren på rom {n} skriv ikkje ut")
    description = "Papiret kjem ut blankt."
    # As ticket_create writes it, so that factory cases are found by the text search.
    search_text = factory.LazyAttribute(lambda ticket: document(ticket.title, ticket.description))


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Kategori {n}")
