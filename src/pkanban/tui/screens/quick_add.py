"""Quick add: one line becomes a card in the selected cell.

The line is read by `domain.quickadd.parse_quick_add` as you type, and what it understood is
shown back (title, `value read as 12,000`, `due read as Tue 2026-12-01`, next step; or "title
only — no value, no date"). The first Enter always asks for confirmation and the second saves —
nothing is saved by surprise. Errors (an impossible date, a refused WIP limit) stay inline.
"""

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from pkanban.domain.dates import example_day
from pkanban.domain.models import Card, Lane, Stage
from pkanban.domain.quickadd import QuickAdd, parse_quick_add
from pkanban.services.cards import NewCard, add_card
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.screens.typing import TypeAhead
from pkanban.tui.screens.working import OnTheBoard
from pkanban.tui.text import display, plain


def grammar(today: date) -> str:
    """The grammar line; its ISO example is a week after today (`--today`), never past."""
    return (
        "Grammar: title [value] [date [next step]] — values 12k, $12,000, 1.5m; dates today,"
        f" tomorrow, fri, friday, next tue, dec 1, +3d, in 2 weeks, {example_day(today)} (a"
        " date without next/due/in only right after the value or at the end). Put the title in"
        ' "quotes" to keep words like next or due in it.'
    )


FIRST_ENTER = "Enter reads it back, Enter again saves · Esc cancels"
"""The keys line until the line was read back (the first Enter never saves)."""
SHORT_GRAMMAR = "title [value] [date [next step]] · more under ? Help"
"""The grammar in one line, for terminals too short for the whole of it."""


class QuickAddScreen(TypeAhead, OnTheBoard, ModalScreen[Card | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, stage: Stage, lane: Lane) -> None:
        super().__init__()
        self.stage = stage
        self.lane = lane
        self.confirmed_line: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Content.assemble(
                    "New card in ", (plain(f"{self.stage.name} · {self.lane.name}"), "bold")
                ),
                classes="dialog-title",
            )
            yield Input(placeholder="Acme Corp 12k next tue call Ana", id="line")
            yield Static("", id="preview")
            yield Static("", classes="error", id="error")
            yield Static(grammar(self.today), classes="hint", id="grammar", markup=False)
            yield Static(SHORT_GRAMMAR, classes="hint", id="grammar-short", markup=False)
            yield Static(FIRST_ENTER, classes="hint", id="keys")

    @property
    def app_today(self) -> date:
        return self.today

    def _parse(self, line: str) -> QuickAdd | None:
        """Read the line and show what it means (or why it cannot be read)."""
        error = self.query_one("#error", Static)
        preview = self.query_one("#preview", Static)
        if not line.strip():
            preview.update("")
            error.update("")
            return None
        try:
            parsed = parse_quick_add(line, self.app_today)
        except SHOWN_ERRORS as problem:
            preview.update("")
            error.update(display(sentence(problem)))
            return None
        error.update("")
        lines = [Content.assemble("title: ", (plain(parsed.title), "bold"))]
        lines += [display(note) for note in parsed.notes] or [
            display("title only — no value, no date")
        ]
        preview.update(Content("\n").join(lines))
        return parsed

    @on(Input.Changed)
    def reread(self, event: Input.Changed) -> None:
        if event.value != self.confirmed_line:  # a late Changed for the confirmed line is no edit
            self.confirmed_line = None
            self.query_one("#keys", Static).update(FIRST_ENTER)
        self._parse(event.value)

    @on(Input.Submitted)
    def save(self, event: Input.Submitted) -> None:
        parsed = self._parse(event.value)
        if parsed is None:
            if not event.value.strip():
                self.query_one("#error", Static).update("Type a title first, e.g. Acme Corp 12k")
            return
        if self.confirmed_line != event.value:
            self.confirmed_line = event.value
            self.query_one("#keys", Static).update(
                "Is that right? Enter again saves · edit the line to change it · Esc cancels"
            )
            return
        new = NewCard(
            title=parsed.title,
            stage=self.stage.name,
            lane=self.lane.name,
            value=parsed.value,
            next_step=parsed.next_step or "",
            next_due=parsed.due,
        )
        try:
            card = self.session.run(add_card, self.app_today, new)
        except SHOWN_ERRORS as problem:
            self.query_one("#error", Static).update(display(sentence(problem)))
            return
        self.dismiss(card)
