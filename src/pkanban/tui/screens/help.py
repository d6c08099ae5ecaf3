"""`?`: every key of the screen below, from its bindings, plus the quick-add and filter syntax."""

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

SYNTAX = Content("\n").join(
    [
        Content.styled("Quick add (a)", "bold underline"),
        Content("  Acme Corp 12k next tue call Ana"),
        Content("    → title Acme Corp, value 12,000, due next Tuesday, next step “call Ana”"),
        Content("  values  12k · $12,000 · 1.5m"),
        Content("  dates   today · tomorrow · fri · next tue · +3d · in 2 weeks · due dec 1"),
        Content("          · 2026-12-01"),
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


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.below = screen

    def _keys(self, screen: Screen) -> Content:
        """One line per action: its keys and description (multi-key bindings merged); the
        screen's own keys first, then the app's and Textual's."""
        rows: dict[str, tuple[list[str], str]] = {}
        own = {(b.key, b.action) for b in Binding.make_bindings(type(screen).BINDINGS)}
        active = sorted(
            screen.active_bindings.items(),
            key=lambda item: (item[1].binding.key, item[1].binding.action) not in own,
        )
        for key, binding in ((key, found.binding) for key, found in active):
            if not binding.description or binding.system:
                continue
            keys, _ = rows.setdefault(binding.action, ([], binding.description))
            keys.append(self._key_name(key, binding))
        rows["command_palette"] = (["ctrl+p"], "Command palette: every action by name")
        width = max(len(" ".join(keys)) for keys, _ in rows.values())
        lines = [Content.styled("Keys", "bold underline")]
        for keys, description in rows.values():
            lines.append(
                Content.assemble(("  " + " ".join(keys).ljust(width), "bold"), "  ", description)
            )
        return Content("\n").join(lines)

    def _key_name(self, key: str, binding: Binding) -> str:
        return self.app.get_key_display(Binding(key, binding.action, binding.description))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wider tall"):
            yield Static("pkanban — help", classes="dialog-title", markup=False)
            with Horizontal(classes="columns"):
                with VerticalScroll():
                    yield Static(self._keys(self.below))
                with VerticalScroll():
                    yield Static(SYNTAX)
            yield Static("Esc closes", classes="hint", markup=False)
