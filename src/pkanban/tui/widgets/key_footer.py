"""The footer of keys every pkanban screen shows: Textual's `Footer`, minus a leak, and never
without `?` Help and `q` Quit.

Textual's footer rebuilds its keys whenever the bindings change (each dialog opened or closed,
each focus change) and binds every new key to its `compact` reactive. Textual forgets the
bindings of removed keys only when `compact` changes, which it never does here, so every
dialog left ~15 dead keys and ~10,000 objects behind: memory grew all day and the garbage
collector slowed every keystroke (README, Performance). The footer drops them after each
rebuild.

A narrow terminal cuts the footer at its right edge, where Textual puts the app's keys — so at
80 columns `?` Help and `q` Quit were gone. The footer now drops the keys that do not fit, last
listed first, and always keeps the keys of `KEPT_ACTIONS` and the way back (Esc).
"""

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

KEPT_ACTIONS = frozenset({"help", "quit", "app.help", "app.quit"})
GAP = 2
"""Columns between two keys (Textual's footer grid)."""
PALETTE_WIDTH = 13
"""The command palette key (`▏^p palette`) docked at the right."""


class KeyFooter(Footer):
    """The keys of the screen, as Textual's footer draws them, cut to the width."""

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        keys = [
            w for w in widgets if isinstance(w, FooterKey) and "-command-palette" not in w.classes
        ]
        width = self.app.size.width - (PALETTE_WIDTH if len(keys) < len(widgets) else 0)

        def needed(shown: list[FooterKey]) -> int:
            return sum(len(k.key_display) + 1 + len(k.description) + GAP for k in shown)

        shown = list(keys)
        for key in reversed(keys):
            if needed(shown) <= width:
                break
            if key.action not in KEPT_ACTIONS and key.key != "escape":
                shown.remove(key)
        kept = set(map(id, shown))
        self.styles.grid_size_columns = len(shown)
        yield from (w for w in widgets if id(w) in kept or w not in keys)

    def on_resize(self) -> None:
        self.call_after_refresh(self.recompose)

    async def recompose(self) -> None:
        await super().recompose()
        for bindings in getattr(self, "__watchers", {}).values():  # Textual's reactive watchers
            bindings[:] = [(node, callback) for node, callback in bindings if node.is_attached]
