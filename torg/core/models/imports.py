from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torg.core.querysets import ImportRunQuerySet


class ImportRun(models.Model):
    """One upload of an HR system's CSV export of people and departments, and its report."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        REJECTED = "rejected", _("Rejected: nothing imported")
        DONE = "done", _("Imported")

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="import_runs"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name
