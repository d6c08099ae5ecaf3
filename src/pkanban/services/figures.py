"""The flow figures as typed values: what `services.metrics` computes, `pkanban stats` prints
and the metrics screen draws, read by attribute instead of by string key.

Field names and order are the JSON's (docs/metrics.md): `as_json` turns any of these values
into exactly what `pkanban stats --json` prints — dates as ISO strings, nested figures as
objects — so the JSON is derived from the types and cannot drift from them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from typing import Generic, TypeAlias, TypeVar

from pkanban.domain.rules import Wip

Json: TypeAlias = bool | int | float | str | list["Json"] | dict[str, "Json"] | None


def as_json(value: object) -> Json:
    """`value` as JSON-ready data: a figure's fields in order, a date as `YYYY-MM-DD`, a `Wip`
    as its own `as_json`."""
    if isinstance(value, Wip):
        return value.as_json()
    if is_dataclass(value) and not isinstance(value, type):
        return {field.name: as_json(getattr(value, field.name)) for field in fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [as_json(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"{type(value).__name__} is not a flow figure")


@dataclass(frozen=True)
class Period:
    since: date | None
    until: date


@dataclass(frozen=True)
class TimeToClose:
    """Days from created to won, nearest-rank percentiles over `n` wins (None without wins)."""

    p50: int | None
    p80: int | None
    p95: int | None
    n: int

    def marks(self) -> tuple[tuple[str, int | None], ...]:
        return (("p50", self.p50), ("p80", self.p80), ("p95", self.p95))


@dataclass(frozen=True)
class ClosePoint:
    id: int
    closed: date
    days: int


@dataclass(frozen=True)
class WeekClosed:
    """Cards closed in one ISO week (`week` is its label, `start` its Monday)."""

    week: str
    start: date
    won: int
    lost: int
    cleared: int

    def count(self, kind: str) -> int:
        """The week's `won`, `lost` or `cleared`."""
        return {"won": self.won, "lost": self.lost, "cleared": self.cleared}[kind]


@dataclass(frozen=True)
class AgingCard:
    id: int
    title: str
    stage: str
    lane: str
    age_days: int
    past_percentile: int | None


@dataclass(frozen=True)
class WipWeek:
    week: str
    start: date
    open: dict[str, int]


@dataclass(frozen=True)
class FlowWeek:
    week: str
    start: date
    done: int
    reached: dict[str, int]


Week = TypeVar("Week", WipWeek, FlowWeek)


@dataclass(frozen=True)
class StageWeeks(Generic[Week]):
    """A weekly series over the stages, from the Monday `since`."""

    since: date
    stages: list[str]
    weeks: list[Week]


WipOverTime = StageWeeks[WipWeek]
CumulativeFlow = StageWeeks[FlowWeek]


@dataclass(frozen=True)
class WinsBy:
    """At 50/85/95 % confidence, at least this many wins by `date` (`weeks` from today)."""

    date: date
    weeks: int
    c50: int
    c85: int
    c95: int


@dataclass(frozen=True)
class OpenThrough:
    """At 50/85/95 % confidence, the `cards` open now are closed by this day (None: not
    within `max_weeks`)."""

    cards: int
    max_weeks: int
    c50: date | None
    c85: date | None
    c95: date | None


@dataclass(frozen=True)
class ExpectedToClose:
    by: date
    cards: int


@dataclass(frozen=True)
class Forecast:
    runs: int
    seed: int
    sample_weeks: list[str]
    wins_by: WinsBy | None
    open_through: OpenThrough | None
    expected_to_close: ExpectedToClose


@dataclass(frozen=True)
class ChartFigures:
    """The headline figures and everything the charts draw."""

    today: date
    period: Period
    best_by_days: int
    best_by_basis: str
    best_by_explained: str
    past_best_by: int
    open: int
    won: int
    lost: int
    cleared: int
    win_rate: float | None
    wip: dict[str, Wip]
    lane_wip: dict[str, Wip]
    time_to_close_days: TimeToClose
    time_to_close_points: list[ClosePoint]
    throughput_per_week: list[WeekClosed]
    aging: list[AgingCard]
    wip_over_time: WipOverTime
    cumulative_flow: CumulativeFlow
    forecast: Forecast


@dataclass(frozen=True)
class LaneWinRate:
    lane: str
    won: int
    lost: int
    win_rate: float | None


@dataclass(frozen=True)
class LostReason:
    reason: str
    count: int


@dataclass(frozen=True)
class ClearedMonth:
    month: str
    reason: str | None  # the rule(s) clearance recorded; None on cards cleared without one
    cards: int
    value: int


@dataclass(frozen=True)
class TouchAverage:
    cards: int
    average: float | None


@dataclass(frozen=True)
class Touches:
    target: int
    won: TouchAverage
    lost: TouchAverage


@dataclass(frozen=True)
class WaitingLead:
    id: int
    title: str
    stage: str
    waiting_days: int


@dataclass(frozen=True)
class SpeedToLead:
    """Days from a lead's arrival to its first touch (median and p85 over `touched` leads),
    and the open ones still waiting."""

    touched: int
    p50_days: int | None
    p85_days: int | None
    waiting: int
    longest_waiting: list[WaitingLead]


@dataclass(frozen=True)
class DetailFigures:
    """Win rate per lane, lost reasons, cleared inventory, touches and speed to lead."""

    win_rate_by_lane: list[LaneWinRate]
    lost_reasons: list[LostReason]
    cleared_per_month: list[ClearedMonth]
    touches: Touches
    speed_to_lead: SpeedToLead


@dataclass(frozen=True)
class FlowFigures:
    """Every figure of `pkanban stats`: the charts' and the tables'."""

    charts: ChartFigures
    details: DetailFigures

    def as_json(self) -> dict[str, Json]:
        charts, details = as_json(self.charts), as_json(self.details)
        assert isinstance(charts, dict) and isinstance(details, dict)
        return {**charts, **details}
