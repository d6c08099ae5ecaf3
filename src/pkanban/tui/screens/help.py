"""`?`: every key of the screen below, from its bindings, plus the quick-add and filter syntax."""

from datetime import date
from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from pkanban.domain.dates import example_day
from pkanban.tui.screens.working import OnTheBoard
from pkanban.tui.widgets.hanging import HangingLine, HangingText


def syntax(today: date) -> list[HangingLine]:
    """The key rule, the quick-add, filter and badge syntax; the ISO date example follows today.
    Each line wraps under its own text (a narrow terminal never sends it to the margin)."""

    def heading(text: str) -> Content:
        return Content.styled(text, "bold underline")

    def entry(name: str, width: int, body: str) -> HangingLine:
        return (f"  {name}".ljust(width), body)

    return [
        heading("One key, one meaning"),
        Content("  x lost · w won · n pull — wherever they appear"),
        Content("  arrows, h j k l select · H J K L move the card"),
        Content("  Esc back · q leaves · y says yes in a dialog"),
        Content("  a key with its own job here is in the footer"),
        Content(""),
        heading("Quick add (a)"),
        Content("  Acme Corp 12k next tue call Ana"),
        ("    → ", "title Acme Corp, value 12,000, due next Tuesday, next step “call Ana”"),
        entry("values", 10, "12k · $12,000 · 1.5m"),
        entry(
            "dates",
            10,
            "today · tomorrow · fri · friday · next tue · dec 1 · +3d"
            f" · in 2 weeks · {example_day(today)} (in every date field too)",
        ),
        Content("  a date without next/due/in counts right after the value or at the end"),
        Content('  "Next Gen Labs" 12k due fri — quotes keep next or due in the title'),
        Content(""),
        heading("Filter (/)"),
        entry("acme", 13, "words in title, contact, email, next step or source"),
        entry("#vip", 13, "cards with that tag"),
        entry("lane:new", 13, "lanes whose name starts with “new”"),
        entry("Esc", 13, "clears the filter"),
        Content(""),
        heading("Badges"),
        entry("12d", 13, "fresh"),
        entry("12d/21d", 13, "ripening: half the stage's shelf life is gone"),
        entry("⚠ 25d/21d", 13, "stale: past the stage's shelf life"),
        entry("✖ 130d/75d", 13, "expired: older than best-by"),
        entry("3/7", 13, "touches against the target"),
        entry("due Fri", 13, "the next step's date (also due today, overdue 3d)"),
        entry("⊘", 13, "blocked"),
    ]


class HelpScreen(OnTheBoard, ModalScreen[None]):
    """A two-column table of keys (the screen's main keys first, then the app's; never
    Textual's internal ones such as Tab or Ctrl+C), then the syntax. One scrolling area with
    a visible scrollbar, so a 60×15 terminal shows the keys first and scrolls to the rest."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.below = screen

    def _keys(self, screen: Screen) -> Table:
        """One row per action: its keys and description (multi-key bindings merged)."""
        rows: dict[str, tuple[list[str], str]] = {}
        own = {(b.key, b.action) for b in Binding.make_bindings(type(screen).BINDINGS)}
        app = {(b.key, b.action) for b in Binding.make_bindings(type(self.app).BINDINGS)}
        active = sorted(
            (
                (key, found.binding)
                for key, found in screen.active_bindings.items()
                if (found.binding.key, found.binding.action) in own | app
            ),
            key=lambda item: self._tier(item[1], own),
        )
        for key, binding in active:
            if not binding.description or binding.system:
                continue
            keys, _ = rows.setdefault(binding.action, ([], binding.description))
            keys.append(self._key_name(key, binding))
        rows["command_palette"] = (["ctrl+p"], "Command palette: every action by name")
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold")
        for keys, description in rows.values():
            table.add_row(" ".join(keys), description)
        return table

    @staticmethod
    def _tier(binding: Binding, own: set[tuple[str, str]]) -> int:
        """The screen's footer keys first, then the app's (help, quit, metrics, export,
        import), then the rest of the screen's (moving the selection and the card …)."""
        if (binding.key, binding.action) not in own:
            return 1
        return 0 if binding.show else 2

    def _key_name(self, key: str, binding: Binding) -> str:
        return self.app.get_key_display(Binding(key, binding.action, binding.description))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall", id="help"):
            yield Static("pkanban — help", classes="dialog-title", markup=False)
            with VerticalScroll(id="help-body"):
                yield Static(Content.styled("Keys", "bold underline"))
                yield Static(self._keys(self.below), id="help-keys")
                yield Static("")
                yield HangingText(syntax(self.today), id="help-syntax")
            yield Static("↑↓ PgUp PgDn scroll · Esc closes", classes="hint", markup=False)
