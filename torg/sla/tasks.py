"""Background work of the SLA clocks."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from torg.sla.notices import notices_send
from torg.sla.services.recompute import Before, clocks_recompute


# No lock: two consumers may run this at once, and the notice's unique key keeps each mail single.
@db_periodic_task(crontab(minute="*"))
def send_timer_notices() -> int:
    """Warn the team when a clock passes its warning point or deadline; each once per deadline."""
    return notices_send()


# Retried: a batch that loses a lock wait to the desk (PostgreSQL's deadlock detector) runs again.
@db_task(retries=3, retry_delay=10)
def recompute_clocks(
    calendar_id: int | None = None, organization_id: int | None = None, before: Before | None = None
) -> int:
    """Move the deadlines of open cases after their calendar or agreements changed."""
    return clocks_recompute(calendar_id=calendar_id, organization_id=organization_id, before=before)
