"""Importing people and departments from an HR system's CSV export: every row valid, or nothing imported."""

from __future__ import annotations

import csv
import io
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from torg.core import audit
from torg.core.models import AuditEntry, Channel, Department, ImportRun, Organization, Person
from torg.core.permissions import ensure_can_manage
from torg.core.services import organizations as org_services

logger = logging.getLogger(__name__)

MAX_ROWS = 50_000
MAX_LISTED = 500  # problems listed in a report; the total is always counted
COLUMNS: dict[str, tuple[str, ...]] = {
    "employee_number": ("employee_number", "ansattnummer"),
    "first_name": ("first_name", "fornavn"),
    "last_name": ("last_name", "etternavn"),
    "email": ("email", "epost", "e-post"),
    "phone": ("phone", "telefon", "mobil"),
    "department_code": ("department_code", "enhetskode"),
    "department_name": ("department_name", "enhet"),
    "parent_department_code": ("parent_department_code", "overordnet_enhetskode"),
    "location": ("location", "lokasjon"),
    "active": ("active", "aktiv"),
}
ALIASES = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
REQUIRED_COLUMNS = ("employee_number", "first_name", "last_name")
TEXT_FIELDS = ("first_name", "last_name", "email", "phone")
BOOLEANS = {"ja": True, "1": True, "true": True, "nei": False, "0": False, "false": False}
MAX_LENGTHS = {
    **{name: Person._meta.get_field(name).max_length for name in ("employee_number", *TEXT_FIELDS)},
    "department_code": Department._meta.get_field("code").max_length,
    "department_name": Department._meta.get_field("name").max_length,
    "parent_department_code": Department._meta.get_field("code").max_length,
}
# Bytes of a UTF-8 encoded letter. In a file that is not valid UTF-8 they mean two encodings were mixed:
# decoded as Windows-1252 they would turn "ø" into "Ã¸" without any error.
UTF8_LETTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
GARBLED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")


class Rejected(Exception):
    """The file cannot be imported; `problems` says why, row by row."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__(problems)
        self.problems = problems


def problem(row: int | None, field_name: str, message: str) -> dict[str, Any]:
    return {"row": row, "field": field_name, "message": message}


# Reading the file


@dataclass
class Sheet:
    headers: dict[str, str]  # column → the header as written in the file
    rows: list[tuple[int, dict[str, str]]]  # (row number in the file, column → cell)
    encoding: str
    delimiter: str
    ignored: list[str]
    problems: list[dict[str, Any]]  # rows whose cells do not line up with the header


def _line(data: bytes | str, index: int) -> int:
    return data[:index].count(b"\n" if isinstance(data, bytes) else "\n") + 1


def decode(content: bytes) -> tuple[str, str]:
    """The text of an uploaded file: UTF-8 (with or without BOM) or Windows-1252, and nothing garbled."""
    save_as = _("Save it from the spreadsheet as “CSV UTF-8” and upload it again.")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Rejected([problem(None, "", _("The file is in UTF-16.") + " " + save_as)])
    try:
        return _clean(content.decode("utf-8-sig"), "UTF-8", save_as), "UTF-8"
    except UnicodeDecodeError as error:
        if letter := UTF8_LETTER.search(content):
            message = _("The file mixes two encodings: row %(utf8)d is UTF-8, row %(other)d is not.") % {
                "utf8": _line(content, letter.start()),
                "other": _line(content, error.start),
            }
            raise Rejected([problem(None, "", message + " " + save_as)]) from error
    try:
        return _clean(content.decode("cp1252"), "Windows-1252", save_as), "Windows-1252"
    except UnicodeDecodeError as error:
        message = _("Row %(row)d has characters that are neither UTF-8 nor Windows-1252.") % {
            "row": _line(content, error.start)
        }
        raise Rejected([problem(None, "", message + " " + save_as)]) from error


def _clean(text: str, encoding: str, save_as: str) -> str:
    if garbled := GARBLED.search(text):
        message = _(
            "Row %(row)d has control or replacement characters; the file is not plain %(encoding)s text."
        )
        row = _line(text, garbled.start())
        raise Rejected([problem(None, "", message % {"row": row, "encoding": encoding} + " " + save_as)])
    return text


def read(content: bytes) -> Sheet:
    """The rows of a CSV file, separated by ";" or "," (whichever the header uses), with known columns."""
    text, encoding = decode(content)
    first = text[:4096].split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
        headers, positions, ignored = _columns(header)
        rows, problems, line = [], [], reader.line_num
        for cells in reader:
            number, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                limit = _("The file has more than %(max)d rows; split it into smaller files.") % {
                    "max": MAX_ROWS
                }
                raise Rejected([problem(None, "", limit)])
            if len(cells) != len(header):
                message = _("The row has %(cells)d cells, the header %(columns)d.")
                problems.append(problem(number, "", message % {"cells": len(cells), "columns": len(header)}))
                continue
            rows.append((number, {column: cells[i].strip() for column, i in positions.items()}))
    except csv.Error as error:
        message = _("Row %(row)d cannot be read as CSV: %(error)s") % {"row": reader.line_num, "error": error}
        raise Rejected([problem(reader.line_num, "", message)]) from error
    return Sheet(headers, rows, encoding, delimiter, ignored, problems)


def _columns(header: list[str]) -> tuple[dict[str, str], dict[str, int], list[str]]:
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    problems = []
    for index, name in enumerate(header):
        column = ALIASES.get(name.strip().lower().replace(" ", "_"))
        if column is None:
            ignored.append(name.strip())
        elif column in positions:
            problems.append(
                problem(
                    1,
                    name.strip(),
                    _("The column is also there as “%(other)s”.") % {"other": headers[column]},
                )
            )
        else:
            headers[column], positions[column] = name.strip(), index
    for column in REQUIRED_COLUMNS:
        if column not in positions:
            names = " / ".join(COLUMNS[column])
            problems.append(
                problem(1, names, _("The file needs this column; the first row must name the columns."))
            )
    if problems:
        raise Rejected(problems)
    return headers, positions, [name for name in ignored if name]


# Checking the rows


@dataclass
class Definition:
    """A department as the file gives it; `parent` is a code, "" at the top, or None without the column."""

    name: str
    parent: str | None
    row: int


@dataclass
class Plan:
    """What an import will do, once every row has passed."""

    organization: Organization
    definitions: dict[str, Definition] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # defined departments, parents before children
    departments: dict[str, Department] = field(default_factory=dict)  # the existing ones, by code
    people: list[dict[str, Any]] = field(default_factory=list)
    existing: dict[str, Person] = field(default_factory=dict)  # by employee number
    problems: list[dict[str, Any]] = field(default_factory=list)


class Checker:
    """Checks every row against the rest of the file and the organization's data, collecting every problem."""

    def __init__(self, sheet: Sheet, organization: Organization, by: Any) -> None:
        self.sheet, self.by, self.plan = sheet, by, Plan(organization, problems=list(sheet.problems))
        self.locations: dict[str, list[Any]] = {}
        for location in organization.locations.filter(is_active=True):
            self.locations.setdefault(location.name.lower(), []).append(location)
        self.by_id = {d.pk: d for d in organization.departments.all()}
        self.plan.departments = {d.code: d for d in self.by_id.values() if d.code}
        people = organization.people.exclude(employee_number="").select_related("department", "location")
        self.plan.existing = {p.employee_number: p for p in people}

    def add(self, number: int | None, column: str, message: str, /, **params: Any) -> None:
        text = message % params if params else message
        self.plan.problems.append(problem(number, self.sheet.headers.get(column, column), text))

    def check(self) -> Plan:
        rows = [(number, values, self._bad_cells(number, values)) for number, values in self.sheet.rows]
        for number, values, bad in rows:
            if not bad & {"department_code", "department_name", "parent_department_code"}:
                self._definition(number, values)
        numbers: dict[str, int] = {}
        emails: dict[str, int] = {}
        for number, values, bad in rows:
            self._person(number, values, bad, numbers, emails)
        self._check_parents()
        self._check_emails_taken(emails)
        self.plan.problems.sort(key=lambda p: p["row"] or 0)
        return self.plan

    def _bad_cells(self, number: int, values: dict[str, str]) -> set[str]:
        bad = set()
        for column, value in values.items():
            limit = MAX_LENGTHS.get(column)
            if limit and len(value) > limit:
                message = _("Too long: at most %(max)d characters, this has %(length)d.")
                self.add(number, column, message, max=limit, length=len(value))
                bad.add(column)
        for column in REQUIRED_COLUMNS:
            if not values.get(column):
                self.add(number, column, _("This field is required."))
                bad.add(column)
        return bad

    def _definition(self, number: int, values: dict[str, str]) -> None:
        code, name = values.get("department_code", ""), values.get("department_name", "")
        parent = values.get("parent_department_code")
        if not code:
            if name or parent:
                self.add(number, "department_code", _("Give the department's code too."))
            return
        if not name:
            if parent:
                self.add(number, "department_name", _("Give the department's name too."))
            return
        if parent == code:
            self.add(number, "parent_department_code", _("A department cannot be its own parent."))
            return
        first = self.plan.definitions.setdefault(code, Definition(name, parent, number))
        if first.name != name:
            message = _("Department %(code)s is called “%(name)s” on row %(row)d.")
            self.add(number, "department_name", message, code=code, name=first.name, row=first.row)
        elif first.parent != parent:
            message = (
                _("Department %(code)s is under %(parent)s on row %(row)d.")
                if first.parent
                else _("Department %(code)s is at the top on row %(row)d.")
            )
            self.add(number, "parent_department_code", message, code=code, parent=first.parent, row=first.row)

    def _person(
        self,
        number: int,
        values: dict[str, str],
        bad: set[str],
        numbers: dict[str, int],
        emails: dict[str, int],
    ) -> None:
        employee_number = values["employee_number"]
        if "employee_number" not in bad:
            if employee_number in numbers:
                message = _("Employee number %(number)s is also on row %(row)d.")
                self.add(
                    number, "employee_number", message, number=employee_number, row=numbers[employee_number]
                )
            numbers.setdefault(employee_number, number)
        person: dict[str, Any] = {
            name: values[name] for name in ("employee_number", *TEXT_FIELDS) if name in values
        }
        if (email := person.get("email")) and "email" not in bad:
            try:
                validate_email(email)
            except ValidationError:
                self.add(number, "email", _("“%(email)s” is not an e-mail address."), email=email)
            else:
                if email.lower() in emails:
                    message = _("The e-mail address is also on row %(row)d.")
                    self.add(number, "email", message, row=emails[email.lower()])
                emails.setdefault(email.lower(), number)
        if "department_code" in values and "department_code" not in bad:
            person["department"] = self._department(number, values["department_code"])
        if "location" in values:
            person["location"] = self._location(number, values["location"])
        if values.get("active"):
            person["is_active"] = BOOLEANS.get(values["active"].lower())
            if person["is_active"] is None:
                self.add(number, "active", _("Write ja or nei (or 1 or 0, true or false)."))
            elif (
                not person["is_active"]
                and getattr(self.plan.existing.get(employee_number), "pk", 0) == self.by.pk
            ):
                self.add(number, "active", _("You cannot deactivate yourself."))
        self.plan.people.append(person)

    def _department(self, number: int, code: str) -> str | None:
        if code and code not in self.plan.definitions and code not in self.plan.departments:
            message = _("Unknown department %(code)s: give its name to create it.")
            self.add(number, "department_code", message, code=code)
        return code or None

    def _location(self, number: int, name: str) -> Any:
        if not name:
            return None
        found = self.locations.get(name.lower(), [])
        if len(found) != 1:
            message = (
                _("%(organization)s has no location called “%(name)s”.")
                if not found
                else _("%(organization)s has several locations called “%(name)s”.")
            )
            self.add(number, "location", message, organization=self.plan.organization, name=name)
            return None
        return found[0]

    def _check_parents(self) -> None:
        definitions = self.plan.definitions
        known = definitions.keys() | self.plan.departments.keys()
        for definition in definitions.values():
            if definition.parent and definition.parent not in known:
                message = _("Unknown parent department %(code)s.")
                self.add(definition.row, "parent_department_code", message, code=definition.parent)
                definition.parent = None  # reported; the cycle check then follows the existing tree
        depth, reported = {}, set()
        for code in definitions:
            chain = list(self._ancestors(code))
            depth[code] = len(chain)
            if code in chain and code not in reported:
                cycle = [code, *chain[: chain.index(code) + 1]]
                reported.update(cycle)
                names = [node if isinstance(node, str) else self.by_id[node].name for node in cycle]
                message = _("The departments would be inside each other: %(chain)s.")
                self.add(definitions[code].row, "parent_department_code", message, chain=" → ".join(names))
        self.plan.order = sorted(definitions, key=depth.__getitem__)

    def _ancestors(self, code: str) -> Iterator[str | int]:
        """The ancestors a department will have: codes, or ids of departments without a code."""
        node: str | int | None = code
        seen: set[str | int] = set()
        while node is not None and node not in seen:
            seen.add(node)
            node = self._parent(node)
            if node is not None:
                yield node

    def _parent(self, node: str | int) -> str | int | None:
        definition = self.plan.definitions.get(node) if isinstance(node, str) else None
        if definition is not None and definition.parent is not None:
            return definition.parent or None
        department = self.plan.departments.get(node) if isinstance(node, str) else self.by_id[node]
        parent = self.by_id.get(department.parent_id) if department and department.parent_id else None
        return (parent.code or parent.pk) if parent else None

    def _check_emails_taken(self, emails: dict[str, int]) -> None:
        """An e-mail address belongs to one person (case-insensitive), across all organizations."""
        numbers: dict[str, str] = {}
        for person in self.plan.people:
            if person.get("email"):
                numbers.setdefault(person["email"].lower(), person["employee_number"])
        keys = list(emails)
        for start in range(0, len(keys), 500):
            holders = (
                Person.objects.annotate(email_ci=Lower("email"))
                .filter(email_ci__in=keys[start : start + 500])
                .values_list("email_ci", "organization_id", "employee_number")
            )
            for email, organization_id, employee_number in holders:
                if organization_id != self.plan.organization.pk or employee_number != numbers[email]:
                    self.add(emails[email], "email", _("Another person already has this e-mail address."))


# Applying


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _apply_departments(plan: Plan, by: Any) -> tuple[dict[str, Department], Counts]:
    """Create, rename and move the file's departments, parents first, through the department services."""
    counts, departments, moved = Counts(), dict(plan.departments), False
    for code in plan.order:
        definition = plan.definitions[code]
        parent = departments[definition.parent] if definition.parent else None
        if parent is not None and moved:
            parent.refresh_from_db()  # a move rewrites the paths of a whole subtree
        department = departments.get(code)
        if department is None:
            departments[code] = org_services.department_create(
                organization=plan.organization,
                name=definition.name,
                code=code,
                parent=parent,
                by=by,
                via=Channel.IMPORT,
            )
            counts.created += 1
            continue
        if moved:
            department.refresh_from_db()
        changed = not department.is_active or department.name != definition.name
        if not department.is_active:
            department = org_services.department_set_active(
                department=department, active=True, by=by, via=Channel.IMPORT
            )
        if department.name != definition.name:
            department = org_services.department_update(
                department=department, name=definition.name, by=by, via=Channel.IMPORT
            )
        if definition.parent is not None and department.parent_id != (parent.pk if parent else None):
            department = org_services.department_move(
                department=department, parent=parent, by=by, via=Channel.IMPORT
            )
            changed = moved = True
        departments[code] = department
        counts.updated += changed
        counts.unchanged += not changed
    return departments, counts


def _differs(person: Person, name: str, value: Any) -> bool:
    if name in ("department", "location"):
        return getattr(person, f"{name}_id") != (value.pk if value else None)
    return getattr(person, name) != value


def _apply_people(plan: Plan, departments: dict[str, Department], by: Any) -> dict[str, int]:
    """Create and update people in bulk, with one audit entry for each person created or changed."""
    organization, now = plan.organization, timezone.now()
    new: list[Person] = []
    changed: dict[Person, dict[str, list[Any]]] = {}
    for values in plan.people:
        if values.get("department"):
            values = {**values, "department": departments[values["department"]]}
        person = plan.existing.get(values["employee_number"])
        if person is None:
            person = Person(organization=organization, password=make_password(None), **values)
            person.search_text = person.compute_search_text()
            new.append(person)
        elif changes := _update(person, values, organization):
            person.updated_at = now
            changed[person] = changes
    if changed:
        names = {name for changes in changed.values() for name in changes}
        Person.objects.bulk_update(changed, [*sorted(names), "search_text", "updated_at"], batch_size=500)
    Person.objects.bulk_create(new, batch_size=500)
    entries = [(person, _update_action(person, changes), changes) for person, changes in changed.items()]
    entries += [
        (p, audit.Action.CREATE, {k: [None, v] for k, v in audit.snapshot(p).items() if v not in (None, "")})
        for p in new
    ]
    _audit_people(entries, organization=organization, by=by)
    matched = len(plan.people) - len(new)
    return {
        "created": len(new),
        "updated": len(changed),
        "unchanged": matched - len(changed),
        "not_in_file": organization.people.count() - len(plan.people),
    }


def _update(person: Person, values: dict[str, Any], organization: Organization) -> dict[str, list[Any]]:
    """Set the values that differ on an existing person; the changes as the audit log shows them."""
    person.organization = organization  # the instance the snapshots name, without a query per person
    names = [name for name, value in values.items() if _differs(person, name, value)]
    if not names:
        return {}
    before = audit.snapshot(person)
    for name in names:
        setattr(person, name, values[name])
    person.search_text = person.compute_search_text()
    after = audit.snapshot(person)
    return {name: [before[name], after[name]] for name in names}


def _update_action(person: Person, changes: dict[str, Any]) -> str:
    if set(changes) == {"is_active"}:
        return audit.Action.REACTIVATE if person.is_active else audit.Action.DEACTIVATE
    return audit.Action.UPDATE


def _audit_people(
    entries: list[tuple[Person, str, dict[str, Any]]], *, organization: Organization, by: Any
) -> None:
    """The audit entries of a bulk write, in bulk, as audit.created and audit.change would write them."""
    content_type = ContentType.objects.get_for_model(Person)
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                organization=organization,
                actor=by,
                channel=Channel.IMPORT,
                action=action,
                content_type=content_type,
                object_id=person.pk,
                object_repr=str(person)[:200],
                changes=changes,
            )
            for person, action, changes in entries
        ),
        batch_size=500,
    )


def _import(run: ImportRun, facts: dict[str, Any]) -> dict[str, Any]:
    # Imports into one organization wait for each other, so each checks the data the other left.
    organization = Organization.objects.select_for_update().get(pk=run.organization_id)
    by = run.uploaded_by
    ensure_can_manage(by, "import", organization.pk)
    sheet = read(bytes(run.content))
    facts.update(
        encoding=sheet.encoding,
        delimiter=sheet.delimiter,
        rows=len(sheet.rows),
        ignored_columns=sheet.ignored,
    )
    plan = Checker(sheet, organization, by).check()
    if plan.problems:
        raise Rejected(plan.problems)
    departments, department_counts = _apply_departments(plan, by)
    people = _apply_people(plan, departments, by)
    return {
        **facts,
        "people": people,
        "departments": vars(department_counts),
        "problem_count": 0,
        "problems": [],
    }


def _finish(run: ImportRun, status: str, report: dict[str, Any]) -> None:
    # The uploaded export is personal data; once the run has its report, the file itself is not kept.
    run.status, run.report, run.finished_at, run.content = status, report, timezone.now(), b""
    run.save(update_fields=["status", "report", "finished_at", "content"])
    summary = {
        key: report[key] for key in ("rows", "people", "departments", "problem_count") if key in report
    }
    audit.record(
        run,
        action=audit.Action.IMPORT,
        by=run.uploaded_by,
        via=report.get("via", Channel.IMPORT),
        organization_id=run.organization_id,
        changes={"file_name": run.file_name, "status": run.get_status_display(), **summary},
    )


def import_apply(run: ImportRun) -> ImportRun:
    """Check every row of a claimed run's file, then import all of it in one transaction, or nothing."""
    facts: dict[str, Any] = {"via": run.report.get("via", Channel.IMPORT)}
    with translation.override(run.uploaded_by.preferred_language):
        try:
            with transaction.atomic():
                _finish(run, ImportRun.Status.DONE, _import(run, facts))
            return run
        except Rejected as rejected:
            problems = rejected.problems
        except PermissionDenied:
            problems = [
                problem(
                    None,
                    "",
                    _("You may not import into %(organization)s.") % {"organization": run.organization},
                )
            ]
        except IntegrityError:
            logger.warning("import %s collided with another change", run.pk, exc_info=True)
            problems = [problem(None, "", _("Someone changed the same people during the import. Try again."))]
        except Exception:
            # A run must end, never stay "running"; the transaction above has already rolled back.
            logger.exception("import %s failed", run.pk)
            problems = [
                problem(None, "", _("The import failed because of an error in Torg. Nothing was imported."))
            ]
        report = {**facts, "problem_count": len(problems), "problems": problems[:MAX_LISTED]}
        with transaction.atomic():
            _finish(run, ImportRun.Status.REJECTED, report)
    return run


def import_claim(import_run_id: int) -> ImportRun | None:
    """Mark a waiting run as running and return it; None if it has ended or another worker has it."""
    # One conditional UPDATE: of two workers given the same run, exactly one changes the row. A job's own
    # state is not audited; the run's outcome is (see _finish).
    claimed = ImportRun.objects.filter(pk=import_run_id, status=ImportRun.Status.PENDING).update(
        status=ImportRun.Status.RUNNING
    )
    if not claimed:
        return None
    return ImportRun.objects.select_related("organization", "uploaded_by__organization").get(pk=import_run_id)


@transaction.atomic
def import_start(
    *, organization: Organization, file_name: str, content: bytes, by: Any, via: str
) -> ImportRun:
    """Store an uploaded CSV file for import into an organization; the import is queued on commit."""
    from torg.core.tasks import run_import  # tasks call services; importing it on top would be circular

    ensure_can_manage(by, "import", organization.pk)
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is too large: at most %(size)s.")
                % {"size": filesizeformat(settings.IMPORT_MAX_BYTES)}
            }
        )
    if not content.strip():
        raise ValidationError({"file": _("The file is empty.")})
    run = ImportRun.objects.create(
        organization=organization,
        uploaded_by=by,
        file_name=os.path.basename(file_name)[:255],
        content=content,
        report={"via": via},
    )
    # If the queue cannot be reached, the run still waits and requeue_waiting_imports queues it again.
    transaction.on_commit(partial(run_import, run.pk), robust=True)
    return run


def imports_waiting_since(moment: datetime) -> list[int]:
    """The runs uploaded before `moment` that no worker has taken yet, e.g. because the queue was down."""
    return list(
        ImportRun.objects.filter(status=ImportRun.Status.PENDING, created_at__lt=moment).values_list(
            "pk", flat=True
        )
    )
