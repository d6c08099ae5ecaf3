"""A two-field dialog — a line of text and a natural date — saved by one service call on Enter.

The next step (step + due), a snooze (until + why) and a clearance keep (why + until) use it.
"""

from collections.abc import Callable
from datetime import date
from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from pkanban.domain.dates import date_examples, parse_due
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.screens.working import OnTheBoard
from pkanban.tui.text import display, plain

T = TypeVar("T")


class DatedNoteScreen(OnTheBoard, ModalScreen[T | None], Generic[T]):
    """Two fields — a line of text and a natural date — saved by one service call on Enter.

    Used for the next step (step + due) and for snoozing (until + reason). A refusal or a bad
    date is shown inline and the dialog stays open; Esc cancels.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(
        self,
        title: str,
        labels: tuple[str, str],
        submit: Callable[[str, date], T],
        *,
        text: str = "",
        placeholders: tuple[str, str] = ("", ""),
        date_first: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.labels = labels
        self.submit = submit
        self.text = text
        self.placeholders = placeholders
        self.date_first = date_first

    def compose(self) -> ComposeResult:
        fields = [
            (self.labels[0], Input(plain(self.text), placeholder=self.placeholders[0], id="text")),
            (
                self.labels[1],
                Input(
                    placeholder=self.placeholders[1]
                    or date_examples(self.today, "tomorrow", "next tue", "+3d"),
                    id="when",
                ),
            ),
        ]
        if self.date_first:
            fields.reverse()
        with Vertical(classes="dialog wide"):
            yield Static(display(self.title_text), classes="dialog-title")
            for label, field in fields:
                with Horizontal(classes="field"):
                    yield Static(label, classes="label", markup=False)
                    field.compact = True
                    yield field
            yield Static("", classes="error", id="error")
            yield Static("Enter saves · Tab next field · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#when" if self.date_first else "#text", Input).focus()

    @on(Input.Submitted)
    def save(self) -> None:
        text = self.query_one("#text", Input).value
        when = self.query_one("#when", Input).value
        try:
            result = self.submit(text, parse_due(when, self.today))
        except SHOWN_ERRORS as error:
            self.query_one("#error", Static).update(display(sentence(error)))
            return
        self.dismiss(result)
