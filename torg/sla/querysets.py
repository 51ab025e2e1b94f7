"""Reads of business calendars, agreements and case clocks: the tenancy gate and named reads."""

from __future__ import annotations

from typing import Any

from django.db import models

from torg.core.querysets import TenantQuerySet, scope_of


class BusinessCalendarQuerySet(TenantQuerySet):
    def visible_to(self, user: Any) -> models.QuerySet:
        """A provider's staff see its calendars; so do the people who reach one of its customers (a customer
        manager choosing the calendar of an agreement, an agent serving the customer). Keeping them is
        decided by `can_manage`."""
        scope = scope_of(user)
        if scope.sees_all:
            return self
        from torg.core.models import Organization

        providers = Organization.objects.filter(pk__in=scope.full_ids).values("provider_id")
        return self.filter(models.Q(organization__in=scope.full_ids) | models.Q(organization__in=providers))

    def with_hours(self) -> BusinessCalendarQuerySet:
        """Everything `Schedule.from_calendar` reads, in three queries however many calendars."""
        return self.prefetch_related("spans", "special_days")


class AgreementQuerySet(TenantQuerySet):
    pass


class CaseTimerQuerySet(TenantQuerySet):
    def response_running(self) -> CaseTimerQuerySet:
        return self.filter(agreement__isnull=False, response_met_at__isnull=True, stopped_at__isnull=True)

    def resolution_running(self) -> CaseTimerQuerySet:
        return self.filter(agreement__isnull=False, counting_since__isnull=False, stopped_at__isnull=True)
