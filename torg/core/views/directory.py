"""Pages for organizations, departments, locations, people and teams."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from torg.core.forms import (
    DepartmentForm,
    ListFilterForm,
    LocationFilterForm,
    LocationForm,
    OrganizationForm,
    PersonForm,
    TeamFilterForm,
    TeamForm,
)
from torg.core.models import Department, Location, Organization, Person, Team
from torg.core.services import organizations, people, teams
from torg.core.views.generic import (
    Column,
    ObjectActivationView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    model_urls,
)


class OrganizationMixin:
    model = Organization
    kind = "organization"
    url_prefix = "organization"


class OrganizationList(OrganizationMixin, ObjectListView):
    filter_form = ListFilterForm
    columns = [
        Column(_("Name"), "name", link=True),
        Column(_("Kind"), "kind"),
        Column(_("Organization number"), "organization_number"),
        Column(_("Municipality"), "municipality"),
    ]

    def search(self, queryset: models.QuerySet, text: str) -> models.QuerySet:
        return queryset.filter(
            models.Q(name__icontains=text)
            | models.Q(organization_number=text)
            | models.Q(municipality_code=text)
        )


class OrganizationDetail(OrganizationMixin, ObjectDetailView):
    related = ("provider",)
    fields = [
        Column(_("Kind"), "kind"),
        Column(_("Provider"), "provider"),
        Column(_("Organization number"), "organization_number"),
        Column(_("Municipality"), "municipality"),
        Column(_("County"), "municipality.county_name"),
        Column(_("Administrative language"), "language"),
    ]


class OrganizationFormPage(OrganizationMixin, ObjectFormView):
    form_class = OrganizationForm
    create_service = organizations.organization_create
    update_service = organizations.organization_update


class OrganizationActivation(OrganizationMixin, ObjectActivationView):
    active_service = organizations.organization_set_active


class DepartmentMixin:
    model = Department
    kind = "department"
    url_prefix = "department"


class DepartmentList(DepartmentMixin, ObjectListView):
    filter_form = ListFilterForm
    related = ("organization", "parent")
    ordering = ("name", "id")
    columns = [
        Column(_("Name"), "name", link=True),
        Column(_("Code"), "code"),
        Column(_("Parent"), "parent"),
        Column(_("Organization"), "organization"),
    ]

    def search(self, queryset: models.QuerySet, text: str) -> models.QuerySet:
        return queryset.filter(models.Q(name__icontains=text) | models.Q(code__iexact=text))


class DepartmentDetail(DepartmentMixin, ObjectDetailView):
    related = ("organization", "parent")
    template_name = "core/department_detail.html"
    fields = [
        Column(_("Organization"), "organization"),
        Column(_("Code"), "code"),
        Column(_("Parent"), "parent"),
    ]

    def extra_context(self, obj: Any) -> dict[str, Any]:
        ancestors = Department.objects.filter(pk__in=obj.ancestor_ids()).order_by("depth")
        children = obj.children.filter(is_active=True).order_by("name")[:200]
        return {
            "ancestors": ancestors,
            "children": children,
            "people_count": obj.people.filter(is_active=True).count(),
        }


class DepartmentFormPage(DepartmentMixin, ObjectFormView):
    form_class = DepartmentForm
    create_service = organizations.department_create
    update_service = organizations.department_update


class DepartmentActivation(DepartmentMixin, ObjectActivationView):
    active_service = organizations.department_set_active


class LocationMixin:
    model = Location
    kind = "location"
    url_prefix = "location"


class LocationList(LocationMixin, ObjectListView):
    filter_form = LocationFilterForm
    related = ("organization",)
    columns = [
        Column(_("Name"), "name", link=True),
        Column(_("Kind"), "kind"),
        Column(_("City"), "city"),
        Column(_("Organization"), "organization"),
    ]

    def search(self, queryset: models.QuerySet, text: str) -> models.QuerySet:
        return queryset.filter(models.Q(name__icontains=text) | models.Q(city__icontains=text))

    def filter(self, queryset: models.QuerySet, data: dict[str, Any]) -> models.QuerySet:
        queryset = super().filter(queryset, data)
        return queryset.filter(kind=data["kind"]) if data.get("kind") else queryset


class LocationDetail(LocationMixin, ObjectDetailView):
    related = ("organization",)
    fields = [
        Column(_("Organization"), "organization"),
        Column(_("Kind"), "kind"),
        Column(_("Street address"), "street_address"),
        Column(_("Postal code"), "postal_code"),
        Column(_("City"), "city"),
    ]


class LocationFormPage(LocationMixin, ObjectFormView):
    form_class = LocationForm
    create_service = organizations.location_create
    update_service = organizations.location_update


class LocationActivation(LocationMixin, ObjectActivationView):
    active_service = organizations.location_set_active


class PersonMixin:
    model = Person
    kind = "person"
    url_prefix = "person"


class PersonList(PersonMixin, ObjectListView):
    filter_form = ListFilterForm
    related = ("organization", "department")
    ordering = ("last_name", "first_name", "id")
    exportable = True
    columns = [
        Column(_("Name"), "full_name", link=True),
        Column(_("Organization"), "organization"),
        Column(_("Department"), "department"),
        Column(_("E-mail"), "email"),
        Column(_("Phone"), "phone"),
        Column(_("Employee number"), "employee_number"),
    ]

    def search(self, queryset: models.QuerySet, text: str) -> models.QuerySet:
        return queryset.search(text)


class PersonDetail(PersonMixin, ObjectDetailView):
    related = ("organization", "department", "location")
    template_name = "core/person_detail.html"
    fields = [
        Column(_("Organization"), "organization"),
        Column(_("Department"), "department"),
        Column(_("Location"), "location"),
        Column(_("E-mail"), "email"),
        Column(_("Phone"), "phone"),
        Column(_("Employee number"), "employee_number"),
        Column(_("Language"), "language"),
        Column(_("Username"), "username"),
    ]

    def extra_context(self, obj: Any) -> dict[str, Any]:
        return {"memberships": obj.team_memberships.select_related("team").order_by("team__name")}


class PersonFormPage(PersonMixin, ObjectFormView):
    form_class = PersonForm
    template_name = "core/person_form.html"
    create_service = people.person_create
    update_service = people.person_update


class PersonActivation(PersonMixin, ObjectActivationView):
    active_service = people.person_set_active


class TeamMixin:
    model = Team
    kind = "team"
    url_prefix = "team"


class TeamList(TeamMixin, ObjectListView):
    filter_form = TeamFilterForm
    related = ("organization",)
    columns = [
        Column(_("Name"), "name", link=True),
        Column(_("Function"), "function"),
        Column(_("Provider"), "organization"),
        Column(_("E-mail"), "email"),
    ]

    def filter(self, queryset: models.QuerySet, data: dict[str, Any]) -> models.QuerySet:
        queryset = super().filter(queryset, {**data, "organization": None})
        if data.get("organization"):
            queryset = queryset.filter(served_organizations=data["organization"])
        return queryset.filter(function=data["function"]) if data.get("function") else queryset


class TeamDetail(TeamMixin, ObjectDetailView):
    related = ("organization",)
    template_name = "core/team_detail.html"
    fields = [
        Column(_("Provider"), "organization"),
        Column(_("Function"), "function"),
        Column(_("E-mail"), "email"),
    ]

    def extra_context(self, obj: Any) -> dict[str, Any]:
        from torg.core.forms import TeamMemberForm

        return {
            "memberships": obj.memberships.select_related("person").order_by("person__last_name"),
            "served": obj.served_organizations.order_by("name"),
            "member_form": TeamMemberForm(team=obj, user=self.request.user),
        }


class TeamFormPage(TeamMixin, ObjectFormView):
    form_class = TeamForm
    create_service = teams.team_create
    update_service = teams.team_update


class TeamActivation(TeamMixin, ObjectActivationView):
    active_service = teams.team_set_active


urlpatterns = [
    *model_urls(
        "organization",
        "organizations",
        list_view=OrganizationList,
        detail_view=OrganizationDetail,
        form_view=OrganizationFormPage,
        activation_view=OrganizationActivation,
    ),
    *model_urls(
        "department",
        "departments",
        list_view=DepartmentList,
        detail_view=DepartmentDetail,
        form_view=DepartmentFormPage,
        activation_view=DepartmentActivation,
    ),
    *model_urls(
        "location",
        "locations",
        list_view=LocationList,
        detail_view=LocationDetail,
        form_view=LocationFormPage,
        activation_view=LocationActivation,
    ),
    *model_urls(
        "person",
        "people",
        list_view=PersonList,
        detail_view=PersonDetail,
        form_view=PersonFormPage,
        activation_view=PersonActivation,
    ),
    *model_urls(
        "team",
        "teams",
        list_view=TeamList,
        detail_view=TeamDetail,
        form_view=TeamFormPage,
        activation_view=TeamActivation,
    ),
]
