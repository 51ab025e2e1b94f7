from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InstallationPage(models.Model):
    """A page of the installation an administrator writes, such as the accessibility statement."""

    class Slug(models.TextChoices):
        ACCESSIBILITY = "accessibility", _("Accessibility statement")

    slug = models.CharField(max_length=40, choices=Slug.choices)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=50_000, help_text=_("Markdown."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("installation page")
        verbose_name_plural = _("installation pages")
        constraints = [models.UniqueConstraint(fields=["slug", "language"], name="installation_page_unique")]

    def __str__(self) -> str:
        return self.title
