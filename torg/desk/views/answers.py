"""Canned answers: a list, a form to write one and to change it, for administrators and team leads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from torg.core.models import Channel, Role
from torg.core.views.generic import form_errors_from
from torg.core.views.workspace import workspace
from torg.desk.forms import CannedAnswerForm
from torg.desk.services.workspace import (
    canned_answer_create,
    canned_answer_update,
    canned_answers_kept_by,
)
from torg.desk.views.common import render_desk


def _ensure_keeper(request: HttpRequest) -> None:
    user = request.user
    if not (user.is_administrator or user.has_role(Role.TEAM_LEAD)):
        raise PermissionDenied(_("Canned answers are kept by administrators and team leads."))


@workspace
def answer_list(request: HttpRequest) -> HttpResponse:
    _ensure_keeper(request)
    answers = canned_answers_kept_by(request.user).order_by("title", "id")[:500]
    return render_desk(request, "desk/answer_list.html", {"answers": answers})


@workspace
def answer_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _ensure_keeper(request)
    answer = get_object_or_404(canned_answers_kept_by(request.user), pk=pk) if pk else None
    initial = {"language": request.user.preferred_language}
    if answer is not None:
        initial = {name: getattr(answer, name) for name in ("title", "body", "language", "team", "is_active")}
    form = CannedAnswerForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if answer is None:
                canned_answer_create(by=request.user, via=Channel.PAGE, **form.cleaned_data)
            else:
                canned_answer_update(answer=answer, by=request.user, via=Channel.PAGE, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("desk:answer_list")
    return render_desk(
        request, "desk/answer_form.html", {"form": form, "answer": answer}, status=400 if form.errors else 200
    )
