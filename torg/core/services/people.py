"""People: the employees of the organizations, with or without a login."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from torg.core import audit
from torg.core.models import Organization, Person
from torg.core.permissions import ensure_can_manage
from torg.core.services.base import ensure_same_organization, save_changes, save_new, set_active


def _prepare(person: Person) -> Person:
    ensure_same_organization(person.organization_id, department=person.department, location=person.location)
    person.email = person.email.strip()
    person.search_text = person.compute_search_text()
    if person.username == "":
        person.username = None
    return person


@transaction.atomic
def person_create(*, organization: Organization, by: Any, via: str, **fields: Any) -> Person:
    """Register a person; they get a login only when a username and password are set."""
    person = _prepare(Person(organization=organization, **fields))
    person.set_unusable_password()
    return save_new(person, by=by, via=via, kind="person")


@transaction.atomic
def person_update(*, person: Person, by: Any, via: str, **fields: Any) -> Person:
    """Change a person's details; the organization stays (a move between employers is a new person)."""
    if "organization" in fields and fields["organization"] != person.organization:
        raise ValidationError({"organization": _("A person cannot move to another organization.")})
    return save_changes(person, fields, by=by, via=via, kind="person", prepare=_prepare)


@transaction.atomic
def person_set_active(*, person: Person, active: bool, by: Any, via: str) -> Person:
    """Deactivate a person (no sign-in, no API) or bring them back."""
    if person.pk == getattr(by, "pk", None) and not active:
        raise ValidationError(_("You cannot deactivate yourself."))
    return set_active(person, active, by=by, via=via, kind="person")


@transaction.atomic
def person_set_language(*, person: Person, language: str, by: Any, via: str) -> Person:
    """A person's own choice of language; empty follows the organization."""
    if person.pk != getattr(by, "pk", None):
        ensure_can_manage(by, "person", person.organization_id)
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    with audit.change(person, by=by, via=via):
        person.language = language
        person.save(update_fields=["language", "updated_at"])
    return person


@transaction.atomic
def person_set_login(*, person: Person, username: str, password: str, by: Any, via: str) -> Person:
    """Give a person a login (or a new password); the password itself is never logged."""
    if not getattr(by, "is_administrator", False) and person.pk != getattr(by, "pk", None):
        raise PermissionDenied(_("Only an administrator may set another person's login."))
    validate_password(password, user=person)
    with audit.change(person, by=by, via=via) as extra:
        person.username = username.strip() or None
        person.set_password(password)
        person.full_clean(exclude=["password"])
        person.save(update_fields=["username", "password", "updated_at"])
        extra["password"] = ["", _("changed")]
    return person
