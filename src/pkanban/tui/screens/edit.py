"""Edit a card: a form whose problems are shown inline, next to the field, as sentences.

Values and dates are read with the same parsers as the CLI (`12k`, `next tue`); only the fields
that changed are saved, in one `edit_card` action. If another window changed the card since the
form opened, saving is refused rather than silently overwriting that change.
"""

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from pkanban.domain.dates import check_ahead, example_day, parse_due
from pkanban.domain.errors import InvalidInput
from pkanban.domain.models import Card
from pkanban.domain.quickadd import parse_value
from pkanban.services.cards import edit_card
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.screens.working import OnTheBoard
from pkanban.tui.text import display, plain

FIELDS = (
    # field, label, placeholder
    ("title", "Title", "e.g. Acme Corp"),
    ("account", "Account", "the company, e.g. Acme Corp"),
    ("value", "Value", "12k, $12,000 or 1.5m (empty: none)"),
    ("contact_name", "Contact", "e.g. Ana Ruiz"),
    ("email", "Email", "e.g. ana@acme.com"),
    ("phone", "Phone", "e.g. +1 555 0100"),
    ("source", "Source", "e.g. Referral, Website, Event"),
    ("tags", "Tags", "comma separated, e.g. vip, renewal"),
    ("next_step", "Next step", "e.g. Call to confirm budget"),
    ("next_due", "Due", "tomorrow, next tue, +3d, {example} (empty: none)"),
)


def form_values(card: Card) -> dict[str, str]:
    """The card's fields as the text the form shows."""
    return {
        "title": card.title,
        "account": card.account,
        "value": "" if card.value is None else f"{card.value:,}",
        "contact_name": card.contact_name,
        "email": card.email,
        "phone": card.phone,
        "source": card.source,
        "tags": ", ".join(card.tags),
        "next_step": card.next_step,
        "next_due": "" if card.next_due is None else card.next_due.isoformat(),
    }


class EditCardScreen(OnTheBoard, ModalScreen[Card | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, card: Card) -> None:
        super().__init__()
        self.card = card
        self.initial = form_values(card)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Static(
                display(f"Edit #{self.card.id}: {self.card.title}"), classes="dialog-title"
            )
            with VerticalScroll(classes="form", can_focus=False):
                for name, label, placeholder in FIELDS:
                    with Horizontal(classes="field"):
                        yield Static(label, classes="label", markup=False)
                        yield Input(
                            value=plain(self.initial[name]),
                            placeholder=placeholder.format(example=example_day(self.today)),
                            id=f"field-{name}",
                            compact=True,
                        )
                    yield Static("", classes="error field-error", id=f"error-{name}")
            yield Static("", classes="error", id="error")
            yield Static("Enter or Ctrl+S saves · Tab next field · Esc cancels", classes="hint")

    def _text(self, name: str) -> str:
        return self.query_one(f"#field-{name}", Input).value

    def _changes(self) -> dict | None:
        """The changed fields, read and checked; None (with messages shown) if any is wrong."""
        problems: dict[str, str] = {}
        changes: dict = {}
        for name, _label, _placeholder in FIELDS:
            text = self._text(name)
            if text == plain(self.initial[name]):
                continue
            try:
                changes[name] = self._read(name, text)
            except SHOWN_ERRORS as error:
                problems[name] = sentence(error)
        for name, _label, _placeholder in FIELDS:
            message = problems.get(name, "")
            widget = self.query_one(f"#error-{name}", Static)
            widget.update(display(message))
            widget.display = bool(message)
        return None if problems else changes

    def _read(self, name: str, text: str) -> object:
        text = text.strip()
        if name == "title" and not text:
            raise InvalidInput("A card needs a title — the company or deal name")
        if name == "value":
            return parse_value(text) if text else None
        if name == "next_due":
            if not text:
                return None
            return check_ahead(parse_due(text, self.today), self.today, "A next step due")
        if name == "tags":
            return tuple(tag.strip() for tag in text.split(",") if tag.strip())
        return text

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        error = self.query_one("#error", Static)
        changes = self._changes()
        if changes is None:
            error.update("Please correct the fields marked above")
            return
        if not changes:
            self.dismiss(None)
            return
        session = self.session
        try:
            if session.card(self.card.id).version != self.card.version:
                error.update(
                    "This card was changed in another window since you opened it — Esc, then"
                    " open it again to see the change"
                )
                return
            saved = session.run(edit_card, self.today, self.card.id, changes)
        except SHOWN_ERRORS as problem:
            error.update(display(sentence(problem)))
            return
        self.dismiss(saved)
