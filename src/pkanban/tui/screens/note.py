"""Write or edit a note on a card in a `TextArea` (several lines, markdown kept as typed).

Ctrl+S saves through the notes service (one recorded action, so `u` on the board undoes it);
a refusal (an empty or overlong note) is shown inline and the dialog stays open. Esc cancels.
"""

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from pkanban.domain.models import Card, Note
from pkanban.services.notes import add_note, edit_note
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.screens.working import OnTheBoard
from pkanban.tui.text import display, plain


class NoteScreen(OnTheBoard, ModalScreen[Note | None]):
    """Dismisses with the saved note, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "save", "Save note"),
    ]

    def __init__(self, card: Card, note: Note | None = None) -> None:
        super().__init__()
        self.card = card
        self.note = note

    def compose(self) -> ComposeResult:
        what = "New note" if self.note is None else f"Edit note {self.note.id}"
        with Vertical(classes="dialog wide", id="note-dialog"):
            yield Static(
                display(f"{what} on #{self.card.id}: {self.card.title}"), classes="dialog-title"
            )
            text = "" if self.note is None else plain(self.note.text, multiline=True)
            yield TextArea(text, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Static("", classes="error", id="error")
            yield Static("Ctrl+S saves · Enter starts a new line · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        area = self.query_one("#note-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        text = self.query_one("#note-text", TextArea).text
        session, today = self.session, self.today
        try:
            if self.note is None:
                saved = session.run(add_note, today, self.card.id, text)
            else:
                saved = session.run(edit_note, today, self.card.id, self.note.id, text)
        except SHOWN_ERRORS as problem:
            self.query_one("#error", Static).update(display(sentence(problem)))
            return
        self.dismiss(saved)
