"""Hard WIP limits (DESIGN §3): the one place the rule lives.

Every entry point — CLI, TUI move, pull, import, undo, restore — calls `check_wip` before a card
enters a stage or lane. A stage limit counts open cards in that stage across all lanes. A lane
limit counts open cards in the lane's *active* stages: the pool is inventory, not work in
process, so pool cards never use a lane's WIP. Lowering a limit below the current count is
allowed; the stage or lane then accepts no inflow until it is back under its limit.
"""

from dataclasses import dataclass

from pkanban.domain.errors import WipLimitReached
from pkanban.domain.models import Lane, Stage


@dataclass(frozen=True)
class Placement:
    """Where an open card sits (or would sit)."""

    stage: Stage
    lane: Lane


def check_wip(
    origin: Placement | None,
    target: Placement,
    stage_open: int,
    lane_open: int,
) -> None:
    """Refuse moving a card from `origin` (None: a new or reopened card) to `target`.

    `stage_open` / `lane_open` are the target's current open counts, not counting the card
    itself. Raises `WipLimitReached` naming the limit and the way out; returns None when allowed.
    """
    enters_stage = origin is None or origin.stage.id != target.stage.id
    if enters_stage and _is_full(target.stage.wip_limit, stage_open):
        raise _refusal(target.stage.name, stage_open, target.stage.wip_limit, "stage")
    enters_lane_wip = target.stage.kind == "active" and (
        origin is None or origin.lane.id != target.lane.id or origin.stage.kind != "active"
    )
    if enters_lane_wip and _is_full(target.lane.wip_limit, lane_open):
        raise _refusal(target.lane.name, lane_open, target.lane.wip_limit, "lane")


def _is_full(limit: int | None, count: int) -> bool:
    return limit is not None and count + 1 > limit


def _refusal(name: str, count: int, limit: int | None, what: str) -> WipLimitReached:
    """The refusal, with its way out for the shell and, naming keys, for the app."""
    label = name if what == "stage" else f"{name} lane"
    full = f"{label} is full: {count}/{limit}"
    return WipLimitReached(
        f"{full} — finish, clear or move one first"
        f' (or raise the limit: pkanban config {what} "{name}" --wip N)',
        in_app=f"{full} — finish one (w won, x lost), clear one (c) or move one out (shift+arrows)",
    )
