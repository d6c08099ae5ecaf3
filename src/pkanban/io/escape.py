"""Escaping user text for the documents we write, so that it reads the same and does nothing.

Markdown (`md_text`): control characters are stripped and line breaks become spaces (one line,
so no text can start a heading, list item, fence or front matter), then a backslash goes before
each character that would start markdown syntax where it stands — CommonMark, GitHub's
extensions (tables, strikethrough, `:emoji:`, `$math$`) and Obsidian's (`[[links]]`, `#tags`,
`==highlight==`, `%%comments%%`, `^blocks`, Kanban `@{dates}`) — and nowhere else, so the file
reads cleanly as plain text too: `dead stock.`, `best-by`, `80 %`, `snake_case`, `10:30` and
`AT&T` stay as typed, while `# Acme | <b>` is written `\\# Acme \\| \\<b>` and renders as typed.

Always escaped (they work anywhere in a line): `\\` `` ` `` `*` `[` `]` `<` `|` `~`. Escaped
where they would start something: at the start of the text `#` `>` `+` `-` `=` `_` and the `.`
or `)` after leading digits (block markers: the text may begin a line or a list item); `_` not
between two letters or digits (emphasis); `#` after a space unless a number follows (a tag, a
heading's closing `#`s); `$` after a non-space (a math closer: with every closer escaped, no
`$12,000` can open anything); `&` that would spell an entity; `:` that would open an emoji
shortcode; `==` and `%%`; `^` after a space; `@` before `{` or `@`, and that `{`. The escaped
text is checked token by token against markdown-it-py (tests/io/test_markdown_plain_text.py).

CSV (`csv_cell`): OWASP's rule against formula injection — a text cell starting with `=`, `+`,
`-`, `@`, tab or carriage return gets a leading `'`, which spreadsheets read as "this is text".
Numbers are written as numbers and never touched.
"""

import re

from pkanban.domain.text import clean_text

_MD_SYNTAX = re.compile(
    r"[\\`*\[\]<|~]"  # escapes, code, emphasis, links and images, HTML, cells, strikethrough
    r"|^[#>+\-=_]"  # block markers at the start of a line or a list item
    r"|(?<![^\W_])_|_(?![^\W_])"  # emphasis, unless between letters or digits
    r"|(?<!\S)#(?!\d+(?!\S))"  # tags, a heading's closing sequence
    r"|(?<=\S)\$"  # math closers
    r"|&(?=#?[A-Za-z0-9]+;)"  # entities
    r"|:(?=[A-Za-z0-9_+\-]+:)"  # emoji shortcodes
    r"|=(?==)|(?<==)="  # highlight
    r"|%(?=%)|(?<=%)%"  # comments
    r"|(?<!\S)\^"  # block ids
    r"|@(?=[{@])|(?<=@)\{"  # Kanban dates and times
)
_ORDERED_LIST = re.compile(r"^(\d+)([.)])")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def md_text(text: str) -> str:
    """`text` as inline markdown on one line that renders exactly as the cleaned text."""
    escaped = _MD_SYNTAX.sub(_backslash, clean_text(text).strip())
    return _ORDERED_LIST.sub(r"\1\\\2", escaped)


def _backslash(match: re.Match) -> str:
    return "\\" + match.group()


def csv_cell(value: object) -> object:
    """A cell for a spreadsheet: numbers as they are, text with formulas neutralised."""
    if value.__class__ is str and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_unescape(text: str) -> str:
    """Undo `csv_cell` on import: `'=…` (and `'+`, `'-`, `'@` …) lose the text marker."""
    if text.startswith("'") and text[1:2] and text[1] in "=+-@\t\r":
        return text[1:]
    return text
