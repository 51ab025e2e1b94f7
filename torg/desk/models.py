from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torg.desk.querysets import CategoryQuerySet, TicketQuerySet


class Kind(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    REQUEST = "request", _("Service request")
    QUESTION = "question", _("Question")


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_USER = "waiting_user", _("Waiting for the user")
    WAITING_SUPPLIER = "waiting_supplier", _("Waiting for a supplier")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING_USER, Status.WAITING_SUPPLIER)


class Level(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class Priority(models.IntegerChoices):
    CRITICAL = 1, _("1 – Critical")
    HIGH = 2, _("2 – High")
    NORMAL = 3, _("3 – Normal")
    LOW = 4, _("4 – Low")


class TicketChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    PORTAL = "portal", _("Portal")
    WALK_IN = "walk_in", _("In person")
    CHAT = "chat", _("Chat")
    API = "api", _("API")


class Category(models.Model):
    """What a case is about (e.g. 'PC and printer', 'Access'), kept by the provider; may route to a team."""

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("provider")
    )
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    default_team = models.ForeignKey(
        "core.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default team"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "parent", "name"], name="category_unique")
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name


class PriorityRule(models.Model):
    """One cell of a provider's impact × urgency matrix."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level.choices)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Level.choices)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "impact", "urgency"], name="priority_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.impact}×{self.urgency} → {self.priority}"


class Ticket(models.Model):
    """A case: an incident, a service request or a question, from a caller in an organization."""

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="tickets", verbose_name=_("organization")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.INCIDENT)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=20_000, blank=True)
    caller = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, related_name="tickets", verbose_name=_("caller")
    )
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    location = models.ForeignKey(
        "core.Location",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("location"),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level.choices, default=Level.LOW)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Level.choices, default=Level.MEDIUM)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    priority_reason = models.CharField(_("reason for the priority"), max_length=300, blank=True)
    channel = models.CharField(
        _("channel"), max_length=16, choices=TicketChannel.choices, default=TicketChannel.PHONE
    )
    team = models.ForeignKey(
        "core.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("team"),
    )
    assignee = models.ForeignKey(
        "core.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("assignee"),
    )
    received_by = models.ForeignKey(
        "core.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    transferred = models.BooleanField(_("transferred"), default=False)
    first_line_resolved = models.BooleanField(_("solved at first line"), default=False)
    # Indexed where set only (Meta): SQLite's statistics count the NULLs as one value and then never use the index.
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
        related_name="children",
        verbose_name=_("parent case"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("merged into"),
    )
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The nearest deadline of the case's running SLA clocks, kept by torg.sla.timers: lists sort and filter on it.
    sla_due = models.DateTimeField(_("SLA due"), null=True, blank=True, editable=False)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The roots of the words of the title, description and public replies, for the text index (desk.search).
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "status", "-created_at", "-id"], name="ticket_org_status"),
            models.Index(fields=["team", "status", "-created_at", "-id"], name="ticket_team_status"),
            # A team's queue newest first, whatever statuses it shows: walked until a page is full.
            models.Index(fields=["team", "-created_at", "-id"], name="ticket_team_created"),
            models.Index(fields=["assignee", "status", "-created_at", "-id"], name="ticket_assignee_status"),
            models.Index(fields=["status", "-created_at", "-id"], name="ticket_status_created"),
            models.Index(fields=["caller", "-created_at", "-id"], name="ticket_caller"),
            models.Index(fields=["-created_at", "-id"], name="ticket_created"),
            # The open cases, newest first: a queue walks it and stops after a page, whatever else it filters on.
            models.Index(
                fields=["-created_at", "-id"],
                name="ticket_open_created",
                condition=models.Q(status__in=OPEN_STATUSES),
            ),
            models.Index(fields=["parent"], name="ticket_parent", condition=models.Q(parent__isnull=False)),
            # Only cases with a running clock: the "next deadline first" sort and the breach filters walk it.
            models.Index(
                fields=["sla_due", "id"], name="ticket_sla_due", condition=models.Q(sla_due__isnull=False)
            ),
            models.Index(
                fields=["merged_into"],
                name="ticket_merged_into",
                condition=models.Q(merged_into__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The SLA clocks alone write `sla_due` (while holding the clock's lock): a save of the case must not
        # put back the value it read before a recompute moved it.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "sla_due"
            ]
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Message(models.Model):
    """One entry of a case's conversation: a public reply (the caller sees it) or an internal note."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Reply")
        INTERNAL = "internal", _("Internal note")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    organization = models.ForeignKey("core.Organization", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    body = models.TextField(_("text"), max_length=50_000)
    channel = models.CharField(max_length=16, choices=TicketChannel.choices, default=TicketChannel.PORTAL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at", "id"])]

    def __str__(self) -> str:
        return f"{self.get_visibility_display()} on #{self.ticket_id}"


class Attachment(models.Model):
    """A file on a case, stored outside the web root under a generated name."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    organization = models.ForeignKey("core.Organization", on_delete=models.PROTECT, related_name="+")
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to="attachments/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class TicketLink(models.Model):
    """A relation between two cases other than parent and child."""

    class Kind(models.TextChoices):
        RELATED = "related", _("Related")
        DUPLICATE = "duplicate", _("Duplicate of")

    source = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.RELATED)
    created_by = models.ForeignKey("core.Person", on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="ticket_link_unique")
        ]

    def __str__(self) -> str:
        return f"#{self.source_id} {self.kind} #{self.target_id}"


class TimeEntry(models.Model):
    """Time an agent spent on a case."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="time_entries")
    organization = models.ForeignKey("core.Organization", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    work_date = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-work_date", "-id"]

    def __str__(self) -> str:
        return f"{self.minutes} min on #{self.ticket_id}"


class CannedAnswer(models.Model):
    """A standard answer with placeholders such as {caller_first_name}, per team and language."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("core.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="nb")
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=10_000)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class SavedFilter(models.Model):
    """A queue an agent saved: a name and the list's query, shared with a team or kept private."""

    owner = models.ForeignKey("core.Person", on_delete=models.CASCADE, related_name="saved_filters")
    team = models.ForeignKey("core.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class IdempotencyKey(models.Model):
    """An API client's key for a create, so a retried request never makes two cases."""

    person = models.ForeignKey("core.Person", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="idempotency_key_unique")]

    def __str__(self) -> str:
        return self.key
