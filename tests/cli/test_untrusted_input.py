"""Numbers, settings and messages from untrusted hands (issue 14, items 5, 6 and 8): every
setting has a range that keeps date arithmetic inside Python's dates, ids past SQLite's integers
are simply "no such card", and no message lets quoted text drive the terminal."""

import json
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pkanban.cli.main import cli

# What a terminal may act on: C0 controls but tab and newline, DEL, C1 and the bidi overrides.
TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
OSC_52 = "\x1b]52;c;ZXZpbA==\x07"
OSC_0 = "\x1b]0;pwned\x07"


def settings_json(shell) -> dict:
    return json.loads(shell("config", "show", "--json").output)["settings"]


@pytest.mark.parametrize("name", ["best_by_fallback_days", "idle_days"])
def test_a_threshold_past_ten_years_is_refused_and_every_report_still_works(shell, name):
    shell("init")
    before = settings_json(shell)

    refused = shell("config", "set", name, "1000000")

    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"pkanban: {name}:")
    assert "3650" in refused.stderr
    assert settings_json(shell) == before
    assert shell("config", "set", name, "3650").exit_code == 0
    shell("add", "Acme Corp", "--value", "12k", "--stage", "contacted")
    for command in (["stats"], ["clearance", "--dry-run"], ["export", "--format", "md"], ["ls"]):
        result = shell(*command)
        assert result.exit_code == 0, (command, result.output)
        assert "unexpected error" not in result.output


def test_today_must_leave_room_for_every_threshold(shell):
    shell("init")

    refused = shell("stats", today=date(9999, 12, 31))

    assert refused.exit_code == 1
    assert "1900–9000" in refused.stderr
    assert shell("stats", today=date(9000, 12, 31)).exit_code == 0


@pytest.mark.parametrize(
    "command",
    [
        ["show"],
        ["move", "{}", "discovery"],
        ["edit", "{}", "--title", "x"],
        ["touch", "{}"],
        ["won", "{}"],
        ["lost", "{}", "--reason", "x"],
        ["block", "{}", "x"],
        ["why"],
    ],
)
@pytest.mark.parametrize(
    "number", ["9223372036854775808", "9" * 5000], ids=["2**63", "5000-digits"]
)
def test_a_card_number_past_sqlite_integers_is_no_such_card(shell, command, number):
    shell("init")
    args = [part.replace("{}", number) for part in command]
    if "{}" not in command:
        args.append(number)

    result = shell(*args)

    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("pkanban: No card #")
    assert "unexpected" not in result.stderr
    assert len(result.stderr) < 200


def test_a_huge_limit_is_a_clear_refusal(shell):
    shell("init")

    for flag, value in (
        ("--wip", "99999999999999999999"),
        ("--wip", "100001"),
        ("--shelf", "5000"),
    ):
        result = shell("config", "stage", "contacted", flag, value)
        assert result.exit_code in (1, 2), result.output
        assert "unexpected" not in result.stderr
        assert result.stderr.startswith("pkanban: ")


@pytest.mark.parametrize("breaker", ["\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\r\n"])
def test_line_and_page_breaks_in_a_title_become_a_space(shell, breaker):
    shell("init")

    shell("add", f"Acme{breaker}Corp")

    titles = [card["title"] for card in json.loads(shell("ls", "--json").output)]
    assert titles == ["Acme Corp"]


def test_an_escape_sequence_in_a_setting_is_refused_and_never_reaches_the_board(shell):
    shell("init")

    refused = shell("config", "set", "currency", "\x1b[31m€")

    assert refused.exit_code == 1
    assert refused.stderr == "pkanban: currency: control characters are not allowed\n"
    assert settings_json(shell)["currency"] == "$"
    assert shell("config", "set", "currency", "€").exit_code == 0
    log = shell("log").output
    assert "\x1b" not in log and "Set currency to €" in log


@pytest.mark.parametrize(
    ("criteria", "says"),
    [
        (",".join(f"Criterion {n}" for n in range(10)), "at most 9 criteria"),
        ("Budget," + "x" * 81, "at most 80 characters"),
        ("Budget,budget", "named twice"),
    ],
)
def test_the_checklist_holds_what_the_keys_can_answer(shell, criteria, says):
    shell("init")

    refused = shell("config", "set", "checklist", criteria)

    assert refused.exit_code == 1 and says in refused.stderr


def test_an_action_summary_quoting_a_file_name_is_clean_and_the_dump_imports(shell, tmp_path):
    shell("init")
    leads = tmp_path / "le\u009b31mads\x1b]0;x\x07.csv"
    leads.write_text("Company,Value\nAcme,100\n")
    assert shell("import", str(leads)).exit_code == 0
    dump = tmp_path / "dump.json"
    dump.write_text(shell("export", "--format", "json").output)
    fresh = tmp_path / "fresh.db"
    shell.runner.invoke(cli, ["--db", str(fresh), "init"])

    restored = shell.runner.invoke(cli, ["--db", str(fresh), "import", str(dump)])

    assert restored.exit_code == 0, restored.output
    assert not TERMINAL_CONTROLS.search(shell("log", "--json").output)


@pytest.mark.parametrize(
    "command",
    [
        ["config", "set", f"best{OSC_0}", "1"],
        ["config", "set", "currency", OSC_52 * 3],
        ["move", "1", f"disc{OSC_52}"],
        ["ls", "--lane", f"new{OSC_0}"],
        ["add", "x", "--stage", OSC_52],
        ["add", "x", "--due", f"fri{OSC_0}"],
        ["config", "stage", f"{OSC_52}x", "--wip", "3"],
    ],
)
def test_no_message_passes_an_escape_sequence_to_the_terminal(shell, command):
    shell("init")
    shell("add", "Acme Corp")

    result = shell(*command)

    assert not TERMINAL_CONTROLS.search(result.stderr), repr(result.stderr)
    assert not TERMINAL_CONTROLS.search(result.stdout), repr(result.stdout)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40))
def test_whatever_a_stage_name_holds_the_refusal_is_terminal_safe(tmp_path_factory, text):
    from click.testing import CliRunner

    from pkanban.cli.main import cli

    db = tmp_path_factory.mktemp("board") / "board.db"
    runner = CliRunner()
    runner.invoke(cli, ["--db", str(db), "init"])
    runner.invoke(cli, ["--db", str(db), "add", "Acme"])

    result = runner.invoke(cli, ["--db", str(db), "move", "1", text])

    assert not TERMINAL_CONTROLS.search(result.stderr + result.stdout)
    assert "Traceback" not in result.output


def test_json_output_writes_terminal_controls_as_escapes(shell, store, today):
    """Text stored before cleaning existed (or by another tool) still leaves as `\\uXXXX`."""
    shell("init")
    shell("add", "Acme")
    store.conn.execute("UPDATE cards SET title = ? WHERE id = 1", ["Acme\x9b31m\u202eevil"])

    output = shell("ls", "--json").output

    assert not TERMINAL_CONTROLS.search(output)
    assert json.loads(output)[0]["title"] == "Acme\x9b31m\u202eevil"


async def test_a_notification_shows_quoted_text_cleaned_and_literal(store, today):
    from pkanban.tui.app import PkanbanApp

    app = PkanbanApp(store, today)
    async with app.run_test() as pilot:
        app.notify(f"Moved [bold]Acme[/] {OSC_0}{OSC_52}", markup=True)
        await pilot.pause()
        shown = [notification.message for notification in app._notifications]
        assert shown[-1] == "Moved [bold]Acme[/] "
        assert not any(n.markup for n in app._notifications)
