"""Service level agreements: the one write path for agreements and their targets per priority."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from torg.core import audit
from torg.core.models import Organization
from torg.core.permissions import ensure_can_manage
from torg.core.services.base import save_changes, save_new, set_active
from torg.desk.models import Priority
from torg.sla.models import Agreement, AgreementTarget
from torg.sla.services.recompute import Before, recompute_later
from torg.sla.timers import hours_of, whole_second

# What decides which cases an agreement governs and how their time counts; a change moves deadlines.
GOVERNING_FIELDS = ("category_id", "kind", "calendar_id", "is_active")

# A target longer than a year is a typing error, not a promise.
MAX_TARGET_MINUTES = 365 * 24 * 60

Targets = Mapping[int, tuple[int, int]]


def _check(agreement: Agreement, *, before: Mapping[str, Any] | None = None) -> None:
    """The customer, category and calendar must fit together; errors name their fields.

    On a change (`before`: the governing fields as they were) only what changed is checked again, so that
    a calendar deactivated since does not keep the agreement from being renamed."""
    organization = agreement.organization
    errors: dict[str, str] = {}
    if before is None and organization.kind != Organization.Kind.MEMBER:
        errors["organization"] = _("Choose a customer organization; a provider has no agreements.")
    category = agreement.category
    new_category = category is not None and (before is None or before["category_id"] != category.pk)
    if new_category and category.organization_id not in {organization.provider_id, organization.pk}:
        errors["category"] = _("Choose a category of this organization's provider.")
    calendar = agreement.calendar
    if calendar is not None and (before is None or before["calendar_id"] != calendar.pk):
        if organization.provider_id is None:
            errors["calendar"] = _(
                "%(organization)s has no provider, so no calendar applies; leave it empty."
            ) % {"organization": organization}
        elif calendar.organization_id != organization.provider_id:
            errors["calendar"] = _(
                "Choose a calendar of %(provider)s, the provider that serves %(organization)s."
            ) % {"provider": organization.provider, "organization": organization}
        elif not calendar.is_active:
            errors["calendar"] = _("This calendar is deactivated.")
        elif not calendar.is_24_7 and not calendar.spans.exists():
            errors["calendar"] = _("This calendar has no opening hours yet.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_create(*, by: Any, via: str, **fields: Any) -> Agreement:
    """Promise a customer organization response and resolution times; the targets are set next."""
    agreement = Agreement(**fields)
    if agreement.organization_id is None:
        raise ValidationError({"organization": _("Choose the customer organization.")})
    # The role first: someone who may not keep this organization's agreements learns nothing of its data.
    ensure_can_manage(by, "agreement", agreement.organization_id)
    _check(agreement)
    agreement = save_new(agreement, by=by, via=via, kind="agreement")
    recompute_later(organization_id=agreement.organization_id)
    return agreement


@transaction.atomic
def agreement_update(*, agreement: Agreement, by: Any, via: str, **fields: Any) -> Agreement:
    """Rename an agreement or change what it covers and its calendar; it stays with its organization."""
    if "organization" in fields and fields["organization"].pk != agreement.organization_id:
        raise ValidationError({"organization": _("An agreement stays with its organization.")})
    ensure_can_manage(by, "agreement", agreement.organization_id)
    before, calendar = {name: getattr(agreement, name) for name in GOVERNING_FIELDS}, agreement.calendar
    agreement = save_changes(
        agreement, fields, by=by, via=via, kind="agreement", prepare=lambda a: _check(a, before=before)
    )
    if agreement.calendar_id != before["calendar_id"]:
        # The time its cases used so far stays measured on the calendar it was used under.
        until_now = Before(hours_of(calendar), whole_second(timezone.now()), agreement_id=agreement.pk)
        recompute_later(organization_id=agreement.organization_id, before=until_now)
    elif any(getattr(agreement, name) != value for name, value in before.items()):
        recompute_later(organization_id=agreement.organization_id)
    return agreement


@transaction.atomic
def agreement_set_active(*, agreement: Agreement, active: bool, by: Any, via: str) -> Agreement:
    """Deactivate an agreement (its cases fall to the next one that fits) or bring it back."""
    was = agreement.is_active
    agreement = set_active(agreement, active, by=by, via=via, kind="agreement")
    if agreement.is_active != was:
        recompute_later(organization_id=agreement.organization_id)
    return agreement


def agreement_targets(agreement: Agreement) -> dict[int, tuple[int, int]]:
    """{priority: (response minutes, resolution minutes)}, read from prefetched targets."""
    return {t.priority: (t.response_minutes, t.resolution_minutes) for t in agreement.targets.all()}


def _minutes_ok(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_TARGET_MINUTES


def _parse_targets(targets: Targets) -> dict[int, tuple[int, int]]:
    parsed, errors = {}, {}
    if set(targets) - set(Priority.values):
        errors["targets"] = _("Priorities are numbered 1 (critical) to 4 (low).")
    for priority in Priority.values:
        if priority not in targets:
            continue
        response, resolution = targets[priority]
        if not _minutes_ok(resolution):
            errors[f"resolution_{priority}"] = _("Give a resolution time above zero and at most a year.")
        if not _minutes_ok(response):
            errors[f"response_{priority}"] = _("Give a response time above zero and at most a year.")
        elif _minutes_ok(resolution) and response > resolution:
            errors[f"response_{priority}"] = _("The response time cannot be longer than the resolution time.")
        if not errors:
            parsed[priority] = (response, resolution)
    if errors:
        raise ValidationError(errors)
    return parsed


@transaction.atomic
def agreement_set_targets(*, agreement: Agreement, targets: Targets, by: Any, via: str) -> Agreement:
    """Replace the targets of priorities 1–4 (one left out has none); nothing changes if any is wrong."""
    ensure_can_manage(by, "agreement", agreement.organization_id)
    parsed = _parse_targets(targets)
    # Lock the agreement so two editors do not interleave their deletes and inserts.
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    if hasattr(agreement, "_prefetched_objects_cache"):
        agreement._prefetched_objects_cache.pop("targets", None)
    before = agreement_targets(agreement)
    if parsed == before:
        return agreement
    agreement.targets.all().delete()
    for priority, (response, resolution) in sorted(parsed.items()):
        target = AgreementTarget(
            agreement=agreement, priority=priority, response_minutes=response, resolution_minutes=resolution
        )
        target.full_clean()
        target.save()
    changes = {"targets": [targets_text(before), targets_text(parsed)]}
    audit.record(agreement, action=audit.Action.UPDATE, by=by, via=via, changes=changes)
    recompute_later(organization_id=agreement.organization_id)
    return agreement


def duration_text(minutes: int) -> str:
    """90 → "1 h 30 min": a target as a reader says it, in the active language."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(minutes)s min") % {"minutes": rest}


def targets_text(targets: Mapping[int, tuple[int, int]]) -> str:
    """The targets for the history, in the installation's language, as the audit log keeps its values."""
    with translation.override(settings.LANGUAGE_CODE):
        return "; ".join(
            _("%(priority)s: response %(response)s, resolution %(resolution)s")
            % {
                "priority": Priority(priority).label,
                "response": duration_text(response),
                "resolution": duration_text(resolution),
            }
            for priority, (response, resolution) in sorted(targets.items())
        )
