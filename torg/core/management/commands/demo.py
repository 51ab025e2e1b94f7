"""`torg demo`: load the demo installation (people, then the SLA set-up, then the service desk) and print
its logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from torg.core.demo import DEMO_PASSWORD, DemoResult, load_demo
from torg.core.models import Person


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [header, tuple("-" * width for width in widths), *rows]
    return "\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def load_service_desk(result: DemoResult, scale: float) -> tuple[dict[str, int], float]:
    """The SLA set-up, then the cases (whose clocks need it): what was created, and the seconds it took."""
    # The apps above core are imported here, so that core does not depend on them.
    from torg.desk.demo import load_desk_demo
    from torg.sla.demo import load_sla_demo

    admin = Person.objects.get(username="admin")
    sla = load_sla_demo(organizations=result.organizations, admin=admin)
    desk = load_desk_demo(organizations=result.organizations, scale=scale)
    return sla.created | desk.created, sla.seconds + desk.seconds


class Command(BaseCommand):
    help = (
        "Load the demo (a cooperation serving three municipalities, with a service desk and its SLA; safe to run "
        "again) and print its logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="size relative to the full demo (Bærum has 12,000 people at 1.0)",
        )
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="the address printed for signing in"
        )
        parser.add_argument("--force", action="store_true", help="load even though TORG_HTTPS is set")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.HTTPS and not options["force"]:
            raise CommandError(
                "TORG_HTTPS is set, so this looks like a real installation, and the demo's logins share a "
                "published password. Use --force to load the demo anyway."
            )
        if not 0 < options["scale"] <= 10:
            raise CommandError("--scale must be more than 0 and at most 10.")
        result = load_demo(scale=options["scale"])
        created, seconds = load_service_desk(result, options["scale"])
        if result.changed or any(created.values()):
            counts = ", ".join(f"{n:,} {label}" for label, n in (result.created | created).items() if n)
            self.stdout.write(f"Demo data loaded in {result.seconds + seconds:.1f} s: {counts}.")
        else:
            self.stdout.write(
                f"Demo data is loaded already; nothing changed ({result.seconds + seconds:.1f} s)."
            )
        self.stdout.write(
            f"\nOpen {options['url']} (started by `torg run`) and sign in as one of these, all with the "
            f"password {DEMO_PASSWORD} (demo only):\n"
        )
        self.stdout.write(table(("Username", "Role", "Organization"), result.logins))
