"""The board's filter bar: one line of words, `#tag` and `lane:name` (see `tui/filter.py`).

Mounted the first time `/` is pressed rather than with the board: nobody filters before the
board is on screen, and Textual's `Input` is not needed to draw it (README, Performance).
"""

from textual.widgets import Input


class FilterBar(Input):
    """Typing filters the board as you go; Enter keeps the filter, Esc clears it."""

    def __init__(self) -> None:
        super().__init__(
            id="filter",
            placeholder="Filter: words, #tag, lane:name — Enter keeps it, Esc clears",
        )
