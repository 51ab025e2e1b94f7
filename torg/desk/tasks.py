"""Background work of the service desk."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from torg.desk.services.tickets import tickets_close_resolved


@db_periodic_task(crontab(minute="*/15"))
@lock_task("desk-close-resolved")
def close_resolved_tickets() -> int:
    """Close cases whose reopening period has passed; safe to run on several consumers at once."""
    return tickets_close_resolved()
