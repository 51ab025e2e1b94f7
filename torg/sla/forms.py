"""Forms of the calendar and agreement pages: they clean and draw fields; the services decide."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from torg.core.forms import DsForm, DsModelForm
from torg.core.models import Organization, Team
from torg.desk.models import Category, Kind, Priority
from torg.sla.compliance import GroupBy, month_span, parse_month
from torg.sla.models import Agreement, BusinessCalendar, SpecialDay, Weekday

SPANS_HELP = _("Like 08:00–11:30, 12:00–16:00; empty when closed.")


def spans_from_text(text: str) -> list[list[str]]:
    """ "08:00–11:30, 12:00-16:00" → [["08:00", "11:30"], ["12:00", "16:00"]]; the service checks the times."""
    pairs = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        times = [t.strip() for t in re.split(r"[–—-]", part)]
        if len(times) != 2:
            raise forms.ValidationError(_("Write each span as two times of day, like 08:00–16:00."))
        pairs.append(times)
    return pairs


def spans_to_text(spans: list[list[str]]) -> str:
    return ", ".join(f"{start}–{end}" for start, end in spans)


class SpansField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=200, help_text=SPANS_HELP, **kwargs)

    def to_python(self, value: Any) -> list[list[str]]:
        return spans_from_text(super().to_python(value))


class CalendarForm(DsModelForm):
    class Meta:
        model = BusinessCalendar
        fields = ["organization", "name", "time_zone", "is_24_7", "public_holidays"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.visible_to(self.user).providers()
        if self.instance.pk:
            del self.fields["organization"]


class HoursForm(DsForm):
    """One field per weekday, named as the service names its errors."""

    def __init__(self, *args: Any, hours: dict[int, list[list[str]]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in Weekday:
            self.fields[day.name.lower()] = SpansField(
                label=day.label, initial=spans_to_text((hours or {}).get(day.value, []))
            )

    def hours(self) -> dict[int, list[list[str]]]:
        return {day.value: self.cleaned_data[day.name.lower()] for day in Weekday}


class SpecialDayForm(DsForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    start_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label=_("Last date"),
        required=False,
        help_text=_("Empty for a single day."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SpecialDay.Kind.choices)
    spans = SpansField(label=_("Opening hours"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# Agreements.

DURATION = re.compile(r"(\d{1,4})(?::([0-5]\d))?")


def minutes_to_text(minutes: int | None) -> str:
    """90 → "1:30": a target as the form shows it."""
    return "" if minutes is None else f"{minutes // 60}:{minutes % 60:02d}"


class DurationField(forms.CharField):
    """Hours and minutes written "1:30" (or whole hours, "8"), cleaned to minutes; empty is None."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.widget.attrs.update({"class": "ds-input", "autocomplete": "off", "size": 8, "maxlength": 8})

    def to_python(self, value: Any) -> int | None:
        text = super().to_python(value).strip()
        if not text:
            return None
        match = DURATION.fullmatch(text)
        if match is None:
            raise forms.ValidationError(_("Write hours and minutes, like 0:30 or 8:00."), code="duration")
        return int(match[1]) * 60 + int(match[2] or 0)


class AgreementForm(DsModelForm):
    class Meta:
        model = Agreement
        fields = ["organization", "name", "category", "kind", "calendar"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreement = self.instance
        self.fields["organization"].queryset = Organization.objects.visible_to(self.user).filter(
            kind=Organization.Kind.MEMBER, is_active=True
        )
        # The choice already made stays listed even if deactivated since, so that a rename still saves.
        self.fields["category"].queryset = (
            Category.objects.visible_to(self.user)
            .filter(Q(is_active=True) | Q(pk=agreement.category_id))
            .select_related("parent")
        )
        self.fields["category"].empty_label = _("All categories")
        self.fields["kind"].choices = [("", _("All kinds")), *Kind.choices]
        calendars = self.fields["calendar"]
        calendars.queryset = (
            BusinessCalendar.objects.visible_to(self.user)
            .filter(Q(is_active=True) | Q(pk=agreement.calendar_id))
            .select_related("organization")
        )
        calendars.empty_label = _("Clock time (no calendar)")
        calendars.label_from_instance = lambda calendar: f"{calendar} ({calendar.organization})"
        if agreement.pk:
            del self.fields["organization"]


class TargetsForm(DsForm):
    """Response and resolution time per priority; both empty is no target for that priority."""

    def __init__(self, *args: Any, targets: dict[int, tuple[int, int]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for priority in Priority.values:
            response, resolution = (targets or {}).get(priority, (None, None))
            # Named as the service names its errors, so they land on their fields.
            self.fields[f"response_{priority}"] = DurationField(
                label=_("Response time"), initial=minutes_to_text(response)
            )
            self.fields[f"resolution_{priority}"] = DurationField(
                label=_("Resolution time"), initial=minutes_to_text(resolution)
            )

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """Per priority: its name and its two fields, for a fieldset each."""
        return [
            (priority.label, self[f"response_{priority.value}"], self[f"resolution_{priority.value}"])
            for priority in Priority
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for priority in Priority.values:
            names = (f"response_{priority}", f"resolution_{priority}")
            given = [data.get(name) is not None for name in names]
            if any(given) and not all(given) and not any(name in self.errors for name in names):
                missing = names[given.index(False)]
                self.add_error(missing, _("Give both times, or neither for no target."))
        return data

    def targets(self) -> dict[int, tuple[int, int]]:
        data = self.cleaned_data
        return {
            priority: (data[f"response_{priority}"], data[f"resolution_{priority}"])
            for priority in Priority.values
            if data.get(f"response_{priority}") is not None and data.get(f"resolution_{priority}") is not None
        }


# SLA compliance.


class MonthField(forms.CharField):
    """A month written as year and month, "2027-03" (the browser's month picker), cleaned to its first day."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, help_text=_("Like 2027-03."), **kwargs)
        self.widget.input_type = "month"
        self.widget.attrs.update({"class": "ds-input", "autocomplete": "off"})

    def to_python(self, value: Any) -> date | None:
        text = super().to_python(value)
        return parse_month(text) if text else None

    def prepare_value(self, value: Any) -> Any:
        return f"{value.year:04d}-{value.month:02d}" if isinstance(value, date) else value


class ComplianceForm(DsForm):
    """The filters of the compliance page; months named "from" and "to" as in the API."""

    group_by = forms.ChoiceField(label=_("Group by"), choices=GroupBy.choices, required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("All organizations"),
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("All teams")
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[("", _("All priorities")), *Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = MonthField(label=_("From month"))
        self.fields["to"] = MonthField(label=_("To month"))
        self.order_fields(["group_by", "from", "to", "organization", "team", "priority"])
        self.fields["organization"].queryset = Organization.objects.visible_to(self.user).only("id", "name")
        self.fields["team"].queryset = Team.objects.visible_to(self.user).only("id", "name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["group_by"] = data.get("group_by") or GroupBy.ORGANIZATION
        if "from" in data and "to" in data:
            try:
                data["from"], data["to"] = month_span(data["from"], data["to"])
            except forms.ValidationError as error:
                self.add_error(None, error)
        return data

    def filters(self) -> dict[str, Any]:
        """The arguments of `compliance.report`."""
        data = self.cleaned_data
        return {
            "group_by": data["group_by"],
            "first": data["from"],
            "last": data["to"],
            "organization": data["organization"].pk if data.get("organization") else None,
            "team": data["team"].pk if data.get("team") else None,
            "priority": data.get("priority"),
        }
