"""`?`: every key of the screen below, from its bindings, plus the quick-add and filter syntax."""

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

SYNTAX = Content.assemble(
    ("\nQuick add (a)", "bold underline"),
    "\n  Acme Corp 12k next tue call Ana  →  title Acme Corp, value 12,000, due next Tuesday,"
    " next step “call Ana”",
    "\n  values 12k · $12,000 · 1.5m     dates today · tomorrow · fri · next tue · +3d ·"
    " in 2 weeks · due dec 1 · 2026-12-01",
    '\n  "Next Gen Labs" 12k due fri  — quotes keep words like next or due in the title',
    ("\n\nFilter (/)", "bold underline"),
    "\n  acme  words in title, contact, email, next step or source   #vip  a tag"
    "   lane:new  lanes starting with “new”",
    ("\n\nBadges", "bold underline"),
    "\n  12d fresh · 12d/21d ripening (half the shelf life) · ⚠ 25d/21d stale (past shelf life)"
    " · ✖ 130d/75d expired (past best-by)",
    "\n  3/7 touches against the target · overdue 3d · due today · ⊘ blocked",
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.below = screen

    def _keys(self, screen: Screen) -> Content:
        """One line per action: its keys and description (multi-key bindings merged)."""
        rows: dict[str, tuple[list[str], str]] = {}
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.system:
                continue
            keys, _ = rows.setdefault(binding.action, ([], binding.description))
            keys.append(self._key_name(key, binding))
        width = max((len(" ".join(keys)) for keys, _ in rows.values()), default=0)
        lines = [Content.styled("Keys", "bold underline")]
        for keys, description in rows.values():
            lines.append(
                Content.assemble(("  " + " ".join(keys).ljust(width), "bold"), "  ", description)
            )
        lines.append(
            Content("  ctrl+p".ljust(width + 2) + "  Command palette: every action by name")
        )
        return Content("\n").join(lines)

    def _key_name(self, key: str, binding: Binding) -> str:
        return self.app.get_key_display(Binding(key, binding.action, binding.description))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Static("pkanban — help", classes="dialog-title", markup=False)
            with VerticalScroll():
                yield Static(self._keys(self.below))
                yield Static(SYNTAX)
            yield Static("Esc closes", classes="hint", markup=False)
