"""The board's vocabulary as immutable values: stages, lanes, settings, cards, touches, notes.

All of them are slotted frozen dataclasses: they come from our own database, whose CHECK
constraints (and, for settings, validation on every write) already hold, and the board builds
thousands of them per screen, so they must be cheap. What a user or a dump supplies as settings
goes through `validated_settings`, which checks each field's limits with pydantic — imported
only then, because pydantic costs a third of the board's start-up budget.
"""

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from pkanban.domain.dates import month_day
from pkanban.domain.errors import InvalidInput
from pkanban.domain.money import MAX_VALUE
from pkanban.domain.text import clean_text

if TYPE_CHECKING:
    from pydantic import BaseModel

StageKind = Literal["pool", "active"]
Disposition = Literal["open", "won", "lost", "cleared"]
TouchKind = Literal["call", "email", "meeting", "message", "note"]
TOUCH_KINDS: tuple[TouchKind, ...] = ("call", "email", "meeting", "message", "note")

# Ranges that keep every date computation inside Python's dates: `today` lies in 1900–9000
# (pkanban.domain.dates.TODAY_RANGE), and no threshold reaches past ten years from it.
MAX_DAYS = 3650
MAX_TITLE = 2000
MAX_TEXT = 20000
MAX_NAME = 40  # stage and lane names
MAX_WIP_LIMIT = 100_000
MAX_CRITERIA = 9  # best-customer criteria: the card detail answers them with keys 1–9
MAX_CRITERION = 80


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


def _limited(default: Any, **limits: Any) -> Any:
    """A setting's default and its limits (pydantic `Field` keywords, read by
    `validated_settings`)."""
    return field(default=default, metadata=limits)


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Board-wide settings (DESIGN §2); every field has the documented default."""

    best_by_percentile: int = _limited(80, ge=1, le=100)
    best_by_fallback_days: int = _limited(75, ge=1, le=MAX_DAYS)
    best_by_min_wins: int = _limited(10, ge=1, le=MAX_WIP_LIMIT)
    touch_target: int = _limited(7, ge=1, le=100)
    idle_days: int = _limited(30, ge=1, le=MAX_DAYS)
    currency: str = _limited("$", max_length=8)
    earn_next_lead: bool = True
    yearly_review: str = "01-15"
    low_value_threshold: int = _limited(1000, ge=0, le=MAX_VALUE)
    accounts_lane: str = _limited("Accounts", min_length=1, max_length=40)
    checklist: tuple[str, ...] = ("Budget confirmed", "Decision maker known", "Fits ideal customer")

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(setting.name for setting in fields(cls))

    @classmethod
    def kind(cls, name: str) -> object:
        """The setting's Python type (`int`, `bool`, …), to compare with `is`."""
        return next(setting.type for setting in fields(cls) if setting.name == name)

    @classmethod
    def from_stored(cls, values: dict) -> "Settings":
        """Settings as stored by pkanban, which validated them on the way in."""
        if "checklist" in values:
            values = {**values, "checklist": tuple(values["checklist"])}
        return cls(**values)

    def as_json(self) -> dict:
        return asdict(self) | {"checklist": list(self.checklist)}


def validated_settings(values: dict) -> Settings:
    """Settings from what a user or a dump supplies: unknown names, wrong types and values out
    of limits are an `InvalidInput` naming the setting."""
    from pydantic import ValidationError

    try:
        checked = _settings_model().model_validate(values)
    except ValidationError as error:
        problem = error.errors()[0]
        name = ".".join(str(part) for part in problem["loc"][:1]) or "settings"
        message = "not a setting" if problem["type"] == "extra_forbidden" else problem["msg"]
        raise InvalidInput(f"{name}: {clean_text(message)}") from None
    settings = Settings(**dict(checked))
    for name in ("currency", "accounts_lane"):
        if clean_text(getattr(settings, name)) != getattr(settings, name):
            raise InvalidInput(f"{name}: control characters are not allowed")
    if any(clean_text(item) != item or not item.strip() for item in settings.checklist):
        raise InvalidInput("checklist: criteria are non-empty text without control characters")
    if len(settings.checklist) > MAX_CRITERIA:
        raise InvalidInput(f"checklist: at most {MAX_CRITERIA} criteria (keys 1–9 answer them)")
    if any(len(item) > MAX_CRITERION for item in settings.checklist):
        raise InvalidInput(f"checklist: a criterion has at most {MAX_CRITERION} characters")
    if len({item.casefold() for item in settings.checklist}) < len(settings.checklist):
        raise InvalidInput("checklist: a criterion is named twice")
    _check_month_day(settings.yearly_review)
    return settings


def _check_month_day(mmdd: str) -> None:
    """The yearly review day is a day of a leap year, as MM-DD (`02-29` is allowed)."""
    try:
        month_day(mmdd)
    except ValueError:
        raise InvalidInput(
            f"yearly_review: {mmdd} is not a day of the year — write it as MM-DD, e.g. 01-15"
        ) from None


@cache
def _settings_model() -> "type[BaseModel]":
    from pydantic import ConfigDict, Field, create_model

    # Field types are the dataclass's own runtime types (`dataclasses.Field.type`).
    definitions: dict[str, Any] = {
        setting.name: (setting.type, Field(default=setting.default, **setting.metadata))
        for setting in fields(Settings)
    }
    return create_model("Settings", __config__=ConfigDict(extra="forbid"), **definitions)


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
    account: str = ""
    close_by: date | None = None  # the expected close date (a CRM's "expected close date")

    @property
    def is_open(self) -> bool:
        return self.disposition == "open"


@dataclass(frozen=True)
class NewCard:
    """What a user gives to create a card, or an import row holds (io/records.py `Record.card`);
    dates left None default to today when it is added."""

    title: str
    stage: str | None = None
    lane: str | None = None
    value: int | None = None
    account: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    source: str = ""
    tags: tuple[str, ...] = ()
    next_step: str = ""
    next_due: date | None = None
    close_by: date | None = None
    created: date | None = None
    entered_stage: date | None = None
    last_touch: date | None = None
    touch_count: int = 0
    disposition: str = "open"
    closed: date | None = None
    lost_reason: str = ""
    external_id: str | None = None
    checklist: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Touch:
    id: int
    card_id: int
    day: date
    kind: TouchKind
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Note:
    """A dated free-text note on a card (markdown allowed, always shown as plain text)."""

    id: int
    card_id: int
    day: date
    text: str
    edited: date | None = None
