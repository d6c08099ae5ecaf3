"""`pkanban` opens the board (creating it on first run); `pkanban demo` opens the demo board
unless asked to print or not on a terminal."""

from types import SimpleNamespace

import pkanban.tui.app as tui_app


def test_pkanban_without_a_command_creates_the_board_and_opens_it(shell, db_path, monkeypatch):
    opened = []
    monkeypatch.setattr(tui_app, "run_board", lambda path, today, **_: opened.append((path, today)))
    result = shell()
    assert result.exit_code == 0, result.output
    assert db_path.exists()
    assert opened == [(db_path, shell.today)]


def test_demo_prints_the_board_when_not_on_a_terminal(shell, monkeypatch):
    opened = []
    monkeypatch.setattr(tui_app, "run_board", lambda path, today, **_: opened.append(path))
    result = shell("demo")
    assert result.exit_code == 0, result.output
    assert "Demo board in" in result.output
    assert opened == []


def test_demo_opens_the_board_on_a_terminal(shell, db_path, monkeypatch):
    opened = []
    monkeypatch.setattr(tui_app, "run_board", lambda path, today, **_: opened.append(path))
    from pkanban.cli import board as board_commands

    monkeypatch.setattr(board_commands, "sys", SimpleNamespace(stdout=_Terminal()))
    result = shell("demo")
    assert result.exit_code == 0, result.output
    assert opened == [db_path]


class _Terminal:
    """Stands in for sys.stdout being a terminal."""

    def isatty(self) -> bool:
        return True


def test_demo_says_where_its_board_is_and_removes_its_folder_on_exit(monkeypatch):
    from click.testing import CliRunner

    from pkanban.cli import board as board_commands
    from pkanban.cli.main import cli

    seen = []
    monkeypatch.setattr(tui_app, "run_board", lambda path, today, **_: seen.append(path))
    monkeypatch.setattr(board_commands, "sys", SimpleNamespace(stdout=_Terminal()))
    monkeypatch.delenv("PKANBAN_DB", raising=False)
    result = CliRunner().invoke(cli, ["--today", "2026-11-25", "demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (path,) = seen
    assert f"Demo board in {path}" in result.output and "removed on exit" in result.output
    assert not path.parent.exists()  # no /tmp/pkanban-demo-* left behind
