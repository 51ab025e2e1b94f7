"""Reads of business calendars, agreements and case clocks: the tenancy gate and named reads."""

from __future__ import annotations

from datetime import datetime
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

    def breaching_before(self, at: datetime) -> CaseTimerQuerySet:
        """Running clocks whose response or resolution deadline falls before `at` (already breached included)."""
        running = self.filter(agreement__isnull=False, stopped_at__isnull=True)
        return running.filter(
            models.Q(response_met_at__isnull=True, response_due__lt=at)
            | models.Q(counting_since__isnull=False, resolution_due__lt=at)
        ).select_related("ticket", "agreement")

    def at_risk(self, now: datetime, share: float | None = None) -> CaseTimerQuerySet:
        """Running clocks past their warning point but not yet breached at `now`.

        The warning points are stored at `AT_RISK_SHARE` of the target, so that the job and the
        queues read an index; another share would need the calendar of every row.
        """
        from torg.sla.models import AT_RISK_SHARE

        if share is not None and share != AT_RISK_SHARE:
            raise ValueError(f"warning points are stored at {AT_RISK_SHARE:.0%} of the target")
        running = self.filter(agreement__isnull=False, stopped_at__isnull=True)
        return running.filter(
            models.Q(response_met_at__isnull=True, response_warning_at__lte=now, response_due__gt=now)
            | models.Q(counting_since__isnull=False, resolution_warning_at__lte=now, resolution_due__gt=now)
        ).select_related("ticket", "agreement")
