"""The view models every shell and every format reads: a card with its ages and badge
(`CardView`, `CardLine`) and what a view needs once per refresh (`BoardContext`).

Pure values built from domain models: the store fills them (through `services.views`), `io/`
writes them out and the shells draw them, so none of those computes an age or a badge itself.
"""

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import NamedTuple

from pkanban.domain.ages import Badge, badge, idle_days, stage_age_days, total_age_days
from pkanban.domain.bestby import BestBy
from pkanban.domain.dates import iso_or_none
from pkanban.domain.models import Card, Lane, Settings, Stage
from pkanban.domain.triage import needs_next_step, step_overdue


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
