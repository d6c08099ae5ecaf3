"""Best money first (DESIGN idea 4): a transparent score for every open card.

The score is a sum of four components a seller can check by hand:

- **value**, 0 to 40 points: `40 × value / (value + typical)`, where *typical* is the median
  value of the board's won deals (of its open cards while there are no wins with a value). A
  deal worth the typical win scores 20; twice as much about 27; no value scores 0.
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
from typing import Literal, Protocol

from pkanban.domain.ages import days_between
from pkanban.domain.bestby import nearest_rank_position
from pkanban.domain.errors import InvalidInput
from pkanban.domain.models import Stage
from pkanban.domain.money import format_money

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
            return f"median of {self.count} won deal{'s' * (self.count != 1)}"
        if self.basis == "open":
            return f"median of {self.count} open card{'s' * (self.count != 1)} (no wins yet)"
        return "no deal has a value yet"


def typical_value(median_at_rank: int | None, count: int, basis: TypicalBasis) -> TypicalValue:
    """The typical value from the store's one median row (`median_rank(count)`-th smallest)."""
    if median_at_rank is None or count == 0 or median_at_rank <= 0:
        return TypicalValue(None, "none", 0)
    return TypicalValue(median_at_rank, basis, count)


def median_rank(count: int) -> int:
    """1-based rank of the median among `count` sorted values (nearest rank, like best-by)."""
    return nearest_rank_position(count, 50)


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


@dataclass(frozen=True)
class Score:
    card_id: int
    value_points: float
    probability_points: float
    fit_points: float
    staleness_points: float
    components: tuple[Component, ...]

    @property
    def total(self) -> float:
        return round(
            self.value_points + self.probability_points + self.fit_points + self.staleness_points,
            1,
        )

    @property
    def why(self) -> str:
        """One line: each component with the fact behind it."""
        return " · ".join(
            f"{part.name} {signed_points(part.points)} ({part.explanation})"
            for part in self.components
        )


def score_card(card: Rankable, stage: Stage, basis: RankBasis, today: date) -> Score:
    """The card's score on `today`, with each component and its reason."""
    value_points, value_text = _value(card.value, basis)
    probability_points, probability_text = _probability(card.probability, stage)
    fit_points, fit_text = _fit(card.checklist, basis.checklist)
    staleness_points, staleness_text = _staleness(card, stage, basis.best_by_days, today)
    return Score(
        card_id=card.id,
        value_points=value_points,
        probability_points=probability_points,
        fit_points=fit_points,
        staleness_points=staleness_points,
        components=(
            Component("value", value_points, value_text),
            Component("probability", probability_points, probability_text),
            Component("fit", fit_points, fit_text),
            Component("staleness", staleness_points, staleness_text),
        ),
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
            ' "Budget confirmed, Decision maker known"'
        )
    listed = ", ".join(f'"{item}"' for item in checklist)
    what = "matches several criteria" if prefixed else "is not on the checklist"
    raise InvalidInput(f'"{name.strip()[:60]}" {what} — the checklist is: {listed}')


def _value(value: int | None, basis: RankBasis) -> tuple[float, str]:
    typical = basis.typical
    if value is None:
        return 0.0, "no value"
    shown = format_money(value, basis.currency)
    if typical.amount is None:
        return 0.0, f"{shown}; {typical.sentence}"
    points = round(VALUE_POINTS * value / (value + typical.amount), 1)
    return points, f"{shown} against a typical {format_money(typical.amount, basis.currency)}"


def _probability(own: float | None, stage: Stage) -> tuple[float, str]:
    if own is not None:
        return round(PROBABILITY_POINTS * own, 1), f"{own:.0%} set on the card"
    if stage.probability is not None:
        return round(PROBABILITY_POINTS * stage.probability, 1), (
            f"{stage.probability:.0%} in {stage.name}"
        )
    return 0.0, f"no probability for {stage.name}"


def _fit(answers: dict[str, bool], checklist: tuple[str, ...]) -> tuple[float, str]:
    if not checklist:
        return 0.0, "no checklist set"
    yes = sum(1 for item in checklist if answers.get(item) is True)
    return round(FIT_POINTS * yes / len(checklist), 1), f"{yes}/{len(checklist)} criteria met"


def _staleness(card: Rankable, stage: Stage, best_by_days: int, today: date) -> tuple[float, str]:
    facts, overrun = [], 0.0
    shelf = stage.shelf_life_days
    if shelf is not None:
        past_shelf = days_between(card.entered_stage, today) - shelf
        if past_shelf > 0:
            overrun += past_shelf / shelf
            facts.append(f"{past_shelf}d past {shelf}d shelf life")
    past_best_by = days_between(card.created, today) - best_by_days
    if past_best_by > 0:
        overrun += past_best_by / best_by_days
        facts.append(f"{past_best_by}d past {best_by_days}d best-by")
    if not facts:
        return 0.0, "fresh"
    points = round(-STALENESS_POINTS * overrun / (1 + overrun), 1)
    return points, ", ".join(facts)


def signed_points(points: float) -> str:
    """`+22.4` or `−12.3` (a real minus sign), as the why line shows points."""
    if points == 0:
        return "0.0"
    return f"−{abs(points):.1f}" if points < 0 else f"+{points:.1f}"
