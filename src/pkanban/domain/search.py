"""Turning what a user types into a safe FTS5 query, and a snippet into highlighted parts.

FTS5 `MATCH` has its own syntax (`"`, `*`, `NEAR(`, `-`, `AND`, `title:` …); a raw query
raises `fts5: syntax error`. So every word is quoted as a string (`"` doubled) and the words
are ANDed; only the last one, while still being typed, is a prefix (`acm` finds Acme). Words
with no letter or digit match nothing in the index and are left out.
"""

import re

from pkanban.domain.errors import InvalidInput
from pkanban.domain.text import clean_text

MAX_QUERY = 500
MAX_WORDS = 32
# The markers FTS5's snippet() puts around a match: control characters, which clean text
# (every text we store went through `clean_text`) never holds.
HIT_START, HIT_END = "\x02", "\x03"
_WORD = re.compile(r"[^\W_]")


def fts_query(text: str) -> str | None:
    """The FTS5 query for `text`, or None when it holds no word to look for."""
    text = clean_text(text, multiline=True).strip()  # line breaks stay word breaks
    if len(text) > MAX_QUERY:
        raise InvalidInput(f"The search is {len(text):,} characters long; the most is {MAX_QUERY}")
    words = [word for word in text.split() if _WORD.search(word)][:MAX_WORDS]
    if not words:
        return None
    quoted = ['"' + word.replace('"', '""') + '"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def snippet_parts(snippet: str) -> tuple[tuple[str, bool], ...]:
    """`(text, is_match)` parts of an FTS5 snippet made with HIT_START/HIT_END, on one line."""
    parts: list[tuple[str, bool]] = []
    for index, piece in enumerate(re.split(f"[{HIT_START}{HIT_END}]", snippet)):
        piece = clean_text(piece)
        if piece:
            parts.append((piece, index % 2 == 1))
    return tuple(parts)
