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

Under a dialog, the screen's footer is hidden: its keys do not work there, and the dialog says
its own.
"""

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.screen import Screen

KEPT_ACTIONS = frozenset({"help", "quit", "app.help", "app.quit", "leave_wizard"})
GAP = 2
"""Columns between two keys (Textual's footer grid)."""
PALETTE_WIDTH = 13
"""The command palette key (`▏^p palette`) docked at the right."""


class KeyFooter(Footer):
    """The keys of the screen, as Textual's footer draws them, cut to the width."""

    _recompose_pending = False
    _composed_keys: tuple[object, ...] | None = None
    """The width and bindings the keys were last built from."""

    def _keys_now(self) -> tuple[object, ...]:
        keys = [
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        ]
        return (self.app.size.width, self._bindings_ready, *keys)

    def compose(self) -> ComposeResult:
        self._composed_keys = self._keys_now() if self.is_attached else None
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

    def on_mount(self) -> None:  # Textual calls `Footer.on_mount` too (each class's handler)
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def on_unmount(self) -> None:
        self.app.screen_change_signal.unsubscribe(self)

    def _screen_changed(self, top: "Screen[object]") -> None:
        """Under a dialog the footer is hidden: its keys do not work there. (Only the footer
        changes: a class on the screen would restyle the whole board at each dialog.)"""
        from textual.screen import ModalScreen

        shown = top is self.screen or not isinstance(top, ModalScreen)
        if self.visible != shown:
            self.visible = shown
        if top is self.screen and self._recompose_pending:
            # Textual runs an after-refresh callback on the top screen, so a dialog closed before
            # its first refresh took ours with it: the footer kept its keys uncut at every
            # width from then on (`?` then Esc in one burst). Ask again, now on our screen.
            self._recompose_pending = False
            self._recompose_soon()

    def bindings_changed(self, screen: "Screen[object]") -> None:
        """Textual's footer recomposes once per change; a screen opening changes its bindings
        and focus several times in one frame, so this one recomposes once after them all."""
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._recompose_soon()

    def on_resize(self) -> None:
        self._recompose_soon()

    def _recompose_soon(self) -> None:
        if not self._recompose_pending:
            self._recompose_pending = True
            self.call_after_refresh(self._recompose_now)

    async def _recompose_now(self) -> None:
        """Only when the keys or the width changed: each dialog opened or closed re-checks the
        board's bindings, and rebuilding ~15 keys that had not changed took ~7% of the suite's
        CPU (and a keystroke's)."""
        self._recompose_pending = False
        if self.is_attached and self._keys_now() != self._composed_keys:
            await self.recompose()

    async def recompose(self) -> None:
        await super().recompose()
        for bindings in getattr(self, "__watchers", {}).values():  # Textual's reactive watchers
            bindings[:] = [(node, callback) for node, callback in bindings if node.is_attached]
