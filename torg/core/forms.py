"""Forms of the workspace. They clean and draw fields; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

from torg.core.models import Department, Location, Organization, Person, Team
from torg.core.municipalities import municipality_choices


class FormRenderer(DjangoTemplates):
    """Draws every form with Designsystemet's field markup."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class PickerSelect(forms.Select):
    """A select that draws only the chosen option; the others are fetched as the user types (see _picker.html)."""

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        chosen = [v for v in value if v not in (None, "")]
        groups = [(None, [self.create_option(name, "", "–", not chosen, 0)], 0)]
        if chosen:
            field = self.choices.field
            for index, obj in enumerate(self.choices.queryset.filter(pk__in=chosen), start=1):
                groups.append(
                    (
                        None,
                        [self.create_option(name, obj.pk, field.label_from_instance(obj), True, index)],
                        index,
                    )
                )
        return groups


class DsForm(forms.Form):
    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")


class DsModelForm(forms.ModelForm):
    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")

    def _post_clean(self) -> None:
        # Model validation belongs to the services, which run it on the real object; the form only cleans input.
        return None


ACTIVE_CHOICES = [("active", _("Active")), ("inactive", _("Deactivated")), ("all", _("All"))]


class ListFilterForm(DsForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["organization"].queryset = Organization.objects.visible_to(self.user).only("id", "name")


class LocationFilterForm(ListFilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Location.Kind.choices], required=False
    )


class TeamFilterForm(ListFilterForm):
    function = forms.ChoiceField(
        label=_("Function"), choices=[("", _("All functions")), *Team.Function.choices], required=False
    )


class OrganizationForm(DsModelForm):
    municipality_code = forms.ChoiceField(label=_("Municipality"), required=False)

    class Meta:
        model = Organization
        fields = ["name", "kind", "provider", "organization_number", "municipality_code", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality_code"].choices = [("", _("Not a municipality")), *municipality_choices()]
        self.fields["provider"].queryset = Organization.objects.visible_to(self.user).providers()
        self.fields["organization_number"].widget.attrs.update(inputmode="numeric", autocomplete="off")


class DepartmentForm(DsModelForm):
    class Meta:
        model = Department
        fields = ["organization", "name", "code"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.visible_to(self.user)
        if self.instance.pk:
            del self.fields["organization"]


class DepartmentMoveForm(DsForm):
    parent = forms.ModelChoiceField(
        label=_("New parent department"),
        queryset=Department.objects.none(),
        required=False,
        widget=PickerSelect,
        help_text=_("Type to search. Leave empty to move it to the top of the tree."),
    )

    def __init__(self, *args: Any, department: Department, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Department.objects.visible_to(self.user).filter(
            organization_id=department.organization_id, is_active=True
        )


class LocationForm(DsModelForm):
    class Meta:
        model = Location
        fields = ["organization", "name", "kind", "street_address", "postal_code", "city"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.visible_to(self.user)
        if self.instance.pk:
            del self.fields["organization"]


class PersonForm(DsModelForm):
    class Meta:
        model = Person
        fields = [
            "organization",
            "first_name",
            "last_name",
            "email",
            "phone",
            "employee_number",
            "department",
            "location",
            "language",
        ]
        widgets = {"department": PickerSelect, "location": PickerSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.visible_to(self.user)
        organization_id = self.instance.organization_id if self.instance.pk else self.data.get("organization")
        # Only the chosen organization's departments and locations; the picker searches among them as you type.
        self.fields["department"].queryset = Department.objects.visible_to(self.user).filter(
            organization_id=organization_id or 0, is_active=True
        )
        self.fields["location"].queryset = Location.objects.visible_to(self.user).filter(
            organization_id=organization_id or 0, is_active=True
        )
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")
        if self.instance.pk:
            del self.fields["organization"]


class TeamForm(DsModelForm):
    class Meta:
        model = Team
        fields = ["organization", "name", "function", "email", "served_organizations"]
        widgets = {"served_organizations": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = Organization.objects.visible_to(self.user)
        self.fields["organization"].queryset = visible.providers()
        self.fields["served_organizations"].queryset = visible.filter(is_active=True)
        if self.instance.pk:
            del self.fields["organization"]


class TeamMemberForm(DsForm):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none(), widget=PickerSelect)
    is_lead = forms.BooleanField(label=_("Team lead"), required=False)

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(self.user).filter(
            organization_id=team.organization_id, is_active=True
        )


class AccessibilityStatementForm(DsForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 20}),
        max_length=50_000,
        help_text=_("Markdown."),
    )


class SignInForm(DsForm):
    username = forms.CharField(label=_("Username or e-mail"), max_length=254)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=256)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autocapitalize="none")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class LanguageForm(DsForm):
    language = forms.ChoiceField(label=_("Language"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.conf import settings
        from django.utils.translation import get_language_info

        super().__init__(*args, **kwargs)
        # Each language in its own name, so a reader finds theirs whatever the page's language is.
        self.fields["language"].choices = [
            (code, get_language_info(code)["name_local"].capitalize()) for code, _name in settings.LANGUAGES
        ]
