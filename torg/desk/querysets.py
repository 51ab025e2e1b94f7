"""Reads of cases: the tenancy gate and the named queues."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import models

from torg.core.querysets import TenantQuerySet, scope_of

# "Breaches within the next hour": the filter of the queues and the API.
SLA_SOON = timedelta(hours=1)
SLA_FILTERS = ("soon", "breached")
# What `CaseTimer.state()` and a row of a list read of the clock, and the agreement's name for the API.
SLA_FIELDS = tuple(
    f"sla__{name}"
    for name in (
        "ticket",
        "agreement",
        "reason",
        "response_minutes",
        "resolution_minutes",
        "response_due",
        "response_warning_at",
        "response_met_at",
        "resolution_due",
        "resolution_warning_at",
        "resolution_used",
        "counting_since",
        "paused_at",
        "stopped_at",
        "agreement__name",
    )
)


class TicketQuerySet(TenantQuerySet):
    def visible_to(self, user: Any) -> models.QuerySet:
        scope = scope_of(user)
        if scope.sees_all:
            return self
        # Staff see the cases of the organizations they reach; an employee sees the cases they called in.
        return self.filter(models.Q(organization__in=scope.full_ids) | models.Q(caller_id=scope.person_id))

    def open(self) -> TicketQuerySet:
        from torg.desk.models import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)

    def search(self, text: str) -> TicketQuerySet:
        from torg.desk.search import ticket_search

        return ticket_search(self, text)

    def sla_running(self) -> TicketQuerySet:
        """Cases with a running SLA clock: the rows of the partial index (sla_due, id)."""
        return self.filter(sla_due__isnull=False)

    def sla_breaching(self, now: datetime, within: timedelta = SLA_SOON) -> TicketQuerySet:
        """Running clocks not yet broken at `now` whose deadline falls within `within`."""
        return self.filter(sla_due__gt=now, sla_due__lte=now + within)

    def sla_breached(self, now: datetime) -> TicketQuerySet:
        """Running clocks whose deadline has passed at `now`."""
        return self.filter(sla_due__lte=now)

    def sla(self, choice: str, now: datetime) -> TicketQuerySet:
        """The cases of an SLA filter: "soon" (breaches within the hour) or "breached" (still running)."""
        if choice == "soon":
            return self.sla_breaching(now)
        if choice == "breached":
            return self.sla_breached(now)
        raise ValueError(f"unknown SLA filter {choice!r}")

    def for_list(self) -> TicketQuerySet:
        """What a list row shows, in one query: the clock's state is read from the joined CaseTimer."""
        return self.select_related(
            "organization", "caller", "team", "assignee", "category", "sla__agreement"
        ).only(
            "id",
            "title",
            "kind",
            "status",
            "priority",
            "channel",
            "created_at",
            "updated_at",
            "organization__name",
            "caller__first_name",
            "caller__last_name",
            "team__name",
            "assignee__first_name",
            "assignee__last_name",
            "category__name",
            "sla_due",
            *SLA_FIELDS,
        )


class CategoryQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> models.QuerySet:
        scope = scope_of(user)
        if scope.sees_all:
            return self
        # Categories are kept by the provider: whoever reaches a member organization chooses from its provider's.
        from torg.core.models import Organization

        providers = Organization.objects.filter(pk__in=scope.public_ids).values("provider_id")
        return self.filter(models.Q(organization__in=scope.public_ids) | models.Q(organization__in=providers))
