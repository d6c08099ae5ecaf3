"""The board's grid: a lane per row, a cell per stage, a fixed set of widgets whatever the count.

It owns the layout (each lane's height, see `tui/layout.py`), the windowing (each cell shows
the window of its cards around its offset, fetched through the `BoardData` it was given — it
never touches SQL) and the cursor. Its state lives in a `GridView` the screen keeps, so a
recompose (stages or lanes added) keeps the selection, the folded lanes and the offsets.
Not focusable: the arrow keys belong to the board's selection, not to scrolling.
"""

from collections.abc import Set
from dataclasses import dataclass, field

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message

from pkanban.domain.models import Lane, Stage
from pkanban.services.views import CardView
from pkanban.tui import layout
from pkanban.tui.board_data import BoardData
from pkanban.tui.screens.working import board_app
from pkanban.tui.widgets.cell import CellPalette, CellWindow, LaneCells
from pkanban.tui.widgets.headers import LaneHeader

CHROME_ROWS = 4
"""Rows outside the lanes: the header bar, the two-line stage headers and the footer."""


@dataclass
class Cursor:
    """The selected cell, the card's index in it (0 in an empty cell) and the card itself.

    The card id is what the selection means: a reload (a refresh from another process, a filter
    change, an undo) finds that card again wherever its index now is; the index only stands in
    for it when the card has left the view (its nearest neighbour in the cell is selected)."""

    lane_id: int
    stage_id: int
    index: int = 0
    card_id: int | None = None


@dataclass
class GridView:
    """Where the grid looks: the cursor, folded lanes, each cell's first shown card (offset),
    each lane's card rows and the height of a card."""

    cursor: Cursor | None = None
    folded: set[int] = field(default_factory=set)
    offsets: dict[tuple[int, int], int] = field(default_factory=dict)
    rows: dict[int, int] = field(default_factory=dict)
    card_height: int = 3


class BoardGrid(VerticalScroll):
    """The lanes and their cells; tells the board when its size changes."""

    can_focus = False

    class Resized(Message):
        pass

    class ScrollbarShown(Message):
        """The lanes' scrollbar came or went (it takes a column from the cells)."""

        def __init__(self, shown: bool) -> None:
            super().__init__()
            self.shown = shown

    def __init__(
        self,
        data: BoardData,
        view: GridView,
        stages: list[Stage],
        lanes: list[Lane],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.data = data
        self.view = view
        self.stages = stages
        self.lanes = lanes

    def compose(self) -> ComposeResult:
        palette = CellPalette()  # beside the lanes: no container between sets a colour
        yield palette
        stage_ids = [stage.id for stage in self.stages]
        for lane in self.lanes:
            with Vertical(classes="lane", id=f"lane-{lane.id}"):
                yield LaneHeader(lane.id, id=f"lane-header-{lane.id}")
                yield LaneCells(lane.id, stage_ids, palette, id=f"cells-{lane.id}")

    def on_resize(self) -> None:
        self.post_message(self.Resized())

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        self.post_message(self.ScrollbarShown(shown))

    def lay_out(self) -> set[int]:
        """Give each lane the height its cards need, sharing the screen fairly when they don't
        all fit (see `layout.lane_heights`); returns the lanes whose rows changed."""
        width, height = self.size
        if not height:  # before the first layout: the screen less its fixed rows
            width, height = self.screen.size.width, self.screen.size.height - CHROME_ROWS
        stages = self.data.board.stages
        if not height or not stages:
            return set()
        card_height = layout.card_height(width // len(stages) - 2)
        before = {} if card_height != self.view.card_height else dict(self.view.rows)
        self.view.card_height = card_height
        visible = self.data.visible_lanes()
        needs: list[int | None] = []
        for lane in visible:
            if lane.id in self.view.folded:
                needs.append(None)
                continue
            most = max(self.data.count(lane.id, stage.id) for stage in stages)
            # header + its cards; an empty lane, header + one row (room for the cursor)
            needs.append(1 + (most * self.view.card_height if most else 1))
        heights = layout.lane_heights(height, needs, minimum=2 + self.view.card_height)
        self.view.rows = {}
        for lane in self.data.board.lanes:
            section = self.query_one(f"#lane-{lane.id}")
            section.display = lane in visible
        for lane, lane_height in zip(visible, heights, strict=True):
            section = self.query_one(f"#lane-{lane.id}")
            if section.styles.height is None or section.styles.height.value != lane_height:
                section.styles.height = lane_height
            self.view.rows[lane.id] = lane_height - 1
            section.set_class(lane.id in self.view.folded, "-folded")
        return {lane_id for lane_id, rows in self.view.rows.items() if before.get(lane_id) != rows}

    def fill(
        self, lane_ids: Set[int] | None = None, cells: Set[tuple[int, int]] = frozenset()
    ) -> None:
        """Fetch and show the window of cards of each visible cell — or, when `lane_ids` is
        given, only of those lanes' cells and of the (lane_id, stage_id) `cells`."""
        context = self.data.board
        for lane in self.data.visible_lanes():
            if lane.id in self.view.folded or lane.id not in self.view.rows:
                continue
            for stage in context.stages:
                key = (lane.id, stage.id)
                if lane_ids is not None and lane.id not in lane_ids and key not in cells:
                    continue
                total = self.data.count(lane.id, stage.id)
                capacity = layout.window_capacity(
                    self.view.rows[lane.id], self.view.card_height, total
                )
                selected = self.selected_index(lane.id, stage.id)
                offset = self.view.offsets.get(key, 0)
                offset = layout.scrolled_offset(
                    offset, offset if selected is None else selected, capacity, total
                )
                self.view.offsets[key] = offset
                found = self.data.window(stage.id, lane.id, capacity, offset)
                if self.view.cursor is not None and selected is not None:
                    at = selected - offset
                    self.view.cursor.card_id = found[at].id if 0 <= at < len(found) else None
                self.query_one(f"#cells-{lane.id}", LaneCells).show(
                    stage.id,
                    CellWindow(
                        cards=tuple(context.view(card) for card in found),
                        offset=offset,
                        total=total,
                        selected=selected,
                        card_height=self.view.card_height,
                        touch_target=context.settings.touch_target,
                        currency=context.settings.currency,
                        today=board_app(self).today,
                    ),
                )

    def selected_index(self, lane_id: int, stage_id: int) -> int | None:
        cursor = self.view.cursor
        if cursor is None or (cursor.lane_id, cursor.stage_id) != (lane_id, stage_id):
            return None
        return cursor.index

    def selected_view(self) -> CardView | None:
        """The card under the cursor, if the cursor is on a card in an unfolded lane."""
        cursor = self.view.cursor
        if cursor is None or cursor.lane_id in self.view.folded:
            return None
        window = self.query_one(f"#cells-{cursor.lane_id}", LaneCells).windows[cursor.stage_id]
        if window is None:
            return None
        position = cursor.index - window.offset
        return window.cards[position] if 0 <= position < len(window.cards) else None

    def step(self, dx: int, dy: int) -> tuple[int, int] | None:
        """Move the cursor a cell or a card; returns the cell it left (None: no cursor)."""
        cursor = self.view.cursor
        if cursor is None:
            return None
        before = (cursor.lane_id, cursor.stage_id)
        stages = [stage.id for stage in self.data.board.stages]
        lanes = [lane.id for lane in self.data.visible_lanes()]
        if dx:
            target = stages.index(cursor.stage_id) + dx
            if 0 <= target < len(stages):
                row = cursor.index - self.view.offsets.get((cursor.lane_id, cursor.stage_id), 0)
                cursor.stage_id = stages[target]
                cursor.index = self.row_in_cell(cursor.lane_id, cursor.stage_id, row)
        elif dy:
            folded = cursor.lane_id in self.view.folded
            total = self.data.count(cursor.lane_id, cursor.stage_id)
            if not folded and 0 <= cursor.index + dy < total:
                cursor.index += dy
            else:
                target = lanes.index(cursor.lane_id) + dy
                if 0 <= target < len(lanes):
                    cursor.lane_id = lanes[target]
                    row = 0 if dy > 0 else self.view.rows.get(cursor.lane_id, 0)
                    cursor.index = self.row_in_cell(cursor.lane_id, cursor.stage_id, row)
        return before

    def page(self, pages: int) -> bool:
        """Move the cursor by pages in its cell; False when there is nothing to page."""
        cursor = self.view.cursor
        if cursor is None or cursor.lane_id in self.view.folded:
            return False
        step = max(1, self.view.rows.get(cursor.lane_id, 1) // self.view.card_height - 1)
        total = self.data.count(cursor.lane_id, cursor.stage_id)
        cursor.index = max(0, min(total - 1, cursor.index + pages * step))
        return True

    def row_in_cell(self, lane_id: int, stage_id: int, row: int) -> int:
        """The index of the card shown on visual `row` of a cell (its last card if shorter)."""
        total = self.data.count(lane_id, stage_id)
        offset = self.view.offsets.get((lane_id, stage_id), 0)
        capacity = layout.window_capacity(
            self.view.rows.get(lane_id, 0), self.view.card_height, total
        )
        visible = max(1, min(capacity, total - offset))
        return max(0, min(offset + min(row, visible - 1), total - 1))
