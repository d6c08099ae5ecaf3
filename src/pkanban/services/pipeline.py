"""Pipeline use cases (DESIGN ideas 3 and 4): pull the next best lead, rank, triage, follow-ups.

`pull_next_lead` is one action: it checks the "earn the next lead" rule, asks the one WIP gate
(`services.cards.place_card`) whether the first active stage has room — a lead is never placed
past it — ranks the pool and moves the best lead, or refuses with a sentence and changes nothing.
"""

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from pkanban.domain.dates import check_ahead
from pkanban.domain.errors import InvalidInput, PkanbanError, WipLimitReached
from pkanban.domain.models import Card, Lane, Stage
from pkanban.domain.ranking import (
    Rankable,
    RankBasis,
    Score,
    match_criterion,
    rank_key,
    score_card,
)
from pkanban.domain.text import clean_text, truncate
from pkanban.domain.triage import Reason, build_queue, lead_debt, triage_reasons
from pkanban.services.cards import MAX_TEXT, check_step_has_text, place_card
from pkanban.services.views import BoardContext, CardView, board_context
from pkanban.store import board
from pkanban.store import pipeline as queries
from pkanban.store.database import Store

MAX_LISTED_DEBTS = 10


class NoRoomToPull(WipLimitReached):
    """Every active stage (or the lane) a lead could enter is at its WIP limit."""


class EmptyPool(PkanbanError):
    """There is no lead in the pool that could be pulled."""


@dataclass(frozen=True)
class LeadDebt:
    """A pulled lead that still needs work before the next pull is earned."""

    card_id: int
    title: str
    needs: str

    @property
    def line(self) -> str:
        return f"#{self.card_id} {truncate(clean_text(self.title), 40)} — {self.needs}"


class LeadNotEarned(PkanbanError):
    """The "earn the next lead" rule: pulled leads still need a touch or an overdue step."""

    def __init__(self, debts: list[LeadDebt]):
        self.debts = tuple(debts)
        count = len(debts)
        lines = [debt.line for debt in debts[:MAX_LISTED_DEBTS]]
        if count > MAX_LISTED_DEBTS:
            lines.append(f"… and {count - MAX_LISTED_DEBTS} more")
        noun = "lead still needs" if count == 1 else "leads still need"
        listed = f"Earn the next lead first — {count} pulled {noun} you:\n" + "\n".join(
            f"  {line}" for line in lines
        )
        super().__init__(
            listed + "\nLog a touch with its next step: pkanban touch CARD --next … --due …"
            "\n(or switch the rule off: pkanban config set earn_next_lead off)",
            in_app=listed + "\nSelect each and press t to log a touch with its next step"
            " (T triages them one by one)",
        )


@dataclass(frozen=True)
class Pulled:
    """The outcome of a pull: the card where it now is and its score."""

    card: Card
    stage: Stage
    lane: Lane
    score: Score


@dataclass(frozen=True)
class Ranking:
    """Scores cards against one board's basis (typical value, best-by, checklist)."""

    context: BoardContext
    basis: RankBasis

    def score(self, card: Rankable, stage_id: int) -> Score:
        stage = self.stages_by_id[stage_id]
        return score_card(card, stage, self.basis, self.context.today)

    @cached_property
    def stages_by_id(self) -> dict[int, Stage]:
        return {stage.id: stage for stage in self.context.stages}


@dataclass(frozen=True)
class TriageEntry:
    """One card in today's queue: what the board shows of it, its score and why it is here."""

    view: CardView
    score: Score
    reasons: tuple[Reason, ...]

    def as_json(self) -> dict:
        return self.view.as_json() | {
            "reasons": [{"kind": reason.kind, "text": reason.text} for reason in self.reasons],
            "rank": self.score.total,
            "rank_why": self.score.why,
        }


def ranking(store: Store, today: date) -> Ranking:
    """The board's ranking basis, read once: a few small queries."""
    context = board_context(store, today)
    basis = RankBasis(
        typical=queries.board_typical_value(store.conn),
        best_by_days=context.best_by.days,
        checklist=context.settings.checklist,
        currency=context.settings.currency,
    )
    return Ranking(context, basis)


def card_score(store: Store, today: date, card_id: int) -> Score:
    card = board.card(store.conn, card_id)
    return ranking(store, today).score(card, card.stage_id)


def rank_views(
    store: Store, today: date, found: list[CardView]
) -> list[tuple[CardView, Score | None]]:
    """Open cards best money first, each with its score; closed cards after, unscored."""
    scorer = ranking(store, today)
    open_views = [view for view in found if view.card.is_open]
    scored = [(view, scorer.score(view.card, view.stage.id)) for view in open_views]
    scored.sort(key=lambda pair: rank_key(pair[1], pair[0].card.value))
    return [*scored, *((view, None) for view in found if not view.card.is_open)]


def triage_queue(store: Store, today: date) -> list[TriageEntry]:
    """Today's triage queue, in the order documented in `domain.triage`."""
    scorer = ranking(store, today)
    context = scorer.context
    candidates = queries.triage_candidates(store.conn, today)
    items = build_queue(
        (
            (card, context.stage(card.stage_id), scorer.score(card, card.stage_id))
            for card in candidates
        ),
        today,
        context.best_by.days,
    )
    return [TriageEntry(context.view(item.card), item.score, item.reasons) for item in items]


def triage_count(store: Store, today: date) -> int:
    """How many cards wait in today's triage (for the board header): no scoring needed."""
    context = board_context(store, today)
    return sum(
        1
        for card in queries.triage_candidates(store.conn, today)
        if triage_reasons(card, context.stage(card.stage_id), today, context.best_by.days)
    )


def unearned_leads(store: Store, today: date) -> list[LeadDebt]:
    """Pulled leads in active stages that still owe a touch or an overdue next step."""
    stages = {stage.id: stage for stage in board.stages(store.conn)}
    debts = []
    for card in queries.pulled_leads_to_check(store.conn, today):
        needs = lead_debt(card, stages[card.stage_id], today)
        if needs is not None:
            debts.append(LeadDebt(card.id, card.title, needs))
    return debts


def pull_next_lead(store: Store, today: date, lane: str | None = None) -> Pulled:
    """Move the best-ranked pool lead into the first active stage, in a lane with room.

    With `lane`, only that lane's leads are considered. Refused, changing nothing, while the
    "earn the next lead" rule has debts, when the pool has nothing to pull, or when there is no
    room (naming the full stage or lane).
    """
    with store.transaction():
        conn = store.conn
        if board.settings(conn).earn_next_lead:
            debts = unearned_leads(store, today)
            if debts:
                raise LeadNotEarned(debts)
        lanes = [board.find_lane(conn, lane)] if lane else board.lanes(conn)
        active = [stage for stage in board.stages(conn) if stage.kind == "active"]
        if not active:
            raise PkanbanError(
                "The board has no active stage to pull into — add one: pkanban config stage"
                ' "Contacted" --add --wip 8',
                in_app="The board has no active stage to pull into — add one in settings (,)",
            )
        waiting = queries.pullable_lane_counts(conn, today)
        lanes_with_leads = [each for each in lanes if waiting.get(each.id)]
        if not lanes_with_leads:
            raise _empty_pool(store, lanes[0] if lane else None)
        targets, refusals = _rooms(conn, lanes_with_leads, active[0])
        if not targets:
            raise NoRoomToPull(
                _no_room_message([str(refusal) for refusal in refusals]),
                in_app=_no_room_message([refusal.in_app or str(refusal) for refusal in refusals]),
            )
        scorer = ranking(store, today)
        best = min(
            (
                (scorer.score(lead, lead.stage_id), lead)
                for lead in queries.pool_leads(conn, list(targets), today)
            ),
            key=lambda pair: rank_key(pair[0], pair[1].value),
        )
        score, lead = best
        card = board.card(conn, lead.id)
        stage = targets[card.lane_id]
        target_lane = next(each for each in lanes if each.id == card.lane_id)
        place_card(conn, card, stage, target_lane)
        changes = {
            "stage_id": stage.id,
            "position": board.next_position(conn, stage.id, target_lane.id),
            "entered_stage": today.isoformat(),
            "pulled": today.isoformat(),
        }
        summary = (
            f"Pulled #{card.id} {truncate(clean_text(card.title), 60)} into"
            f" {stage.name} · {target_lane.name}"
        )
        with store.action("pulled", summary, today) as log:
            moved = board.card_from_row(log.update("cards", card.id, changes))
        return Pulled(moved, stage, target_lane, score)


def set_next_step(
    store: Store, today: date, card_id: int, due: date, step: str | None = None
) -> Card:
    """Give an open card its next step and due date (`step` None keeps the current text)."""
    if due < today:
        raise InvalidInput(f"A next step is due today or later, not {due} (today is {today})")
    check_ahead(due, today, "A next step due")
    changes: dict = {"next_due": due.isoformat()}
    if step is not None:
        text = clean_text(step).strip()
        if len(text) > MAX_TEXT:
            raise InvalidInput(
                f"The next step is {len(text):,} characters; the most is {MAX_TEXT:,}"
            )
        changes["next_step"] = text
    with store.transaction():
        card = board.card(store.conn, card_id)
        if not card.is_open:
            raise InvalidInput(f"#{card.id} is {card.disposition}; it needs no next step")
        what = changes.get("next_step", card.next_step)
        check_step_has_text(what, due)
        summary = f"Next step for #{card.id} due {due}" + (
            f": {truncate(what, 60)}" if what else ""
        )
        with store.action("next step", summary, today) as log:
            return board.card_from_row(log.update("cards", card.id, changes))


def set_checklist(store: Store, today: date, card_id: int, criterion: str, answer: bool) -> Card:
    """Answer one best-customer criterion for a card (yes or no); it changes the card's fit."""
    with store.transaction():
        name = match_criterion(criterion, board.settings(store.conn).checklist)
        card = board.card(store.conn, card_id)
        answers = {**card.checklist, name: answer}
        summary = f"#{card.id}: {name} — {'yes' if answer else 'no'}"
        with store.action("checked", summary, today) as log:
            row = log.update("cards", card.id, {"checklist": _json(answers)})
            return board.card_from_row(row)


def _rooms(
    conn: sqlite3.Connection, lanes: list[Lane], first: Stage
) -> tuple[dict[int, Stage], list[WipLimitReached]]:
    """Per lane, whether a lead may enter the first active stage (asked of the WIP gate).

    A lead is never placed past the first active stage: a raw lead in Proposal would skip the
    work the stages stand for. When that stage is full, or over, the lane has no room."""
    targets: dict[int, Stage] = {}
    refusals: list[WipLimitReached] = []
    for lane in lanes:
        try:
            place_card(conn, None, first, lane)
        except WipLimitReached as refusal:
            if str(refusal) not in map(str, refusals):
                refusals.append(refusal)
            continue
        targets[lane.id] = first
    return targets, refusals


def _no_room_message(refusals: list[str]) -> str:
    """The first full stage in full (with the way out: commands for the shell, keys for the
    app), then the others by name and count."""
    message = f"No room to pull a lead (a lead enters the first active stage only): {refusals[0]}"
    others = [_head(refusal) for refusal in refusals[1:]]
    if others:
        message += ". Also full: " + "; ".join(others)
    return message


def _empty_pool(store: Store, lane: Lane | None) -> "EmptyPool":
    where = f"the {lane.name} pool" if lane else "the pool"
    held = queries.count_pool(store.conn, lane.id if lane else None)
    if held:
        return EmptyPool(
            f"Every lead in {where} is snoozed or blocked ({held}) — nothing to pull today"
        )
    empty = f"{where[0].upper()}{where[1:]} is empty"
    return EmptyPool(
        f'{empty} — add leads: pkanban add "Acme Corp" --value 12k',
        in_app=f"{empty} — add leads with a, or import a CRM export with i",
    )


def _head(refusal: str) -> str:
    """`Discovery is full: 5/5` from a WIP refusal (its way-out clause dropped)."""
    return refusal.split(" — ", 1)[0]


def _json(answers: dict[str, bool]) -> str:
    return json.dumps(answers, ensure_ascii=False)
