"""The card actions the board and triage share: touch, won, lost, snooze and move to a stage;
and the board's block/unblock and best-customer checklist, asked the same way.

Each opens the same dialog on either screen, whose action is the service call itself (a refusal
shows inline and the dialog stays open), and hands the result — the card as saved, or None on
Esc — to the screen, which says what happened and moves on in its own way. Unblocking needs no
dialog: it is done at once, and a refusal is told as a warning.
"""

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from pkanban.domain.dates import date_examples
from pkanban.domain.models import Card, Settings, Stage
from pkanban.domain.money import format_money
from pkanban.domain.triage import lost_nudge
from pkanban.services import cards as actions
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.text import display_line, tell

if TYPE_CHECKING:
    from textual.screen import Screen

    from pkanban.services.session import BoardSession

T = TypeVar("T")
Done = Callable[[Card | None], None]


def card_label(card: Card) -> str:
    """How a notification names a card: `#196 Acme`."""
    return f"#{card.id} {display_line(card.title, 40)}"


def lost_question(touch_count: int, touch_target: int) -> str:
    """Why was it lost — after a nudge when the card got fewer touches than the target."""
    question = "Why was it lost? (so losses can be learned from)"
    nudge = lost_nudge(touch_count, touch_target)
    return f"{nudge}\n{question}" if nudge else question


def won_said(card: Card, currency: str) -> str:
    value = f" · {format_money(card.value, currency)}" if card.value is not None else ""
    return f"Won {card_label(card)}{value} — archived; u undoes"


def lost_said(card: Card) -> str:
    return f"Lost {card_label(card)} — archived; u undoes"


def touched_said(card: Card) -> str:
    step = f" · next: {card.next_step}" if card.next_step else ""
    due = f" due {card.next_due.isoformat()}" if card.next_due else ""
    return f"Touched {card_label(card)}{step}{due} — u undoes"


def blocked_said(card: Card) -> str:
    return f"Blocked {card_label(card)} — b again unblocks"


def snoozed_said(card: Card) -> str:
    return f"Snoozed {card_label(card)} until {card.snoozed_until} — u undoes"


class CardActions:
    """The dialogs of one screen's card actions. `closing(card_id)` runs inside a won or lost
    save, before the screen is shown again (the board lets go of the selected card there)."""

    def __init__(self, screen: "Screen", closing: Callable[[int], None] | None = None) -> None:
        self.screen = screen
        self.closing = closing

    def _board(self) -> tuple["BoardSession", date]:
        """The app's board session (a replica view may swap it) and its today."""
        from pkanban.tui.screens.working import board_app

        app = board_app(self.screen)
        return app.session, app.today

    def _closed(self, card_id: int) -> None:
        if self.closing is not None:
            self.closing(card_id)

    def touch(self, card: Card, done: Done) -> None:
        from pkanban.tui.screens.touch import TouchScreen

        self.screen.app.push_screen(TouchScreen(card), done)

    def won(self, card: Card, done: Done) -> None:
        """Ask for the final value (the card's, prefilled: Enter keeps it) and close it as won."""
        from pkanban.domain.quickadd import parse_value
        from pkanban.tui.screens.prompt import PromptScreen

        session, today = self._board()

        def win(text: str) -> Card:
            value = parse_value(text) if text.strip() else None
            won = session.run(actions.mark_won, today, card.id, value)
            self._closed(card.id)
            return won

        self.screen.app.push_screen(
            PromptScreen(
                f"Won: {card.title}",
                "Final value? (Enter keeps it)",
                win,
                value="" if card.value is None else str(card.value),
                placeholder="e.g. 12k, $12,000 (empty: unknown)",
            ),
            done,
        )

    def lost(self, card: Card, touch_target: int, done: Done) -> None:
        from pkanban.tui.screens.prompt import PromptScreen

        session, today = self._board()

        def lose(reason: str) -> Card:
            lost = session.run(actions.mark_lost, today, card.id, reason)
            self._closed(card.id)
            return lost

        self.screen.app.push_screen(
            PromptScreen(
                f"Lost: {card.title}",
                lost_question(card.touch_count, touch_target),
                lose,
                placeholder="e.g. Went with a competitor",
            ),
            done,
        )

    def snooze(self, card: Card, done: Done) -> None:
        """Until when (hidden from triage until then) and why, the date first."""
        from pkanban.tui.screens.dated_note import DatedNoteScreen

        session, today = self._board()
        self.screen.app.push_screen(
            DatedNoteScreen(
                f"Snooze: {card.title}",
                ("Why", "Until"),
                lambda reason, until: session.run(
                    actions.snooze_card, today, card.id, until, reason
                ),
                placeholders=(
                    "e.g. CFO on holiday",
                    date_examples(today, "next mon", "+2w", days=21),
                ),
                date_first=True,
            ),
            done,
        )

    def move_to_stage(self, card: Card, now_in: Stage, stages: Sequence[Stage], done: Done) -> None:
        """Pick the stage by typing its start (`disc`) in a list of the other stages."""
        from pkanban.tui.screens.stage_picker import StagePickerScreen

        session, today = self._board()
        self.screen.app.push_screen(
            StagePickerScreen(
                f"Move: {card.title} (now in {now_in.name})",
                [stage for stage in stages if stage != now_in],
                lambda stage: session.run(actions.move_card, today, card.id, stage=stage.name),
            ),
            done,
        )

    def block(self, card: Card, done: Done) -> None:
        """Ask what the card is waiting for (empty: just "blocked") and block it."""
        session, today = self._board()
        self.ask(
            f"Block: {card.title}",
            "What is it waiting for?",
            lambda reason: session.run(actions.set_blocked, today, card.id, reason or "blocked"),
            done,
            placeholder="e.g. Legal review of the MSA",
        )

    def unblock(self, card: Card) -> Card | None:
        """Unblock at once: the card as saved, or None after telling why it was refused."""
        session, today = self._board()
        try:
            return session.run(actions.set_blocked, today, card.id, "")
        except SHOWN_ERRORS as error:
            tell(self.screen, sentence(error), "warning")
            return None

    def checklist(self, done: Callable[[Settings | None], None]) -> None:
        """Name the best-customer criteria every card is answered against (a setting)."""
        from pkanban.services import config as settings_actions

        session, today = self._board()
        self.ask(
            "Best-customer checklist",
            "The yes/no criteria that make a best customer, separated by commas",
            lambda text: session.run(settings_actions.set_setting, today, "checklist", text),
            done,
            value=", ".join(session.settings().checklist),
            placeholder="e.g. Budget confirmed, Decision maker known, Fits ideal customer",
        )

    def ask(
        self,
        title: str,
        question: str,
        act: Callable[[str], T],
        done: Callable[[T | None], None],
        **field: str,
    ) -> None:
        """Ask for one line of text; `act` applies it (its refusal shows in the dialog), and
        `done` gets its result (None on Esc)."""
        from pkanban.tui.screens.prompt import PromptScreen

        self.screen.app.push_screen(PromptScreen(title, question, act, **field), done)
