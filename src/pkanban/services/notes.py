"""Notes on a card: add and edit, each one recorded action (so `undo` takes it back, and the
search index — kept by triggers — follows in the same transaction).

A note may be on any card, open or archived: what was learned from a lost deal is worth keeping.
"""

from datetime import date

from pkanban.domain.errors import NotFound
from pkanban.domain.models import Note
from pkanban.services.cards import MAX_TEXT, _text
from pkanban.store import board
from pkanban.store import search as search_store
from pkanban.store.database import Store

MAX_NOTE = MAX_TEXT


def add_note(store: Store, today: date, card_id: int, text: str) -> Note:
    """Add a dated note (multi-line text, kept as typed; never markup)."""
    text = _text(text, "note", MAX_NOTE, required=True, multiline=True)
    with store.transaction():
        card = board.card(store.conn, card_id)
        with store.action("noted", f"Note on #{card.id}", today) as log:
            row = log.insert("notes", {"card_id": card.id, "day": today.isoformat(), "text": text})
    return _note(row)


def edit_note(store: Store, today: date, card_id: int, note_id: int, text: str) -> Note:
    """Replace a note's text; its day stays, the day of the edit is kept beside it."""
    text = _text(text, "note", MAX_NOTE, required=True, multiline=True)
    with store.transaction():
        card = board.card(store.conn, card_id)
        if not search_store.has_note(store.conn, card.id, note_id):
            raise NotFound(
                f"No note {note_id} on #{card.id} — `pkanban show {card.id}` lists them",
                in_app=f"No note {note_id} on #{card.id} — the card detail lists them",
            )
        with store.action("note edited", f"Edited note {note_id} on #{card.id}", today) as log:
            row = log.update("notes", note_id, {"text": text, "edited": today.isoformat()})
    return _note(row)


def _note(row: dict) -> Note:
    return Note(
        id=row["id"],
        card_id=row["card_id"],
        day=date.fromisoformat(row["day"]),
        text=row["text"],
        edited=date.fromisoformat(row["edited"]) if row["edited"] else None,
    )
