"""Read models for every shell: cards with their ages and badge, the board summary, stats.

The CLI prints these and the TUI draws them; neither computes an age or a badge itself.
"""

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import NamedTuple

from pkanban.domain.ages import (
    Badge,
    age_badge,
    age_days,
    badge,
    idle_days,
    stage_age_days,
    total_age_days,
)
from pkanban.domain.bestby import BestBy
from pkanban.domain.dates import iso_or_none
from pkanban.domain.metrics import win_rate
from pkanban.domain.models import Card, Lane, Settings, Stage
from pkanban.domain.triage import needs_next_step, step_overdue
from pkanban.store import board
from pkanban.store.database import Store


@dataclass(frozen=True, slots=True)
class CardView:
    card: Card
    stage: Stage
    lane: Lane
    badge: Badge
    age_days: int
    stage_age_days: int
    idle_days: int
    overdue: bool
    no_next_step: bool = False

    def as_json(self) -> dict:
        card = self.card
        return {
            "id": card.id,
            "title": card.title,
            "account": card.account,
            "lane": self.lane.name,
            "stage": self.stage.name,
            "value": card.value,
            "disposition": card.disposition,
            "created": card.created.isoformat(),
            "entered_stage": card.entered_stage.isoformat(),
            "last_touch": iso_or_none(card.last_touch),
            "touches": card.touch_count,
            "next_step": card.next_step,
            "next_due": iso_or_none(card.next_due),
            "close_by": iso_or_none(card.close_by),
            "age_days": self.age_days,
            "stage_age_days": self.stage_age_days,
            "idle_days": self.idle_days,
            "badge": self.badge.level,
            "badge_text": self.badge.text,
            "overdue": self.overdue,
            "no_next_step": self.no_next_step,
            "blocked": card.blocked_reason,
            "snoozed_until": iso_or_none(card.snoozed_until),
            "closed": iso_or_none(card.closed),
            "lost_reason": card.lost_reason,
            "contact": card.contact_name,
            "email": card.email,
            "phone": card.phone,
            "source": card.source,
            "tags": list(card.tags),
        }

    def line(self) -> "CardLine":
        card = self.card
        return CardLine(
            card.id,
            card.title,
            self.lane.name,
            self.stage.name,
            card.value,
            self.badge,
            card.touch_count,
            card.next_due,
            self.overdue,
            bool(card.blocked_reason),
        )


class CardLine(NamedTuple):
    """One card as a list shows it (`pkanban ls`): a plain tuple, cheap by the ten thousand."""

    id: int
    title: str
    lane: str
    stage: str
    value: int | None
    badge: Badge
    touches: int
    next_due: date | None
    overdue: bool
    blocked: bool


@dataclass(frozen=True)
class BoardContext:
    """What every view needs once per refresh: layout, settings and best-by."""

    today: date
    settings: Settings
    stages: list[Stage]
    lanes: list[Lane]
    best_by: BestBy

    @cached_property
    def _stages_by_id(self) -> dict[int, Stage]:
        return {stage.id: stage for stage in self.stages}

    @cached_property
    def _lanes_by_id(self) -> dict[int, Lane]:
        return {lane.id: lane for lane in self.lanes}

    def stage(self, stage_id: int) -> Stage:
        return self._stages_by_id[stage_id]

    def lane(self, lane_id: int) -> Lane:
        return self._lanes_by_id[lane_id]

    def view(self, card: Card) -> CardView:
        stage = self._stages_by_id[card.stage_id]
        return CardView(
            card=card,
            stage=stage,
            lane=self._lanes_by_id[card.lane_id],
            badge=badge(card, stage, self.best_by.days, self.today),
            age_days=total_age_days(card, self.today),
            stage_age_days=stage_age_days(card, self.today),
            idle_days=idle_days(card, self.today),
            overdue=step_overdue(card.disposition, card.next_due, self.today),
            no_next_step=needs_next_step(card, stage),
        )


def board_context(store: Store, today: date) -> BoardContext:
    settings = board.settings(store.conn)
    return BoardContext(
        today=today,
        settings=settings,
        stages=board.stages(store.conn),
        lanes=board.lanes(store.conn),
        best_by=board.board_best_by(store.conn, settings),
    )


def card_views(
    store: Store,
    today: date,
    *,
    stage: str | None = None,
    lane: str | None = None,
    include_closed: bool = False,
) -> list[CardView]:
    context = board_context(store, today)
    stage_id = board.find_stage(store.conn, stage).id if stage else None
    lane_id = board.find_lane(store.conn, lane).id if lane else None
    found = board.cards(
        store.conn, stage_id=stage_id, lane_id=lane_id, include_closed=include_closed
    )
    return [context.view(card) for card in found]


def card_lines(
    store: Store,
    today: date,
    *,
    stage: str | None = None,
    lane: str | None = None,
    include_closed: bool = False,
) -> list[CardLine]:
    """The cards `card_views` would give, as the lines of a list: the same ages and badges,
    worked out from plain rows."""
    best_by_days = board_context(store, today).best_by.days
    stage_id = board.find_stage(store.conn, stage).id if stage else None
    lane_id = board.find_lane(store.conn, lane).id if lane else None
    rows = board.card_lines(
        store.conn, stage_id=stage_id, lane_id=lane_id, include_closed=include_closed
    )
    parse = date.fromisoformat
    lines = []
    for (
        card_id,
        title,
        lane_name,
        stage_name,
        shelf,
        value,
        created,
        entered_stage,
        closed,
        disposition,
        touches,
        next_due,
        blocked_reason,
    ) in rows:
        closed_on = parse(closed) if closed else None
        total = age_days(parse(created), closed_on, today)
        in_stage = age_days(parse(entered_stage), closed_on, today)
        due = parse(next_due) if next_due else None
        lines.append(
            CardLine(
                card_id,
                title,
                lane_name,
                stage_name,
                value,
                age_badge(disposition, total, in_stage, shelf, best_by_days),
                touches,
                due,
                step_overdue(disposition, due, today),
                bool(blocked_reason),
            )
        )
    return lines


def card_view(store: Store, today: date, card_id: int) -> CardView:
    return board_context(store, today).view(board.card(store.conn, card_id))


def wip(store: Store) -> dict[str, dict]:
    """Open cards per stage against its limit, and per lane (active stages) against its limit:
    `{"count", "limit", "over"}` each (`over` is how many past the limit, 0 within it)."""
    table = board.wip_now(store.conn)
    return {
        "stages": {w.name: w.as_json() for w in table if w.what == "stage"},
        "lanes": {w.name: w.as_json() for w in table if w.what == "lane"},
    }


def stats(store: Store, today: date) -> dict:
    """The board's headline figures (`pkanban stats --json`)."""
    context = board_context(store, today)
    counts = board.disposition_counts(store.conn)
    wip_now = wip(store)
    return {
        "today": today.isoformat(),
        "best_by_days": context.best_by.days,
        "best_by_basis": context.best_by.basis,
        "best_by_explained": context.best_by.sentence,
        "past_best_by": board.count_past_best_by(store.conn, today, context.best_by.days),
        **counts,
        "win_rate": win_rate(counts["won"], counts["lost"]),
        "wip": wip_now["stages"],
        "lane_wip": wip_now["lanes"],
    }
