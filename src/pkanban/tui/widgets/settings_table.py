"""One table of the settings screen: a `DataTable` whose Enter edits, and that keeps its
cursor row on screen inside the page that scrolls (a table is as tall as its rows)."""

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable

from pkanban.tui.text import plain


def cell(text: str, style: str = "") -> Text:
    """A table cell from user or stored text: `Text`, never markup."""
    return Text(plain(text), style=style)


class SettingsTable(DataTable):
    """Rows of one section; Enter posts `CellSelected`, which the screen turns into an edit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Edit"),
    ]

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        self.call_after_refresh(self._show_cursor_row)

    def on_focus(self) -> None:
        self.call_after_refresh(self._show_cursor_row)

    def _show_cursor_row(self) -> None:
        """Scroll the page so the cursor's row (and the header on the first row) is seen."""
        page = self.parent
        if not isinstance(page, Widget) or not self.is_mounted or not self.row_count:
            return
        top = self.virtual_region.y + (0 if self.cursor_row == 0 else 1 + self.cursor_row)
        page.scroll_to_region(Region(0, max(0, top - 1), 1, 3), animate=False, immediate=True)
