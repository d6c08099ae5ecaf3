"""Reading notes and searching the full-text index (`search_fts`, kept by schema triggers).

A search ranks the matching cards with bm25 — a title match weighs most, then contact, next
step and reasons, then notes and touches — in one query that also makes the snippets of the
hits it keeps. bm25 scores every matching card, so a word found in more than RANKED_AT_MOST
cards is ranked among the newest of them (and the result says so).
"""

import sqlite3
from dataclasses import dataclass
from datetime import date

from pkanban.domain.models import Note
from pkanban.domain.search import HIT_START, snippet_parts
from pkanban.store.schema import SEARCH_COLUMNS

# bm25 weights, in SEARCH_COLUMNS order.
WEIGHTS = (10.0, 8.0, 5.0, 2.0, 2.0, 1.0, 1.0)
# What each indexed column is called next to a snippet.
FIELD_NAMES = dict(
    zip(
        SEARCH_COLUMNS,
        ("title", "account", "contact", "next step", "reason", "note", "touch"),
        strict=True,
    )
)
SNIPPET_TOKENS = 12
# bm25 scores every matching card (~1 µs each); past this many matches only the newest this
# many (by card number) are ranked, so a word found in every card still answers at once.
RANKED_AT_MOST = 10_000


@dataclass(frozen=True, slots=True)
class SearchHit:
    card_id: int
    title: str
    disposition: str
    stage: str
    lane: str
    score: float
    # Each matching field (in weight order) and its snippet as `(text, is_match)` parts.
    matches: tuple[tuple[str, tuple[tuple[str, bool], ...]], ...]

    @property
    def field(self) -> str:
        return self.matches[0][0] if self.matches else "title"

    @property
    def snippet(self) -> tuple[tuple[str, bool], ...]:
        return self.matches[0][1] if self.matches else ((self.title, False),)

    @property
    def snippet_text(self) -> str:
        return "".join(text for text, _ in self.snippet)


_NOTE_COLUMNS = "n.id, n.card_id, n.day, n.text, n.edited"


def notes(conn: sqlite3.Connection, card_id: int) -> list[Note]:
    """A card's notes, oldest first."""
    sql = f"SELECT {_NOTE_COLUMNS} FROM notes n WHERE n.card_id = ? ORDER BY n.day, n.id"
    return [_note(row) for row in conn.execute(sql, [card_id])]


def has_note(conn: sqlite3.Connection, card_id: int, note_id: int) -> bool:
    """Whether note `note_id` is one of card `card_id`'s."""
    sql = "SELECT 1 FROM notes WHERE id = ? AND card_id = ?"
    return conn.execute(sql, [note_id, card_id]).fetchone() is not None


def open_cards_notes(conn: sqlite3.Connection) -> dict[int, list[Note]]:
    """Every open card's notes (the markdown report), oldest first per card."""
    found: dict[int, list[Note]] = {}
    for row in conn.execute(
        f"SELECT {_NOTE_COLUMNS} FROM notes n JOIN cards c ON c.id = n.card_id"
        " WHERE c.disposition = 'open' ORDER BY n.day, n.id"
    ):
        found.setdefault(row[1], []).append(_note(row))
    return found


def _note(row: tuple) -> Note:
    return Note(
        id=row[0],
        card_id=row[1],
        day=date.fromisoformat(row[2]),
        text=row[3],
        edited=date.fromisoformat(row[4]) if row[4] else None,
    )


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[SearchHit]
    narrowed: bool  # more than RANKED_AT_MOST cards matched: the newest of them were ranked


def search(
    conn: sqlite3.Connection, match: str, *, include_closed: bool, limit: int
) -> SearchResult:
    """Cards matching the FTS5 query `match` (built by `domain.search.fts_query`), best first.

    The snippets are asked for in the ranked query itself: SQLite works them out only for the
    rows the LIMIT keeps, and a second MATCH per hit would expand a prefix term again each time.
    """
    weights = ", ".join(str(weight) for weight in WEIGHTS)
    snippets = ", ".join(
        f"snippet(search_fts, {index}, char(2), char(3), '…', {SNIPPET_TOKENS})"
        for index in range(len(SEARCH_COLUMNS))
    )
    open_only = (
        "" if include_closed else " JOIN cards c ON c.id = f.rowid AND c.disposition = 'open'"
    )
    matching = f" FROM search_fts f{open_only} WHERE search_fts MATCH ?"
    oldest_ranked = conn.execute(
        f"SELECT f.rowid{matching} ORDER BY f.rowid DESC LIMIT 1 OFFSET ?",
        [match, RANKED_AT_MOST],
    ).fetchone()
    newest_only = "" if oldest_ranked is None else f" AND f.rowid > {int(oldest_ranked[0])}"
    ranked = conn.execute(
        f"SELECT f.rowid, bm25(search_fts, {weights}) AS score, {snippets}"
        f"{matching}{newest_only} ORDER BY score, f.rowid LIMIT ?",
        [match, limit],
    ).fetchall()
    if not ranked:
        return SearchResult([], narrowed=False)
    marks = ", ".join("?" for _ in ranked)
    cards: dict[int, tuple[str, str, str, str]] = {
        card_id: (title, disposition, stage, lane)
        for card_id, title, disposition, stage, lane in conn.execute(
            "SELECT c.id, c.title, c.disposition, s.name, l.name FROM cards c"
            " JOIN stages s ON s.id = c.stage_id JOIN lanes l ON l.id = c.lane_id"
            f" WHERE c.id IN ({marks})",
            [row[0] for row in ranked],
        )
    }
    hits = [
        SearchHit(card_id, *cards[card_id], score, _matches(texts))
        for card_id, score, *texts in ranked
        if card_id in cards
    ]
    return SearchResult(hits, narrowed=oldest_ranked is not None)


def _matches(snippets: list[str]) -> tuple:
    """Every indexed field holding a match, in weight order, with its snippet."""
    return tuple(
        (FIELD_NAMES[column], snippet_parts(text))
        for column, text in zip(SEARCH_COLUMNS, snippets, strict=True)
        if HIT_START in text
    )
