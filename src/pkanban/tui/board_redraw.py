"""Handing the board's widgets their data, and redrawing only what changed: everything on a
reload (composing the frame again when stages or lanes changed), the cells a move touched, the
two cells a cursor step left and entered. Widgets are never rebuilt for a card.
"""

from typing import TYPE_CHECKING

from pkanban.tui.board_headers import board_headings
from pkanban.tui.card_actions import card_label
from pkanban.tui.header_recount import Recount
from pkanban.tui.text import tell
from pkanban.tui.widgets.headers import BoardHeader, LaneHeader, StageHeader

if TYPE_CHECKING:
    from pkanban.tui.screens.board import BoardScreen

LayoutIds = tuple[tuple[int, ...], tuple[int, ...]]


class BoardRedraw:
    """What `screen` shows, kept in step with its data. `layout_ids` are the stage and lane
    ids the screen was composed with."""

    def __init__(self, screen: "BoardScreen") -> None:
        self.screen = screen
        self.layout_ids: LayoutIds = ((), ())

    def reload(self, counts: Recount, where: str) -> None:
        """Read the board again and hand every widget its data; `counts` says when to recount
        the header's figures that read every open card (`tui/header_recount.py`)."""
        screen = self.screen
        context = screen.data.read_context()
        ids = (tuple(s.id for s in context.stages), tuple(lane.id for lane in context.lanes))
        if ids != self.layout_ids:
            screen.run_worker(self._rebuild(), exclusive=True, group="rebuild")
            return
        screen.data.read_totals()
        screen.header.recount(counts, context.best_by.days)
        screen.empty = screen.data.is_empty()
        screen.selection.place()
        left = "" if screen.empty else screen.selection.find_card(where)
        screen.query_one("#empty").display = screen.empty
        screen.grid.display = not screen.empty
        self.show_headers()
        screen.grid.lay_out()
        screen.grid.fill()
        if left:
            view = screen.selected_view()
            now_on = "the cell is empty now" if view is None else f"now on {card_label(view.card)}"
            tell(screen, f"{left} — {now_on}")

    def cells(self, cells: set[tuple[int, int]]) -> None:
        """After our own move: only the (lane_id, stage_id) `cells` changed — not the stages,
        lanes, settings or best-by — so the keystroke re-reads just those cells' totals and
        windows."""
        screen = self.screen
        screen.data.reread(cells)
        screen.header.schedule(screen.context.best_by.days)
        screen.selection.place()
        self.show_headers()
        resized = screen.grid.lay_out()
        screen.grid.fill(resized, cells)

    def cursor_moved(self, previous: tuple[int, int]) -> None:
        """Redraw the cell the cursor left and the one it entered (nothing else changed)."""
        screen = self.screen
        cursor = screen.cursor
        self.show_headers()
        screen.grid.fill(set(), {previous, (cursor.lane_id, cursor.stage_id)})
        screen.query_one(f"#lane-{cursor.lane_id}").scroll_visible(animate=False)

    async def _rebuild(self) -> None:
        """Stages or lanes were added, removed or reordered: compose the board again."""
        await self.screen.recompose()
        self.screen.reload()

    def show_headers(self) -> None:
        screen = self.screen
        if not screen.query(BoardHeader):  # the board is being composed again, or closing
            return
        folded, cursor = screen.view.folded, screen.view.cursor
        headings = board_headings(
            screen.data,
            screen.today,
            screen.header.counts,
            folded,
            cursor.lane_id if cursor else None,
        )
        screen.query_one(BoardHeader).show(headings.board)
        for stage_id, stage in headings.stages.items():
            screen.query_one(f"#stage-{stage_id}", StageHeader).show(stage)
        for lane_id, lane in headings.lanes.items():
            screen.query_one(f"#lane-header-{lane_id}", LaneHeader).show(lane)
