"""The cases API: replies and internal notes, attachments and their downloads, time, identity numbers."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from torg.core.models import Channel
from torg.core.testing.api import API, ApiClient, assert_error
from torg.desk.masking import is_identity_number
from torg.desk.models import Attachment, Message, Status, Ticket, TimeEntry
from torg.desk.services.conversation import attachment_add, ticket_reply
from torg.desk.services.tickets import ticket_create, ticket_transition

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


class Api(ApiClient):
    def upload(self, ticket: Ticket, name: str, content: bytes) -> Any:
        return self.client.post(
            f"{API}/cases/{ticket.pk}/attachments",
            {"file": SimpleUploadedFile(name, content)},
            headers=self.headers,
        )


@pytest.fixture(autouse=True)
def files(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def mine(world: Any) -> Ticket:
    return ticket_create(by=world.agent, via=Channel.PAGE, caller=world.employee, title="VPN fell ut")


def identity_number() -> str:
    """A fødselsnummer as the population register issues them (15 May 1989)."""
    for individual in range(100, 500):
        for checks in range(100):
            candidate = f"150589{individual:03d}{checks:02d}"
            if is_identity_number(candidate):
                return candidate
    raise AssertionError("no valid number")


# Replies and internal notes.


def test_the_caller_sees_replies_and_the_agent_also_internal_notes(
    client: Any, world: Any, mine: Ticket
) -> None:
    agent, employee = Api(client, world.agent), Api(client, world.employee)
    reply = agent.post(f"/cases/{mine.pk}/replies", {"body": "Prøv å kople til på nytt."})
    note = agent.post(f"/cases/{mine.pk}/notes", {"body": "Sertifikatet har gått ut."})
    assert (reply.status_code, note.status_code) == (201, 201)
    assert (reply.json()["visibility"], note.json()["visibility"]) == ("public", "internal")
    answer = employee.post(f"/cases/{mine.pk}/replies", {"body": "Det verka!"})
    assert answer.status_code == 201 and answer.json()["author"]["id"] == world.employee.pk
    seen_by_agent = [m["body"] for m in agent.get(f"/cases/{mine.pk}/messages").json()["items"]]
    assert seen_by_agent == ["Prøv å kople til på nytt.", "Sertifikatet har gått ut.", "Det verka!"]
    response = employee.get(f"/cases/{mine.pk}/messages")
    assert [m["body"] for m in response.json()["items"]] == ["Prøv å kople til på nytt.", "Det verka!"]
    assert "Sertifikatet" not in response.content.decode()
    assert_error(employee.post(f"/cases/{mine.pk}/notes", {"body": "Eg òg"}), 403)
    assert Message.objects.filter(ticket=mine).count() == 3


def test_files_of_an_internal_note_are_hidden_from_the_caller(client: Any, world: Any, mine: Ticket) -> None:
    ticket_reply(ticket=mine, by=world.agent, via=Channel.PAGE, body="Logg frå brannmuren", internal=True,
                 files=[SimpleUploadedFile("brannmur.txt", b"DENY 10.0.0.7")])  # fmt: skip
    shared = attachment_add(
        ticket=mine,
        by=world.employee,
        via=Channel.PAGE,
        upload=SimpleUploadedFile("skjerm.png", b"\x89PNG\r\n\x1a\n"),
    )
    internal = Attachment.objects.exclude(pk=shared.pk).get()
    agent, employee = Api(client, world.agent), Api(client, world.employee)
    assert {a["id"] for a in agent.get(f"/cases/{mine.pk}/attachments").json()["items"]} == {
        shared.pk,
        internal.pk,
    }
    assert [a["id"] for a in employee.get(f"/cases/{mine.pk}/attachments").json()["items"]] == [shared.pk]
    assert_error(employee.get(f"/cases/{mine.pk}/attachments/{internal.pk}/download"), 404)
    download = employee.get(f"/cases/{mine.pk}/attachments/{shared.pk}/download")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"\x89PNG\r\n\x1a\n"


def test_a_closed_case_takes_no_reply_and_an_empty_one_is_refused(
    client: Any, world: Any, mine: Ticket
) -> None:
    agent = Api(client, world.agent)
    assert_error(agent.post(f"/cases/{mine.pk}/replies", {"body": "   "}), 400, "body")
    ticket_transition(ticket=mine, status=Status.RESOLVED, by=world.agent, via=Channel.PAGE)
    ticket_transition(ticket=mine, status=Status.CLOSED, by=world.agent, via=Channel.PAGE)
    assert_error(agent.post(f"/cases/{mine.pk}/replies", {"body": "Hei"}), 400)
    assert_error(agent.post(f"/cases/{mine.pk}/replies", {"body": ["Hei"]}), 422, "body")
    assert not Message.objects.exists()


def test_the_message_list_query_count_does_not_grow_with_messages(
    client: Any, world: Any, mine: Ticket
) -> None:
    agent = Api(client, world.agent)

    def write(n: int) -> None:
        for i in range(n):
            ticket_reply(ticket=mine, by=world.agent if i % 2 else world.employee, via=Channel.PAGE, body=f"Svar {i}",
                         internal=bool(i % 2), files=[SimpleUploadedFile(f"{i}.txt", b"logg")])  # fmt: skip

    write(3)
    agent.get(f"/cases/{mine.pk}/messages")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert len(agent.get(f"/cases/{mine.pk}/messages", {"limit": 200}).json()["items"]) == 3
    write(27)
    with CaptureQueriesContext(connection) as many:
        items = agent.get(f"/cases/{mine.pk}/messages", {"limit": 200}).json()["items"]
    assert len(items) == 30 and all(len(item["attachments"]) == 1 for item in items)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# Identity numbers.


def test_identity_numbers_are_masked_in_what_is_stored_and_returned(client: Any, world: Any) -> None:
    number = identity_number()
    spaced = f"{number[:6]} {number[6:]}"
    masked = number[:6] + "*****"
    agent = Api(client, world.agent)
    created = agent.post("/cases/", {"caller": world.employee.pk, "title": f"Lønn for {number}",
                                     "description": f"Gjeld fnr. {spaced}."})  # fmt: skip
    body = created.json()
    assert body["identity_numbers_masked"] is True
    assert body["title"] == f"Lønn for {masked}" and body["description"] == f"Gjeld fnr. {number[:6]} *****."
    ticket = Ticket.objects.get()
    case = f"/cases/{ticket.pk}"
    patched = agent.patch(case, {"description": f"Rett nummer: {number}"}).json()
    assert patched["identity_numbers_masked"] is True and number not in patched["description"]
    assert agent.patch(case, {"kind": "request"}).json()["identity_numbers_masked"] is False
    reply = agent.post(f"{case}/replies", {"body": f"Sjekka {number}"}).json()
    note = agent.post(f"{case}/notes", {"body": f"Sjå {spaced}"}).json()
    assert reply["identity_numbers_masked"] is note["identity_numbers_masked"] is True
    assert (reply["body"], note["body"]) == (f"Sjekka {masked}", f"Sjå {number[:6]} *****")
    attachment = agent.upload(ticket, f"{number}.txt", b"Attest").json()
    assert attachment["identity_numbers_masked"] is True and attachment["name"] == f"{masked}.txt"
    plain = agent.post(f"{case}/replies", {"body": "Kontonummer 1503.12.34511"}).json()
    assert plain["identity_numbers_masked"] is False
    ticket.refresh_from_db()
    stored = [ticket.title, ticket.description, *Message.objects.values_list("body", flat=True),
              *Attachment.objects.values_list("name", flat=True)]  # fmt: skip
    assert not [text for text in stored if number in text or number[6:] in text]
    everything = (
        agent.get(f"{case}/history").content.decode() + agent.get(f"{case}/messages").content.decode()
    )
    assert number not in everything and number[6:] not in everything


# Attachments.


def test_an_upload_is_stored_under_a_generated_name_and_typed_by_its_content(
    client: Any, world: Any, mine: Ticket
) -> None:
    response = Api(client, world.employee).upload(mine, "Søknad om permisjon.pdf", PDF)
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert body["name"] == "Søknad_om_permisjon.pdf" and body["content_type"] == "application/pdf"
    assert body["size"] == len(PDF) and body["uploaded_by"]["id"] == world.employee.pk
    assert body["download_url"] == f"{API}/cases/{mine.pk}/attachments/{body['id']}/download"
    assert "Søknad" not in Attachment.objects.get().file.name


def test_the_download_is_an_attachment_that_the_browser_does_not_run(
    client: Any, world: Any, mine: Ticket
) -> None:
    upload = Api(client, world.employee).upload(mine, "Søknad æøå.pdf", PDF).json()
    response = Api(client, world.agent).get(upload["download_url"][len(API) :])
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == "attachment; filename*=utf-8''S%C3%B8knad_%C3%A6%C3%B8%C3%A5.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert "no-store" in response["Cache-Control"]
    # Reading the content to its end closes the file; response.close() would close the test's database too.
    assert b"".join(response.streaming_content) == PDF
    ascii_name = Api(client, world.agent).upload(mine, 'rapport "v2".txt', b"Rapport\n").json()
    response = Api(client, world.agent).get(ascii_name["download_url"][len(API) :])
    assert response["Content-Disposition"] == 'attachment; filename="rapport_v2.txt"'
    assert response["Content-Type"] == "text/plain"
    assert b"".join(response.streaming_content) == b"Rapport\n"


def test_a_file_of_another_case_is_not_found_through_this_one(client: Any, world: Any, mine: Ticket) -> None:
    other = ticket_create(by=world.agent, via=Channel.PAGE, caller=world.employee, title="Anna sak")
    theirs = attachment_add(
        ticket=other, by=world.agent, via=Channel.PAGE, upload=SimpleUploadedFile("a.txt", b"x")
    )
    assert_error(Api(client, world.agent).get(f"/cases/{mine.pk}/attachments/{theirs.pk}/download"), 404)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00 This program cannot be run in DOS mode"),
        ("notat.txt", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("bilde.svg.txt", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("rapport.pdf", b"Berre tekst som lest seg ut for a vere PDF"),
    ],
    ids=["executable-as-pdf", "html-as-txt", "svg-as-txt", "text-as-pdf"],
)
def test_a_disguised_upload_is_refused(
    client: Any, world: Any, mine: Ticket, files: Any, name: str, content: bytes
) -> None:
    assert_error(Api(client, world.agent).upload(mine, name, content), 400, "file")
    assert not Attachment.objects.exists()
    assert not [path for path in files.rglob("*") if path.is_file()]


def test_a_too_large_upload_is_refused(
    client: Any, world: Any, mine: Ticket, settings: Any, files: Any
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    agent = Api(client, world.agent)
    assert_error(agent.upload(mine, "stor.txt", b"x" * (1024 * 1024 + 1)), 400, "file")
    assert not Attachment.objects.exists() and not [p for p in files.rglob("*") if p.is_file()]
    assert agent.upload(mine, "liten.txt", b"x" * (1024 * 1024)).status_code == 201


def test_an_upload_without_a_file_or_a_usable_name(client: Any, world: Any, mine: Ticket) -> None:
    agent = Api(client, world.agent)
    assert_error(client.post(f"{API}/cases/{mine.pk}/attachments", {}, headers=agent.headers), 422, "file")
    response = agent.upload(mine, "§§§", b"Logg\n")
    assert response.status_code == 201 and response.json()["name"] == "file"


# Time.


def test_time_is_logged_and_listed_for_the_cases_agents(client: Any, world: Any, mine: Ticket) -> None:
    agent = Api(client, world.agent)
    response = agent.post(
        f"/cases/{mine.pk}/time", {"minutes": 25, "note": "Fjernstyring", "work_date": "2025-03-14"}
    )
    assert response.status_code == 201, response.content.decode()
    assert response.json()["person"]["id"] == world.agent.pk and response.json()["work_date"] == "2025-03-14"
    agent.post(f"/cases/{mine.pk}/time", {"minutes": 5})
    assert [e["minutes"] for e in agent.get(f"/cases/{mine.pk}/time").json()["items"]] == [5, 25]
    for payload in (
        {"minutes": 0},
        {"minutes": 1441},
        {"minutes": 10**30},
        {"minutes": 10, "note": "x" * 301},
    ):
        assert_error(agent.post(f"/cases/{mine.pk}/time", payload), 400)
    assert_error(agent.post(f"/cases/{mine.pk}/time", {"minutes": "ein time"}), 422, "minutes")
    assert TimeEntry.objects.count() == 2
