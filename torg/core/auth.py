"""Sign-in with username or e-mail, and throttling of failed attempts."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpRequest

from torg.core.models import Person


class UsernameOrEmailBackend(ModelBackend):
    """Authenticate a person by username or e-mail (case-insensitive) and password."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Person | None:
        if not username or not password:
            return None
        name = username.strip()
        person = (
            Person.objects.select_related("organization")
            .filter(Q(username=name) | Q(email__iexact=name), username__isnull=False)
            .order_by("pk")
            .first()
        )
        if person is None:
            Person().set_password(password)  # same work as a real check, so timing does not tell who exists
            return None
        if person.check_password(password) and self.user_can_authenticate(person):
            return person
        return None

    def user_can_authenticate(self, user: Any) -> bool:
        return bool(user.is_active and user.organization.is_active)

    def get_user(self, user_id: int) -> Person | None:
        person = Person.objects.select_related("organization").filter(pk=user_id).first()
        return person if person and self.user_can_authenticate(person) else None


def client_address(request: HttpRequest) -> str:
    """The client's address; behind our own proxy, the one it appended last to X-Forwarded-For."""
    if settings.BEHIND_PROXY and (forwarded := request.META.get("HTTP_X_FORWARDED_FOR", "")):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _key(username: str, request: HttpRequest) -> str:
    # Per username and address: a stranger elsewhere cannot lock a person out by guessing their name.
    who = f"{username.strip().lower()}|{client_address(request)}"
    return "signin-failures:" + hashlib.sha256(who.encode()).hexdigest()


def signin_locked(username: str, request: HttpRequest) -> bool:
    return cache.get(_key(username, request), 0) >= settings.SIGNIN_MAX_FAILURES


def signin_failed(username: str, request: HttpRequest) -> None:
    key = _key(username, request)
    cache.add(key, 0, settings.SIGNIN_LOCKOUT_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, settings.SIGNIN_LOCKOUT_SECONDS)


def signin_succeeded(username: str, request: HttpRequest) -> None:
    cache.delete(_key(username, request))
