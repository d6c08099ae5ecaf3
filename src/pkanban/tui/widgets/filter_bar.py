"""The board's filter bar: one line of words, `#tag` and `lane:name` (see `tui/filter.py`).

Mounted the first time `/` is pressed rather than with the board: nobody filters before the
board is on screen, and Textual's `Input` is not needed to draw it (README, Performance).
"""

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input


class FilterBar(Input):
    """Typing filters the board as you go; Enter keeps the filter, Esc clears it. One row
    (compact), and the footer names its two keys while it is typed in."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Keep filter"),
        Binding("escape", "screen.clear_filter", "Clear filter"),
    ]

    def __init__(self) -> None:
        super().__init__(
            id="filter",
            placeholder="Filter: words, #tag, lane:name — Enter keeps it, Esc clears",
            compact=True,
        )
