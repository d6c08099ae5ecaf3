"""Hard WIP limits (DESIGN §3): the one place the rule lives.

Every entry point — CLI, TUI move, pull, import, undo, restore — calls `check_wip` before a card
enters a stage or lane. What counts toward a limit is `counts_toward`: a stage limit counts open
cards in that stage across all lanes; a lane limit counts open cards in the lane's *active*
stages — the pool is inventory, not work in process, so pool cards never use a lane's WIP.
The store's counts (`store.board.count_toward_limit`, `open_counts`), the import's running
counts, the clearance summary and the screens' headers all ask `counts_toward`.

Lowering a limit below the current count is allowed; the stage or lane then accepts no inflow
until it is back under its limit. "Start with what you do now": a deal that arrives already
being worked (an import of a CRM's active stage, `in_progress=True`) keeps its place even past a
limit, and the board shows the overload (`wip_level`, `over_by`) instead of hiding it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pkanban.domain.errors import WipLimitReached
from pkanban.domain.models import Lane, Stage


@dataclass(frozen=True)
class Placement:
    """Where an open card sits (or would sit)."""

    stage: Stage
    lane: Lane


def counts_toward(stage: Stage, what: Literal["stage", "lane"]) -> bool:
    """Does an open card in `stage` use WIP of its stage / of its lane?"""
    return what == "stage" or stage.kind == "active"


def check_wip(
    origin: Placement | None,
    target: Placement,
    stage_open: int,
    lane_open: int,
    *,
    in_progress: bool = False,
    held_before: tuple[int, int] = (0, 0),
) -> None:
    """Refuse moving a card from `origin` (None: a new or reopened card) to `target`.

    `stage_open` / `lane_open` are the target's current open counts, not counting the card
    itself. `in_progress` marks a new card that is already being worked elsewhere (a CRM's
    active deal on import): it keeps its place over a limit. `held_before` is what the target
    stage and lane held before a clearance that is being undone: the clearance is undone as a
    whole, so the board comes back as it was, an overload included — never past it.
    Raises `WipLimitReached` naming the limit and the way out; returns None when allowed.
    """
    if in_progress and origin is None:
        return
    enters_stage = origin is None or origin.stage.id != target.stage.id
    stage_held, lane_held = held_before
    if enters_stage and _is_full(target.stage.wip_limit, stage_open, stage_held):
        raise _refusal(target.stage.name, stage_open, target.stage.wip_limit, "stage")
    enters_lane_wip = counts_toward(target.stage, "lane") and (
        origin is None
        or origin.lane.id != target.lane.id
        or not counts_toward(origin.stage, "lane")
    )
    if enters_lane_wip and _is_full(target.lane.wip_limit, lane_open, lane_held):
        raise _refusal(target.lane.name, lane_open, target.lane.wip_limit, "lane")


def held_before_action(
    now: tuple[dict[int, int], dict[int, int]],
    changes: Iterable[tuple[tuple[int, int] | None, tuple[int, int] | None]],
    active_stages: set[int],
) -> tuple[dict[int, int], dict[int, int]]:
    """The undo rule: what each stage and lane held before the action being undone.

    `now` is today's open counts (per stage, per lane, as `counts_toward` counts them);
    `changes` are the action's open cards as (stage_id, lane_id) before and after it (None: not
    open then). Undo may put a card back into a place while that leaves it no fuller than this
    (or within its limit) — so undoing a move out of an over-limit stage, or a clearance, is
    allowed, and nothing an undo does makes a place fuller than max(limit, held before).
    """
    by_stage, by_lane = dict(now[0]), dict(now[1])
    for before, after in changes:
        for place, sign in ((after, -1), (before, +1)):
            if place is None:
                continue
            stage_id, lane_id = place
            by_stage[stage_id] = by_stage.get(stage_id, 0) + sign
            if stage_id in active_stages:
                by_lane[lane_id] = by_lane.get(lane_id, 0) + sign
    return by_stage, by_lane


@dataclass(frozen=True)
class Wip:
    """A stage's or lane's open cards that count toward its limit, against the limit."""

    name: str
    what: Literal["stage", "lane"]
    count: int
    limit: int | None

    @property
    def over(self) -> int:
        return over_by(self.count, self.limit)

    @property
    def label(self) -> str:
        return self.name if self.what == "stage" else f"{self.name} lane"

    def as_json(self) -> dict:
        return {"count": self.count, "limit": self.limit, "over": self.over}

    def overload(self) -> str:
        """`Contacted 61/8 · over by 53` — what an over-limit place reads on the board."""
        return f"{self.label} {self.count:,}/{self.limit} · over by {self.over:,}"

    def kept(self) -> str:
        """What a restore says of a place it brings back over its limit."""
        return f"{self.overload()} — kept as it was; it takes no new cards until it is under"


def over_by(count: int, limit: int | None) -> int:
    """How many open cards a stage or lane holds past its limit (0 when within it)."""
    return 0 if limit is None else max(0, count - limit)


def wip_level(count: int, limit: int | None) -> str:
    """ "full" at a WIP limit, "over" past it, "" otherwise (or with no limit)."""
    if limit is None or count < limit:
        return ""
    return "full" if count == limit else "over"


def _is_full(limit: int | None, count: int, held_before: int = 0) -> bool:
    return limit is not None and count + 1 > max(limit, held_before)


def _refusal(name: str, count: int, limit: int | None, what: str) -> WipLimitReached:
    """The refusal, with its way out for the shell and, naming keys, for the app."""
    label = name if what == "stage" else f"{name} lane"
    raise_it = f'raise the limit: pkanban config {what} "{name}" --wip N'
    full = f"{label} is full: {count:,}/{limit:,}"
    over = over_by(count, limit)
    if over:
        full += f", over by {over:,} — it takes no new cards until it is under"
        return WipLimitReached(
            f"{full}: finish, clear (the clearance wizard: pkanban clearance) or move some out"
            f" (or {raise_it})",
            in_app=f"{full}: finish (w won, x lost), clear (c) or move some out (shift+arrows)",
        )
    return WipLimitReached(
        f"{full} — finish, clear or move one first (or {raise_it})",
        in_app=f"{full} — finish one (w won, x lost), clear one (c) or move one out (shift+arrows)",
    )
