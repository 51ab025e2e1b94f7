"""SLA compliance: per organization, team or priority and month, as the page shows it (see torg.sla.compliance)."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations at run time.

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from torg.core.permissions import ensure_workspace_user
from torg.sla import compliance
from torg.sla.schemas import ComplianceOut, ComplianceQuery

router = Router(tags=["sla compliance"])


@router.get("/", response=ComplianceOut)
def sla_compliance(request: HttpRequest, query: Query[ComplianceQuery]) -> Any:
    """Response and resolution compliance of the clocks you may see, per group and month, and per month."""
    ensure_workspace_user(request.auth)
    report = compliance.report(request.auth, **query.filters())
    return {"rows": report.rows, "months": report.months}
