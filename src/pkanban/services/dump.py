"""The whole board as a JSON dump, and its restore into an empty board, history included
(io/json_dump.py is the format; a dump is checked like typing before anything is written)."""

import sqlite3
from datetime import date

from pkanban.domain.errors import InvalidInput
from pkanban.io import json_dump
from pkanban.services.import_report import ImportReport, Rollback, over_limits
from pkanban.store import board, transfer
from pkanban.store.database import Store, reading
from pkanban.store.schema import SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"


def dump_board(store: Store, today: date) -> str:
    """The whole board as a JSON dump (io/json_dump.py), read in one consistent snapshot."""
    conn = store.conn
    with reading(conn):
        meta = transfer.board_meta(conn)
        meta.pop("app", None)
        meta.pop("calendar", None)  # a path of this machine
        tables = {table: transfer.all_rows(conn, table) for table in json_dump.TABLES}
    return json_dump.encode(SCHEMA_VERSION, today, meta, tables)


def restore_dump(
    store: Store, today: date, name: str, data: bytes, *, dry_run: bool = False
) -> ImportReport:
    """Restore a JSON dump into an empty board, ids and history included.

    Rows, actions and events are written as the dump has them — the dump's events *are* their
    history, so `show` and `log` read the same as on the original board — followed by one
    `restored` action, always the newest (ids are at most 2**53); like `pkanban restore`,
    undo stops there. A stage or lane holding more open cards than its limit is kept as it is
    ("start with what you do now") and the report says so.
    """
    conn = store.conn
    meta, tables = json_dump.decode(data, SCHEMA_VERSION)
    report = ImportReport(file=name, dry_run=dry_run, kind="json", encoding="utf-8")
    report.rows = len(tables["cards"])
    try:
        with store.transaction():
            _require_empty(conn)
            transfer.clear_places(conn)
            for table in json_dump.TABLES:
                transfer.insert_rows(conn, table, json_dump.columns(table), tables[table])
            for key, value in meta.items():
                transfer.set_board_meta(conn, key, value)
            _check_restored(conn)
            summary = f"Restored {name}: {len(tables['cards'])} cards"
            with store.action("restored", summary, today) as marker:
                pass
            newest = max((action["id"] for action in tables["actions"]), default=0)
            if marker.action_id <= newest:
                raise InvalidInput("The dump's actions leave no room for the restore after them")
            report.over_limits = over_limits(conn)
            report.placed = transfer.placed(conn)
            report.best_by = board.board_best_by(conn, board.settings(conn)).sentence
            report.notes.append(
                f"{len(tables['touches'])} touches, {len(tables['actions'])} actions and"
                f" {len(tables['events'])} events of history restored as they were"
            )
            if dry_run:
                raise Rollback
    except Rollback:
        return report
    report.imported = report.cards
    return report


def _require_empty(conn: sqlite3.Connection) -> None:
    cards, actions = transfer.content_counts(conn)
    if cards or actions:
        raise InvalidInput(
            f"A JSON dump restores a whole board, history included, so it goes into an empty"
            f" board — this one has {cards} cards and {actions} actions. Restore it into a new"
            " board: pkanban --db NEW.db init, then pkanban --db NEW.db import DUMP.json"
        )


def _check_restored(conn: sqlite3.Connection) -> None:
    """Every restored row must read back as the domain models (settings, stages, cards …)."""
    try:
        board.store_checked_settings(conn)
        board.stages(conn)
        board.lanes(conn)
        for row in transfer.all_rows(conn, "cards"):
            board.check_card_row(row)
    except (InvalidInput, ValueError) as error:
        raise InvalidInput(f"The dump does not describe a valid board: {error}") from None
