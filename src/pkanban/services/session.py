"""The one door between the shells and a board file: `BoardSession`.

The CLI and the TUI open a session (`BoardSession.open(path, today, …)`), read the board through
its methods (cards, cell totals, notes, history, the board context …) and act through
`session.run(service, …)`, which calls the service function with the session's store — the
services stay the only code that writes. Neither shell imports `pkanban.store` or `sqlite3`
(tests/test_layers.py keeps it so).

Every SQLite error that reaches a session — a board busy in another window, a read-only or full
disk, a damaged file — leaves it as a `StorageFailure` carrying the sentence a user reads
(`storage_errors`); the shells catch domain errors only.
"""

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from pkanban.domain.errors import StorageFailure
from pkanban.domain.models import Card, Lane, Note, Settings, Stage, Touch
from pkanban.domain.rules import Wip
from pkanban.domain.views import BoardContext, CardView
from pkanban.services.views import board_context, card_view
from pkanban.store import board
from pkanban.store import search as search_store
from pkanban.store.board import CardMatch, CellTotals
from pkanban.store.database import Store, open_store
from pkanban.store.search import RANKED_AT_MOST, SearchHit, SearchResult

__all__ = [
    "RANKED_AT_MOST",
    "SQLITE_VERSION",
    "BoardSession",
    "CardMatch",
    "CellTotals",
    "SearchHit",
    "SearchResult",
    "storage_errors",
]

P = ParamSpec("P")
R = TypeVar("R")

SQLITE_VERSION = sqlite3.sqlite_version


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn any SQLite error raised inside into a `StorageFailure` a user can read."""
    try:
        yield
    except sqlite3.OperationalError as error:
        raise _translated(_sentences(str(error))) from error
    except sqlite3.DatabaseError as error:
        raise StorageFailure(f"The board file is damaged or not a board: {error}") from error


def _sentences(text: str) -> tuple[str, str]:
    """What the shell says, and what the app says, of a failed read or write."""
    if "locked" in text or "busy" in text:
        busy = "The board is busy in another window; try again"
        return busy, busy
    if "readonly" in text:
        return "The board file is read-only; nothing was changed", ""
    if "full" in text or "disk I/O" in text:
        return "The board could not be written (disk full or I/O error); nothing was changed", ""
    return f"Database error: {text}", f"Database error: {text} — nothing was changed"


def _translated(sentences: tuple[str, str]) -> StorageFailure:
    shell, app = sentences
    return StorageFailure(shell, in_app=app or None)


class BoardSession:
    """One open board file, as the shells see it: reads as methods, actions through `run`."""

    def __init__(self, store: Store, today: date, *, replica_view: str | None = None) -> None:
        self.store = store
        self.today = today
        self.replica_view = replica_view

    @classmethod
    def open(
        cls,
        path: Path,
        today: date,
        *,
        read_only_reason: str | None = None,
        replica_view: str | None = None,
    ) -> "BoardSession":
        """Open the board at `path` (it must exist). A replica view (`replica_view`, the
        replica's URL) is read-only, and so is any `read_only_reason` given."""
        if replica_view is not None and read_only_reason is None:
            from pkanban.services.replica import VIEW_READ_ONLY

            read_only_reason = VIEW_READ_ONLY
        with storage_errors():
            store = open_store(path, read_only_reason=read_only_reason)
        return cls(store, today, replica_view=replica_view)

    @classmethod
    def create(cls, path: Path, today: date) -> "BoardSession":
        """Make a new board file at `path` with the default stages and lanes (refused when a
        file is there), and open it."""
        with storage_errors():
            return cls(open_store(path, create=True), today)

    def run(
        self, action: Callable[Concatenate[Store, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Do a service's action (or read) on this board: `action(store, *args, **kwargs)`."""
        with storage_errors():
            return action(self.store, *args, **kwargs)

    def reopen(self) -> "BoardSession":
        """The same board on another connection, for a worker thread."""
        with storage_errors():
            return BoardSession(self.store.reopen(), self.today, replica_view=self.replica_view)

    def close(self) -> None:
        self.store.close()

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def read_only_reason(self) -> str:
        """What an action on a read-only board says."""
        return self.store.read_only_reason

    def data_version(self) -> int:
        """Changes when another connection commits: cheap enough to poll for live refresh."""
        return self._read(lambda conn: self.store.data_version())

    # Reads: one query each, in the store's words.

    def settings(self) -> Settings:
        return self._read(board.settings)

    def stages(self) -> list[Stage]:
        return self._read(board.stages)

    def lanes(self) -> list[Lane]:
        return self._read(board.lanes)

    def card(self, card_id: int) -> Card:
        return self._read(board.card, card_id)

    def touches(self, card_id: int) -> list[Touch]:
        return self._read(board.touches, card_id)

    def notes(self, card_id: int) -> list[Note]:
        return self._read(search_store.notes, card_id)

    def history(self, card_id: int | None = None, limit: int = 50) -> list[dict]:
        return self._read(board.history, card_id, limit)

    def stage_path(self, card_id: int) -> list[tuple[date, int]]:
        """The stages a card went through, with the day it entered each (its module loads when
        a card detail first opens, not with the board)."""
        from pkanban.store.clearance import stage_path

        return self._read(stage_path, card_id)

    def wip_now(self) -> list[Wip]:
        return self._read(board.wip_now)

    def has_history(self) -> bool:
        return self._read(board.has_history)

    def count_past_best_by(self, today: date, best_by_days: int) -> int:
        return self._read(board.count_past_best_by, today, best_by_days)

    def cards_of_last_action(self) -> list[int]:
        return self._read(board.cards_of_last_action)

    def cell_totals(
        self, match: CardMatch | None = None, cells: set[tuple[int, int]] | None = None
    ) -> dict[tuple[int, int], CellTotals]:
        return self._read(board.cell_totals, match, cells)

    def cell_cards(
        self,
        stage_id: int,
        lane_id: int,
        *,
        limit: int,
        offset: int = 0,
        match: CardMatch | None = None,
    ) -> list[Card]:
        return self._read(
            lambda conn: board.cell_cards(
                conn, stage_id, lane_id, limit=limit, offset=offset, match=match
            )
        )

    def cell_index(self, card: Card, match: CardMatch | None = None) -> int:
        return self._read(board.cell_index, card, match)

    def context(self, today: date | None = None) -> BoardContext:
        return self.run(board_context, today or self.today)

    def card_view(self, card_id: int, today: date | None = None) -> CardView:
        return self.run(card_view, today or self.today, card_id)

    def read(self, query: Callable[..., R], *args: object) -> R:
        """A service's read that takes a connection: `query(conn, *args)`."""
        return self._read(query, *args)

    def _read(self, query: Callable[..., R], *args: object) -> R:
        with storage_errors():
            return query(self.store.conn, *args)


BoardSource = BoardSession | Store
"""What a shell opens a board on: a session, or a store to open one over (what tests build
boards on)."""
