"""Keyboard shortcuts of the workspace. This one list draws the help page and the `data-shortcut` attributes
that desk.js listens for; none is a single key without a modifier (WCAG 2.1.4)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from torg.core.views.workspace import workspace


@dataclass(frozen=True)
class Shortcut:
    name: str  # what templates call it: keys.<name>
    key: str  # the letter, pressed with Alt and Shift
    action: str | Promise
    where: str | Promise

    @property
    def keys(self) -> str:
        """As desk.js compares it and as the page shows it."""
        return f"Alt+Shift+{self.key}"


SHORTCUTS = [
    Shortcut("queues", "Q", _("Go to the case queues"), _("Everywhere in the case workspace")),
    Shortcut("new_case", "N", _("Register a new case"), _("Everywhere in the case workspace")),
    Shortcut("search", "S", _("Search cases"), _("Everywhere in the case workspace")),
    Shortcut("reply", "R", _("Go to the reply box"), _("On a case")),
    Shortcut("help", "H", _("List the keyboard shortcuts"), _("Everywhere in the case workspace")),
]
KEYS = {shortcut.name: shortcut for shortcut in SHORTCUTS}


@workspace
def shortcut_list(request: HttpRequest) -> HttpResponse:
    from torg.desk.views.common import render_desk

    return render_desk(request, "desk/shortcuts.html", {"shortcuts": SHORTCUTS})
