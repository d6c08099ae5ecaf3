"""The first-run state: a friendly panel instead of a blank grid."""

from textual.content import Content
from textual.widgets import Static

WELCOME = Content.assemble(
    ("Your board is empty.", "bold"),
    "\n\n",
    ("a", "bold reverse"),
    "  add a card here, in one line — e.g.\n   ",
    ("Acme Corp 12k next tue call Ana", "italic"),
    "\n\n",
    ("i", "bold reverse"),
    "  import your CRM export (a CSV file)",
    "\n\n",
    ("?", "bold reverse"),
    "  all keys    ",
    ("q", "bold reverse"),
    "  quit",
)


class EmptyBoard(Static):
    """Shown while the board has never held a card."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(WELCOME, id=id)
