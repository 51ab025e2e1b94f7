"""API tokens: a person's own, or every one for an administrator."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations at run time.

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from torg.core.api.common import KeysetPagination
from torg.core.models import ApiToken, Channel
from torg.core.schemas import TokenCreatedOut, TokenFilter, TokenIn, TokenOut
from torg.core.services import tokens as services

router = Router(tags=["tokens"])


@router.get("/", response=list[TokenOut])
@paginate(KeysetPagination, ordering=("-id",))
def list_tokens(request: HttpRequest, filters: Query[TokenFilter]) -> Any:
    return filters.filter(ApiToken.objects.visible_to(request.auth))


@router.post("/", response={201: TokenCreatedOut})
def create_token(request: HttpRequest, payload: TokenIn) -> Status:
    """A new token for the caller; the secret is in this answer only."""
    token, secret = services.token_create(
        person=request.auth, name=payload.name, by=request.auth, via=Channel.API
    )
    token.secret = secret  # type: ignore[attr-defined]
    return Status(201, token)


@router.post("/{token_id}/revoke", response=TokenOut)
def revoke_token(request: HttpRequest, token_id: int) -> ApiToken:
    token = get_object_or_404(ApiToken.objects.visible_to(request.auth).select_related("person"), pk=token_id)
    return services.token_revoke(token=token, by=request.auth, via=Channel.API)
