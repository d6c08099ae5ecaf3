"""The board: stages as columns, lanes as rows, a fixed set of widgets whatever the card count.

Three parts: `tui/board_data.py` reads the board through its session (a full reload is one
aggregate query for the counts plus one windowed query per visible cell; a move or a cursor step
re-reads only the cells it touched), `tui/widgets/board_grid.py` lays out the lanes, windows
the cells and moves the cursor, and `tui/board_redraw.py` hands the widgets their data; this
thin screen maps its keys (`tui/board_keys.py`) to actions and wires the filter bar
(`tui/board_filter_bar.py`).
Widgets post messages (`LaneCells.Clicked`, `LaneHeader.Clicked`) and never touch SQL. Every action
is a service call (the card dialogs shared with triage are in `tui/card_actions.py`); a refusal
becomes a warning notification with the service's sentence and the board is unchanged.

Dialogs, other screens and the services only they (or the header counts drawn a frame later)
need are imported where they are used: the board must be on screen within 1.5× the start-up of
a bare Textual app (README, Performance).
"""

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import Screen

from pkanban.domain.models import Card, Lane, Stage
from pkanban.services import cards as actions
from pkanban.services.views import BoardContext, CardView
from pkanban.tui.board_data import BoardData
from pkanban.tui.board_filter_bar import BoardFilterBar
from pkanban.tui.board_keys import BOARD_KEYS, TYPED_AHEAD
from pkanban.tui.board_redraw import BoardRedraw
from pkanban.tui.board_selection import BoardSelection
from pkanban.tui.card_actions import (
    CardActions,
    blocked_said,
    card_label,
    lost_said,
    snoozed_said,
    touched_said,
    won_said,
)
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.filter import BoardFilter
from pkanban.tui.header_recount import HeaderRecount, Recount
from pkanban.tui.screens.typing import type_into_focused_field
from pkanban.tui.screens.working import OnTheBoard
from pkanban.tui.text import display_line, plain, tell
from pkanban.tui.widgets.board_grid import BoardGrid, Cursor, GridView
from pkanban.tui.widgets.cell import LaneCells
from pkanban.tui.widgets.empty import EmptyBoard
from pkanban.tui.widgets.headers import (
    BoardHeader,
    LaneHeader,
    StageHeader,
)
from pkanban.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from textual import events
    from textual.widgets import Input

T = TypeVar("T")
POLL_SECONDS = 0.5


class BoardScreen(OnTheBoard, Screen):
    """The everyday board. Keys are all bindings, so the footer, `?` and Ctrl+P list them.

    Nothing on it takes focus (except the filter while it is typed in), so every key reaches
    these bindings."""

    AUTO_FOCUS = ""

    BINDINGS: ClassVar[list[BindingType]] = BOARD_KEYS

    def __init__(self) -> None:
        super().__init__()
        self.data = BoardData(self)
        self.view = GridView()
        self.empty = False
        self.redraw = BoardRedraw(self)
        self.selection = BoardSelection(self.data, self.view)
        self.header = HeaderRecount(self, self, shown=self.redraw.show_headers)
        self.card_actions = CardActions(self, closing=self._let_go)
        self.filter_bar = BoardFilterBar(self, self.selection, shown=self._filtered)

    @property
    def context(self) -> BoardContext:
        return self.data.board

    @property
    def cursor(self) -> Cursor:
        return self.selection.cursor

    @property
    def filter(self) -> BoardFilter:
        return self.data.filter

    @property
    def grid(self) -> BoardGrid:
        return self.query_one(BoardGrid)

    # ----------------------------------------------------------------- building

    def compose(self) -> ComposeResult:
        """The board's frame: one header per stage and lane, one cell per stage × lane. The
        cards, counts and best-by come with the first `reload`, when the screen is shown."""
        stages, lanes = self.session.stages(), self.session.lanes()
        self.redraw.layout_ids = (
            tuple(stage.id for stage in stages),
            tuple(lane.id for lane in lanes),
        )
        yield BoardHeader(id="board-header")
        with Horizontal(id="stage-headers"):
            for stage in stages:
                yield StageHeader(stage.id, id=f"stage-{stage.id}")
        yield BoardGrid(self.data, self.view, stages, lanes, id="lanes")
        yield EmptyBoard(id="empty")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_interval(POLL_SECONDS, self._poll)

    def on_screen_resume(self) -> None:
        """Shown (at start, or back from a dialog or another screen): show whatever changed,
        then take the keys typed meanwhile."""
        self.reload(counts="after paint")
        self.call_after_refresh(self.pkanban.release_keys)

    def _poll(self) -> None:
        """Live refresh: another process (a CLI command, a second board) changed the file."""
        if self.data.changed_elsewhere():
            self.reload(counts="after paint", where=" elsewhere")

    # ------------------------------------------------------------------ loading

    def _filtered(self) -> None:
        self.reload(counts="keep")

    def reload(self, counts: Recount = "now", where: str = "") -> None:
        """Read the board again and hand every widget its data (widgets are not rebuilt)."""
        self.redraw.reload(counts, where)

    def refresh_cells(self, cells: set[tuple[int, int]]) -> None:
        """After our own move: re-read and redraw just the (lane_id, stage_id) `cells`."""
        self.redraw.cells(cells)

    # ------------------------------------------------------------------ queries

    def selected_view(self) -> CardView | None:
        """The card under the cursor, if the cursor is on a card in an unfolded lane."""
        return None if self.empty else self.grid.selected_view()

    def _cell_stage_lane(self) -> tuple[Stage, Lane]:
        return self.context.stage(self.cursor.stage_id), self.context.lane(self.cursor.lane_id)

    # --------------------------------------------------------------- navigation

    def action_cursor(self, dx: int, dy: int) -> None:
        before = self.grid.step(dx, dy)
        if before is not None:
            self.redraw.cursor_moved(before)

    def action_page(self, pages: int) -> None:
        if self.grid.page(pages):
            self.redraw.cursor_moved((self.cursor.lane_id, self.cursor.stage_id))

    @on(LaneCells.Clicked)
    def select_clicked(self, event: LaneCells.Clicked) -> None:
        before = (self.cursor.lane_id, self.cursor.stage_id)
        lane_id, stage_id, index = event.lane_id, event.stage_id, event.index
        if index is None:
            index = self.grid.row_in_cell(lane_id, stage_id, 0)
        self.view.cursor = Cursor(lane_id, stage_id, index)
        self.redraw.cursor_moved(before)
        if event.chain >= 2 and event.index is not None:
            self.action_open()

    @on(LaneHeader.Clicked)
    def fold_clicked(self, event: LaneHeader.Clicked) -> None:
        self.cursor.lane_id = event.lane_id
        self.action_fold_lane()

    def action_fold_lane(self) -> None:
        self.selection.fold(self.cursor.lane_id)
        self.reload(counts="keep")

    @on(BoardGrid.ScrollbarShown)
    def keep_stage_headers_over_their_cells(self, event: BoardGrid.ScrollbarShown) -> None:
        """The lanes' scrollbar narrows the cells by a column: the stage headers leave it too."""
        self.query_one("#stage-headers").set_class(event.shown, "-beside-scrollbar")

    @on(BoardGrid.Resized)
    def relayout(self) -> None:
        """The terminal (or the filter bar) changed the lanes' room: share it out again and
        refill the lanes whose rows changed."""
        if self.context is not None:
            self.grid.fill(self.grid.lay_out())

    def on_key(self, event: "events.Key") -> None:
        """Letters typed right after `/` belong in the filter, even if read before it opened."""
        type_into_focused_field(self, event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the filter is typed in, letters are text: the board's keys step aside."""
        return not (action in TYPED_AHEAD and self.filter_bar.is_typed_in())

    # ------------------------------------------------------------------ filter

    def action_filter(self) -> None:
        self.filter_bar.open()

    def on_input_changed(self, event: "Input.Changed") -> None:
        self.filter_bar.changed(event.value)

    def on_input_submitted(self, event: "Input.Submitted") -> None:
        self.filter_bar.submitted(event.input)

    def action_clear_filter(self) -> None:
        self.filter_bar.clear()

    # ----------------------------------------------------------------- actions

    def _attempt(self, action: Callable[[], T]) -> T | None:
        """Run a service call; a refusal is told as a warning and changes nothing."""
        try:
            return action()
        except SHOWN_ERRORS as error:
            tell(self, sentence(error), "warning")
            return None

    def _card_or_tell(self) -> CardView | None:
        view = self.selected_view()
        if view is None:
            if self.view.cursor is not None and self.view.cursor.lane_id in self.view.folded:
                tell(self, "This lane is folded — press z to unfold it", "warning")
            else:
                tell(self, "No card selected — move to a card first (arrows or h/j/k/l)")
        return view

    def select_card(self, card: Card, moved_from: tuple[int, int] | None = None) -> None:
        """Put the cursor on `card` (after it was added, or moved from the (lane_id, stage_id)
        cell `moved_from`) and show the change."""
        unfolded = self.selection.select(card)
        if moved_from is None or unfolded:
            self.reload(counts="later")
        else:
            self.refresh_cells({moved_from, (card.lane_id, card.stage_id)})

    def action_move(self, dx: int, dy: int) -> None:
        view = self._card_or_tell()
        if view is None:
            return
        target = self.selection.neighbour(view, dx, dy)
        if target is None:
            tell(self, "There is no stage or lane further that way", "warning")
            return
        stage, lane = target
        moved = self._attempt(
            lambda: self.session.run(
                actions.move_card,
                self.today,
                view.card.id,
                stage=stage.name if dx else None,
                lane=lane.name if dy else None,
            )
        )
        if moved is not None:
            where = stage.name if dx else lane.name
            tell(self, f"Moved {card_label(moved)} to {where} — u undoes")
            self.select_card(moved, moved_from=(view.card.lane_id, view.card.stage_id))

    def action_quick_add(self) -> None:
        stage, lane = self._cell_stage_lane()

        def added(card: Card | None) -> None:
            if card is not None:
                tell(self, f"Added {card_label(card)} — u undoes")
                self.select_card(card)

        from pkanban.tui.screens.quick_add import QuickAddScreen

        self.app.push_screen(QuickAddScreen(stage, lane), added)

    def action_edit(self) -> None:
        view = self._card_or_tell()
        if view is not None:
            from pkanban.tui.screens.edit import EditCardScreen

            self.app.push_screen(EditCardScreen(view.card))

    def action_open(self) -> None:
        cursor = self.view.cursor
        if cursor is not None and cursor.lane_id in self.view.folded:
            self.action_fold_lane()
            return
        view = self._card_or_tell()
        if view is None:
            return

        def then(next_action: str | None) -> None:
            if next_action == "edit":
                self.action_edit()
            elif next_action == "touch":
                self.action_touch()

        from pkanban.tui.screens.detail import CardDetailScreen

        self.app.push_screen(CardDetailScreen(view.card.id), then)

    def action_search(self) -> None:
        from pkanban.tui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen())

    def action_touch(self) -> None:
        view = self._card_or_tell()
        if view is not None:
            self.card_actions.touch(view.card, self._told(touched_said))

    def action_won(self) -> None:
        """Ask for the final value (the card's, prefilled: Enter accepts) and close it as won."""
        view = self._card_or_tell()
        if view is not None:
            currency = self.context.settings.currency
            self.card_actions.won(view.card, self._told(partial(won_said, currency=currency)))

    def action_lost(self) -> None:
        view = self._card_or_tell()
        if view is not None:
            target = self.context.settings.touch_target
            self.card_actions.lost(view.card, target, self._told(lost_said))

    def _told(self, said: Callable[[T], str]) -> Callable[[T | None], None]:
        def told(result: T | None) -> None:
            if result is not None:
                tell(self, said(result))

        return told

    def _let_go(self, card_id: int) -> None:
        """Our own action took the selected card off the board: select its neighbour quietly."""
        if self.view.cursor is not None and self.view.cursor.card_id == card_id:
            self.view.cursor.card_id = None

    def action_block(self) -> None:
        view = self._card_or_tell()
        if view is None:
            return
        if not view.card.blocked_reason:
            self.card_actions.block(view.card, self._told(blocked_said))
        elif self.card_actions.unblock(view.card):
            tell(self, f"Unblocked {card_label(view.card)} — u undoes")
            self.reload(counts="later")

    def action_snooze(self) -> None:
        view = self._card_or_tell()
        if view is not None:
            self.card_actions.snooze(view.card, self._told(snoozed_said))

    def action_checklist(self) -> None:
        """Name the best-customer criteria every card is answered against (a setting)."""
        self.card_actions.checklist(
            self._told(lambda _: "Checklist saved — answer it per card with 1–9 in the card detail")
        )

    def action_pull(self) -> None:
        """Pull the best lead; a refusal lists what to do first (it can be several lines)."""
        from pkanban.services import pipeline

        try:
            pulled = self.session.run(pipeline.pull_next_lead, self.today)
        except SHOWN_ERRORS as error:
            self.app.clear_notifications()
            self.app.notify(
                plain(sentence(error), multiline=True), severity="warning", markup=False, timeout=12
            )
            return
        tell(
            self,
            f"Pulled “{display_line(pulled.card.title, 50)}” into {pulled.stage.name}"
            f" · {pulled.lane.name} (rank {pulled.score.total:.1f}) — u undoes",
        )
        self.select_card(pulled.card)

    def action_triage(self) -> None:
        from pkanban.tui.screens.triage import TriageScreen

        self.app.push_screen(TriageScreen())

    def action_clearance(self) -> None:
        """The clearance wizard, in the yearly review when that is due."""
        from pkanban.services.clearance import yearly_review
        from pkanban.tui.screens.clearance import ClearanceScreen

        try:
            due = self.session.run(yearly_review, self.today).due
        except SHOWN_ERRORS:
            due = False

        self.app.push_screen(ClearanceScreen("yearly" if due else "ongoing"))

    def action_undo(self) -> None:
        """Undo the last action and select the card it brought back (if it is one card)."""
        from pkanban.services.undo import undo_last

        summary = self._attempt(lambda: self.session.run(undo_last, self.today))
        if summary is None:
            return
        tell(self, f"Undid: {summary}")
        changed = self.session.cards_of_last_action()
        if len(changed) == 1:
            self.selection.follow(self.session.card(changed[0]))
        self.reload(counts="later")
