"""Priority from impact × urgency, by the provider's matrix or the default one."""

from __future__ import annotations

from torg.desk.models import Level, Priority, PriorityRule

# ITIL's usual matrix: rows are impact, columns urgency (high, medium, low).
DEFAULT_MATRIX: dict[tuple[int, int], int] = {
    (Level.HIGH, Level.HIGH): Priority.CRITICAL,
    (Level.HIGH, Level.MEDIUM): Priority.HIGH,
    (Level.HIGH, Level.LOW): Priority.NORMAL,
    (Level.MEDIUM, Level.HIGH): Priority.HIGH,
    (Level.MEDIUM, Level.MEDIUM): Priority.NORMAL,
    (Level.MEDIUM, Level.LOW): Priority.LOW,
    (Level.LOW, Level.HIGH): Priority.NORMAL,
    (Level.LOW, Level.MEDIUM): Priority.LOW,
    (Level.LOW, Level.LOW): Priority.LOW,
}


def priority_for(*, provider_id: int | None, impact: int, urgency: int) -> int:
    rule = PriorityRule.objects.filter(organization_id=provider_id, impact=impact, urgency=urgency).first()
    return rule.priority if rule else DEFAULT_MATRIX[(impact, urgency)]
