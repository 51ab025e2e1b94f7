from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from torg.desk.models import Kind
from torg.sla import business_time
from torg.sla.business_time import DAY, SpanError, format_clock, parse_clock, parse_spans
from torg.sla.querysets import AgreementQuerySet, BusinessCalendarQuerySet, CaseTimerQuerySet

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


# Agreements and the clocks of cases.

# Past this share of its target a clock is at risk, and the team is warned.
AT_RISK_SHARE = 0.75


class Agreement(models.Model):
    """What a customer organization is promised: response and resolution times per priority."""

    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="sla_agreements",
    )
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        "desk.Category",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for every category."),
    )
    kind = models.CharField(
        _("kind of case"),
        max_length=16,
        choices=Kind.choices,
        blank=True,
        help_text=_("Empty for every kind of case."),
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        verbose_name=_("calendar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        help_text=_("Empty to count clock time."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("service level agreement")
        verbose_name_plural = _("service level agreements")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="agreement_name_unique")]

    def __str__(self) -> str:
        return self.name


class AgreementTarget(models.Model):
    """The response and resolution times an agreement promises for one priority."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="targets"
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    response_minutes = models.PositiveIntegerField(_("response time (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution time (minutes)"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["priority", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "priority"], name="agreement_target_unique"),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=4), name="agreement_target_priority"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} P{self.priority}"


class TimerState(models.TextChoices):
    NONE = "none", _("No agreement")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    BREACHED = "breached", _("Breached")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")


class CaseTimer(models.Model):
    """A case's two SLA clocks, response and resolution; resolution pauses while the case waits."""

    ticket = models.OneToOneField("desk.Ticket", on_delete=models.CASCADE, related_name="sla")
    organization = models.ForeignKey("core.Organization", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(
        Agreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="timers"
    )
    reason = models.CharField(_("why this agreement"), max_length=300, blank=True)
    # The case as the clocks last saw it: a change of any of these recomputes or pauses the clocks.
    priority = models.PositiveSmallIntegerField(_("priority"))
    kind = models.CharField(_("kind of case"), max_length=16, blank=True)
    category = models.ForeignKey(
        "desk.Category", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20)
    response_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(_("started"))
    response_due = models.DateTimeField(_("response due"), null=True, blank=True, db_index=True)
    response_warning_at = models.DateTimeField(null=True, blank=True, db_index=True)
    response_met_at = models.DateTimeField(_("responded"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True, db_index=True)
    resolution_warning_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Business seconds of resolution time used up to `counting_since` (or the pause, or the stop).
    resolution_used = models.PositiveIntegerField(default=0)
    counting_since = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    # The deadline a clock broke, once it broke it (kept for compliance; cleared if a new target moves it).
    response_breached_at = models.DateTimeField(_("response breached"), null=True, blank=True)
    resolution_breached_at = models.DateTimeField(_("resolution breached"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseTimerQuerySet.as_manager()

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        ordering = ["resolution_due", "id"]
        # Compliance reads an organization's clocks by the month they started.
        indexes = [models.Index(fields=["organization", "started_at"], name="case_timer_org_started")]

    def __str__(self) -> str:
        return f"SLA #{self.ticket_id}"

    def next_due(self) -> datetime | None:
        """The nearest deadline of a clock still running, or None."""
        if self.agreement_id is None or self.stopped_at is not None:
            return None
        running = []
        if self.response_met_at is None and self.response_due is not None:
            running.append(self.response_due)
        if self.counting_since is not None and self.resolution_due is not None:
            running.append(self.resolution_due)
        return min(running, default=None)

    def state(self, now: datetime) -> TimerState:
        """Where the case stands against its agreement at `now`; a breach outlives a pause or a resolve."""
        if self.agreement_id is None or self.resolution_minutes is None:
            return TimerState.NONE
        response_target = (self.response_minutes or 0) * 60
        resolution_target = self.resolution_minutes * 60
        response_breached = (
            self.response_due is not None and (self.response_met_at or now) > self.response_due
        )
        if self.counting_since is not None:
            over = self.resolution_used > resolution_target  # a lower target than the time already used
            resolution_breached = self.resolution_due is not None and (now > self.resolution_due or over)
            resolution_at_risk = self.resolution_warning_at is not None and now >= self.resolution_warning_at
        else:  # stopped or paused: the mark says if it stopped late, the time used if the target shrank since
            resolution_breached = (
                self.resolution_breached_at is not None or self.resolution_used > resolution_target
            )
            resolution_at_risk = self.resolution_used >= AT_RISK_SHARE * resolution_target
        if response_breached or resolution_breached:
            return TimerState.BREACHED
        if self.stopped_at is not None:
            return TimerState.MET
        if self.paused_at is not None:
            return TimerState.PAUSED
        response_at_risk = (
            self.response_met_at is None
            and response_target > 0
            and self.response_warning_at is not None
            and now >= self.response_warning_at
        )
        if response_at_risk or resolution_at_risk:
            return TimerState.AT_RISK
        return TimerState.ON_TRACK


class TimerNotice(models.Model):
    """A warning or breach notice sent for one deadline of a clock; the unique key makes it exactly once."""

    class Kind(models.TextChoices):
        RESPONSE = "response", _("Response")
        RESOLUTION = "resolution", _("Resolution")

    class Threshold(models.TextChoices):
        WARNING = "warning", _("Warning")
        BREACH = "breach", _("Breach")

    timer = models.ForeignKey(CaseTimer, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    threshold = models.CharField(max_length=16, choices=Threshold.choices)
    due = models.DateTimeField(_("deadline"))
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the mail went out (or found no one to go to); the job tries unsent ones again a few times.
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    tried_at = models.DateTimeField(null=True, blank=True)  # the last try began (real time)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["timer", "kind", "threshold", "due"], name="timer_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_threshold_display()} {self.get_kind_display()} #{self.timer_id}"
