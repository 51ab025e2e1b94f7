"""`torg demo`: load the demo installation and print its logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from torg.core.demo import DEMO_PASSWORD, load_demo


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [header, tuple("-" * width for width in widths), *rows]
    return "\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


class Command(BaseCommand):
    help = (
        "Load the demo (a cooperation serving three municipalities; safe to run again) and print its logins."
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
        if result.changed:
            counts = ", ".join(f"{n:,} {label}" for label, n in result.created.items() if n)
            self.stdout.write(f"Demo data loaded in {result.seconds:.1f} s: {counts}.")
        else:
            self.stdout.write(f"Demo data is loaded already; nothing changed ({result.seconds:.1f} s).")
        self.stdout.write(
            f"\nOpen {options['url']} (started by `torg run`) and sign in as one of these, all with the "
            f"password {DEMO_PASSWORD} (demo only):\n"
        )
        self.stdout.write(table(("Username", "Role", "Organization"), result.logins))
