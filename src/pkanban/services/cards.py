"""Card use cases: add, edit, move, touch, win, lose, block, snooze.

Each function is one user action — one `BEGIN IMMEDIATE` transaction together with its events —
and every path that places a card in a stage or lane goes through `place_card` (or, for the many
new cards of an import, `CardBatch.check`), which asks the domain's `check_wip`.
"""

import json
import sqlite3
from collections.abc import Iterable
from datetime import date

from pkanban.domain.dates import DateError, check_ahead, iso_or_none
from pkanban.domain.errors import InvalidInput, PkanbanError
from pkanban.domain.models import MAX_TEXT, MAX_TITLE, TOUCH_KINDS, Card, Lane, NewCard, Stage
from pkanban.domain.money import MAX_VALUE
from pkanban.domain.rules import Placement, check_wip, counts_toward
from pkanban.domain.text import clean_text
from pkanban.store import board
from pkanban.store.database import ActionLog, Store


def check_step_has_text(step: str | None, due: date | str | None) -> None:
    """A due date belongs to a next step: a date with nothing to do on it is refused (triage,
    the calendar file and `ls` all read the step, not the date alone)."""
    if due is not None and not (step or "").strip():
        raise InvalidInput(
            f"A next step due {due} needs its text: say what to do then (or clear the date too)"
        )


def add_card(store: Store, today: date, new: NewCard) -> Card:
    """Create one card in its stage and lane (the pool and the default lane if not given)."""
    if new.next_due is not None:
        check_ahead(new.next_due, today, "A next step due")
        check_step_has_text(clean_text(new.next_step), new.next_due)
    with store.action("created", f"Added {_one_line(new.title)}", today) as log:
        return insert_card(store.conn, log, today, new)


def insert_card(conn: sqlite3.Connection, log: ActionLog, today: date, new: NewCard) -> Card:
    """Insert `new` inside an open action (add and demo share it; an import uses CardBatch);
    checks WIP if open."""
    stage = board.find_stage(conn, new.stage) if new.stage else default_stage(conn)
    lane = board.find_lane(conn, new.lane) if new.lane else default_lane(conn)
    if new.disposition == "open":
        place_card(conn, None, stage, lane)
    position = board.next_position(conn, stage.id, lane.id)
    return board.card_from_row(log.insert("cards", _card_row(new, today, stage, lane, position)))


class CardBatch:
    """Many new cards in one open action (an import), each checked and validated exactly as
    `insert_card` does, then written with their events by `flush`, a chunk at a time.

    The open counts `check_wip` needs and each cell's last position are read once, for every
    stage and lane, and kept up to date here as cards are added: the rule still judges every
    card, without two queries per card.
    """

    def __init__(self, conn: sqlite3.Connection, log: ActionLog, today: date):
        self.log = log
        self.today = today
        self.pending: list[dict] = []
        self.stage_open, self.lane_open = board.open_counts(conn)
        self.last_position = board.last_positions(conn)

    def check(self, stage: Stage, lane: Lane, *, in_progress: bool = False) -> None:
        """`place_card` for a new open card: raises WipLimitReached if it may not enter
        (`in_progress`: a deal already being worked, which keeps its place over a limit)."""
        check_wip(
            None,
            Placement(stage, lane),
            stage_open=self.stage_open.get(stage.id, 0),
            lane_open=self.lane_open.get(lane.id, 0),
            in_progress=in_progress,
        )

    def add(self, new: NewCard, stage: Stage, lane: Lane, *, in_progress: bool = False) -> None:
        """Check and validate one card (raising as `insert_card` would) and queue it."""
        cell = (stage.id, lane.id)
        is_open = new.disposition == "open"
        if is_open:
            self.check(stage, lane, in_progress=in_progress)
        position = self.last_position.get(cell, 0) + 1
        self.pending.append(_card_row(new, self.today, stage, lane, position))
        if is_open:
            self.last_position[cell] = position
            self.stage_open[stage.id] = self.stage_open.get(stage.id, 0) + 1
            if counts_toward(stage, "lane"):
                self.lane_open[lane.id] = self.lane_open.get(lane.id, 0) + 1

    def flush(self) -> list[dict]:
        """Write the queued cards and their events; returns the cards' rows as stored."""
        written = self.log.insert_many("cards", self.pending)
        self.pending = []
        return written


def _card_row(new: NewCard, today: date, stage: Stage, lane: Lane, position: float) -> dict:
    """The `cards` row for `new`, every text and value checked (InvalidInput otherwise)."""
    return {
        "title": _text(new.title, "title", MAX_TITLE, required=True),
        "account": _text(new.account, "account", MAX_TITLE),
        "contact_name": _text(new.contact_name, "contact", MAX_TITLE),
        "email": _text(new.email, "email", MAX_TITLE),
        "phone": _text(new.phone, "phone", MAX_TITLE),
        "value": _value(new.value),
        "source": _text(new.source, "source", MAX_TITLE),
        "tags": _json_list(_tags(new.tags)),
        "checklist": json.dumps(new.checklist, ensure_ascii=False) if new.checklist else "{}",
        "lane_id": lane.id,
        "stage_id": stage.id,
        "position": position,
        "created": (new.created or today).isoformat(),
        "entered_stage": (new.entered_stage or new.created or today).isoformat(),
        "last_touch": iso_or_none(new.last_touch),
        "touch_count": new.touch_count,
        "next_step": _text(new.next_step, "next step", MAX_TEXT),
        "next_due": iso_or_none(new.next_due),
        "close_by": _close_by(new.close_by, today),
        "disposition": new.disposition,
        "closed": iso_or_none(new.closed),
        "lost_reason": _text(new.lost_reason, "lost reason", MAX_TEXT),
        "external_id": new.external_id,
    }


def place_card(
    conn: sqlite3.Connection,
    card: Card | None,
    stage: Stage,
    lane: Lane,
    *,
    held_before: tuple[int, int] = (0, 0),
) -> None:
    """The WIP gate every entry point uses: refuse if `card` may not enter `stage`/`lane`
    (`held_before`: see `check_wip`, for an undo)."""
    origin = None
    if card is not None and card.is_open:
        origin = Placement(_stage_by_id(conn, card.stage_id), _lane_by_id(conn, card.lane_id))
    excluding = card.id if card is not None else None
    # Only a limit needs a count (an unlimited pool of 50,000 leads is never counted per card).
    stage_open = lane_open = 0
    if stage.wip_limit is not None:
        stage_open = board.count_toward_limit(conn, "stage", stage.id, excluding=excluding)
    if lane.wip_limit is not None:
        lane_open = board.count_toward_limit(conn, "lane", lane.id, excluding=excluding)
    check_wip(
        origin,
        Placement(stage, lane),
        stage_open=stage_open,
        lane_open=lane_open,
        held_before=held_before,
    )


def move_card(
    store: Store, today: date, card_id: int, stage: str | None = None, lane: str | None = None
) -> Card:
    """Move an open card to another stage and/or lane (hard WIP; entering a stage resets its
    age in stage)."""
    with store.transaction():
        card = _open_card(store.conn, card_id)
        target_stage = board.find_stage(store.conn, stage) if stage else None
        target_lane = board.find_lane(store.conn, lane) if lane else None
        target_stage = target_stage or _stage_by_id(store.conn, card.stage_id)
        target_lane = target_lane or _lane_by_id(store.conn, card.lane_id)
        if (target_stage.id, target_lane.id) == (card.stage_id, card.lane_id):
            raise InvalidInput(f"#{card.id} is already in {target_stage.name} · {target_lane.name}")
        place_card(store.conn, card, target_stage, target_lane)
        changes: dict = {
            "stage_id": target_stage.id,
            "lane_id": target_lane.id,
            "position": board.next_position(store.conn, target_stage.id, target_lane.id),
        }
        if target_stage.id != card.stage_id:
            changes["entered_stage"] = today.isoformat()
        summary = f"Moved #{card.id} to {target_stage.name} · {target_lane.name}"
        with store.action("moved", summary, today) as log:
            return board.card_from_row(log.update("cards", card.id, changes))


EDITABLE_TEXT = {
    "title": MAX_TITLE,
    "account": MAX_TITLE,
    "contact_name": MAX_TITLE,
    "email": MAX_TITLE,
    "phone": MAX_TITLE,
    "source": MAX_TITLE,
    "next_step": MAX_TEXT,
}


def edit_card(store: Store, today: date, card_id: int, changes: dict) -> Card:
    """Change a card's details; `changes` keys are card fields (text, value, tags, next_due,
    close_by, probability, checklist; a None date removes it). Nothing is written if any value
    is invalid."""
    row: dict = {}
    for key, value in changes.items():
        if key in EDITABLE_TEXT:
            row[key] = _text(value, key.replace("_", " "), EDITABLE_TEXT[key], key == "title")
        elif key == "value":
            row[key] = _value(value)
        elif key == "tags":
            row[key] = _json_list(_tags(value))
        elif key == "checklist":
            row[key] = json.dumps(dict(value), ensure_ascii=False)
        elif key == "next_due":
            if value is not None:
                check_ahead(value, today, "A next step due")
            row[key] = iso_or_none(value)
        elif key == "close_by":
            row[key] = _close_by(value, today)
        elif key == "probability":
            if value is not None and not 0 <= value <= 1:
                raise InvalidInput("Probability must be between 0 and 1 (e.g. 0.4 for 40 %)")
            row[key] = value
        else:
            raise InvalidInput(f"{key} cannot be edited")
    if not row:
        raise InvalidInput("Nothing to change — name at least one field")
    with store.transaction():
        card = board.card(store.conn, card_id)
        if "next_due" in row or "next_step" in row:
            due = row["next_due"] if "next_due" in row else iso_or_none(card.next_due)
            check_step_has_text(row.get("next_step", card.next_step), due)
        with store.action("edited", f"Edited #{card.id} ({', '.join(row)})", today) as log:
            return board.card_from_row(log.update("cards", card.id, row))


def log_touch(
    store: Store,
    today: date,
    card_id: int,
    kind: str = "note",
    text: str = "",
    next_step: str | None = None,
    next_due: date | None = None,
) -> Card:
    """Record a call, email, meeting, message or note; optionally set the next step."""
    if kind not in TOUCH_KINDS:
        raise InvalidInput(f'"{kind}" is not a touch kind — use one of: {", ".join(TOUCH_KINDS)}')
    text = _text(text, "touch text", MAX_TEXT, multiline=True)
    if next_due is not None:
        check_ahead(next_due, today, "A next step due")
        if next_due < today:  # a touch moves work forward: its next step lies ahead
            raise InvalidInput(
                f"The next step is due today or later, not {next_due} (today is {today})"
            )
    with store.transaction():
        card = board.card(store.conn, card_id)
        with store.action("touched", f"{kind.capitalize()} on #{card.id}", today) as log:
            log.insert(
                "touches",
                {"card_id": card.id, "day": today.isoformat(), "kind": kind, "text": text},
            )
            changes: dict = {"last_touch": today.isoformat(), "touch_count": card.touch_count + 1}
            if next_step is not None:
                changes["next_step"] = _text(next_step, "next step", MAX_TEXT)
            if next_due is not None or next_step is not None:
                changes["next_due"] = iso_or_none(next_due)
                check_step_has_text(changes.get("next_step", card.next_step), next_due)
            return board.card_from_row(log.update("cards", card.id, changes))


def mark_won(store: Store, today: date, card_id: int, value: int | None = None) -> Card:
    """Close a card as won (archived with today's date; its value may be corrected)."""
    changes: dict = {"disposition": "won", "closed": today.isoformat()}
    if value is not None:
        changes["value"] = _value(value)
    return _close(store, today, card_id, "won", changes)


def mark_lost(store: Store, today: date, card_id: int, reason: str) -> Card:
    """Close a card as lost; the reason is required so losses can be learned from."""
    reason = _text(reason, "lost reason", MAX_TEXT, required=True)
    changes = {"disposition": "lost", "closed": today.isoformat(), "lost_reason": reason}
    return _close(store, today, card_id, "lost", changes)


def set_blocked(store: Store, today: date, card_id: int, reason: str) -> Card:
    """Mark a card blocked with a reason, or unblock it with an empty reason."""
    reason = _text(reason, "blocked reason", MAX_TEXT)
    with store.transaction():
        card = _open_card(store.conn, card_id)
        kind, summary = (
            ("blocked", f"Blocked #{card.id}") if reason else ("unblocked", f"Unblocked #{card.id}")
        )
        with store.action(kind, summary, today) as log:
            return board.card_from_row(log.update("cards", card.id, {"blocked_reason": reason}))


def snooze_card(store: Store, today: date, card_id: int, until: date, reason: str = "") -> Card:
    """Hide a card from triage until `until`."""
    if until <= today:
        raise InvalidInput(f"Snooze until a day after today ({today.isoformat()})")
    check_ahead(until, today, "A snooze until")
    reason = _text(reason, "snooze reason", MAX_TEXT)
    with store.transaction():
        card = _open_card(store.conn, card_id)
        changes = {"snoozed_until": until.isoformat(), "snooze_reason": reason}
        with store.action("snoozed", f"Snoozed #{card.id} until {until}", today) as log:
            return board.card_from_row(log.update("cards", card.id, changes))


def default_stage(conn: sqlite3.Connection) -> Stage:
    """New cards land in the pool (the first pool stage), else the first stage."""
    all_stages = board.stages(conn)
    return next((stage for stage in all_stages if stage.kind == "pool"), all_stages[0])


def default_lane(conn: sqlite3.Connection) -> Lane:
    """The first lane without a WIP limit (New business on a default board)."""
    all_lanes = board.lanes(conn)
    return next((lane for lane in all_lanes if lane.wip_limit is None), all_lanes[0])


def _close(store: Store, today: date, card_id: int, kind: str, changes: dict) -> Card:
    with store.transaction():
        card = _open_card(store.conn, card_id)
        with store.action(kind, f"Marked #{card.id} {kind}", today) as log:
            return board.card_from_row(log.update("cards", card.id, changes))


def _open_card(conn: sqlite3.Connection, card_id: int) -> Card:
    card = board.card(conn, card_id)
    if not card.is_open:
        already = f"#{card.id} is already {card.disposition} ({card.closed})"
        raise PkanbanError(
            f"{already} — `pkanban undo` reverts the last action",
            in_app=f"{already} — u undoes the last action",
        )
    return card


def _stage_by_id(conn: sqlite3.Connection, stage_id: int) -> Stage:
    return next(stage for stage in board.stages(conn) if stage.id == stage_id)


def _lane_by_id(conn: sqlite3.Connection, lane_id: int) -> Lane:
    return next(lane for lane in board.lanes(conn) if lane.id == lane_id)


def _text(
    value: str, name: str, limit: int, required: bool = False, *, multiline: bool = False
) -> str:
    if not value and not required:
        return ""  # most optional fields of an imported card are blank
    text = clean_text(value or "", multiline=multiline).strip()
    if required and not text:
        raise InvalidInput(f"The {name} cannot be empty")
    if len(text) > limit:
        raise InvalidInput(f"The {name} is {len(text):,} characters long; the most is {limit:,}")
    return text


def _value(value: int | None) -> int | None:
    if value is None:
        return None
    if not 0 <= value <= MAX_VALUE:
        raise InvalidInput(f"A value must be between 0 and {MAX_VALUE:,}")
    return int(value)


def _tags(tags: Iterable[str]) -> list[str]:
    if not any(tags):
        return []
    cleaned = [clean_text(tag).strip().lstrip("#") for tag in tags]
    return list(dict.fromkeys(tag for tag in cleaned if tag))


def _json_list(items: list[str]) -> str:
    return json.dumps(items, ensure_ascii=False) if items else "[]"


def _close_by(day: date | None, today: date) -> str | None:
    """An expected close date as stored: any past or coming day, at most `MAX_YEARS_AHEAD`
    years away (a typo like 2206 is refused, not kept)."""
    if day is None:
        return None
    try:
        check_ahead(day, today, "An expected close date")
    except DateError as error:
        raise InvalidInput(str(error)) from None
    return day.isoformat()


def _one_line(text: str) -> str:
    return clean_text(text).strip()[:80]
