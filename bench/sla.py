"""Benchmark: the SLA on a large service desk — the deadline lists, and a recompute after a calendar change.

Run by hand, on a database loaded by bench/generate_cases.py:
`.venv/bin/python bench/sla.py [--database-url URL] [--repeat 50] [--skip-lists] [--skip-recompute]`.

The lists are timed in process with Django's test client as agent1 (1. linje IT), like bench/desk.py: the open
cases of the agent's teams by nearest deadline (first page and page 20), those breaching within the hour,
everything breached, and the compliance page when the desk has one. The lists are measured in rounds (each
line once a round), beside two list references (the newest-first queue of bench/desk.py and a one-row list).
The recompute closes the calendar on its next open weekday through `special_day_save`, then runs and times
the background job that change queued (`clocks_recompute` over every open clock on the calendar), and checks
a sample of the clocks against business-time arithmetic done here and against `timer_recompute`. The same
run measures bench/desk.py's physical-limit references and a raw walk of the deadline index.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.desk import percentiles, references, show, timed
from bench.generate_cases import BENCH_DIR, DEFAULT_URL

CALENDAR = "Kontortid"
# The next-page link; the forms' hidden "next" fields carry the current page's cursor, so match a link only.
NEXT_PAGE = re.compile(r'href="\?[^"]*cursor=([A-Za-z0-9_-]+)">')
SAMPLE = 200
SOON = timedelta(hours=1)
TOLERANCE = timedelta(seconds=1)  # the clocks bank whole seconds of business time


def setup(url: str) -> None:
    os.environ.setdefault("TORG_VAR_DIR", str(BENCH_DIR / "var"))
    os.environ["TORG_DATABASE_URL"] = url
    os.environ["TORG_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "torg.settings")
    import django

    django.setup()


def sizes() -> None:
    """The data the figures are for: cases, open clocks, and the running deadlines due soon or past."""
    from django.utils import timezone

    from torg.desk.models import Ticket
    from torg.sla.models import CaseTimer

    now = timezone.now()
    running = Ticket.objects.filter(sla_due__isnull=False)
    clocks = CaseTimer.objects.filter(stopped_at__isnull=True)
    print(
        f"cases {Ticket.objects.count():,} ({Ticket.objects.open().count():,} open); open clocks "
        f"{clocks.count():,} ({clocks.filter(paused_at__isnull=False).count():,} paused); running deadlines "
        f"{running.count():,}, due within the hour {running.filter(sla_due__gt=now, sla_due__lte=now + SOON).count():,}, "
        f"breached {running.filter(sla_due__lte=now).count():,}",
        flush=True,
    )


# The lists


def lists(agent: Any, repeat: int) -> None:
    from django.test import Client
    from django.urls import Resolver404, resolve
    from django.utils import timezone

    from torg.core.models import TeamMembership
    from torg.desk.models import Ticket

    client = Client()
    client.force_login(agent)

    def get(url: str, params: dict | None = None) -> Any:
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, params, response.status_code)
        return response

    def deep(params: dict, pages: int = 20) -> tuple[dict, int]:
        """The query of the page `pages` pages down, following the cursors as a reader would."""
        query, page = dict(params), 1
        while page < pages and (found := NEXT_PAGE.search(get("/desk/cases/", query).content.decode())):
            query["cursor"], page = found.group(1), page + 1
        return query, page

    now = timezone.now()
    teams = list(TeamMembership.objects.filter(person=agent).values_list("team_id", flat=True))
    mine = Ticket.objects.visible_to(agent).open().filter(team__in=teams, sla_due__isnull=False)
    print(
        f"agent1's teams: {mine.count():,} open cases with a running deadline, "
        f"{mine.filter(sla_due__gt=now, sla_due__lte=now + SOON).count():,} due within the hour; "
        f"breached, all agent1 sees: {Ticket.objects.visible_to(agent).filter(sla_due__lte=now).count():,}",
        flush=True,
    )
    by_due = {"queue": "teams", "sort": "due"}
    page20, reached = deep(by_due)
    lines = [
        ("list: open for my teams, by deadline, first page", by_due),
        (f"list: open for my teams, by deadline, page {reached} (cursor)", page20),
        ("list: my teams, breaching within the hour, by deadline", {**by_due, "sla": "soon"}),
        ("list: all I can see, breached, by deadline", {"queue": "all", "sla": "breached", "sort": "due"}),
        ("reference: list open for my teams, newest first", {"queue": "teams"}),
        ("reference: list with one row, case number '#4711'", {"queue": "all", "text": "#4711"}),
    ]
    # In rounds, one request of each line per round, so that the load of a shared machine falls on all alike.
    samples: dict[str, list[float]] = {label: [] for label, _ in lines}
    for _label, params in lines:
        get("/desk/cases/", params)
    for _ in range(repeat):
        for label, params in lines:
            started = time.perf_counter()
            get("/desk/cases/", params)
            samples[label].append(time.perf_counter() - started)
    for label, _ in lines:
        show(label, percentiles(samples[label]))
    try:
        resolve("/desk/sla/compliance/")
    except Resolver404:
        print("compliance page: /desk/sla/compliance/ does not exist", flush=True)
        return
    if (status := client.get("/desk/sla/compliance/").status_code) != 200:
        print(f"compliance page: /desk/sla/compliance/ answers {status}", flush=True)
        return
    report_repeat = max(5, repeat // 5)
    show(
        f"compliance page, last 12 months ({report_repeat} requests)",
        percentiles(timed(lambda: get("/desk/sla/compliance/"), report_repeat)),
    )


def deadline_reference(agent: Any, repeat: int) -> None:
    """The floor of the lists: a raw walk of the partial deadline index for the agent's teams."""
    from django.db import connection

    from torg.core.models import TeamMembership

    teams = list(TeamMembership.objects.filter(person=agent).values_list("team_id", flat=True))
    marks = ", ".join(["%s"] * len(teams))
    sql = (
        f"SELECT id, title, status, sla_due FROM desk_ticket WHERE sla_due IS NOT NULL AND team_id IN ({marks}) "  # noqa: S608 (placeholders only)
        "ORDER BY sla_due, id LIMIT 50"
    )
    with connection.cursor() as cursor:

        def walk() -> None:
            cursor.execute(sql, teams)
            cursor.fetchall()

        show("reference: raw SELECT … ORDER BY sla_due, id LIMIT 50", percentiles(timed(walk, repeat * 4)))


# The recompute


def closing_day(schedule: Any, taken: set[date], today: date) -> date:
    """The calendar's next open day after today that has no special day yet: closing it moves most deadlines."""
    day = today + timedelta(days=1)
    while day in taken or not schedule.wall_spans(day):
        day += timedelta(days=1)
    return day


def snapshot(ids: list[int]) -> dict[int, dict[str, Any]]:
    from torg.sla.models import CaseTimer

    fields = ["started_at", "response_due", "resolution_due", "resolution_warning_at", "resolution_used"]
    fields += ["counting_since", "paused_at"]
    fields += ["response_minutes", "resolution_minutes", "resolution_breached_at"]
    return {row["id"]: row for row in CaseTimer.objects.filter(pk__in=ids).values("id", *fields)}


def recompute() -> None:
    from django.utils import timezone
    from huey.contrib.djhuey import HUEY

    from torg.core.models import Channel, Person
    from torg.desk.models import Ticket
    from torg.sla.models import BusinessCalendar, SpecialDay
    from torg.sla.services import special_day_save
    from torg.sla.services.recompute import affected_clocks
    from torg.sla.timers import whole_second

    calendar = BusinessCalendar.objects.with_hours().get(name=CALENDAR)
    ids = list(affected_clocks(calendar_id=calendar.pk).values_list("pk", flat=True))
    sample = snapshot(random.Random(3).sample(ids, min(SAMPLE, len(ids))))
    before = dict(Ticket.objects.filter(sla_due__isnull=False).values_list("pk", "sla_due"))
    taken = set(SpecialDay.objects.filter(calendar=calendar).values_list("start_date", flat=True))
    day = closing_day(calendar.schedule(), taken, timezone.localdate())
    HUEY.flush()  # nothing but the job of this change in the queue
    special_day_save(
        calendar=calendar,
        by=Person.objects.get(username="admin"),
        via=Channel.COMMAND,
        name="Stengt: flytting av serverrommet",
        start_date=day,
        end_date=day,
        kind=SpecialDay.Kind.CLOSED,
    )
    job = HUEY.dequeue()  # the background job the change queued, run here to time it
    assert job is not None and job.name == "recompute_clocks", job
    begun = whole_second(timezone.now())
    started = time.perf_counter()
    count = job.execute()
    elapsed, ended = time.perf_counter() - started, timezone.now()
    show(
        f"recompute after closing {day}: {count:,} clocks (batches of 500)",
        f"{elapsed:7.1f} s   {count / elapsed:7.0f} clocks/s",
    )
    after = dict(Ticket.objects.filter(sla_due__isnull=False).values_list("pk", "sla_due"))
    moved = sum(1 for pk, due in after.items() if pk in before and abs(due - before[pk]) > TOLERANCE)
    print(f"running deadlines moved by the closed day: {moved:,} of {len(after):,}", flush=True)
    check(sample, begun, ended)


def expected_of(old: dict[str, Any], schedule: Any, now: datetime | None) -> dict[str, Any]:
    """What a clock should hold after a recompute at `now` (None for a paused clock), from what it held before."""
    from torg.sla.models import AT_RISK_SHARE

    add = schedule.add_business_time
    expected = {"response_due": add(old["started_at"], timedelta(minutes=old["response_minutes"]))}
    if now is None:  # paused: only the response deadline is planned again
        return expected | {"resolution_due": old["resolution_due"], "resolution_used": old["resolution_used"]}
    since, target = old["counting_since"], old["resolution_minutes"] * 60
    used = int(schedule.business_time_between(since, now).total_seconds())
    left, warn = target - old["resolution_used"], AT_RISK_SHARE * target - old["resolution_used"]
    expected["resolution_used"] = old["resolution_used"] + used
    if left <= used:  # past its deadline already: the deadline it passed stands
        due = old["resolution_due"]
        return expected | {
            "resolution_due": due,
            "resolution_warning_at": min(old["resolution_warning_at"], due),
        }
    # Business time adds up: the rest of the target counted from the recompute ends where it ended before.
    expected["resolution_due"] = add(since, timedelta(seconds=left))
    expected["resolution_warning_at"] = (
        add(since, timedelta(seconds=warn)) if warn > used else add(now, timedelta(0))
    )
    return expected


def check(sample: dict[int, dict[str, Any]], begun: datetime, ended: datetime) -> None:
    """Each sampled clock as business-time arithmetic on the new calendar says, and as `timer_recompute` does."""
    from torg.sla.models import BusinessCalendar, CaseTimer
    from torg.sla.timers import timer_recompute

    schedule = BusinessCalendar.objects.with_hours().get(name=CALENDAR).schedule()
    clocks = CaseTimer.objects.select_related("ticket", "agreement__calendar")
    wrong: list[str] = []
    edges = 0
    for timer in clocks.filter(pk__in=sample):
        now = timer.counting_since  # the time of its batch
        if now is not None and not begun <= now <= ended:
            wrong.append(f"#{timer.pk}: counting since {now}, outside the recompute")
        for name, value in expected_of(sample[timer.pk], schedule, now).items():
            got = getattr(timer, name)
            if got != value and not (isinstance(value, datetime) and got and abs(got - value) <= TOLERANCE):
                wrong.append(f"#{timer.pk} {name}: {got}, expected {value}")
                if (
                    isinstance(value, datetime)
                    and got
                    and schedule.business_time_between(value, got) <= TOLERANCE
                ):
                    edges += 1
        if timer.ticket.sla_due != timer.next_due():
            wrong.append(f"#{timer.pk}: case due {timer.ticket.sla_due}, clock's next {timer.next_due()}")
        fresh = clocks.get(pk=timer.pk)
        redone = timer_recompute(fresh.ticket, now=now or ended, timer=fresh, save=False)
        for name in ("response_due", "resolution_due", "resolution_warning_at", "resolution_used"):
            if getattr(redone, name) != getattr(timer, name):
                wrong.append(
                    f"#{timer.pk} {name}: {getattr(timer, name)}, timer_recompute {getattr(redone, name)}"
                )
    print(f"check of {len(sample)} recomputed clocks: {len(wrong)} differences", flush=True)
    for line in wrong[:20]:
        print("  " + line)
    if edges:
        print(
            f"  of which {edges} are a deadline at closing time moved to the next opening: the clock banks whole "
            "seconds, so the rest of the target is up to a second longer than it was",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--skip-lists", action="store_true")
    parser.add_argument("--skip-recompute", action="store_true")
    args = parser.parse_args()
    setup(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    from torg.core.models import Person

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    agent = Person.objects.get(username="agent1")
    print(
        f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f} (2 cores, shared)", flush=True
    )
    sizes()
    if not args.skip_recompute:
        recompute()
        sizes()
    if not args.skip_lists:
        lists(agent, args.repeat)
    deadline_reference(agent, args.repeat)
    references(args.repeat)
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
