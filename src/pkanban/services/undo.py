"""Undo: revert the newest action that is not yet undone, exactly, from its events.

Each event holds the row before and after; undo puts every row back as it was before, newest
event first, recording an `undo` action whose own events say what it changed. It refuses —
changing nothing — when a row has changed since (another window got there first) or when a card
coming back would break a WIP limit. Events name their tables by a fixed map
(store/tables.py): an event naming anything else, or a snapshot holding a column its table does
not have, makes undo refuse before any of its SQL runs.

An import's cards are one `card_range` event (store/tables.py): its undo deletes those ids, a
chunk at a time with `progress`, after checking that none has changed or gained a touch or a
note since. Older boards' imports, a snapshot per card, undo like any other action.
"""

import json
import shlex
from collections.abc import Callable
from datetime import date

from pkanban.domain.errors import Conflict, PkanbanError, WipLimitReached
from pkanban.domain.models import validated_settings
from pkanban.domain.rules import counts_toward, held_before_action
from pkanban.services.backup import BOARD_BEFORE
from pkanban.services.cards import place_card
from pkanban.store import actions, board
from pkanban.store.database import ActionLog, Store
from pkanban.store.tables import CARD_RANGE, UnknownEntity, card_range, column_names, meta_key
from pkanban.store.transfer import created_range_unchanged


def undo_last(store: Store, today: date, progress: Callable[[int, int], None] | None = None) -> str:
    """Undo the newest not-yet-undone action; returns its summary. `progress(done, total)`
    follows the deletion of an import's cards."""
    with store.transaction():
        target = actions.last_undoable_action(store.conn)
        if target is None:
            raise _nothing_to_undo(store)
        action_id, summary, _kind = target
        events = actions.action_events(store.conn, action_id)
        steps = _checked_steps(events, summary)
        held = _held_before(store, steps)
        with store.action("undo", f"Undid: {summary}", today, undo_of=action_id) as log:
            for entity, key, entity_id, before, after in steps:
                if entity == CARD_RANGE:
                    _undo_created_cards(store, log, after, summary, progress)
                    continue
                if key is not None:
                    if key == "settings" and before is not None:  # a dump's history is not ours
                        before = validated_settings(before).as_json()
                    log.set_meta(key, before)
                    continue
                current = log.snapshot(entity, entity_id, missing_ok=True)
                if current != after:
                    raise Conflict(
                        f"Cannot undo “{summary}”: {entity.rstrip('s')} #{entity_id} has changed"
                        " since — undo the later change first"
                    )
                if entity == "cards" and before is not None and before["disposition"] == "open":
                    try:
                        _check_card_may_return(store, before, current, held)
                    except WipLimitReached as refusal:
                        raise WipLimitReached(
                            f"Can't undo “{summary}”: {refusal}",
                            in_app=f"Can't undo “{summary}”: {refusal.in_app or refusal}",
                        ) from None
                log.restore(entity, entity_id, before)
        return summary


def _nothing_to_undo(store: Store) -> PkanbanError:
    """Why there is nothing to undo: an empty history, or a restore (undo stops there) — then
    where the board before it is."""
    restored = actions.last_restore_summary(store.conn)
    if restored is None:
        return PkanbanError("Nothing to undo")
    if restored.startswith("Restored from "):
        if BOARD_BEFORE in restored:
            path = restored.split(BOARD_BEFORE, 1)[1]
            where, how = f"is in {path}", f"pkanban restore {shlex.quote(path)}"
        else:
            where = f"was backed up in {store.path.parent / 'backups'}"
            how = "pkanban restore FILE from there"
        return PkanbanError(
            f"A restore is not undone by undo: the board before it {where} (to go back: {how})",
            in_app=f"A restore is not undone by u: the board before it {where}",
        )
    return PkanbanError("Nothing to undo before the imported dump: the board before it was empty")


def _checked_steps(events: list, summary: str) -> list[tuple]:
    """Every event of the action read and checked against the fixed map of tables, columns and
    board values before any of it is undone: (entity, meta key or None, id, before, after)."""
    steps: list[tuple[str, str | None, int, dict | None, dict | None]] = []
    try:
        for entity, entity_id, before_json, after_json in events:
            before = json.loads(before_json) if before_json else None
            after = json.loads(after_json) if after_json else None
            if entity == CARD_RANGE:
                if before is not None or card_range(after)[0] != entity_id:
                    raise UnknownEntity("a card range that is not an import's")
                steps.append((CARD_RANGE, None, entity_id, None, after))
                continue
            key = meta_key(entity)
            for snapshot in (before, after):
                if snapshot is not None and not isinstance(snapshot, dict):
                    raise UnknownEntity("a snapshot is not a row")
                if snapshot is not None and key is None:
                    column_names(entity, snapshot)
            steps.append((entity, key, entity_id, before, after))
    except (UnknownEntity, ValueError) as error:
        raise PkanbanError(
            f"Cannot undo “{summary}”: its history is not pkanban's ({error}) — nothing was changed"
        ) from None
    return steps


def _held_before(store: Store, steps: list) -> tuple[dict[int, int], dict[int, int]]:
    """Open cards per stage and lane (what counts toward a limit) before the action undone:
    today's counts with its card changes taken back (the rule: `rules.held_before_action`)."""
    active = {stage.id for stage in board.stages(store.conn) if counts_toward(stage, "lane")}

    def place(row: dict | None) -> tuple[int, int] | None:
        if row is None or row.get("disposition") != "open":
            return None
        return row["stage_id"], row["lane_id"]

    changes = [
        (place(before), place(after))
        for entity, key, _, before, after in steps
        if entity == "cards" and key is None
    ]
    return held_before_action(board.open_counts(store.conn), changes, active)


def _check_card_may_return(
    store: Store, before: dict, current: dict | None, held: tuple[dict, dict]
) -> None:
    """Undo goes through the same WIP gate as any move; it may bring a place back to what it
    held before the action (an overload included), never past it."""
    stage = next(s for s in board.stages(store.conn) if s.id == before["stage_id"])
    lane = next(lane for lane in board.lanes(store.conn) if lane.id == before["lane_id"])
    card = board.card_from_row(current) if current is not None else None
    held_before = (held[0].get(stage.id, 0), held[1].get(lane.id, 0))
    place_card(store.conn, card, stage, lane, held_before=held_before)


def _undo_created_cards(
    store: Store,
    log: ActionLog,
    created: dict,
    summary: str,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Delete the cards an import created, refusing if any of them has changed since."""
    first, last = card_range(created)
    if not created_range_unchanged(store.conn, first, last):
        raise Conflict(
            f"Cannot undo “{summary}”: some of its cards (#{first}–#{last}) have changed"
            " since — undo the later changes first"
        )
    log.delete_range(first, last, progress)
