"""Canned answers (kept by administrators and team leads) and the keyboard shortcuts' help page."""

from __future__ import annotations

import re

from django.urls import reverse

from torg.core.models import AuditEntry, Channel
from torg.core.tests.factories import TeamFactory
from torg.desk.models import CannedAnswer
from torg.desk.services.tickets import ticket_assign, ticket_create
from torg.desk.services.workspace import canned_answer_render
from torg.desk.views.shortcuts import SHORTCUTS

ANSWERS = reverse("desk:answer_list")


def test_agents_and_employees_are_refused_the_canned_answers(client, world):
    client.force_login(world.agent)
    assert client.get(ANSWERS).status_code == 403
    assert client.get(reverse("desk:answer_create")).status_code == 403
    client.force_login(world.employee)
    assert client.get(ANSWERS).status_code == 403


def test_a_team_lead_writes_answers_for_their_own_team_only(client, world):
    team = world.lead.teams.get()
    other = TeamFactory(organization=world.provider, name="HR", serves=[world.member])
    client.force_login(world.lead)
    data = {"title": "Omstart", "body": "Hei {caller_first_name}", "language": "nn", "is_active": "on"}
    response = client.post(reverse("desk:answer_create"), {**data, "team": other.pk})
    assert response.status_code == 400 and not CannedAnswer.objects.exists()
    response = client.post(reverse("desk:answer_create"), {**data, "team": ""})
    assert response.status_code == 400
    assert client.post(reverse("desk:answer_create"), {**data, "team": team.pk}).status_code == 302
    answer = CannedAnswer.objects.get()
    assert answer.team == team and answer.organization == world.provider and answer.language == "nn"
    assert AuditEntry.objects.filter(object_id=answer.pk, action="create").exists()
    assert "Omstart" in client.get(ANSWERS).content.decode()

    client.post(
        reverse("desk:answer_update", args=[answer.pk]), {**data, "team": team.pk, "title": "Start om"}
    )
    answer.refresh_from_db()
    assert answer.title == "Start om"


def test_unknown_placeholders_are_refused_with_the_known_ones_named(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("desk:answer_create"), {"title": "X", "body": "Hei {fornamn}", "language": "nb"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "{fornamn}" in html and "{caller_first_name}" in html


def test_an_administrator_writes_answers_for_every_team(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("desk:answer_create"), {"title": "Felles", "body": "Hei", "language": "nb", "is_active": "on"}
    )
    assert response.status_code == 302 and CannedAnswer.objects.get().team is None


def test_another_leads_answer_cannot_be_edited(client, world):
    other = TeamFactory(organization=world.provider, name="HR", serves=[world.member])
    answer = CannedAnswer.objects.create(organization=world.provider, team=other, title="HR", body="x")
    client.force_login(world.lead)
    assert client.get(reverse("desk:answer_update", args=[answer.pk])).status_code == 404
    assert client.post(reverse("desk:answer_update", args=[answer.pk]), {"title": "Y"}).status_code == 404


def test_placeholders_are_filled_for_the_case(world):
    ticket = ticket_create(by=world.agent, via=Channel.PAGE, caller=world.employee, title="Skrivar")
    answer = CannedAnswer(
        body="Hei {caller_first_name}! {caller_name}, sak {case_number}. {agent_name} {ukjend}"
    )
    assert canned_answer_render(answer, ticket, agent=world.lead) == (
        f"Hei Eli! Eli Ansatt, sak #{ticket.pk}. Lise Leder {{ukjend}}"
    )
    ticket_assign(
        ticket=ticket, team=world.agent.teams.get(), assignee=world.agent, by=world.agent, via=Channel.PAGE
    )
    assert canned_answer_render(answer, ticket).endswith("Ola Agent {ukjend}")


def test_the_shortcuts_page_lists_every_shortcut_and_the_pages_carry_the_same_keys(client, world):
    client.force_login(world.agent)
    html = client.get(reverse("desk:shortcuts")).content.decode()
    for shortcut in SHORTCUTS:
        assert f"<kbd>{shortcut.keys}</kbd>" in html and str(shortcut.action) in html
        # WCAG 2.1.4: never a single character without a modifier.
        assert re.fullmatch(r"Alt\+Shift\+[A-Z]", shortcut.keys)
    assert len({s.keys for s in SHORTCUTS}) == len(SHORTCUTS)
    used = set(re.findall(r'data-shortcut="([^"]+)"', html))
    ticket = ticket_create(by=world.agent, via=Channel.PAGE, caller=world.employee, title="Skrivar")
    used |= set(
        re.findall(
            r'data-shortcut="([^"]+)"',
            client.get(reverse("desk:case_detail", args=[ticket.pk])).content.decode(),
        )
    )
    queues = client.get(reverse("desk:case_list")).content.decode()
    used |= set(re.findall(r'data-shortcut="([^"]+)"', queues))
    assert re.search(r'<input type="search" name="text"[^>]*data-shortcut="Alt\+Shift\+S"', queues)
    assert used == {s.keys for s in SHORTCUTS}
