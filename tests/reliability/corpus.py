"""Nasty strings every entry point must survive: stored as typed (minus control characters),
shown literally, never interpreted as markup, escapes, markdown or formulas."""

MARKUP = [
    "[bold]x[/]",
    "[/]",
    "Acme [/]",
    "[@click=app.quit]Quit me",
    "[link=https://evil.example]click[/link]",
    "[red on blue]colour[/]",
    "[b][i]nested",
    "[[double]]",
    "[10%] discount",
    "\\[escaped\\]",
    "[/bold] closing first",
    "$variable and {braces} and %s",
]
ESCAPES = [
    "\x1b[31mred\x1b[0m",
    "\x1b[2J\x1b[Hcleared",
    "\x1b]0;new window title\x07",
    "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "\x1b]52;c;SGVsbG8=\x07clipboard",
    "bell\x07bell",
    "nul\x00byte",
    "back\x08space",
    "\x9b31mC1 CSI",
    "del\x7fete",
    "carriage\rreturn",
    "tab\there",
    "line\nbreak",
    "\x1bPdevice control\x1b\\",
]
MARKDOWN = [
    "# Heading",
    "## Sub",
    "| a | b |",
    "[x](javascript:alert(1))",
    "![img](http://evil.example/x.png)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "---",
    "***",
    "```python",
    "- item",
    "1. item",
    "> quote",
    "**bold** _it_ `code`",
    "&amp; &lt;",
    "<!-- comment -->",
    "[[wikilink]]",
    "%% obsidian comment %%",
]
CSV = ["=1+2", "+SUM(A1)", "-2+3", "@cmd", '=HYPERLINK("http://evil","x")', '"quoted","csv"']
UNICODE = [
    "Ünïcödé café",
    "株式会社テスト",
    "שלום עולם",
    "مرحبا",
    "👩‍👩‍👧‍👦 family",
    "🏳️‍🌈 flag",
    "e\u0301\u0301\u0301 combining",
    "\u202eevil override\u202c",
    "\u2066isolate\u2069",
    "zero\u200bwidth",
    "\ufeffbom",
]
NUMBERS_AND_DATES = ["99999999999999999999999999", "-1", "1e309", "NaN", "2026-02-30", "0000-00-00"]
LONG = ["x" * 1999, "y" * 100_000]

CORPUS = MARKUP + ESCAPES + MARKDOWN + CSV + UNICODE + NUMBERS_AND_DATES + LONG
CONTROL = {chr(c) for c in range(32)} | {chr(127)} | {chr(c) for c in range(0x80, 0xA0)}
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str) -> bool:
    """True when `text` holds no character a terminal would act on."""
    return not (set(text) & (CONTROL | BIDI))
