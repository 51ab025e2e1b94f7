from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from torg.sla import business_time
from torg.sla.business_time import DAY, SpanError, format_clock, parse_clock, parse_spans
from torg.sla.querysets import BusinessCalendarQuerySet

# A special day is a day or a season (summer hours); longer than a year is a change of opening hours.
MAX_SPECIAL_DAYS = 366

SPAN_ERRORS = {
    "format": _("Write each span as two times of day, like [“08:00”, “12:00”]."),
    "order": _("A span must end after it starts."),
    "overlap": _("The spans of a day must not overlap."),
}


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("%(value)s is not a time zone (e.g. Europe/Oslo)."), code="time_zone", params={"value": value}
        ) from None


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class BusinessCalendar(models.Model):
    """When a provider counts SLA time: weekly opening hours, Norwegian holidays and days of its own."""

    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="business_calendars",
        limit_choices_to={"kind": "provider"},
    )
    name = models.CharField(_("name"), max_length=200)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=business_time.OSLO, validators=[validate_time_zone]
    )
    is_24_7 = models.BooleanField(
        _("open around the clock"), default=False, help_text=_("Every hour counts; holidays do not apply.")
    )
    public_holidays = models.BooleanField(_("closed on Norwegian public holidays"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BusinessCalendarQuerySet.as_manager()

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="business_calendar_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def schedule(self) -> business_time.Schedule:
        return business_time.Schedule.from_calendar(self)


class OpeningSpan(models.Model):
    """One span of a weekday's opening hours; a day may have several (e.g. closed for lunch)."""

    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="spans"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("opens"))
    end = models.TimeField(_("closes"), help_text=_("00:00 means midnight at the end of the day."))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")) | models.Q(end=time(0)),
                name="opening_span_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {format_clock(self._start())}–{format_clock(self._end())}"

    def _start(self) -> int:
        return parse_clock(self.start)

    def _end(self) -> int:
        return parse_clock(self.end, end=True)

    def clean(self) -> None:
        if self.start is None or self.end is None:
            return
        if self._end() <= self._start():
            raise ValidationError({"end": _("A span must end after it starts.")}, code="order")
        if self.calendar_id is None:
            return
        siblings = OpeningSpan.objects.filter(calendar_id=self.calendar_id, weekday=self.weekday).exclude(
            pk=self.pk
        )
        for other in siblings:
            if other._start() < self._end() and self._start() < other._end():
                raise ValidationError(
                    _("This overlaps %(other)s."), code="overlap", params={"other": str(other)}
                )


class SpecialDay(models.Model):
    """A day or range of days with hours of their own: closed, shortened (Christmas Eve) or special."""

    class Kind(models.TextChoices):
        CLOSED = business_time.CLOSED, _("Closed")
        SHORTENED = business_time.SHORTENED, _("Shortened hours on open days")
        SPECIAL = business_time.SPECIAL, _("Special hours")

    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="special_days"
    )
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("date"))
    end_date = models.DateField(_("last date"), blank=True, help_text=_("Empty for a single day."))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CLOSED)
    spans = models.JSONField(
        _("opening hours"),
        default=list,
        blank=True,
        help_text=_("Spans of the day, like [[“08:00”, “12:00”]]; empty when closed."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        ordering = ["start_date", "end_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="special_day_range_forward"
            ),
            # Overlaps are resolved by precedence (business_time); the same range twice has none.
            models.UniqueConstraint(
                fields=["calendar", "start_date", "end_date"], name="special_day_range_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date is None:
            return
        if self.end_date is None:
            self.end_date = self.start_date  # an empty last date is a single day
        if self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last date cannot come before the first.")})
        if self.end_date - self.start_date >= timedelta(days=MAX_SPECIAL_DAYS):
            raise ValidationError(
                {"end_date": _("A special period can be at most %(days)s days.")},
                params={"days": MAX_SPECIAL_DAYS},
            )
        self.clean_spans()

    def clean_spans(self) -> None:
        if not isinstance(self.spans, list):
            raise ValidationError({"spans": SPAN_ERRORS["format"]}, code="format")
        if self.kind == self.Kind.CLOSED:
            if self.spans:
                raise ValidationError({"spans": _("A closed day has no opening hours.")}, code="closed")
            return
        if not self.spans:
            raise ValidationError({"spans": _("Give the opening hours of the day.")}, code="required")
        try:
            spans = parse_spans(self.spans)
        except SpanError as error:
            raise ValidationError({"spans": SPAN_ERRORS[error.code]}, code=error.code) from error
        # Stored in one form, so pages and the API show what counts.
        self.spans = [[format_clock(s), "24:00" if e == DAY else format_clock(e)] for s, e in spans]
