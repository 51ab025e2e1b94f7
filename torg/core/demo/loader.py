"""Writing the demo in bulk: only what is missing by natural key, each row with its audit entry."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import models

from torg.core import audit
from torg.core.demo.plans import LAST_NAMES, LOGINS, MEN, PROVIDER_DOMAIN, SEED, TEAMS, WOMEN, Plan, Unit
from torg.core.models import (
    AuditEntry,
    Channel,
    Department,
    Location,
    Organization,
    Person,
    Role,
    RoleGrant,
    Team,
    TeamMembership,
)

BATCH = 1000
MIN_PEOPLE = 12
TRANSLITERATION = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "ü": "u", " ": "."})


def spread(leaves: list[Unit], count: int) -> list[Unit]:
    """Share `count` people among the leaves by weight (largest remainder): every sizeable unit gets some."""
    total = sum(unit.weight for unit in leaves)
    shares = [count * unit.weight / total for unit in leaves]
    counts = [int(share) for share in shares]
    for i in sorted(range(len(leaves)), key=lambda i: counts[i] - shares[i])[: count - sum(counts)]:
        counts[i] += 1
    return [unit for unit, n in zip(leaves, counts, strict=True) for _ in range(n)]


def name(rng: random.Random, names: Sequence[str], double: float = 0.15) -> str:
    """A name from the list; some people have two, as in "Anne Marit" or "Solberg Hansen"."""
    first = rng.choice(names)
    return f"{first} {rng.choice(names)}" if rng.random() < double else first


def phone(rng: random.Random, taken: set[str]) -> str:
    """An 8-digit number that looks like a Norwegian mobile (4 or 9 first), not given to anyone else."""
    while True:
        number = f"{rng.choice('49')}{rng.randrange(10_000_000):07d}"
        if number not in taken:
            taken.add(number)
            return number


def email(first: str, last: str, domain: str, taken: set[str]) -> str:
    """firstname.lastname@domain, numbered from 2 when taken."""
    local = f"{first}.{last}".lower().translate(TRANSLITERATION)
    candidate, n = f"{local}@{domain}", 1
    while candidate in taken:
        n += 1
        candidate = f"{local}{n}@{domain}"
    taken.add(candidate)
    return candidate


class Loader:
    def __init__(self, password: str) -> None:
        self.created: dict[str, int] = dict.fromkeys(
            ["organizations", "departments", "locations", "people", "teams", "team members", "roles"], 0
        )
        self.audited = 0
        self.organizations: dict[str, Organization] = {}
        self.password = make_password(password)  # hashed once: every login shares it

    def load(self, plans: list[Plan]) -> None:
        self._organizations(plans)
        for plan in plans:
            organization = self.organizations[plan.key]
            departments = self._departments(organization, plan.units)
            locations = self._locations(organization, plan.locations)
            self._people(plan, organization, departments, locations)
        self._teams()
        self._grants()

    def _created(self, objects: Sequence[models.Model], label: str) -> None:
        """Count new rows and write the entries audit.created would have, in bulk."""
        self.created[label] += len(objects)
        if not objects:
            return
        content_type = ContentType.objects.get_for_model(objects[0])
        entries = [
            AuditEntry(
                organization_id=obj.pk if isinstance(obj, Organization) else obj.organization_id,
                actor=None,
                channel=Channel.COMMAND,
                action=AuditEntry.Action.CREATE,
                content_type=content_type,
                object_id=obj.pk,
                object_repr=str(obj)[:200],
                changes={k: [None, v] for k, v in audit.snapshot(obj).items() if v not in (None, "")},
            )
            for obj in objects
        ]
        AuditEntry.objects.bulk_create(entries, batch_size=BATCH)
        self.audited += len(entries)

    def _changed(self, obj: models.Model, changes: dict[str, Any]) -> None:
        audit.record(obj, action=AuditEntry.Action.UPDATE, by=None, via=Channel.COMMAND, changes=changes)
        self.audited += 1

    def _organizations(self, plans: list[Plan]) -> None:
        numbers = [plan.number for plan in plans]
        existing = {
            o.organization_number: o for o in Organization.objects.filter(organization_number__in=numbers)
        }
        provider = None
        for plan in plans:
            organization = existing.get(plan.number)
            if organization is None:
                organization = Organization(
                    name=plan.name,
                    kind=plan.kind,
                    organization_number=plan.number,
                    municipality_code=plan.municipality_code,
                    language=plan.language,
                    provider=provider if plan.kind == Organization.Kind.MEMBER else None,
                )
                organization.full_clean()
                organization.save()
                self._created([organization], "organizations")
            self.organizations[plan.key] = organization
            provider = provider or organization

    def _departments(self, organization: Organization, units: list[Unit]) -> dict[str, Department]:
        departments = {d.code: d for d in Department.objects.filter(organization=organization)}
        for depth, code_length in enumerate((1, 4, 6)):  # sectors, units, sections: parents first
            new = [
                Department(
                    organization=organization,
                    parent=departments[unit.parent] if unit.parent else None,
                    name=unit.name,
                    code=unit.code,
                    depth=depth,
                    path="/",
                )
                for unit in units
                if len(unit.code) == code_length and unit.code not in departments
            ]
            Department.objects.bulk_create(new, batch_size=BATCH)
            for department in new:
                department.path = f"{department.parent.path if department.parent else '/'}{department.pk}/"
                departments[department.code] = department
            Department.objects.bulk_update(new, ["path"], batch_size=BATCH)
            self._created(new, "departments")
        return departments

    def _locations(
        self, organization: Organization, rows: list[tuple[str, str, str, str, str]]
    ) -> dict[str, Location]:
        locations = {
            location.name: location for location in Location.objects.filter(organization=organization)
        }
        new = [
            Location(
                organization=organization,
                name=name,
                kind=kind,
                street_address=street,
                postal_code=code,
                city=town,
            )
            for name, kind, street, code, town in rows
            if name not in locations
        ]
        Location.objects.bulk_create(new, batch_size=BATCH)
        self._created(new, "locations")
        return locations | {location.name: location for location in new}

    def _people(
        self,
        plan: Plan,
        organization: Organization,
        departments: dict[str, Department],
        locations: dict[str, Location],
    ) -> None:
        people = Person.objects.all()
        existing = set(people.filter(organization=organization).values_list("employee_number", flat=True))
        usernames = set(
            people.filter(username__in=[x.username for x in LOGINS]).values_list("username", flat=True)
        )
        emails = {
            e.lower()
            for e in people.filter(email__iendswith="@" + plan.domain).values_list("email", flat=True)
        }
        units = {unit.code: unit for unit in plan.units}
        rng = random.Random(f"{SEED}-{plan.key}")
        phones: set[str] = set()

        def person(first: str, last: str, employee_number: str, unit: Unit, **fields: Any) -> Person:
            new = Person(
                organization=organization,
                first_name=first,
                last_name=last,
                email=email(first, last, plan.domain, emails),
                employee_number=employee_number,
                department=departments[unit.code],
                location=locations[unit.location],
                **({"password": make_password(None)} | fields),
            )
            new.search_text = new.compute_search_text()
            return new

        # Every row draws its random values, written or not, so the same employee number is the same person.
        new = []
        for login in (login for login in LOGINS if login.organization == plan.key):
            number = phone(rng, phones)
            if login.username not in usernames:
                first, last = login.name.split(" ", 1)
                fields = {"username": login.username, "password": self.password, "phone": number}
                row = person(first, last, login.employee_number, units[login.department], **fields)
                # The administrator may use the operators' admin site.
                row.is_staff = row.is_superuser = login.grant == Role.ADMINISTRATOR
                new.append(row)
        chosen = spread([unit for unit in plan.units if unit.weight], max(plan.people, MIN_PEOPLE))
        rng.shuffle(chosen)
        for employee_number, unit in enumerate(chosen, start=plan.employee_base + 1):
            first = name(
                rng, WOMEN if rng.random() < 0.75 else MEN
            )  # three in four are women, as in the sector
            last, number = name(rng, LAST_NAMES, double=0.08), phone(rng, phones)
            if str(employee_number) not in existing:
                new.append(person(first, last, str(employee_number), unit, phone=number))
        Person.objects.bulk_create(new, batch_size=BATCH)
        self._created(new, "people")

    def _teams(self) -> None:
        provider = self.organizations["provider"]
        served = sorted(self.organizations.values(), key=lambda org: org.pk)
        teams = {team.name: team for team in Team.objects.filter(organization=provider)}
        new = [
            Team(organization=provider, name=name, function=function, email=f"{mailbox}@{PROVIDER_DOMAIN}")
            for name, function, mailbox, _codes in TEAMS
            if name not in teams
        ]
        Team.objects.bulk_create(new)
        self._created(new, "teams")
        teams |= {team.name: team for team in new}
        staff = list(
            Person.objects.filter(organization=provider, department__isnull=False)
            .select_related("department")
            .order_by("employee_number")
        )
        for name, _function, _mailbox, codes in TEAMS:
            team = teams[name]
            before = {org.pk for org in team.served_organizations.all()}
            if before != {org.pk for org in served}:
                team.served_organizations.add(*served)
                names = [
                    sorted(str(org) for org in served if org.pk in before),
                    sorted(str(org) for org in served),
                ]
                self._changed(team, {"served_organizations": names})
            self._members(team, staff, codes)

    def _members(self, team: Team, staff: list[Person], codes: list[str]) -> None:
        logins = {login.username: login for login in LOGINS if login.team == team.name}
        members = [
            p for p in staff if p.username in logins or (p.username is None and p.department.code in codes)
        ]
        leads = {p.pk for p in members if p.username in logins and logins[p.username].lead}
        if not leads:  # a team without a lead login is led by its first member
            leads = {p.pk for p in members[:1] if p.username is None}
        current = {m.person_id: m.is_lead for m in team.memberships.all()}
        new = [
            TeamMembership(team=team, person=p, is_lead=p.pk in leads) for p in members if p.pk not in current
        ]
        if not new:
            return
        TeamMembership.objects.bulk_create(new)
        self.created["team members"] += len(new)
        names = {p.pk: str(p) for p in staff}
        self._changed(
            team,
            {
                "members": [sorted(names[pk] for pk in current), sorted(str(p) for p in members)],
                "leads": [
                    sorted(names[pk] for pk, lead in current.items() if lead),
                    sorted(str(p) for p in members if p.pk in leads),
                ],
            },
        )

    def _grants(self) -> None:
        people = Person.objects.filter(username__in=[login.username for login in LOGINS])
        people = {person.username: person for person in people}
        existing = set(
            RoleGrant.objects.filter(person__in=people.values()).values_list("person", "role", "organization")
        )
        new = []
        for login in (login for login in LOGINS if login.grant):
            person, organization = people[login.username], self.organizations[login.grant_for]
            if (person.pk, login.grant, organization.pk) not in existing:
                new.append(RoleGrant(person=person, role=login.grant, organization=organization))
        RoleGrant.objects.bulk_create(new)
        self._created(new, "roles")
