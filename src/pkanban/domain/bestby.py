"""Best-by days: how old a prospect can get before it is probably dead stock (DESIGN §3)."""

import math
from dataclasses import dataclass
from typing import Literal


def nearest_rank_position(count: int, percentile: float) -> int:
    """1-based rank of the `percentile` value among `count` sorted values: ⌈p·n⌉, at least 1."""
    if count <= 0:
        raise ValueError("no values")
    return max(1, math.ceil(percentile / 100 * count - 1e-9))


def nearest_rank(values: list[int], percentile: float) -> int:
    """The nearest-rank percentile of `values` (sort ascending, take rank ⌈p·n⌉)."""
    ordered = sorted(values)
    return ordered[nearest_rank_position(len(ordered), percentile) - 1]


@dataclass(frozen=True)
class BestBy:
    days: int
    basis: Literal["percentile", "fallback"]
    wins: int
    percentile: int
    min_wins: int = 10

    @property
    def sentence(self) -> str:
        """How the figure was derived, in words a seller reads in the header and the wizard."""
        if self.basis == "percentile":
            return (
                f"{self.percentile} % of your {self.wins:,} wins closed within {self.days} days"
                " — a prospect older than that is probably dead stock"
            )
        wins = "no wins" if self.wins == 0 else f"only {self.wins} win{'s' * (self.wins != 1)}"
        return f"{self.days} days (fallback: {wins} so far, best-by needs {self.min_wins})"


def best_by(
    win_days_at_rank: int | None, wins: int, percentile: int, fallback_days: int, min_wins: int
) -> BestBy:
    """Best-by from the won cards' days-to-close value at the percentile's rank.

    The store looks that single value up with `nearest_rank_position`, so the archive is
    queried, not loaded; with fewer than `min_wins` wins the fallback is used.
    """
    if wins < min_wins or win_days_at_rank is None:
        return BestBy(fallback_days, "fallback", wins, percentile, min_wins)
    return BestBy(win_days_at_rank, "percentile", wins, percentile, min_wins)
