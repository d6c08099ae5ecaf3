"""Undo: revert the newest action that is not yet undone, exactly, from its events.

Each event holds the row before and after; undo puts every row back as it was before, newest
event first, recording an `undo` action whose own events say what it changed. It refuses —
changing nothing — when a row has changed since (another window got there first) or when a card
coming back would break a WIP limit.
"""

import json
from datetime import date

from pkanban.domain.errors import Conflict, PkanbanError
from pkanban.domain.models import validated_settings
from pkanban.services.cards import place_card
from pkanban.store import board
from pkanban.store.database import Store

UNDOABLE_TABLES = ("cards", "touches", "notes", "stages", "lanes")


def undo_last(store: Store, today: date) -> str:
    """Undo the newest not-yet-undone action; returns its summary."""
    with store.transaction():
        target = store.conn.execute(
            "SELECT id, summary FROM actions a WHERE kind NOT IN ('undo', 'restored')"
            " AND NOT EXISTS (SELECT 1 FROM actions u WHERE u.undo_of = a.id)"
            " AND a.id > coalesce((SELECT max(id) FROM actions WHERE kind = 'restored'), 0)"
            " ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if target is None:
            raise PkanbanError("Nothing to undo")
        action_id, summary = target
        events = store.conn.execute(
            "SELECT entity, entity_id, before, after FROM events WHERE action_id = ?"
            " ORDER BY id DESC",
            [action_id],
        ).fetchall()
        with store.action("undo", f"Undid: {summary}", today, undo_of=action_id) as log:
            for entity, entity_id, before_json, after_json in events:
                before = json.loads(before_json) if before_json else None
                after = json.loads(after_json) if after_json else None
                if entity.startswith("board_meta:"):
                    key = entity.split(":", 1)[1]
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
                    _check_card_may_return(store, before, current)
                log.restore(entity, entity_id, before)
        return summary


def _check_card_may_return(store: Store, before: dict, current: dict | None) -> None:
    """Undo goes through the same WIP gate as any move."""
    stage = next(s for s in board.stages(store.conn) if s.id == before["stage_id"])
    lane = next(lane for lane in board.lanes(store.conn) if lane.id == before["lane_id"])
    card = board.card_from_row(current) if current is not None else None
    place_card(store.conn, card, stage, lane)
