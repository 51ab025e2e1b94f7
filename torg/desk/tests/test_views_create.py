"""The phone-call flow: pick the caller, describe the case, register it — or register and resolve it."""

from __future__ import annotations

from django.urls import reverse

from torg.core.models import AuditEntry
from torg.desk.masking import is_identity_number
from torg.desk.models import Status, Ticket
from torg.desk.tests.factories import CategoryFactory

NEW = reverse("desk:case_create")


def data(world, **extra):
    return {
        "caller": world.employee.pk,
        "channel": "phone",
        "kind": "incident",
        "impact": 2,
        "urgency": 1,
        "title": "PC-en startar ikkje",
        "description": "Svart skjerm.",
        "action": "register",
        **extra,
    }


def test_the_form_starts_with_the_caller_search_and_offers_two_ways_to_register(client, world):
    client.force_login(world.agent)
    html = client.get(NEW).content.decode()
    assert html.index('id="id_caller_search"') < html.index('id="id_title"')
    assert reverse("core:person_pick") in html and "data-focus-first" in html
    assert 'value="register"' in html and 'value="resolve"' in html
    assert 'type="radio" name="kind"' in html


def test_the_chosen_callers_organization_department_and_location_are_shown(client, world):
    client.force_login(world.agent)
    html = client.get(reverse("desk:caller_info"), {"caller": world.employee.pk}).content.decode()
    assert "Lindås kommune" in html and "Oppvekst" in html and "Knarvik skule" in html
    assert reverse("core:department_detail", args=[world.employee.department_id]) in html
    hidden = client.get(reverse("desk:caller_info"), {"caller": world.other_employee.pk}).content.decode()
    assert "Per Annen" not in hidden and "Fjellby" not in hidden


def test_registering_a_call_creates_the_case_with_the_matrix_priority(client, world):
    category = CategoryFactory(organization=world.provider)
    client.force_login(world.agent)
    response = client.post(NEW, data(world, category=category.pk))
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "desk:case_detail", args=[ticket.pk]
    )
    assert ticket.caller == world.employee and ticket.status == Status.NEW and ticket.priority == 2
    assert ticket.category == category and ticket.channel == "phone"
    assert ticket.department == world.employee.department and ticket.team == world.agent.teams.get()
    page = client.get(response["Location"]).content.decode()
    assert f"Case #{ticket.pk} is registered." in page


def test_register_and_resolve_solves_it_at_first_line(client, world):
    client.force_login(world.agent)
    client.post(NEW, data(world, kind="question", action="resolve"))
    ticket = Ticket.objects.get()
    assert ticket.status == Status.RESOLVED and ticket.first_line_resolved and ticket.resolved_at
    assert AuditEntry.objects.filter(object_id=ticket.pk, action="update", changes__has_key="status").exists()


def test_missing_fields_and_an_override_without_reason_are_shown_and_nothing_is_registered(client, world):
    client.force_login(world.agent)
    response = client.post(NEW, data(world, title="", caller=""))
    assert response.status_code == 400 and response.content.decode().count("This field is required.") == 2
    response = client.post(NEW, data(world, priority=4))
    assert response.status_code == 400
    assert "Give a reason when the priority differs from the matrix." in response.content.decode()
    assert not Ticket.objects.exists()
    assert client.post(NEW, data(world, priority=4, priority_reason="Kan vente")).status_code == 302
    assert Ticket.objects.get().priority == 4


def test_a_caller_of_another_organization_cannot_be_chosen(client, world):
    client.force_login(world.agent)
    response = client.post(NEW, data(world, caller=world.other_employee.pk))
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not Ticket.objects.exists()


def test_identity_numbers_are_masked_and_the_agent_is_told_why(client, world):
    number = next(f"311299{n:05d}" for n in range(100_000) if is_identity_number(f"311299{n:05d}"))
    client.force_login(world.agent)
    response = client.post(NEW, data(world, description=f"Fødselsnummeret er {number}."), follow=True)
    html = response.content.decode()
    assert "A personal identity number (fødselsnummer or D-number) was masked" in html
    assert number not in Ticket.objects.get().description and number not in html


def test_no_masking_notice_when_nothing_was_masked(client, world):
    client.force_login(world.agent)
    html = client.post(
        NEW, data(world, description="Kontonummer 1503.12.34511"), follow=True
    ).content.decode()
    assert "was masked" not in html
