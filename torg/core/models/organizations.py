from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from torg.core.querysets import DepartmentQuerySet, LocationQuerySet, OrganizationQuerySet
from torg.core.validators import validate_municipality_code, validate_organization_number


class Organization(models.Model):
    """A tenant: a member municipality, or the provider that runs the desk for its members."""

    class Kind(models.TextChoices):
        PROVIDER = "provider", _("Provider")
        MEMBER = "member", _("Member")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.MEMBER)
    provider = models.ForeignKey(
        "self",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": "provider"},
    )
    organization_number = models.CharField(
        _("organization number"), max_length=9, unique=True, validators=[validate_organization_number]
    )
    municipality_code = models.CharField(
        _("municipality number"), max_length=4, blank=True, validators=[validate_municipality_code]
    )
    language = models.CharField(
        _("administrative language"), max_length=8, choices=settings.LANGUAGES, default="nb"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"]), models.Index(Lower("name"), name="org_name_lower")]

    def __str__(self) -> str:
        return self.name

    @property
    def organization(self) -> Organization:
        """An organization owns itself, so tenancy code can treat it like any tenant row."""
        return self

    @property
    def municipality(self):
        from torg.core.municipalities import municipalities

        return municipalities().get(self.municipality_code)


class Department(models.Model):
    """A unit in an organization's tree (sector, unit, section); `path` holds the ids from the root."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="departments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"), max_length=40, blank=True, help_text=_("The code used in the HR system.")
    )
    path = models.CharField(max_length=1000, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["organization", "name", "id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"],
                condition=~models.Q(code=""),
                name="department_code_unique_per_organization",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]


class Location(models.Model):
    """A place where an organization works: a school, a nursing home, a town hall, an office."""

    class Kind(models.TextChoices):
        TOWN_HALL = "town_hall", _("Town hall")
        SCHOOL = "school", _("School")
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        NURSING_HOME = "nursing_home", _("Nursing home")
        HEALTH = "health", _("Health centre")
        OFFICE = "office", _("Office")
        DEPOT = "depot", _("Depot")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OFFICE)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["organization", "name", "id"]), models.Index(fields=["name", "id"])]

    def __str__(self) -> str:
        return self.name
