"""The CLI contract: every command, its output, its refusals and exit codes."""

import json

import click
import pytest

from pkanban.cli.main import cli


def card_ids(shell, *args):
    return [c["id"] for c in json.loads(shell("ls", "--json", *args).output)]


def test_help_lists_every_command_with_a_line(shell):
    """Every command the CLI has (taken from the CLI, so none is missed; each one is run in
    tests/cli/test_every_command.py) is listed with its line."""
    result = shell("--help")
    commands = cli.list_commands(click.Context(cli))
    assert len(commands) >= 25
    for command in commands:
        assert f"  {command} " in result.output


def test_a_read_command_on_a_missing_board_creates_nothing(shell, db_path):
    result = shell("ls")
    assert result.exit_code == 1
    assert "pkanban init" in result.stderr
    assert not db_path.exists()


def test_add_prints_the_id_and_ls_json_has_the_documented_fields(board_shell):
    result = board_shell(
        "add",
        "Acme Corp",
        "--value",
        "12k",
        "--stage",
        "contacted",
        "--lane",
        "ACCOUNTS",
        "--contact",
        "Ana",
        "--phone",
        "+15550100",
        "--tag",
        "#hot",
        "--next",
        "Call CFO",
        "--due",
        "next tue",
    )
    assert result.exit_code == 0, result.stderr
    card_id = int(result.output)
    [card] = json.loads(board_shell("ls", "--json").output)
    expected_keys = {
        "id",
        "title",
        "lane",
        "stage",
        "value",
        "disposition",
        "created",
        "entered_stage",
        "last_touch",
        "touches",
        "next_step",
        "next_due",
        "age_days",
        "stage_age_days",
        "idle_days",
        "badge",
    }
    assert expected_keys <= card.keys()
    assert card["id"] == card_id
    assert (card["stage"], card["lane"], card["value"]) == ("Contacted", "Accounts", 12000)
    assert card["next_due"] == "2026-12-01"  # 2026-11-25 is a Wednesday
    assert card["badge"] == "fresh"


def test_ages_follow_the_today_option(board_shell):
    board_shell("add", "Acme", "--stage", "Discovery")
    later = board_shell("ls", "--json", today=__import__("datetime").date(2026, 12, 20))
    [card] = json.loads(later.output)
    assert (card["age_days"], card["badge"]) == (25, "stale")


def test_a_move_into_a_full_stage_is_refused_with_exit_1_and_changes_nothing(board_shell):
    for n in range(3):
        board_shell("add", f"Deal {n}", "--stage", "Negotiation")
    mover = board_shell("add", "Fourth", "--stage", "Proposal").output.strip()
    before = board_shell("ls", "--json").output
    result = board_shell("move", mover, "negotiation")
    assert result.exit_code == 1
    assert result.stderr.startswith("pkanban: Negotiation is full: 3/3")
    assert "Traceback" not in result.stderr
    assert board_shell("ls", "--json").output == before


def test_touch_won_lost_undo_and_log(board_shell):
    first = board_shell("add", "Acme").output.strip()
    second = board_shell("add", "Globex").output.strip()
    assert (
        board_shell(
            "touch", first, "--kind", "call", "--text", "hi", "--next", "Call", "--due", "+3d"
        ).exit_code
        == 0
    )
    assert board_shell("won", first, "--value", "$9,500").exit_code == 0
    assert board_shell("lost", second).exit_code == 2  # --reason is required
    assert board_shell("lost", second, "--reason", "No budget").exit_code == 0
    assert card_ids(board_shell) == []
    assert len(card_ids(board_shell, "--all")) == 2
    undone = board_shell("undo")
    assert "Marked #2 lost" in undone.output
    assert card_ids(board_shell) == [int(second)]
    log = board_shell("log").output
    assert "(undone)" in log and "Call on #1" in log
    history = json.loads(board_shell("show", first, "--json").output)
    assert history["disposition"] == "won" and history["value"] == 9500
    assert [t["kind"] for t in history["touch_log"]] == ["call"]


def test_stats_json_has_the_documented_shape(board_shell):
    board_shell("add", "Acme", "--stage", "Discovery")
    figures = json.loads(board_shell("stats", "--json").output)
    assert {"today", "best_by_days", "best_by_basis", "open", "won", "lost", "cleared", "wip"} <= (
        figures.keys()
    )
    assert figures["wip"]["Discovery"] == {"count": 1, "limit": 5, "over": 0}
    assert (figures["best_by_days"], figures["best_by_basis"]) == (75, "fallback")


def test_config_changes_limits_as_recorded_events(board_shell):
    assert board_shell("config", "stage", "discovery", "--wip", "6").exit_code == 0
    assert board_shell("config", "lane", "Expedite", "--wip", "none").exit_code == 0
    assert board_shell("config", "set", "touch_target", "5").exit_code == 0
    shown = json.loads(board_shell("config", "show", "--json").output)
    assert shown["settings"]["touch_target"] == 5
    assert {s["name"]: s["wip_limit"] for s in shown["stages"]}["Discovery"] == 6
    assert "limit changed" in board_shell("log").output
    bad = board_shell("config", "set", "touch_target", "zero")
    assert bad.exit_code == 1 and "touch_target" in bad.stderr


def test_config_adds_renames_and_reorders(board_shell):
    assert board_shell("config", "stage", "Qualified", "--add", "--wip", "6").exit_code == 0
    assert board_shell("config", "stage", "Qualified", "--position", "2").exit_code == 0
    assert board_shell("config", "lane", "Partners", "--add").exit_code == 0
    assert board_shell("config", "lane", "partners", "--rename", "Channel").exit_code == 0
    shown = json.loads(board_shell("config", "show", "--json").output)
    assert [s["name"] for s in shown["stages"]][:3] == ["Leads", "Qualified", "Contacted"]
    assert shown["lanes"][-1]["name"] == "Channel"


def test_config_turns_a_stage_into_a_pool_and_undo_turns_it_back(board_shell):
    assert board_shell("config", "stage", "Contacted", "--kind", "pool").exit_code == 0
    shown = json.loads(board_shell("config", "show", "--json").output)
    assert {s["name"]: s["kind"] for s in shown["stages"]}["Contacted"] == "pool"
    assert board_shell("undo").exit_code == 0
    shown = json.loads(board_shell("config", "show", "--json").output)
    assert {s["name"]: s["kind"] for s in shown["stages"]}["Contacted"] == "active"
    bad = board_shell("config", "stage", "Contacted", "--kind", "lake")
    assert bad.exit_code == 1 and "lake" in bad.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("move", "99", "Discovery"), "No card #99"),
        (("add", "Acme", "--stage", "Nowhere"), 'No stage "Nowhere"'),
        (("add", "Acme", "--due", "02/03/2027"), "ambiguous"),
        (("add", "Acme", "--due", "feb 30"), "feb 30"),
        (("add", "Acme", "--value", "lots"), "lots"),
        (("add", "   "), "cannot be empty"),
        (("touch", "1", "--kind", "fax"), "fax"),
    ],
)
def test_bad_input_gets_one_clear_line_and_changes_nothing(board_shell, args, message):
    board_shell("add", "Existing")
    before = board_shell("ls", "--json").output
    result = board_shell(*args)
    assert result.exit_code in (1, 2)
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert board_shell("ls", "--json").output == before


def test_a_bad_today_is_refused_in_one_line(shell):
    result = shell.runner.invoke(cli, ["--today", "yesterday-ish", "ls"])
    assert result.exit_code == 1
    assert "YYYY-MM-DD" in result.stderr


HOSTILE = [
    "[bold]x[/]",
    "[@click=app.quit]Acme",
    "Acme [/]",
    "\x1b]52;c;SGVsbG8=\x07Clipboard",
    "\x1b[2J\x1b[31mRed\x1b[0m",
    "x" * 1500,
    "Ünïcödé 株式会社 שלום 🎉",
    '=HYPERLINK("http://evil")',
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_titles_are_stored_and_printed_literally(board_shell, title):
    card_id = board_shell("add", title).output.strip()
    shown = json.loads(board_shell("show", card_id, "--json").output)["title"]
    printed = board_shell("ls").output + board_shell("show", card_id).output
    assert "\x1b" not in printed and "\x07" not in printed
    if "\x1b" not in title:
        assert shown == title
    else:
        assert "\x1b" not in shown and shown.endswith(("Clipboard", "Red"))


def test_backup_and_restore_round_trip(board_shell, tmp_path):
    board_shell("add", "Keep me")
    saved = tmp_path / "saved.db"
    assert board_shell("backup", str(saved)).exit_code == 0
    assert oct(saved.stat().st_mode & 0o777) == "0o600"
    board_shell("add", "Added after the backup")
    result = board_shell("restore", str(saved))
    assert result.exit_code == 0, result.stderr
    assert [c["title"] for c in json.loads(board_shell("ls", "--json").output)] == ["Keep me"]
    assert "before the restore is in" in result.output


def test_undo_right_after_a_restore_says_where_the_board_before_it_is(board_shell, tmp_path):
    board_shell("add", "Keep me")
    saved = tmp_path / "saved.db"
    board_shell("backup", str(saved))
    board_shell("add", "Added after the backup")
    restored = board_shell("restore", str(saved))
    safety = restored.output.split("before the restore is in ")[1].strip()

    undo = board_shell("undo")

    assert undo.exit_code == 1
    assert undo.stderr.startswith("pkanban: A restore is not undone by undo")
    assert f"the board before it is in {safety}" in undo.stderr
    board_shell("restore", safety)
    titles = [c["title"] for c in json.loads(board_shell("ls", "--json").output)]
    assert titles == ["Keep me", "Added after the backup"]


def test_a_backup_over_a_limit_is_restored_as_it_is_and_says_so(board_shell, tmp_path):
    for name in ("Acme", "Globex", "Initech"):
        board_shell("add", name, "--stage", "Negotiation")
    board_shell("config", "stage", "Negotiation", "--wip", "2")
    saved = tmp_path / "saved.db"
    board_shell("backup", str(saved))

    result = board_shell("restore", str(saved))

    assert result.exit_code == 0, result.stderr
    assert "Negotiation 3/2 · over by 1 — kept as it was" in result.output
    assert len(json.loads(board_shell("ls", "--stage", "Negotiation", "--json").output)) == 3


def test_restore_refuses_a_file_that_is_not_a_board(board_shell, tmp_path):
    board_shell("add", "Keep me")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    result = board_shell("restore", str(junk))
    assert result.exit_code == 1 and "not a pkanban board" in result.stderr
    assert [c["title"] for c in json.loads(board_shell("ls", "--json").output)] == ["Keep me"]


def test_demo_is_realistic_and_deterministic(shell, tmp_path):
    paths = [tmp_path / "a.db", tmp_path / "b.db"]
    outputs = [
        shell.runner.invoke(cli, ["--db", str(p), "--today", "2026-11-25", "demo"]) for p in paths
    ]
    assert all(o.exit_code == 0 for o in outputs)
    dumps = [
        shell.runner.invoke(
            cli, ["--db", str(p), "--today", "2026-11-25", "ls", "--all", "--json"]
        ).output
        for p in paths
    ]
    assert dumps[0] == dumps[1]
    cards = json.loads(dumps[0])
    open_cards = [c for c in cards if c["disposition"] == "open"]
    assert 35 <= len(open_cards) <= 45
    assert len(cards) - len(open_cards) >= 30
    assert {c["lane"] for c in open_cards} == {"Expedite", "New business", "Accounts"}
    assert {c["stage"] for c in open_cards} == {
        "Leads",
        "Contacted",
        "Discovery",
        "Proposal",
        "Negotiation",
    }
    assert {"stale", "expired"} <= {c["badge"] for c in open_cards}
    figures = json.loads(
        shell.runner.invoke(
            cli, ["--db", str(paths[0]), "--today", "2026-11-25", "stats", "--json"]
        ).output
    )
    assert figures["best_by_basis"] == "percentile"
    for name, entry in figures["wip"].items():
        assert entry["limit"] is None or entry["count"] <= entry["limit"], name


def test_demo_refuses_an_existing_file(board_shell):
    result = board_shell("demo")
    assert result.exit_code == 1 and "already exists" in result.stderr


def test_a_newer_or_foreign_file_is_refused_with_exit_1_and_left_untouched(shell, db_path):
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    result = shell("add", "Acme")
    assert result.exit_code == 1
    assert "newer pkanban" in result.stderr and "Traceback" not in result.stderr
    assert db_path.read_bytes() == before


def test_edit_block_and_snooze(board_shell):
    card_id = board_shell("add", "Acme").output.strip()
    assert (
        board_shell(
            "edit", card_id, "--title", "Acme Corp", "--value", "1.5m", "--tag", "a", "--tag", "b"
        ).exit_code
        == 0
    )
    assert board_shell("edit", card_id).exit_code == 1  # nothing to change
    assert board_shell("block", card_id, "Waiting for legal").exit_code == 0
    assert board_shell("snooze", card_id, "next mon", "--reason", "Back from leave").exit_code == 0
    card = json.loads(board_shell("show", card_id, "--json").output)
    assert (card["title"], card["value"], card["tags"]) == ("Acme Corp", 1_500_000, ["a", "b"])
    assert (card["blocked"], card["snoozed_until"]) == ("Waiting for legal", "2026-11-30")
    assert board_shell("block", card_id).exit_code == 0
    assert json.loads(board_shell("show", card_id, "--json").output)["blocked"] == ""
    refused = board_shell("snooze", card_id, "2026-11-01")
    assert refused.exit_code == 1 and "after today" in refused.stderr


def test_log_json_lists_actions_newest_first(board_shell):
    board_shell("add", "Acme")
    board_shell("add", "Globex")
    actions = json.loads(board_shell("log", "--json").output)
    assert [a["summary"] for a in actions] == ["Added Globex", "Added Acme"]
    assert board_shell("log", "42").exit_code == 1


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("add", "X", "--due", "feb 30"), 1),
        (("move", "abc", "Discovery"), 1),
        (("nosuch",), 2),
        (("export", "--format", "xml"), 1),
    ],
)
def test_usage_errors_are_one_line(board_shell, args, code):
    """A value typed wrong is exit 1 like any refusal; a command typed wrong is exit 2."""
    result = board_shell(*args)
    assert result.exit_code == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pkanban: ") and "--help" in lines[0]


def test_a_touch_with_a_next_step_due_in_the_past_is_refused_in_one_line(board_shell):
    board_shell("add", "Acme", "--stage", "Contacted")

    refused = board_shell("touch", "1", "--next", "Call back", "--due", "2020-01-01")

    assert refused.exit_code == 1
    assert refused.stderr == (
        "pkanban: The next step is due today or later, not 2020-01-01 (today is 2026-11-25)\n"
    )
    assert json.loads(board_shell("show", "1", "--json").output)["touches"] == 0


def test_marking_a_card_lost_before_the_touch_target_nudges_and_still_closes_it(board_shell):
    board_shell("add", "Acme", "--stage", "Contacted")
    board_shell("touch", "1")

    result = board_shell("lost", "1", "--reason", "No budget")

    assert result.exit_code == 0
    assert "Only 1 of 7 touches so far — most deals take 5–7 contacts" in result.output
    assert json.loads(board_shell("show", "1", "--json").output)["disposition"] == "lost"
