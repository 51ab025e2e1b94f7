"""The audit log: who changed what, when, through which channel."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations at run time.

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from torg.core.api.common import KeysetPagination
from torg.core.models import AuditEntry
from torg.core.schemas import AuditEntryOut, AuditFilter

router = Router(tags=["audit"])


@router.get("/", response=list[AuditEntryOut])
@paginate(KeysetPagination, ordering=("-id",))
def list_audit_entries(request: HttpRequest, filters: Query[AuditFilter]) -> Any:
    """The entries of the organizations the caller reaches, newest first."""
    return filters.filter(AuditEntry.objects.visible_to(request.auth)).select_related("actor", "content_type")
