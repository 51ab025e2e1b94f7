"""What the workspace's case pages share: the shortcut keys in every context, loading a case, messages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from torg.core.models import Role
from torg.desk.masking import contains_identity_number
from torg.desk.models import Ticket
from torg.desk.views.shortcuts import KEYS


def render_desk(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    user = request.user
    keeps_answers = user.is_administrator or user.has_role(Role.TEAM_LEAD)
    return render(request, template, {"keys": KEYS, "keeps_answers": keeps_answers, **context}, status=status)


def visible_ticket(request: HttpRequest, pk: int, *related: str) -> Ticket:
    """A case the user can see, or 404 — the same answer for another organization's case as for a missing one."""
    return get_object_or_404(Ticket.objects.visible_to(request.user).select_related(*related), pk=pk)


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def masking_notice(request: HttpRequest) -> None:
    """Tell the agent when an identity number was masked in anything they wrote or uploaded, and why."""
    texts = [
        value for key in request.POST if key != "csrfmiddlewaretoken" for value in request.POST.getlist(key)
    ]
    texts += [upload.name for key in request.FILES for upload in request.FILES.getlist(key)]
    if any(contains_identity_number(text or "") for text in texts):
        messages.warning(
            request,
            _(
                "A personal identity number (fødselsnummer or D-number) was masked: its last five digits were replaced "
                "with asterisks. A case never needs one, and the law asks us to store them only where they are needed."
            ),
        )


def local_next(request: HttpRequest, fallback: str) -> str:
    """The `next` address of a form, if it is on this site; else `fallback`."""
    target = request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
