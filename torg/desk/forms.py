"""Forms of the agent workspace for cases. They clean and draw fields; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from torg.core.forms import DsForm, PickerSelect
from torg.core.models import Department, Location, Organization, Person, Team, TeamMembership
from torg.desk.models import Category, Kind, Level, Priority, Status, Ticket, TicketChannel, TicketLink
from torg.desk.services.workspace import PLACEHOLDERS

QUEUES = [
    ("mine", _("My cases")),
    ("unassigned", _("My teams' unassigned")),
    ("teams", _("Open for my teams")),
    ("all", _("All I can see")),
]
# Keyset orderings: each ends in the primary key, so a page boundary is never ambiguous.
SORTS = {
    "created": (_("Newest first"), ("-created_at", "-id")),
    "oldest": (_("Oldest first"), ("created_at", "id")),
    "updated": (_("Recently updated"), ("-updated_at", "-id")),
    "priority": (_("Priority, most urgent first"), ("priority", "-created_at", "-id")),
    # Only the cases whose clock runs (filter_cases): NULLs sort differently on the two databases, and the
    # partial index (sla_due, id) holds exactly these rows.
    "due": (_("Next SLA deadline first"), ("sla_due", "id")),
}
SLA_CHOICES = [
    ("", _("All")),
    ("soon", _("Breaches within the next hour")),
    ("breached", _("Breached, still running")),
]
AGENT_CHANNELS = [TicketChannel.PHONE, TicketChannel.WALK_IN, TicketChannel.EMAIL, TicketChannel.CHAT]


def _all(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class CaseNumberField(forms.ModelChoiceField):
    """A case by its number (with or without '#'), among the cases the user can see."""

    default_error_messages = {"invalid_choice": _("There is no case with this number that you can see.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(queryset=Ticket.objects.none(), **kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().lstrip("#")
        return super().to_python(value)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class IdListField(forms.Field):
    """The ids of the rows ticked in a list."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        try:
            return sorted({int(v) for v in value or []})
        except (TypeError, ValueError) as error:
            raise ValidationError(_("Choose cases from the list.")) from error


def _organization_scoped(form: forms.Form, organization_id: Any) -> None:
    """Departments and locations of one organization only; the pickers search among them."""
    organization_id = organization_id if str(organization_id or "").isdigit() else 0
    form.fields["department"].queryset = Department.objects.visible_to(form.user).filter(
        organization_id=organization_id, is_active=True
    )
    form.fields["location"].queryset = Location.objects.visible_to(form.user).filter(
        organization_id=organization_id, is_active=True
    )


class QueueFilterForm(DsForm):
    queue = forms.ChoiceField(choices=QUEUES, required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Search cases"),
        required=False,
        max_length=200,
        help_text=_("Words of the title or description, or a case number."),
    )
    status = forms.MultipleChoiceField(
        label=_("Status"), choices=Status.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        choices=[(k, v[0]) for k, v in SORTS.items()],
        required=False,
        help_text=_("By next SLA deadline, only the cases whose SLA clock is running are listed."),
    )
    sla = forms.ChoiceField(label=_("SLA"), choices=SLA_CHOICES, required=False)
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=_all(_("All priorities")) + Priority.choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=_all(_("All kinds")) + Kind.choices, required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=_all(_("All channels")) + TicketChannel.choices, required=False
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("All teams")
    )
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=Person.objects.none(), required=False, widget=PickerSelect
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("All organizations"),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        widget=PickerSelect,
        help_text=_("Choose an organization first."),
    )
    location = forms.ModelChoiceField(
        label=_("Location"),
        queryset=Location.objects.none(),
        required=False,
        widget=PickerSelect,
        help_text=_("Choose an organization first."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False, empty_label=_("All categories")
    )
    older_than = forms.IntegerField(label=_("Older than (days)"), required=False, min_value=1, max_value=3650)

    MORE = (
        "priority",
        "kind",
        "channel",
        "team",
        "assignee",
        "organization",
        "department",
        "location",
        "category",
        "older_than",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from torg.desk.views.shortcuts import KEYS

        self.fields["text"].widget.input_type = "search"
        keys = KEYS["search"].keys
        self.fields["text"].widget.attrs.update({"data-shortcut": keys, "aria-keyshortcuts": keys})
        self.fields["older_than"].widget.attrs.update(inputmode="numeric")
        self.fields["team"].queryset = Team.objects.visible_to(self.user).filter(is_active=True)
        self.fields["assignee"].queryset = Person.objects.visible_to(self.user).filter(is_active=True)
        self.fields["organization"].queryset = Organization.objects.visible_to(self.user).filter(
            is_active=True
        )
        self.fields["category"].queryset = Category.objects.visible_to(self.user).filter(is_active=True)
        _organization_scoped(self, self.data.get("organization"))

    def more_is_open(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.MORE)

    def query(self) -> str:
        """The cleaned filter as a query string: what a saved queue stores."""
        query = QueryDict(mutable=True)
        for name, value in self.cleaned_data.items():
            if value in (None, "", []):
                continue
            if isinstance(value, list):
                query.setlist(name, value)
            else:
                query[name] = str(getattr(value, "pk", value))
        return query.urlencode()


class CaseFieldsForm(DsForm):
    """The fields of a case an agent fills in or changes."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.INCIDENT)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False, empty_label=_("No category")
    )
    impact = forms.TypedChoiceField(
        label=_("Impact"),
        choices=Level.choices,
        coerce=int,
        initial=Level.LOW,
        help_text=_("How many are affected."),
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        choices=Level.choices,
        coerce=int,
        initial=Level.MEDIUM,
        help_text=_("How soon it must be solved."),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[("", _("Follow impact and urgency")), *Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Choose one only to override the matrix; then give a reason."),
    )
    priority_reason = forms.CharField(label=_("Reason for the priority"), max_length=300, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=20_000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = (
            Category.objects.visible_to(self.user).filter(is_active=True).select_related("parent")
        )


class CaseCreateForm(CaseFieldsForm):
    caller = forms.ModelChoiceField(
        label=_("Caller"),
        queryset=Person.objects.none(),
        widget=PickerSelect,
        help_text=_("Search by name, phone number, e-mail or employee number."),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(c.value, c.label) for c in AGENT_CHANNELS], initial=TicketChannel.PHONE
    )

    field_order = [
        "caller",
        "channel",
        "kind",
        "category",
        "impact",
        "urgency",
        "priority",
        "priority_reason",
        "title",
        "description",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caller"].queryset = (
            Person.objects.visible_to(self.user).filter(is_active=True).select_related("organization")
        )
        self.fields["kind"].widget = forms.RadioSelect(choices=Kind.choices)
        self.fields["caller"].widget.attrs.update(
            {
                "hx-get": reverse("desk:caller_info"),
                "hx-trigger": "change",
                "hx-target": "#caller-info",
                "hx-include": "this",
            }
        )


class CaseEditForm(CaseFieldsForm):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False, widget=PickerSelect
    )
    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.none(), required=False, widget=PickerSelect
    )
    parent = CaseNumberField(
        label=_("Parent case"), required=False, help_text=_("The number of the case this one is part of.")
    )

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _organization_scoped(self, ticket.organization_id)
        self.fields["parent"].queryset = Ticket.objects.visible_to(self.user).exclude(pk=ticket.pk)


class TransitionForm(DsForm):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)


class AssignForm(DsForm):
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("No team")
    )
    assignee = forms.ModelChoiceField(
        label=_("Agent"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("No agent"),
        help_text=_("The members of the chosen team."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Needed when the case goes to another team, e.g. when you escalate it to 2nd line."),
    )

    def __init__(self, *args: Any, organization_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.visible_to(self.user).filter(is_active=True)
        if organization_id is not None:
            teams = teams.filter(served_organizations=organization_id)
        self.fields["team"].queryset = teams
        self.fields["assignee"].queryset = Person.objects.visible_to(self.user).filter(is_active=True)
        team_id = self["team"].value()
        # Draw only the chosen team's members; the list follows the team select (see desk:team_agents).
        self.fields["assignee"].widget.choices = [("", self.fields["assignee"].empty_label)] + [
            (m.person_id, m.person.full_name) for m in team_members(self.user, team_id)
        ]
        self.fields["team"].widget.attrs.update(
            {
                "hx-get": reverse("desk:team_agents"),
                "hx-trigger": "change",
                "hx-target": f"#{self['assignee'].auto_id}",
                "hx-include": "this",
                "hx-swap": "innerHTML",
                "aria-controls": self["assignee"].auto_id,
            }
        )


def team_members(user: Any, team_id: Any) -> list[TeamMembership]:
    """The active members of a team the user can see, for an agent select."""
    if not str(team_id or "").isdigit():
        return []
    team = Team.objects.visible_to(user).filter(pk=int(team_id), is_active=True)
    return list(
        TeamMembership.objects.filter(team__in=team, person__is_active=True)
        .select_related("person")
        .order_by("person__first_name", "person__last_name", "person_id")
    )


class BulkForm(AssignForm):
    tickets = IdListField(required=False)
    status = forms.ChoiceField(label=_("New status"), choices=_all("–") + Status.choices, required=False)
    action = forms.ChoiceField(choices=[("assign", "assign"), ("status", "status")], widget=forms.HiddenInput)

    def clean_tickets(self) -> list[int]:
        if not self.cleaned_data["tickets"]:
            raise ValidationError(_("Tick the cases first."))
        return self.cleaned_data["tickets"]


class ReplyForm(DsForm):
    body = forms.CharField(label=_("Message"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(
        label=_("Attach files"), required=False, help_text=_("PDF, images, text or Office files.")
    )
    visibility = forms.ChoiceField(
        choices=[("public", "public"), ("internal", "internal")], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from torg.desk.views.shortcuts import KEYS

        super().__init__(*args, **kwargs)
        keys = KEYS["reply"].keys
        self.fields["body"].widget.attrs.update({"data-shortcut": keys, "aria-keyshortcuts": keys})


class CannedChoiceForm(DsForm):
    answer = forms.ModelChoiceField(
        label=_("Canned answer"), queryset=None, required=False, empty_label=_("Choose an answer")
    )

    def __init__(self, *args: Any, answers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].queryset = answers
        languages = dict(settings.LANGUAGES)
        self.fields["answer"].label_from_instance = lambda a: (
            f"{a.title} ({languages.get(a.language, a.language)})"
        )


LINK_KINDS = [*TicketLink.Kind.choices, ("parent", _("Part of (parent case)"))]


class LinkForm(DsForm):
    kind = forms.ChoiceField(label=_("Kind of link"), choices=LINK_KINDS)
    other = CaseNumberField(label=_("Case number"))

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = Ticket.objects.visible_to(self.user).exclude(pk=ticket.pk)


class MergeForm(DsForm):
    into = CaseNumberField(
        label=_("Merge into case number"),
        help_text=_("This case closes; its messages, files and time move to the other case."),
    )

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            Ticket.objects.visible_to(self.user).exclude(pk=ticket.pk).select_related("caller")
        )


class TimeEntryForm(DsForm):
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=24 * 60)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    work_date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for today."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["minutes"].widget.attrs.update(inputmode="numeric")


class SaveFilterForm(DsForm):
    name = forms.CharField(label=_("Name of the queue"), max_length=100)
    team = forms.ModelChoiceField(
        label=_("Share with"), queryset=Team.objects.none(), required=False, empty_label=_("Only me")
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.visible_to(self.user).filter(
            is_active=True, memberships__person=self.user
        )


class CannedAnswerForm(DsForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Text"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 10}))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        self.fields["body"].help_text = _("Placeholders filled in for each case: %(names)s.") % {
            "names": names
        }
        teams = Team.objects.visible_to(self.user).filter(is_active=True)
        if getattr(self.user, "is_administrator", False):
            self.fields["team"].empty_label = _("Every team")
        else:
            teams = teams.filter(memberships__person=self.user, memberships__is_lead=True)
            self.fields["team"].required = True
        self.fields["team"].queryset = teams
