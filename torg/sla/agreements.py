"""Which agreement governs a case: the most specific active agreement of the case's organization."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from torg.sla.models import Agreement

if TYPE_CHECKING:
    from torg.desk.models import Ticket


def _specificity(agreement: Agreement) -> tuple[int, int]:
    # Category and kind beats category beats kind beats organization-wide; the oldest agreement breaks a tie.
    return (-(2 * (agreement.category_id is not None) + (agreement.kind != "")), agreement.pk)


def candidates_of(organization_ids: Iterable[int]) -> dict[int, list[Agreement]]:
    """The active agreements of some organizations with their targets, per organization: one read for many cases."""
    found: dict[int, list[Agreement]] = {pk: [] for pk in organization_ids}
    agreements = (
        Agreement.objects.filter(organization_id__in=found, is_active=True)
        .select_related("organization", "category", "calendar")
        .prefetch_related("targets", "calendar__spans", "calendar__special_days")
        .order_by("id")
    )
    for agreement in agreements:
        found[agreement.organization_id].append(agreement)
    return found


def agreement_for(
    ticket: Ticket, candidates: Iterable[Agreement] | None = None
) -> tuple[Agreement | None, str]:
    """The agreement that applies to a case and why, in the active language; (None, why not) if none.

    `candidates` are the active agreements of the case's organization when already read (`candidates_of`)."""
    if candidates is None:
        candidates = candidates_of([ticket.organization_id])[ticket.organization_id]
    candidates = [
        agreement
        for agreement in candidates
        if agreement.category_id in (None, ticket.category_id) and agreement.kind in ("", ticket.kind)
    ]
    if not candidates:
        return None, _("No active agreement covers this case.")
    agreement = min(candidates, key=_specificity)
    params = {
        "organization": agreement.organization,
        "category": agreement.category,
        "kind": agreement.get_kind_display(),
    }
    if agreement.category_id and agreement.kind:
        reason = _("%(organization)s: category %(category)s, kind %(kind)s") % params
    elif agreement.category_id:
        reason = _("%(organization)s: category %(category)s") % params
    elif agreement.kind:
        reason = _("%(organization)s: kind %(kind)s") % params
    else:
        reason = _("%(organization)s: all cases") % params
    return agreement, reason
