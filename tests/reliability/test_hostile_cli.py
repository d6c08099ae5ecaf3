"""Hostile text through every CLI entry point: no crash, stored as typed (control characters
stripped), printed literally."""

import json

import pytest

from pkanban.domain.text import clean_text
from tests.reliability.corpus import CORPUS, printable
from tests.reliability.tally import record

assert len(CORPUS) >= 50


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_hostile_text_in_every_card_field(board_shell, text):
    expected = clean_text(text).strip()
    # `--` ends the options, as in any shell command, so titles like `-2+3` are titles.
    result = board_shell(
        "add",
        "--contact",
        text,
        "--email",
        text,
        "--phone",
        text,
        "--source",
        text,
        "--tag",
        text,
        "--next",
        text,
        "--",
        text,
    )
    survived = "Traceback" not in result.stderr and result.exit_code in (0, 1)
    if not expected or len(expected) > 2000:
        # Empty after cleaning, or longer than a title may be: a clear refusal, nothing stored.
        survived = (
            survived
            and result.exit_code == 1
            and board_shell("ls", "--json").output.strip() == "[]"
        )
        record("hostile CLI input", survived)
        assert survived, result.stderr
        return
    card_id = result.output.strip()
    board_shell("touch", card_id, "--text", text, "--next", text)
    board_shell("block", card_id, "--", text)
    card = json.loads(board_shell("show", card_id, "--json").output)
    stored = [
        card["title"],
        card["contact"],
        card["email"],
        card["phone"],
        card["source"],
        card["next_step"],
        card["blocked"],
    ]
    shown = (
        board_shell("ls").output + board_shell("show", card_id).output + board_shell("log").output
    )
    survived = (
        survived
        and all(value == expected for value in stored)
        and printable(shown.replace("\n", ""))
    )
    record("hostile CLI input", survived)
    assert survived, (stored, expected)


@pytest.mark.parametrize("text", ["[bold]Stage[/]", "\x1b[31mRed", "Stage | x"])
def test_hostile_stage_and_lane_names(board_shell, text):
    result = board_shell("config", "stage", text, "--add")
    lane = board_shell("config", "lane", text, "--add")
    shown = board_shell("config", "show").output
    survived = result.exit_code == 0 and lane.exit_code == 0 and printable(shown.replace("\n", ""))
    record("hostile CLI input", survived)
    assert survived
