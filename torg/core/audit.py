"""Writing the audit log. Services call these inside their transaction, so the entry and the change commit together."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from torg.core.models.audit import AuditEntry

# Changes recorded under a name that is no field of the model, and what the history calls them.
CHANGE_LABELS = {
    "attachment": _("Attachment"),
    "deleted": _("Deleted"),
    "link": _("Link"),
    "members": _("Members"),
    "merged": _("Merged"),
    "opening_hours": _("Opening hours"),
    "rows": _("Rows"),
    "special_day": _("Special day"),
    "targets": _("Targets"),
    "time": _("Time"),
    "token": _("API token"),
}

# Secrets and derived values stay out of the log.
NEVER_LOGGED = {
    "password",
    "last_login",
    "search_text",
    "path",
    "depth",
    "created_at",
    "updated_at",
    "content",
}

Action = AuditEntry.Action


def _value(obj: models.Model, field: models.Field) -> Any:
    if field.is_relation:
        related = getattr(obj, field.name)
        return None if related is None else str(related)
    value = getattr(obj, field.attname)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The logged fields of an object, as JSON-ready display values, in the installation's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            field.name: _value(obj, field)
            for field in obj._meta.concrete_fields
            if field.name not in NEVER_LOGGED and not field.primary_key
        }


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}


def record(
    obj: models.Model,
    *,
    action: str,
    by: Any,
    via: str,
    changes: dict[str, Any] | None = None,
    organization_id: int | None = None,
) -> AuditEntry:
    if organization_id is None:
        organization_id = getattr(obj, "organization_id", None) or getattr(obj, "organization", obj).pk
    return AuditEntry.objects.create(
        organization_id=organization_id,
        actor=by if getattr(by, "pk", None) else None,
        channel=via,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        changes=changes or {},
    )


def created(obj: models.Model, *, by: Any, via: str) -> AuditEntry:
    after = snapshot(obj)
    return record(
        obj,
        action=Action.CREATE,
        by=by,
        via=via,
        changes={k: [None, v] for k, v in after.items() if v not in (None, "")},
    )


@contextmanager
def change(obj: models.Model, *, by: Any, via: str, action: str = Action.UPDATE) -> Iterator[dict[str, Any]]:
    """Log the fields that differ after the block; the yielded dict takes extra changes (e.g. many-to-many)."""
    before = snapshot(obj)
    extra: dict[str, Any] = {}
    yield extra
    changes = diff(before, snapshot(obj)) | extra
    if changes:
        record(obj, action=action, by=by, via=via, changes=changes)


def bulk_read(
    model: type[models.Model],
    *,
    by: Any,
    via: str,
    organization_ids: Sequence[int | None],
    what: str,
    count: int,
) -> None:
    """Log a bulk read of personal data (an export), once per organization it touched."""
    content_type = ContentType.objects.get_for_model(model)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            organization_id=org_id,
            actor=by,
            channel=via,
            action=Action.EXPORT,
            content_type=content_type,
            object_repr=what[:200],
            changes={"rows": count},
        )
        for org_id in sorted(set(organization_ids), key=lambda v: v or 0)
    )
