"""Benchmark: the agent workspace and the cases API on a large service desk.

Run by hand, on a database loaded by bench/generate_cases.py:
`.venv/bin/python bench/desk.py [--database-url URL] [--repeat 50] [--seconds 20]`.

Pages are timed in process with Django's test client (request handling, templates and queries; no network),
as agent1 of the demo (1. linje IT, which serves every organization). The API create is timed against the
real server: gunicorn with 2 workers on a free port, 4 concurrent clients with a token. The same run measures
the physical-limit references: a raw single-row INSERT into a table of the cases' shape, a raw indexed
SELECT … LIMIT 50, and trivial requests through the same gunicorn; and the peak memory of its workers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate_cases import BENCH_DIR, DEFAULT_URL

CLIENTS = 4
NEXT = re.compile(r'cursor=([A-Za-z0-9_-]+)">')
WORKERS = 2


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms"


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def show(label: str, text: str) -> None:
    print(f"{label:58} {text}", flush=True)


# The pages


def pages(agent: Any, repeat: int) -> None:
    from django.test import Client

    from torg.core.models import Organization
    from torg.desk.models import Ticket

    client = Client()
    client.force_login(agent)
    baerum = Organization.objects.get(name="Bærum kommune").pk

    def get(url: str, params: dict | None = None) -> Any:
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, params, response.status_code)
        return response

    def deep(params: dict, pages: int = 20) -> dict:
        """The query of the page `pages` pages down, following the cursors as a reader would."""
        query = dict(params)
        for _ in range(pages - 1):
            found = NEXT.search(get("/desk/cases/", query).content.decode())
            if found is None:
                break
            query["cursor"] = found.group(1)
        return query

    lists = [
        ("list: open for my teams, first page", {"queue": "teams"}),
        ("list: open for my teams, page 20 (cursor)", deep({"queue": "teams"})),
        (
            "list: Bærum, in progress, first page",
            {"queue": "all", "organization": baerum, "status": "in_progress"},
        ),
        (
            "list: Bærum, in progress, page 20 (cursor)",
            deep({"queue": "all", "organization": baerum, "status": "in_progress"}),
        ),
        ("list: open for my teams, text 'passord'", {"queue": "teams", "text": "passord"}),
        ("list: open for my teams, typing 'tilg'", {"queue": "teams", "text": "tilg"}),
        ("list: all I can see, text 'skrivaren virkar'", {"queue": "all", "text": "skrivaren virkar"}),
        ("list: all I can see, case number '#4711'", {"queue": "all", "text": "#4711"}),
    ]
    for label, params in lists:
        get("/desk/cases/", params)
        show(label, percentiles(timed(lambda params=params: get("/desk/cases/", params), repeat)))
    # Different cases each time, open and closed, each with its messages and history.
    ids = list(
        Ticket.objects.visible_to(agent).open().order_by("-created_at").values_list("pk", flat=True)[:2000]
    )
    rng = random.Random(1)
    top = Ticket.objects.order_by("-pk").values_list("pk", flat=True)[0]
    chosen = rng.sample(ids, min(repeat // 2, len(ids))) + [
        rng.randint(1, top) for _ in range(repeat - repeat // 2)
    ]
    get(f"/desk/cases/{chosen[0]}/")
    samples = []
    for pk in chosen:
        start = time.perf_counter()
        get(f"/desk/cases/{pk}/")
        samples.append(time.perf_counter() - start)
    show("case page (half open, half any)", percentiles(samples))


# The server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "torg.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--no-control-socket",
        "--error-logfile",
        str(BENCH_DIR / "gunicorn.log"),
    ]
    server = subprocess.Popen(command, env=os.environ.copy(), start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start; see " + str(BENCH_DIR / "gunicorn.log"))


def workers_of(server: subprocess.Popen) -> list[int]:
    result = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False)
    return [int(pid) for pid in result.stdout.split()]


def peak_memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def request(port: int, raw: bytes) -> tuple[int, bytes]:
    """One request on its own connection (gunicorn's sync workers close it after the response)."""
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(raw)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    data = b"".join(chunks)
    return int(data[9:12]), data


def http(method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def load(
    port: int, make: Callable[[int], bytes], expect: int, seconds: float
) -> tuple[float, list[float], int]:
    """`CLIENTS` clients sending requests back to back for `seconds`: (requests/s, latencies, errors)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    counter = iter(range(10**9))

    def client() -> None:
        while time.monotonic() < stop:
            with lock:
                n = next(counter)
            raw = make(n)
            start = time.perf_counter()
            status, _ = request(port, raw)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if status != expect:
                    errors[0] += 1
                    if errors[0] == 1:
                        print(f"  unexpected {status}: {_[:400]!r}", flush=True)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), latencies, errors[0]


def throughput(label: str, result: tuple[float, list[float], int]) -> None:
    rate, latencies, errors = result
    show(label, f"{rate:7.0f} req/s  ({percentiles(latencies)}{f', {errors} errors' if errors else ''})")


def server_measurements(agent: Any, seconds: float) -> None:
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.test import Client

    from torg.core.models import Channel, Organization, Person
    from torg.core.services.tokens import token_create

    _token, secret = token_create(person=agent, name="bench", by=agent, via=Channel.COMMAND)
    baerum = Organization.objects.get(name="Bærum kommune")
    callers = list(
        Person.objects.filter(organization=baerum, is_active=True).values_list("pk", flat=True)[:5000]
    )
    # A signed-in session for the pages, shared with the server through the database.
    client = Client()
    client.force_login(agent)
    session = client.cookies["sessionid"].value
    port = free_port()
    server = start_server(port)
    try:
        auth = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
        rng = random.Random(7)

        def create(n: int) -> bytes:
            body = {
                "title": f"Skrivaren på rom {n} skriv ikkje ut",
                "description": "Papiret kjem ut blankt. Eg har prøvd å starte han på nytt.",
                "caller": rng.choice(callers),
                "impact": 3,
                "urgency": 2,
            }
            return http("POST", "/api/v1/cases/", auth, json.dumps(body).encode())

        status, data = request(port, create(0))
        assert status == 201, data[:2000]
        throughput(
            f"API: create a case, {CLIENTS} clients, {WORKERS} workers", load(port, create, 201, seconds)
        )
        static = staticfiles_storage.url("torg/torg.css") if _exists("torg/torg.css") else None
        if static:
            throughput(
                f"reference: static file via WhiteNoise ({static.rsplit('/', 1)[-1][:24]})",
                load(port, lambda n: http("GET", static), 200, seconds / 2),
            )
        throughput(
            "reference: trivial Django view (GET /signin/, anonymous)",
            load(port, lambda n: http("GET", "/signin/"), 200, seconds / 2),
        )
        # The workers' peak memory after they served the heavy pages too.
        cookie = {"Cookie": f"sessionid={session}"}
        for path in (
            "/desk/cases/?queue=teams",
            "/desk/cases/?queue=all&text=passord",
            "/desk/cases/?queue=all",
        ):
            throughput(
                f"pages via gunicorn: {path}", load(port, lambda n, p=path: http("GET", p, cookie), 200, 5)
            )
        peaks = [peak_memory_mib(pid) for pid in workers_of(server)]
        show("gunicorn worker peak memory (VmHWM)", ", ".join(f"{p:.0f} MiB" for p in peaks))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=40)


def _exists(name: str) -> bool:
    from django.contrib.staticfiles import finders

    return finders.find(name) is not None


# The references


def references(repeat: int) -> None:
    from django.db import connection

    from torg.core.models import Team

    team = Team.objects.get(name="1. linje IT").pk
    with connection.cursor() as cursor:

        def indexed_page() -> None:
            cursor.execute(
                "SELECT id, title, status, created_at FROM desk_ticket WHERE team_id = %s AND status = %s "
                "ORDER BY created_at DESC, id DESC LIMIT 50",
                [team, "new"],
            )
            cursor.fetchall()

        show("reference: raw indexed SELECT … LIMIT 50", percentiles(timed(indexed_page, repeat * 4)))
    if connection.vendor == "postgresql":
        postgres_inserts()
    else:
        sqlite_inserts()


def postgres_inserts() -> None:
    import psycopg
    from django.db import connection

    params = connection.get_connection_params()
    dsn = {k: v for k, v in params.items() if k in ("dbname", "user", "host", "port", "password")}
    with psycopg.connect(**dsn, autocommit=True) as setup:
        setup.execute("DROP TABLE IF EXISTS bench_ticket_shape")
        # The cases' columns, defaults and indexes (the text index included), empty.
        setup.execute("CREATE TABLE bench_ticket_shape (LIKE desk_ticket INCLUDING ALL)")
        row = setup.execute(
            "SELECT organization_id, caller_id, team_id, category_id FROM desk_ticket ORDER BY id DESC LIMIT 1"
        ).fetchone()
    sql = (
        "INSERT INTO bench_ticket_shape (id, organization_id, kind, title, description, caller_id, category_id, "
        "status, impact, urgency, priority, priority_reason, channel, team_id, transferred, first_line_resolved, "
        "reopen_count, created_at, updated_at, search_text) VALUES (%s, %s, 'incident', %s, %s, %s, %s, 'new', "
        "3, 2, 3, '', 'api', %s, false, false, 0, now(), now(), %s)"
    )
    ids = iter(range(1, 10**9))
    lock = threading.Lock()

    def run(seconds: float) -> int:
        done = 0
        with psycopg.connect(**dsn, autocommit=True) as conn:
            stop = time.monotonic() + seconds
            while time.monotonic() < stop:
                with lock:
                    n = next(ids)
                conn.execute(
                    sql,
                    [
                        n,
                        row[0],
                        f"Skrivaren på rom {n}",
                        "Papiret kjem ut blankt.",
                        row[1],
                        row[3],
                        row[2],
                        "skriv",
                    ],
                )
                done += 1
        return done

    try:
        show("reference: raw single-row INSERT + commit, 1 connection", f"{run(5) / 5:7.0f} rows/s")
        counts: list[int] = []
        threads = [threading.Thread(target=lambda: counts.append(run(5))) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        show(
            f"reference: raw single-row INSERT + commit, {CLIENTS} connections",
            f"{sum(counts) / 5:7.0f} rows/s",
        )
    finally:
        with psycopg.connect(**dsn, autocommit=True) as conn:
            conn.execute("DROP TABLE bench_ticket_shape")


def sqlite_inserts() -> None:
    import sqlite3

    from django.db import connection

    path = connection.settings_dict["NAME"]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
    (create,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'desk_ticket'"
    ).fetchone()
    indexes = [
        sql for (sql,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'desk_ticket' AND sql IS NOT NULL"
        )
    ]  # fmt: skip
    conn.execute("DROP TABLE IF EXISTS bench_ticket_shape")
    conn.execute(create.replace('"desk_ticket"', '"bench_ticket_shape"', 1))
    for i, sql in enumerate(indexes):
        name = sql.split('"')[1]
        conn.execute(
            sql.replace(f'"{name}"', f'"bench_{i}"', 1).replace('"desk_ticket"', '"bench_ticket_shape"')
        )
    row = conn.execute(
        "SELECT organization_id, caller_id, team_id, category_id FROM desk_ticket ORDER BY id DESC LIMIT 1"
    ).fetchone()
    sql = (
        "INSERT INTO bench_ticket_shape (organization_id, kind, title, description, caller_id, category_id, "
        "status, impact, urgency, priority, priority_reason, channel, team_id, transferred, first_line_resolved, "
        "reopen_count, created_at, updated_at, search_text) VALUES (?, 'incident', ?, ?, ?, ?, 'new', "
        "3, 2, 3, '', 'api', ?, 0, 0, 0, datetime('now'), datetime('now'), ?)"
    )
    try:
        done, stop = 0, time.monotonic() + 5
        while time.monotonic() < stop:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                sql,
                [
                    row[0],
                    f"Skrivaren på rom {done}",
                    "Papiret kjem ut blankt.",
                    row[1],
                    row[3],
                    row[2],
                    "skriv",
                ],
            )
            conn.execute("COMMIT")
            done += 1
        show("reference: raw single-row INSERT + commit (WAL, synchronous=NORMAL)", f"{done / 5:7.0f} rows/s")
    finally:
        conn.execute("DROP TABLE bench_ticket_shape")
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20, help="how long the API is loaded")
    parser.add_argument("--skip-server", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("TORG_VAR_DIR", str(BENCH_DIR / "var"))
    os.environ["TORG_DATABASE_URL"] = args.database_url
    os.environ["TORG_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "torg.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from torg.core.models import Person
    from torg.desk.models import Message, Ticket

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    agent = Person.objects.get(username="agent1")
    print(
        f"database: {connection.vendor}; cases {Ticket.objects.count():,} "
        f"({Ticket.objects.open().count():,} open), messages {Message.objects.count():,}",
        flush=True,
    )
    pages(agent, args.repeat)
    references(args.repeat)
    if not args.skip_server:
        server_measurements(agent, args.seconds)


if __name__ == "__main__":
    main()
