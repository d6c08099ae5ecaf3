"""Commands load on demand: the map in `cli/main.py` must name every command exactly once, and
opening the board or running one command must not import the others (nor pydantic)."""

import importlib
import pkgutil
import subprocess
import sys

import pkanban.cli
from pkanban.cli.main import COMMAND_MODULES, cli


def test_the_map_names_every_command_of_every_module():
    found = {}
    for module_info in pkgutil.iter_modules(pkanban.cli.__path__):
        module = importlib.import_module(f"pkanban.cli.{module_info.name}")
        for command in getattr(module, "COMMANDS", ()):
            assert command.name not in found, f"{command.name} is defined twice"
            found[command.name] = module_info.name
    assert found == COMMAND_MODULES


def test_help_lists_every_command():
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    listed = result.output.split("Commands:")[1]
    for name in COMMAND_MODULES:
        assert f"\n  {name} " in listed


def test_a_command_imports_only_its_own_module(tmp_path):
    code = (
        "import sys; from pkanban.cli.main import main; sys.argv = ['pkanban', '--db', sys.argv[1],"
        " 'ls']\ntry: main()\nexcept SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pkanban.cli.', 'pydantic', 'textual'))))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "none.db")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    loaded = eval(output.strip().splitlines()[-1])
    assert "pkanban.cli.cards" in loaded
    assert not [name for name in loaded if name.startswith(("pydantic", "textual"))]
    assert not {"pkanban.cli.transfer", "pkanban.cli.metrics", "pkanban.cli.board"} & set(loaded)


def test_the_console_script_pauses_the_collector_only_for_the_start_up(tmp_path, monkeypatch):
    import gc

    from pkanban.__main__ import main

    monkeypatch.setattr("sys.argv", ["pkanban", "--db", str(tmp_path / "b.db"), "init"])
    try:
        main()
    except SystemExit as leaving:
        assert leaving.code == 0
    finally:
        enabled = gc.isenabled()
        gc.enable()
    assert enabled
    assert (tmp_path / "b.db").exists()


def test_a_mistyped_command_gets_a_suggestion(shell):
    result = shell("lss")

    assert result.exit_code == 2
    assert "No such command 'lss'" in result.stderr and "Did you mean 'ls'?" in result.stderr
