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


def syntax(today: date) -> Content:
    """The key rule, the quick-add, filter and badge syntax; the ISO date example follows today."""
    return Content("\n").join(
        [
            Content.styled("One key, one meaning", "bold underline"),
            Content("  x lost · w won · n pull — wherever they appear"),
            Content("  arrows, h j k l select · H J K L move the card"),
            Content("  Esc back · q leaves · y says yes in a dialog"),
            Content("  a key with its own job here is in the footer"),
            Content(""),
            Content.styled("Quick add (a)", "bold underline"),
            Content("  Acme Corp 12k next tue call Ana"),
            Content("    → title Acme Corp, value 12,000, due next Tuesday, next step “call Ana”"),
            Content("  values  12k · $12,000 · 1.5m"),
            Content("  dates   today · tomorrow · fri · friday · next tue · dec 1 · +3d"),
            Content(f"          · in 2 weeks · {example_day(today)} (in every date field too)"),
            Content("  a date without next/due/in counts right after the value or at the end"),
            Content('  "Next Gen Labs" 12k due fri — quotes keep next or due in the title'),
            Content(""),
            Content.styled("Filter (/)", "bold underline"),
            Content("  acme       words in title, contact, email, next step or source"),
            Content("  #vip       cards with that tag"),
            Content("  lane:new   lanes whose name starts with “new”"),
            Content("  Esc        clears the filter"),
            Content(""),
            Content.styled("Badges", "bold underline"),
            Content("  12d        fresh"),
            Content("  12d/21d    ripening: half the stage's shelf life is gone"),
            Content("  ⚠ 25d/21d  stale: past the stage's shelf life"),
            Content("  ✖ 130d/75d expired: older than best-by"),
            Content("  3/7        touches against the target"),
            Content("  overdue 3d · due today · due Fri   the next step's date"),
            Content("  ⊘          blocked"),
        ]
    )


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
                yield Static(syntax(self.today))
            yield Static("↑↓ PgUp PgDn scroll · Esc closes", classes="hint", markup=False)
