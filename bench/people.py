"""Benchmark: the person picker and the people list with a large municipality's staff.

Run by hand: `.venv/bin/python bench/people.py [--people 12000] [--database-url URL]`.
Prints p50/p95 in milliseconds for the pages an agent uses as they type, and, as references measured in
the same run, the raw database cost of an indexed page of 20 rows and of the search's scan.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms"


def timed(fn, repeat: int = 50) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=12_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    os.environ["TORG_VAR_DIR"] = tempfile.mkdtemp(prefix="torg-bench-")
    if args.database_url:
        os.environ["TORG_DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "torg.settings")
    os.environ["TORG_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from torg.core.models import Person, Role
    from torg.core.tests.factories import (
        OrganizationFactory,
        PersonFactory,
        ProviderFactory,
        RoleGrantFactory,
        TeamFactory,
        TeamMembershipFactory,
    )

    provider = ProviderFactory(name="Bench IKT")
    member = OrganizationFactory(name="Bench kommune", provider=provider)
    team = TeamFactory(organization=provider, serves=[member])
    agent = PersonFactory(organization=provider, username="bench-agent")
    TeamMembershipFactory(team=team, person=agent)
    RoleGrantFactory(person=agent, role=Role.SERVICE_OWNER, organization=provider)
    first = ["Kari", "Ola", "Åse", "Øystein", "Ingrid", "Lars", "Siri", "Bjørn", "Marte", "Håkon"]
    last = [
        "Hansen",
        "Johansen",
        "Olsen",
        "Larsen",
        "Andersen",
        "Pedersen",
        "Nilsen",
        "Kristiansen",
        "Jensen",
        "Karlsen",
        "Berg",
        "Haugen",
        "Hagen",
        "Bakken",
        "Solberg",
        "Ødegård",
        "Aasen",
        "Strand",
        "Lie",
        "Dahl",
    ]
    started = time.perf_counter()
    people = []
    for i in range(args.people):
        p = Person(
            organization=member,
            first_name=first[i % 10],
            last_name=f"{last[(i // 10) % 20]}",
            email=f"p{i}@bench.kommune.no",
            phone=f"9{i:07d}",
            employee_number=f"B{i:06d}",
        )
        p.search_text = p.compute_search_text()
        p.set_unusable_password()
        people.append(p)
    Person.objects.bulk_create(people, batch_size=2000)
    print(
        f"database: {connection.vendor}; people: {Person.objects.count()}; loaded in {time.perf_counter() - started:.1f} s"
    )

    client = Client()
    client.force_login(agent)
    for label, url in [
        ("picker, 3 letters ('haa')", "/desk/pick/people/?q=haa"),
        ("picker, name ('kari hansen')", "/desk/pick/people/?q=kari+hansen"),
        ("picker, phone ('91234')", "/desk/pick/people/?q=91234"),
        ("people list, first page", "/desk/people/"),
        ("people list, search as you type ('berg')", "/desk/people/?q=berg"),
    ]:
        assert client.get(url).status_code == 200
        print(f"{label:45} {percentiles(timed(lambda url=url: client.get(url)))}")

    with connection.cursor() as cursor:
        table = Person._meta.db_table

        def indexed_page() -> None:
            # The table name comes from the model, not from input.
            cursor.execute(f"SELECT id, first_name, last_name FROM {table} ORDER BY last_name, first_name, id LIMIT 20")  # noqa: S608
            cursor.fetchall()

        def scan() -> None:
            cursor.execute(f"SELECT id FROM {table} WHERE search_text LIKE %s LIMIT 20", ["%91234%"])  # noqa: S608
            cursor.fetchall()

        print(f"{'reference: raw indexed SELECT … LIMIT 20':45} {percentiles(timed(indexed_page, 200))}")
        print(f"{'reference: raw LIKE scan of search_text':45} {percentiles(timed(scan, 200))}")


if __name__ == "__main__":
    main()
