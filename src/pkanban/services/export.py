"""Taking the board out: a markdown report, an Obsidian board, CSV rows, a JSON dump or a
calendar of follow-ups — and writing it to a file safely (private, whole or not at all)."""

import os
import sqlite3
import stat
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pkanban.domain.errors import InvalidInput
from pkanban.domain.views import BoardContext
from pkanban.io import files
from pkanban.services.dump import SQLITE_HEADER, dump_board
from pkanban.store import board, transfer
from pkanban.store.database import Store, reading

if TYPE_CHECKING:
    from pkanban.io.markdown import PeriodReport

EXPORT_FORMATS = ("md", "obsidian", "csv", "json", "ics")
PERIOD_FORMATS = ("md", "csv")


def export_board(
    store: Store,
    today: date,
    fmt: str,
    *,
    since: date | None = None,
    until: date | None = None,
) -> str:
    """The board as a document: `md` report, `obsidian` board, `csv` rows, `json` dump or
    `ics` calendar of follow-ups. With `since`/`until` (md and csv only) the report is of that
    period, both days included: see io/markdown.py and store/period.py."""
    in_period = since is not None or until is not None
    last = until or today
    if in_period:
        if fmt not in PERIOD_FORMATS:
            raise InvalidInput("--since and --until apply to the md and csv exports")
        if since is not None and since > last:
            raise InvalidInput(f"The period starts after it ends ({since} > {last})")
    if fmt == "json":
        return dump_board(store, today)
    if fmt == "ics":
        from pkanban.services.calendar import calendar_text

        return calendar_text(store, today)
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput(
            f'"{fmt}" is not an export format — use one of {", ".join(EXPORT_FORMATS)}'
        )
    # Loaded here: the json and ics exports (and a backup's dump) need none of them.
    from pkanban.io import csv_export, markdown, obsidian
    from pkanban.services import views
    from pkanban.store.search import open_cards_notes

    conn = store.conn
    with reading(conn):
        context = views.board_context(store, today)
        if fmt == "md":
            counts = board.disposition_counts(conn)
            won_value = transfer.won_value(conn)
            report = markdown.BoardReport(
                context=context,
                open_cards=[context.view(card) for card in board.cards(conn)],
                counts=counts,
                wip=views.wip(store),
                past_best_by=board.count_past_best_by(conn, today, context.best_by.days),
                won_value=won_value,
                notes=open_cards_notes(conn),
                period=_period(conn, context, since, last) if in_period else None,
            )
            return markdown.render(report)
        every = [context.view(card) for card in board.cards(conn, include_closed=True)]
        if in_period:
            ids = _period(conn, context, since, last).card_ids
            every = [view for view in every if view.card.id in ids]
    if fmt == "csv":
        return csv_export.render(every, board.board_id(conn))
    open_cards = [view for view in every if view.card.is_open]
    archived = [view for view in every if not view.card.is_open]
    return obsidian.render(context, open_cards, archived)


def _period(
    conn: sqlite3.Connection, context: BoardContext, since: date | None, until: date
) -> "PeriodReport":
    """What happened in the period, as the markdown report shows it."""
    from pkanban.io.markdown import PeriodMove, PeriodReport
    from pkanban.store import period

    moves = period.moves(conn, since, until)
    cards = {card.id: card for card in period.created_or_closed(conn, since, until)}
    for card_id in {move.card_id for move in moves} - cards.keys():
        cards[card_id] = board.card(conn, card_id)
    views = {card_id: context.view(card) for card_id, card in cards.items()}
    stage_names = {stage.id: stage.name for stage in context.stages}

    def within(day: date | None) -> bool:
        return day is not None and (since is None or since <= day) and day <= until

    ordered = sorted(views.values(), key=lambda view: (view.card.created, view.card.id))
    return PeriodReport(
        since=since,
        until=until,
        created=[view for view in ordered if within(view.card.created)],
        moves=[
            PeriodMove(
                move.day,
                views[move.card_id],
                stage_names.get(move.from_stage_id, f"stage #{move.from_stage_id}"),
                stage_names.get(move.to_stage_id, f"stage #{move.to_stage_id}"),
            )
            for move in moves
        ],
        closed=sorted(
            (view for view in ordered if within(view.card.closed)),
            key=lambda view: (view.card.closed, view.card.id),
        ),
    )


def write_export(
    store: Store, text: str, path: Path, fmt: str, *, replace: bool = False, next_free: bool = False
) -> Path:
    """Write an export to `path`, private (0600: it holds contacts) and whole or not at all.

    The target must be a new path, or an existing regular file with `replace` (`--force`, or a
    yes in the TUI); `next_free` takes the next free name instead (a default name). The board
    itself and any SQLite file are never overwritten. CSV files start with a UTF-8 BOM so that
    Excel reads accents right.
    """
    path = Path(path).expanduser()
    board_files = {Path(f"{store.path}{suffix}").resolve() for suffix in ("", "-wal", "-shm")}
    if path.resolve() in board_files:
        raise InvalidInput(f"{files.shown(path)} is the board itself — export to another file")
    if path.is_dir() and not path.is_symlink():
        raise InvalidInput(
            f"{files.shown(path)} is a folder — name a file, e.g."
            f" {files.shown(path / ('board.' + fmt))}"
        )
    if _is_sqlite_file(path):
        raise InvalidInput(f"{files.shown(path)} is a database; an export will not overwrite it")
    data = text.encode("utf-8-sig" if fmt == "csv" else "utf-8")
    return files.write_bytes(path, data, replace=replace, next_free=next_free)


def _is_sqlite_file(path: Path) -> bool:
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        with path.open("rb") as existing:
            return existing.read(16) == SQLITE_HEADER
    except OSError:
        return False
