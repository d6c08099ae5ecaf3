"""The footer of keys every pkanban screen shows: the screen's keys on one line, cut to the
width, never without `?` Help and `q` Quit.

It looks like Textual's `Footer` (its colours, spacing and the command palette key at the
right) but is one widget that reads the screen's bindings each time it paints. Textual's footer
is a widget per key, rebuilt whenever the bindings change: opening the board built ~15 of them
(~20% of its start-up CPU), every dialog opened or closed rebuilt them, each rebuild left
~10,000 objects behind (their reactive bindings), and a rebuild asked for by a dialog that
closed before its first refresh never ran (the footer then stayed uncut).

A narrow terminal cuts the footer at its right edge, where Textual puts the app's keys — so at
80 columns `?` Help and `q` Quit were gone. The footer drops the keys that do not fit, last
listed first, and always keeps the keys of `KEPT_ACTIONS` and the way back (Esc).

Under a dialog, the screen's footer is hidden: its keys do not work there, and the dialog says
its own.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.screen import Screen

KEPT_ACTIONS = frozenset({"help", "quit", "app.help", "app.quit", "leave_wizard"})
SEPARATOR = "▏"
"""Between the keys and the command palette key docked at the right."""


@dataclass(frozen=True, slots=True)
class FooterKey:
    """A key as the footer shows it."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool

    def kept(self) -> bool:
        return self.action in KEPT_ACTIONS or self.key == "escape"

    def parts(self) -> tuple[str, str]:
        """The key and its description, as Textual's footer pads them."""
        return f" {self.display} ", f"{self.description} "

    def palette_parts(self) -> tuple[str, str, str]:
        """The command palette key, docked at the right behind a separator."""
        return SEPARATOR, self.display, f" {self.description} "

    def width(self) -> int:
        return sum(map(cell_len, self.parts()))


class KeyFooter(Widget, can_focus=False):
    """The keys of the screen, as Textual's footer draws them, cut to the width."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer-key--key",
        "footer-key--description",
        "footer-key--hover",
        "footer-key--separator",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .footer-key--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        & > .footer-key--separator {
            color: $foreground 20%;
        }
    }
    """

    _hovered: str | None = None
    """The key under the mouse pointer."""
    _spans: tuple[tuple[int, int, FooterKey], ...] = ()
    """Where each key was drawn: (first column, column after it, key)."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)
        self.app.screen_change_signal.unsubscribe(self)

    def _bindings_changed(self, screen: "Screen[object]") -> None:
        self.refresh()

    def _screen_changed(self, top: "Screen[object]") -> None:
        """Under a dialog the footer is hidden: its keys do not work there. (Only the footer
        changes: a class on the screen would restyle the whole board at each dialog.)"""
        from textual.screen import ModalScreen

        shown = top is self.screen or not isinstance(top, ModalScreen)
        if self.visible != shown:
            self.visible = shown

    def keys(self) -> tuple[list[FooterKey], FooterKey | None]:
        """The screen's shown keys (the first binding of each action, in Textual's order) and
        the command palette key."""
        active = self.screen.active_bindings

        def shown_as(binding: "Binding", enabled: bool) -> FooterKey:
            display = self.app.get_key_display(binding)
            return FooterKey(binding.key, display, binding.description, binding.action, enabled)

        by_action: dict[str, FooterKey] = {}
        for _, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in by_action:
                by_action[binding.action] = shown_as(binding, enabled)
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, _tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            palette = shown_as(binding, enabled)
        return list(by_action.values()), palette

    def render(self) -> Text:
        keys, palette = self.keys()
        palette_width = sum(map(cell_len, palette.palette_parts())) if palette else 0
        line = Text(no_wrap=True, overflow="crop", end="")
        spans = []
        for key in _cut(keys, self.size.width - palette_width):
            start = line.cell_len
            key_part, description_part = key.parts()
            line.append(key_part, self._style("footer-key--key", key))
            line.append(description_part, self._style("footer-key--description", key))
            spans.append((start, line.cell_len, key))
        if palette is not None:
            separator, key_part, description_part = palette.palette_parts()
            line.pad_right(max(0, self.size.width - line.cell_len - palette_width))
            line.append(separator, self.get_component_rich_style("footer-key--separator"))
            start = line.cell_len
            line.append(key_part, self._style("footer-key--key", palette))
            line.append(description_part, self._style("footer-key--description", palette))
            spans.append((start, line.cell_len, palette))
        self._spans = tuple(spans)
        return line

    def _style(self, part: str, key: FooterKey) -> Style:
        style = self.get_component_rich_style(part)
        if key.key == self._hovered:
            style += self.get_component_rich_style("footer-key--hover")
        return style + Style(dim=True) if not key.enabled else style

    def _key_at(self, x: int) -> FooterKey | None:
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        hovered = key.key if key is not None else None
        if hovered != self._hovered:
            self._hovered = hovered
            self.refresh()

    def on_leave(self) -> None:
        if self._hovered is not None:
            self._hovered = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it, as in Textual's footer (a disabled one rings)."""
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()


def _cut(keys: list[FooterKey], room: int) -> list[FooterKey]:
    """The keys that fit in `room` columns: the last listed go first, the kept ones never."""
    shown = list(keys)
    needed = sum(key.width() for key in shown)
    for key in reversed(keys):
        if needed <= room:
            break
        if not key.kept():
            shown.remove(key)
            needed -= key.width()
    return shown
