"""A quarter's 1:1: `export --since/--until` reports what happened in a period."""

import csv
import io
from datetime import date

import pytest
from markdown_it import MarkdownIt


def at(shell, day: str, *args):
    result = shell(*args, today=date.fromisoformat(day))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def quarter(board_shell):
    """Before, during and after Q4's first two months, with an undone move in between."""
    at(board_shell, "2026-09-02", "add", "Old Co", "--value", "5k")  # 1
    at(board_shell, "2026-10-03", "add", "Acme Corp", "--value", "12000")  # 2
    at(board_shell, "2026-10-05", "move", "2", "Contacted")
    at(board_shell, "2026-11-01", "move", "1", "Contacted")
    at(board_shell, "2026-11-02", "move", "1", "Discovery")
    at(board_shell, "2026-11-02", "undo")
    at(board_shell, "2026-11-20", "won", "1")
    at(board_shell, "2026-11-21", "add", "Lost Ltd")  # 3
    at(board_shell, "2026-11-22", "lost", "3", "--reason", "no budget")
    at(board_shell, "2026-08-01", "add", "Quiet Inc")  # 4: nothing happens in the period
    at(board_shell, "2026-12-10", "add", "Later Co")  # 5: after the period
    return board_shell


def section(text: str, heading: str) -> str:
    return text.split(heading, 1)[1].split("\n## ", 1)[0]


def test_the_markdown_report_of_a_period_says_what_happened_in_it(quarter):
    text = at(
        quarter, "2026-12-21", "export", "--since", "2026-10-01", "--until", "2026-11-30"
    ).output

    period = section(text, "## In the period: 2026-10-01 to 2026-11-30")
    assert "| Created | 2 | |" in period
    assert "| Moved between stages | 2 | |" in period  # the undone move is not one
    assert "| Won | 1 | $5,000 |" in period
    assert "- 2026-11-20 **Old Co** · $5,000" in period
    assert "- 2026-11-22 **Lost Ltd** · no budget" in period
    assert "- 2026-10-05 **Acme Corp**: Leads → Contacted" in period
    assert "- 2026-11-01 **Old Co**: Leads → Contacted" in period
    assert "Discovery" not in period
    listed = text.split("## WIP", 1)[1].split("## Past best-by", 1)[0]
    assert "**Acme Corp**" in listed
    assert "Quiet Inc" not in listed and "Later Co" not in listed
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    headings = [
        "".join(child.content for child in tokens[i + 1].children)
        for i, token in enumerate(tokens)
        if token.type == "heading_open"
    ]
    assert "In the period: 2026-10-01 to 2026-11-30" in headings


def test_the_csv_of_a_period_has_only_its_cards(quarter):
    result = at(
        quarter,
        "2026-12-21",
        "export",
        "--format",
        "csv",
        "--since",
        "2026-10-01",
        "--until",
        "2026-11-30",
    )

    rows = list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))
    assert sorted(row["title"] for row in rows) == ["Acme Corp", "Lost Ltd", "Old Co"]


def test_since_alone_runs_to_today_and_until_alone_from_the_start(quarter):
    since = at(quarter, "2026-12-21", "export", "--format", "csv", "--since", "2026-12-01").output
    assert [row["title"] for row in csv.DictReader(io.StringIO(since.lstrip("\ufeff")))] == [
        "Later Co"
    ]
    until = at(quarter, "2026-12-21", "export", "--until", "2026-09-30").output
    assert "In the period: the start to 2026-09-30" in until
    assert "| Created | 2 | |" in until  # Old Co and Quiet Inc


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-12-01", "--until", "2026-11-01"], "The period starts after it ends"),
        (["--format", "json", "--since", "2026-10-01"], "apply to the md and csv exports"),
        (["--format", "ics", "--until", "2026-10-01"], "apply to the md and csv exports"),
        (["--since", "next tuesday"], "--since"),
        (["--since", "2026-02-30"], "--since"),
    ],
)
def test_a_bad_period_is_refused_with_a_sentence(quarter, args, message):
    result = quarter("export", *args)

    assert result.exit_code in (1, 2)
    assert result.stderr.startswith("pkanban: ")
    assert message in result.stderr
