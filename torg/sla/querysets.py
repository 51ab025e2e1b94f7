"""Reads of business calendars: the tenancy gate and named reads."""

from __future__ import annotations

from torg.core.querysets import TenantQuerySet


class BusinessCalendarQuerySet(TenantQuerySet):
    def with_hours(self) -> BusinessCalendarQuerySet:
        """Everything `Schedule.from_calendar` reads, in three queries however many calendars."""
        return self.prefetch_related("spans", "special_days")
