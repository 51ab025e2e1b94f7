"""`torg createadmin`: the provider organization and its first administrator, on a new installation."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q

from torg.core import audit
from torg.core.models import Channel, Organization, Person, Role, RoleGrant


def read_password() -> str:
    if password := os.environ.get("TORG_ADMIN_PASSWORD"):
        return password
    if not sys.stdin.isatty():
        raise CommandError("Set TORG_ADMIN_PASSWORD, or run the command in a terminal to type the password.")
    password = getpass.getpass("Password: ")
    if password != getpass.getpass("Password again: "):
        raise CommandError("The passwords differ.")
    return password


def errors(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Create the provider organization (unless it exists) and its first administrator. "
        "The password comes from TORG_ADMIN_PASSWORD or is asked for."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provider-name", required=True, help="e.g. Vestland IKT-samarbeid")
        parser.add_argument("--organization-number", required=True, help="the provider's nine digits")
        parser.add_argument(
            "--language", default="nb", choices=["nb", "nn", "en"], help="the provider's language"
        )
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        taken = Person.objects.filter(Q(username=options["username"]) | Q(email__iexact=options["email"]))
        if taken.exists():
            raise CommandError("Someone has this username or e-mail already.")
        password = read_password()
        try:
            person = self._create(options, password)
        except ValidationError as error:
            raise CommandError(errors(error)) from error
        self.stdout.write(
            f"{person.full_name} ({person.username}) is an administrator of {person.organization}."
        )

    # Bootstrapping: there is no one yet to act, so the rows are written here with actorless audit entries.
    @transaction.atomic
    def _create(self, options: dict[str, Any], password: str) -> Person:
        number = options["organization_number"].replace(" ", "")
        provider = Organization.objects.filter(organization_number=number).first()
        if provider is None:
            provider = Organization(
                name=options["provider_name"].strip(),
                kind=Organization.Kind.PROVIDER,
                organization_number=number,
                language=options["language"],
            )
            provider.full_clean()
            provider.save()
            audit.created(provider, by=None, via=Channel.COMMAND)
        elif provider.kind != Organization.Kind.PROVIDER:
            raise CommandError(f"{provider} ({number}) is a member organization, not a provider.")
        person = Person(
            organization=provider,
            username=options["username"].strip(),
            email=options["email"].strip(),
            first_name=options["first_name"].strip(),
            last_name=options["last_name"].strip(),
            is_staff=True,
            is_superuser=True,
        )
        validate_password(password, user=person)
        person.set_password(password)
        person.search_text = person.compute_search_text()
        person.full_clean()
        person.save()
        audit.created(person, by=None, via=Channel.COMMAND)
        grant = RoleGrant(person=person, role=Role.ADMINISTRATOR, organization=provider)
        grant.full_clean()
        grant.save()
        audit.created(grant, by=None, via=Channel.COMMAND)
        return person
