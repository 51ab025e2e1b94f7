"""Background jobs of the core app."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from torg.core.services import imports


@db_task()
def run_import(import_run_id: int) -> None:
    """Import an uploaded file; a run that is not waiting (done, or taken by another worker) is left alone."""
    run = imports.import_claim(import_run_id)
    if run is not None:
        imports.import_apply(run)


@db_periodic_task(crontab(minute="*/10"))
def requeue_waiting_imports() -> None:
    """Queue again the imports waiting for ten minutes; a run is claimed once, so a second job is harmless."""
    for import_run_id in imports.imports_waiting_since(timezone.now() - timedelta(minutes=10)):
        run_import(import_run_id)
