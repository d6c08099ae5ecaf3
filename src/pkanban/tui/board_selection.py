"""The board's selection: which card the cursor is on while the filter, the folded lanes and the
board itself change underneath it.

The cursor means a card (`Cursor.card_id`); its cell and index follow that card through a
reload, a filter change or an undo, and only stand in for it once it has left the view (its
nearest neighbour in the cell is then selected). Reads go through `BoardData`; the screen
redraws after each change.
"""

from pkanban.domain.models import Card, Lane, Stage
from pkanban.services.views import BoardContext, CardView
from pkanban.tui.board_data import BoardData
from pkanban.tui.card_actions import card_label
from pkanban.tui.filter import BoardFilter
from pkanban.tui.widgets.board_grid import Cursor, GridView


class BoardSelection:
    """The cursor and the filter of one board, over its `data` and its grid's `view`."""

    def __init__(self, data: BoardData, view: GridView) -> None:
        self.data = data
        self.view = view
        self._before_filter: int | None = None

    @property
    def cursor(self) -> Cursor:
        """The cursor, once `place` has put it on the board (the board places it on its first
        reload, before any key reaches it)."""
        if self.view.cursor is None:
            raise RuntimeError("the board's cursor is placed on its first reload")
        return self.view.cursor

    @property
    def board(self) -> BoardContext:
        return self.data.board

    def place(self) -> Cursor:
        """Keep the cursor on a visible lane and an existing stage, inside its cell (on the
        default cell the first time)."""
        lanes = self.data.visible_lanes()
        stage_ids = [stage.id for stage in self.board.stages]
        cursor = self.view.cursor
        if cursor is None:
            lane, stage = self.data.default_cell()
            cursor = self.view.cursor = Cursor(lane.id, stage.id)
        if lanes and cursor.lane_id not in [lane.id for lane in lanes]:
            cursor.lane_id, cursor.index = lanes[0].id, 0
        if cursor.stage_id not in stage_ids:
            cursor.stage_id, cursor.index = stage_ids[0], 0
        total = self.data.count(cursor.lane_id, cursor.stage_id)
        cursor.index = max(0, min(cursor.index, total - 1))
        return cursor

    def find_card(self, where: str) -> str:
        """Put the cursor back on its card, wherever the card now is in the view. When the card
        has left the view, the cursor stays at its index (its nearest neighbour in the same
        cell); returns why it left ("" when it did not), `where` saying who changed it."""
        cursor = self.view.cursor
        if cursor is None or cursor.card_id is None:
            return ""
        card = self.data.card(cursor.card_id)
        cursor.card_id = None
        if card is None:
            return ""
        if not card.is_open:
            return f"{card_label(card)} was marked {card.disposition}{where}"
        lane = self.board.lane(card.lane_id)
        if not self.data.filter.shows_lane(lane) or lane.id in self.view.folded:
            return f"{card_label(card)} went to {lane.name}{where}, which is not shown"
        index = self.data.index_in_view(card)
        if index is None:
            return f"{card_label(card)} no longer matches the filter"
        cursor.lane_id, cursor.stage_id, cursor.index = card.lane_id, card.stage_id, index
        cursor.card_id = card.id
        return ""

    def select(self, card: Card) -> bool:
        """Put the cursor on `card` (unfolding its lane); returns whether the lane was folded."""
        unfolded = card.lane_id in self.view.folded
        self.view.folded.discard(card.lane_id)
        index = self.data.cell_index(card)
        self.view.cursor = Cursor(card.lane_id, card.stage_id, index, card.id)
        return unfolded

    def follow(self, card: Card) -> None:
        """Select `card` (brought back by an undo) if the board shows it, at the cursor's index
        until the reload finds it."""
        cursor = self.view.cursor
        if cursor is None:
            return
        lane = self.board.lane(card.lane_id)
        if card.is_open and self.data.filter.shows_lane(lane) and lane.id not in self.view.folded:
            self.view.cursor = Cursor(card.lane_id, card.stage_id, cursor.index, card.id)

    def neighbour(self, view: CardView, dx: int, dy: int) -> tuple[Stage, Lane] | None:
        """The stage `dx` stages and the lane `dy` shown lanes away from `view`'s card, or None
        past the board's edge (where a move with shift+arrows would go)."""
        stages, lanes = self.board.stages, self.data.visible_lanes()
        stage_at = stages.index(view.stage) + dx
        lane_at = lanes.index(view.lane) + dy if view.lane in lanes else -1
        if not (0 <= stage_at < len(stages) and 0 <= lane_at < len(lanes)):
            return None
        return stages[stage_at], lanes[lane_at]

    def fold(self, lane_id: int) -> None:
        """Fold the lane, or unfold it if it is folded."""
        self.view.folded ^= {lane_id}

    def filter_by(self, text: str) -> None:
        """The filter bar now reads `text`: filter by it, from the top of every cell."""
        if not self.data.filter and self._before_filter is None and self.view.cursor is not None:
            self._before_filter = self.view.cursor.card_id  # kept until Esc, through backspaces
        self.data.filter = BoardFilter.parse(text)
        self.view.offsets.clear()
        self._to_first_match()

    def clear_filter(self) -> None:
        """Drop the filter. The cursor keeps the card the filter found; when it found none, the
        card selected before the filter comes back (the next reload finds it)."""
        cursor = self.view.cursor
        if cursor is not None and cursor.card_id is None:
            cursor.card_id = self._before_filter
        self._before_filter = None
        self.data.filter = BoardFilter()

    def _to_first_match(self) -> None:
        """Keep the cursor's cell if it still holds matches, else go to the first cell that does."""
        cursor = self.view.cursor
        if cursor is None or self._card_matches(cursor):
            return
        cursor.index, cursor.card_id = 0, None
        shown = self.data.totals_under_filter()
        cells = [
            (lane.id, stage.id)
            for lane in self.data.visible_lanes()
            if lane.id not in self.view.folded
            for stage in self.board.stages
        ]
        if (cursor.lane_id, cursor.stage_id) in cells and shown.get(
            (cursor.stage_id, cursor.lane_id)
        ):
            return
        for lane_id, stage_id in cells:
            if shown.get((stage_id, lane_id)):
                cursor.lane_id, cursor.stage_id = lane_id, stage_id
                return

    def _card_matches(self, cursor: Cursor) -> bool:
        """Whether the selected card is still shown under the new filter."""
        if cursor.card_id is None:
            return False
        card = self.data.card(cursor.card_id)
        if (
            card is None
            or not card.is_open
            or not self.data.filter.shows_lane(self.board.lane(card.lane_id))
        ):
            return False
        at = self.data.window(card.stage_id, card.lane_id, 1, self.data.cell_index(card))
        return bool(at) and at[0].id == card.id
