"""The workspace's other pages: its start, moving departments, team members, pickers, tokens, settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from torg.core.forms import AccessibilityStatementForm, DepartmentMoveForm, TeamMemberForm
from torg.core.models import ApiToken, Channel, Department, InstallationPage, Location, Person, Team
from torg.core.permissions import can_manage, ensure_can_manage, ensure_workspace_user
from torg.core.services.organizations import department_move
from torg.core.services.pages import installation_page_save
from torg.core.services.teams import team_set_members
from torg.core.services.tokens import token_revoke
from torg.core.views.generic import form_errors_from

PICK_LIMIT = 20


def workspace(view):  # type: ignore[no-untyped-def]
    """Signed in, with a staff role."""

    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs):  # type: ignore[no-untyped-def]
        ensure_workspace_user(request.user)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@workspace
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"can_import": can_manage(request.user, "import")})


@workspace
def department_move_page(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(
        Department.objects.visible_to(request.user).select_related("parent"), pk=pk
    )
    ensure_can_manage(request.user, "department", department.organization_id)
    form = DepartmentMoveForm(request.POST or None, department=department, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            department_move(
                department=department, parent=form.cleaned_data["parent"], by=request.user, via=Channel.PAGE
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Moved, with everything under it."))
            return redirect("core:department_detail", department.pk)
    status = 400 if form.errors else 200
    return render(request, "core/department_move.html", {"object": department, "form": form}, status=status)


@workspace
@require_POST
def team_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)
    form = TeamMemberForm(request.POST, team=team, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("core:team_detail", team.pk)
    current = list(team.memberships.select_related("person"))
    person = form.cleaned_data["person"]
    members = [m.person for m in current if m.person_id != person.pk] + [person]
    leads = [m.person for m in current if m.is_lead and m.person_id != person.pk]
    if form.cleaned_data["is_lead"]:
        leads.append(person)
    team_set_members(team=team, members=members, leads=leads, by=request.user, via=Channel.PAGE)
    messages.success(request, _("%(name)s is on the team.") % {"name": person.full_name})
    return redirect("core:team_detail", team.pk)


@workspace
@require_POST
def team_member_remove(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)
    current = [m for m in team.memberships.select_related("person") if m.person_id != person_id]
    team_set_members(
        team=team,
        members=[m.person for m in current],
        leads=[m.person for m in current if m.is_lead],
        by=request.user,
        via=Channel.PAGE,
    )
    messages.success(request, _("Removed from the team."))
    return redirect("core:team_detail", team.pk)


def _pick(request: HttpRequest, queryset, label=str) -> HttpResponse:  # type: ignore[no-untyped-def]
    options = [(obj.pk, label(obj)) for obj in queryset[:PICK_LIMIT]]
    return render(request, "core/_pick_options.html", {"options": options, "limit": PICK_LIMIT})


@workspace
def person_pick(request: HttpRequest) -> HttpResponse:
    """Options for a person picker: searched as you type, never the full list."""
    people = Person.objects.visible_to(request.user).filter(is_active=True).select_related("organization")
    if organization := request.GET.get("organization", "").strip():
        people = people.filter(organization_id=int(organization)) if organization.isdigit() else people.none()
    text = request.GET.get("q", "").strip()[:100]
    people = people.search(text).order_by("last_name", "first_name", "id") if text else people.none()
    return _pick(request, people, lambda p: f"{p.full_name} – {p.organization} ({p.email or p.phone})")


@workspace
def department_pick(request: HttpRequest) -> HttpResponse:
    return _pick(
        request,
        _org_filtered(request, Department.objects.visible_to(request.user)),
        lambda d: f"{d.name}{' (' + d.code + ')' if d.code else ''}",
    )


@workspace
def location_pick(request: HttpRequest) -> HttpResponse:
    return _pick(request, _org_filtered(request, Location.objects.visible_to(request.user)))


def _org_filtered(request: HttpRequest, queryset):  # type: ignore[no-untyped-def]
    organization = request.GET.get("organization", "").strip()
    text = request.GET.get("q", "").strip()[:100]
    if not organization.isdigit() or not text:
        return queryset.none()
    return queryset.filter(organization_id=int(organization), is_active=True, name__icontains=text).order_by(
        "name", "id"
    )


@workspace
def token_list(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.visible_to(request.user).select_related("person").order_by("-created_at")[:200]
    return render(request, "core/token_list.html", {"tokens": tokens})


@workspace
@require_POST
def token_revoke_page(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)
    token_revoke(token=token, by=request.user, via=Channel.PAGE)
    messages.success(request, _("The token is revoked."))
    return redirect("core:token_list")


@workspace
def accessibility_edit(request: HttpRequest) -> HttpResponse:
    ensure_can_manage(request.user, "page")
    language = request.LANGUAGE_CODE
    page = InstallationPage.objects.filter(
        slug=InstallationPage.Slug.ACCESSIBILITY, language=language
    ).first()
    initial = {"title": page.title, "body": page.body} if page else {}
    form = AccessibilityStatementForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        installation_page_save(
            slug=InstallationPage.Slug.ACCESSIBILITY,
            language=language,
            by=request.user,
            via=Channel.PAGE,
            **form.cleaned_data,
        )
        messages.success(request, _("Saved."))
        return redirect("portal:accessibility")
    return render(request, "core/accessibility_edit.html", {"form": form}, status=400 if form.errors else 200)
