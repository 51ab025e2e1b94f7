"""The portal face: the start page, sign-in, language, the accessibility statement and error pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from torg.core import audit
from torg.core.auth import signin_failed, signin_locked, signin_succeeded
from torg.core.forms import LanguageForm, SignInForm
from torg.core.models import Channel, InstallationPage
from torg.core.services.pages import render_markdown
from torg.core.services.people import person_set_language


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def _next_url(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def signin(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        if signin_locked(username, request):
            form.add_error(None, _("Too many failed attempts. Wait a quarter of an hour and try again."))
        elif (
            person := authenticate(request, username=username, password=form.cleaned_data["password"])
        ) is None:
            signin_failed(username, request)
            form.add_error(None, _("The username or password is wrong."))
        else:
            signin_succeeded(username, request)
            login(request, person)
            audit.record(person, action=audit.Action.SIGN_IN, by=person, via=Channel.PAGE)
            fallback = "/desk/" if person.is_workspace_user else "/"
            return redirect(_next_url(request, fallback))
    status = 400 if form.errors else 200
    return render(
        request, "portal/signin.html", {"form": form, "next": _next_url(request, "")}, status=status
    )


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("portal:home")


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Switch language: a signed-in person's choice is kept on their record, others' in a cookie."""
    form = LanguageForm(request.POST)
    response = redirect(_next_url(request, "/"))
    if not form.is_valid():
        return response
    code = form.cleaned_data["language"]
    if request.user.is_authenticated:
        person_set_language(person=request.user, language=code, by=request.user, via=Channel.PAGE)
    translation.activate(code)
    from django.conf import settings

    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )
    return response


def accessibility(request: HttpRequest) -> HttpResponse:
    language = translation.get_language()
    pages = {p.language: p for p in InstallationPage.objects.filter(slug=InstallationPage.Slug.ACCESSIBILITY)}
    page = pages.get(language) or pages.get("nb") or next(iter(pages.values()), None)
    body = render_markdown(page.body) if page else ""
    can_edit = request.user.is_authenticated and request.user.is_administrator
    return render(request, "portal/accessibility.html", {"page": page, "body": body, "can_edit": can_edit})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
