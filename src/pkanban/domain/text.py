"""Clean user text so it can never act as a terminal control sequence.

Stripped: C0 controls (keeping newline and tab only where multi-line text is allowed), DEL,
C1 controls (U+0080–U+009F) and the bidi override/isolate characters that can reorder what a
terminal shows. Characters that break or space a line (CR, VT, FF, NEL, LS, PS) become a space
in single-line text — `Acme\rCorp` reads `Acme Corp`, not `AcmeCorp` — and a line break in
multi-line text. Everything else — brackets, markup-looking text, emoji, CJK, RTL letters — is
kept exactly; escaping for markup, markdown or CSV happens where those formats are written.
"""

import re

from rich.cells import cell_len, split_graphemes

_BIDI = "\u202a-\u202e\u2066-\u2069"
_SINGLE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_MULTI_LINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
# Line and page breaks: a space on one line, a newline where text may span lines.
_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_BREAKS_IN_MULTILINE = re.compile("\r\n|[\r\x85\u2028\u2029]")
_PAGE_BREAKS = re.compile("[\x0b\x0c]")
_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Return `text` without escape sequences or control characters.

    Whole ANSI/OSC sequences are removed first so their printable tails (`[31m`) do not survive
    as garbage; then any stray control character goes. Single-line text turns newlines and tabs
    into spaces.
    """
    if text.isprintable():
        return text  # the common case: no control, format or bidi character at all
    text = _ESCAPE_SEQUENCE.sub("", text)
    if multiline:
        text = _PAGE_BREAKS.sub(" ", _BREAKS_IN_MULTILINE.sub("\n", text))
        return _MULTI_LINE.sub("", text)
    return _SINGLE_LINE.sub("", _BREAKS.sub(" ", text.replace("\t", " ")))


def cell_width(text: str) -> int:
    """Terminal columns `text` takes, measured as Textual lays it out (rich's grapheme-aware
    widths: a family emoji joined by ZWJ takes 2 columns, a zero-width space none)."""
    if text.isascii() and text.isprintable():
        return len(text)
    return cell_len(text)


def truncate(text: str, width: int) -> str:
    """Cut `text` to at most `width` terminal columns, ending in an ellipsis when cut; never
    splits a grapheme (an emoji sequence, a letter and its accents)."""
    if cell_width(text) <= width:
        return text
    if width <= 0:
        return ""
    spans, _ = split_graphemes(text)
    kept, used = 0, 1  # one column for the ellipsis
    for _start, end, size in spans:
        if used + size > width:
            break
        used, kept = used + size, end
    cut = text[:kept]
    while cut and cell_len(cut) >= width:  # rich measures some odd joiner runs wider
        cut = cut[:-1]
    return cut + "…"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """A count as a user reads it, with its noun in the right number and thousands separated:
    `1 card`, `1,589 cards`, `2 without a value` (a `plural` of None adds an s)."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
