"""The demo: Vestland IKT-samarbeid serving Bærum, Modalen and Fedje, with a login for every role.

Loading is idempotent: every row has a natural key (organization number, department code, location name,
employee number, username, team name) and only what is missing is written, in bulk, each row with the audit
entry a service would have written (no actor, channel command). Random choices come from fixed seeds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import transaction

from torg.core.demo.loader import Loader
from torg.core.demo.plans import LOGINS, build_plans
from torg.core.models import Organization

DEMO_PASSWORD = "torg-demo-2026"  # noqa: S105 (published in the README, for demonstrations only)

__all__ = ["DEMO_PASSWORD", "DemoResult", "load_demo"]


@dataclass
class DemoResult:
    created: dict[str, int]
    audit_entries: int
    logins: list[tuple[str, str, str]]  # username, role, organization
    seconds: float
    organizations: dict[str, Organization] = field(
        default_factory=dict
    )  # by plan key: "provider", "baerum" …

    @property
    def changed(self) -> bool:
        return bool(self.audit_entries or any(self.created.values()))


def load_demo(*, scale: float = 1.0) -> DemoResult:
    """Create whatever of the demo is missing; run again, it writes nothing."""
    started = time.monotonic()
    with transaction.atomic():
        loader = Loader(DEMO_PASSWORD)
        loader.load(build_plans(scale))
    logins = [(login.username, login.role, loader.organizations[login.organization].name) for login in LOGINS]
    return DemoResult(
        loader.created, loader.audited, logins, time.monotonic() - started, dict(loader.organizations)
    )
