"""The clearance use cases: find dead stock, decide card by card or per rule, apply at once.

`find_candidates` asks the store for the cards the rules flag (domain/clearance.py says which
and why). A `ClearancePlan` collects one decision per candidate — clear, lost, nurture, keep or
skip — and `summarise` says what it would do before anything changes; both are pure and live in
domain/clearance_plan.py (re-exported here, so `clearances.clear()` etc. keep working).
`apply_plan` backs the board up, then writes every decision as ONE action in one transaction
(one event per card), so a kill or an error mid-apply leaves the board as it was, and one
`undo` reverts it all.

Where decisions land on a card:
- clear: `disposition='cleared'`, `closed` = today, the reason in `lost_reason` (that column is
  the close reason of lost *and* cleared cards). Archived, never deleted: `ls --all` shows it.
- lost: `disposition='lost'`, `closed` = today, the reason in `lost_reason`.
- nurture: back to the pool (its lane's pool stage; an active card goes to the first pool
  stage) through the WIP gate, age in stage restarting if it changed stage; next step
  "Nurture follow-up" due on the follow-up date, and snoozed until then (`snooze_reason`
  "Nurture …") so neither triage nor clearance shows it before its follow-up.
- keep: snoozed for the chosen days with the reason (`snoozed_until`, `snooze_reason`).
- skip (or undecided): untouched; it will be a candidate again next time.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from pkanban.domain import clearance as domain
from pkanban.domain.clearance import AccountFigures, ClearanceCandidate, Mode, Thresholds
from pkanban.domain.clearance_plan import (
    ACTIONS,
    MAX_SNOOZE_DAYS,
    NURTURE_STEP,
    Action,
    CandidateReport,
    ClearancePlan,
    ClearanceSummary,
    Decision,
    RuleTotal,
    YearlyReview,
    clear,
    keep,
    lost,
    nurture,
    plan_all,
    skip,
    summarise,
)
from pkanban.domain.errors import Conflict, InvalidInput
from pkanban.domain.models import Stage
from pkanban.services.backup import backup
from pkanban.services.cards import place_card
from pkanban.services.views import BoardContext, board_context
from pkanban.store import actions, board
from pkanban.store import clearance as queries
from pkanban.store.database import ActionLog, Store

__all__ = [  # the plan and summary live in domain/clearance_plan.py; callers may use either
    "ACTIONS",
    "APPLY_ORDER",
    "MAX_SNOOZE_DAYS",
    "NURTURE_STEP",
    "CandidateReport",
    "ClearancePlan",
    "ClearanceResult",
    "ClearanceSummary",
    "Decision",
    "RuleTotal",
    "YearlyReview",
    "apply_plan",
    "backup_path",
    "clear",
    "find_candidates",
    "keep",
    "lost",
    "nurture",
    "ongoing_candidate_count",
    "plan_all",
    "skip",
    "summarise",
    "yearly_review",
]


def find_candidates(
    store: Store, today: date, mode: Mode = "ongoing", rules: tuple[str, ...] | None = None
) -> CandidateReport:
    """Open cards the chosen rules flag (all the mode's rules if none are chosen)."""
    chosen = domain.selected_rules(mode, rules)
    context = board_context(store, today)
    every_rule = domain.mode_rules(mode)
    low_value: list[AccountFigures] = []
    names: list[str] = []
    if "low-value-account" in every_rule:
        figures = queries.account_figures(store.conn, today)
        low_value = domain.low_value_accounts(figures, context.settings.low_value_threshold)
        keys = {each.key for each in low_value}
        names = [each.name for each in figures if each.key in keys]  # every spelling
    limits = Thresholds(
        today, context.best_by.days, context.settings, frozenset(e.key for e in low_value)
    )
    found = []
    for card in queries.candidate_cards(
        store.conn, today, limits.best_by_days, limits.settings, chosen, names
    ):
        stage, lane = context.stage(card.stage_id), context.lane(card.lane_id)
        found.append(domain.candidate(card, stage, lane, limits, every_rule))
    candidates = tuple(each for each in found if each is not None)
    listed = {domain.account_key(each.account) for each in candidates}
    return CandidateReport(
        today=today,
        mode=mode,
        rules=chosen,
        best_by=context.best_by,
        settings=context.settings,
        candidates=candidates,
        accounts=tuple(
            each for each in low_value if each.key in listed and "low-value-account" in chosen
        ),
    )


def ongoing_candidate_count(store: Store, today: date) -> int:
    """How many cards an ongoing clearance would list: one count query, for the board header."""
    context = board_context(store, today)
    return queries.count_candidates(
        store.conn,
        today,
        context.best_by.days,
        context.settings,
        domain.mode_rules("ongoing"),
        None,
    )


def yearly_review(store: Store, today: date) -> YearlyReview:
    """Whether the yearly review is due, from the settings and the last yearly clearance."""
    mmdd = board.settings(store.conn).yearly_review
    last = queries.last_yearly_clearance(store.conn)
    due = domain.yearly_review_due(mmdd, today, last, queries.board_started(store.conn))
    return YearlyReview(due, domain.last_review_day(mmdd, today), last)


@dataclass(frozen=True)
class ClearanceResult:
    summary: ClearanceSummary
    backup: Path | None


APPLY_ORDER: tuple[Action, ...] = ("clear", "lost", "keep", "nurture")


def apply_plan(store: Store, today: date, plan: ClearancePlan) -> ClearanceResult:
    """Back up, then apply every decision as one undoable action in one transaction.

    Refused, changing nothing, when a candidate changed since the plan was made (another
    window) or a nurtured card may not enter the pool. Clears and losses are written first, so
    the room they free counts for the nurtured cards. A yearly plan with nothing to change is
    still recorded: it marks the yearly review as done.
    """
    summary = summarise(plan)
    if not summary.changed and plan.report.mode != "yearly":
        raise InvalidInput("Nothing to apply — every candidate is skipped")
    last_action = _last_action_id(store)
    saved = backup(store, backup_path(store, today)) if summary.changed else None
    try:
        with store.transaction():
            if _last_action_id(store) != last_action:
                raise Conflict("The board changed while it was being backed up — try again")
            context = board_context(store, today)
            with store.action(queries.CLEARED_KIND, summary.action_summary, today) as log:
                for action in APPLY_ORDER:
                    for each in plan.candidates:
                        decision = plan.decisions.get(each.card.id)
                        if decision is not None and decision.action == action:
                            _apply_one(store, log, context, each, decision)
    except BaseException:
        if saved is not None:
            saved.unlink(missing_ok=True)
        raise
    return ClearanceResult(summary, saved)


def backup_path(store: Store, today: date) -> Path:
    """`backups/<board>-clearance-<today>-<HHMMSS>.db` next to the board, never overwriting."""
    stem = f"{store.path.stem}-clearance-{today.isoformat()}-{datetime.now():%H%M%S}"
    folder = store.path.parent / "backups"
    path, n = folder / f"{stem}.db", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.db"
    return path


def _apply_one(
    store: Store,
    log: ActionLog,
    context: BoardContext,
    each: ClearanceCandidate,
    decision: Decision,
) -> None:
    current = board.card_from_row(log.snapshot("cards", each.card.id))
    if current.version != each.card.version or not current.is_open:
        raise Conflict(
            f"#{current.id} changed since this clearance was prepared — nothing was applied;"
            " run the clearance again"
        )
    today = context.today
    if decision.action in ("clear", "lost"):
        changes: dict = {
            "disposition": "cleared" if decision.action == "clear" else "lost",
            "closed": today.isoformat(),
            "lost_reason": decision.reason,
        }
    elif decision.action == "keep":
        until = today + timedelta(days=decision.snooze_days or 1)
        changes = {"snoozed_until": until.isoformat(), "snooze_reason": decision.reason}
    else:
        pool = each.stage if each.stage.kind == "pool" else _first_pool(context)
        lane = context.lane(current.lane_id)
        place_card(store.conn, current, pool, lane)
        assert decision.follow_up is not None  # a nurture without its day is refused before this
        follow_up = decision.follow_up.isoformat()
        changes = {
            "next_step": NURTURE_STEP,
            "next_due": follow_up,
            "snoozed_until": follow_up,
            "snooze_reason": f"Nurture: {decision.reason}" if decision.reason else "Nurture",
        }
        if pool.id != current.stage_id:
            changes |= {
                "stage_id": pool.id,
                "position": board.next_position(store.conn, pool.id, lane.id),
                "entered_stage": today.isoformat(),
            }
    log.update("cards", current.id, changes)


def _first_pool(context: BoardContext) -> Stage:
    for stage in context.stages:
        if stage.kind == "pool":
            return stage
    raise InvalidInput("This board has no pool stage to nurture cards in — add one first")


def _last_action_id(store: Store) -> int:
    return actions.last_action_id(store.conn)
