"""Keyset (cursor) pagination and capped counts, shared by the pages and the API."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

T = TypeVar("T")
COUNT_CAP = 1000


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def _field(model: type[models.Model], name: str) -> models.Field:
    meta = model._meta
    for part in name.split("__")[:-1]:
        model = meta.get_field(part).related_model
        meta = model._meta
    return meta.get_field(name.split("__")[-1])


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, model: type[models.Model], ordering: tuple[str, ...]) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(ordering):
            raise ValueError
        return [
            None if value is None else _field(model, name.lstrip("-")).to_python(value)
            for name, value in zip(ordering, values, strict=True)
        ]
    except (ValueError, TypeError, binascii.Error, ValidationError, UnicodeDecodeError) as error:
        raise ValidationError(
            _("The page link is not valid; start again from the first page."), code="cursor"
        ) from error


def _after(ordering: tuple[str, ...], values: list[Any]) -> models.Q:
    """Rows after `values` in `ordering`: (a > x) or (a = x and b > y) or …; '-' marks a descending field."""
    condition = models.Q(pk__in=[])
    for i, name in enumerate(ordering):
        field = name.lstrip("-")
        op = "lt" if name.startswith("-") else "gt"
        equal = {f.lstrip("-"): v for f, v in zip(ordering[:i], values[:i], strict=True)}
        condition |= models.Q(**equal, **{f"{field}__{op}": values[i]})
    first = ordering[0]
    if values[0] is None:
        return condition
    # The same rows, with a plain range on the first field in front, so the database can seek its index
    # rather than scan from the start (SQLite: page 20 of a million cases, 177 ms → 57 ms).
    bound = {f"{first.lstrip('-')}__{'lte' if first.startswith('-') else 'gte'}": values[0]}
    return models.Q(**bound) & condition


def keyset_page(queryset: models.QuerySet, ordering: tuple[str, ...], cursor: str | None, limit: int) -> Page:
    """One page of `queryset` in `ordering` (which must end in a unique field), after `cursor`."""
    queryset = queryset.order_by(*ordering)
    if cursor:
        queryset = queryset.filter(_after(ordering, decode_cursor(cursor, queryset.model, ordering)))
    items = list(queryset[: limit + 1])
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        last = items[-1]
        next_cursor = encode_cursor([_value(last, name.lstrip("-")) for name in ordering])
    return Page(items, next_cursor)


def _value(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


def capped_count(queryset: models.QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """How many rows, counting no further than `cap`: (count, whether there are more)."""
    cap = cap or COUNT_CAP
    count = queryset.order_by().values("pk")[: cap + 1].count()
    return min(count, cap), count > cap
