"""The one write path of the SLA app: calendars, agreements, and recomputing the clocks they govern."""

from torg.sla.services.calendars import (
    MAX_EFFECT_MONTHS,
    EffectDay,
    calendar_create,
    calendar_effect,
    calendar_set_active,
    calendar_set_hours,
    calendar_update,
    special_day_delete,
    special_day_save,
    weekly_hours,
)

__all__ = [
    "MAX_EFFECT_MONTHS",
    "EffectDay",
    "calendar_create",
    "calendar_effect",
    "calendar_set_active",
    "calendar_set_hours",
    "calendar_update",
    "special_day_delete",
    "special_day_save",
    "weekly_hours",
]
