"""Notes in the markdown report: under their card, one item each, shown exactly as typed."""

from tests.io.test_export import HOSTILE, PARSER, SAFE_INLINE, expected_text


def test_hostile_notes_are_plain_items_under_their_card_in_the_report(board_shell):
    card = int(board_shell("add", "Acme Corp").output)
    for text in HOSTILE:
        assert board_shell("note", str(card), "--", text).exit_code == 0
    board_shell("add", "Globex")

    report = board_shell("export", "--format", "md").output

    tokens = PARSER.parse(report)
    nested = [
        tokens[i + 2]  # list_item_open, paragraph_open, inline
        for i, token in enumerate(tokens)
        if token.type == "list_item_open" and token.level >= 2
    ]
    assert len(nested) == len(HOSTILE)
    for inline, text in zip(nested, HOSTILE, strict=True):
        assert inline.type == "inline"
        assert {child.type for child in inline.children} <= SAFE_INLINE
        shown = "".join(child.content for child in inline.children)
        assert shown == "note 2026-11-25: " + expected_text(text)
