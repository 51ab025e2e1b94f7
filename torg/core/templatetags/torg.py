from __future__ import annotations

from typing import Any

from django import template
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext

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
def change_side(values: Any, side: int) -> str:
    """One side (0: from, 1: to) of a logged change, for reading: yes/no, local times, lists joined."""
    if not isinstance(values, list) or len(values) != 2:
        return "–" if side == 0 else _display(values)
    return _display(values[side])


def _display(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return ", ".join(_display(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_display(item)}" for key, item in value.items())
    if isinstance(value, str) and len(value) > 18 and value[4:5] == "-" and "T" in value:
        moment = parse_datetime(value)
        if moment is not None:
            return date_format(localtime(moment) if is_aware(moment) else moment, "SHORT_DATETIME_FORMAT")
    return str(value)


@register.filter
def field_label(entry: Any, name: str) -> str:
    """The translated label of a changed field in an audit entry."""
    model = entry.content_type.model_class()
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except Exception:  # a field that no longer exists, or an extra such as "members"
        from torg.core.audit import CHANGE_LABELS

        return str(CHANGE_LABELS.get(name, name.replace("_", " ").capitalize()))
