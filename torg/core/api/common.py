"""What the resources of the API share: keyset pages, ids looked up through visible_to, the audit history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from torg.core.models import AuditEntry
from torg.core.pagination import keyset_page

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class KeysetPagination(PaginationBase):
    """`?cursor=…&limit=…` in an ordering that ends in a unique field; no count, so no full scan."""

    class Input(Schema):
        cursor: str | None = Field(None, max_length=1000, description="The next_cursor of the previous page.")
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)

    class Output(Schema):
        items: list[Any]
        next_cursor: str | None = Field(
            description="Ask again with this for the next page; null on the last."
        )

    def __init__(self, *, ordering: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ordering = ordering

    def paginate_queryset(
        self, queryset: models.QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = keyset_page(queryset, self.ordering, pagination.cursor, pagination.limit)
        return {"items": page.items, "next_cursor": page.next_cursor}


def resolve(user: Any, data: Mapping[str, Any], **related: type[models.Model]) -> dict[str, Any]:
    """`data` with the ids named in `related` replaced by the rows `user` may see; other ids are field errors.

    An id the user may not see gets the same answer as one that does not exist, so nothing leaks.
    """
    resolved = dict(data)
    errors: dict[str, str] = {}
    for name, model in related.items():
        value = data.get(name)
        if value is None:
            continue
        ids = list(dict.fromkeys(value)) if isinstance(value, list | tuple) else [value]
        found = model._default_manager.visible_to(user).in_bulk(ids)
        if missing := [pk for pk in ids if pk not in found]:
            errors[name] = _("Unknown %(name)s: %(ids)s.") % {
                "name": model._meta.verbose_name,
                "ids": ", ".join(str(pk) for pk in missing),
            }
        elif isinstance(value, list | tuple):
            resolved[name] = [found[pk] for pk in ids]
        else:
            resolved[name] = found[value]
    if errors:
        raise ValidationError(errors)
    return resolved


def history(user: Any, obj: models.Model) -> models.QuerySet[AuditEntry]:
    """The audit entries of one record that `user` may read."""
    return AuditEntry.objects.visible_to(user).for_object(obj).select_related("actor", "content_type")
