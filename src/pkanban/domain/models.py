"""The board's vocabulary as immutable values: stages, lanes, settings, cards, touches.

Stages, lanes, cards and touches are slotted frozen dataclasses: they come from our own
database, whose CHECK constraints already hold, and the board builds thousands of them per
screen, so they must be cheap. Settings, which a user types, is a validating pydantic model.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

StageKind = Literal["pool", "active"]
Disposition = Literal["open", "won", "lost", "cleared"]
TouchKind = Literal["call", "email", "meeting", "message", "note"]
TOUCH_KINDS: tuple[TouchKind, ...] = ("call", "email", "meeting", "message", "note")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True, slots=True, kw_only=True)
class Stage:
    id: int
    name: str
    position: int
    kind: StageKind = "active"
    wip_limit: int | None = None
    shelf_life_days: int | None = None
    probability: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Lane:
    id: int
    name: str
    position: int
    wip_limit: int | None = None


class Settings(_Frozen):
    """Board-wide settings (DESIGN §2); every field has the documented default."""

    best_by_percentile: int = Field(default=80, ge=1, le=100)
    best_by_fallback_days: int = Field(default=75, ge=1)
    best_by_min_wins: int = Field(default=10, ge=1)
    touch_target: int = Field(default=7, ge=1)
    idle_days: int = Field(default=30, ge=1)
    currency: str = Field(default="$", max_length=8)
    earn_next_lead: bool = True
    yearly_review: str = Field(default="01-15", pattern=r"^\d\d-\d\d$")
    low_value_threshold: int = Field(default=1000, ge=0)
    accounts_lane: str = Field(default="Accounts", min_length=1, max_length=40)
    checklist: tuple[str, ...] = ("Budget confirmed", "Decision maker known", "Fits ideal customer")


@dataclass(frozen=True, slots=True, kw_only=True)
class Card:
    id: int
    title: str
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    value: int | None = None
    source: str = ""
    tags: tuple[str, ...] = ()
    checklist: dict[str, bool] = field(default_factory=dict)
    probability: float | None = None
    lane_id: int
    stage_id: int
    position: float = 0
    created: date
    entered_stage: date
    last_touch: date | None = None
    touch_count: int = 0
    next_step: str = ""
    next_due: date | None = None
    blocked_reason: str = ""
    snoozed_until: date | None = None
    snooze_reason: str = ""
    disposition: Disposition = "open"
    closed: date | None = None
    lost_reason: str = ""
    pulled: date | None = None
    external_id: str | None = None
    version: int = 1

    @property
    def is_open(self) -> bool:
        return self.disposition == "open"


@dataclass(frozen=True, slots=True, kw_only=True)
class Touch:
    id: int
    card_id: int
    day: date
    kind: TouchKind
    text: str = ""
