from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from torg.core.models import AuditEntry, Channel
from torg.core.tests.factories import PersonFactory, TeamFactory, TeamMembershipFactory
from torg.desk.models import Attachment, Message, Status, Ticket, TicketLink, TimeEntry
from torg.desk.services.conversation import (
    attachment_add,
    ticket_link,
    ticket_merge,
    ticket_reply,
    time_entry_add,
)
from torg.desk.services.tickets import (
    ticket_assign,
    ticket_create,
    ticket_transition,
    ticket_update,
    tickets_close_resolved,
)
from torg.desk.tests.factories import TicketFactory

PAGE = Channel.PAGE


def valid_identity_number() -> str:
    from torg.desk.masking import is_identity_number

    for individual in range(100, 500):
        for k1 in range(10):
            for k2 in range(10):
                candidate = f"150589{individual:03d}{k1}{k2}"
                if is_identity_number(candidate):
                    return candidate
    raise AssertionError("no valid number found")


@pytest.fixture
def second_line(world):
    team = TeamFactory(organization=world.provider, name="2. linje", serves=[world.member])
    agent = PersonFactory(organization=world.provider, first_name="Siv", last_name="Andrelinje")
    TeamMembershipFactory(team=team, person=agent)
    return team, agent


def new_case(world, **kwargs):
    return ticket_create(by=world.agent, via=PAGE, caller=world.employee, title="PC startar ikkje", **kwargs)


def test_agent_registers_a_case_for_a_caller_with_priority_from_the_matrix(world):
    ticket = new_case(world, impact=1, urgency=1)
    assert ticket.priority == 1 and ticket.status == Status.NEW
    assert ticket.team == world.agent.teams.get() == ticket.received_by
    assert ticket.department == world.employee.department and ticket.location == world.employee.location
    assert AuditEntry.objects.filter(object_id=ticket.pk, action="create").exists()


def test_overriding_the_priority_needs_a_reason(world):
    with pytest.raises(ValidationError):
        new_case(world, impact=3, urgency=3, priority=1)
    ticket = new_case(world, impact=3, urgency=3, priority=1, priority_reason="Ordføraren sin PC")
    assert ticket.priority == 1 and ticket.priority_reason == "Ordføraren sin PC"


def test_an_agent_cannot_register_for_an_organization_they_do_not_serve(world):
    with pytest.raises(PermissionDenied):
        ticket_create(by=world.agent, via=PAGE, caller=world.other_employee, title="X")
    assert not Ticket.objects.exists()


def test_an_employee_registers_their_own_case_only(world):
    own = ticket_create(by=world.employee, via=Channel.API, caller=world.employee, title="Treg PC")
    assert own.caller == world.employee
    with pytest.raises(PermissionDenied):
        ticket_create(by=world.employee, via=Channel.API, caller=world.other_employee, title="X")


def test_the_same_idempotency_key_never_makes_two_cases(world):
    first = new_case(world, idempotency_key="abc-1")
    again = new_case(world, idempotency_key="abc-1")
    assert first.pk == again.pk and Ticket.objects.count() == 1


def test_identity_numbers_are_masked_before_storing_and_in_the_audit(world):
    number = valid_identity_number()
    ticket = ticket_create(
        by=world.agent,
        via=PAGE,
        caller=world.employee,
        title=f"Gjeld {number}",
        description=f"Fødselsnr {number[:6]} {number[6:]}",
    )
    assert number not in ticket.title and number[6:] not in ticket.description
    assert ticket.title.endswith(number[:6] + "*****")
    entry = AuditEntry.objects.get(object_id=ticket.pk, action="create")
    assert number not in str(entry.changes) and entry.changes["masked_identity_numbers"][1] == 2
    message = ticket_reply(ticket=ticket, by=world.agent, via=PAGE, body=f"Sjekka {number}")
    assert number not in message.body


def test_escalation_to_second_line_needs_a_reason_and_is_no_first_line_resolution(world, second_line):
    team, agent2 = second_line
    ticket = new_case(world)
    with pytest.raises(ValidationError):
        ticket_assign(ticket=ticket, team=team, by=world.agent, via=PAGE)
    ticket_assign(ticket=ticket, team=team, reason="Krev tilgang til serveren", by=world.agent, via=PAGE)
    ticket.refresh_from_db()
    assert ticket.team == team and ticket.transferred
    note = Message.objects.get(ticket=ticket)
    assert note.visibility == "internal" and "Krev tilgang" in note.body
    ticket_assign(ticket=ticket, team=team, assignee=agent2, by=agent2, via=PAGE)
    ticket_reply(ticket=ticket, by=agent2, via=PAGE, body="Fiksa.")
    ticket = ticket_transition(ticket=ticket, status=Status.RESOLVED, by=agent2, via=PAGE)
    assert ticket.first_response_at and ticket.resolved_at and not ticket.first_line_resolved


def test_solved_by_the_receiving_team_counts_as_first_line(world):
    ticket = new_case(world)
    ticket = ticket_transition(ticket=ticket, status=Status.RESOLVED, by=world.agent, via=PAGE)
    assert ticket.first_line_resolved


def test_assignee_must_be_on_the_team_and_serve_the_organization(world, second_line):
    _team, agent2 = second_line
    ticket = new_case(world)
    with pytest.raises(ValidationError):
        ticket_assign(ticket=ticket, team=world.agent.teams.get(), assignee=agent2, by=world.agent, via=PAGE)


def test_transitions_that_are_not_allowed_change_nothing(world):
    ticket = new_case(world)
    with pytest.raises(ValidationError):
        ticket_transition(ticket=ticket, status=Status.CLOSED, by=world.agent, via=PAGE)
    with pytest.raises(ValidationError):
        ticket_transition(ticket=ticket, status="flying", by=world.agent, via=PAGE)
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_caller_reply_reopens_a_recently_resolved_case_but_not_an_old_one(world, settings):
    ticket = ticket_transition(ticket=new_case(world), status=Status.RESOLVED, by=world.agent, via=PAGE)
    ticket_reply(ticket=ticket, by=world.employee, via=PAGE, body="Det skjer igjen")
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS and ticket.reopen_count == 1
    ticket = ticket_transition(ticket=ticket, status=Status.RESOLVED, by=world.agent, via=PAGE)
    Ticket.objects.filter(pk=ticket.pk).update(
        resolved_at=timezone.now() - timedelta(days=settings.DESK_REOPEN_DAYS + 1)
    )
    ticket_reply(ticket=ticket, by=world.employee, via=PAGE, body="Takk")
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_caller_answer_while_waiting_sets_the_case_in_progress(world):
    ticket = ticket_transition(ticket=new_case(world), status=Status.WAITING_USER, by=world.agent, via=PAGE)
    ticket_reply(ticket=ticket, by=world.employee, via=PAGE, body="Her er skjermbiletet")
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS


def test_the_close_job_closes_only_cases_past_the_reopening_period(world, settings):
    old = ticket_transition(ticket=new_case(world), status=Status.RESOLVED, by=world.agent, via=PAGE)
    fresh = ticket_transition(ticket=new_case(world), status=Status.RESOLVED, by=world.agent, via=PAGE)
    Ticket.objects.filter(pk=old.pk).update(
        resolved_at=timezone.now() - timedelta(days=settings.DESK_REOPEN_DAYS + 1)
    )
    assert tickets_close_resolved() == 1
    assert Ticket.objects.get(pk=old.pk).status == Status.CLOSED
    assert Ticket.objects.get(pk=fresh.pk).status == Status.RESOLVED
    assert tickets_close_resolved() == 0
    assert AuditEntry.objects.filter(object_id=old.pk, channel="job").exists()


def test_employees_cannot_write_internal_notes_or_on_others_cases(world):
    ticket = new_case(world)
    with pytest.raises(PermissionDenied):
        ticket_reply(ticket=ticket, by=world.employee, via=PAGE, body="x", internal=True)
    with pytest.raises(PermissionDenied):
        ticket_reply(ticket=ticket, by=world.other_employee, via=PAGE, body="x")


def test_closed_cases_take_no_replies(world):
    ticket = ticket_transition(ticket=new_case(world), status=Status.RESOLVED, by=world.agent, via=PAGE)
    ticket = ticket_transition(ticket=ticket, status=Status.CLOSED, by=world.agent, via=PAGE)
    with pytest.raises(ValidationError):
        ticket_reply(ticket=ticket, by=world.employee, via=PAGE, body="Hei")


def test_attachments_are_checked_from_content(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket = new_case(world)
    pdf = attachment_add(
        ticket=ticket, by=world.agent, via=PAGE, upload=SimpleUploadedFile("rapport.pdf", b"%PDF-1.7\n...")
    )
    assert pdf.content_type == "application/pdf" and pdf.name == "rapport.pdf"
    assert "rapport" not in pdf.file.name  # stored under a generated name
    for name, content in [
        ("bilde.png", b"MZ\x90\x00\x03 executable"),
        ("side.txt", b"<html><script>alert(1)"),
        ("rapport.pdf", b"plain text pretending"),
    ]:
        with pytest.raises(ValidationError):
            attachment_add(ticket=ticket, by=world.agent, via=PAGE, upload=SimpleUploadedFile(name, content))
    settings.ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        attachment_add(ticket=ticket, by=world.agent, via=PAGE, upload=SimpleUploadedFile("a.txt", b"x" * 11))
    assert Attachment.objects.count() == 1


def test_merge_moves_messages_and_closes_the_duplicate_with_a_pointer(world):
    target, duplicate = new_case(world), new_case(world)
    ticket_reply(ticket=duplicate, by=world.agent, via=PAGE, body="Same problem")
    time_entry_add(ticket=duplicate, by=world.agent, via=PAGE, minutes=15)
    ticket_merge(duplicate=duplicate, into=target, by=world.agent, via=PAGE)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.CLOSED and duplicate.merged_into == target
    assert Message.objects.filter(ticket=target, body="Same problem").exists()
    assert TimeEntry.objects.get().ticket == target
    assert TicketLink.objects.filter(source=duplicate, target=target, kind="duplicate").exists()


def test_merge_into_itself_or_another_organization_is_refused(world):
    ticket = new_case(world)
    foreign = TicketFactory(caller=world.other_employee)
    with pytest.raises(ValidationError):
        ticket_merge(duplicate=ticket, into=ticket, by=world.agent, via=PAGE)
    with pytest.raises(PermissionDenied):
        ticket_merge(duplicate=ticket, into=foreign, by=world.agent, via=PAGE)
    with pytest.raises(ValidationError):
        ticket_link(ticket=ticket, other=foreign, kind="related", by=world.agent, via=PAGE)


def test_update_recomputes_priority_and_audits(world):
    ticket = new_case(world, impact=3, urgency=3)
    ticket_update(ticket=ticket, impact=1, urgency=1, by=world.agent, via=PAGE)
    ticket.refresh_from_db()
    assert ticket.priority == 1
    entry = AuditEntry.objects.filter(object_id=ticket.pk, action="update").latest("id")
    assert entry.changes["priority"][1] == "1 – Critical"


def test_time_entries_are_bounded(world):
    ticket = new_case(world)
    with pytest.raises(ValidationError):
        time_entry_add(ticket=ticket, by=world.agent, via=PAGE, minutes=0)
    assert (
        time_entry_add(ticket=ticket, by=world.agent, via=PAGE, minutes=30, note="Ringde brukar").minutes
        == 30
    )


def test_visibility_of_cases(world):
    mine = new_case(world)
    theirs = TicketFactory(caller=world.other_employee)
    assert set(Ticket.objects.visible_to(world.agent)) == {mine}
    assert set(Ticket.objects.visible_to(world.employee)) == {mine}
    assert set(Ticket.objects.visible_to(world.other_employee)) == {theirs}
    assert set(Ticket.objects.visible_to(world.customer_manager)) == {theirs}


def test_merged_replies_are_found_through_the_case_they_joined(world):
    target, duplicate = new_case(world), new_case(world)
    ticket_reply(ticket=duplicate, by=world.agent, via=PAGE, body="Skrivaren på rom 214 er tom for toner")
    ticket_merge(duplicate=duplicate, into=target, by=world.agent, via=PAGE)
    found = Ticket.objects.visible_to(world.agent).open().search("toner")
    assert list(found) == [target]
