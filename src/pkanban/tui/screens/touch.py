"""Log a touch (call, email, meeting, message, note) and set the next step with its due date.

DESIGN §3: logging a touch asks for the *next* step — the form starts with an empty step (the
previous one shown as the hint) and a due date two working days ahead, so Enter never saves the
old, overdue step again; a due date before today is refused with one line.
"""

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from pkanban.domain.dates import date_examples, parse_due, working_days_after
from pkanban.domain.models import TOUCH_KINDS, Card
from pkanban.services.cards import log_touch
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.screens.typing import TypeAhead
from pkanban.tui.screens.working import OnTheBoard
from pkanban.tui.text import display, plain


class TouchScreen(TypeAhead, OnTheBoard, ModalScreen[Card | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, card: Card) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        card = self.card
        with Vertical(classes="dialog wide"):
            yield Static(display(f"Touch #{card.id}: {card.title}"), classes="dialog-title")
            with Horizontal(classes="field"):
                yield Static("Kind", classes="label", markup=False)
                yield Select(
                    [(kind, kind) for kind in TOUCH_KINDS],
                    value="call",
                    allow_blank=False,
                    id="kind",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Static("What happened", classes="label", markup=False)
                yield Input(
                    placeholder="e.g. Budget confirmed, wants a demo", id="text", compact=True
                )
            with Horizontal(classes="field"):
                yield Static("Next step", classes="label", markup=False)
                before = plain(card.next_step)
                yield Input(
                    placeholder=f"was: {before}" if before else "e.g. Send proposal",
                    id="next-step",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Static("Due", classes="label", markup=False)
                due = working_days_after(self.today, 2).isoformat()
                yield Input(
                    due,
                    placeholder=date_examples(self.today, "tomorrow", "next tue", "+3d"),
                    id="due",
                    compact=True,
                )
            yield Static("", classes="error", id="error")
            yield Static("Enter or Ctrl+S saves · Tab next field · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        kind = self.query_one("#kind", Select).value
        text = self.query_one("#text", Input).value
        next_step = self.query_one("#next-step", Input).value.strip()
        due_text = self.query_one("#due", Input).value.strip()
        today = self.today
        try:
            due = parse_due(due_text, today) if due_text else None
            saved = self.session.run(
                log_touch, today, self.card.id, str(kind), text, next_step, due
            )
        except SHOWN_ERRORS as problem:
            self.query_one("#error", Static).update(display(sentence(problem)))
            return
        self.dismiss(saved)
