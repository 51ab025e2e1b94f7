from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def attr(obj: Any, path: str) -> Any:
    """A dotted attribute of an object, for the generic list's columns; calls `get_…_display` for choices."""
    for part in path.split("."):
        if obj is None:
            return ""
        display = getattr(obj, f"get_{part}_display", None)
        obj = display() if callable(display) else getattr(obj, part, "")
    return "" if obj is None else obj


@register.simple_tag
def count_text(count: int, more: bool) -> str:
    text = number_format(count, force_grouping=True)
    return f"{text}+" if more else text


@register.filter
def field_label(entry: Any, name: str) -> str:
    """The translated label of a changed field in an audit entry."""
    model = entry.content_type.model_class()
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except Exception:  # a field that no longer exists, or an extra such as "members"
        return name.replace("_", " ").capitalize()
