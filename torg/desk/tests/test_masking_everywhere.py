"""Identity numbers are masked in every text a case stores, whichever way the text comes in.

Sixty generated fødselsnumre and D-numbers and fifty-six look-alikes (a wrong check digit, phone numbers,
organization numbers, twelve-digit runs) go into every free-text field of a case: title, description, the
reason for a priority set by hand, a reply, an internal note, a file's name, a time entry's note, the reason of
a transfer, and a later change of title and description. They go in through the services, through the pages
(the forms posted as a browser does) and through the API. Then every place the text can end up is read: the
case and its search text, messages, files and their stored paths, time entries, the audit log, the case page
and the API's answers. No identity number is left anywhere, each is stored as `DDMMYY*****`, and each
look-alike is stored as written. The writer is told: the page shows a notice, the API sets
`identity_numbers_masked`.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from torg.core.models import AuditEntry, Channel, Person, Team
from torg.core.testing.api import API, bearer
from torg.core.tests.factories import PersonFactory, TeamFactory, TeamMembershipFactory
from torg.core.validators import ORGANIZATION_NUMBER_WEIGHTS, organization_number_is_valid
from torg.desk.masking import contains_identity_number, is_identity_number
from torg.desk.models import Attachment, Message, Priority, Ticket, TimeEntry
from torg.desk.services.conversation import attachment_add, ticket_reply, time_entry_add
from torg.desk.services.tickets import ticket_assign, ticket_create, ticket_update

pytestmark = pytest.mark.django_db

NOTICE = "A personal identity number (fødselsnummer or D-number) was masked"
SECOND_LINE = "2. linje"
HAND_PRIORITY = Priority.HIGH  # the matrix gives LOW for the default impact and urgency

# Generated numbers.

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    """Skatteetaten's mod-11 rule, written out apart from the module's: 11 means 0, 10 means no number."""
    k = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return None if k == 10 else k % 11


def with_check_digits(nine: str) -> str | None:
    k1 = check_digit(nine, K1_WEIGHTS)
    k2 = None if k1 is None else check_digit(f"{nine}{k1}", K2_WEIGHTS)
    return None if k2 is None else f"{nine}{k1}{k2}"


def individual_ranges(year: int) -> list[tuple[int, int]]:
    """The individual numbers the population register gives people born in `year`."""
    if year < 1900:
        return [(500, 749)]
    if year < 1940:
        return [(0, 499)]
    if year < 2000:
        return [(0, 499), (900, 999)]
    return [(500, 999)]


def identity_numbers(count: int, seed: int) -> list[str]:
    """`count` different fødselsnumre and D-numbers (every second one), born 1854–2039."""
    rng = random.Random(seed)
    first, last = date(1854, 1, 1), date(2039, 12, 31)
    found: list[str] = []
    while len(found) < count:
        born = first + timedelta(days=rng.randrange((last - first).days + 1))
        low, high = rng.choice(individual_ranges(born.year))
        day = born.day + (40 if len(found) % 2 else 0)
        number = with_check_digits(f"{day:02}{born.month:02}{born.year % 100:02}{rng.randint(low, high):03}")
        if number is not None and number not in found:
            found.append(number)
    return found


# Skatteetaten's worked example (2 January 2032), a leap day in 2000, the 1800s, and a D-number.
KNOWN = ["02013299997", "29020050088", "01025550079", "41020351207"]
VALID = KNOWN + identity_numbers(56, seed=1)


def lookalikes() -> dict[str, list[str]]:
    rng = random.Random(2)
    bases = [n for n in identity_numbers(40, seed=3) if n not in VALID]
    wrong_check = [
        *(f"{n[:10]}{(int(n[10]) + 1) % 10}" for n in bases[:9]),  # the second check digit wrong
        *(f"{n[:9]}{(int(n[9]) + 1) % 10}{n[10]}" for n in bases[9:18]),  # the first check digit wrong
    ]
    phones = [f"{rng.choice('234579')}{rng.randrange(10**7):07}" for _ in range(14)]
    organizations: list[str] = []
    while len(organizations) < 12:
        eight = f"{rng.choice('89')}{rng.randrange(10**7):07}"
        remainder = sum(int(d) * w for d, w in zip(eight, ORGANIZATION_NUMBER_WEIGHTS, strict=True)) % 11
        if remainder != 1:
            organizations.append(f"{eight}{(11 - remainder) % 11}")
    twelve = [f"{n}{i % 10}" if i % 2 else f"{i % 10}{n}" for i, n in enumerate(bases[18:30])]
    return {
        "wrong check digit": wrong_check,
        "phone": phones,
        "organization": organizations,
        "12 digits": twelve,
    }


LOOKALIKES = lookalikes()
ALL_LOOKALIKES = [number for numbers in LOOKALIKES.values() for number in numbers]


def spaced(number: str) -> str:
    return f"{number[:6]} {number[6:]}"


def masked(number: str) -> str:
    return f"{number[:6]}*****"


def test_the_generated_numbers_are_what_they_claim_to_be() -> None:
    assert len(set(VALID)) == len(VALID) >= 50
    assert all(is_identity_number(number) for number in VALID)
    assert sum(int(n[0]) >= 4 for n in VALID) >= 25  # D-numbers: day + 40
    # Born in each century the rules know: individual numbers 000–499, 500–749 (1854–1899 or 2000s), 750–899
    # (2000–2039 only) and 900–999.
    individual = [int(n[6:9]) for n in VALID]
    assert all(
        any(low <= i <= high for i in individual)
        for low, high in [(0, 499), (500, 749), (750, 899), (900, 999)]
    )
    assert len(ALL_LOOKALIKES) >= 50 and all(len(numbers) >= 10 for numbers in LOOKALIKES.values())
    assert not any(is_identity_number(number) for number in ALL_LOOKALIKES)
    assert not any(contains_identity_number(f"nr. {number}.") for number in ALL_LOOKALIKES)
    assert all(len(n) == 11 for n in LOOKALIKES["wrong check digit"])
    assert all(len(n) == 8 for n in LOOKALIKES["phone"])
    assert all(organization_number_is_valid(n) for n in LOOKALIKES["organization"])
    assert all(len(n) == 12 for n in LOOKALIKES["12 digits"])
    # No look-alike holds an identity number of the test, which would blur what is found where.
    assert not any(number in lookalike for number in VALID for lookalike in ALL_LOOKALIKES)


# What is written, and what must be stored.

FIELDS = (
    "title",
    "description",
    "priority_reason",
    "reply",
    "note",
    "file_name",
    "time_note",
    "transfer_reason",
    "new_title",
    "new_description",
)


@dataclass(frozen=True)
class Text:
    written: str
    stored: str
    numbers: tuple[str, ...]
    lookalikes: tuple[str, ...]


@dataclass
class Case:
    """The texts one case gets, by field; its ticket once it is written."""

    texts: dict[str, Text]
    ticket: Ticket | None = None

    def __getitem__(self, field: str) -> str:
        return self.texts[field].written


def text_for(field: str, n: int) -> Text:
    """The n-th text: two identity numbers and two look-alikes, taken in turn so that a few texts use them all.

    In every third text the first number is written with a space after the date, as people often do; with
    ten fields a case, each field gets such a number in one case of every three."""
    numbers = (VALID[2 * n % len(VALID)], VALID[(2 * n + 1) % len(VALID)])
    kept = (ALL_LOOKALIKES[2 * n % len(ALL_LOOKALIKES)], ALL_LOOKALIKES[(2 * n + 1) % len(ALL_LOOKALIKES)])
    shown, hidden = [], []
    for i, number in enumerate(numbers):
        if i == 0 and n % 3 == 0:
            shown.append(spaced(number))
            hidden.append(f"{number[:6]} *****")
        else:
            shown.append(number)
            hidden.append(masked(number))
    if field == "file_name":
        # Kept as a safe file name: spaces become underscores.
        template = "attest {} {} org {} {}.txt"
        written = template.format(*shown, *kept)
        stored = template.format(*hidden, *kept).replace(" ", "_")
    else:
        template = field.replace("_", " ").capitalize() + ": fnr {} og {}, tlf./org.nr. {} og {}."
        written, stored = template.format(*shown, *kept), template.format(*hidden, *kept)
    return Text(written, stored, numbers, kept)


def cases(how_many: int) -> list[Case]:
    """Texts for `how_many` cases, every field of each: with 3 cases or more, every number is used."""
    fields = [(case, field) for case in range(how_many) for field in FIELDS]
    texts = [text_for(field, n) for n, (_case, field) in enumerate(fields)]
    return [
        Case(dict(zip(FIELDS, texts[i * len(FIELDS) : (i + 1) * len(FIELDS)], strict=True)))
        for i in range(how_many)
    ]


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "Attest frå legen.\n".encode(), content_type="text/plain")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def second_line(world: Any) -> Team:
    team = TeamFactory(organization=world.provider, name=SECOND_LINE, serves=[world.member])
    TeamMembershipFactory(team=team, person=PersonFactory(organization=world.provider, first_name="Siv"))
    return team


# Where the text ends up.


def written_texts() -> Iterator[tuple[str, str]]:
    """Every stored text a case has, named by where it is."""
    for ticket in Ticket.objects.order_by("pk"):
        for name in ("title", "description", "search_text", "priority_reason"):
            yield f"ticket {ticket.pk} {name}", getattr(ticket, name)
    for message in Message.objects.order_by("pk"):
        yield f"message {message.pk}", message.body
    for attachment in Attachment.objects.order_by("pk"):
        yield f"attachment {attachment.pk} name", attachment.name
        yield f"attachment {attachment.pk} path", attachment.file.name
    for entry in TimeEntry.objects.order_by("pk"):
        yield f"time entry {entry.pk}", entry.note
    for audit in AuditEntry.objects.order_by("pk"):
        yield f"audit {audit.pk} object", audit.object_repr
        yield f"audit {audit.pk} changes", json.dumps(audit.changes, ensure_ascii=False)


def shown_texts(client: Client, world: Any) -> Iterator[tuple[str, str]]:
    """The case page and the API's answers about every case, as the agent gets them."""
    client.force_login(world.agent)
    headers = bearer(world.agent)
    for ticket in Ticket.objects.order_by("pk"):
        page = client.get(reverse("desk:case_detail", args=[ticket.pk]))
        assert page.status_code == 200
        yield f"case page {ticket.pk}", page.content.decode()
        for suffix in ("", "/messages", "/attachments", "/time", "/history"):
            response = client.get(f"{API}/cases/{ticket.pk}{suffix}", {"limit": 200}, headers=headers)
            assert response.status_code == 200, response.content.decode()
            yield f"GET /cases/{ticket.pk}{suffix}", json.dumps(response.json(), ensure_ascii=False)


def leaked(text: str) -> list[str]:
    """The identity numbers of the test that `text` still holds, written with or without a separator."""
    found = [n for n in VALID if re.search(rf"{n[:6]}[ _-]?{n[6:]}", text)]
    found += [run for run in re.findall(r"(?<![0-9])[0-9]{11}(?![0-9])", text) if is_identity_number(run)]
    if contains_identity_number(text):
        found.append(f"masker finds one in {text!r}")
    return found


def stored_by_field(case: Case) -> dict[str, str]:
    """What the case stored of each field it was given."""
    ticket = Ticket.objects.get(pk=case.ticket.pk)
    entries = AuditEntry.objects.for_object(ticket).order_by("pk")
    created = entries.get(action=AuditEntry.Action.CREATE).changes
    edited = next(e.changes for e in entries if "description" in e.changes and e.action != "create")
    assert edited["title"][0] == created["title"][1] and edited["description"][0] == created["description"][1]
    notes = list(
        ticket.messages.filter(visibility=Message.Visibility.INTERNAL).values_list("body", flat=True)
    )
    transfer = f"Passed to {SECOND_LINE}: "
    (reason,) = [note.removeprefix(transfer) for note in notes if note.startswith(transfer)]
    (note,) = [note for note in notes if not note.startswith(transfer)]
    (reply,) = ticket.messages.filter(visibility=Message.Visibility.PUBLIC).values_list("body", flat=True)
    assert created["priority_reason"][1] == ticket.priority_reason
    assert edited["title"][1] == ticket.title and edited["description"][1] == ticket.description
    return {
        "title": created["title"][1],
        "description": created["description"][1],
        "priority_reason": ticket.priority_reason,
        "reply": reply,
        "note": note,
        "file_name": ticket.attachments.get().name,
        "time_note": ticket.time_entries.get().note,
        "transfer_reason": reason,
        "new_title": ticket.title,
        "new_description": ticket.description,
    }


def assert_masked_everywhere(client: Client, world: Any, written: list[Case]) -> None:
    # Each field holds exactly what was written, with the identity numbers masked and the look-alikes kept.
    for case in written:
        stored = stored_by_field(case)
        expected = {field: text.stored for field, text in case.texts.items()}
        assert stored == expected
        # Search finds the case by a look-alike of its searchable text, never by an identity number.
        searched = Ticket.objects.visible_to(world.agent)
        for field in ("new_title", "new_description", "reply"):
            text = case.texts[field]
            for lookalike in text.lookalikes:
                assert list(searched.search(lookalike)) == [case.ticket], (field, lookalike)
            for number in text.numbers:
                assert not searched.search(number).exists(), (field, number)
        attachment = case.ticket.attachments.get()
        assert not re.search(r"attest|org", attachment.file.name), attachment.file.name

    # Nothing stored and nothing shown holds an identity number.
    places = [*written_texts(), *shown_texts(client, world)]
    leaks = {where: found for where, text in places if (found := leaked(text))}
    assert not leaks, leaks

    # Every number written is shown masked, every look-alike as written, on the page and in the API.
    numbers = {n for case in written for text in case.texts.values() for n in text.numbers}
    kept = {n for case in written for text in case.texts.values() for n in text.lookalikes}
    assert numbers == set(VALID) and kept == set(ALL_LOOKALIKES)  # each went in somewhere
    for shown in ("case page", "GET"):
        everything = "\n".join(text for where, text in places if where.startswith(shown))
        assert not [n for n in numbers if not re.search(rf"{n[:6]}[ _]?\*{{5}}", everything)], shown
        assert not [n for n in kept if n not in everything]


# In through the services.


def test_through_the_services(client: Client, world: Any, second_line: Team) -> None:
    written = cases(3)
    via = Channel.PAGE
    for case in written:
        ticket = ticket_create(
            by=world.agent,
            via=via,
            caller=world.employee,
            title=case["title"],
            description=case["description"],
            priority=HAND_PRIORITY,
            priority_reason=case["priority_reason"],
        )
        ticket_reply(ticket=ticket, by=world.agent, via=via, body=case["reply"])
        ticket_reply(ticket=ticket, by=world.agent, via=via, body=case["note"], internal=True)
        attachment_add(ticket=ticket, by=world.agent, via=via, upload=upload(case["file_name"]))
        time_entry_add(ticket=ticket, by=world.agent, via=via, minutes=15, note=case["time_note"])
        ticket_update(
            ticket=ticket,
            by=world.agent,
            via=via,
            title=case["new_title"],
            description=case["new_description"],
        )
        ticket_assign(
            ticket=ticket, by=world.agent, via=via, team=second_line, reason=case["transfer_reason"]
        )
        case.ticket = ticket

    assert_masked_everywhere(client, world, written)


# In through the pages.


def page_client(world: Any) -> Client:
    client = Client()
    client.force_login(world.agent)
    return client


def post(client: Client, name: str, ticket: Ticket | None, data: dict[str, Any]) -> Any:
    args = [ticket.pk] if ticket is not None else []
    response = client.post(reverse(f"desk:{name}", args=args), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def page_create(client: Client, world: Any, **fields: str) -> Ticket:
    data = {
        "caller": world.employee.pk,
        "channel": "phone",
        "kind": "incident",
        "impact": 3,
        "urgency": 2,
        "priority": "",
        "priority_reason": "",
        "title": "Skrivaren",
        "description": "",
        "action": "register",
    }
    post(client, "case_create", None, data | fields)
    return Ticket.objects.latest("pk")


def page_edit(client: Client, ticket: Ticket, **fields: str) -> Any:
    ticket.refresh_from_db()
    data = {
        "kind": ticket.kind,
        "impact": ticket.impact,
        "urgency": ticket.urgency,
        "priority": ticket.priority if ticket.priority_reason else "",
        "priority_reason": ticket.priority_reason,
        "title": ticket.title,
        "description": ticket.description,
    }
    return post(client, "case_update", ticket, data | fields)


def page_reply(client: Client, ticket: Ticket, body: str, internal: bool = False, file_name: str = "") -> Any:
    data: dict[str, Any] = {"body": body, "visibility": "internal" if internal else "public"}
    if file_name:
        data["files"] = upload(file_name)
    return post(client, "case_reply", ticket, data)


def page_time(client: Client, ticket: Ticket, note: str) -> Any:
    return post(client, "case_time", ticket, {"minutes": 15, "note": note, "work_date": ""})


def page_transfer(client: Client, ticket: Ticket, team: Team, reason: str) -> Any:
    return post(client, "case_assign", ticket, {"team": team.pk, "assignee": "", "reason": reason})


def test_through_the_pages(world: Any, second_line: Team) -> None:
    client = page_client(world)
    written = cases(3)
    for case in written:
        ticket = page_create(
            client,
            world,
            title=case["title"],
            description=case["description"],
            priority=str(HAND_PRIORITY),
            priority_reason=case["priority_reason"],
        )
        page_reply(client, ticket, case["reply"], file_name=case["file_name"])
        page_reply(client, ticket, case["note"], internal=True)
        page_time(client, ticket, case["time_note"])
        page_edit(client, ticket, title=case["new_title"], description=case["new_description"])
        page_transfer(client, ticket, second_line, case["transfer_reason"])
        case.ticket = ticket

    assert_masked_everywhere(client, world, written)


# In through the API.


class Api:
    def __init__(self, client: Client, person: Person) -> None:
        self.client, self.headers = client, bearer(person)

    def post(self, path: str, data: Any) -> dict[str, Any]:
        response = self.client.post(
            API + path, json.dumps(data), content_type="application/json", headers=self.headers
        )
        assert response.status_code in (200, 201), response.content.decode()
        return response.json()

    def patch(self, path: str, data: Any) -> dict[str, Any]:
        response = self.client.patch(
            API + path, json.dumps(data), content_type="application/json", headers=self.headers
        )
        assert response.status_code == 200, response.content.decode()
        return response.json()

    def upload(self, path: str, name: str) -> dict[str, Any]:
        response = self.client.post(API + path, {"file": upload(name)}, headers=self.headers)
        assert response.status_code == 201, response.content.decode()
        return response.json()


def test_through_the_api(client: Client, world: Any, second_line: Team) -> None:
    api = Api(client, world.agent)
    written = cases(4)
    for case in written:
        created = api.post(
            "/cases/",
            {
                "caller": world.employee.pk,
                "title": case["title"],
                "description": case["description"],
                "priority": HAND_PRIORITY,
                "priority_reason": case["priority_reason"],
            },
        )
        path = f"/cases/{created['id']}"
        api.post(f"{path}/replies", {"body": case["reply"]})
        api.post(f"{path}/notes", {"body": case["note"]})
        api.upload(f"{path}/attachments", case["file_name"])
        api.post(f"{path}/time", {"minutes": 15, "note": case["time_note"]})
        api.patch(path, {"title": case["new_title"], "description": case["new_description"]})
        api.post(f"{path}/assign", {"team": second_line.pk, "reason": case["transfer_reason"]})
        case.ticket = Ticket.objects.get(pk=created["id"])

    assert_masked_everywhere(client, world, written)


# The writer is told, and only when something was masked.


def notice_shown(response: Any) -> bool:
    return NOTICE in response.content.decode()


PageWrite = Callable[[Client, Any, Ticket, Team, str], Any]
PAGE_WRITES: dict[str, PageWrite] = {
    "title": lambda c, w, t, team, text: c.post(
        reverse("desk:case_create"),
        {
            "caller": w.employee.pk,
            "channel": "phone",
            "kind": "incident",
            "impact": 3,
            "urgency": 2,
            "title": text,
            "action": "register",
        },
        follow=True,
    ),
    "priority_reason": lambda c, w, t, team, text: c.post(
        reverse("desk:case_create"),
        {
            "caller": w.employee.pk,
            "channel": "phone",
            "kind": "incident",
            "impact": 3,
            "urgency": 2,
            "priority": HAND_PRIORITY,
            "priority_reason": text,
            "title": "Skrivaren",
            "action": "register",
        },
        follow=True,
    ),
    "reply": lambda c, w, t, team, text: c.post(
        reverse("desk:case_reply", args=[t.pk]), {"body": text, "visibility": "public"}, follow=True
    ),
    "note": lambda c, w, t, team, text: c.post(
        reverse("desk:case_reply", args=[t.pk]), {"body": text, "visibility": "internal"}, follow=True
    ),
    "file_name": lambda c, w, t, team, text: c.post(
        reverse("desk:case_reply", args=[t.pk]),
        {"body": "Sjå vedlegget.", "visibility": "public", "files": upload(f"{text}.txt")},
        follow=True,
    ),
    "time_note": lambda c, w, t, team, text: c.post(
        reverse("desk:case_time", args=[t.pk]), {"minutes": 5, "note": text, "work_date": ""}, follow=True
    ),
    "transfer_reason": lambda c, w, t, team, text: c.post(
        reverse("desk:case_assign", args=[t.pk]),
        {"team": team.pk, "assignee": "", "reason": text},
        follow=True,
    ),
    "new_description": lambda c, w, t, team, text: c.post(
        reverse("desk:case_update", args=[t.pk]),
        {"kind": t.kind, "impact": t.impact, "urgency": t.urgency, "title": t.title, "description": text},
        follow=True,
    ),
}


@pytest.mark.parametrize("field", list(PAGE_WRITES))
def test_the_page_tells_the_writer_when_a_number_was_masked(
    world: Any, second_line: Team, field: str
) -> None:
    client = page_client(world)
    write = PAGE_WRITES[field]
    number, lookalike = VALID[7], LOOKALIKES["wrong check digit"][0]

    ticket = ticket_create(by=world.agent, via=Channel.PAGE, caller=world.employee, title="Skrivaren")
    plain = write(client, world, ticket, second_line, f"Kontonr {lookalike} tlf {LOOKALIKES['phone'][0]}")
    assert plain.status_code == 200 and plain.redirect_chain, plain.content.decode()[:3000]
    assert not notice_shown(plain)

    ticket = ticket_create(by=world.agent, via=Channel.PAGE, caller=world.employee, title="Skrivaren")
    response = write(client, world, ticket, second_line, f"Fnr {number}")
    assert response.status_code == 200 and response.redirect_chain, response.content.decode()[:3000]
    assert masked(number) in response.content.decode() and number not in response.content.decode()
    assert notice_shown(response)


ApiWrite = Callable[[Client, dict[str, str], Any, Ticket, Team, str], Any]
API_WRITES: dict[str, ApiWrite] = {
    "title": lambda c, h, w, t, team, text: ("/cases/", {"caller": w.employee.pk, "title": text}),
    "description": lambda c, h, w, t, team, text: (
        "/cases/",
        {"caller": w.employee.pk, "title": "Skrivaren", "description": text},
    ),
    "priority_reason": lambda c, h, w, t, team, text: (
        "/cases/",
        {"caller": w.employee.pk, "title": "Skrivaren", "priority": HAND_PRIORITY, "priority_reason": text},
    ),
    "reply": lambda c, h, w, t, team, text: (f"/cases/{t.pk}/replies", {"body": text}),
    "note": lambda c, h, w, t, team, text: (f"/cases/{t.pk}/notes", {"body": text}),
    "file_name": lambda c, h, w, t, team, text: (f"/cases/{t.pk}/attachments", upload(f"{text}.txt")),
    "time_note": lambda c, h, w, t, team, text: (f"/cases/{t.pk}/time", {"minutes": 5, "note": text}),
    "transfer_reason": lambda c, h, w, t, team, text: (
        f"/cases/{t.pk}/assign",
        {"team": team.pk, "reason": text},
    ),
    "new_title": lambda c, h, w, t, team, text: (f"/cases/{t.pk}", {"title": text}),
    "new_description": lambda c, h, w, t, team, text: (f"/cases/{t.pk}", {"description": text}),
}


def api_write(client: Client, headers: dict[str, str], field: str, path: str, data: Any) -> Any:
    if isinstance(data, SimpleUploadedFile):
        return client.post(API + path, {"file": data}, headers=headers)
    method = client.patch if field.startswith("new_") else client.post
    return method(API + path, json.dumps(data), content_type="application/json", headers=headers)


@pytest.mark.parametrize("field", list(API_WRITES))
def test_the_api_tells_the_writer_when_a_number_was_masked(
    client: Client, world: Any, second_line: Team, field: str
) -> None:
    headers = bearer(world.agent)
    number, lookalike = VALID[8], LOOKALIKES["organization"][0]
    flags = []
    for text in (f"Org.nr. {lookalike}", f"Fnr {number}"):
        ticket = ticket_create(by=world.agent, via=Channel.PAGE, caller=world.employee, title="Skrivaren")
        path, data = API_WRITES[field](client, headers, world, ticket, second_line, text)
        response = api_write(client, headers, field, path, data)
        assert response.status_code in (200, 201), response.content.decode()
        assert number not in response.content.decode()
        flags.append(response.json().get("identity_numbers_masked"))
    assert flags == [False, True]
