"""Every command the CLI has, taken from the CLI itself (so a new command cannot be missed): its
help works, a seller's smallest real use of it succeeds, and one bad input is one line on stderr
with exit 1 (a value refused) or 2 (a command typed wrong), never a traceback.

The board each run starts from: a fresh board with one lead, #1 "Acme renewal" ($1,200), in
Leads. `{tmp}` in an argument is the test's own temporary folder.
"""

import click
import pytest

from pkanban.cli.main import COMMANDS_BY_MODULE, cli

# command: (the steps of a happy path — None for `replicate`, which hands its process to
# Litestream: tests/services/test_replica.py runs it as a process until Ctrl+C —, a bad input,
# its exit code)
RUNS: dict[str, tuple[list[tuple[str, ...]] | None, tuple[str, ...], int]] = {
    "add": ([("add", "Globex pilot", "--value", "900")], ("add", "X", "--value", "lots"), 1),
    "ls": ([("ls",), ("ls", "--json", "--sort", "rank")], ("ls", "--stage", "Nowhere"), 1),
    "show": ([("show", "1")], ("show", "99"), 1),
    "move": ([("move", "1", "Contacted")], ("move", "1", "Nowhere"), 1),
    "edit": ([("edit", "1", "--title", "Acme renewal 2027")], ("edit", "1", "--due", "feb 30"), 1),
    "touch": (
        [("touch", "1", "--kind", "call", "--text", "Left a message")],
        ("touch", "1", "--kind", "pigeon"),
        1,
    ),
    "won": ([("won", "1")], ("won", "99"), 1),
    "lost": ([("lost", "1", "--reason", "price")], ("lost", "1"), 2),
    "block": ([("block", "1", "Waiting for legal")], ("block", "99", "x"), 1),
    "snooze": ([("snooze", "1", "2026-12-10")], ("snooze", "1", "someday"), 1),
    "undo": ([("undo",)], ("undo", "--nosuch"), 2),
    "log": ([("log", "--json")], ("log", "--limit", "many"), 1),
    "init": ([("--db", "{tmp}/new.db", "init")], ("init",), 1),
    "config": (
        [("config", "show"), ("config", "stage", "Contacted", "--wip", "3")],
        ("config", "stage", "Nowhere", "--wip", "3"),
        1,
    ),
    "backup": ([("backup", "{tmp}/copy.db")], ("backup", "{tmp}/deals.csv"), 1),
    "restore": (
        [("backup", "{tmp}/copy.db"), ("restore", "{tmp}/copy.db")],
        ("restore", "{tmp}/missing.db"),
        1,
    ),
    "demo": ([("--db", "{tmp}/demo.db", "demo", "--print")], ("demo", "--print"), 1),
    "pull": ([("pull",)], ("pull", "--lane", "Nowhere"), 1),
    "triage": ([("triage", "--json")], ("triage", "--nosuch"), 2),
    "why": ([("why", "1")], ("why", "99"), 1),
    "check": ([("check", "1", "Budget confirmed", "yes")], ("check", "1", "Vibes", "yes"), 1),
    "import": ([("import", "{tmp}/deals.csv")], ("import", "{tmp}/missing.csv"), 1),
    "export": ([("export", "--format", "csv")], ("export", "--format", "xml"), 1),
    "clearance": ([("clearance", "--dry-run")], ("clearance", "--rule", "vibes"), 1),
    "stats": ([("stats", "--json")], ("stats", "--since", "junk"), 1),
    "replicate": (None, ("replicate",), 1),  # without a replica set, refused
    "replica": ([("replica", "status")], ("replica", "lag"), 2),
    "note": ([("note", "1", "Asked for a quote")], ("note", "99", "hello"), 1),
    "search": ([("search", "acme", "--json")], ("search", "acme", "--limit", "0"), 1),
}


def every_command() -> list[str]:
    """The commands as `pkanban --help` lists them."""
    return cli.list_commands(click.Context(cli))


def test_every_command_the_cli_lists_is_run_here():
    listed = set(every_command())
    assert listed == {name for names in COMMANDS_BY_MODULE.values() for name in names}
    assert listed - set(RUNS) == set(), "a new command needs its runs in RUNS"
    assert set(RUNS) - listed == set(), "RUNS names a command the CLI no longer has"
    assert {name for name, (steps, _, _) in RUNS.items() if steps is None} == {"replicate"}


@pytest.fixture
def seller(board_shell, tmp_path):
    assert board_shell("add", "Acme renewal", "--value", "1200").output.strip() == "1"
    (tmp_path / "deals.csv").write_text("Title,Stage,Value\nInitech,Leads,500\n")

    def run(*args):
        return board_shell(*(arg.replace("{tmp}", str(tmp_path)) for arg in args))

    return run


def no_traceback(result):
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )


@pytest.mark.parametrize("command", every_command())
def test_the_help_of_every_command_works(seller, command):
    result = seller(command, "--help")
    assert result.exit_code == 0, result.stderr
    usage = result.output.splitlines()[0]
    assert usage.startswith("Usage: ") and f" {command} [OPTIONS]" in usage


@pytest.mark.parametrize("command", [name for name in every_command() if RUNS[name][0]])
def test_every_command_does_its_smallest_job(seller, command):
    steps = RUNS[command][0] or []
    for step in steps:
        result = seller(*step)
        no_traceback(result)
        assert result.exit_code == 0, (step, result.stderr)
        assert result.output.strip() or result.stderr.strip(), step  # it says what it did


@pytest.mark.parametrize("command", every_command())
def test_every_command_refuses_a_bad_input_in_one_line(seller, command):
    _, bad, code = RUNS[command]
    result = seller(*bad)
    no_traceback(result)
    assert result.exit_code == code, (bad, result.output, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pkanban: "), (bad, result.stderr)


def test_no_listed_help_line_stops_at_an_abbreviation():
    """Click cuts a command's listed help at its first full stop, so `e.g.` ended
    `config set`'s line at "Set a board setting, e.g."."""
    context = click.Context(cli)
    commands = [cli.get_command(context, name) for name in every_command()]
    for group in [command for command in commands if isinstance(command, click.Group)]:
        commands += [group.get_command(context, name) for name in group.list_commands(context)]
    for command in commands:
        assert command is not None
        line = command.get_short_help_str(limit=60)
        assert not line.endswith(("e.g.", "i.e.", "etc.")), (command.name, line)
