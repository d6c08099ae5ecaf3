"""Ages and badges (DESIGN §3): whole calendar days, `today − date`, no +1.

Badge levels, most severe first: *expired* (total age past best-by), *stale* (age in stage past
the stage's shelf life), *ripening* (at least half the shelf life), *fresh*. Every badge has a
text form so it survives no-colour terminals and markdown: `12d`, `12d/21d`, `⚠ 25d/21d`,
`✖ 130d/75d`.
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pkanban.domain.models import Card, Stage

BadgeLevel = Literal["fresh", "ripening", "stale", "expired", "closed"]


@dataclass(frozen=True, slots=True)
class Badge:
    level: BadgeLevel
    text: str


def days_between(start: date, end: date) -> int:
    """Whole days from `start` to `end`; never negative (a `--today` before the card existed
    reads as day 0, not as a negative age)."""
    return max(0, (end - start).days)


def age_days(since: date, closed: date | None, today: date) -> int:
    """Days from `since` to today, or to the day a closed card closed (its age stops there)."""
    return days_between(since, closed or today)


def total_age_days(card: Card, today: date) -> int:
    return age_days(card.created, card.closed, today)


def stage_age_days(card: Card, today: date) -> int:
    return age_days(card.entered_stage, card.closed, today)


def idle_days(card: Card, today: date) -> int:
    return days_between(card.last_touch or card.created, today)


def badge(card: Card, stage: Stage, best_by_days: int, today: date) -> Badge:
    """The age badge a card shows in its stage, given the board's best-by days."""
    return age_badge(
        card.disposition,
        total_age_days(card, today),
        stage_age_days(card, today),
        stage.shelf_life_days,
        best_by_days,
    )


def age_badge(
    disposition: str, total: int, in_stage: int, shelf: int | None, best_by_days: int
) -> Badge:
    """The badge from ages already worked out: a list of thousands of cards reads them from
    plain rows, without building each card."""
    if disposition != "open":
        return Badge("closed", f"{disposition} {total}d")
    if total > best_by_days:
        return Badge("expired", f"✖ {total}d/{best_by_days}d")
    if shelf is None:
        return Badge("fresh", f"{in_stage}d")
    if in_stage > shelf:
        return Badge("stale", f"⚠ {in_stage}d/{shelf}d")
    if in_stage * 2 >= shelf:
        return Badge("ripening", f"{in_stage}d/{shelf}d")
    return Badge("fresh", f"{in_stage}d")
