"""A one-question dialog (lost reason, block reason, snooze date) that runs its action on Enter.

The action is the service call itself, so a refusal or a bad date is shown inline as the
service's sentence and the dialog stays open for a correction; Esc cancels.
"""

from collections.abc import Callable
from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.screens.typing import TypeAhead
from pkanban.tui.text import display

T = TypeVar("T")


class PromptScreen(TypeAhead, ModalScreen[T | None], Generic[T]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(
        self,
        title: str,
        question: str,
        submit: Callable[[str], T],
        *,
        value: str = "",
        placeholder: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.submit = submit
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(display(self.title_text), classes="dialog-title")
            yield Static(display(self.question))
            yield Input(value=self.value, placeholder=self.placeholder, id="answer")
            yield Static("", classes="error", id="error")
            yield Static("Enter saves · Esc cancels", classes="hint")

    @on(Input.Submitted)
    def save(self, event: Input.Submitted) -> None:
        try:
            result = self.submit(event.value)
        except SHOWN_ERRORS as error:
            self.query_one("#error", Static).update(display(sentence(error)))
            return
        self.dismiss(result)
