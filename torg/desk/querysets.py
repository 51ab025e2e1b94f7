"""Reads of cases: the tenancy gate and the named queues."""

from __future__ import annotations

from typing import Any

from django.db import models

from torg.core.querysets import TenantQuerySet, scope_of


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

    def for_list(self) -> TicketQuerySet:
        """What a list row shows, in one query."""
        return self.select_related("organization", "caller", "team", "assignee", "category").only(
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
