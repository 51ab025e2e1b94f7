"""Organizations, departments and locations."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from torg.core import audit
from torg.core.models import Department, Location, Organization
from torg.core.permissions import ensure_can_manage
from torg.core.services.base import (
    ensure_same_organization,
    ensure_visible,
    save_changes,
    save_new,
    set_active,
)


def _check_provider(kind: str, provider: Organization | None) -> None:
    if kind == Organization.Kind.MEMBER and provider is None:
        raise ValidationError({"provider": _("A member organization needs the provider that serves it.")})
    if kind == Organization.Kind.PROVIDER and provider is not None:
        raise ValidationError({"provider": _("A provider is not served by another provider.")})


@transaction.atomic
def organization_create(*, by: Any, via: str, **fields: Any) -> Organization:
    """Add a provider or a member organization."""
    organization = Organization(**fields)
    _check_provider(organization.kind, organization.provider)
    return save_new(organization, by=by, via=via, kind="organization")


@transaction.atomic
def organization_update(*, organization: Organization, by: Any, via: str, **fields: Any) -> Organization:
    """Change an organization's name, numbers, provider or language."""
    _check_provider(fields.get("kind", organization.kind), fields.get("provider", organization.provider))
    return save_changes(organization, fields, by=by, via=via, kind="organization")


@transaction.atomic
def organization_set_active(*, organization: Organization, active: bool, by: Any, via: str) -> Organization:
    """Deactivate an organization (its people can no longer sign in) or bring it back."""
    return set_active(organization, active, by=by, via=via, kind="organization")


@transaction.atomic
def department_create(
    *,
    organization: Organization,
    name: str,
    by: Any,
    via: str,
    parent: Department | None = None,
    code: str = "",
) -> Department:
    """Add a department, at the root of the organization's tree or under a parent."""
    ensure_same_organization(organization.pk, parent=parent)
    department = Department(organization=organization, parent=parent, name=name, code=code, path="/")
    department.depth = parent.depth + 1 if parent else 0
    ensure_can_manage(by, "department", organization.pk)
    department.full_clean(exclude=["path"])
    department.save()
    department.path = f"{parent.path if parent else '/'}{department.pk}/"
    department.save(update_fields=["path"])
    audit.created(department, by=by, via=via)
    ensure_visible(department, by)
    return department


@transaction.atomic
def department_update(*, department: Department, by: Any, via: str, **fields: Any) -> Department:
    """Rename a department or change its HR code; moving is department_move."""
    if "parent" in fields:
        raise ValueError("use department_move to change the parent")
    # A move may have rewritten the path since this instance was read; never write an old path back.
    department.refresh_from_db(fields=["path", "depth", "parent"])
    return save_changes(department, fields, by=by, via=via, kind="department")


@transaction.atomic
def department_move(*, department: Department, parent: Department | None, by: Any, via: str) -> Department:
    """Move a department with its whole subtree under another parent (or to the root), in one operation."""
    ensure_can_manage(by, "department", department.organization_id)
    department = Department.objects.select_for_update().get(pk=department.pk)
    if parent is not None:
        ensure_same_organization(department.organization_id, parent=parent)
        parent.refresh_from_db(fields=["path", "depth"])
        if parent.path.startswith(department.path):
            raise ValidationError({"parent": _("A department cannot be moved into itself or below itself.")})
    old_path, old_depth = department.path, department.depth
    new_path = f"{parent.path if parent else '/'}{department.pk}/"
    shift = (parent.depth + 1 if parent else 0) - old_depth
    with audit.change(department, by=by, via=via, action=audit.Action.MOVE):
        department.parent = parent
        department.save(update_fields=["parent", "updated_at"])
        # The subtree's paths and depths follow in one statement; the move itself is the audited change.
        Department.objects.filter(
            organization_id=department.organization_id, path__startswith=old_path
        ).update(path=Concat(Value(new_path), Substr("path", len(old_path) + 1)), depth=F("depth") + shift)
    department.refresh_from_db()
    return department


@transaction.atomic
def department_set_active(*, department: Department, active: bool, by: Any, via: str) -> Department:
    """Deactivate an empty department, or bring one back."""
    if not active:
        if department.children.filter(is_active=True).exists():
            raise ValidationError(_("Move or deactivate the departments under it first."))
        if department.people.filter(is_active=True).exists():
            raise ValidationError(_("Move the people in it to another department first."))
    return set_active(department, active, by=by, via=via, kind="department")


@transaction.atomic
def location_create(*, organization: Organization, by: Any, via: str, **fields: Any) -> Location:
    """Add a location: a school, a nursing home, a town hall …"""
    return save_new(Location(organization=organization, **fields), by=by, via=via, kind="location")


@transaction.atomic
def location_update(*, location: Location, by: Any, via: str, **fields: Any) -> Location:
    """Change a location's name, kind or address."""
    return save_changes(location, fields, by=by, via=via, kind="location")


@transaction.atomic
def location_set_active(*, location: Location, active: bool, by: Any, via: str) -> Location:
    """Deactivate a location or bring it back."""
    return set_active(location, active, by=by, via=via, kind="location")
