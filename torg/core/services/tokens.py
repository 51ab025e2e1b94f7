"""API tokens: created for a person, shown once, stored as a digest, revocable by owner and administrators."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from torg.core import audit
from torg.core.models import ApiToken, Person

TOKEN_PREFIX = "torg_"  # noqa: S105 (a prefix, not a secret)
LAST_USED_PRECISION = timedelta(minutes=1)


def _digest(secret: str) -> str:
    # The secret is 256 random bits, so a plain SHA-256 is enough; a slow hash would only slow every request.
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, person: Person, name: str, by: Any, via: str) -> tuple[ApiToken, str]:
    """Create a token for a person; the secret is returned once and never stored."""
    if person.pk != getattr(by, "pk", None) and not getattr(by, "is_administrator", False):
        raise PermissionDenied(_("Only an administrator may create a token for someone else."))
    if not person.is_active:
        raise ValidationError(_("%(name)s is deactivated.") % {"name": person.full_name})
    name = name.strip() or _("API token")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person, name=name[:100], prefix=secret[:12], digest=_digest(secret)
    )
    audit.record(
        person, action=audit.Action.TOKEN_CREATE, by=by, via=via, changes={"token": [None, str(token)]}
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, by: Any, via: str) -> ApiToken:
    """Revoke a token at once; its owner or an administrator may."""
    if token.person_id != getattr(by, "pk", None) and not getattr(by, "is_administrator", False):
        raise PermissionDenied(_("You may not revoke this token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            token.person,
            action=audit.Action.TOKEN_REVOKE,
            by=by,
            via=via,
            changes={"token": [str(token), None]},
        )
    return token


def token_authenticate(secret: str) -> Person | None:
    """The active person a bearer secret belongs to, or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.live().select_related("person__organization").filter(digest=_digest(secret)).first()
    )
    if token is None or not token.person.organization.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person
