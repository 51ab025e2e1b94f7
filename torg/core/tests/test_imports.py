"""Importing people and departments from an HR system's CSV export."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from conftest import World
from torg.core.models import AuditEntry, Channel, Department, ImportRun, Person
from torg.core.services import imports
from torg.core.services.imports import import_start
from torg.core.tasks import run_import
from torg.core.testing.browser import TIMEOUT_MS, assert_accessible
from torg.core.tests.factories import DepartmentFactory, LocationFactory, PersonFactory

expect.set_options(timeout=TIMEOUT_MS)

HEADER = {
    "employee_number": "Ansattnummer",
    "first_name": "Fornavn",
    "last_name": "Etternavn",
    "email": "E-post",
    "phone": "Mobil",
    "department_code": "Enhetskode",
    "department_name": "Enhet",
    "parent_department_code": "Overordnet enhetskode",
    "location": "Lokasjon",
    "active": "Aktiv",
}
FIRST_NAMES = [
    "Åse",
    "Bjørn",
    "Øystein",
    "Kjærsti",
    "Håkon",
    "Sølvi",
    "Tørris",
    "Ingrid",
    "Jørgen",
    "Gøril",
    "Åsmund",
    "Frøydis",
    "Kåre",
    "Mette",
    "Sigrun",
    "Ærling",
    "Ragnhild",
    "Ståle",
    "Bodil",
    "Even",
]
LAST_NAMES = [
    "Ødegård",
    "Bråten",
    "Sæther",
    "Løvås",
    "Haugen",
    "Æsøy",
    "Strøm",
    "Nærø",
    "Fjæra",
    "Vik",
    "Berg",
    "Dåvøy",
    "Hågensen",
    "Ås",
    "Myrbø",
    "Tveiterå",
    "Rønneberg",
]
SECTORS = {"10": "Oppvekst", "20": "Helse og omsorg", "30": "Teknisk drift", "40": "Økonomi og støtte"}
UNITS = ["Knarvik barneskule", "Alversund sjukeheim", "Vaktmeistertenesta", "Lønn og rekneskap"]
LOCATIONS = ["Knarvik skule", "Lindås rådhus", "Alversund sjukeheim", ""]
ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def departments() -> list[tuple[str, str, str]]:
    """(code, name, parent code): four sectors with four units each."""
    tree = [(code, name, "") for code, name in SECTORS.items()]
    for sector, sector_name in SECTORS.items():
        tree += [(f"{sector}{k:02d}", f"{unit} ({sector_name})", sector) for k, unit in enumerate(UNITS, 1)]
    return tree


def people(count: int) -> list[dict[str, str]]:
    """`count` employees with Norwegian names, spread over the departments and locations; all valid."""
    tree = departments()
    rows = []
    for i in range(count):
        first, last = FIRST_NAMES[i % len(FIRST_NAMES)], LAST_NAMES[i % len(LAST_NAMES)]
        code, name, parent = tree[i % len(tree)]
        rows.append(
            {
                "employee_number": f"{100000 + i}",
                "first_name": first,
                "last_name": last,
                "email": f"{first}.{last}.{i}@lindas.kommune.no".translate(ASCII).lower(),
                "phone": f"9{i:07d}",
                "department_code": code,
                "department_name": name,
                "parent_department_code": parent,
                "location": LOCATIONS[i % len(LOCATIONS)],
                "active": "ja" if i % 50 else "nei",
            }
        )
    return rows


def csv_bytes(
    rows: list[dict[str, str]],
    delimiter: str = ";",
    encoding: str = "utf-8",
    header: dict[str, str] | None = None,
) -> bytes:
    header = header or HEADER
    columns = list(header)
    lines = [delimiter.join(header[c] for c in columns)]
    for row in rows:
        cells = [row.get(c, "") for c in columns]
        lines.append(delimiter.join(f'"{c}"' if delimiter in c else c for c in cells))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.fixture
def world(world: World) -> World:
    # Reports are in the uploader's language; English keeps these assertions independent of translations.
    for person in (world.admin, world.customer_manager):
        person.language = "en"
        person.save(update_fields=["language"])
    LocationFactory(organization=world.member, name="Lindås rådhus")
    LocationFactory(organization=world.member, name="Alversund sjukeheim")
    return world


@pytest.fixture
def run_file(world: World, django_capture_on_commit_callbacks: Any) -> Callable[..., ImportRun]:
    """Upload a file and run its import (Huey runs immediately in tests, on commit)."""

    def run(
        content: bytes, by: Person | None = None, organization: Any = None, name: str = "ansatte.csv"
    ) -> ImportRun:
        with django_capture_on_commit_callbacks(execute=True):
            run = import_start(
                organization=organization or world.member,
                file_name=name,
                content=content,
                by=by or world.admin,
                via=Channel.PAGE,
            )
        run.refresh_from_db()
        return run

    return run


def problems(run: ImportRun) -> list[tuple[int | None, str, str]]:
    return [(p["row"], p["field"], p["message"]) for p in run.report["problems"]]


# The acceptance case: 2,000 people


BAD_ROWS = {  # index in the generated rows → (column, bad value, header reported)
    100: ("email", "ola.nordmann@@lindas", "E-post"),
    300: ("employee_number", "100299", "Ansattnummer"),  # the number of the row before
    400: ("email", "TAKEN", "E-post"),  # the address of a person in another organization
    500: ("last_name", "", "Etternavn"),
    600: ("first_name", "Å" * 101, "Fornavn"),
    700: ("location", "Månen", "Lokasjon"),
    800: ("active", "kanskje", "Aktiv"),
    900: ("employee_number", "", "Ansattnummer"),
    1000: ("department_name", "Feil namn", "Enhet"),  # the code is named otherwise on earlier rows
}


def spoil(rows: list[dict[str, str]], world: World) -> list[dict[str, str]]:
    rows = [dict(row) for row in rows]
    for index, (column, value, _header) in BAD_ROWS.items():
        rows[index][column] = world.other_employee.email.upper() if value == "TAKEN" else value
    rows[200].update(department_code="9901", department_name="Prosjekt", parent_department_code="9999")
    return rows


def test_two_thousand_people_with_ten_bad_rows_import_nothing_then_all_then_nothing_new(
    world: World, run_file: Callable[..., ImportRun]
) -> None:
    good = people(2000)
    before = (Person.objects.count(), Department.objects.count(), AuditEntry.objects.count())

    started = time.perf_counter()
    rejected = run_file(csv_bytes(spoil(good, world)))
    checked = time.perf_counter() - started

    assert rejected.status == ImportRun.Status.REJECTED
    assert rejected.report["problem_count"] == 10
    expected = {index + 2: header for index, (_c, _v, header) in BAD_ROWS.items()} | {
        202: "Overordnet enhetskode"
    }
    assert {row: field for row, field, _m in problems(rejected)} == expected
    assert (Person.objects.count(), Department.objects.count(), AuditEntry.objects.count()) == (
        before[0],
        before[1],
        before[2] + 1,
    )  # only the run's own entry

    started = time.perf_counter()
    done = run_file(csv_bytes(good))
    imported = time.perf_counter() - started

    assert done.status == ImportRun.Status.DONE, done.report
    assert done.report["people"] == {"created": 2000, "updated": 0, "unchanged": 0, "not_in_file": 1}
    assert done.report["departments"] == {"created": 20, "updated": 0, "unchanged": 0}
    assert world.member.people.count() == 2001
    person = Person.objects.get(organization=world.member, employee_number="100004")
    assert (person.first_name, person.last_name, person.department.name, person.department.parent.name) == (
        "Håkon",
        "Haugen",
        "Knarvik barneskule (Oppvekst)",
        "Oppvekst",
    )
    assert person.search_text == person.compute_search_text() and "håkon" in person.search_text
    assert person.location.name == "Knarvik skule"
    assert not person.has_usable_password() and person.username is None
    assert world.member.people.filter(is_active=False).count() == 40
    assert AuditEntry.objects.count() == before[2] + 1 + 2000 + 20 + 1

    audit_count = AuditEntry.objects.count()
    started = time.perf_counter()
    again = run_file(csv_bytes(good))
    reimported = time.perf_counter() - started

    assert again.report["people"] == {"created": 0, "updated": 0, "unchanged": 2000, "not_in_file": 1}
    assert again.report["departments"] == {"created": 0, "updated": 0, "unchanged": 20}
    assert AuditEntry.objects.count() == audit_count + 1
    # Measured: rejecting 0.06 s, importing 0.45 s, finding nothing changed 0.1 s (PostgreSQL: +20 %).
    # Queries per row would take tens of seconds; these bounds catch that, not a slow machine.
    assert checked < 5 and imported < 10 and reimported < 5


def test_messages_name_the_problem(world: World, run_file: Callable[..., ImportRun]) -> None:
    rows = people(3)
    rows[1]["email"] = "ikkje-ei-adresse"
    rows[2]["parent_department_code"] = "9999"
    rows[2]["department_code"], rows[2]["department_name"] = "77", "Prosjekt"
    run = run_file(csv_bytes(rows))
    assert problems(run) == [
        (3, "E-post", "“ikkje-ei-adresse” is not an e-mail address."),
        (4, "Overordnet enhetskode", "Unknown parent department 9999."),
    ]


def test_report_lists_at_most_500_problems_and_counts_all(
    world: World, run_file: Callable[..., ImportRun]
) -> None:
    rows = people(600)
    for row in rows:
        row["email"] = "feil"
    run = run_file(csv_bytes(rows))
    assert run.report["problem_count"] == 600
    assert len(run.report["problems"]) == 500


def test_the_import_itself_is_audited(world: World, run_file: Callable[..., ImportRun]) -> None:
    run = run_file(csv_bytes(people(25)))
    entry = AuditEntry.objects.for_object(run).get()
    assert (entry.action, entry.actor, entry.organization, entry.channel) == (
        AuditEntry.Action.IMPORT,
        world.admin,
        world.member,
        Channel.PAGE,
    )
    assert entry.changes["file_name"] == "ansatte.csv"
    assert entry.changes["people"]["created"] == 25
    person = Person.objects.get(organization=world.member, employee_number="100000")
    created = AuditEntry.objects.for_object(person).get()
    assert (created.action, created.actor, created.channel) == (
        AuditEntry.Action.CREATE,
        world.admin,
        Channel.IMPORT,
    )
    assert created.changes["first_name"] == [None, "Åse"]


# Encodings and separators


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_reads_utf8_with_and_without_bom_and_windows_1252(
    world: World, run_file: Callable[..., ImportRun], encoding: str, delimiter: str
) -> None:
    rows = people(20)
    rows[0]["department_name"] = "Helse, omsorg og velferd"  # a comma inside a quoted cell
    for row in rows:
        if row["department_code"] == rows[0]["department_code"]:
            row["department_name"] = rows[0]["department_name"]
    run = run_file(csv_bytes(rows, delimiter=delimiter, encoding=encoding))
    assert run.status == ImportRun.Status.DONE, run.report
    assert run.report["encoding"] == ("Windows-1252" if encoding == "cp1252" else "UTF-8")
    assert run.report["delimiter"] == delimiter
    names = set(world.member.people.values_list("first_name", "last_name"))
    assert ("Øystein", "Sæther") in names and ("Kjærsti", "Løvås") in names
    assert Department.objects.get(organization=world.member, code="10").name == "Helse, omsorg og velferd"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"Ansattnummer;Fornavn;Etternavn\r\n1;Ola;Nordm\x81\x8dnn\r\n",
            "Row 2 has characters that are neither UTF-8",
        ),
        (
            "Ansattnummer;Fornavn;Etternavn\r\n1;Åse;Berg\r\n".encode() + "2;Per;Bråten\r\n".encode("cp1252"),
            "The file mixes two encodings: row 2 is UTF-8, row 3 is not.",
        ),
        (
            b"Ansattnummer;Fornavn;Etternavn\r\n1;Ola\x01;Nordmann\r\n",
            "Row 2 has control or replacement characters",
        ),
        ("Ansattnummer;Fornavn;Etternavn\r\n1;Ola;Nordmann\r\n".encode("utf-16"), "The file is in UTF-16."),
    ],
    ids=["invalid-in-both", "mixed", "control-character", "utf-16"],
)
def test_a_file_in_no_known_encoding_is_rejected_with_a_clear_message(
    world: World, run_file: Callable[..., ImportRun], content: bytes, message: str
) -> None:
    run = run_file(content)
    assert run.status == ImportRun.Status.REJECTED
    [(_row, _field, text)] = problems(run)
    assert text.startswith(message)
    assert "CSV UTF-8" in text


def test_a_file_larger_than_the_limit_is_refused_at_upload(world: World, settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        import_start(
            organization=world.member,
            file_name="stor.csv",
            content=csv_bytes(people(5)),
            by=world.admin,
            via=Channel.PAGE,
        )
    assert "file" in error.value.message_dict
    assert not ImportRun.objects.exists()


def test_too_many_rows_are_rejected(
    world: World, run_file: Callable[..., ImportRun], monkeypatch: Any
) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    run = run_file(csv_bytes(people(4)))
    assert [m for _r, _f, m in problems(run)] == [
        "The file has more than 3 rows; split it into smaller files."
    ]


def test_missing_columns_and_ragged_rows_are_reported(
    world: World, run_file: Callable[..., ImportRun]
) -> None:
    run = run_file(b"fornavn;epost;stilling\r\nOla;ola@example.no;Lektor\r\n")
    assert [(r, f) for r, f, _m in problems(run)] == [
        (1, "employee_number / ansattnummer"),
        (1, "last_name / etternavn"),
    ]
    run = run_file(
        b"employee_number,first_name,last_name,title\r\n1,Ola,Nordmann\r\n2,Kari,Nordmann,Lektor\r\n"
    )
    assert problems(run) == [(2, "", "The row has 3 cells, the header 4.")]


def test_unknown_columns_are_ignored_and_named_in_the_report(
    world: World, run_file: Callable[..., ImportRun]
) -> None:
    run = run_file("Ansattnummer;Fornavn;Etternavn;Stilling\r\n7;Åse;Berg;Lærar\r\n".encode())
    assert run.status == ImportRun.Status.DONE
    assert run.report["ignored_columns"] == ["Stilling"]


# Updating what is there


def test_existing_people_are_updated_only_where_the_file_differs(
    world: World, run_file: Callable[..., ImportRun]
) -> None:
    world.employee.employee_number = "100000"
    world.employee.save(update_fields=["employee_number"])
    bystander = PersonFactory(organization=world.member, employee_number="999")
    row = {
        "employee_number": "100000",
        "first_name": "Eli",
        "last_name": "Ansatt-Berg",
        "email": world.employee.email,
        "phone": world.employee.phone,
    }
    header = {k: HEADER[k] for k in ("employee_number", "first_name", "last_name", "email", "phone")}

    run = run_file(csv_bytes([row], header=header))

    assert run.report["people"] == {"created": 0, "updated": 1, "unchanged": 0, "not_in_file": 1}
    world.employee.refresh_from_db()
    assert world.employee.last_name == "Ansatt-Berg" and "ansatt-berg" in world.employee.search_text
    assert world.employee.department is not None  # a column the file does not have is left alone
    entry = AuditEntry.objects.for_object(world.employee).get()
    assert (entry.action, entry.changes) == (
        AuditEntry.Action.UPDATE,
        {"last_name": ["Ansatt", "Ansatt-Berg"]},
    )
    assert not AuditEntry.objects.for_object(bystander).exists()


def test_a_person_marked_inactive_is_deactivated_and_audited_so(
    world: World, run_file: Callable[..., ImportRun]
) -> None:
    world.employee.employee_number = "5"
    world.employee.save(update_fields=["employee_number"])
    run_file(b"ansattnummer;fornavn;etternavn;aktiv\r\n5;Eli;Ansatt;nei\r\n")
    world.employee.refresh_from_db()
    assert not world.employee.is_active
    assert AuditEntry.objects.for_object(world.employee).get().action == AuditEntry.Action.DEACTIVATE


def test_an_email_may_stay_with_its_person_but_not_move_to_another(
    world: World, run_file: Callable[..., ImportRun]
) -> None:
    world.employee.employee_number = "5"
    world.employee.save(update_fields=["employee_number"])
    email = world.employee.email.upper()
    run = run_file(
        f"ansattnummer;fornavn;etternavn;epost\r\n5;Eli;Ansatt;{email}\r\n6;Ny;Person;{email}\r\n".encode()
    )
    assert problems(run) == [(3, "epost", "The e-mail address is also on row 2.")]
    run = run_file(f"ansattnummer;fornavn;etternavn;epost\r\n6;Ny;Person;{email}\r\n".encode())
    assert problems(run) == [(2, "epost", "Another person already has this e-mail address.")]
    run = run_file(f"ansattnummer;fornavn;etternavn;epost\r\n5;Eli;Ansatt;{email}\r\n".encode())
    assert run.status == ImportRun.Status.DONE


def test_departments_are_renamed_and_moved_by_code(world: World, run_file: Callable[..., ImportRun]) -> None:
    sector = DepartmentFactory(organization=world.member, name="Oppvekst", code="10")
    school = DepartmentFactory(organization=world.member, name="Skulen", code="1010", parent=sector)
    run = run_file(
        "ansattnummer;fornavn;etternavn;enhetskode;enhet;overordnet_enhetskode\r\n"
        "1;Åse;Berg;20;Kultur;\r\n"
        "2;Per;Vik;1010;Knarvik skule;20\r\n"
        "3;Kari;Dahl;10;Oppvekst;\r\n".encode()
    )
    assert run.report["departments"] == {"created": 1, "updated": 1, "unchanged": 1}
    school.refresh_from_db()
    culture = Department.objects.get(organization=world.member, code="20")
    assert (school.name, school.parent, school.path) == (
        "Knarvik skule",
        culture,
        f"{culture.path}{school.pk}/",
    )
    assert Person.objects.get(employee_number="2", organization=world.member).department == school


def test_departments_may_not_end_up_inside_each_other(
    world: World, run_file: Callable[..., ImportRun]
) -> None:
    top = DepartmentFactory(organization=world.member, name="Helse", code="20")
    DepartmentFactory(organization=world.member, name="Sjukeheimen", code="2010", parent=top)
    run = run_file(
        "ansattnummer;fornavn;etternavn;enhetskode;enhet;overordnet_enhetskode\r\n"
        "1;Åse;Berg;20;Helse;2010\r\n".encode()
    )
    assert problems(run) == [
        (2, "overordnet_enhetskode", "The departments would be inside each other: 20 → 2010 → 20.")
    ]


def test_a_department_is_given_the_same_way_on_every_row(
    world: World, run_file: Callable[..., ImportRun]
) -> None:
    run = run_file(
        "ansattnummer;fornavn;etternavn;enhetskode;enhet;overordnet_enhetskode\r\n"
        "1;Åse;Berg;10;Oppvekst;\r\n2;Per;Vik;20;Helse;\r\n3;Kari;Dahl;20;Helse;10\r\n4;Ola;Lie;30;;\r\n".encode()
    )
    assert problems(run) == [
        (4, "overordnet_enhetskode", "Department 20 is at the top on row 3."),
        (5, "enhetskode", "Unknown department 30: give its name to create it."),
    ]


# Who may import


def test_a_customer_manager_imports_only_into_the_organization_they_follow(world: World) -> None:
    with pytest.raises(PermissionDenied):
        import_start(
            organization=world.member,
            file_name="a.csv",
            content=b"x",
            by=world.customer_manager,
            via=Channel.PAGE,
        )
    run = import_start(
        organization=world.other, file_name="a.csv", content=b"x", by=world.customer_manager, via=Channel.PAGE
    )
    assert run.status == ImportRun.Status.PENDING


# Pages


def test_an_agent_may_not_open_the_upload_page(client: Any, world: World) -> None:
    client.force_login(world.agent)
    assert client.get(reverse("core:import_create")).status_code == 403


def test_an_administrator_uploads_a_file_and_reads_the_report(
    client: Any, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.admin)
    page = client.get(reverse("core:import_create"))
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    rows = people(5)
    rows[2]["email"] = "feil@"
    upload = _upload("ansatte.csv", csv_bytes(rows))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:import_create"), {"organization": world.member.pk, "file": upload}
        )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("core:import_detail", args=[run.pk])

    detail = client.get(response.url)
    assert detail.status_code == 200
    assert "Nothing was imported: there is 1 problem." in detail.text
    assert "<td>4</td><td>E-post</td><td>“feil@” is not an e-mail address.</td>" in detail.text
    assert "hx-trigger" not in detail.text
    listing = client.get(reverse("core:import_list"))
    assert "ansatte.csv" in listing.text and reverse("core:import_detail", args=[run.pk]) in listing.text


def test_a_file_that_is_too_large_is_a_form_error(client: Any, world: World, settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 10
    client.force_login(world.admin)
    response = client.post(
        reverse("core:import_create"), {"organization": world.member.pk, "file": _upload("a.csv", b"x" * 11)}
    )
    assert response.status_code == 400
    assert "The file is too large" in response.text
    assert not ImportRun.objects.exists()


def test_a_waiting_run_polls_until_it_has_ended(client: Any, world: World) -> None:
    run = ImportRun.objects.create(
        organization=world.member, uploaded_by=world.admin, file_name="a.csv", content=b""
    )
    client.force_login(world.admin)
    url = reverse("core:import_detail", args=[run.pk])
    page = client.get(url)
    assert f'hx-get="{url}" hx-trigger="every 2s"' in page.text
    partial = client.get(url, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.text and "updates by itself" in partial.text
    run.status = ImportRun.Status.DONE
    run.report = {
        "rows": 1,
        "people": {"created": 1, "updated": 0, "unchanged": 0, "not_in_file": 0},
        "departments": {"created": 0, "updated": 0, "unchanged": 0},
        "problems": [],
        "problem_count": 0,
    }
    run.save()
    ended = client.get(url, HTTP_HX_REQUEST="true")
    assert ended.status_code == 286  # htmx stops polling
    assert "All 1 row was imported." in ended.text


def test_a_run_of_an_organization_out_of_reach_is_not_found(client: Any, world: World) -> None:
    run = ImportRun.objects.create(
        organization=world.member, uploaded_by=world.admin, file_name="lindas.csv", content=b""
    )
    client.force_login(world.customer_manager)
    assert client.get(reverse("core:import_detail", args=[run.pk])).status_code == 404
    assert "lindas.csv" not in client.get(reverse("core:import_list")).text
    form = client.get(reverse("core:import_create")).text
    assert world.other.name in form and world.member.name not in form


# In the browser


def _signed_in(page: Any, live_server: Any, person: Person) -> None:
    client = Client()
    client.force_login(person)
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
    page.context.add_cookies([cookie])


@pytest.mark.browser
def test_an_upload_in_the_browser_shows_the_problems(page: Any, live_server: Any, world: World) -> None:
    _signed_in(page, live_server, world.admin)
    page.goto(reverse("core:import_create"))
    assert_accessible(page)
    rows = people(3)
    rows[1]["location"] = "Månen"
    page.get_by_label("Organization").select_option(label=world.member.name)
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "ansatte.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows, encoding="cp1252")}]
    )
    page.get_by_role("button", name="Upload and import").click()
    problems_table = page.get_by_role("table", name="Problems")
    expect(problems_table).to_contain_text("Lindås kommune has no location called “Månen”.")
    assert_accessible(page)
    page.goto(reverse("core:import_list"))
    expect(page.get_by_role("link", name="ansatte.csv")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
def test_a_waiting_run_shows_its_report_when_it_ends(page: Any, live_server: Any, world: World) -> None:
    run = ImportRun.objects.create(
        organization=world.member,
        uploaded_by=world.admin,
        file_name="ansatte.csv",
        content=csv_bytes(people(3)),
        report={"via": Channel.PAGE},
    )
    _signed_in(page, live_server, world.admin)
    page.goto(reverse("core:import_detail", args=[run.pk]))
    expect(page.get_by_text("This page updates by itself.")).to_be_visible()
    assert_accessible(page)
    run_import(run.pk)
    expect(page.get_by_role("table", name="What was imported")).to_be_visible()
    assert page.locator("#import-status").get_attribute("aria-live") == "polite"
    assert_accessible(page)


def _upload(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")
