"""Best money first (DESIGN idea 4): a transparent score for every open card.

The score is a sum of four components a seller can check by hand:

- **value**, 0 to 40 points: `40 × value / (value + typical)`, where *typical* is the median
  value of the board's last 100 won deals (by close date: deal sizes drift, and the archive is
  not read whole), or of its open cards while no win has a value. A deal worth the typical win
  scores 20; twice as much about 27; ten times 36. A card with no value is unknown: it scores
  no value points (and `why` says the value is unknown, not $0) until a value is set.
- **probability**, 0 to 30 points: `30 × p`, where p is the card's own probability if set,
  else its stage's; no probability scores 0.
- **fit**, 0 to 30 points: `30 × yes answers / criteria` on the best-customer checklist in the
  settings; unanswered criteria count as not (yet) yes, answers to criteria no longer on the
  checklist are ignored.
- **staleness**, 0 to −40 points: `−40 × x / (1 + x)`, where x adds up how far the card is past
  its stage's shelf life and past the board's best-by, each as a fraction of that limit (21 days
  past a 21-day shelf life is x = 1: −20 points). Fresh cards lose nothing.

Each component is rounded to one decimal and the total is their sum, so what the seller reads
adds up. Ties go to the larger value, then to the older card (lower id).
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple, Protocol

from pkanban.domain.bestby import nearest_rank
from pkanban.domain.errors import InvalidInput
from pkanban.domain.models import Stage
from pkanban.domain.money import format_money

RECENT_WINS = 100
VALUE_POINTS = 40
PROBABILITY_POINTS = 30
FIT_POINTS = 30
STALENESS_POINTS = 40

TypicalBasis = Literal["won", "open", "none"]


class Rankable(Protocol):
    """What a score reads from a card (a `Card`, or a lighter row from the store)."""

    @property
    def id(self) -> int: ...
    @property
    def value(self) -> int | None: ...
    @property
    def probability(self) -> float | None: ...
    @property
    def checklist(self) -> dict[str, bool]: ...
    @property
    def created(self) -> date: ...
    @property
    def entered_stage(self) -> date: ...


@dataclass(frozen=True)
class TypicalValue:
    """The board's typical deal: what a card's value is measured against."""

    amount: int | None
    basis: TypicalBasis
    count: int

    @property
    def sentence(self) -> str:
        if self.basis == "won":
            return f"median of the last {self.count} won deal{'s' * (self.count != 1)}"
        if self.basis == "open":
            return f"median of {self.count} open card{'s' * (self.count != 1)} (no wins yet)"
        return "no deal has a value yet"


def typical_value(values: list[int], basis: TypicalBasis) -> TypicalValue:
    """The median (nearest rank, like best-by) of the deal values given; zeros are ignored."""
    counted = [value for value in values if value > 0]
    if not counted:
        return TypicalValue(None, "none", 0)
    return TypicalValue(nearest_rank(counted, 50), basis, len(counted))


@dataclass(frozen=True)
class RankBasis:
    """What every score on a board is measured against, read once per ranking."""

    typical: TypicalValue
    best_by_days: int
    checklist: tuple[str, ...]
    currency: str = "$"


@dataclass(frozen=True)
class Component:
    """One line of a score's explanation: `value +22.4  $12k against a typical $10k`."""

    name: str
    points: float
    explanation: str
    in_app: str = ""  # the same explanation naming the app's keys, when it names a command

    @property
    def explanation_in_app(self) -> str:
        return self.in_app or self.explanation


class Score(NamedTuple):
    """A card's points per component and the facts behind them (explained on demand).

    A named tuple rather than a dataclass: a pull scores every lead in the pool, and tuples
    are several times cheaper to build.
    """

    card_id: int
    value_points: float
    probability_points: float
    fit_points: float
    staleness_points: float
    value: int | None
    probability: float | None
    probability_from_card: bool
    stage_name: str
    fit_yes: int
    days_past_shelf: int
    shelf_life_days: int | None
    days_past_best_by: int
    basis: RankBasis

    @property
    def total(self) -> float:
        return round(
            self.value_points + self.probability_points + self.fit_points + self.staleness_points,
            1,
        )

    @property
    def components(self) -> tuple[Component, ...]:
        return (
            Component("value", self.value_points, self._value_text(), self._value_text(True)),
            Component("probability", self.probability_points, self._probability_text()),
            Component("fit", self.fit_points, self._fit_text()),
            Component("staleness", self.staleness_points, self._staleness_text()),
        )

    @property
    def why(self) -> str:
        """One line: each component with the fact behind it."""
        return " · ".join(
            f"{part.name} {signed_points(part.points)} ({part.explanation})"
            for part in self.components
        )

    def _value_text(self, in_app: bool = False) -> str:
        if self.value is None:
            if in_app:
                return "unknown (not $0) — e sets it"
            return f"value unknown (not $0) — set it: pkanban edit {self.card_id} --value N"
        shown = format_money(self.value, self.basis.currency)
        typical = self.basis.typical
        if typical.amount is None:
            return f"{shown}; {typical.sentence}"
        return f"{shown} against a typical {format_money(typical.amount, self.basis.currency)}"

    def _probability_text(self) -> str:
        if self.probability is None:
            return f"no probability for {self.stage_name}"
        if self.probability_from_card:
            return f"{self.probability:.0%} set on the card"
        return f"{self.probability:.0%} in {self.stage_name}"

    def _fit_text(self) -> str:
        if not self.basis.checklist:
            return "no checklist set"
        return f"{self.fit_yes}/{len(self.basis.checklist)} criteria met"

    def _staleness_text(self) -> str:
        facts = []
        if self.days_past_shelf > 0:
            facts.append(f"{self.days_past_shelf}d past {self.shelf_life_days}d shelf life")
        if self.days_past_best_by > 0:
            facts.append(f"{self.days_past_best_by}d past {self.basis.best_by_days}d best-by")
        return ", ".join(facts) or "fresh"


def score_card(card: Rankable, stage: Stage, basis: RankBasis, today: date) -> Score:
    """The card's score on `today`; only numbers are computed here (a pull scores the pool)."""
    value = card.value
    typical = basis.typical.amount
    value_points = 0.0
    if value is not None and typical is not None:
        value_points = round(VALUE_POINTS * value / (value + typical), 1)
    probability = card.probability if card.probability is not None else stage.probability
    probability_points = 0.0 if probability is None else round(PROBABILITY_POINTS * probability, 1)
    fit_yes = 0
    if basis.checklist and card.checklist:
        fit_yes = sum(1 for item in basis.checklist if card.checklist.get(item) is True)
    fit_points = round(FIT_POINTS * fit_yes / len(basis.checklist), 1) if basis.checklist else 0.0
    shelf = stage.shelf_life_days
    past_shelf = 0 if shelf is None else (today - card.entered_stage).days - shelf
    past_best_by = (today - card.created).days - basis.best_by_days
    overrun = (max(past_shelf, 0) / shelf if shelf else 0.0) + (
        max(past_best_by, 0) / basis.best_by_days
    )
    staleness_points = round(-STALENESS_POINTS * overrun / (1 + overrun), 1) if overrun else 0.0
    return Score(
        card_id=card.id,
        value_points=value_points,
        probability_points=probability_points,
        fit_points=fit_points,
        staleness_points=staleness_points,
        value=value,
        probability=probability,
        probability_from_card=card.probability is not None,
        stage_name=stage.name,
        fit_yes=fit_yes,
        days_past_shelf=past_shelf,
        shelf_life_days=shelf,
        days_past_best_by=past_best_by,
        basis=basis,
    )


def rank_key(score: Score, value: int | None) -> tuple[float, int, int]:
    """Sort key, best first: higher total, then higher value, then the older card."""
    return (-score.total, -(value or 0), score.card_id)


def match_criterion(name: str, checklist: tuple[str, ...]) -> str:
    """The checklist criterion `name` means: exact (any case), else a unique prefix."""
    wanted = " ".join(name.split()).casefold()
    exact = [item for item in checklist if item.casefold() == wanted]
    if exact:
        return exact[0]
    prefixed = [item for item in checklist if wanted and item.casefold().startswith(wanted)]
    if len(prefixed) == 1:
        return prefixed[0]
    if not checklist:
        raise InvalidInput(
            "The best-customer checklist is empty — set it with: pkanban config set checklist"
            ' "Budget confirmed, Decision maker known"',
            in_app="The best-customer checklist is empty — press C on the board to set it",
        )
    listed = ", ".join(f'"{item}"' for item in checklist)
    what = "matches several criteria" if prefixed else "is not on the checklist"
    raise InvalidInput(f'"{name.strip()[:60]}" {what} — the checklist is: {listed}')


def signed_points(points: float) -> str:
    """`+22.4` or `−12.3` (a real minus sign), as the why line shows points."""
    if points == 0:
        return "0.0"
    return f"−{abs(points):.1f}" if points < 0 else f"+{points:.1f}"
