"""`torg token create|list|revoke`: API tokens from the command line, as the person themself."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from torg.core.management.commands.demo import table
from torg.core.models import ApiToken, Channel, Person
from torg.core.services import tokens


def find_person(who: str) -> Person:
    people = list(Person.objects.filter(Q(username=who) | Q(email__iexact=who))[:2])
    if len(people) != 1:
        raise CommandError(
            f"No one has the username or e-mail {who!r}." if not people else f"{who!r} is ambiguous."
        )
    return people[0]


def when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "–"


class Command(BaseCommand):
    help = "Create, list and revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="create|list|revoke")
        create = actions.add_parser("create", help="create a token for a person and print its secret once")
        create.add_argument("user", help="username or e-mail")
        create.add_argument("--name", default="", help="what the token is for, e.g. the integration's name")
        listing = actions.add_parser("list", help="list a person's tokens")
        listing.add_argument("user", help="username or e-mail")
        revoke = actions.add_parser("revoke", help="revoke a token at once")
        revoke.add_argument("id", type=int, help="the token's number, as shown by list")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error

    def _create(self, options: dict[str, Any]) -> None:
        person = find_person(options["user"])
        token, secret = tokens.token_create(
            person=person, name=options["name"], by=person, via=Channel.COMMAND
        )
        self.stderr.write(
            f"Token {token.pk} ({token.name}) for {person.full_name}. It is shown only this once:"
        )
        self.stdout.write(secret)

    def _list(self, options: dict[str, Any]) -> None:
        person = find_person(options["user"])
        rows = [
            (str(t.pk), t.name, f"{t.prefix}…", when(t.created_at), when(t.last_used_at), when(t.revoked_at))
            for t in ApiToken.objects.filter(person=person).order_by("pk")
        ]
        if not rows:
            self.stdout.write(f"{person.full_name} has no API tokens.")
            return
        self.stdout.write(table(("Id", "Name", "Starts with", "Created", "Last used", "Revoked"), rows))

    def _revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.select_related("person").filter(pk=options["id"]).first()
        if token is None:
            raise CommandError(f"There is no token {options['id']}.")
        already = token.revoked_at is not None
        tokens.token_revoke(token=token, by=token.person, via=Channel.COMMAND)
        self.stdout.write(
            f"Token {token.pk} ({token.name}) of {token.person.full_name} "
            + ("was revoked already." if already else "is revoked.")
        )
