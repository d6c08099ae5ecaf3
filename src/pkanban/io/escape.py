"""Escaping user text for the documents we write, so that it reads the same and does nothing.

Markdown (`md_text`): control characters are stripped and line breaks become spaces (one line,
so no text can start a heading, list item, fence or front matter), then every ASCII punctuation
character that can take part in markdown syntax — CommonMark, GitHub's extensions (tables,
autolinks, emoji `:x:`, math `$`) and Obsidian's (`[[links]]`, `#tags`, `==highlight==`,
`%%comments%%`, `^blocks`, Kanban `@{dates}`) — is escaped with a backslash. CommonMark renders
a backslash-escaped punctuation character as itself, so nothing is stripped: `# Acme | <b>`
shows as `# Acme | <b>`. Only `, ; ? " ' /`, which start nothing, are left as they are.

CSV (`csv_cell`): OWASP's rule against formula injection — a text cell starting with `=`, `+`,
`-`, `@`, tab or carriage return gets a leading `'`, which spreadsheets read as "this is text".
Numbers are written as numbers and never touched.
"""

import string

from pkanban.domain.text import clean_text

_INERT = set(",;?\"'/")
_MD_ESCAPES = str.maketrans(
    {char: "\\" + char for char in string.punctuation if char not in _INERT}
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def md_text(text: str) -> str:
    """`text` as inline markdown on one line that renders exactly as the cleaned text."""
    return clean_text(text).strip().translate(_MD_ESCAPES)


def md_escape(text: str) -> str:
    """Escape markdown punctuation in one line of our own making (no control characters)."""
    return text.translate(_MD_ESCAPES)


def csv_cell(value):
    """A cell for a spreadsheet: numbers as they are, text with formulas neutralised."""
    if value.__class__ is str and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_unescape(text: str) -> str:
    """Undo `csv_cell` on import: `'=…` (and `'+`, `'-`, `'@` …) lose the text marker."""
    if text.startswith("'") and text[1:2] and text[1] in "=+-@\t\r":
        return text[1:]
    return text
