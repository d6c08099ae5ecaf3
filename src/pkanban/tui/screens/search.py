"""Search everything (`f` on the board): type, and the whole archive is searched — open, won,
lost and cleared cards — by title, contact, next step, reasons, notes and touch texts.

The query runs in a thread worker on the screen's own connection, a short pause after the last
keystroke, and only the newest result is shown. Each hit is drawn from `Content` parts (the
matched words highlighted), never markup. Enter opens the card's detail; from there `e` and `t`
edit or touch an open card. `f budget` typed at once searches `budget`: keys typed while the
screen opens go to the query (`screens/typing.py`).
"""

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from pkanban.services.search import search_cards
from pkanban.services.session import RANKED_AT_MOST, BoardSession, SearchHit
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.screens.typing import TypeAhead
from pkanban.tui.screens.working import OnTheBoard
from pkanban.tui.text import display, plain

DEBOUNCE_SECONDS = 0.15
SHOWN_HITS = 100


def hit_prompt(hit: SearchHit) -> Content:
    """Two lines: the card (and its fate if archived), then what matched, matches highlighted."""
    status = "" if hit.disposition == "open" else f"  [{hit.disposition}]"
    head = Content.assemble(
        (f"#{hit.card_id} ", "dim"),
        (plain(hit.title), "bold"),
        (f"  {plain(hit.stage)} · {plain(hit.lane)}{status}", "dim"),
    )
    field, parts = hit.matches[0] if hit.matches else ("title", ((hit.title, False),))
    snippet = Content.assemble(
        f"  {field}: ",
        *((plain(text), "bold underline") if matched else plain(text) for text, matched in parts),
    )
    return Content("\n").join([head, snippet])


class SearchScreen(TypeAhead, OnTheBoard, ModalScreen[None]):
    """Words typed right after `f` are the query: the keys are held while the screen opens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("down", "results", "To the results", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.reader: BoardSession | None = None
        self.pending: Timer | None = None
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wider tall"):
            yield Static("Search everything", classes="dialog-title")
            yield Input(
                placeholder="words in a title, contact, note, touch, next step or reason",
                id="search-query",
            )
            yield Static("", id="search-status", classes="hint")
            yield OptionList(id="search-results")
            yield Static(
                "Type to search open and archived cards · ↓ to the results · Enter opens"
                " · Esc closes",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.reader = self.session.reopen()
        self.query_one("#search-query", Input).focus()

    def on_unmount(self) -> None:
        if self.reader is not None:
            self.workers.cancel_group(self, "search")
            self.reader.close()

    @on(Input.Changed, "#search-query")
    def changed(self, event: Input.Changed) -> None:
        if self.pending is not None:
            self.pending.stop()
        query = event.value
        self.pending = self.set_timer(DEBOUNCE_SECONDS, lambda: self._search(query))

    @on(Input.Submitted, "#search-query")
    def submitted(self) -> None:
        if self.hits:
            self.action_results()

    def action_results(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str) -> None:
        reader = self.reader
        if reader is None:  # closed before the search ran
            return
        try:
            found = reader.run(search_cards, query, include_closed=True, limit=SHOWN_HITS)
        except SHOWN_ERRORS as error:
            message = sentence(error)
            self.app.call_from_thread(self._show, query, [], message)
            return
        note = None
        if found.narrowed:
            note = f"the newest {RANKED_AT_MOST:,} matching cards ranked — add a word to narrow"
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, query, found.hits, None, note)

    def _show(
        self, query: str, hits: list[SearchHit], problem: str | None, note: str | None = None
    ) -> None:
        if query != self.query_one("#search-query", Input).value:
            return  # a newer query is on its way
        self.hits = hits
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        results.add_options(Option(hit_prompt(hit), id=str(hit.card_id)) for hit in hits)
        status = self.query_one("#search-status", Static)
        if problem is not None:
            status.update(display(problem))
        elif not query.strip():
            status.update("")
        else:
            many = f"{len(hits)}+" if len(hits) == SHOWN_HITS else str(len(hits))
            found = f"{many} card{'s' if len(hits) != 1 else ''} found, best match first"
            status.update(found + (f" · {note}" if note else ""))

    @on(OptionList.OptionSelected, "#search-results")
    def open_card(self, event: OptionList.OptionSelected) -> None:
        from pkanban.tui.screens.detail import CardDetailScreen

        card_id = int(event.option.id or 0)

        def then(next_action: str | None) -> None:
            card = self.session.card(card_id)
            if not card.is_open or next_action is None:
                return
            if next_action == "edit":
                from pkanban.tui.screens.edit import EditCardScreen

                self.app.push_screen(EditCardScreen(card))
            elif next_action == "touch":
                from pkanban.tui.screens.touch import TouchScreen

                self.app.push_screen(TouchScreen(card))

        self.app.push_screen(CardDetailScreen(card_id), then)
