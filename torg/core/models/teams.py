from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from torg.core.querysets import TeamQuerySet


class Team(models.Model):
    """A group of agents at the provider (1st line, 2nd line, HR …) serving a chosen set of organizations."""

    class Function(models.TextChoices):
        IT = "it", _("IT")
        HR = "hr", _("HR")
        FINANCE = "finance", _("Finance")
        FACILITIES = "facilities", _("Facilities")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(
        "core.Organization", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=16, choices=Function.choices, default=Function.IT)
    email = models.EmailField(_("e-mail"), blank=True)
    served_organizations = models.ManyToManyField(
        "core.Organization", verbose_name=_("serves"), related_name="serving_teams", blank=True
    )
    members = models.ManyToManyField(
        "core.Person", through="TeamMembership", related_name="teams", verbose_name=_("members")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"])]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="team_name_unique")]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    """An agent's place on a team; the lead is a member too."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey("core.Person", on_delete=models.CASCADE, related_name="team_memberships")
    is_lead = models.BooleanField(_("lead"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="team_membership_unique")]

    def __str__(self) -> str:
        return f"{self.person} – {self.team}"
