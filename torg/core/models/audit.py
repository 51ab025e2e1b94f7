from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from torg.core.querysets import AuditEntryQuerySet


class Channel(models.TextChoices):
    PAGE = "page", _("Page")
    API = "api", _("API")
    EMAIL = "email", _("E-mail")
    IMPORT = "import", _("Import")
    JOB = "job", _("Background job")
    COMMAND = "command", _("Command line")
    ADMIN = "admin", _("Admin site")


class AuditEntry(models.Model):
    """Who changed what, when, through which channel, from which value to which."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DEACTIVATE = "deactivate", _("Deactivated")
        REACTIVATE = "reactivate", _("Reactivated")
        MOVE = "move", _("Moved")
        IMPORT = "import", _("Imported")
        EXPORT = "export", _("Exported")
        SIGN_IN = "sign_in", _("Signed in")
        TOKEN_CREATE = "token_create", _("API token created")
        TOKEN_REVOKE = "token_revoke", _("API token revoked")

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    action = models.CharField(max_length=16, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField(null=True, blank=True)
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-id"]),
            models.Index(fields=["organization", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"
