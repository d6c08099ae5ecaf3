"""The board: stages as columns, lanes as rows, a fixed set of widgets whatever the card count.

Three parts: `tui/board_data.py` reads the board through its session (a full reload is one
aggregate query for the counts plus one windowed query per visible cell; a move or a cursor step
re-reads only the cells it touched), `tui/widgets/board_grid.py` lays out the lanes, windows
the cells and moves the cursor, and this thin screen holds the keys, the filter and the header.
Widgets post messages (`Cell.Clicked`, `LaneHeader.Clicked`) and never touch SQL. Every action
is a service call (the card dialogs shared with triage are in `tui/card_actions.py`); a refusal
becomes a warning notification with the service's sentence and the board is unchanged.

Dialogs, other screens and the services only they (or the header counts drawn a frame later)
need are imported where they are used: the board must be on screen within 1.5× the start-up of
a bare Textual app (README, Performance).
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, Literal, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from pkanban.domain.models import Card, Lane, Stage
from pkanban.domain.rules import counts_toward
from pkanban.services import cards as actions
from pkanban.services.session import CellTotals
from pkanban.services.undo import undo_last
from pkanban.services.views import BoardContext, CardView
from pkanban.tui.board_data import NO_TOTALS, BoardData, HeaderCounts, header_counts
from pkanban.tui.card_actions import CardActions, card_label, won_said
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.filter import BoardFilter
from pkanban.tui.screens.typing import type_into_focused_field
from pkanban.tui.screens.working import OnTheBoard
from pkanban.tui.text import display_line, plain, tell
from pkanban.tui.widgets.board_grid import BoardGrid, Cursor, GridView
from pkanban.tui.widgets.cell import Cell
from pkanban.tui.widgets.empty import EmptyBoard
from pkanban.tui.widgets.headers import (
    BoardHeader,
    HeaderFacts,
    LaneFacts,
    LaneHeader,
    StageFacts,
    StageHeader,
)
from pkanban.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from textual import events
    from textual.widgets import Input

T = TypeVar("T")
TYPED_AHEAD = frozenset(
    {"quick_add", "edit", "touch", "won", "lost", "block", "snooze", "filter", "triage"}
    | {"clearance", "checklist", "open", "undo", "pull", "fold_lane"}
)
"""The board's keys bound with priority: they act as soon as the key is read, so keys typed
right after them reach the dialog they open (`tui/screens/typing.py`)."""
Recount = Literal["now", "after paint", "later", "keep"]
POLL_SECONDS = 0.5
RECOUNT_DELAY = 0.3


class BoardScreen(OnTheBoard, Screen):
    """The everyday board. Keys are all bindings, so the footer, `?` and Ctrl+P list them.

    Nothing on it takes focus (except the filter while it is typed in), so every key reaches
    these bindings."""

    AUTO_FOCUS = ""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "cursor(-1, 0)", "Select left", show=False),
        Binding("right,l", "cursor(1, 0)", "Select right", show=False),
        Binding("up,k", "cursor(0, -1)", "Select up", show=False),
        Binding("down,j", "cursor(0, 1)", "Select down", show=False),
        Binding("pageup", "page(-1)", "Page up in the cell", show=False),
        Binding("pagedown", "page(1)", "Page down in the cell", show=False),
        Binding("home", "page(-1000000)", "First card in the cell", show=False),
        Binding("end", "page(1000000)", "Last card in the cell", show=False),
        Binding("shift+left,H", "move(-1, 0)", "Move card to the previous stage", show=False),
        Binding("shift+right,L", "move(1, 0)", "Move card to the next stage", show=False),
        Binding("shift+up,K", "move(0, -1)", "Move card to the lane above", show=False),
        Binding("shift+down,J", "move(0, 1)", "Move card to the lane below", show=False),
        Binding("a", "quick_add", "Add", priority=True),
        Binding("e", "edit", "Edit", priority=True),
        Binding("enter", "open", "Open", priority=True),
        Binding("t", "touch", "Touch", priority=True),
        Binding("w", "won", "Won", priority=True),
        Binding("x", "lost", "Lost", priority=True),
        Binding("b", "block", "Block/unblock", show=False, priority=True),
        Binding("s", "snooze", "Snooze", show=False, priority=True),
        Binding("z", "fold_lane", "Fold/unfold lane", show=False, priority=True),
        Binding("slash", "filter", "Filter", priority=True),
        Binding("f", "search", "Search everything", show=False, priority=True),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("u", "undo", "Undo", priority=True),
        Binding("n", "pull", "Pull next lead", priority=True),
        Binding("T", "triage", "Triage", priority=True),
        Binding("c", "clearance", "Clearance", priority=True),
        Binding("C", "checklist", "Best-customer checklist", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data = BoardData(self)
        self.view = GridView()
        self.empty = False
        self._layout_ids: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())
        self.triage_waiting = 0
        self.clearance_waiting = 0
        self._recount_timer: Timer | None = None
        self.past_best_by = 0
        self.card_actions = CardActions(self, closing=self._let_go)

    @property
    def context(self) -> BoardContext | None:
        return self.data.context

    @property
    def totals(self) -> dict[tuple[int, int], CellTotals]:
        return self.data.totals

    @property
    def cursor(self) -> Cursor | None:
        return self.view.cursor

    @cursor.setter
    def cursor(self, value: Cursor | None) -> None:
        self.view.cursor = value

    @property
    def folded(self) -> set[int]:
        return self.view.folded

    @folded.setter
    def folded(self, value: set[int]) -> None:
        self.view.folded = value

    @property
    def offsets(self) -> dict[tuple[int, int], int]:
        return self.view.offsets

    @property
    def grid(self) -> BoardGrid:
        return self.query_one(BoardGrid)

    @property
    def filter(self) -> BoardFilter:
        return self.data.filter

    @filter.setter
    def filter(self, value: BoardFilter) -> None:
        self.data.filter = value

    # ----------------------------------------------------------------- building

    def compose(self) -> ComposeResult:
        """The board's frame: one header per stage and lane, one cell per stage × lane. The
        cards, counts and best-by come with the first `reload`, when the screen is shown."""
        stages, lanes = self.session.stages(), self.session.lanes()
        self._layout_ids = (tuple(stage.id for stage in stages), tuple(lane.id for lane in lanes))
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
        release = getattr(self.app, "release_keys", None)
        if release is not None:
            self.call_after_refresh(release)

    def _poll(self) -> None:
        """Live refresh: another process (a CLI command, a second board) changed the file."""
        if self.data.changed_elsewhere():
            self.reload(counts="after paint", where=" elsewhere")

    # ------------------------------------------------------------------ loading

    def reload(self, counts: Recount = "now", where: str = "") -> None:
        """Read the board again and hand every widget its data (widgets are not rebuilt).

        `counts` says when to recount the header's past-best-by, triage and clearance figures,
        which read every open card (~50 ms on a board with 2,000 active cards): "now"; "after
        paint" (the board is drawn first, the figures a frame later); "later" (after a keystroke
        that changed the board, once the keys stop for a moment); or "keep" (a view change,
        such as the filter or a folded lane, cannot change them).
        """
        context = self.data.read_context()
        ids = (tuple(s.id for s in context.stages), tuple(lane.id for lane in context.lanes))
        if ids != self._layout_ids:
            self.run_worker(self._rebuild(), exclusive=True, group="rebuild")
            return
        self._read_totals(counts)
        self.empty = self.data.is_empty()
        self._place_cursor()
        left = self._find_selected_card(where)
        self.query_one("#empty").display = self.empty
        self.grid.display = not self.empty
        self._show_headers()
        self.grid.lay_out()
        self.grid.fill()
        if left:
            view = self.selected_view()
            now_on = "the cell is empty now" if view is None else f"now on {card_label(view.card)}"
            tell(self, f"{left} — {now_on}")

    def refresh_cells(self, cells: set[tuple[int, int]]) -> None:
        """After our own move: only the (lane_id, stage_id) `cells` changed — not the stages,
        lanes, settings or best-by — so the keystroke re-reads just those cells' totals and
        windows."""
        self.data.reread(cells)
        self._schedule_recount()
        self._place_cursor()
        self._show_headers()
        resized = self.grid.lay_out()
        self.grid.fill(resized, cells)

    def _read_totals(self, counts: Recount) -> None:
        self.data.read_totals()
        if counts == "now":
            self._recount()
        elif counts == "after paint":
            self.call_after_refresh(self._recount_and_show)
        elif counts == "later":
            self._schedule_recount()

    def _schedule_recount(self) -> None:
        if self._recount_timer is not None:
            self._recount_timer.stop()
        self._recount_timer = self.set_timer(RECOUNT_DELAY, self._recount_and_show)

    def _recount(self) -> None:
        self._take_counts(header_counts(self.session, self.today, self.context.best_by.days))

    def _recount_and_show(self) -> None:
        """Recount off the UI thread (~20 ms with 1,000 active cards): a key pressed meanwhile
        is handled at once, and the header shows the new figures when they are ready."""
        self._recount_timer = None
        self._count_in_background(self.context.best_by.days)

    @work(thread=True, exclusive=True, group="header-counts")
    def _count_in_background(self, best_by_days: int) -> None:
        try:
            session = self.session.reopen()
            try:
                counts = header_counts(session, self.today, best_by_days)
            finally:
                session.close()
        except SHOWN_ERRORS:
            return  # a busy board: the next reload counts again
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_counts, counts)

    def _show_counts(self, counts: HeaderCounts) -> None:
        if self.is_attached:
            self._take_counts(counts)
            self._show_headers()

    def _take_counts(self, counts: HeaderCounts) -> None:
        self.past_best_by, self.triage_waiting, self.clearance_waiting = counts

    async def _rebuild(self) -> None:
        """Stages or lanes were added, removed or reordered: compose the board again."""
        await self.recompose()
        self.reload()

    def _place_cursor(self) -> None:
        """Keep the cursor on a visible lane and an existing stage, inside its cell."""
        context = self.context
        lanes = self.visible_lanes()
        stage_ids = [stage.id for stage in context.stages]
        cursor = self.cursor
        if cursor is None:
            lane, stage = self.data.default_cell()
            cursor = self.cursor = Cursor(lane.id, stage.id)
        if lanes and cursor.lane_id not in [lane.id for lane in lanes]:
            cursor.lane_id, cursor.index = lanes[0].id, 0
        if cursor.stage_id not in stage_ids:
            cursor.stage_id, cursor.index = stage_ids[0], 0
        total = self._count(cursor.lane_id, cursor.stage_id)
        cursor.index = max(0, min(cursor.index, total - 1))

    def _find_selected_card(self, where: str) -> str:
        """Put the cursor back on its card, wherever the card now is in the view. When the card
        has left the view, the cursor stays at its index (its nearest neighbour in the same
        cell); returns why it left ("" when it did not), `where` saying who changed it."""
        cursor = self.cursor
        if cursor is None or cursor.card_id is None or self.empty:
            return ""
        card = self.data.card(cursor.card_id)
        cursor.card_id = None
        if card is None:
            return ""
        if not card.is_open:
            return f"{card_label(card)} was marked {card.disposition}{where}"
        lane = self.context.lane(card.lane_id)
        if not self.filter.shows_lane(lane) or lane.id in self.folded:
            return f"{card_label(card)} went to {lane.name}{where}, which is not shown"
        index = self.data.index_in_view(card)
        if index is None:
            return f"{card_label(card)} no longer matches the filter"
        cursor.lane_id, cursor.stage_id, cursor.index = card.lane_id, card.stage_id, index
        cursor.card_id = card.id
        return ""

    def _show_headers(self) -> None:
        context = self.context
        currency = context.settings.currency
        open_cards = sum(totals.count for totals in self.totals.values())
        shown_lanes = {lane.id for lane in self.visible_lanes()}  # `lane:new` hides the others
        header = self.query(BoardHeader).first(BoardHeader) if self.query(BoardHeader) else None
        if header is None:  # the board is being composed again, or closing: nothing to show
            return
        header.show(
            HeaderFacts(
                today=self.today,
                best_by_days=context.best_by.days,
                best_by_basis=context.best_by.basis,
                past_best_by=self.past_best_by,
                open_cards=open_cards,
                filter_text=self.filter.text if self.filter else "",
                filter_matches=sum(
                    totals.count
                    for (_, lane_id), totals in self.data.shown.items()
                    if lane_id in shown_lanes
                ),
                triage_waiting=self.triage_waiting,
                clearance_waiting=self.clearance_waiting,
            )
        )
        for stage in context.stages:
            cells = [self.totals.get((stage.id, lane.id), NO_TOTALS) for lane in context.lanes]
            weighted = [cell.weighted for cell in cells if cell.weighted is not None]
            self.query_one(f"#stage-{stage.id}", StageHeader).show(
                StageFacts(
                    name=stage.name,
                    count=sum(cell.count for cell in cells),
                    limit=stage.wip_limit,
                    value=sum(cell.value for cell in cells),
                    unvalued=sum(cell.unvalued for cell in cells),
                    weighted=sum(weighted) if weighted else None,
                    currency=currency,
                )
            )
        active = {stage.id for stage in context.stages if counts_toward(stage, "lane")}
        for lane in context.lanes:
            cells = {
                stage.id: self.totals.get((stage.id, lane.id), NO_TOTALS)
                for stage in context.stages
            }
            self.query_one(f"#lane-header-{lane.id}", LaneHeader).show(
                LaneFacts(
                    name=lane.name,
                    collapsed=lane.id in self.folded,
                    open_cards=sum(cell.count for cell in cells.values()),
                    wip=sum(cell.count for stage_id, cell in cells.items() if stage_id in active),
                    limit=lane.wip_limit,
                    value=sum(cell.value for cell in cells.values()),
                    currency=currency,
                    current=self.cursor is not None and self.cursor.lane_id == lane.id,
                    unvalued=sum(cell.unvalued for cell in cells.values()),
                )
            )

    # ------------------------------------------------------------------ queries

    def visible_lanes(self) -> list[Lane]:
        return self.data.visible_lanes()

    def _count(self, lane_id: int, stage_id: int) -> int:
        return self.data.count(lane_id, stage_id)

    def selected_view(self) -> CardView | None:
        """The card under the cursor, if the cursor is on a card in an unfolded lane."""
        return None if self.empty else self.grid.selected_view()

    def _cell_stage_lane(self) -> tuple[Stage, Lane]:
        return self.context.stage(self.cursor.stage_id), self.context.lane(self.cursor.lane_id)

    # --------------------------------------------------------------- navigation

    def action_cursor(self, dx: int, dy: int) -> None:
        before = self.grid.step(dx, dy)
        if before is not None:
            self._after_cursor_move(before)

    def action_page(self, pages: int) -> None:
        if self.grid.page(pages):
            self._after_cursor_move((self.cursor.lane_id, self.cursor.stage_id))

    def _after_cursor_move(self, previous: tuple[int, int]) -> None:
        """Redraw the cell the cursor left and the one it entered (nothing else changed)."""
        cursor = self.cursor
        self._show_headers()
        self.grid.fill(set(), {previous, (cursor.lane_id, cursor.stage_id)})
        self.query_one(f"#lane-{cursor.lane_id}").scroll_visible(animate=False)

    @on(Cell.Clicked)
    def select_clicked(self, event: Cell.Clicked) -> None:
        before = (self.cursor.lane_id, self.cursor.stage_id)
        self.cursor = Cursor(event.cell.lane_id, event.cell.stage_id, event.index or 0)
        if event.index is None:
            self.cursor.index = self.grid.row_in_cell(event.cell.lane_id, event.cell.stage_id, 0)
        self._after_cursor_move(before)
        if event.chain >= 2 and event.index is not None:
            self.action_open()

    @on(LaneHeader.Clicked)
    def fold_clicked(self, event: LaneHeader.Clicked) -> None:
        self.cursor.lane_id = event.lane_id
        self.action_fold_lane()

    def action_fold_lane(self) -> None:
        lane_id = self.cursor.lane_id
        self.folded ^= {lane_id}
        self.reload(counts="keep")

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
        from textual.widgets import Input

        return not (action in TYPED_AHEAD and isinstance(self.focused, Input))

    # ------------------------------------------------------------------ filter

    def action_filter(self) -> None:
        from pkanban.tui.widgets.filter_bar import FilterBar

        found = self.query(FilterBar)
        field = found.first() if found else FilterBar()
        hold = getattr(self.app, "hold_keys", None)
        if hold is not None:  # letters typed right after `/` wait for the bar to take focus
            hold()
            self.call_after_refresh(lambda: self.call_after_refresh(self.app.release_keys))
        if not found:
            self.mount(field, before=self.query_one(KeyFooter))
        field.display = True
        field.focus()

    def on_input_changed(self, event: "Input.Changed") -> None:
        """The filter bar changed (the board's only `Input`)."""
        self.filter = BoardFilter.parse(event.value)
        self.offsets.clear()
        self._cursor_to_first_match()
        self.reload(counts="keep")

    def _cursor_to_first_match(self) -> None:
        """Keep the cursor's cell if it still holds matches, else go to the first cell that does."""
        cursor = self.cursor
        if cursor is None or self._selected_card_matches():
            return
        cursor.index, cursor.card_id = 0, None
        shown = self.data.totals_under_filter()
        cells = [
            (lane.id, stage.id)
            for lane in self.visible_lanes()
            if lane.id not in self.folded
            for stage in self.context.stages
        ]
        if (cursor.lane_id, cursor.stage_id) in cells and shown.get(
            (cursor.stage_id, cursor.lane_id)
        ):
            return
        for lane_id, stage_id in cells:
            if shown.get((stage_id, lane_id)):
                cursor.lane_id, cursor.stage_id = lane_id, stage_id
                return

    def _selected_card_matches(self) -> bool:
        """Whether the selected card is still shown under the new filter."""
        cursor = self.cursor
        if cursor.card_id is None:
            return False
        card = self.data.card(cursor.card_id)
        if (
            card is None
            or not card.is_open
            or not self.filter.shows_lane(self.context.lane(card.lane_id))
        ):
            return False
        at = self.data.window(card.stage_id, card.lane_id, 1, self.data.cell_index(card))
        return bool(at) and at[0].id == card.id

    def on_input_submitted(self, event: "Input.Submitted") -> None:
        """Enter in the filter bar keeps the filter (and the bar, unless it is empty)."""
        event.input.display = bool(event.value.strip())
        self.set_focus(None)

    def action_clear_filter(self) -> None:
        """Esc: drop the filter, and hide the bar (a rebuilt board may have none yet)."""
        bars = self.query("#filter")
        if not self.filter and not (bars and bars.first().display):
            return
        for field in bars:
            field.value = ""
            field.display = False
        self.set_focus(None)
        self.filter = BoardFilter()
        self.reload(counts="keep")

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
            if self.cursor is not None and self.cursor.lane_id in self.folded:
                tell(self, "This lane is folded — press z to unfold it", "warning")
            else:
                tell(self, "No card selected — move to a card first (arrows or h/j/k/l)")
        return view

    def select_card(self, card: Card, moved_from: tuple[int, int] | None = None) -> None:
        """Put the cursor on `card` (after it was added, or moved from the (lane_id, stage_id)
        cell `moved_from`) and show the change."""
        unfolded = card.lane_id in self.folded
        self.folded.discard(card.lane_id)
        index = self.data.cell_index(card)
        self.cursor = Cursor(card.lane_id, card.stage_id, index, card.id)
        if moved_from is None or unfolded:
            self.reload(counts="later")
        else:
            self.refresh_cells({moved_from, (card.lane_id, card.stage_id)})

    def action_move(self, dx: int, dy: int) -> None:
        view = self._card_or_tell()
        if view is None:
            return
        stages = self.context.stages
        lanes = self.visible_lanes()
        stage_at = stages.index(view.stage) + dx
        lane_at = lanes.index(view.lane) + dy if view.lane in lanes else -1
        if not (0 <= stage_at < len(stages) and 0 <= lane_at < len(lanes)):
            tell(self, "There is no stage or lane further that way", "warning")
            return
        stage = stages[stage_at].name if dx else None
        lane = lanes[lane_at].name if dy else None
        moved = self._attempt(
            lambda: self.session.run(
                actions.move_card, self.today, view.card.id, stage=stage, lane=lane
            )
        )
        if moved is not None:
            where = stages[stage_at].name if dx else lanes[lane_at].name
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
        cursor = self.cursor
        if cursor is not None and cursor.lane_id in self.folded:
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
        if view is None:
            return

        def touched(card: Card | None) -> None:
            if card is not None:
                step = f" · next: {card.next_step}" if card.next_step else ""
                due = f" due {card.next_due.isoformat()}" if card.next_due else ""
                tell(self, f"Touched {card_label(card)}{step}{due} — u undoes")

        self.card_actions.touch(view.card, touched)

    def action_won(self) -> None:
        """Ask for the final value (the card's, prefilled: Enter accepts) and close it as won."""
        view = self._card_or_tell()
        if view is not None:
            currency = self.context.settings.currency
            self.card_actions.won(view.card, self._told(lambda won: won_said(won, currency)))

    def action_lost(self) -> None:
        view = self._card_or_tell()
        if view is not None:
            target = self.context.settings.touch_target
            said = self._told(lambda lost: f"Lost {card_label(lost)} — archived; u undoes")
            self.card_actions.lost(view.card, target, said)

    def _told(self, said: Callable[[T], str]) -> Callable[[T | None], None]:
        def told(result: T | None) -> None:
            if result is not None:
                tell(self, said(result))

        return told

    def _let_go(self, card_id: int) -> None:
        """Our own action took the selected card off the board: select its neighbour quietly."""
        if self.cursor is not None and self.cursor.card_id == card_id:
            self.cursor.card_id = None

    def action_block(self) -> None:
        view = self._card_or_tell()
        if view is None:
            return
        card_id = view.card.id
        if view.card.blocked_reason:
            if self._attempt(
                lambda: self.session.run(actions.set_blocked, self.today, card_id, "")
            ):
                tell(self, f"Unblocked {card_label(view.card)} — u undoes")
                self.reload(counts="later")
            return
        self._ask(
            f"Block: {view.card.title}",
            "What is it waiting for?",
            lambda reason: self.session.run(
                actions.set_blocked, self.today, card_id, reason or "blocked"
            ),
            lambda card: f"Blocked {card_label(card)} — b again unblocks",
            placeholder="e.g. Legal review of the MSA",
        )

    def action_snooze(self) -> None:
        view = self._card_or_tell()
        if view is not None:
            said = self._told(
                lambda card: f"Snoozed {card_label(card)} until {card.snoozed_until} — u undoes"
            )
            self.card_actions.snooze(view.card, said)

    def action_checklist(self) -> None:
        """Name the best-customer criteria every card is answered against (a setting)."""
        from pkanban.services import config as settings_actions

        current = ", ".join(self.session.settings().checklist)
        self._ask(
            "Best-customer checklist",
            "The yes/no criteria that make a best customer, separated by commas",
            lambda text: self.session.run(
                settings_actions.set_setting, self.today, "checklist", text
            ),
            lambda _: "Checklist saved — answer it per card with 1–9 in the card detail",
            value=current,
            placeholder="e.g. Budget confirmed, Decision maker known, Fits ideal customer",
        )

    def _ask(
        self,
        title: str,
        question: str,
        act: Callable[[str], T],
        done: Callable[[T], str],
        **field: str,
    ) -> None:
        """Ask for one line of text; `act` applies it (its refusal shows in the dialog), and
        `done(result)` is said once it has."""
        from pkanban.tui.screens.prompt import PromptScreen

        self.app.push_screen(PromptScreen(title, question, act, **field), self._told(done))

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
        summary = self._attempt(lambda: self.session.run(undo_last, self.today))
        if summary is None:
            return
        tell(self, f"Undid: {summary}")
        changed = self.session.cards_of_last_action()
        if len(changed) == 1 and self.cursor is not None:
            card = self.session.card(changed[0])
            lane = self.context.lane(card.lane_id)
            if card.is_open and self.filter.shows_lane(lane) and lane.id not in self.folded:
                self.cursor = Cursor(card.lane_id, card.stage_id, self.cursor.index, card.id)
        self.reload(counts="later")
