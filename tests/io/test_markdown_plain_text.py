"""The markdown report reads cleanly as plain text: only what would start markdown syntax where
it stands is escaped, and markdown-it-py still sees exactly the text, wherever it stands."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pkanban.domain.text import clean_text
from pkanban.io.escape import md_text
from tests.reliability.corpus import CORPUS

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])

PLAIN = [
    "dead stock.",
    "best-by",
    "80 %",
    "Q3 review: budget (maybe) frozen, call back?",
    'snake_case and 10:30 and AT&T and it\'s "quoted"/slashed',
    "pays $12,000 up front",
    "ana@example.com, +1 555 0100",
    "order #5 from Müller & Söhne",
    "https://example.com/deal?id=3",
    "A + B - C = D! 50/50; 2x",
    "1999 was a good year",
]


@pytest.mark.parametrize("text", PLAIN)
def test_ordinary_punctuation_is_written_as_typed(text):
    assert md_text(text) == text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("# Acme | <b>", "\\# Acme \\| \\<b>"),
        ("- [ ] fake card", "\\- \\[ \\] fake card"),
        ("1. item", "1\\. item"),
        ("12) item", "12\\) item"),
        ("> quote", "\\> quote"),
        ("**bold** _it_ ~~gone~~", "\\*\\*bold\\*\\* \\_it\\_ \\~\\~gone\\~\\~"),
        ("`code`", "\\`code\\`"),
        ("&amp; &#60; AT&T", "\\&amp; \\&#60; AT&T"),
        ("c:\\path\\", "c:\\\\path\\\\"),
        # GitHub and Obsidian syntax markdown-it does not parse here
        (":smile: at 10:30", "\\:smile: at 10:30"),
        ("$x$ costs $5", "$x\\$ costs $5"),
        ("$$x$$", "$\\$x\\$\\$"),
        ("==mark== a=b", "\\=\\=mark\\=\\= a=b"),
        ("%%hidden%% 80 %", "\\%\\%hidden\\%\\% 80 %"),
        ("[[Note]] #tag ^block @{2026-01-01} @@{10:00}", None),
        ("Acme #", "Acme \\#"),
    ],
)
def test_only_what_would_start_syntax_is_escaped(text, escaped):
    result = md_text(text)
    if escaped is not None:
        assert result == escaped
    else:
        assert result == "\\[\\[Note\\]\\] \\#tag \\^block \\@\\{2026-01-01} \\@\\@\\{10:00}"


def rendered(inline) -> str:
    assert {child.type for child in inline.children} <= {"text"}, inline.children
    return "".join(child.content for child in inline.children)


def in_contexts(text: str) -> None:
    """`text` as a list item, inside strong, as a heading and as a table cell: each time one
    piece of plain text, exactly the cleaned text."""
    expected = clean_text(text).strip()
    escaped = md_text(text)

    tokens = PARSER.parse(f"- {escaped}\n- next\n")
    assert [t.type for t in tokens].count("list_item_open") == 2
    if expected:
        assert rendered(tokens[3]) == expected

    tokens = PARSER.parse(f"- **x{escaped}x** · after\n")
    inline = next(t for t in tokens if t.type == "inline")
    children = [child for child in inline.children if child.content or child.type != "text"]
    assert [child.type for child in children] == ["strong_open", "text", "strong_close", "text"]
    assert children[1].content == f"x{expected}x"

    tokens = PARSER.parse(f"## {escaped}\n")
    if expected:
        assert [t.type for t in tokens] == ["heading_open", "inline", "heading_close"]
        assert rendered(tokens[1]) == expected

    tokens = PARSER.parse(f"| a | b |\n| --- | --- |\n| {escaped} | x |\n")
    cells = [tokens[i + 1] for i, t in enumerate(tokens) if t.type == "td_open"]
    assert len(cells) == 2
    assert [rendered(cell) for cell in cells] == [expected, "x"]


@pytest.mark.parametrize("text", CORPUS[:-1] + PLAIN)  # all but the 100,000-character one
def test_hostile_and_plain_text_stays_text_wherever_it_stands(text):
    in_contexts(text)


MARKDOWN_CHARACTERS = "#>+-=_*`[]<>|~\\&;:$%^@{}!().0123 aZé\n"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=MARKDOWN_CHARACTERS, max_size=30))
def test_any_mix_of_markdown_characters_stays_text_wherever_it_stands(text):
    in_contexts(text)
