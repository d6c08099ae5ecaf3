"""The seller's follow-ups as a calendar (.ics), exported once or kept up to date in a file.

`pkanban config set calendar_file PATH` stores the path in the board (`board_meta` key
`calendar`, an undoable action, never carried into a board restored from a dump: it names a
file of this machine). While it is set, the file is rewritten after every action that commits
— `Store.after_actions`, registered by `keep_calendar_file` where the CLI and the TUI open the
board — so a calendar app that subscribes to it stays current. The write is whole or not at all
(io/files.py, 0600), replaces only a regular file that already holds a calendar, and never
fails the user's action: a problem is handed to `warn` and the action stands.
"""

import json
import os
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pkanban.domain.errors import InvalidInput, PkanbanError
from pkanban.domain.text import clean_text
from pkanban.store import board
from pkanban.store.database import Store, reading

if TYPE_CHECKING:
    from pkanban.io.ics import Review

META_KEY = "calendar"
_CALENDAR_START = b"BEGIN:VCALENDAR"


def calendar_text(store: Store, today: date) -> str:
    """The open cards' next steps and the yearly review as one .ics document."""
    # Loaded here: every command registers the refresh, few ever write a calendar.
    from pkanban.io.ics import DueCard, render

    conn = store.conn
    with reading(conn):
        settings = board.settings(conn)
        stages = {stage.id: stage.name for stage in board.stages(conn)}
        lanes = {lane.id: lane.name for lane in board.lanes(conn)}
        due = [
            DueCard(card, stages[card.stage_id], lanes[card.lane_id])
            for card in board.cards_with_next_step_date(conn)
        ]
        review = _review(conn, settings.yearly_review, today)
        board_id = board.board_id(conn) or "pkanban"
    return render(due, review, board_id, settings.currency, settings.touch_target)


def _review(conn: sqlite3.Connection, mmdd: str, today: date) -> "Review | None":
    """The yearly review: today when it is owed, else its next day (None: a bad setting)."""
    from pkanban.domain import clearance as clearance_rules
    from pkanban.io.ics import Review
    from pkanban.store import clearance as clearance_queries

    try:
        last_day = clearance_rules.last_review_day(mmdd, today)
        owed = clearance_rules.yearly_review_due(
            mmdd,
            today,
            clearance_queries.last_yearly_clearance(conn),
            clearance_queries.board_started(conn),
        )
        if owed:
            return Review(today, owed_since=last_day)
        return Review(clearance_rules.review_day(mmdd, last_day.year + 1))
    except InvalidInput:
        return None


def calendar_file(conn: sqlite3.Connection) -> Path | None:
    """The file the board keeps its calendar in, None when off."""
    stored = board.meta_text(conn, META_KEY)
    value = None if stored is None else json.loads(stored)
    path = value.get("path") if isinstance(value, dict) else None
    return Path(path) if isinstance(path, str) and path else None


def set_calendar_file(store: Store, today: date, raw: str) -> Path | None:
    """`config set calendar_file PATH` / `off`: one recorded, undoable action; the file is
    written as soon as it commits (when the board keeps it). Returns the absolute path."""
    off = raw.strip().lower() == "off"
    path = None if off else _checked_path(store, raw)
    summary = "Calendar file off" if path is None else f"Keep the calendar in {path}"
    with store.action("settings changed", summary, today) as log:
        log.set_meta(META_KEY, {"path": None if path is None else str(path)})
    return path


def _checked_path(store: Store, raw: str) -> Path:
    text = raw.strip()
    if not text or clean_text(text) != text:
        raise InvalidInput("A calendar file is a path without control characters")
    from pkanban.io import files

    path = Path(text).expanduser().absolute()
    if not path.parent.is_dir():
        raise InvalidInput(f"No folder {files.shown(path.parent)} — create it first")
    board_files = {Path(f"{store.path}{suffix}").resolve() for suffix in ("", "-wal", "-shm")}
    if path.resolve() in board_files:
        raise InvalidInput(f"{files.shown(path)} is the board itself — name another file")
    _check_replaceable(path)
    return path


def _check_replaceable(path: Path) -> None:
    """A regular file that holds a calendar, or nothing yet: never a symlink, a device or a
    file of the user's that happens to have the name."""
    from pkanban.io import files

    files.check_target(path, replace=True)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return
    except OSError as error:
        raise InvalidInput(f"Cannot read {files.shown(path)}: {error.strerror}") from None
    try:
        start = os.read(descriptor, len(_CALENDAR_START))
    finally:
        os.close(descriptor)
    if start and start != _CALENDAR_START:
        raise InvalidInput(
            f"{files.shown(path)} is not a calendar file — pkanban replaces only a calendar;"
            " name a new file"
        )


def write_calendar_file(store: Store, today: date) -> Path | None:
    """Rewrite the calendar file if one is set; returns its path (None: off)."""
    path = calendar_file(store.conn)
    if path is None:
        return None
    from pkanban.io import files

    _check_replaceable(path)
    data = calendar_text(store, today).encode("utf-8")
    files.write_bytes(path, data, replace=True)
    return path


def keep_calendar_file(store: Store, today: date, warn: Callable[[str], None]) -> None:
    """After every committed action on `store` (and its reopened connections), rewrite the
    calendar file if one is set; a failure goes to `warn`, the action stands."""

    def refresh(committed: Store) -> None:
        try:
            write_calendar_file(committed, today)
        except (PkanbanError, OSError, sqlite3.Error) as error:
            reason = error.strerror if isinstance(error, OSError) else str(error)
            warn(f"The calendar file was not updated: {clean_text(reason or str(error))}")

    store.after_actions.append(refresh)
