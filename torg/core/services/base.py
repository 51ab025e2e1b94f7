"""The shared shape of a write: check the actor, validate, write, audit, and stay visible to the actor."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.translation import gettext as _

from torg.core import audit
from torg.core.permissions import ensure_can_manage

M = TypeVar("M", bound=models.Model)


def ensure_visible(obj: models.Model, by: Any) -> None:
    """A write must leave the row where its writer can see it; otherwise the transaction rolls back."""
    if not type(obj)._default_manager.visible_to(by).filter(pk=obj.pk).exists():
        raise ValidationError(_("The change would put this record out of your reach."))


def ensure_same_organization(organization_id: int, **related: models.Model | None) -> None:
    errors = {
        name: _("Choose one from the same organization.")
        for name, obj in related.items()
        if obj is not None and obj.organization_id != organization_id
    }
    if errors:
        raise ValidationError(errors)


def assign(obj: M, data: Mapping[str, Any]) -> M:
    for name, value in data.items():
        setattr(obj, name, value)
    return obj


def save_new(obj: M, *, by: Any, via: str, kind: str) -> M:
    ensure_can_manage(by, kind, obj.organization.pk)
    obj.full_clean()
    obj.save()
    audit.created(obj, by=by, via=via)
    ensure_visible(obj, by)
    return obj


def save_changes(
    obj: M,
    data: Mapping[str, Any],
    *,
    by: Any,
    via: str,
    kind: str,
    prepare: Callable[[M], Any] | None = None,
) -> M:
    ensure_can_manage(by, kind, obj.organization.pk)
    with audit.change(obj, by=by, via=via):
        assign(obj, data)
        if prepare:
            prepare(obj)
        obj.full_clean()
        obj.save()
    ensure_visible(obj, by)
    return obj


def set_active(obj: M, active: bool, *, by: Any, via: str, kind: str) -> M:
    ensure_can_manage(by, kind, obj.organization.pk)
    if obj.is_active == active:
        return obj
    action = audit.Action.REACTIVATE if active else audit.Action.DEACTIVATE
    with audit.change(obj, by=by, via=via, action=action):
        obj.is_active = active
        obj.save(update_fields=["is_active", "updated_at"])
    return obj


def update_each(objects: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Write these fields of many rows, one `UPDATE … WHERE pk = %s` each, sent as one executemany.

    For the background jobs that rewrite hundreds of rows of their own: `bulk_update` builds a CASE with a
    branch per row for every field, which costs time in the square of the batch (4.7 s for 1,000 rows)."""
    if not objects:
        return
    meta = type(objects[0])._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    # Only the model's own quoted table and column names go into the text; every value is a parameter.
    assignments = ", ".join(f"{quote(c.column)} = %s" for c in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    rows = [
        [c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
