"""Which agreement governs a case: the most specific active agreement of the case's organization."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from torg.sla.models import Agreement

if TYPE_CHECKING:
    from torg.desk.models import Ticket


def _specificity(agreement: Agreement) -> tuple[int, int]:
    # Category and kind beats category beats kind beats organization-wide; the oldest agreement breaks a tie.
    return (-(2 * (agreement.category_id is not None) + (agreement.kind != "")), agreement.pk)


def agreement_for(ticket: Ticket) -> tuple[Agreement | None, str]:
    """The agreement that applies to a case and why, in the active language; (None, why not) if none."""
    candidates = [
        agreement
        for agreement in Agreement.objects.filter(organization_id=ticket.organization_id, is_active=True)
        .select_related("organization", "category", "calendar")
        .order_by("id")
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
