"""A value the seller typed wrong is bad input like any other: one `pkanban: …` line naming the
option, exit 1, nothing written — for every value and date option of every command. (A command
typed wrong — unknown, missing an argument — stays click's usage error, exit 2.)"""

import sqlite3

import click
import pytest

from pkanban.cli.main import cli

TOO_FAR = "+100000d"
HUGE = "9" * 30

# Every option or argument that is not free text, with a value that cannot be read or is out
# of range. `test_every_typed_option_is_tried` keeps this list complete.
BAD_VALUES = [
    ("add", "--value", ["add", "Acme", "--value", "1000000m"]),
    ("add", "--value", ["add", "Acme", "--value", "lots"]),
    ("add", "--due", ["add", "Acme", "--due", "feb 30"]),
    ("add", "--close-by", ["add", "Acme", "--close-by", "someday"]),
    ("block", "CARD_ID", ["block", "abc"]),
    ("check", "CARD_ID", ["check", "#x", "budget", "yes"]),
    ("check", "ANSWER", ["check", "1", "budget", "perhaps"]),
    ("clearance", "--mode", ["clearance", "--mode", "monthly"]),
    ("clearance", "--rule", ["clearance", "--rule", "stale"]),
    ("clearance", "--action", ["clearance", "--action", "burn"]),
    ("clearance", "--follow-up", ["clearance", "--follow-up", "2/3"]),
    ("config lane", "--wip", ["config", "lane", "New business", "--wip", "many"]),
    ("config lane", "--position", ["config", "lane", "New business", "--position", "first"]),
    ("config stage", "--wip", ["config", "stage", "Discovery", "--wip", "lots"]),
    ("config stage", "--shelf", ["config", "stage", "Discovery", "--shelf", "1.5"]),
    ("config stage", "--prob", ["config", "stage", "Discovery", "--prob", "150%"]),
    ("config stage", "--position", ["config", "stage", "Discovery", "--position", HUGE + "x"]),
    ("config stage", "--kind", ["config", "stage", "Discovery", "--kind", "lake"]),
    ("edit", "CARD_ID", ["edit", "0", "--title", "X"]),
    ("edit", "--value", ["edit", "1", "--value", "-5k"]),
    ("edit", "--due", ["edit", "1", "--due", "13/13"]),
    ("edit", "--close-by", ["edit", "1", "--close-by", "never"]),
    ("export", "--format", ["export", "--format", "xml"]),
    ("export", "--since", ["export", "--since", "2026-13-01"]),
    ("export", "--until", ["export", "--until", "tomorrow"]),
    ("import", "--dates", ["import", "x.csv", "--dates", "sideways"]),
    ("log", "CARD_ID", ["log", "abc"]),
    ("log", "--limit", ["log", "--limit", "ten"]),
    ("lost", "CARD_ID", ["lost", "abc", "--reason", "Budget"]),
    ("ls", "--sort", ["ls", "--sort", "colour"]),
    ("move", "CARD_ID", ["move", "abc", "Discovery"]),
    ("note", "CARD_ID", ["note", "0", "Call went well"]),
    ("note", "--edit", ["note", "1", "Call went well", "--edit", "0"]),
    ("search", "--limit", ["search", "acme", "--limit", "0"]),
    ("show", "CARD_ID", ["show", "one"]),
    ("snooze", "CARD_ID", ["snooze", "x", "fri"]),
    ("snooze", "UNTIL", ["snooze", "1", "whenever"]),
    ("touch", "CARD_ID", ["touch", "?"]),
    ("touch", "--kind", ["touch", "1", "--kind", "fax"]),
    ("touch", "--due", ["touch", "1", "--next", "Call", "--due", "feb 31"]),
    ("why", "CARD_ID", ["why", "first"]),
    ("won", "CARD_ID", ["won", "abc"]),
    ("won", "--value", ["won", "1", "--value", HUGE]),
    ("stats", "--since", ["stats", "--since", "02/03/2026"]),
    ("(every command)", "--today", ["--today", "yesterday-ish", "ls"]),
]
TABLES = ("cards", "touches", "notes", "actions", "stages", "lanes", "board_meta")
NOT_TYPED = (click.types.StringParamType, click.types.BoolParamType, click.Path)


def dump(db_path) -> dict:
    conn = sqlite3.connect(db_path)
    rows = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}
    conn.close()
    return rows


def _typed_parameters(command: click.Command, path: str) -> set[tuple[str, str]]:
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        return {
            found
            for name in command.list_commands(ctx)
            for found in _typed_parameters(command.get_command(ctx, name), f"{path} {name}")
        }
    return {
        (path.strip(), param.opts[0] if isinstance(param, click.Option) else param.name.upper())
        for param in command.params
        if not isinstance(param.type, NOT_TYPED)
    }


def test_every_typed_option_is_tried():
    tried = {(command, option) for command, option, _ in BAD_VALUES}
    assert _typed_parameters(cli, "") - tried == set()


@pytest.mark.parametrize(
    "args", [args for _, _, args in BAD_VALUES], ids=[" ".join(a) for _, _, a in BAD_VALUES]
)
def test_a_value_typed_wrong_is_one_line_and_exit_1(board_shell, db_path, args):
    assert board_shell("add", "Acme Corp").exit_code == 0
    before = dump(db_path)

    result = board_shell(*args)

    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pkanban: "), result.stderr
    assert "Traceback" not in result.output and "Usage:" not in result.output
    assert dump(db_path) == before


def test_an_absurd_value_is_refused_with_its_range(board_shell):
    result = board_shell("add", "Acme", "--value", "1000000m")

    assert result.exit_code == 1
    assert "999,999,999,999" in result.stderr and "--value" in result.stderr


def test_a_command_typed_wrong_is_still_a_usage_error(board_shell):
    assert board_shell("lost", "1").exit_code == 2  # --reason is missing
    assert board_shell("nosuch").exit_code == 2
