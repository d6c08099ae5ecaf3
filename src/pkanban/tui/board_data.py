"""What the board shows, read through the board session: the only part of the board that reads it.

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
from pkanban.services.session import BoardSession, CellTotals
from pkanban.services.views import BoardContext, board_context
from pkanban.tui.filter import BoardFilter

NO_TOTALS = CellTotals(0, 0, None)
Cells = set[tuple[int, int]]
"""(lane_id, stage_id) pairs."""


class HeaderCounts(NamedTuple):
    """The header's figures that read every open card."""

    past_best_by: int
    triage: int
    clearance: int


def header_counts(session: BoardSession, today: date, best_by_days: int) -> HeaderCounts:
    from pkanban.services import clearance, pipeline

    return HeaderCounts(
        session.count_past_best_by(today, best_by_days),
        session.run(pipeline.triage_count, today),
        session.run(clearance.ongoing_candidate_count, today),
    )


class OnABoard(Protocol):
    @property
    def session(self) -> BoardSession: ...

    @property
    def today(self) -> date: ...


class BoardData:
    """The board's context and per-cell totals (`totals` of all open cards, `shown` under the
    filter), read through `source`'s session (the app's, which a replica view may swap)."""

    def __init__(self, source: OnABoard) -> None:
        self.source = source
        self.context: BoardContext | None = None
        self.totals: dict[tuple[int, int], CellTotals] = {}
        self.shown: dict[tuple[int, int], CellTotals] = {}
        self.filter = BoardFilter()
        self._version: int | None = None

    @property
    def session(self) -> BoardSession:
        return self.source.session

    @property
    def board(self) -> BoardContext:
        """The context of the last `read_context` (the board reads it before it draws)."""
        if self.context is None:
            raise RuntimeError("the board's context is read before the board is drawn")
        return self.context

    def changed_elsewhere(self) -> bool:
        """Whether another connection changed the file since we last read it."""
        version = self.session.data_version()
        if version == self._version:
            return False
        self._version = version
        return True

    def read_context(self) -> BoardContext:
        self._version = self.session.data_version()
        self.context = self.session.run(board_context, self.source.today)
        return self.context

    def read_totals(self) -> None:
        self.totals = self.session.cell_totals()
        match = self.filter.match
        self.shown = self.session.cell_totals(match) if match else self.totals

    def totals_under_filter(self) -> dict[tuple[int, int], CellTotals]:
        """Each cell's totals under the current filter, read now (before a reload)."""
        return self.session.cell_totals(self.filter.match)

    def reread(self, cells: Cells) -> None:
        """Only these cells changed (our own move): re-read just their totals."""
        self._version = self.session.data_version()
        keys = {(stage_id, lane_id) for lane_id, stage_id in cells}
        for totals, match in ((self.totals, None), (self.shown, self.filter.match)):
            for key in keys:
                totals.pop(key, None)
            totals.update(self.session.cell_totals(match, keys))
            if self.shown is self.totals:
                break

    def is_empty(self) -> bool:
        """A board that has never held a card (it shows the welcome panel)."""
        return not self.totals and not self.session.has_history()

    def count(self, lane_id: int, stage_id: int) -> int:
        """How many cards the cell shows under the filter."""
        return self.shown.get((stage_id, lane_id), NO_TOTALS).count

    def visible_lanes(self) -> list[Lane]:
        return [lane for lane in self.board.lanes if self.filter.shows_lane(lane)]

    def window(self, stage_id: int, lane_id: int, limit: int, offset: int) -> list[Card]:
        """The cards of one cell from `offset`, at most `limit` of them."""
        return self.session.cell_cards(
            stage_id, lane_id, limit=limit, offset=offset, match=self.filter.match
        )

    def default_cell(self) -> tuple[Lane, Stage]:
        return self.session.read(actions.default_lane), self.session.read(actions.default_stage)

    def card(self, card_id: int) -> Card | None:
        try:
            return self.session.card(card_id)
        except NotFound:
            return None

    def index_in_view(self, card: Card) -> int | None:
        """The card's index in its cell under the filter; None when the filter hides it."""
        index = self.session.cell_index(card, self.filter.match)
        if self.filter.match:
            at = self.window(card.stage_id, card.lane_id, 1, index)
            if not at or at[0].id != card.id:
                return None
        return index

    def cell_index(self, card: Card) -> int:
        return self.session.cell_index(card, self.filter.match)
