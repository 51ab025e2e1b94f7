"""The agent's own tools: saved filters (queues) and canned answers with placeholders."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from torg.core import audit
from torg.core.models import Team, TeamMembership
from torg.core.querysets import scope_of
from torg.desk.models import CannedAnswer, SavedFilter, Ticket

PLACEHOLDERS = ("caller_first_name", "caller_name", "case_number", "agent_name")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


# Saved filters. A filter belongs to its owner; shared with a team, every member of that team sees it.


def saved_filters_for(person: Any) -> models.QuerySet[SavedFilter]:
    """The saved filters a person may use: their own and those shared with one of their teams."""
    teams = TeamMembership.objects.filter(person_id=scope_of(person).person_id).values("team_id")
    return SavedFilter.objects.filter(
        models.Q(owner_id=scope_of(person).person_id) | models.Q(team_id__in=teams)
    )


@transaction.atomic
def saved_filter_save(*, by: Any, via: str, name: str, query: str, team: Team | None = None) -> SavedFilter:
    """Save the current filter as a named queue; the same name again replaces the owner's earlier one."""
    name = name.strip()
    errors = {}
    if not name:
        errors["name"] = _("Give the queue a name.")
    if len(query) > SavedFilter._meta.get_field("query").max_length:
        errors["query"] = _("This filter is too long to save.")
    if (
        team is not None
        and not TeamMembership.objects.filter(person=by, team=team, team__is_active=True).exists()
    ):
        errors["team"] = _("Share only with a team you are on.")
    if errors:
        raise ValidationError(errors)
    saved = SavedFilter.objects.select_for_update().filter(owner=by, name=name).first()
    action = audit.Action.UPDATE if saved else audit.Action.CREATE
    saved = saved or SavedFilter(owner=by)
    before = audit.snapshot(saved) if saved.pk else {}
    saved.name, saved.query, saved.team = name[:100], query, team
    saved.save()
    # A saved filter belongs to a person, not a tenant: its audit entry goes to the owner's organization.
    audit.record(
        saved,
        action=action,
        by=by,
        via=via,
        organization_id=by.organization_id,
        changes=audit.diff(before, audit.snapshot(saved)),
    )
    return saved


@transaction.atomic
def saved_filter_delete(*, saved_filter: SavedFilter, by: Any, via: str) -> None:
    """Delete a saved filter; only its owner may."""
    if saved_filter.owner_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Only the person who saved this queue may delete it."))
    audit.record(
        saved_filter,
        action=audit.Action.UPDATE,
        by=by,
        via=via,
        organization_id=by.organization_id,
        changes={"deleted": [saved_filter.name, None]},
    )
    saved_filter.delete()


# Canned answers. Administrators keep them all; a team lead keeps their team's.


def _leads(person: Any) -> models.QuerySet[TeamMembership]:
    return TeamMembership.objects.filter(
        person_id=scope_of(person).person_id, is_lead=True, team__is_active=True
    )


def can_keep_answers(person: Any, team: Team | None = None) -> bool:
    """Whether `person` may write canned answers (of `team`, when given; None means for every team)."""
    if not getattr(person, "is_authenticated", False) or not person.is_active:
        return False
    if person.is_administrator:
        return True
    if team is None:
        return False
    return _leads(person).filter(team=team).exists()


def canned_answers_kept_by(person: Any) -> models.QuerySet[CannedAnswer]:
    """The canned answers a person may edit."""
    answers = CannedAnswer.objects.select_related("team")
    if getattr(person, "is_administrator", False):
        return answers
    return answers.filter(team_id__in=_leads(person).values("team_id"))


def canned_answers_for(person: Any, ticket: Ticket) -> models.QuerySet[CannedAnswer]:
    """The active answers an agent may insert on a case: their teams' and the provider-wide ones,
    in the agent's language or the caller's."""
    languages = {person.preferred_language, ticket.caller.preferred_language}
    answers = CannedAnswer.objects.filter(is_active=True, language__in=languages)
    if not person.is_administrator:
        teams = TeamMembership.objects.filter(person=person, team__is_active=True).values("team_id")
        scope = scope_of(person)
        answers = answers.filter(
            models.Q(team_id__in=teams) | models.Q(team__isnull=True, organization_id__in=scope.full_ids)
        )
    return answers.order_by("title", "id")


def _check_body(body: str) -> None:
    unknown = sorted({name for name in _PLACEHOLDER.findall(body) if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            {
                "body": _("Unknown placeholders: %(names)s. Use %(known)s.")
                % {
                    "names": ", ".join("{" + n + "}" for n in unknown),
                    "known": ", ".join("{" + n + "}" for n in PLACEHOLDERS),
                }
            }
        )


def _ensure_can_keep(by: Any, team: Team | None) -> None:
    if not can_keep_answers(by, team):
        raise PermissionDenied(_("Only administrators and the team's leads keep its canned answers."))


@transaction.atomic
def canned_answer_create(
    *,
    by: Any,
    via: str,
    title: str,
    body: str,
    language: str,
    team: Team | None = None,
    is_active: bool = True,
) -> CannedAnswer:
    """Write a canned answer for a team (or, for administrators, for every team of the provider)."""
    _ensure_can_keep(by, team)
    _check_body(body)
    answer = CannedAnswer(
        organization_id=team.organization_id if team else by.organization_id,
        team=team,
        language=language,
        title=title.strip(),
        body=body.strip(),
        is_active=is_active,
    )
    answer.full_clean()
    answer.save()
    audit.created(answer, by=by, via=via)
    return answer


ANSWER_FIELDS = {"title", "body", "language", "team", "is_active"}


@transaction.atomic
def canned_answer_update(*, answer: CannedAnswer, by: Any, via: str, **fields: Any) -> CannedAnswer:
    """Change a canned answer; moving it to another team needs the right to keep both."""
    unknown = set(fields) - ANSWER_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    _ensure_can_keep(by, answer.team)
    if "team" in fields:
        _ensure_can_keep(by, fields["team"])
    if "body" in fields:
        _check_body(fields["body"])
    with audit.change(answer, by=by, via=via):
        for name, value in fields.items():
            setattr(answer, name, value.strip() if isinstance(value, str) else value)
        if "team" in fields:
            answer.organization_id = answer.team.organization_id if answer.team else by.organization_id
        answer.full_clean()
        answer.save()
    return answer


def canned_answer_render(answer: CannedAnswer, ticket: Ticket, *, agent: Any = None) -> str:
    """The answer's text for a case, its placeholders filled; `agent` defaults to the case's assignee."""
    agent = agent or ticket.assignee
    values = {
        "caller_first_name": ticket.caller.first_name,
        "caller_name": ticket.caller.full_name,
        "case_number": f"#{ticket.pk}",
        "agent_name": agent.full_name if agent is not None else "",
    }
    return _PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), answer.body)
