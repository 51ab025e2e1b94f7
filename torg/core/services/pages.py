"""Pages of the installation that an administrator writes, such as the accessibility statement."""

from __future__ import annotations

from typing import Any

import nh3
from django.db import transaction
from markdown_it import MarkdownIt

from torg.core import audit
from torg.core.models import InstallationPage, Organization
from torg.core.permissions import ensure_can_manage

_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to show: raw HTML is not passed through, and the result is sanitised."""
    return nh3.clean(_markdown.render(text), link_rel="noopener noreferrer")


@transaction.atomic
def installation_page_save(
    *, slug: str, language: str, title: str, body: str, by: Any, via: str
) -> InstallationPage:
    """Write one language's version of an installation page."""
    ensure_can_manage(by, "page")
    page = InstallationPage.objects.filter(slug=slug, language=language).first()
    provider = Organization.objects.providers().order_by("pk").first()
    organization_id = provider.pk if provider else by.organization_id
    if page is None:
        page = InstallationPage(slug=slug, language=language, title=title, body=body)
        page.full_clean()
        page.save()
        audit.record(
            page,
            action=audit.Action.CREATE,
            by=by,
            via=via,
            organization_id=organization_id,
            changes={"title": [None, title]},
        )
        return page
    before = audit.snapshot(page)
    page.title, page.body = title, body
    page.full_clean()
    page.save()
    changes = audit.diff(before, audit.snapshot(page))
    if changes:
        audit.record(
            page, action=audit.Action.UPDATE, by=by, via=via, organization_id=organization_id, changes=changes
        )
    return page
