"""Writing the demo's service desk through the desk services, then moving each case back to when it happened."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, DateTimeField, F, Value, When
from django.utils import timezone

from torg.core import audit
from torg.core.models import AuditEntry, Channel, Organization, Person, Team
from torg.desk.demo.stories import FIRST_LINE_ONLY, SHAPES, UNASSIGNED, Plot, Step, Story, shapes
from torg.desk.demo.texts import CANNED_ANSWERS, CATEGORIES, IT1, IT2, NB, NB_CASES, NN, NN_CASES, Template
from torg.desk.models import CannedAnswer, Category, Message, Ticket, TicketChannel
from torg.desk.services.conversation import ticket_reply
from torg.desk.services.tickets import ticket_assign, ticket_create, ticket_transition
from torg.desk.services.workspace import canned_answer_create
from torg.sla.business_time import Schedule
from torg.sla.demo import clock_replay
from torg.sla.models import CaseTimer
from torg.sla.timers import schedule_of

SEED = 2026
VIA = Channel.COMMAND
LOGINS = ["admin", "agent1", "agent2", "lead"]
FIRST_LINE = {"agent1": 65, "lead": 35}  # who of first line works a case
SECOND_LINE = "agent2"
ORGANIZATIONS = {"baerum": 73, "modalen": 12, "fedje": 15}
CHANNELS = {
    TicketChannel.PORTAL: 40,
    TicketChannel.EMAIL: 25,
    TicketChannel.PHONE: 25,
    TicketChannel.CHAT: 5,
    TicketChannel.WALK_IN: 5,
}
BY_CALLER = {TicketChannel.PORTAL, TicketChannel.EMAIL}  # registered by the caller; the others by first line
URGENT = 0.5  # the share of callers who need it sooner than usual for such a case
CALLERS = 300  # callers drawn from the first employees of each municipality
# Cases of the employee logins, so that they find their own in the portal: (login, case, shape, channel).
# The first one marks the demo's cases as loaded.
SCRIPTED = [
    ("baerum", NB_CASES[0], "waiting_user", TicketChannel.PORTAL),
    ("baerum", NB_CASES[6], "closed", TicketChannel.EMAIL),
    ("modalen", NN_CASES[3], "resolved", TicketChannel.PHONE),
]
# What the services change on a case besides its team and assignee, which ticket_assign sets on the object it is
# given; reloading only these keeps the related objects the next step's audit snapshot reads.
CHANGING = [
    "status",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "reopen_count",
    "first_line_resolved",
    "transferred",
    "sla_due",
    "search_text",
    "updated_at",
]
# Targets for telling a story when no agreement covers the case.
DEFAULT_RESPONSE, DEFAULT_RESOLUTION = timedelta(hours=4), timedelta(hours=24)
LOOKBACK = timedelta(days=60)  # open time is looked up this far back: three weeks and the longest target


@dataclass
class Casting:
    """Who and what a case is about, and the shape of its life."""

    caller: Person
    template: Template
    shape: str
    channel: str


class Loader:
    """Loads the demo's service desk in one transaction; `created` counts what it wrote."""

    def __init__(self, organizations: dict[str, Organization], now: datetime) -> None:
        self.organizations, self.now = organizations, now
        self.provider = organizations["provider"]
        self.rng = random.Random(f"{SEED}-desk")
        self.people = {p.username: p for p in Person.objects.filter(username__in=LOGINS)}
        self.teams = {t.name: t for t in Team.objects.filter(organization=self.provider, name__in=[IT1, IT2])}
        self.categories: dict[str, Category] = {}
        self.created = dict.fromkeys(["categories", "canned answers", "cases", "messages"], 0)
        self._open: dict[Schedule, list[tuple[datetime, datetime]]] = {}
        self._schedules: dict[int | None, Schedule] = {}

    # Categories and canned answers: by name, what is missing.

    def categories_and_answers(self) -> None:
        existing = Category.objects.filter(organization=self.provider, parent=None)
        self.categories = {category.name: category for category in existing}
        for name, team in CATEGORIES:
            if name not in self.categories:
                category = Category(organization=self.provider, name=name, default_team=self.teams[team])
                category.full_clean()
                category.save()
                audit.created(category, by=self.people["admin"], via=VIA)
                self.categories[name] = category
                self.created["categories"] += 1
        answers = set(
            CannedAnswer.objects.filter(organization=self.provider).values_list("title", "language")
        )
        for team, language, title, body in CANNED_ANSWERS:
            if (title, language) not in answers:
                canned_answer_create(
                    by=self.people["admin"],
                    via=VIA,
                    title=title,
                    body=body,
                    language=language,
                    team=self.teams[team] if team else None,
                )
                self.created["canned answers"] += 1

    # Cases.

    def cases_loaded(self) -> bool:
        """Whether the demo's cases were loaded before: its first scripted case exists."""
        login, template, _shape, _channel = SCRIPTED[0]
        return Ticket.objects.filter(caller__username=login, title=template.title).exists()

    def cases(self, count: int) -> None:
        ids = [self.case(casting) for casting in self.castings(count)]
        self.created["cases"] += len(ids)
        self.created["messages"] += Message.objects.filter(ticket_id__in=ids).count()

    def castings(self, count: int) -> list[Casting]:
        """The scripted cases, then random callers of the three municipalities with cases in their language."""
        employees = Person.objects.filter(username__isnull=True, is_active=True, department__isnull=False)
        employees = employees.select_related("organization", "location").order_by("employee_number")
        callers = {
            key: list(employees.filter(organization=self.organizations[key])[:CALLERS])
            for key in ORGANIZATIONS
        }
        logins = Person.objects.filter(username__in=[login for login, *_ in SCRIPTED]).select_related(
            "organization", "location"
        )
        logins = {person.username: person for person in logins}
        castings = [Casting(logins[login], *rest) for login, *rest in SCRIPTED]
        for shape in shapes(count - len(castings), self.rng):
            key = self.rng.choices(list(ORGANIZATIONS), weights=list(ORGANIZATIONS.values()))[0]
            templates = NB_CASES if self.organizations[key].language == "nb" else NN_CASES
            if shape in FIRST_LINE_ONLY:
                templates = [t for t in templates if dict(CATEGORIES)[t.category] == IT1]
            channel = self.rng.choices(list(CHANNELS), weights=list(CHANNELS.values()))[0]
            castings.append(
                Casting(self.rng.choice(callers[key]), self.rng.choice(templates), shape, channel)
            )
        return castings

    def case(self, casting: Casting) -> int:
        """Register one case and take it through its story; then date it back to when the story happened."""
        marks = [timezone.now()]  # when each step began for real: the services stamp the real time
        ticket, plot = self.register(casting)
        timer = CaseTimer.objects.filter(ticket=ticket).select_related("agreement__calendar").first()
        if timer is not None and timer.response_minutes and timer.resolution_minutes:
            plot.response = timedelta(minutes=timer.response_minutes)
            plot.resolution = timedelta(minutes=timer.resolution_minutes)
        story = SHAPES[casting.shape][1](plot)
        times = self.times(story, casting.channel, self.schedule(timer))
        states = [(ticket.status, ticket.first_response_at)]
        for step in story.steps:
            marks.append(timezone.now())
            self.act(ticket, step, casting.caller)
            ticket.refresh_from_db(fields=CHANGING)
            states.append((ticket.status, ticket.first_response_at))
        backdate(ticket, marks, times)
        history = [
            (at, status, when(responded, marks, times))
            for at, (status, responded) in zip(times, states, strict=True)
        ]
        clock_replay(ticket, history, now=self.now)
        return ticket.pk

    def register(self, casting: Casting) -> tuple[Ticket, Plot]:
        """The case as it comes in: from the caller by mail or the portal, else registered by first line."""
        rng, template, caller = self.rng, casting.template, casting.caller
        first_line = rng.choices(list(FIRST_LINE), weights=list(FIRST_LINE.values()))[0]
        worker = first_line if dict(CATEGORIES)[template.category] == IT1 else SECOND_LINE
        by_caller = casting.channel in BY_CALLER
        # First line takes what it registers for itself at once, unless the story leaves the case new.
        assigned = not by_caller and worker == first_line and casting.shape not in UNASSIGNED
        replies = NB if caller.organization.language == "nb" else NN
        description = template.description
        if caller.location and rng.random() < 0.5:
            description += " " + replies.where.format(place=caller.location.name)
        ticket = ticket_create(
            by=caller if by_caller else self.people[first_line],
            via=VIA,
            caller=caller,
            title=template.title,
            description=description,
            kind=template.kind,
            category=self.categories[template.category],
            impact=template.impact,
            urgency=max(1, template.urgency - (rng.random() < URGENT)),
            channel=casting.channel,
            assignee=self.people[worker] if assigned else None,
        )
        plot = Plot(
            rng=rng,
            response=DEFAULT_RESPONSE,
            resolution=DEFAULT_RESOLUTION,
            worker=worker,
            category=template.category,
            solution=template.solution,
            replies=replies,
            first_name=caller.first_name,
            assigned=assigned,
        )
        return ticket, plot

    def act(self, ticket: Ticket, step: Step, caller: Person) -> None:
        """One step of a story, through the service an agent or the caller would use."""
        by = self.people[step.who] if step.who else caller
        if step.act == "assign":
            team = self.teams[step.team] if step.team else ticket.team
            assignee = self.people[SECOND_LINE] if step.team == IT2 else by
            ticket_assign(ticket=ticket, by=by, via=VIA, team=team, assignee=assignee, reason=step.text)
        elif step.act == "status":
            ticket_transition(ticket=ticket, status=step.status, by=by, via=VIA)
        else:
            channel = TicketChannel.PORTAL  # the agents write in the workspace
            if step.act == "caller":  # the caller answers the way the case came in, a call by e-mail
                channel = ticket.channel if ticket.channel in BY_CALLER else TicketChannel.EMAIL
            ticket_reply(
                ticket=ticket, by=by, via=VIA, body=step.text, internal=step.act == "note", channel=channel
            )

    # Time: where the story falls.

    def schedule(self, timer: CaseTimer | None) -> Schedule:
        """The business hours the case's clocks count in, read once per agreement."""
        agreement = timer.agreement if timer else None
        key = agreement.pk if agreement else None
        if key not in self._schedules:
            self._schedules[key] = schedule_of(agreement)
        return self._schedules[key]

    def before_now(self, schedule: Schedule, duration: timedelta) -> datetime:
        """The moment `duration` of business time before now."""
        if schedule not in self._open:  # latest first
            self._open[schedule] = schedule.open_intervals(self.now - LOOKBACK, self.now)[::-1]
        for start, end in self._open[schedule]:
            if end - start >= duration:
                return end - duration
            duration -= end - start
        return self.now - LOOKBACK

    def times(self, story: Story, channel: str, schedule: Schedule) -> list[datetime]:
        """When the case came in and when each step happened; the last step lies before now."""
        steps = sum((step.gap for step in story.steps), timedelta(0))
        latest = self.before_now(schedule, max(story.age or timedelta(0), steps + timedelta(minutes=10)))
        if story.age is not None:
            start = latest
        else:
            start = self.now - timedelta(days=self.rng.uniform(*story.days))
            # Calls and visits come in office hours; mail and the portal at any time.
            if channel not in BY_CALLER:
                start = schedule.add_business_time(start, timedelta(minutes=self.rng.uniform(0, 90)))
            start = min(start, latest)
        times = [start]
        for step in story.steps:
            times.append(schedule.add_business_time(times[-1], step.gap))
        return times


def when(real: datetime | None, marks: list[datetime], times: list[datetime]) -> datetime | None:
    """The time a story claims for something the services stamped at `real` while telling it."""
    if real is None:
        return None
    return times[max(0, bisect.bisect_right(marks, real) - 1)]


def backdate(ticket: Ticket, marks: list[datetime], times: list[datetime]) -> None:
    """Move a case, its messages and its history to the times of its story.

    The services stamp the real time; `marks[i]` is when step i began for real and `times[i]` when the story
    says it happened, so everything stamped between two marks moves to its step's time."""
    claimed = Case(
        *[
            When(created_at__gte=mark, then=Value(at))
            for mark, at in reversed(list(zip(marks, times, strict=True)))
        ],
        default=F("created_at"),
        output_field=DateTimeField(),
    )
    Message.objects.filter(ticket=ticket).update(created_at=claimed)
    content_type = ContentType.objects.get_for_model(Ticket)
    AuditEntry.objects.filter(content_type=content_type, object_id=ticket.pk).update(created_at=claimed)
    fields = {
        "created_at": times[0],
        "updated_at": times[-1],
        "first_response_at": when(ticket.first_response_at, marks, times),
        "resolved_at": when(ticket.resolved_at, marks, times),
        "closed_at": when(ticket.closed_at, marks, times),
    }
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    for name, value in fields.items():
        setattr(ticket, name, value)
