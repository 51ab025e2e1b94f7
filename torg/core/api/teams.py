"""Teams of agents at the provider: the organizations they serve and their members."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations at run time.

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import PatchDict, Query, Router, Status
from ninja.pagination import paginate

from torg.core.api.common import KeysetPagination, history, resolve
from torg.core.models import Channel, Organization, Person, Team, TeamMembership
from torg.core.permissions import ensure_can_manage
from torg.core.schemas import (
    AuditEntryOut,
    TeamDetailOut,
    TeamFields,
    TeamFilter,
    TeamIn,
    TeamMembersIn,
    TeamOut,
)
from torg.core.services import teams as services

router = Router(tags=["teams"])


def _visible(request: HttpRequest) -> QuerySet[Team]:
    return Team.objects.visible_to(request.auth).prefetch_related("served_organizations")


def _get(request: HttpRequest, team_id: int) -> Team:
    memberships = TeamMembership.objects.select_related("person")
    teams = _visible(request).prefetch_related(Prefetch("memberships", queryset=memberships))
    return get_object_or_404(teams, pk=team_id)


@router.get("/", response=list[TeamOut])
@paginate(KeysetPagination, ordering=("name", "id"))
def list_teams(request: HttpRequest, filters: Query[TeamFilter]) -> Any:
    return filters.filter(_visible(request))


@router.get("/{team_id}", response=TeamDetailOut)
def get_team(request: HttpRequest, team_id: int) -> Team:
    return _get(request, team_id)


@router.post("/", response={201: TeamDetailOut})
def create_team(request: HttpRequest, payload: TeamIn) -> Status:
    # Only administrators keep teams: say so before looking up the ids in the payload.
    ensure_can_manage(request.auth, "team")
    data = resolve(request.auth, payload.dict(), organization=Organization, served_organizations=Organization)
    team = services.team_create(by=request.auth, via=Channel.API, **data)
    return Status(201, _get(request, team.pk))


@router.patch("/{team_id}", response=TeamDetailOut)
def update_team(request: HttpRequest, team_id: int, payload: PatchDict[TeamFields]) -> Team:
    team = _get(request, team_id)
    data = resolve(request.auth, payload, served_organizations=Organization)
    services.team_update(team=team, by=request.auth, via=Channel.API, **data)
    return _get(request, team_id)


@router.put("/{team_id}/members", response=TeamDetailOut)
def set_team_members(request: HttpRequest, team_id: int, payload: TeamMembersIn) -> Team:
    """Replace the members and leads; a lead is a member too."""
    team = _get(request, team_id)
    data = resolve(request.auth, payload.dict(), members=Person, leads=Person)
    services.team_set_members(team=team, by=request.auth, via=Channel.API, **data)
    return _get(request, team_id)


@router.post("/{team_id}/deactivate", response=TeamDetailOut)
def deactivate_team(request: HttpRequest, team_id: int) -> Team:
    services.team_set_active(team=_get(request, team_id), active=False, by=request.auth, via=Channel.API)
    return _get(request, team_id)


@router.post("/{team_id}/reactivate", response=TeamDetailOut)
def reactivate_team(request: HttpRequest, team_id: int) -> Team:
    services.team_set_active(team=_get(request, team_id), active=True, by=request.auth, via=Channel.API)
    return _get(request, team_id)


@router.get("/{team_id}/history", response=list[AuditEntryOut])
@paginate(KeysetPagination, ordering=("-id",))
def team_history(request: HttpRequest, team_id: int) -> Any:
    return history(request.auth, _get(request, team_id))
