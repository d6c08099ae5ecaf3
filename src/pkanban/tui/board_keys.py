"""The board's keys: every one a binding, so the footer, `?` and Ctrl+P list them."""

from textual.binding import Binding, BindingType

BOARD_KEYS: list[BindingType] = [
    Binding("left,h", "cursor(-1, 0)", "Select left", show=False, priority=True),
    Binding("right,l", "cursor(1, 0)", "Select right", show=False, priority=True),
    Binding("up,k", "cursor(0, -1)", "Select up", show=False, priority=True),
    Binding("down,j", "cursor(0, 1)", "Select down", show=False, priority=True),
    Binding("pageup", "page(-1)", "Page up in the cell", show=False, priority=True),
    Binding("pagedown", "page(1)", "Page down in the cell", show=False, priority=True),
    Binding("home", "page(-1000000)", "First card in the cell", show=False, priority=True),
    Binding("end", "page(1000000)", "Last card in the cell", show=False, priority=True),
    Binding(
        "shift+left,H",
        "move(-1, 0)",
        "Move card to the previous stage",
        show=False,
        priority=True,
    ),
    Binding(
        "shift+right,L", "move(1, 0)", "Move card to the next stage", show=False, priority=True
    ),
    Binding("shift+up,K", "move(0, -1)", "Move card to the lane above", show=False, priority=True),
    Binding("shift+down,J", "move(0, 1)", "Move card to the lane below", show=False, priority=True),
    Binding("a", "quick_add", "Add", priority=True),
    Binding("e", "edit", "Edit", priority=True),
    Binding("enter", "open", "Open", priority=True),
    Binding("t", "touch", "Touch", priority=True),
    Binding("w", "won", "Won", priority=True),
    Binding("x", "lost", "Lost", priority=True),
    Binding("b", "block", "Block/unblock", show=False, priority=True),
    Binding("s", "snooze", "Snooze", show=False, priority=True),
    Binding("z", "fold_lane", "Fold/unfold lane", show=False, priority=True),
    Binding("slash", "filter", "Filter", priority=True),
    Binding("f", "search", "Search everything", show=False, priority=True),
    Binding("escape", "clear_filter", "Clear filter", show=False),
    Binding("u", "undo", "Undo", priority=True),
    Binding("n", "pull", "Pull next lead", priority=True),
    Binding("T", "triage", "Triage", priority=True),
    Binding("c", "clearance", "Clearance", priority=True),
    Binding("C", "checklist", "Best-customer checklist", show=False, priority=True),
]
"""All but Esc are bound with priority: the board acts on them before a focused widget could.
Esc is left to the filter bar while it is typed in."""

TYPED_AHEAD = frozenset(
    {"quick_add", "edit", "touch", "won", "lost", "block", "snooze", "filter", "triage"}
    | {"clearance", "checklist", "open", "undo", "pull", "fold_lane", "search"}
    | {"cursor", "page", "move"}
)
"""The board's keys bound with priority: they act as soon as the key is read, so keys typed
right after them reach the dialog they open (`tui/screens/typing.py`) — and the cursor keys
too, so `l` then Enter typed at once opens the card `l` selected, not the one before it."""
