"""A card's detail: contact, facts, checklist, one timeline of notes and touches (newest first),
and its full history from the events. `N` adds a note and `E` edits the newest, in a dialog;
the timeline is redrawn here, so the detail stays open.

History is read with the session's `history` (newest first, a bounded query), so a card on a
board with a large archive opens as fast as any other. Dates shown are the action's working day,
never the wall clock, so what you see is reproducible with `--today`.
"""

from typing import ClassVar

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from pkanban.domain.contacts import ContactKind, contact_url
from pkanban.domain.models import Card, Note
from pkanban.domain.money import format_money
from pkanban.domain.triage import close_by_phrase
from pkanban.services import pipeline
from pkanban.services.views import CardView, card_view
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.screens.working import OnTheBoard
from pkanban.tui.text import plain, tell
from pkanban.tui.widgets.card import due_part
from pkanban.tui.widgets.hanging import HangingLine, HangingText
from pkanban.tui.widgets.key_footer import KeyFooter
from pkanban.tui.widgets.rank import rank_why

HISTORY_LIMIT = 200


class CardDetailScreen(OnTheBoard, ModalScreen[str | None]):
    """Dismisses with the board action to run next ("edit", "touch") or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter", "dismiss(None)", "Close"),
        Binding("e", "dismiss('edit')", "Edit"),
        Binding("t", "dismiss('touch')", "Touch"),
        Binding("N", "add_note", "Add note"),
        Binding("E", "edit_note", "Edit last note"),
        Binding("M", "contact('email')", "Email the contact", show=False),
        Binding("P", "contact('phone')", "Call the contact", show=False),
        *(
            Binding(str(n), f"answer({n - 1})", f"Checklist {n}: yes/no", show=False)
            for n in range(1, 10)
        ),
    ]

    def __init__(self, card_id: int) -> None:
        super().__init__()
        self.card_id = card_id

    def compose(self) -> ComposeResult:
        session, today = self.session, self.today
        view = session.run(card_view, today, self.card_id)
        settings = session.settings()
        with Vertical(classes="dialog wider tall"):
            yield Static(
                Content.assemble((plain(view.card.title), "bold"), f"  #{view.card.id}"),
                classes="dialog-title",
            )
            with Horizontal(classes="columns"):
                with VerticalScroll(id="detail-card"):
                    yield Static(self._facts(view, settings.currency, settings.touch_target))
                    yield Static(self._checklist(view, settings.checklist), id="checklist")
                    if view.card.is_open:
                        yield Static(self._rank(view), id="rank")
                with VerticalScroll(id="detail-log"):
                    yield HangingText(self._timeline(view), id="timeline")
                    yield HangingText(self._history(), id="history")
            yield Static(
                "1–9 checklist yes ↔ no · M email · P call",
                classes="hint",
            )
        yield KeyFooter()  # the detail's own keys, never the board's (which do not work here)

    def action_answer(self, index: int) -> None:
        """Answer one best-customer criterion for this card: unanswered or no → yes → no."""
        session, today = self.session, self.today
        names = session.settings().checklist
        if index >= len(names):
            return
        view = session.run(card_view, today, self.card_id)
        answer = view.card.checklist.get(names[index]) is not True
        try:
            session.run(pipeline.set_checklist, today, self.card_id, names[index], answer)
        except SHOWN_ERRORS as error:
            tell(self, sentence(error), "warning")
            return
        view = session.run(card_view, today, self.card_id)
        self.query_one("#checklist", Static).update(self._checklist(view, names))
        if view.card.is_open:
            self.query_one("#rank", Static).update(self._rank(view))

    def _facts(self, view: CardView, currency: str, touch_target: int) -> Table:
        card = view.card
        today = self.today
        rows: list[tuple[str, Content | str | Text]] = [
            ("Where", plain(f"{view.stage.name} · {view.lane.name}")),
            *([("Account", plain(card.account))] if card.account else []),
            ("Value", format_money(card.value, currency) or "—"),
            (
                "Age",
                f"{view.badge.text} · {view.stage_age_days} d in stage · {view.age_days} d old"
                f" · idle {view.idle_days} d",
            ),
            ("Touches", f"{card.touch_count}/{touch_target}"),
            ("Contact", self._contact(card)),
            ("Source", plain(card.source) or "—"),
            ("Tags", plain(", ".join(card.tags)) or "—"),
        ]
        if card.next_step or card.next_due:
            due = f"  ({due_part(card.next_due, today)[0]})" if card.next_due else ""
            rows.append(("Next step", plain(card.next_step or "—") + due))
        if card.close_by:
            when = f"  ({close_by_phrase(card.close_by, today)})" if card.is_open else ""
            rows.append(("Close by", f"{card.close_by.isoformat()}{when}"))
        if card.blocked_reason:
            rows.append(("Blocked", plain(card.blocked_reason)))
        if card.snoozed_until:
            reason = f" — {plain(card.snooze_reason)}" if card.snooze_reason else ""
            rows.append(("Snoozed", f"until {card.snoozed_until.isoformat()}{reason}"))
        if not card.is_open:
            rows.append(("Closed", f"{card.disposition} {card.closed}"))
        rows.append(("Created", f"{card.created}, in stage since {card.entered_stage}"))
        facts = Table.grid(padding=(0, 1))  # a long value wraps under itself, not the label
        facts.add_column(style="bold", no_wrap=True, min_width=9)
        facts.add_column(overflow="fold")
        for label, value in rows:
            facts.add_row(label, value if isinstance(value, Text) else Text(str(value)))
        return facts

    def _contact(self, card: Card) -> Text:
        """Name, email and phone; the email and phone are links (a click, or M and P)."""
        contact = Text(plain(card.contact_name) or ("—" if not card.email + card.phone else ""))
        reach: tuple[tuple[ContactKind, str], ...] = (("email", card.email), ("phone", card.phone))
        for kind, value in reach:
            if not value:
                continue
            if contact:
                contact.append(" · ")
            linked = contact_url(kind, value) is not None
            action = Style(meta={"@click": f"screen.contact('{kind}')"}, underline=True)
            contact.append(plain(value), style=action if linked else None)
        return contact

    def action_contact(self, kind: ContactKind) -> None:
        """Open the contact's email or phone with the system's handler (`mailto:`, `tel:`)."""
        card = self.session.run(card_view, self.today, self.card_id).card
        url = contact_url(kind, card.email if kind == "email" else card.phone)
        if url is None:
            tell(self, f"This card has no {kind} — e edits it", "warning")
            return
        self.app.open_url(url)
        tell(self, f"Opening {url}")

    def _checklist(self, view: CardView, names: tuple[str, ...]) -> Content:
        lines = [Content.styled("\nBest-customer checklist", "bold underline")]
        answers = view.card.checklist
        for number, name in enumerate(names, 1):
            answer = answers.get(name)
            mark = "✓ yes" if answer is True else "✗ no " if answer is False else "? —  "
            lines.append(Content.assemble(f"  {number} {mark}  ", plain(name)))
        return Content("\n").join(lines)

    def _rank(self, view: CardView) -> Content:
        """Why the card ranks where it does (the same breakdown as `pkanban why`)."""
        ranking = self.session.run(pipeline.ranking, self.today)
        score = ranking.score(view.card, view.stage.id)
        return Content("\n").join([Content(""), rank_why(score, ranking.basis.typical)])

    def _timeline(self, view: CardView) -> list[HangingLine]:
        """Notes and touches together, newest first; a note keeps its own line breaks. A long
        touch or note line wraps under its text, not under the date."""
        session = self.session
        lines: list[HangingLine] = [Content.styled("Notes and touches", "bold underline")]
        entries: list[tuple[tuple, list[HangingLine]]] = []
        for touch in session.touches(view.card.id):
            line = (f"  {touch.day}  {touch.kind:<8} ", plain(touch.text))
            entries.append(((touch.day, 0, touch.id), [line]))
        for note in session.notes(view.card.id):
            edited = f" (edited {note.edited})" if note.edited else ""
            head = Content.assemble(f"  {note.day}  ", ("note", "bold"), f" {note.id}{edited}")
            body: list[HangingLine] = [
                ("      ", text) for text in plain(note.text, multiline=True).splitlines()
            ]
            entries.append(((note.day, 1, note.id), [head, *body]))
        if not entries:
            lines.append(Content("  none yet — press t to log a touch, N to add a note"))
        for _, entry in sorted(entries, key=lambda item: item[0], reverse=True):
            lines += entry
        return lines

    def action_add_note(self) -> None:
        self._open_note(None)

    def action_edit_note(self) -> None:
        found = self.session.notes(self.card_id)
        if not found:
            tell(self, "No note on this card yet — press N to add one")
            return
        self._open_note(max(found, key=lambda note: (note.day, note.id)))

    def _open_note(self, note: Note | None) -> None:
        from pkanban.tui.screens.note import NoteScreen

        def saved(result: Note | None) -> None:
            if result is not None:
                view = self.session.run(card_view, self.today, self.card_id)
                self.query_one("#timeline", HangingText).update(self._timeline(view))
                self.query_one("#history", HangingText).update(self._history())

        card = self.session.card(self.card_id)
        self.app.push_screen(NoteScreen(card, note), saved)

    def _history(self) -> list[HangingLine]:
        lines: list[HangingLine] = [Content.styled("\nHistory", "bold underline")]
        for action in self.session.history(self.card_id, limit=HISTORY_LIMIT):
            undone = "  (undone)" if action["undone"] else ""
            lines.append((f"  {action['day']}  ", plain(action["summary"]) + undone))
        return lines
