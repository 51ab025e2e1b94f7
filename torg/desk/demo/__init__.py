"""The demo's service desk: Vestland IKT's categories and canned answers, and about 150 cases of Bærum, Modalen
and Fedje from the last three weeks, some open, some waiting, some resolved and closed.

The cases are written through the desk services by the demo's logins and callers (channel command), so that
their history, search text and SLA clocks are what the desk itself would have made; then each case is moved
back to the times of its story and its clocks are started again there. Categories and answers are looked up
by name; the cases are loaded once (the first scripted case marks them). Random choices come from a fixed seed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from torg.core.models import Organization
from torg.desk.demo.loader import Loader

CASES = 150  # in the full demo
MIN_CASES = 40  # in a small one: enough for every shape of case

__all__ = ["CASES", "DeskDemoResult", "load_desk_demo"]


@dataclass
class DeskDemoResult:
    created: dict[str, int]
    seconds: float


def case_count(scale: float) -> int:
    return max(MIN_CASES, min(CASES, round(CASES * scale)))


def load_desk_demo(*, organizations: dict[str, Organization], scale: float = 1.0) -> DeskDemoResult:
    """Create whatever of the demo's service desk is missing; run again, it writes nothing."""
    started = time.monotonic()
    # Texts the services write themselves (a note on passing a case on) are in the installation's language.
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        loader = Loader(organizations, timezone.now())
        loader.categories_and_answers()
        if not loader.cases_loaded():
            loader.cases(case_count(scale))
    return DeskDemoResult(loader.created, time.monotonic() - started)
