"""Load a large service desk for the benchmarks: the demo world and N cases over three years.

Run by hand: `.venv/bin/python bench/generate_cases.py --cases 1000000 [--database-url URL]`.
The demo (a provider serving Bærum with 12,000 people, Modalen and Fedje; five teams) is loaded first; then the
cases, each with 1–5 messages and its audit entries, in time order, 5 % of them still open. Rows are written
in bulk — COPY on PostgreSQL, executemany in large transactions on SQLite — with the search text a service
would have written, and the text index is filled. Prints rows per second.

SLA: the provider gets one business calendar (weekdays 08:00–16:00, Norwegian holidays), each organization an
agreement on it (Bærum one more for requests), and every case its clock, written in bulk with the cases. The
deadlines are business-time arithmetic on that calendar. Closed cases have stopped clocks. An open case's
resolution clock has used a share of its target, partly before its last pause (long-open cases spent most
of their life waiting); waiting cases are paused, and "new" cases of the last business day still wait for a
response. About 2 % of the running deadlines have passed and 1.4 % fall within the next hour, some hundreds
of each, when loaded during office hours (no deadline falls in the closed hours).

The default database is a SQLite file under /tmp/torg-bench; bench/desk.py reads the same default.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCH_DIR = Path(os.environ.get("TORG_BENCH_DIR", "/tmp/torg-bench"))  # noqa: S108 (out of the repository)
DEFAULT_URL = f"sqlite:///{BENCH_DIR / 'cases.sqlite3'}"
SEED = 2026
YEARS = 3
OPEN_SHARE = 0.05
BATCH = 20_000

# Topics: (category, team that solves it, team that receives it, subjects, problems, details).
IT1, IT2, HR, FIN, FAC = "1. linje IT", "2. linje IT", "HR", "Økonomi", "Drift og eiendom"
TOPICS: list[tuple[str, str, str, list[str], list[str], list[str]]] = [
    (
        "PC og skrivar",
        IT1,
        IT1,
        ["Skrivaren", "Skrivar i 2. etasje", "Skriveren på kontoret", "Printeren", "Multifunksjonsskrivaren"],
        [
            "skriv ikkje ut",
            "skriver ikke ut",
            "har papirstopp",
            "er fråkopla",
            "viser feilmelding",
            "er treg",
        ],
        [
            "Skrivaren står med blinkande lys og utskrifta kjem ikkje.",
            "Printeren sier at toneren er tom, men vi byttet den i går.",
            "Utskrifter fra Visma blir liggende i køen.",
            "Papiret kjem ut blankt når eg skriv ut frå Word.",
            "Skanning til e-post virker ikke lenger.",
        ],
    ),
    (
        "PC og skrivar",
        IT1,
        IT1,
        ["PC-en", "Den bærbare PC-en", "Maskina", "Skjermen", "Dokkingstasjonen", "Tastaturet"],
        ["startar ikkje", "starter ikke", "er veldig treg", "får blåskjerm", "har ikkje lyd", "må byttast"],
        [
            "PC-en hang seg opp under oppdateringa i natt.",
            "Maskinen bruker flere minutter på å starte.",
            "Den eksterne skjermen blir svart når PC-en står i dokken.",
            "Eg treng ny PC til ein nytilsett som byrjar måndag.",
            "Batteriet holder bare en halvtime.",
        ],
    ),
    (
        "Tilgang og passord",
        IT1,
        IT1,
        [
            "Passordet",
            "Passord til Visma",
            "Tilgang til Gerica",
            "Tilgang til Profil",
            "Innlogging",
            "BankID",
        ],
        ["har gått ut", "er sperret", "virkar ikkje", "manglar", "må tilbakestillast", "feiler"],
        [
            "Eg har gløymt passordet og kjem ikkje inn på PC-en.",
            "Brukeren er låst etter for mange forsøk.",
            "Ny tilsett treng tilgang til Gerica og fagsystemet.",
            "Tofaktor-koden kommer ikke på SMS.",
            "Tilgangen til fellesområdet forsvann etter flytting.",
        ],
    ),
    (
        "Programvare",
        IT2,
        IT1,
        ["Visma", "Gerica", "Profil", "Outlook", "Teams", "Word", "Excel", "Acos", "Public 360", "iSkole"],
        ["krasjar", "henger", "gir feilmelding", "er treg", "synkroniserer ikke", "må installeras"],
        [
            "Outlook viser ikke nye e-poster før jeg starter på nytt.",
            "Teams-møtet fell ut etter nokre minutt.",
            "Gerica gir feilmelding når eg opnar journalen.",
            "Visma-lønn henger ved godkjenning av timelister.",
            "Profil krev ein ny lisens for avdelinga.",
            "Kalenderen i Outlook synkroniserer ikkje med mobilen.",
        ],
    ),
    (
        "Nettverk og VPN",
        IT2,
        IT1,
        ["VPN", "Wifi", "Nettet", "Trådløst nett på skulen", "Fjerntilgangen", "Nettverkskontakten"],
        ["fell ut", "er nede", "er treig", "koplar ikkje til", "virker ikke", "har dårleg dekning"],
        [
            "VPN-tilkoplinga brotnar kvar time på heimekontor.",
            "Det trådlause nettet i gymsalen er nede.",
            "Nettet er svært tregt på hele sykehjemmet.",
            "Fjerntilgangen krev nytt sertifikat.",
        ],
    ),
    (
        "Mobil og nettbrett",
        IT1,
        IT1,
        ["Mobilen", "Mobiltelefonen", "iPaden", "Nettbrettet", "Jobbmobilen", "SIM-kortet"],
        ["er knust", "ladar ikkje", "må bytast", "får ikkje e-post", "er mista", "er låst"],
        [
            "Skjermen på mobilen knuste då han datt i golvet.",
            "Jeg får ikke e-post på telefonen etter oppdateringen.",
            "Nettbrettet til heimetenesta må registrerast i Intune.",
            "Mobilen er mista; han må sperrast.",
        ],
    ),
    (
        "Lisensar",
        IT2,
        IT1,
        ["Lisens til Adobe", "Office-lisens", "Lisensen til Visio", "Lisens for Profil", "Zoom-lisens"],
        ["manglar", "har gått ut", "må fornyast", "trengs for ny tilsett", "er brukt opp"],
        [
            "Vi treng to lisensar til i avdelinga.",
            "Lisensen gikk ut i helgen og programmet starter ikke.",
            "Kan lisensen flyttast til ein annan brukar?",
        ],
    ),
    (
        "HR",
        HR,
        HR,
        ["Ny tilsett", "Sluttar", "Permisjon", "Arbeidsavtale", "Attest", "Fråvær"],
        ["må registrerast", "skal avsluttes", "må oppdaterast", "manglar i systemet", "trenger signatur"],
        [
            "Ny medarbeider starter den 1. i neste måned og trenger tilganger.",
            "Arbeidsavtalen er ikkje signert.",
            "Permisjonen må leggjast inn i Visma.",
            "Attest til tidlegare tilsett.",
        ],
    ),
    (
        "Lønn og økonomi",
        FIN,
        FIN,
        ["Lønna", "Faktura", "Reiserekning", "Timelista", "Kostnadsstaden", "Innkjøp"],
        ["er feil", "er ikkje betalt", "må godkjennast", "manglar", "er avvist", "må krediterast"],
        [
            "Overtida frå førre månad kom ikkje med på lønna.",
            "Fakturaen fra leverandøren er sendt til feil kostnadssted.",
            "Reiseregningen ble avvist i Visma.",
            "Bestilling av nye stoler må godkjennes.",
        ],
    ),
    (
        "Bygg og vedlikehald",
        FAC,
        FAC,
        ["Ventilasjonen", "Døra", "Lyset", "Varmen", "Kortlesaren", "Heisen", "Vinduet", "Kontorstolen"],
        ["er øydelagd", "virker ikke", "må reparerast", "lagar støy", "er for kald", "må skiftes"],
        [
            "Det er altfor kaldt på kontoret om morgonen.",
            "Kortleseren ved hovedinngangen slipper ikke inn nye kort.",
            "Lyset i korridoren blinkar heile tida.",
            "Kontorstolen er knekt og må erstattes.",
        ],
    ),
]
WEIGHTS = [14, 12, 16, 16, 9, 7, 4, 8, 8, 6]
PLACES = [
    "på rådhuset",
    "på skulen",
    "på sykehjemmet",
    "i barnehagen",
    "på legevakta",
    "på heimekontor",
    "i resepsjonen",
    "",
    "",
    "",
]
AGENT_REPLIES = [
    "Takk for meldinga. Vi ser på saka og kjem tilbake i løpet av dagen.",
    "Kan du prøve å starte PC-en på nytt og seie frå om feilen kjem att?",
    "Vi har tilbakestilt passordet. Du får eit nytt på SMS.",
    "Saken er sendt videre til 2. linje for feilsøking.",
    "Lisensen er tildelt. Logg ut og inn igjen.",
    "Skrivaren er starta på nytt og skal virke no.",
    "Vi har bestilt ny maskin; den kjem om ei veke.",
    "Kan du sende eit skjermbilete av feilmeldinga?",
    "Tilgangen er gitt. Gi beskjed om noko manglar.",
    "VPN-profilen er oppdatert. Prøv igjen fra hjemmekontoret.",
]
CALLER_REPLIES = [
    "Takk, no virkar det!",
    "Det hjalp dessverre ikke, samme feil igjen.",
    "Her er skjermbiletet av feilmeldinga.",
    "Eg er på kontoret i morgon frå klokka åtte.",
    "Fungerer fint nå, saken kan lukkes.",
    "Kan de ringe meg? Jeg står fast.",
]
INTERNAL_NOTES = [
    "Sjekka loggen: kontoen låst av for mange forsøk.",
    "Kjent feil etter siste oppdatering, sjå problemsaka.",
    "Leverandøren er kontakta, venter på svar.",
    "Flytta til 2. linje: treng administratorrettar.",
]
CATEGORIES = [
    ("PC og skrivar", IT1),
    ("Tilgang og passord", IT1),
    ("Programvare", IT2),
    ("Nettverk og VPN", IT2),
    ("Mobil og nettbrett", IT1),
    ("Lisensar", IT2),
    ("HR", HR),
    ("Lønn og økonomi", FIN),
    ("Bygg og vedlikehald", FAC),
]
# Where the callers come from: Bærum is the big customer.
ORG_WEIGHTS = {"Bærum kommune": 93, "Modalen kommune": 2, "Fedje kommune": 3, "Vestland IKT-samarbeid": 2}
KINDS = (["incident"] * 55) + (["request"] * 35) + (["question"] * 10)
CHANNELS = ["portal"] * 45 + ["email"] * 30 + ["phone"] * 20 + ["chat"] * 3 + ["walk_in"] * 2
LEVELS = [1] * 5 + [2] * 30 + [3] * 65
OPEN = ["new"] * 30 + ["in_progress"] * 45 + ["waiting_user"] * 15 + ["waiting_supplier"] * 10
# SLA targets in business minutes, (response, resolution) per priority; Bærum's requests have longer ones.
TARGETS = {1: (30, 240), 2: (120, 480), 3: (480, 1440), 4: (480, 2400)}
REQUEST_TARGETS = {1: (60, 480), 2: (240, 960), 3: (960, 2880), 4: (960, 4800)}
# A case open longer than its target has waited part of the time: it has used f² of its target, f uniform,
# or, for this share of the cases, 100–150 %.
OVERDUE_SHARE = 0.012
WINDOW = timedelta(days=35)  # open time is counted back this far at most: more than 1.5 × the longest target


@dataclass
class World:
    organizations: dict[str, int]
    callers: dict[
        int, list[tuple[int, int | None, int | None]]
    ]  # organization → (person, department, location)
    teams: dict[str, int]
    members: dict[str, list[int]]
    categories: dict[str, int]
    priority: dict[tuple[int, int], int]
    ticket_type: int
    next_ids: dict[str, int] = field(default_factory=dict)


def setup(url: str) -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TORG_VAR_DIR", str(BENCH_DIR / "var"))
    os.environ["TORG_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "torg.settings")
    import django

    django.setup()


def load_world() -> World:
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    from torg.core.demo import load_demo
    from torg.core.models import Organization, Person, Team, TeamMembership
    from torg.desk.models import Category, Ticket
    from torg.desk.services.priority import priority_for

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    result = load_demo(scale=1.0)
    print(f"demo: {result.created} in {time.perf_counter() - started:.1f} s")
    provider = Organization.objects.get(kind="provider", name="Vestland IKT-samarbeid")
    teams = {team.name: team.pk for team in Team.objects.filter(organization=provider)}
    for name, team in CATEGORIES:
        Category.objects.get_or_create(
            organization=provider, parent=None, name=name, defaults={"default_team_id": teams[team]}
        )
    organizations = {o.name: o.pk for o in Organization.objects.filter(name__in=ORG_WEIGHTS)}
    callers: dict[int, list[tuple[int, int | None, int | None]]] = {}
    for person, org, department, location in Person.objects.filter(
        organization__in=organizations.values(), is_active=True
    ).values_list("pk", "organization_id", "department_id", "location_id"):
        callers.setdefault(org, []).append((person, department, location))
    members: dict[str, list[int]] = {}
    for team, person in TeamMembership.objects.filter(team__organization=provider).values_list(
        "team__name", "person_id"
    ):
        members.setdefault(team, []).append(person)
    priority = {
        (i, u): priority_for(provider_id=provider.pk, impact=i, urgency=u)
        for i in (1, 2, 3)
        for u in (1, 2, 3)
    }
    return World(
        organizations=organizations,
        callers=callers,
        teams=teams,
        members=members,
        categories={c.name: c.pk for c in Category.objects.filter(organization=provider, parent=None)},
        priority=priority,
        ticket_type=ContentType.objects.get_for_model(Ticket).pk,
    )


def open_probability(age_days: float) -> float:
    # Nearly everything of the last days is open, a thin tail of old cases never got closed: 5 % in all.
    return 0.9 * math.exp(-age_days / 30) + 0.025


def generate(world: World, count: int, now: datetime) -> Iterator[tuple[dict, list[dict], list[dict]]]:
    """Cases in time order, each with its messages and audit entries, as column → value dictionaries."""
    from torg.desk.search import tokens

    roots = lru_cache(maxsize=100_000)(tokens)  # the texts repeat: stem each once

    def document(*texts: str) -> str:
        return " ".join(dict.fromkeys(root for text in texts for root in roots(text)))

    rng = random.Random(SEED)
    start = now - timedelta(days=365 * YEARS)
    span = (now - timedelta(hours=1) - start).total_seconds()
    org_names = list(ORG_WEIGHTS)
    org_weights = list(ORG_WEIGHTS.values())
    ticket_id, message_id, audit_id = (
        world.next_ids["ticket"],
        world.next_ids["message"],
        world.next_ids["audit"],
    )
    it1 = world.members.get(IT1, [])
    for n in range(count):
        created = start + timedelta(seconds=span * (n + rng.random()) / count)
        age = (now - created).total_seconds() / 86400
        org = world.organizations[rng.choices(org_names, org_weights)[0]]
        caller, department, location = rng.choice(world.callers[org])
        topic = rng.choices(TOPICS, WEIGHTS)[0]
        category, solver, receiver, subjects, problems, details = topic
        title = f"{rng.choice(subjects)} {rng.choice(problems)} {rng.choice(PLACES)}".strip()
        description = " ".join(rng.sample(details, rng.randint(1, 2)))
        impact, urgency = rng.choice(LEVELS), rng.choice(LEVELS)
        is_open = rng.random() < open_probability(age)
        status = rng.choice(OPEN) if is_open else "resolved" if age < 14 and rng.random() < 0.7 else "closed"
        transferred = solver != receiver and rng.random() < 0.8
        team = solver if transferred else receiver
        assignee = None if status == "new" else rng.choice(world.members[team])
        channel = rng.choice(CHANNELS)
        by = caller if channel in ("portal", "email") else (rng.choice(it1) if it1 else caller)
        messages, at = [], created
        for i in range(rng.randint(1, 5)):
            at = min(at + timedelta(minutes=rng.randint(5, 60 * 24)), now)
            if i % 2 == 0:
                internal = rng.random() < 0.2
                body = rng.choice(INTERNAL_NOTES if internal else AGENT_REPLIES)
                author = assignee or rng.choice(world.members[team])
            else:
                internal, body, author = False, rng.choice(CALLER_REPLIES), caller
            messages.append(
                {
                    "id": message_id,
                    "ticket_id": ticket_id,
                    "organization_id": org,
                    "author_id": author,
                    "visibility": "internal" if internal else "public",
                    "body": body,
                    "channel": "portal",
                    "created_at": at,
                }
            )
            message_id += 1
        first_response = next((m["created_at"] for m in messages if m["author_id"] != caller), None)
        resolved = closed = None
        if status in ("resolved", "closed"):
            resolved = min(at + timedelta(minutes=rng.randint(1, 240)), now)
            if status == "closed":
                closed = resolved + timedelta(days=14)
        updated = closed or resolved or at
        public = [m["body"] for m in messages if m["visibility"] == "public"]
        ticket = {
            "id": ticket_id,
            "organization_id": org,
            "kind": rng.choice(KINDS),
            "title": title[:200],
            "description": description,
            "caller_id": caller,
            "department_id": department,
            "location_id": location,
            "category_id": world.categories[category],
            "status": status,
            "impact": impact,
            "urgency": urgency,
            "priority": world.priority[(impact, urgency)],
            "priority_reason": "",
            "channel": channel,
            "team_id": world.teams[team],
            "assignee_id": assignee,
            "received_by_id": world.teams[receiver],
            "transferred": transferred,
            "first_line_resolved": status in ("resolved", "closed") and not transferred and team == receiver,
            "first_response_at": first_response,
            "resolved_at": resolved,
            "closed_at": closed,
            "reopen_count": 0,
            "created_by_id": by,
            "created_at": created,
            "updated_at": updated,
            "search_text": document(title, description, *public),
        }
        entries = [
            {
                "id": audit_id,
                "organization_id": org,
                "actor_id": by,
                "channel": "page" if by != caller else "api",
                "action": "create",
                "content_type_id": world.ticket_type,
                "object_id": ticket_id,
                "object_repr": f"#{ticket_id} {title}"[:200],
                "changes": json.dumps({"title": [None, title], "status": [None, "Ny"]}),
                "created_at": created,
            }
        ]
        audit_id += 1
        if status != "new":
            entries.append(
                {
                    "id": audit_id,
                    "organization_id": org,
                    "actor_id": assignee,
                    "channel": "page",
                    "action": "update",
                    "content_type_id": world.ticket_type,
                    "object_id": ticket_id,
                    "object_repr": f"#{ticket_id} {title}"[:200],
                    "changes": json.dumps({"status": ["Ny", status]}),
                    "created_at": updated,
                }
            )
            audit_id += 1
        ticket_id += 1
        yield ticket, messages, entries


# SLA


@dataclass(frozen=True)
class Rule:
    """The agreement that governs cases of one organization and kind, as `agreement_for` chose it."""

    agreement: int
    reason: str
    targets: dict[int, tuple[int, int]]


def load_sla(world: World) -> dict[tuple[int, str], Rule]:
    """The provider's office-hours calendar and an agreement per organization; the rule per (organization, kind)."""
    from django.conf import settings
    from django.utils import translation

    from torg.core.models import Organization
    from torg.desk.models import Kind, Ticket
    from torg.sla.agreements import agreement_for, candidates_of
    from torg.sla.models import Agreement, AgreementTarget, BusinessCalendar, OpeningSpan

    provider = Organization.objects.get(kind="provider", name="Vestland IKT-samarbeid")
    calendar = BusinessCalendar.objects.create(organization=provider, name="Kontortid")
    OpeningSpan.objects.bulk_create(
        OpeningSpan(calendar=calendar, weekday=day, start=dtime(8), end=dtime(16)) for day in range(5)
    )
    for name, organization in world.organizations.items():
        plans = [(f"Tenesteavtale {name}", "", TARGETS)]
        if name == "Bærum kommune":
            plans.append((f"Tenesteavtale {name}, bestillingar", Kind.REQUEST, REQUEST_TARGETS))
        for title, kind, targets in plans:
            agreement = Agreement.objects.create(
                organization_id=organization, name=title, kind=kind, calendar=calendar
            )
            AgreementTarget.objects.bulk_create(
                AgreementTarget(agreement=agreement, priority=p, response_minutes=r, resolution_minutes=s)
                for p, (r, s) in targets.items()
            )
    candidates = candidates_of(world.organizations.values())
    rules = {}
    with translation.override(settings.LANGUAGE_CODE):  # the language timers.py stores the reason in
        for organization in world.organizations.values():
            for kind in Kind.values:
                agreement, reason = agreement_for(
                    Ticket(organization_id=organization, kind=kind), candidates[organization]
                )
                assert agreement is not None
                targets = {
                    t.priority: (t.response_minutes, t.resolution_minutes) for t in agreement.targets.all()
                }
                rules[(organization, kind)] = Rule(agreement.pk, reason[:300], targets)
    return rules


def rewind(schedule: Any, at: datetime, seconds: int) -> datetime:
    """The instant from which `seconds` of open time run up to `at`: business-time addition backwards."""
    zone = ZoneInfo(schedule.zone)
    day, left = at.astimezone(zone).date(), timedelta(seconds=seconds)
    while True:
        for start, end in reversed(schedule.day_intervals(day)):
            end = min(end, at)
            if end > start:
                if left <= end - start:
                    return end - left
                left -= end - start
        day -= timedelta(days=1)


class Clocks:
    """Writes each case's SLA clock as timers.py would have kept it (in whole seconds), and the case's nearest
    deadline."""

    def __init__(
        self, schedule: Any, rules: dict[tuple[int, str], Rule], now: datetime, first_id: int
    ) -> None:
        from torg.sla.models import AT_RISK_SHARE
        from torg.sla.timers import whole_second

        self.schedule, self.rules, self.now, self.next_id = schedule, rules, now, first_id
        self.whole_second = whole_second  # what timers.py stamps clocks with
        self.share = AT_RISK_SHARE
        self.rng = random.Random(SEED + 1)  # apart from the cases' own, so they stay as they were

    def seconds(self, start: datetime, end: datetime) -> int:
        return max(0, math.ceil(self.schedule.business_time_between(start, end).total_seconds()))

    def timer(self, ticket: dict) -> dict:
        """The clock of a case; sets the case's `sla_due` (and clears its first response if none is due yet)."""
        rule = self.rules[(ticket["organization_id"], ticket["kind"])]
        response, resolution = rule.targets[ticket["priority"]]
        created, add = self.whole_second(ticket["created_at"]), self.schedule.add_business_time
        timer = {
            "id": self.next_id,
            "ticket_id": ticket["id"],
            "organization_id": ticket["organization_id"],
            "agreement_id": rule.agreement,
            "reason": rule.reason,
            "priority": ticket["priority"],
            "kind": ticket["kind"],
            "category_id": ticket["category_id"],
            "status": ticket["status"],
            "response_minutes": response,
            "resolution_minutes": resolution,
            "started_at": created,
            "response_due": add(created, timedelta(minutes=response)),
            "response_warning_at": add(created, timedelta(minutes=response) * self.share),
            "resolution_used": 0,
        }
        self.next_id += 1
        if ticket["status"] in ("resolved", "closed"):
            self.stopped(timer, ticket)
        else:
            self.running(timer, ticket)
        met = timer["response_met_at"]
        if (met or self.now) > timer["response_due"]:
            timer["response_breached_at"] = timer["response_due"]
        return timer

    def stopped(self, timer: dict, ticket: dict) -> None:
        created, resolved = timer["started_at"], self.whole_second(ticket["resolved_at"])
        target = timedelta(minutes=timer["resolution_minutes"])
        used = self.seconds(created, resolved)
        timer.update(
            response_met_at=ticket["first_response_at"] or resolved,  # a resolve answers the caller too
            resolution_due=self.schedule.add_business_time(created, target),
            resolution_warning_at=self.schedule.add_business_time(created, target * self.share),
            resolution_used=used,
            stopped_at=resolved,
            updated_at=resolved,
        )
        if resolved > timer["resolution_due"]:  # resolved after the deadline, if only after closing time
            timer["resolution_breached_at"] = timer["resolution_due"]

    def running(self, timer: dict, ticket: dict) -> None:
        from torg.sla.models import CaseTimer

        rng, now, created = self.rng, self.now, timer["started_at"]
        counting = ticket["status"] not in ("waiting_user", "waiting_supplier")
        upto = now if counting else self.whole_second(ticket["updated_at"])
        if ticket["status"] == "new" and self.seconds(created, now) <= 1.25 * timer["response_minutes"] * 60:
            ticket["first_response_at"] = None  # not answered yet: the response clock runs
        timer["response_met_at"] = ticket["first_response_at"]
        # The business time the resolution clock has used by `upto`: since its last (re)start, and before it.
        target = timer["resolution_minutes"] * 60
        share = 1 + rng.random() / 2 if rng.random() < OVERDUE_SHARE else rng.random() ** 2
        start = max(created, upto - WINDOW)
        elapsed = self.seconds(start, upto)
        if elapsed < target and start == created:  # younger than its target: counting since it came in
            since, before, stretch = created, 0, elapsed
        else:
            total = min(int(share * target), elapsed)
            stretch = int(total * rng.uniform(0.3, 1.0))
            since, before = rewind(self.schedule, upto, stretch), total - stretch
        due = self.schedule.add_business_time(since, timedelta(seconds=max(target - before, 0)))
        warning = self.schedule.add_business_time(
            since, timedelta(seconds=max(self.share * target - before, 0))
        )
        timer.update(resolution_due=due, resolution_warning_at=warning, updated_at=now)
        if counting:
            timer.update(counting_since=since, resolution_used=before)
            if now > due:
                timer["resolution_breached_at"] = due
        else:
            timer.update(paused_at=upto, resolution_used=before + stretch)
            if before + stretch > target:
                timer["resolution_breached_at"] = due
        clock = CaseTimer(
            agreement_id=timer["agreement_id"],
            response_due=timer["response_due"],
            response_met_at=timer["response_met_at"],
            resolution_due=due,
            counting_since=timer.get("counting_since"),
        )
        ticket["sla_due"] = clock.next_due()


class Writer:
    """Writes rows of several tables in the database's fastest bulk way."""

    def __init__(self, connection: Any, tables: dict[str, Any]) -> None:
        self.connection = connection
        self.columns = {
            name: [(f.column, f.get_default()) for f in model._meta.concrete_fields]
            for name, model in tables.items()
        }
        self.tables = {name: model._meta.db_table for name, model in tables.items()}
        self.datetimes = {
            name: [
                i
                for i, f in enumerate(model._meta.concrete_fields)
                if f.get_internal_type() == "DateTimeField"
            ]
            for name, model in tables.items()
        }

    def rows(self, name: str, items: list[dict]) -> list[tuple]:
        columns = self.columns[name]
        return [tuple(item.get(column, default) for column, default in columns) for item in items]


class PostgresWriter(Writer):
    def write(self, name: str, items: list[dict]) -> None:
        columns = ", ".join(f'"{column}"' for column, _ in self.columns[name])
        with self.connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f'COPY "{self.tables[name]}" ({columns}) FROM STDIN') as copy:
                for row in self.rows(name, items):
                    copy.write_row(row)

    def finish(self) -> None:
        with self.connection.cursor() as cursor:
            for table in self.tables.values():  # names from the models, not from input
                sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
                cursor.execute(sql)


class SqliteWriter(Writer):
    def write(self, name: str, items: list[dict]) -> None:
        columns = self.columns[name]
        sql = f'INSERT INTO "{self.tables[name]}" ({", ".join(c for c, _ in columns)}) VALUES ({", ".join("?" * len(columns))})'  # noqa: S608
        # As Django stores them: datetimes as UTC text (they are UTC already), booleans as integers.
        dates = self.datetimes[name]
        rows = []
        for row in self.rows(name, items):
            row = list(row)
            for i in dates:
                if row[i] is not None:
                    row[i] = row[i].isoformat(" ", "microseconds")[:26]  # 1.6 µs a value, strftime 2.0
            rows.append(row)
        self.connection.connection.executemany(sql, rows)

    def finish(self) -> None:
        pass


def next_ids(tables: dict[str, Any]) -> dict[str, int]:
    from django.db.models import Max

    return {name: (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1 for name, model in tables.items()}


def load(count: int) -> None:
    from django.db import connection, transaction

    from torg.core.models import AuditEntry
    from torg.desk.models import Message, Ticket
    from torg.sla.models import BusinessCalendar, CaseTimer

    world = load_world()
    if Ticket.objects.exists():
        sys.exit(f"The database has {Ticket.objects.count()} cases already: load into a fresh one.")
    rules = load_sla(world)
    tables = {"ticket": Ticket, "message": Message, "audit": AuditEntry, "timer": CaseTimer}
    world.next_ids = next_ids(tables)
    postgres = connection.vendor == "postgresql"
    writer = (PostgresWriter if postgres else SqliteWriter)(connection, tables)
    if not postgres:
        connection.ensure_connection()
        # A bulk load that is redone from scratch if it fails: no fsync per commit, no foreign key lookups.
        connection.connection.executescript(
            "PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-1000000;"
        )
    now = datetime.now(UTC).replace(microsecond=0)
    schedule = BusinessCalendar.objects.with_hours().get(name="Kontortid").schedule()
    clocks = Clocks(schedule, rules, now, world.next_ids["timer"])
    started = time.perf_counter()
    written = dict.fromkeys(tables, 0)
    batch: dict[str, list[dict]] = {name: [] for name in tables}
    cases = generate(world, count, now)
    done = False
    while not done:
        before = written["ticket"]
        with transaction.atomic():
            for _ in range(BATCH * (1 if postgres else 5)):
                item = next(cases, None)
                if item is None:
                    done = True
                    break
                ticket, messages, entries = item
                batch["timer"].append(clocks.timer(ticket))
                batch["ticket"].append(ticket)
                batch["message"] += messages
                batch["audit"] += entries
            for name, items in batch.items():
                writer.write(name, items)
                written[name] += len(items)
                items.clear()
        elapsed = time.perf_counter() - started
        rows = sum(written.values())
        if written["ticket"] == before:
            break
        print(
            f"  {written['ticket']:>9,} cases, {rows:>10,} rows, {elapsed:6.1f} s, {rows / elapsed:9,.0f} rows/s",
            flush=True,
        )
    writer.finish()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("VACUUM (ANALYZE) desk_ticket")
            cursor.execute("VACUUM (ANALYZE) desk_message")
            cursor.execute("VACUUM (ANALYZE) core_auditentry")
            cursor.execute("VACUUM (ANALYZE) sla_casetimer")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("INSERT INTO desk_ticket_fts(desk_ticket_fts) VALUES ('optimize')")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finished = time.perf_counter() - started
    rows = sum(written.values())
    print(
        f"database: {connection.vendor}; cases {written['ticket']:,}, messages {written['message']:,}, "
        f"audit entries {written['audit']:,}, SLA clocks {written['timer']:,}: {rows:,} rows in {loaded:.0f} s "
        f"= {rows / loaded:,.0f} rows/s ({written['ticket'] / loaded:,.0f} cases/s, search index and clocks "
        f"included); analyse and optimise {finished:.0f} s"
    )
    open_count = Ticket.objects.open().count()
    print(f"open: {open_count:,} ({open_count / max(written['ticket'], 1):.1%})")
    print_sla(now)


def print_sla(now: datetime) -> None:
    """How the clocks stand at `now`: open, paused, due within the hour, breached; breach marks of stopped ones."""
    from django.db.models import Q

    from torg.desk.models import Ticket
    from torg.sla.models import CaseTimer

    running = Ticket.objects.filter(sla_due__isnull=False)
    soon = running.filter(sla_due__gt=now, sla_due__lte=now + timedelta(hours=1)).count()
    breached = running.filter(sla_due__lte=now).count()
    clocks = CaseTimer.objects.filter(stopped_at__isnull=True)
    stopped = CaseTimer.objects.filter(stopped_at__isnull=False)
    marked = stopped.filter(Q(response_breached_at__isnull=False) | Q(resolution_breached_at__isnull=False))
    print(
        f"SLA at {now:%Y-%m-%d %H:%M} UTC: open clocks {clocks.count():,} "
        f"(paused {clocks.filter(paused_at__isnull=False).count():,}), running deadlines {running.count():,}, "
        f"due within the hour {soon:,}, breached {breached:,}; "
        f"stopped clocks with a breach {marked.count() / max(stopped.count(), 1):.1%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    args = parser.parse_args()
    setup(args.database_url)
    load(args.cases)


if __name__ == "__main__":
    main()
