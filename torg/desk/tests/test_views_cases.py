"""The case page: status buttons, assignment and escalation, the timeline, replies and notes, canned answers,
files, edits, links, merging and time — and that another organization's case stays out of reach."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from torg.core.models import AuditEntry, Channel
from torg.core.tests.factories import PersonFactory, TeamFactory, TeamMembershipFactory
from torg.desk.masking import is_identity_number
from torg.desk.models import Attachment, CannedAnswer, Message, Status, Ticket, TicketLink, TimeEntry
from torg.desk.services.conversation import ticket_reply
from torg.desk.services.tickets import ticket_create, ticket_transition
from torg.desk.tests.factories import TicketFactory

HTMX = {"HX-Request": "true"}


def url(name: str, ticket: Ticket, *args: object) -> str:
    return reverse(f"desk:{name}", args=[ticket.pk, *args])


def identity_number() -> str:
    return next(f"010190{n:05d}" for n in range(100_000) if is_identity_number(f"010190{n:05d}"))


@pytest.fixture
def ticket(world):
    return ticket_create(
        by=world.agent, via=Channel.PAGE, caller=world.employee, title="Skrivaren skriv ikkje"
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def second_line(world):
    team = TeamFactory(organization=world.provider, name="2. linje", serves=[world.member])
    agent = PersonFactory(organization=world.provider, first_name="Siv", last_name="Andrelinje")
    TeamMembershipFactory(team=team, person=agent)
    return team, agent


def timeline(html: str) -> str:
    return html[
        html.index('<ol class="timeline">') : html.index("</ol>", html.index('<ol class="timeline">'))
    ]


# Reach.


def test_another_organizations_case_is_404_on_every_page_and_post(client, world, media):
    foreign = TicketFactory(caller=world.other_employee, title="Fjellby")
    upload = SimpleUploadedFile("a.txt", b"hei")
    from torg.desk.services.conversation import attachment_add

    file = attachment_add(ticket=foreign, by=world.admin, via=Channel.PAGE, upload=upload)
    client.force_login(world.agent)
    for name in ("case_detail", "case_update", "case_answer"):
        assert client.get(url(name, foreign)).status_code == 404, name
    assert client.get(url("case_merge", foreign), {"into": foreign.pk}).status_code == 404
    assert client.get(url("attachment_download", foreign, file.pk)).status_code == 404
    posts = {
        "case_status": {"status": "in_progress"},
        "case_assign": {"team": world.agent.teams.get().pk},
        "case_reply": {"body": "Hei", "visibility": "public"},
        "case_update": {"title": "Endra"},
        "case_link": {"kind": "related", "other": foreign.pk},
        "case_merge": {"into": foreign.pk},
        "case_time": {"minutes": 10},
    }
    for name, data in posts.items():
        assert client.post(url(name, foreign), data).status_code == 404, name
    foreign.refresh_from_db()
    assert foreign.status == Status.NEW and foreign.title == "Fjellby" and not Message.objects.exists()
    assert not TimeEntry.objects.exists()


def test_an_unknown_case_is_404_and_an_employee_gets_403(client, world, ticket):
    client.force_login(world.agent)
    assert client.get(reverse("desk:case_detail", args=[987654])).status_code == 404
    client.force_login(world.employee)
    assert client.get(url("case_detail", ticket)).status_code == 403
    assert client.post(url("case_reply", ticket), {"body": "x", "visibility": "internal"}).status_code == 403


def test_the_page_shows_the_caller_with_links_to_their_organization_department_and_location(
    client, world, ticket
):
    client.force_login(world.agent)
    html = client.get(url("case_detail", ticket)).content.decode()
    employee = world.employee
    for name, pk in [
        ("person_detail", employee.pk),
        ("organization_detail", employee.organization_id),
        ("department_detail", employee.department_id),
        ("location_detail", employee.location_id),
    ]:
        assert reverse(f"core:{name}", args=[pk]) in html
    assert "Oppvekst" in html and "Knarvik skule" in html


def test_html_in_a_title_and_a_message_is_shown_as_text(client, world):
    ticket = ticket_create(
        by=world.agent, via=Channel.PAGE, caller=world.employee, title="<script>alert(1)</script>"
    )
    ticket_reply(ticket=ticket, by=world.employee, via=Channel.PAGE, body='<img src=x onerror="alert(2)">')
    client.force_login(world.agent)
    html = client.get(url("case_detail", ticket)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html and "<img src=x" not in html


# Status.


def buttons(html: str) -> set[str]:
    form = html[html.index('aria-label="Change the status"') :]
    form = form[: form.index("</form>")]
    return {part.split('"')[0] for part in form.split('name="status" value="')[1:]}


def test_status_buttons_offer_only_the_allowed_transitions(client, world, ticket):
    client.force_login(world.agent)
    html = client.get(url("case_detail", ticket)).content.decode()
    assert buttons(html) == {"in_progress", "waiting_user", "waiting_supplier", "resolved"}
    ticket_transition(ticket=ticket, status=Status.RESOLVED, by=world.agent, via=Channel.PAGE)
    html = client.get(url("case_detail", ticket)).content.decode()
    assert buttons(html) == {"in_progress", "closed"} and "Reopen" in html


def test_a_forbidden_transition_shows_an_error_and_changes_nothing(client, world, ticket):
    client.force_login(world.agent)
    response = client.post(url("case_status", ticket), {"status": "closed"})
    assert response.status_code == 400
    assert "A case cannot go from New to Closed." in response.content.decode()
    assert client.post(url("case_status", ticket), {"status": "flying"}).status_code == 400
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    assert not AuditEntry.objects.filter(object_id=ticket.pk, action="update").exists()


def test_an_allowed_transition_changes_the_status(client, world, ticket):
    client.force_login(world.agent)
    response = client.post(url("case_status", ticket), {"status": "waiting_user", "order": "newest"})
    assert response.status_code == 302 and response["Location"].endswith("?order=newest")
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING_USER


# Assignment and escalation.


def test_escalation_to_another_team_needs_a_reason(client, world, ticket, second_line):
    team, agent2 = second_line
    client.force_login(world.agent)
    response = client.post(url("case_assign", ticket), {"team": team.pk})
    assert response.status_code == 400
    assert "Say why the case goes to another team." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.team != team and not ticket.transferred

    response = client.post(
        url("case_assign", ticket),
        {"team": team.pk, "assignee": agent2.pk, "reason": "Treng tilgang til serveren"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.team == team and ticket.assignee == agent2 and ticket.transferred
    html = client.get(url("case_detail", ticket)).content.decode()
    assert "Passed to 2. linje: Treng tilgang til serveren" in timeline(html)


def test_the_agent_must_be_on_the_chosen_team(client, world, ticket, second_line):
    _team, agent2 = second_line
    client.force_login(world.agent)
    response = client.post(
        url("case_assign", ticket), {"team": world.agent.teams.get().pk, "assignee": agent2.pk}
    )
    assert response.status_code == 400
    assert "Siv Andrelinje is not on 1. linje." in response.content.decode()


def test_the_agent_select_offers_the_members_of_the_cases_team(client, world, ticket, second_line):
    client.force_login(world.agent)
    html = client.get(url("case_detail", ticket)).content.decode()
    select = html[html.index('name="assignee"') : html.index("</select>", html.index('name="assignee"'))]
    assert "Ola Agent" in select and "Lise Leder" in select and "Siv Andrelinje" not in select


def test_take_the_case(client, world, ticket):
    client.force_login(world.agent)
    assert "Take the case" in client.get(url("case_detail", ticket)).content.decode()
    client.post(url("case_assign", ticket), {"team": ticket.team_id, "assignee": world.agent.pk})
    ticket.refresh_from_db()
    assert ticket.assignee == world.agent and ticket.status == Status.IN_PROGRESS


# Timeline, replies and notes.


def test_reply_and_note_appear_on_the_timeline_in_order_and_the_order_toggles(client, world, ticket):
    client.force_login(world.agent)
    response = client.post(
        url("case_reply", ticket), {"body": "Har du prøvd å starte på nytt?", "visibility": "public"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#timeline")
    client.post(
        url("case_reply", ticket), {"body": "Truleg driveren.", "visibility": "internal", "order": "newest"}
    )
    messages = list(Message.objects.filter(ticket=ticket).order_by("id"))
    assert [m.visibility for m in messages] == ["public", "internal"]

    oldest = timeline(client.get(url("case_detail", ticket)).content.decode())
    assert oldest.index("Har du prøvd") < oldest.index("Truleg driveren")
    assert oldest.index("Reply to the caller") < oldest.index("Internal note")
    assert "only staff see it" in oldest  # told in words, not by colour alone
    newest = timeline(client.get(url("case_detail", ticket), {"order": "newest"}).content.decode())
    assert newest.index("Truleg driveren") < newest.index("Har du prøvd")
    page = client.get(url("case_detail", ticket), {"order": "newest"}).content.decode()
    assert 'name="order" value="newest"' in page and "Show the oldest first" in page


def test_an_empty_reply_is_refused_with_an_error(client, world, ticket):
    client.force_login(world.agent)
    response = client.post(url("case_reply", ticket), {"body": "  ", "visibility": "public"})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert not Message.objects.exists()


def test_an_identity_number_in_a_reply_is_masked_with_a_notice(client, world, ticket):
    number = identity_number()
    client.force_login(world.agent)
    response = client.post(
        url("case_reply", ticket), {"body": f"Fnr {number}", "visibility": "internal"}, follow=True
    )
    html = response.content.decode()
    assert number not in html and f"{number[:6]}*****" in html
    assert "A personal identity number (fødselsnummer or D-number) was masked" in html
    assert number not in Message.objects.get().body


# Canned answers.


def test_a_canned_answer_is_inserted_with_its_placeholders_filled(client, world, ticket):
    team = world.agent.teams.get()
    answer = CannedAnswer.objects.create(
        organization=world.provider,
        team=team,
        language="en",
        title="Omstart",
        body="Hei {caller_first_name} ({caller_name}), om sak {case_number}: start på nytt. Helsing {agent_name}",
    )
    other_team = TeamFactory(organization=world.provider, name="HR", serves=[world.member])
    CannedAnswer.objects.create(
        organization=world.provider, team=other_team, language="en", title="HR-svar", body="x"
    )
    client.force_login(world.agent)
    page = client.get(url("case_detail", ticket)).content.decode()
    assert "Omstart (English)" in page and "HR-svar" not in page

    response = client.get(
        url("case_answer", ticket), {"answer": answer.pk, "body": "Takk for svaret."}, headers=HTMX
    )
    html = response.content.decode()
    expected = f"Hei Eli (Eli Ansatt), om sak #{ticket.pk}: start på nytt. Helsing Ola Agent"
    assert "Takk for svaret.\n\n" + expected in html and 'id="reply-body"' in html and "<html" not in html
    assert "The answer “Omstart” is in the message box." in html

    # Without script: the chooser reloads the page with the answer in the box.
    response = client.get(url("case_answer", ticket), {"answer": answer.pk})
    assert response.status_code == 302
    assert expected in client.get(response["Location"]).content.decode()


def test_another_teams_canned_answer_cannot_be_inserted(client, world, ticket):
    other_team = TeamFactory(organization=world.provider, name="HR", serves=[world.member])
    hidden = CannedAnswer.objects.create(
        organization=world.provider, team=other_team, language="en", title="HR", body="Hemmeleg HR-tekst"
    )
    client.force_login(world.agent)
    html = client.get(url("case_answer", ticket), {"answer": hidden.pk}, headers=HTMX).content.decode()
    assert "Hemmeleg HR-tekst" not in html


# Files.


def test_a_reply_with_files_and_the_permission_checked_download(client, world, ticket, media):
    client.force_login(world.agent)
    upload = SimpleUploadedFile("Rapport <1>.pdf", b"%PDF-1.7\nrapport", content_type="application/pdf")
    response = client.post(
        url("case_reply", ticket), {"body": "Sjå vedlegg", "visibility": "public", "files": [upload]}
    )
    assert response.status_code == 302
    file = Attachment.objects.get()
    assert file.message.body == "Sjå vedlegg"
    html = client.get(url("case_detail", ticket)).content.decode()
    download = url("attachment_download", ticket, file.pk)
    assert download in timeline(html)

    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert file.name in response["Content-Disposition"] and "<" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7\nrapport"

    stranger = PersonFactory(organization=world.provider, first_name="Framand")
    TeamMembershipFactory(
        team=TeamFactory(organization=world.provider, serves=[world.other]), person=stranger
    )
    client.force_login(stranger)
    assert client.get(download).status_code == 404
    other_case = TicketFactory(caller=world.employee)
    client.force_login(world.agent)
    assert client.get(url("attachment_download", other_case, file.pk)).status_code == 404
    client.force_login(world.employee)
    assert client.get(download).status_code == 403


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_kept(client, world, ticket, media):
    client.force_login(world.agent)
    upload = SimpleUploadedFile("bilete.png", b"MZ\x90\x00 executable")
    response = client.post(
        url("case_reply", ticket), {"body": "Sjå vedlegg", "visibility": "public", "files": [upload]}
    )
    assert response.status_code == 400
    assert "This kind of file is not accepted." in response.content.decode()
    assert not Message.objects.exists() and not Attachment.objects.exists()


# Fields, links, merging, time.


def test_editing_fields_recomputes_the_priority_and_is_audited(client, world, ticket):
    client.force_login(world.agent)
    data = {
        "title": "Skrivaren i 2. etasje",
        "kind": "incident",
        "impact": 1,
        "urgency": 1,
        "description": "",
    }
    response = client.post(url("case_update", ticket), data)
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.title == "Skrivaren i 2. etasje" and ticket.priority == 1
    entry = AuditEntry.objects.filter(object_id=ticket.pk, action="update").latest("id")
    assert entry.changes["title"] == ["Skrivaren skriv ikkje", "Skrivaren i 2. etasje"]


def test_a_priority_override_needs_a_reason(client, world, ticket):
    client.force_login(world.agent)
    data = {"title": ticket.title, "kind": "incident", "impact": 3, "urgency": 2, "priority": 1}
    response = client.post(url("case_update", ticket), data)
    assert response.status_code == 400
    assert "Give a reason when the priority differs from the matrix." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).priority == 4
    client.post(url("case_update", ticket), {**data, "priority_reason": "Ordføraren"})
    ticket.refresh_from_db()
    assert ticket.priority == 1 and ticket.priority_reason == "Ordføraren"
    client.post(url("case_update", ticket), {**data, "priority": "", "priority_reason": ""})
    ticket.refresh_from_db()
    assert ticket.priority == 4 and ticket.priority_reason == ""


def test_links_related_duplicate_and_parent(client, world, ticket):
    other = ticket_create(
        by=world.agent, via=Channel.PAGE, caller=world.employee, title="Heile etasjen utan skrivar"
    )
    client.force_login(world.agent)
    assert (
        client.post(url("case_link", ticket), {"kind": "related", "other": f"#{other.pk}"}).status_code == 302
    )
    assert TicketLink.objects.filter(source=ticket, target=other, kind="related").exists()
    client.post(url("case_link", ticket), {"kind": "parent", "other": other.pk})
    ticket.refresh_from_db()
    assert ticket.parent == other
    html = client.get(url("case_detail", other)).content.decode()
    assert "Has the part" in html and f"#{ticket.pk} {ticket.title}" in html

    foreign = TicketFactory(caller=world.other_employee)
    response = client.post(url("case_link", ticket), {"kind": "related", "other": foreign.pk})
    assert response.status_code == 400
    assert "There is no case with this number that you can see." in response.content.decode()


def test_merge_asks_for_confirmation_then_moves_everything(client, world, ticket):
    into = ticket_create(by=world.agent, via=Channel.PAGE, caller=world.employee, title="Same problem")
    ticket_reply(ticket=ticket, by=world.agent, via=Channel.PAGE, body="Første melding")
    client.force_login(world.agent)
    confirm = client.get(url("case_merge", ticket), {"into": into.pk})
    assert confirm.status_code == 200 and "This cannot be undone." in confirm.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).merged_into is None  # nothing happens before the confirmation

    response = client.post(url("case_merge", ticket), {"into": into.pk})
    assert response.status_code == 302 and response["Location"] == url("case_detail", into)
    ticket.refresh_from_db()
    assert ticket.merged_into == into and ticket.status == Status.CLOSED
    html = client.get(url("case_detail", into)).content.decode()
    assert "Første melding" in html and f"Merged from #{ticket.pk}" in html
    assert client.post(url("case_merge", ticket), {"into": ticket.pk}).status_code == 400


def test_time_entries_are_listed_with_a_total(client, world, ticket):
    client.force_login(world.agent)
    client.post(url("case_time", ticket), {"minutes": 30, "note": "Ringde"})
    client.post(url("case_time", ticket), {"minutes": 15})
    html = client.get(url("case_detail", ticket)).content.decode()
    assert "Ringde" in html and "<td>45</td>" in html
    response = client.post(url("case_time", ticket), {"minutes": 0})
    assert response.status_code == 400 and TimeEntry.objects.count() == 2


def test_the_case_page_makes_as_many_queries_for_30_messages_as_for_3(client, world, ticket, media):
    from torg.desk.services.conversation import attachment_add, time_entry_add

    def add(n):
        for i in range(n):
            message = ticket_reply(
                ticket=ticket,
                by=world.agent if i % 2 else world.employee,
                via=Channel.PAGE,
                body=f"Melding {i}",
                internal=bool(i % 2 and i % 3),
            )
            attachment_add(
                ticket=ticket,
                by=world.agent,
                via=Channel.PAGE,
                message=message,
                upload=SimpleUploadedFile(f"logg{i}.txt", b"linje"),
            )
            time_entry_add(ticket=ticket, by=world.agent, via=Channel.PAGE, minutes=5)

    client.force_login(world.agent)
    add(3)
    client.get(url("case_detail", ticket))
    with CaptureQueriesContext(connection) as few:
        client.get(url("case_detail", ticket))
    add(27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("case_detail", ticket))
    assert response.content.decode().count('class="message-body"') == 30
    assert len(many) == len(few)
