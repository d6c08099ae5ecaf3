"""Morning triage and the follow-up rules (DESIGN ideas 3 and 4): what needs the seller today.

An open card is in today's queue for each of these reasons, in this order of urgency:

1. **overdue** — its next step was due before today;
2. **due today** — its next step is due today;
3. **not contacted** — it is in an active stage and was never touched, or was pulled and not
   touched since;
4. **no next step** — it is in an active stage with no next-step date, so nothing would bring it
   back (a dead queue);
5. **stale** — in an active stage, past the stage's shelf life;
6. **past best-by** — in an active stage, older than the board's best-by;
7. **close slipped** — its expected close date (`close_by`) has passed and it is still open;
8. **blocked** — it carries a blocked reason.

Pool cards are inventory, not work: they come to triage only when a follow-up date they carry
falls due (e.g. a nurtured lead), their expected close date has passed, or they are blocked;
the clearance wizard deals with old inventory. A card snoozed until after today is never in
the queue.

The queue lists each card once, with all its reasons, placed by its most urgent one; within the
same reason the best money comes first (highest rank score, then the older card).

The "earn the next lead" rule (`lead_debt`) lives here too: a pulled card in an active stage
holds up the next pull until it has been touched since it was pulled and has no overdue step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal, get_args

from pkanban.domain.ages import stage_age_days, total_age_days
from pkanban.domain.models import Card, Stage

if TYPE_CHECKING:  # ranking is not needed to draw the board (README, Performance)
    from pkanban.domain.ranking import Score

ReasonKind = Literal[
    "overdue",
    "due_today",
    "not_contacted",
    "no_next_step",
    "stale",
    "past_best_by",
    "close_slipped",
    "blocked",
]
REASON_ORDER: tuple[ReasonKind, ...] = get_args(ReasonKind)  # most urgent first


@dataclass(frozen=True)
class Reason:
    kind: ReasonKind
    text: str


@dataclass(frozen=True)
class TriageItem:
    card: Card
    stage: Stage
    score: Score
    reasons: tuple[Reason, ...]

    @property
    def first(self) -> Reason:
        return self.reasons[0]


def is_snoozed(card: Card, today: date) -> bool:
    return card.snoozed_until is not None and card.snoozed_until > today


def step_overdue(disposition: str, next_due: date | None, today: date) -> bool:
    """An open card whose next step was due before today."""
    return disposition == "open" and next_due is not None and next_due < today


def close_by_phrase(close_by: date, today: date) -> str:
    """How an open card's expected close date stands: `in 14 d`, `today` or `overdue 3 d`."""
    days = (close_by - today).days
    if days > 0:
        return f"in {days} d"
    return "today" if days == 0 else f"overdue {-days} d"


def needs_next_step(card: Card, stage: Stage) -> bool:
    """An open card in an active stage with no follow-up date sits in a dead queue."""
    return card.is_open and stage.kind == "active" and card.next_due is None


def triage_reasons(card: Card, stage: Stage, today: date, best_by_days: int) -> tuple[Reason, ...]:
    """Why `card` needs the seller today, most urgent first (empty: it can wait)."""
    if not card.is_open or is_snoozed(card, today):
        return ()
    reasons: list[Reason] = []
    step = f": {card.next_step}" if card.next_step else ""
    if card.next_due is not None and card.next_due < today:
        reasons.append(Reason("overdue", f"next step overdue since {card.next_due}{step}"))
    elif card.next_due == today:
        reasons.append(Reason("due_today", f"next step due today{step}"))
    active = stage.kind == "active"
    if active and _not_contacted(card):
        text = (
            "never contacted"
            if card.pulled is None
            else f"pulled {card.pulled}, not contacted since"
        )
        reasons.append(Reason("not_contacted", text))
    if needs_next_step(card, stage):
        text = f"next step has no date{step}" if card.next_step else "no next step"
        reasons.append(Reason("no_next_step", text))
    shelf = stage.shelf_life_days
    in_stage = stage_age_days(card, today)
    if active and shelf is not None and in_stage > shelf:
        reasons.append(Reason("stale", f"stale: {in_stage}d in {stage.name}, shelf life {shelf}d"))
    age = total_age_days(card, today)
    if active and age > best_by_days:
        reasons.append(Reason("past_best_by", f"past best-by: {age}d old, best-by {best_by_days}d"))
    if card.close_by is not None and card.close_by < today:
        late = (today - card.close_by).days
        reasons.append(Reason("close_slipped", f"expected to close {late} d ago"))
    if card.blocked_reason:
        reasons.append(Reason("blocked", f"blocked: {card.blocked_reason}"))
    return tuple(reasons)


def build_queue(
    entries: Iterable[tuple[Card, Stage, Score]], today: date, best_by_days: int
) -> list[TriageItem]:
    """Today's queue from candidate cards, in the documented order."""
    items = [
        TriageItem(card, stage, score, reasons)
        for card, stage, score in entries
        if (reasons := triage_reasons(card, stage, today, best_by_days))
    ]
    items.sort(
        key=lambda item: (REASON_ORDER.index(item.first.kind), -item.score.total, item.card.id)
    )
    return items


def lead_debt(card: Card, stage: Stage, today: date) -> str | None:
    """What a pulled lead still needs before the next pull is earned (None: it is earned)."""
    if not card.is_open or card.pulled is None or stage.kind != "active":
        return None
    needs = []
    if card.last_touch is None or card.last_touch < card.pulled:
        needs.append("no touch yet")
    if card.next_due is not None and card.next_due < today:
        needs.append(f"next step overdue since {card.next_due}")
    return "; ".join(needs) or None


def _not_contacted(card: Card) -> bool:
    if card.last_touch is None:
        return card.touch_count == 0 or card.pulled is not None
    return card.pulled is not None and card.last_touch < card.pulled


def lost_nudge(touch_count: int, touch_target: int) -> str:
    """One line before a card is marked lost with fewer touches than the target (it does not
    block: the 5–7 contacts are the point of the pull system)."""
    if touch_count >= touch_target:
        return ""
    return (
        f"Only {touch_count} of {touch_target} touches so far — most deals take 5–7 contacts;"
        " one more try first?"
    )
