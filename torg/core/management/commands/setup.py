"""`torg setup`: bring the database and the static files up to date; quick when nothing changed."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

IGNORED = ["CVS", ".*", "*~"]  # collectstatic's own default ignore patterns


def static_is_current() -> bool:
    """Whether the collected files cover every static source and none is newer than the manifest."""
    manifest_name = getattr(staticfiles_storage, "manifest_name", None)
    if not manifest_name:
        return False
    manifest = Path(settings.STATIC_ROOT) / manifest_name
    try:
        collected_at = manifest.stat().st_mtime
        known = set(json.loads(manifest.read_text())["paths"])
    except (OSError, ValueError, KeyError):
        return False
    for finder in finders.get_finders():
        for path, storage in finder.list(IGNORED):
            prefix = getattr(storage, "prefix", None)
            name = f"{prefix}/{path}" if prefix else path
            if name.replace(os.sep, "/") not in known or os.path.getmtime(storage.path(path)) > collected_at:
                return False
    return True


def collect_static() -> bool:
    """Run collectstatic quietly when the sources changed; return whether it ran."""
    if static_is_current():
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    return True


class Command(BaseCommand):
    help = "Apply database migrations and collect static files (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            call_command("migrate", interactive=False, verbosity=max(options["verbosity"] - 1, 0))
            self.stdout.write(f"Database: applied {len(pending)} migration(s).")
        else:
            self.stdout.write("Database: up to date.")
        ran = collect_static()
        self.stdout.write("Static files: collected." if ran else "Static files: up to date.")
