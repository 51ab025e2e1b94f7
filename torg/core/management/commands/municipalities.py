"""`torg municipalities refresh FILE`: check a newer register from Statistics Norway and put it in place."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torg.core import municipalities
from torg.core.models import Organization


def changes(old: dict[str, str], new: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """What was added, removed and renamed, between two code → name mappings."""
    added = [f"{code} {new[code]}" for code in sorted(new.keys() - old.keys())]
    removed = [f"{code} {old[code]}" for code in sorted(old.keys() - new.keys())]
    renamed = [
        f"{code} {old[code]} → {new[code]}"
        for code in sorted(old.keys() & new.keys())
        if old[code] != new[code]
    ]
    return added, removed, renamed


def summary(what: str, old: dict[str, str], new: dict[str, str]) -> list[str]:
    added, removed, renamed = changes(old, new)
    lines = [f"{what}: {len(new)} ({len(added)} added, {len(removed)} removed, {len(renamed)} renamed)"]
    lines += [f"  + {item}" for item in added] + [f"  - {item}" for item in removed]
    return lines + [f"  ~ {item}" for item in renamed]


class Command(BaseCommand):
    help = (
        "Replace the municipality register with a newer CSV file from Statistics Norway, after checking it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="refresh")
        refresh = actions.add_parser("refresh", help="check FILE and copy it over the shipped register")
        refresh.add_argument(
            "file", type=Path, help="CSV with the columns " + ",".join(municipalities.COLUMNS)
        )
        refresh.add_argument(
            "--target", type=Path, default=municipalities.REGISTER, help="the register to replace"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source, target = options["file"], options["target"]
        try:
            new = municipalities.read_register(source)
        except UnicodeDecodeError as error:
            raise CommandError(f"{source} is not UTF-8 text; nothing was changed.") from error
        except (OSError, ValueError) as error:
            raise CommandError(f"{source} was not accepted, and nothing was changed: {error}") from error
        if not new:
            raise CommandError(f"{source} lists no municipalities; nothing was changed.")
        try:
            old = municipalities.read_register(target)
        except (OSError, UnicodeDecodeError, ValueError):
            old = {}
        old_counties = {m.county_code: m.county_name for m in old.values()}
        new_counties = {m.county_code: m.county_name for m in new.values()}
        lines = summary(
            "Municipalities", {c: m.name for c, m in old.items()}, {c: m.name for c, m in new.items()}
        )
        lines += summary("Counties", old_counties, new_counties)
        self.stdout.write("\n".join(lines))
        gone = Organization.objects.exclude(municipality_code="").exclude(municipality_code__in=new.keys())
        for organization in gone.order_by("name"):
            self.stderr.write(
                f"Note: {organization} has municipality number {organization.municipality_code}, "
                "which the new register does not list; correct it on the organization."
            )
        if source.read_bytes() == (target.read_bytes() if target.exists() else b""):
            self.stdout.write(f"{target} is the same file already; nothing was changed.")
            return
        # Written beside the target and renamed over it, so a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".municipalities-")
        os.close(handle)
        shutil.copyfile(source, temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
        municipalities.municipalities.cache_clear()
        self.stdout.write(f"Wrote {target}.")
