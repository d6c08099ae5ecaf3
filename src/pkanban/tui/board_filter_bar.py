"""The board's end of the filter bar: `/` opens it, typing filters as you go, Enter keeps the
filter, Esc drops it. The screen only wires its keys and the bar's messages here.

The bar (`tui/widgets/filter_bar.py`) is mounted the first time `/` is pressed, and Textual's
`Input` imported then, not with the board (README, Performance).
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from pkanban.tui.board_selection import BoardSelection
from pkanban.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.widgets import Input


class BoardFilterBar:
    """The filter bar of `screen`: the filter goes to `selection`, and `shown()` redraws the
    board once it changed."""

    def __init__(
        self, screen: "Screen[object]", selection: BoardSelection, shown: Callable[[], None]
    ) -> None:
        self.screen = screen
        self.selection = selection
        self.shown = shown

    def is_typed_in(self) -> bool:
        """The filter has the focus: letters are text, and the board's keys step aside."""
        from textual.widgets import Input

        return isinstance(self.screen.focused, Input)

    def open(self) -> None:
        """Show the bar (mounting it the first time) and give it the keys."""
        from pkanban.tui.screens.working import board_app
        from pkanban.tui.widgets.filter_bar import FilterBar

        screen = self.screen
        found = screen.query(FilterBar)
        field = found.first() if found else FilterBar()
        # Letters typed right after `/` wait for the bar to take focus.
        app = board_app(screen)
        app.hold_keys()
        screen.call_after_refresh(lambda: screen.call_after_refresh(app.release_keys))
        if not found:
            screen.mount(field, before=screen.query_one(KeyFooter))
        field.display = True
        field.focus()

    def changed(self, text: str) -> None:
        """The bar's text changed (the board's only `Input`)."""
        self.selection.filter_by(text)
        self.shown()

    def submitted(self, field: "Input") -> None:
        """Enter keeps the filter (and the bar, unless it is empty)."""
        field.display = bool(field.value.strip())
        self.screen.set_focus(None)

    def clear(self) -> None:
        """Drop the filter and hide the bar (a rebuilt board may have none yet)."""
        from pkanban.tui.widgets.filter_bar import FilterBar

        bars = list(self.screen.query(FilterBar))
        if not self.selection.data.filter and not (bars and bars[0].display):
            return
        for field in bars:
            field.value = ""
            field.display = False
        self.screen.set_focus(None)
        self.selection.clear_filter()
        self.shown()
