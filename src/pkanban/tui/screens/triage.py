"""Morning triage (DESIGN §4): today's queue, one card at a time, one key per action.

The queue is read once when the screen opens (`services.pipeline.triage_queue`, in the order
documented in `domain.triage`), so the progress `3/12` stays put while the seller works. Each
card is read again when it is shown, and every key calls the same service as the board and the
CLI (WIP enforced, one transaction and event each, undoable). An action that settles the card
moves on to the next; at the end (or on Esc) a summary says what was done and how many of the
queue's cards still need the seller today.
"""

from collections import Counter
from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from pkanban.domain.dates import WEEKDAY_ABBR
from pkanban.domain.errors import NotFound
from pkanban.domain.models import Card
from pkanban.domain.money import format_money
from pkanban.domain.text import counted
from pkanban.domain.triage import step_overdue
from pkanban.services import pipeline
from pkanban.services.views import CardView, card_view
from pkanban.tui.card_actions import CardActions
from pkanban.tui.screens.dated_note import DatedNoteScreen
from pkanban.tui.screens.detail import CardDetailScreen
from pkanban.tui.screens.working import OnTheBoard
from pkanban.tui.text import plain
from pkanban.tui.widgets.card import due_part
from pkanban.tui.widgets.hanging import HangingLine, HangingText
from pkanban.tui.widgets.key_footer import KeyFooter
from pkanban.tui.widgets.rank import rank_why

# What each settling action counts as in the summary, in the order it is listed.
OUTCOMES = (
    ("touched", "touched"),
    ("next step", "next step set"),
    ("moved", "moved"),
    ("won", "won"),
    ("lost", "lost"),
    ("snoozed", "snoozed"),
    ("skipped", "skipped"),
)
CARD_ACTIONS = {"touch", "next_step", "move", "won", "lost", "snooze", "skip", "open"}


class TriageScreen(OnTheBoard, Screen[None]):
    """Step through today's triage queue; Esc ends with the summary, Esc again closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "touch", "Touch"),
        Binding("d", "next_step", "Next step"),
        Binding("v", "move", "Move"),
        Binding("w", "won", "Won"),
        Binding("x", "lost", "Lost"),
        Binding("s", "snooze", "Snooze"),
        Binding("space", "skip", "Skip"),
        Binding("enter", "open", "Details"),
        Binding("escape", "finish", "End triage"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.queue: list[pipeline.TriageEntry] = []
        self.position = 0
        self.outcomes: Counter[str] = Counter()
        self.finished = False
        self.still_open: int | None = None
        self.card_actions = CardActions(self)

    def compose(self) -> ComposeResult:
        yield Static(id="triage-header")
        with VerticalScroll(id="triage-body"):
            yield HangingText(id="triage-card")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.queue = self.session.run(pipeline.triage_queue, self.today)
        if not self.queue:
            self.finished = True
        self.show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Card actions exist only while there is a card; the footer follows."""
        if action in CARD_ACTIONS:
            return not self.finished
        return True

    # ------------------------------------------------------------------ drawing

    def show(self) -> None:
        day = f"{WEEKDAY_ABBR[self.today.weekday()]} {self.today.isoformat()}"
        header = self.query_one("#triage-header", Static)
        body = self.query_one("#triage-card", HangingText)
        if self.finished:
            header.update(Content.assemble(("Morning triage", "bold"), f"  {day}  ·  done"))
            body.update([self._summary()])
        else:
            total = len(self.queue)
            header.update(
                Content.assemble(
                    ("Morning triage", "bold"),
                    f"  {day}  ·  ",
                    (f"{self.position + 1:,}/{total:,}", "bold"),
                    f"  ·  {self._done_count()} done",
                )
            )
            entry = self.queue[self.position]
            view = self._current()
            if view is None:
                self._advance("skipped")
                return
            body.update(self._card(entry, view))
        self.query_one("#triage-body").scroll_home(animate=False)
        self.refresh_bindings()

    def _card(self, entry: pipeline.TriageEntry, view: CardView) -> list[HangingLine]:
        card = view.card
        settings = self.session.settings()
        facts = " · ".join(
            part
            for part in (
                f"{plain(view.stage.name)} · {plain(view.lane.name)}",
                format_money(card.value, settings.currency),
                view.badge.text,
                f"touches {card.touch_count}/{settings.touch_target}",
            )
            if part
        )
        lines: list[HangingLine] = [
            Content.assemble((plain(card.title), "bold"), f"  #{card.id}"),
            Content(facts),
        ]
        contact = " · ".join(x for x in (card.contact_name, card.email, card.phone) if x)
        if contact:
            lines.append((Content.styled("Contact    ", "dim"), plain(contact)))
        if not card.is_open:
            lines.append(Content.styled(f"Already {card.disposition} — space skips it", "bold"))
        lines.append(Content.styled("\nWhy it is here", "bold underline"))
        for reason in entry.reasons:
            lines.append((Content.styled("  ● ", "$warning-text"), plain(reason.text)))
        lines.append(Content.styled("\nNext step", "bold underline"))
        if card.next_step or card.next_due:
            due = f"  ({due_part(card.next_due, self.today)[0]})" if card.next_due else ""
            lines.append(Content.assemble("  ", plain(card.next_step or "—"), due))
        else:
            lines.append(Content("  none — press d to set one"))
        if card.blocked_reason:
            lines.append((Content.styled("  Blocked: ", "bold"), plain(card.blocked_reason)))
        if card.is_open:
            ranking = self.session.run(pipeline.ranking, self.today)
            score = ranking.score(card, card.stage_id)
            lines.append(Content(""))
            lines.append(rank_why(score, ranking.basis.typical))
        return lines

    def _summary(self) -> Content:
        if not self.queue:
            return Content.assemble(
                ("Nothing needs you today.", "bold"),
                "\n\nNo overdue or due follow-ups, every active card has a next step, nothing is"
                " stale or blocked.\nBack on the board (Esc), n pulls the next best lead.",
            )
        handled = self._done_count()
        lines = [
            Content.styled(
                f"Triage done: {handled:,} of {counted(len(self.queue), 'card')} handled",
                "bold underline",
            ),
            Content(""),
        ]
        for key, label in OUTCOMES:
            lines.append(Content(f"  {label:<15}{self.outcomes[key]:>4}"))
        if self.still_open is None:
            self.still_open = self._still_open()
        lines.append(Content(""))
        lines.append(
            Content.assemble(
                (f"  {'still open':<15}{self.still_open:>4}", "bold"),
                "  of these cards still need you today",
            )
        )
        lines.append(Content.styled("\nEsc returns to the board.", "dim"))
        return Content("\n").join(lines)

    def _done_count(self) -> int:
        return sum(count for key, count in self.outcomes.items() if key != "skipped")

    def _still_open(self) -> int:
        ids = {entry.view.card.id for entry in self.queue}
        waiting = self.session.run(pipeline.triage_queue, self.today)
        return sum(1 for entry in waiting if entry.view.card.id in ids)

    # ------------------------------------------------------------------ stepping

    def _current(self) -> CardView | None:
        """The card at the current position, read now (None: it was removed meanwhile)."""
        try:
            return self.session.run(card_view, self.today, self.queue[self.position].view.card.id)
        except NotFound:
            return None

    def _advance(self, outcome: str) -> None:
        self.outcomes[outcome] += 1
        self.position += 1
        if self.position >= len(self.queue):
            self.finished = True
        self.show()

    def _settled(self, outcome: str) -> Callable[[object], None]:
        """A dialog's result: anything but a cancel settles the card and moves on."""

        def done(result: object) -> None:
            if result is not None:
                self._advance(outcome)

        return done

    # ------------------------------------------------------------------ actions

    def action_touch(self) -> None:
        if view := self._current():
            self.card_actions.touch(view.card, self._touched)

    def _touched(self, saved: Card | None) -> None:
        """A touch settles the card only when its next step is no longer overdue."""
        if saved is None:
            return
        if step_overdue(saved.disposition, saved.next_due, self.today):
            self.app.notify(
                f"Still overdue since {saved.next_due} — give it a next step due today or later",
                severity="warning",
                markup=False,
            )
            self.show()
            return
        self._advance("touched")

    def action_next_step(self) -> None:
        view = self._current()
        if view is None:
            return
        card = view.card
        session, today = self.session, self.today
        self.app.push_screen(
            DatedNoteScreen(
                f"Next step: {card.title}",
                ("Next step", "Due"),
                lambda step, due: session.run(pipeline.set_next_step, today, card.id, due, step),
                text=card.next_step,
                placeholders=("e.g. Send proposal", ""),
            ),
            self._settled("next step"),
        )

    def action_move(self) -> None:
        if view := self._current():
            stages = self.session.run(pipeline.ranking, self.today).context.stages
            self.card_actions.move_to_stage(view.card, view.stage, stages, self._settled("moved"))

    def action_won(self) -> None:
        if view := self._current():
            self.card_actions.won(view.card, self._settled("won"))

    def action_lost(self) -> None:
        if view := self._current():
            target = self.session.settings().touch_target
            self.card_actions.lost(view.card, target, self._settled("lost"))

    def action_snooze(self) -> None:
        if view := self._current():
            self.card_actions.snooze(view.card, self._settled("snoozed"))

    def action_skip(self) -> None:
        self._advance("skipped")

    def action_open(self) -> None:
        def then(next_action: str | None) -> None:
            if next_action == "touch":
                self.action_touch()
            elif next_action == "edit" and (view := self._current()):
                from pkanban.tui.screens.edit import EditCardScreen

                self.app.push_screen(EditCardScreen(view.card), lambda _: self.show())
            else:
                self.show()

        if view := self._current():
            self.app.push_screen(CardDetailScreen(view.card.id), then)

    def action_finish(self) -> None:
        if self.finished:
            self.dismiss(None)
            return
        self.finished = True
        self.show()
