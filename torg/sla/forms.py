"""Forms of the calendar pages: they clean and draw fields; the services decide."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from torg.core.forms import DsForm, DsModelForm
from torg.core.models import Organization
from torg.sla.models import BusinessCalendar, SpecialDay, Weekday

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
