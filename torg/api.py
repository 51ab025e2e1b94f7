"""The REST API, /api/v1/: authentication, the one error shape, and the routers of each app."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core import signals
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.urls import Resolver404, URLPattern, URLResolver, re_path, resolve
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError
from ninja.operation import Operation
from ninja.security import HttpBearer, SessionAuth

from torg.core.api import audit, departments, locations, organizations, people, teams, tokens
from torg.core.models import Person
from torg.core.services.tokens import token_authenticate

logger = logging.getLogger("django.request")


def _use_language(request: HttpRequest, person: Person) -> None:
    # PersonLanguageMiddleware only sees session users; a token's person reads errors in their language too.
    translation.activate(person.preferred_language)
    request.LANGUAGE_CODE = person.preferred_language


class BearerToken(HttpBearer):
    """`Authorization: Bearer torg_…`: one of the person's API tokens."""

    def authenticate(self, request: HttpRequest, token: str) -> Person | None:
        person = token_authenticate(token)
        if person is not None:
            request.user = person
            _use_language(request, person)
        return person


class SignedInSession(SessionAuth):
    """The browser session of a signed-in person (the docs page); writes need the CSRF token, as forms do."""

    def __call__(self, request: HttpRequest) -> Any:
        # Without a signed-in session there is nothing to protect: answer 401, not a CSRF failure.
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


class TorgAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__  # list_organizations, not torg_core_api_organizations_list_…

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        # A wrong method or an unknown address answers in the error shape too, not with the site's HTML pages.
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _errors_as_json(pattern.callback)
        return [*urls, re_path(r"", _unknown_address)]


def _errors_as_json(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except Http404:  # ninja's page at the root of the API names the docs in an HTML 404
            return _unknown_address(request)
        if isinstance(response, HttpResponseNotAllowed):
            message = _("This address does not answer to %(method)s.") % {"method": request.method}
            allowed, response = response["Allow"], error_response(request, 405, "method_not_allowed", message)
            response["Allow"] = allowed
        return response

    return wrapper


@csrf_exempt
def _unknown_address(request: HttpRequest) -> HttpResponse:
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not _unknown_address:
            message = _("Not found. Did you mean %(path)s?") % {"path": request.path + "/"}
            return error_response(request, 404, "not_found", message)
    return error_response(request, 404, "not_found", _("Not found."))


api = TorgAPI(
    title="Torg API",
    version="1",
    description="Service management for Norwegian municipalities. Authenticate with "
    "`Authorization: Bearer torg_…` (create a token at POST /api/v1/tokens/) or a signed-in session.",
    urls_namespace="api",
    auth=[BearerToken(), SignedInSession()],
    # Swagger UI from ninja's own static files: its page runs no inline script or style (the settings travel
    # as inert JSON), so the site-wide CSP holds and the page needs no policy of its own. Ninja's Redoc page
    # has an inline script and style, and would.
    docs=Swagger(),
)

api.add_router("/organizations/", organizations.router)
api.add_router("/departments/", departments.router)
api.add_router("/locations/", locations.router)
api.add_router("/people/", people.router)
api.add_router("/teams/", teams.router)
api.add_router("/audit/", audit.router)
api.add_router("/tokens/", tokens.router)
api.add_router("/cases/", "torg.desk.api.router")
api.add_router("/calendars/", "torg.sla.api.calendars.router")
api.add_router("/sla-compliance/", "torg.sla.api.compliance.router")
api.add_router("/agreements/", "torg.sla.api.agreements.router")


# The one error shape: {"error": {"code": …, "message": …, "fields": {field: [message, …]}}}.


def error_response(
    request: HttpRequest, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> HttpResponse:
    body = {"error": {"code": code, "message": str(message), "fields": fields or {}}}
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        fields = {name: list(messages) for name, messages in exc.message_dict.items()}
        general = fields.pop(NON_FIELD_ERRORS, [])
    else:
        fields, general = {}, exc.messages
    message = " ".join(general) or _("Correct the fields that are marked.")
    return error_response(request, 400, getattr(exc, "code", None) or "invalid", message, fields)


def _field_path(location: list[Any]) -> str:
    # ["body", "payload", "name"] → "name"; ["query", "limit"] → "limit";
    # ["body", "payload", "members", 0] → "members.0"
    parts = [str(part) for part in location]
    if parts and parts[0] == "body" and len(parts) > 2:
        parts = parts[2:]
    elif (
        parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"} and len(parts) > 1
    ):
        parts = parts[1:]
    return ".".join(parts)


@api.exception_handler(RequestValidationError)
def unprocessable(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        path = _field_path(list(error.get("loc", ()))) or NON_FIELD_ERRORS
        fields.setdefault(path, []).append(str(error.get("msg", _("Not valid."))))
    general = fields.pop(NON_FIELD_ERRORS, [])
    message = " ".join([_("The request does not have the expected form."), *general])
    return error_response(request, 422, "invalid_request", message, fields)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, "forbidden", str(exc) or _("You may not do this."))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(request, 404, "not_found", _("Not found."))


api.add_exception_handler(ObjectDoesNotExist, not_found)

HTTP_ERRORS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "throttled",
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    messages = {
        "Cannot parse request body": _("The request body is not valid JSON."),
        "CSRF check Failed": _("The CSRF token is missing or wrong; reload the page and try again."),
    }
    message = messages.get(exc.message, exc.message)
    if isinstance(exc, AuthenticationError):
        message = _("Send a valid API token (Authorization: Bearer torg_…) or sign in.")
    response = error_response(request, exc.status_code, HTTP_ERRORS.get(exc.status_code, "error"), message)
    if exc.status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="Torg API"'
    return response


@api.exception_handler(DataError)
def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    # What the database refuses outright (a NUL character, a number out of range) is bad input.
    return error_response(
        request, 400, "invalid", _("A value is not valid: too long, too large or unreadable.")
    )


@api.exception_handler(IntegrityError)
def conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # Validation checks the unique constraints first; this is the race where two requests pass it at once.
    return error_response(
        request, 409, "conflict", _("Someone else changed this at the same time; try again.")
    )


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A bug, not bad input: log it as Django does a 500 (the test client re-raises it); answer in the shape.
    signals.got_request_exception.send(sender=None, request=request)
    logger.error("Internal Server Error: %s", request.path, exc_info=exc, extra={"request": request})
    return error_response(
        request, 500, "server_error", _("Something went wrong on our side. It has been logged.")
    )
