"""How the demo's cases went: the shapes of a case's life, as steps in business time after it came in.

A shape is told against the case's own SLA targets, so that where the case stands (on track, at risk,
breached, paused, met) does not depend on the day or hour the demo is loaded.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from torg.desk.demo.texts import IT2, NOTES, STUCK, SUPPLIER, TRANSFER, Replies
from torg.desk.models import Status

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Step:
    gap: timedelta  # business time after the step before (or after the case came in)
    act: str  # "assign", "reply", "note", "caller" (the caller replies) or "status"
    who: str = ""  # the login that acts; the caller when empty
    text: str = ""  # the message, or the reason for passing the case on
    status: str = ""
    team: str = ""  # "assign": pass the case to this team


@dataclass
class Story:
    steps: list[Step]
    age: timedelta | None = None  # an open case: business time since it came in (at least its steps)
    days: tuple[float, float] = (0.0, 0.0)  # a finished case: came in this many days ago, by the wall clock


@dataclass
class Plot:
    """What a story is told with: chance, the case's SLA targets, who works it and in which language."""

    rng: random.Random
    response: timedelta
    resolution: timedelta
    worker: str  # the login working the case
    category: str
    solution: str
    replies: Replies
    first_name: str  # the caller's
    assigned: bool = False  # registered with the worker as assignee already

    def of_response(self, low: float, high: float) -> timedelta:
        """A share of the response target."""
        return self.response * self.rng.uniform(low, high)

    def of_resolution(self, low: float, high: float) -> timedelta:
        """A share of the resolution target."""
        return self.resolution * self.rng.uniform(low, high)

    def hours(self, low: float, high: float) -> timedelta:
        return HOUR * self.rng.uniform(low, high)

    def say(self, texts: Sequence[str]) -> str:
        return self.rng.choice(texts).format(first=self.first_name)

    def assign(self) -> list[Step]:
        return [] if self.assigned else [Step(self.of_response(0.05, 0.2), "assign", self.worker)]

    def ack(self, low: float = 0.2, high: float = 0.6) -> Step:
        return Step(self.of_response(low, high), "reply", self.worker, self.say(self.replies.ack))

    def note(self, gap: timedelta, texts: Sequence[str] | None = None, who: str = "") -> Step:
        return Step(gap, "note", who or self.worker, self.say(texts or NOTES[self.category]))

    def ask(self, gap: timedelta, question: str = "") -> list[Step]:
        """A question that waits for the caller; a random one unless given."""
        question = question or self.rng.choice(self.replies.ask)[0]
        return [
            Step(gap, "reply", self.worker, question.format(first=self.first_name)),
            Step(MINUTE, "status", self.worker, status=Status.WAITING_USER),
        ]

    def ask_and_answer(self, gap: timedelta) -> list[Step]:
        """A question, and the caller's answer some hours later (which sets the case going again)."""
        question, answer = self.rng.choice(self.replies.ask)
        return [*self.ask(gap, question), Step(self.hours(0.3, 6), "caller", text=answer)]

    def solve(self, gap: timedelta) -> list[Step]:
        return [
            Step(gap, "reply", self.worker, self.solution),
            Step(2 * MINUTE, "status", self.worker, status=Status.RESOLVED),
        ]

    def close(self, gap: timedelta) -> Step:
        return Step(gap, "status", "lead", status=Status.CLOSED)


# Open cases, placed against their targets.


def fresh(p: Plot) -> Story:
    return Story([], age=p.of_response(0.1, 0.5))


def unanswered(p: Plot) -> Story:
    return Story([], age=p.of_response(0.8, 0.93))


def forgotten(p: Plot) -> Story:
    return Story([*p.assign(), p.note(p.of_response(0.2, 0.4), STUCK)], age=p.of_response(1.5, 3))


def working(p: Plot) -> Story:
    return Story([*p.assign(), p.ack(), p.note(p.of_resolution(0.02, 0.08))], age=p.of_resolution(0.2, 0.55))


def at_risk(p: Plot) -> Story:
    return Story([*p.assign(), p.ack(), p.note(p.of_resolution(0.05, 0.2))], age=p.of_resolution(0.8, 0.92))


def overdue(p: Plot) -> Story:
    return Story(
        [*p.assign(), p.ack(0.3, 1.2), p.note(p.of_resolution(0.05, 0.2))], age=p.of_resolution(1.15, 1.8)
    )


def waiting_user(p: Plot) -> Story:
    return Story([*p.assign(), *p.ask(p.of_response(0.2, 0.6))], age=p.of_resolution(0.3, 1.2))


def waiting_supplier(p: Plot) -> Story:
    steps = [
        *p.assign(),
        p.ack(),
        p.note(p.of_resolution(0.03, 0.1), SUPPLIER),
        Step(MINUTE, "status", p.worker, status=Status.WAITING_SUPPLIER),
    ]
    return Story(steps, age=p.of_resolution(0.3, 1.5))


def reopened(p: Plot) -> Story:
    steps = [
        *p.assign(),
        p.ack(),
        *p.solve(p.of_resolution(0.1, 0.2)),
        Step(p.of_resolution(0.03, 0.08), "caller", text=p.say(p.replies.failed)),
        p.note(p.of_response(0.2, 0.5)),
    ]
    return Story(steps, age=p.of_resolution(0.35, 0.6))


def escalated(p: Plot) -> Story:
    """First line passes the case to second line, which takes it on."""
    steps = [
        *p.assign(),
        p.ack(),
        p.note(p.of_response(0.1, 0.3)),
        Step(p.of_response(0.1, 0.3), "assign", p.worker, p.say(TRANSFER), team=IT2),
        p.note(p.of_resolution(0.02, 0.06), who="agent2"),
    ]
    return Story(steps, age=p.of_resolution(0.3, 0.6))


# Finished cases, spread over the last three weeks.


def resolved(p: Plot) -> Story:
    """Solved within its targets, some after a question to the caller; the caller may still reopen it."""
    asked = p.ask_and_answer(p.of_resolution(0.05, 0.2)) if p.rng.random() < 0.5 else []
    return Story([*p.assign(), p.ack(), *asked, *p.solve(p.of_resolution(0.1, 0.5))], days=(0.2, 5))


def resolved_late(p: Plot) -> Story:
    steps = [
        *p.assign(),
        p.ack(0.5, 1.5),
        p.note(p.of_resolution(0.1, 0.3)),
        *p.solve(p.of_resolution(1.0, 1.4)),
    ]
    return Story(steps, days=(1, 6))


def closed(p: Plot) -> Story:
    """The caller confirms the fix; the case is resolved, and closed by the team lead later."""
    steps = [
        *p.assign(),
        p.ack(),
        *p.ask(p.of_resolution(0.1, 0.5), p.replies.confirm),
        Step(p.hours(0.3, 4), "caller", text=p.say(p.replies.confirmed)),
        Step(10 * MINUTE, "reply", p.worker, p.replies.thanks),
        Step(MINUTE, "status", p.worker, status=Status.RESOLVED),
        p.close(p.hours(2, 16)),
    ]
    return Story(steps, days=(2, 21))


def closed_quietly(p: Plot) -> Story:
    return Story(
        [*p.assign(), p.ack(), *p.solve(p.of_resolution(0.1, 0.7)), p.close(p.hours(4, 24))], days=(2, 21)
    )


def closed_late(p: Plot) -> Story:
    return Story(
        [*p.assign(), p.ack(0.4, 1.6), *p.solve(p.of_resolution(1.05, 1.5)), p.close(p.hours(4, 24))],
        days=(3, 21),
    )


# Shape: how many of the full demo's cases have it. Those not assigned by anyone stay new.
SHAPES: dict[str, tuple[int, Callable[[Plot], Story]]] = {
    "fresh": (9, fresh),
    "unanswered": (4, unanswered),
    "forgotten": (3, forgotten),
    "working": (16, working),
    "at_risk": (6, at_risk),
    "overdue": (6, overdue),
    "waiting_user": (8, waiting_user),
    "waiting_supplier": (4, waiting_supplier),
    "reopened": (3, reopened),
    "escalated": (4, escalated),
    "resolved": (18, resolved),
    "resolved_late": (4, resolved_late),
    "closed": (36, closed),
    "closed_quietly": (22, closed_quietly),
    "closed_late": (7, closed_late),
}
UNASSIGNED = {"fresh", "unanswered"}
FIRST_LINE_ONLY = {"escalated"}  # passed on by first line, so about what first line takes


def shapes(count: int, rng: random.Random) -> list[str]:
    """About `count` shapes in the full demo's proportions, every shape at least once, in random order."""
    total = sum(weight for weight, _tell in SHAPES.values())
    names = [
        name for name, (weight, _tell) in SHAPES.items() for _ in range(max(1, round(weight * count / total)))
    ]
    rng.shuffle(names)
    return names
