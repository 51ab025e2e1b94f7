from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from torg.core.querysets import PersonQuerySet, RoleGrantQuerySet, Scope


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    AGENT = "agent", _("Agent")
    TEAM_LEAD = "team_lead", _("Team lead")
    SERVICE_OWNER = "service_owner", _("Service owner")
    CHANGE_MANAGER = "change_manager", _("Change manager")
    CUSTOMER_MANAGER = "customer_manager", _("Customer manager")
    ADMINISTRATOR = "administrator", _("Administrator")


GRANTED_ROLES = (Role.SERVICE_OWNER, Role.CHANGE_MANAGER, Role.CUSTOMER_MANAGER, Role.ADMINISTRATOR)
STAFF_ROLES = frozenset(
    {
        Role.AGENT,
        Role.TEAM_LEAD,
        Role.SERVICE_OWNER,
        Role.CHANGE_MANAGER,
        Role.CUSTOMER_MANAGER,
        Role.ADMINISTRATOR,
    }
)


class PersonManager(BaseUserManager.from_queryset(PersonQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def get_by_natural_key(self, username: str) -> Person:
        return self.get(username=username)


class Person(AbstractBaseUser, PermissionsMixin):
    """Someone who works in an organization; may or may not have a login."""

    organization = models.ForeignKey(
        "core.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="people"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    employee_number = models.CharField(_("employee number"), max_length=40, blank=True)
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    location = models.ForeignKey(
        "core.Location",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty to use the organization's language."),
    )
    username = models.CharField(_("username"), max_length=150, unique=True, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the operators' admin site"), default=False)
    search_text = models.CharField(max_length=600, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = PersonManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"]),
            models.Index(fields=["organization", "last_name", "first_name", "id"]),
            models.Index(fields=["phone"]),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="person_email_unique_ci"
            ),
            models.UniqueConstraint(
                fields=["organization", "employee_number"],
                condition=~models.Q(employee_number=""),
                name="person_employee_number_unique_per_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def has_login(self) -> bool:
        return bool(self.username) and self.has_usable_password()

    @property
    def preferred_language(self) -> str:
        return self.language or self.organization.language

    def compute_search_text(self) -> str:
        parts = [
            self.first_name,
            self.last_name,
            self.email,
            self.phone.replace(" ", ""),
            self.employee_number,
        ]
        return " ".join(part for part in parts if part).lower()[:600]

    # Roles and reach. Both are read many times per request and cached on the instance.

    @cached_property
    def roles(self) -> frozenset[str]:
        roles = {Role.EMPLOYEE}
        if not self.is_active or not self.pk:
            return frozenset(roles)
        for _team_id, is_lead in self._memberships:
            roles.add(Role.AGENT)
            if is_lead:
                roles.add(Role.TEAM_LEAD)
        roles.update(role for role, _org in self._grants)
        return frozenset(roles)

    @cached_property
    def _memberships(self) -> list[tuple[int, bool]]:
        if not self.is_active or not self.pk:
            return []
        return list(self.team_memberships.filter(team__is_active=True).values_list("team_id", "is_lead"))

    @property
    def team_ids(self) -> list[int]:
        """The active teams this person is on (read once per request, with the roles)."""
        return [team_id for team_id, _lead in self._memberships]

    @cached_property
    def _grants(self) -> list[tuple[str, int]]:
        return list(self.role_grants.values_list("role", "organization_id"))

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def is_administrator(self) -> bool:
        return Role.ADMINISTRATOR in self.roles

    @property
    def is_workspace_user(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @cached_property
    def scope(self) -> Scope:
        return Scope.of(self)

    def served_organization_ids(self) -> frozenset[int]:
        return self.scope.full_ids

    def serves(self, organization_id: int) -> bool:
        return self.scope.sees_all or organization_id in self.scope.full_ids

    def managed_organization_ids(self) -> frozenset[int]:
        if not self.pk:
            return frozenset()
        return frozenset(org for role, org in self._grants if role == Role.CUSTOMER_MANAGER)


class RoleGrant(models.Model):
    """A role given to a person outside team membership; a customer manager's names one organization."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=[(r.value, r.label) for r in GRANTED_ROLES])
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="role_grants",
        help_text=_("For a customer manager: the organization they follow."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["person", "role", "organization"], name="role_grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.organization})"
