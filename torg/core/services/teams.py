"""Teams of agents at the provider and the organizations they serve."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from torg.core import audit
from torg.core.models import Organization, Person, Team, TeamMembership
from torg.core.permissions import ensure_can_manage
from torg.core.services.base import ensure_visible, save_changes, save_new, set_active


def _check_served(team: Team, served: Iterable[Organization]) -> list[Organization]:
    served = list(served)
    foreign = [
        org.name
        for org in served
        if org.pk != team.organization_id and org.provider_id != team.organization_id
    ]
    if foreign:
        raise ValidationError(
            {
                "served_organizations": _("%(names)s is not served by this provider.")
                % {"names": ", ".join(foreign)}
            }
        )
    return served


def _names(objects: Iterable[Any]) -> list[str]:
    return sorted(str(obj) for obj in objects)


@transaction.atomic
def team_create(
    *,
    organization: Organization,
    by: Any,
    via: str,
    served_organizations: Iterable[Organization] = (),
    **fields: Any,
) -> Team:
    """Add a team to the provider, serving the chosen organizations."""
    if organization.kind != Organization.Kind.PROVIDER:
        raise ValidationError({"organization": _("Teams belong to the provider.")})
    team = Team(organization=organization, **fields)
    served = _check_served(team, served_organizations)
    save_new(team, by=by, via=via, kind="team")
    team.served_organizations.set(served)
    if served:
        audit.record(
            team,
            action=audit.Action.UPDATE,
            by=by,
            via=via,
            changes={"served_organizations": [[], _names(served)]},
        )
    return team


@transaction.atomic
def team_update(
    *,
    team: Team,
    by: Any,
    via: str,
    served_organizations: Iterable[Organization] | None = None,
    **fields: Any,
) -> Team:
    """Change a team's name, function, e-mail or the organizations it serves."""
    save_changes(team, fields, by=by, via=via, kind="team")
    if served_organizations is not None:
        served = _check_served(team, served_organizations)
        before = _names(team.served_organizations.all())
        if before != _names(served):
            team.served_organizations.set(served)
            audit.record(
                team,
                action=audit.Action.UPDATE,
                by=by,
                via=via,
                changes={"served_organizations": [before, _names(served)]},
            )
    return team


@transaction.atomic
def team_set_members(
    *, team: Team, members: Iterable[Person], leads: Iterable[Person], by: Any, via: str
) -> Team:
    """Replace a team's members and leads (a lead is always a member)."""
    ensure_can_manage(by, "team", team.organization_id)
    leads = {person.pk: person for person in leads}
    wanted = {person.pk: person for person in members} | leads
    outsiders = [
        p.full_name for p in wanted.values() if p.organization_id != team.organization_id or not p.is_active
    ]
    if outsiders:
        raise ValidationError(
            {
                "members": _("%(names)s is not an active employee of the provider.")
                % {"names": ", ".join(sorted(outsiders))}
            }
        )
    current = {m.person_id: m for m in team.memberships.select_related("person")}
    before = {
        "members": _names(m.person for m in current.values()),
        "leads": _names(m.person for m in current.values() if m.is_lead),
    }
    team.memberships.exclude(person_id__in=wanted).delete()
    for pk, person in wanted.items():
        membership = current.get(pk) or TeamMembership(team=team, person=person)
        if membership.pk is None or membership.is_lead != (pk in leads):
            membership.is_lead = pk in leads
            membership.save()
    after = {"members": _names(wanted.values()), "leads": _names(leads.values())}
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changes:
        audit.record(team, action=audit.Action.UPDATE, by=by, via=via, changes=changes)
    ensure_visible(team, by)
    return team


@transaction.atomic
def team_set_active(*, team: Team, active: bool, by: Any, via: str) -> Team:
    """Deactivate a team (its members lose the reach it gave) or bring it back."""
    return set_active(team, active, by=by, via=via, kind="team")
