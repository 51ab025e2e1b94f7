"""Who may change what. Reading is decided by the querysets' visible_to; this decides writing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from torg.core.models.people import Role
from torg.core.querysets import scope_of

# What each kind of record may be kept by, besides administrators (who keep everything).
KEEPERS: dict[str, set[str]] = {
    "organization": set(),
    "team": set(),
    "page": set(),
    "role": set(),
    "department": {Role.CUSTOMER_MANAGER},
    "location": {Role.CUSTOMER_MANAGER},
    "import": {Role.CUSTOMER_MANAGER},
    "person": {Role.CUSTOMER_MANAGER, Role.AGENT},
    "calendar": {Role.SERVICE_OWNER},
    "agreement": {Role.SERVICE_OWNER, Role.CUSTOMER_MANAGER},
}


def can_manage(user: Any, kind: str, organization_id: int | None = None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_administrator:
        return True
    keepers = KEEPERS[kind]
    if organization_id is None:
        return bool(user.roles & keepers)
    if Role.CUSTOMER_MANAGER in keepers and organization_id in user.managed_organization_ids():
        return True
    # Other keepers (agents, service owners) keep the records of the organizations they reach.
    reaching = (keepers - {Role.CUSTOMER_MANAGER}) & user.roles
    return bool(reaching) and organization_id in scope_of(user).full_ids


def ensure_can_manage(user: Any, kind: str, organization_id: int | None = None) -> None:
    if not can_manage(user, kind, organization_id):
        raise PermissionDenied(_("You may not change this."))


def ensure_workspace_user(user: Any) -> None:
    if not getattr(user, "is_authenticated", False) or not user.is_workspace_user:
        raise PermissionDenied(_("The workspace is for the staff of the service desk."))
