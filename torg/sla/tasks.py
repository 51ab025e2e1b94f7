"""Background work of the SLA clocks."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from torg.sla.notices import notices_send


# No lock: two consumers may run this at once, and the notice's unique key keeps each mail single.
@db_periodic_task(crontab(minute="*"))
def send_timer_notices() -> int:
    """Warn the team when a clock passes its warning point or deadline; each once per deadline."""
    return notices_send()
