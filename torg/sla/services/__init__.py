"""The one write path of the SLA app: calendars, agreements, and recomputing the clocks they govern."""

from torg.sla.services.agreements import (
    MAX_TARGET_MINUTES,
    agreement_create,
    agreement_set_active,
    agreement_set_targets,
    agreement_targets,
    agreement_update,
    duration_text,
    targets_text,
)
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
    "MAX_TARGET_MINUTES",
    "EffectDay",
    "agreement_create",
    "agreement_set_active",
    "agreement_set_targets",
    "agreement_targets",
    "agreement_update",
    "calendar_create",
    "calendar_effect",
    "calendar_set_active",
    "calendar_set_hours",
    "calendar_update",
    "duration_text",
    "special_day_delete",
    "special_day_save",
    "targets_text",
    "weekly_hours",
]
