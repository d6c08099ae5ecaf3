"""Exports: the markdown report, the Obsidian board and CSV keep their structure whatever the
user typed; files are private; the JSON dump restores the board exactly."""

import csv
import io
import json
import os
import stat
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pkanban.domain.text import clean_text
from pkanban.io.escape import md_text

HOSTILE = [
    "# heading",
    "## Stage (3)",
    "| cell | cell |",
    "[x](javascript:alert(1))",
    "![img](http://x)",
    "<script>alert(1)</script>",
    "```",
    "- item",
    "1. item",
    "1) item",
    "**bold** _it_ ~~gone~~",
    "line one\nline two\n# heading two",
    "---",
    "> quote",
    "    indented code",
    "http://evil.test www.evil.test a@b.test",
    ":smile: $x$ ==mark== %%hidden%% [[Note]] #tag ^block @{2026-01-01}",
    "&amp; &lt;b&gt; \\",
    "- [ ] fake card",
    '=HYPERLINK("http://x")',
]
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
SAFE_INLINE = {"text", "strong_open", "strong_close", "softbreak"}


def expected_text(title: str) -> str:
    return clean_text(title).strip()


def board_with_hostile_cards(shell):
    ids = []
    for n, title in enumerate(HOSTILE):
        stage = "Discovery" if n < 5 else "Contacted" if n < 12 else "Leads"
        result = shell(
            "add",
            "--stage",
            stage,
            "--value",
            "5k",
            "--next",
            title,
            "--due",
            "+3d",
            "--contact",
            title,
            "--",
            title,
        )
        assert result.exit_code == 0, result.output
        ids.append(int(result.output))
    return ids


def items_and_headings(text: str):
    tokens = PARSER.parse(text)
    headings = [
        "".join(child.content for child in tokens[i + 1].children)
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
    ]
    items = []
    for i, token in enumerate(tokens):
        if token.type == "list_item_open":
            inline = next(t for t in tokens[i:] if t.type == "inline")
            items.append(inline)
    return tokens, headings, items


def test_hostile_titles_stay_plain_text_in_their_own_list_item_of_the_report(board_shell):
    board_with_hostile_cards(board_shell)
    board_shell("config", "stage", "Discovery", "--rename", "Disc | <b>ov</b> # ery")

    report = board_shell("export", "--format", "md").output

    tokens, headings, items = items_and_headings(report)
    assert {t.type for t in tokens} <= {
        "heading_open",
        "heading_close",
        "inline",
        "paragraph_open",
        "paragraph_close",
        "bullet_list_open",
        "bullet_list_close",
        "list_item_open",
        "list_item_close",
        "table_open",
        "table_close",
        "thead_open",
        "thead_close",
        "tbody_open",
        "tbody_close",
        "tr_open",
        "tr_close",
        "th_open",
        "th_close",
        "td_open",
        "td_close",
    }
    assert headings == [
        "Pipeline — Wed 2026-11-25",
        "WIP",
        "New business",
        "Leads · 8",
        "Contacted · 7",
        "Disc | <b>ov</b> # ery · 5",
        "Past best-by / stale · 0",
        "Totals",
    ]
    card_items = [item for item in items if any(c.type == "strong_open" for c in item.children)]
    assert len(card_items) == len(HOSTILE)
    titles = []
    for item in card_items:
        assert {child.type for child in item.children} <= SAFE_INLINE
        strong = item.children.index(next(c for c in item.children if c.type == "strong_open"))
        titles.append(item.children[strong + 1].content)
        assert item.children[strong + 2].type == "strong_close"
    assert sorted(titles) == sorted(expected_text(title) for title in HOSTILE)
    widths, row = [], 0
    for token in tokens:
        if token.type == "table_open":
            widths.append(set())
        elif token.type in ("td_open", "th_open"):
            row += 1
        elif token.type == "tr_close":
            widths[-1].add(row)
            row = 0
    assert widths == [{4}, {4}, {3}]  # a "|" in a name adds no cell


def test_the_report_says_the_day_best_by_wip_totals_and_stale_cards(board_shell):
    board_shell("add", "Old lead", "--value", "10k", today=date(2026, 1, 1))
    board_shell(
        "add", "Fresh", "--value", "12k", "--stage", "Discovery", "--next", "Demo", "--due", "+2d"
    )

    report = board_shell("export").output

    assert "**Best-by: 75 days.** 75 days (fallback: no wins so far, best-by needs 10)." in report
    assert "| Discovery | 1 | 5 |  |" in report
    assert "- **Fresh** · $12,000 · 0d · 0/7 touches · next: Demo, due 2026-11-27" in report
    assert "- **Old lead** — Leads · New business — ✖ 328d/75d (past best-by)" in report
    assert "| Open | 2 | $22,000 |" in report
    assert "| Open, weighted by win probability |  | $3,000 |" in report  # 12k × 25 %


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_in_a_list_item_is_exactly_one_list_item_with_that_text(text):
    tokens = PARSER.parse(f"- {md_text(text)}\n- next\n")

    items = [i for i, t in enumerate(tokens) if t.type == "list_item_open"]
    assert len(items) == 2
    if not expected_text(text):
        return  # an empty item: nothing to compare
    inline = tokens[items[0] + 2]
    assert [child.type for child in inline.children] in ([], ["text"])
    assert "".join(child.content for child in inline.children) == expected_text(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_string_in_a_table_cell_stays_in_that_cell(text):
    tokens = PARSER.parse(f"| a | b |\n| --- | --- |\n| {md_text(text)} | x |\n")

    cells = [tokens[i + 1] for i, t in enumerate(tokens) if t.type == "td_open"]
    assert [[child.type for child in cell.children] for cell in cells] == [["text"], ["text"]]
    assert [cell.children[0].content for cell in cells] == [expected_text(text), "x"]


def test_the_obsidian_board_follows_the_plugin_format(board_shell):
    ids = board_with_hostile_cards(board_shell)
    board_shell("won", str(ids[0]))
    board_shell("lost", str(ids[1]), "--reason", "x\n- [ ] not a card")

    text = board_shell("export", "--format", "obsidian").output

    assert text.startswith("---\n\nkanban-plugin: board\n\n---\n\n## Leads\n\n- [ ] ")
    assert text.endswith(
        '\n\n%% kanban:settings\n```\n{"kanban-plugin":"board","list-collapse":[false,false,false,false,false]}\n```\n%%\n'
    )
    lines = text.splitlines()
    headings = [line for line in lines if line.startswith("#")]
    assert headings == [
        "## Leads",
        "## Contacted (8)",
        "## Discovery (5)",
        "## Proposal (4)",
        "## Negotiation (3)",
        "## Archive",
    ]
    assert sum(line.startswith("- [ ] ") for line in lines) == len(HOSTILE) - 2
    assert sum(line.startswith("- [x] ") for line in lines) == 2
    assert "\n\n\n\n## Contacted (8)\n" in text  # a list ends with three empty lines
    assert "\n***\n\n## Archive\n\n- [x] " in text
    assert all(line.count("@{") <= 1 for line in lines if line.startswith("- ["))
    _, _, items = items_and_headings(text)
    card_texts = [item.content for item in items]
    assert len(card_texts) == len(HOSTILE)
    for item in items:
        assert {child.type for child in item.children} <= SAFE_INLINE


def test_lanes_become_tags_and_due_dates_use_the_plugin_syntax(board_shell):
    board_shell(
        "add",
        "Acme",
        "--stage",
        "Contacted",
        "--lane",
        "Accounts",
        "--value",
        "12k",
        "--next",
        "Call CFO",
        "--due",
        "2026-12-01",
        "--tag",
        "Hot Lead!",
    )

    text = board_shell("export", "--format", "obsidian").output

    assert "- [ ] Acme · $12k · 0d · next: Call CFO @{2026-12-01} #accounts #hot-lead\n" in text


def test_csv_neutralises_formulas_keeps_numbers_and_reads_back(board_shell, tmp_path):
    nasty = ["=1+1", "+1 555 0100", "-2", "@SUM(A1)", "Plain"]
    for title in nasty:
        board_shell(
            "add",
            "--value",
            "1500",
            "--phone",
            "+1 555 0100",
            "--contact",
            "=cmd|' /C calc'!A0",
            "--",
            title,
        )

    text = board_shell("export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))

    assert [row["title"] for row in rows] == ["'=1+1", "'+1 555 0100", "'-2", "'@SUM(A1)", "Plain"]
    assert {row["phone"] for row in rows} == {"'+1 555 0100"}
    assert {row["contact"] for row in rows} == {"'=cmd|' /C calc'!A0"}
    assert {row["value"] for row in rows} == {"1500"}
    assert ",1500," in text.splitlines()[1]  # a number, not a quoted string
    path = tmp_path / "board.csv"
    path.write_text(text, encoding="utf-8")
    board_shell("--db", str(tmp_path / "other.db"), "init")
    copy = board_shell("--db", str(tmp_path / "other.db"), "import", str(path))
    assert copy.exit_code == 0, copy.output
    back = json.loads(board_shell("--db", str(tmp_path / "other.db"), "ls", "--json").output)
    assert sorted(card["title"] for card in back) == sorted(nasty)
    assert {card["phone"] for card in back} == {"+1 555 0100"}


def test_an_export_file_is_private_and_never_replaces_a_database(board_shell, db_path, tmp_path):
    board_shell("add", "Acme", "--email", "ana@acme.test")
    target = tmp_path / "report.md"
    target.write_text("old report")
    os.chmod(target, 0o644)

    written = board_shell("export", "-o", str(target), "--force")
    on_board = board_shell("export", "-o", str(db_path))
    other_db = tmp_path / "other.db"
    board_shell("--db", str(other_db), "init")
    on_other = board_shell("export", "-o", str(other_db), "--format", "md")

    assert written.exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text().startswith("# Pipeline")
    assert on_board.exit_code == 1 and "is the board itself" in on_board.stderr
    assert on_other.exit_code == 1 and "is a database" in on_other.stderr
    assert not list(tmp_path.glob(".*.tmp"))


def test_the_output_suffix_picks_the_format(board_shell, tmp_path):
    board_shell("add", "Acme")

    board_shell("export", "-o", str(tmp_path / "b.json"))
    board_shell("export", "-o", str(tmp_path / "b.csv"))

    assert json.loads((tmp_path / "b.json").read_text())["format"] == "pkanban-dump"
    assert (tmp_path / "b.csv").read_text(encoding="utf-8-sig").startswith("id,title,")
