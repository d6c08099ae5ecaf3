"""What the board shows, read from the store: the only part of the board that reads it.

A full read is one aggregate query for every cell's totals (all open cards, and again under the
filter when there is one) plus the board context; after our own move only the cells it touched
are re-read. `changed_elsewhere` polls SQLite's data version, so a CLI command or a second
board shows up within a poll. The header's counts read every open card, so they are a function
the screen runs off the UI thread.
"""

from datetime import date
from typing import NamedTuple, Protocol

from pkanban.domain.errors import NotFound
from pkanban.domain.models import Card, Lane, Stage
from pkanban.services import cards as actions
from pkanban.services.views import BoardContext, board_context
from pkanban.store import board
from pkanban.store.board import CellTotals
from pkanban.store.database import Store
from pkanban.tui.filter import BoardFilter

NO_TOTALS = CellTotals(0, 0, None)
Cells = set[tuple[int, int]]
"""(lane_id, stage_id) pairs."""


class HeaderCounts(NamedTuple):
    """The header's figures that read every open card."""

    past_best_by: int
    triage: int
    clearance: int


def header_counts(store: Store, today: date, best_by_days: int) -> HeaderCounts:
    from pkanban.services import clearance, pipeline

    return HeaderCounts(
        board.count_past_best_by(store.conn, today, best_by_days),
        pipeline.triage_count(store, today),
        clearance.ongoing_candidate_count(store, today),
    )


class OnABoard(Protocol):
    @property
    def store(self) -> Store: ...

    @property
    def today(self) -> date: ...


class BoardData:
    """The board's context and per-cell totals (`totals` of all open cards, `shown` under the
    filter), read through `source`'s store (the app's, which a replica view may swap)."""

    def __init__(self, source: OnABoard) -> None:
        self.source = source
        self.context: BoardContext | None = None
        self.totals: dict[tuple[int, int], CellTotals] = {}
        self.shown: dict[tuple[int, int], CellTotals] = {}
        self.filter = BoardFilter()
        self._version: int | None = None

    @property
    def conn(self):
        return self.source.store.conn

    def changed_elsewhere(self) -> bool:
        """Whether another connection changed the file since we last read it."""
        version = self.source.store.data_version()
        if version == self._version:
            return False
        self._version = version
        return True

    def read_context(self) -> BoardContext:
        self._version = self.source.store.data_version()
        self.context = board_context(self.source.store, self.source.today)
        return self.context

    def read_totals(self) -> None:
        self.totals = board.cell_totals(self.conn)
        match = self.filter.match
        self.shown = board.cell_totals(self.conn, match) if match else self.totals

    def totals_under_filter(self) -> dict[tuple[int, int], CellTotals]:
        """Each cell's totals under the current filter, read now (before a reload)."""
        return board.cell_totals(self.conn, self.filter.match)

    def reread(self, cells: Cells) -> None:
        """Only these cells changed (our own move): re-read just their totals."""
        self._version = self.source.store.data_version()
        keys = {(stage_id, lane_id) for lane_id, stage_id in cells}
        for totals, match in ((self.totals, None), (self.shown, self.filter.match)):
            for key in keys:
                totals.pop(key, None)
            totals.update(board.cell_totals(self.conn, match, keys))
            if self.shown is self.totals:
                break

    def is_empty(self) -> bool:
        """A board that has never held a card (it shows the welcome panel)."""
        return not self.totals and not board.has_history(self.conn)

    def count(self, lane_id: int, stage_id: int) -> int:
        """How many cards the cell shows under the filter."""
        return self.shown.get((stage_id, lane_id), NO_TOTALS).count

    def visible_lanes(self) -> list[Lane]:
        return [lane for lane in self.context.lanes if self.filter.shows_lane(lane)]

    def window(self, stage_id: int, lane_id: int, limit: int, offset: int) -> list[Card]:
        """The cards of one cell from `offset`, at most `limit` of them."""
        return board.cell_cards(
            self.conn, stage_id, lane_id, limit=limit, offset=offset, match=self.filter.match
        )

    def default_cell(self) -> tuple[Lane, Stage]:
        return actions.default_lane(self.conn), actions.default_stage(self.conn)

    def card(self, card_id: int) -> Card | None:
        try:
            return board.card(self.conn, card_id)
        except NotFound:
            return None

    def index_in_view(self, card: Card) -> int | None:
        """The card's index in its cell under the filter; None when the filter hides it."""
        index = board.cell_index(self.conn, card, self.filter.match)
        if self.filter.match:
            at = self.window(card.stage_id, card.lane_id, 1, index)
            if not at or at[0].id != card.id:
                return None
        return index

    def cell_index(self, card: Card) -> int:
        return board.cell_index(self.conn, card, self.filter.match)
