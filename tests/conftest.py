"""Shared fixtures: a fresh board on a fixed day, and a CLI runner bound to it."""

import gc
import json
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest
import textual._wait
from click.testing import CliRunner
from textual.css.stylesheet import Stylesheet

from pkanban.cli.main import cli
from pkanban.store.database import Store, open_store

# pytest keeps the assertion-rewritten test modules in `__pycache__` only where bytecode may be
# written; where PYTHONDONTWRITEBYTECODE is set (this VM sets it) every worker rewrote all 228
# test modules on every run, ~4 s of CPU each. The suite writes its caches regardless.
sys.dont_write_bytecode = False

# Pilot waits for the app to go idle after every key it presses and every `pause()`: Textual
# sleeps in slices of 20 ms until one passes with (almost) no CPU used, so each key cost at least
# 40 ms of sleep (four Pilot test files in one process took 69 s, 25 s of it on the CPU; 46 s
# with 5 ms slices). Slices of 5 ms keep the same test (less than 5% of the slice on the CPU)
# and pass as soon as the app is idle. Tests that wait for a dialog, a worker or a timer say so
# (`settled`, `wait_for` in tests/tui/conftest.py), never by the length of an idle slice.
assert hasattr(textual._wait, "SLEEP_GRANULARITY"), "Textual moved its idle wait: see above"
textual._wait.SLEEP_GRANULARITY = 1 / 200
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20


def _parse_css_once_per_worker() -> None:
    """Every test's app parses the same stylesheets with the same theme variables: ~11 ms of
    the ~140 ms of CPU an app takes to start (the Pilot tests are about half the suite's CPU).
    A seller's process starts one app, so this is the tests' own. Textual keeps the parsed rules
    of each stylesheet in `Stylesheet._parse_cache` and hands the same rules out again when the
    stylesheet is parsed again (applying them does not change them); here that cache outlives
    the app, and its key also holds the theme variables, so a theme change still parses afresh
    and a CSS error still fails every app that has it."""
    parse_rules = Stylesheet._parse_rules
    parsed: dict[tuple, list] = {}

    def parse_rules_once(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        key = (css, read_from, is_default_rules, tie_breaker, scope, *self._variables.items())
        if key not in parsed:
            parsed[key] = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        return parsed[key]

    Stylesheet._parse_rules = parse_rules_once


assert hasattr(Stylesheet, "_parse_rules"), "Textual moved its CSS parser: see above"
_parse_css_once_per_worker()

TODAY = date(2026, 11, 25)
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "crm-sales-opportunities"


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """The main suite runs in four workers (`-n 4`, pyproject.toml); the reliability suite in one
    process: its kill tests time real processes, and it prints what it tried from counters that
    a worker process would keep to itself."""
    if config.option.markexpr.strip() == "reliability":
        config.option.numprocesses = 0


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection imported (modules, classes, strategies) lives as long as the run: frozen
    out of the garbage collector's way, each full collection walks only what the tests make, and
    collections come less often (tests that look for leaks collect themselves). With the fixture
    below, collections went from ~40% of the Pilot tests' time to ~10%."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 50, 50)


@pytest.fixture(autouse=True)
def _let_go_of_the_last_apps_lines():
    """Each test's app is gone when it ends; Textual's line cache would otherwise keep its
    widgets' drawn lines for the rest of the run (`tui/textual_leak.py`)."""
    yield
    from pkanban.tui.textual_leak import forget_closed_widgets

    forget_closed_widgets()


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "board.db"


@pytest.fixture(scope="session")
def new_board_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new board, made once per worker: each test's board starts as a copy of it (making one
    runs every schema migration, ~4% of the suite's CPU when each test did). It has no id, so
    each copy gets its own when it is opened, as a new board does."""
    path = tmp_path_factory.mktemp("new-board") / "board.db"
    close_without_id(open_store(path, create=True))
    return path


def close_without_id(board: Store) -> None:
    """Close a board made to be copied: without its id, each copy gets its own when opened."""
    with board.transaction():
        board.conn.execute("DELETE FROM board_meta WHERE key = 'board_id'")
    board.close()


def open_copy(board_file: Path, db_path: Path) -> Store:
    """Open a copy of a closed board file at `db_path`, private as `pkanban init` makes it."""
    shutil.copyfile(board_file, db_path)
    db_path.chmod(0o600)
    return open_store(db_path)


@pytest.fixture
def store(db_path: Path, new_board_file: Path):
    board = open_copy(new_board_file, db_path)
    yield board
    board.close()


class Shell:
    """Runs `pkanban --db <board> --today <day> …` in-process, like a user at a prompt."""

    def __init__(self, db_path: Path, today: date):
        self.db_path = db_path
        self.today = today
        self.runner = CliRunner()

    def __call__(self, *args: str, today: date | None = None):
        day = (today or self.today).isoformat()
        return self.runner.invoke(
            cli, ["--db", str(self.db_path), "--today", day, *args], catch_exceptions=False
        )


@pytest.fixture
def shell(db_path: Path, today: date) -> Shell:
    return Shell(db_path, today)


def import_changed_dump(shell: Shell, tmp_path: Path, change) -> tuple[object, list[str]]:
    """Export the shell's board as a JSON dump, `change` the document, and import it into a
    fresh board; returns the import's result and the `--db` arguments of that board."""
    document = json.loads(shell("export", "--format", "json").output)
    change(document)
    dump = tmp_path / "dump.json"
    dump.write_text(json.dumps(document))
    target = ["--db", str(tmp_path / "copy.db")]
    shell(*target, "init")
    return shell(*target, "import", str(dump)), target


@pytest.fixture
def board_shell(shell: Shell) -> Shell:
    """A shell on an initialised, empty board."""
    assert shell("init").exit_code == 0
    return shell


def pkanban_command(db: Path, *args: str) -> list[str]:
    """The argv of a real `pkanban` process on `db`, on the fixed test day."""
    return [
        sys.executable,
        "-m",
        "pkanban",
        "--db",
        str(db),
        "--today",
        TODAY.isoformat(),
        *args,
    ]
