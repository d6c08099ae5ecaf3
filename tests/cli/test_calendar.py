"""A seller's follow-ups in their calendar: `export --format ics` and a calendar file the board
keeps up to date after every change. Every file is parsed back with icalendar."""

import json
import os
import stat
from datetime import date

import pytest
from icalendar import Calendar

from pkanban.domain.text import clean_text
from tests.reliability.corpus import ESCAPES, MARKDOWN, MARKUP

CARD_PROPERTIES = {"UID", "DTSTAMP", "SEQUENCE", "DUE", "SUMMARY", "DESCRIPTION", "STATUS"}


def add(shell, *args) -> int:
    result = shell("add", *args)
    assert result.exit_code == 0, result.output
    return int(result.output)


def board_id(shell) -> str:
    dump = json.loads(shell("export", "--format", "json").output)
    return dump["meta"]["board_id"]


def read_calendar(path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def todos(calendar: Calendar) -> dict[str, object]:
    return {str(todo["UID"]): todo for todo in calendar.walk("VTODO")}


def test_each_open_card_with_a_next_step_date_is_a_to_do_on_that_day(board_shell, tmp_path):
    acme = add(
        board_shell,
        "Acme Corp",
        "--value",
        "12000",
        "--next",
        "Call the CFO",
        "--due",
        "2026-12-01",
    )
    add(board_shell, "Globex", "--next", "Send deck")  # no date: not in the calendar
    initech = add(board_shell, "Initech", "--next", "Follow up", "--due", "2026-11-28")
    umbrella = add(board_shell, "Umbrella", "--next", "Sign", "--due", "2026-11-30")
    board_shell("won", str(umbrella))
    board_shell("move", str(acme), "Discovery")
    target = tmp_path / "follow-ups.ics"

    result = board_shell("export", "--format", "ics", "-o", str(target))

    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    calendar = read_calendar(target)
    board = board_id(board_shell)
    entries = todos(calendar)
    assert set(entries) == {f"card-{acme}@{board}", f"card-{initech}@{board}"}
    call = entries[f"card-{acme}@{board}"]
    assert call.decoded("DUE") == date(2026, 12, 1)
    assert str(call["SUMMARY"]) == "Call the CFO — Acme Corp"
    description = str(call["DESCRIPTION"])
    assert "Value: $12,000" in description
    assert "Stage: Discovery · New business" in description
    assert description.endswith(f"pkanban show {acme}")
    assert str(entries[f"card-{initech}@{board}"]["SUMMARY"]) == "Follow up — Initech"
    [review] = calendar.walk("VEVENT")
    assert str(review["UID"]) == f"yearly-review@{board}"
    assert review.decoded("DTSTART") == date(2027, 1, 15)  # the next review day (default 01-15)


def test_the_suffix_picks_the_calendar_format_and_the_same_card_keeps_its_uid(
    board_shell, tmp_path
):
    card = add(board_shell, "Acme Corp", "--next", "Follow up", "--due", "2026-12-01")
    first = tmp_path / "a.ics"
    assert board_shell("export", "-o", str(first)).exit_code == 0
    board_shell("touch", str(card), "--next", "Demo", "--due", "2026-12-03")
    second = tmp_path / "b.ics"
    assert board_shell("export", "-o", str(second)).exit_code == 0

    before, after = todos(read_calendar(first)), todos(read_calendar(second))

    assert set(before) == set(after)  # a calendar updates the entry instead of adding a copy
    [uid] = after
    assert after[uid].decoded("DUE") == date(2026, 12, 3)
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])


HOSTILE = [
    "\nEND:VTODO\nBEGIN:VEVENT\nSUMMARY:injected",
    "Acme\\nEND:VTODO\\nBEGIN:VEVENT",
    "semi; colon; DUE:20300101",
    "comma, separated, list",
    "back\\slash \\ and \\, \\;",
    "UID:card-1@evil",
    "é" * 300 + " long line that icalendar must fold " + "x" * 1500,
    *MARKUP,
    *(text for text in ESCAPES if clean_text(text).strip()),
    *MARKDOWN,
]


def test_no_title_or_next_step_can_add_a_property_or_an_event(board_shell, tmp_path):
    ids = {}
    for title in HOSTILE:
        step = f"{title[:40]};x,y\\z"
        ids[add(board_shell, "--next", step, "--due", "2026-12-02", "--", title)] = title
    target = tmp_path / "hostile.ics"

    assert board_shell("export", "-o", str(target)).exit_code == 0

    calendar = read_calendar(target)
    board = board_id(board_shell)
    entries = todos(calendar)
    assert len(calendar.walk("VTODO")) == len(HOSTILE)
    assert len(calendar.walk("VEVENT")) == 1
    for card, title in ids.items():
        entry = entries[f"card-{card}@{board}"]
        assert set(entry) == CARD_PROPERTIES
        step = clean_text(f"{title[:40]};x,y\\z").strip()
        assert str(entry["SUMMARY"]) == f"{step} — {clean_text(title).strip()}"
        assert entry.decoded("DUE") == date(2026, 12, 2)
    assert all(len(line) <= 75 for line in target.read_bytes().split(b"\r\n"))


def test_a_yearly_review_that_is_owed_shows_today(board_shell, tmp_path):
    board_shell("add", "Acme Corp", today=date(2025, 6, 1))  # the board began before 01-15
    target = tmp_path / "review.ics"

    board_shell("export", "-o", str(target))

    [review] = read_calendar(target).walk("VEVENT")
    assert review.decoded("DTSTART") == date(2026, 11, 25)
    assert str(review["SUMMARY"]) == "Yearly clearance review (owed since 2026-01-15)"


def due_of(path, card: int, board: str):
    entry = todos(read_calendar(path)).get(f"card-{card}@{board}")
    return None if entry is None else entry.decoded("DUE")


def test_the_calendar_file_follows_every_change_and_undo(board_shell, tmp_path):
    target = tmp_path / "pkanban.ics"
    result = board_shell("config", "set", "calendar_file", str(target))
    assert result.exit_code == 0, result.output
    assert read_calendar(target).walk("VTODO") == []  # written at once, empty
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    board = board_id(board_shell)

    card = add(board_shell, "Acme Corp", "--next", "Follow up", "--due", "2026-12-01")
    assert due_of(target, card, board) == date(2026, 12, 1)

    board_shell("touch", str(card), "--kind", "call", "--next", "Demo", "--due", "2026-12-04")
    assert due_of(target, card, board) == date(2026, 12, 4)

    board_shell("won", str(card))
    assert due_of(target, card, board) is None

    board_shell("undo")
    assert due_of(target, card, board) == date(2026, 12, 4)


def test_calendar_file_off_stops_the_updates_and_undo_turns_it_back_on(board_shell, tmp_path):
    target = tmp_path / "pkanban.ics"
    board_shell("config", "set", "calendar_file", str(target))
    board = board_id(board_shell)

    assert board_shell("config", "set", "calendar_file", "off").exit_code == 0
    card = add(board_shell, "Acme Corp", "--next", "Follow up", "--due", "2026-12-01")
    assert due_of(target, card, board) is None
    assert "calendar_file          off" in board_shell("config", "show").output

    board_shell("undo")  # undoes the add
    board_shell("undo")  # undoes "off": the file is kept again, and rewritten at once
    assert due_of(target, card, board) is None
    card = add(board_shell, "Initech", "--next", "Follow up", "--due", "2026-12-02")
    assert due_of(target, card, board) == date(2026, 12, 2)


def test_a_calendar_file_that_cannot_be_written_never_fails_the_action(board_shell, tmp_path):
    target = tmp_path / "pkanban.ics"
    board_shell("config", "set", "calendar_file", str(target))
    card = add(board_shell, "Acme Corp")
    target.unlink()
    (tmp_path / "secret.txt").write_text("mine")
    target.symlink_to(tmp_path / "secret.txt")

    result = board_shell("touch", str(card), "--next", "Follow up", "--due", "2026-12-01")

    assert result.exit_code == 0
    assert "touched" in result.stdout
    assert result.stderr.startswith("pkanban: The calendar file was not updated:")
    assert "symlink" in result.stderr
    assert (tmp_path / "secret.txt").read_text() == "mine"
    shown = json.loads(board_shell("show", str(card), "--json").output)
    assert shown["next_due"] == "2026-12-01"


@pytest.mark.parametrize("kind", ["symlink", "folder", "other file", "no folder", "board"])
def test_the_calendar_file_must_be_a_new_file_or_a_calendar(board_shell, tmp_path, kind):
    target = tmp_path / "cal.ics"
    if kind == "symlink":
        target.symlink_to(tmp_path / "elsewhere.ics")
    elif kind == "folder":
        target.mkdir()
    elif kind == "other file":
        target.write_text("my notes\n")
    elif kind == "no folder":
        target = tmp_path / "missing" / "cal.ics"
    else:
        target = board_shell.db_path

    result = board_shell("config", "set", "calendar_file", str(target))

    assert result.exit_code == 1
    assert result.stderr.startswith("pkanban: ")
    assert "calendar_file          off" in board_shell("config", "show").output
    if kind == "other file":
        assert target.read_text() == "my notes\n"


def test_the_calendar_path_stays_on_this_machine(board_shell, tmp_path):
    board_shell("config", "set", "calendar_file", str(tmp_path / "pkanban.ics"))
    add(board_shell, "Acme Corp", "--next", "Follow up", "--due", "2026-12-01")
    dump = tmp_path / "dump.json"
    board_shell("export", "-o", str(dump))
    assert "calendar" not in json.loads(dump.read_text())["meta"]

    copy = ["--db", str(tmp_path / "copy.db")]
    board_shell(*copy, "init")
    result = board_shell(*copy, "import", str(dump))

    assert result.exit_code == 0, result.output
    assert "calendar_file          off" in board_shell(*copy, "config", "show").output
