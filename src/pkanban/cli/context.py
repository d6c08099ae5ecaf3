"""What every command shares: the board file, the day, and how errors reach the user."""

import json
import re
from datetime import date
from pathlib import Path
from typing import IO, Any

import click
from platformdirs import user_data_path

from pkanban.domain.text import clean_text
from pkanban.services.session import BoardSession

# Characters JSON leaves raw (with ensure_ascii off) that a terminal may act on.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def say(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """Every message the CLI prints goes through here, cleaned exactly like card text, so
    text quoted from a file or a board (a title, a CSV header, a setting) cannot drive the
    terminal (OSC 0 retitles the window, OSC 52 writes the clipboard)."""
    click.echo(clean_text(str(message), multiline=True), err=err, nl=nl)


def say_json(payload: object) -> None:
    """Machine output: JSON with every character a terminal may act on written as `\\uXXXX`.

    One top-level entry a line: only the compact form has the C encoder (an indented dump of
    the 10,000 open cards' ages alone took ~0.25 s in pure Python)."""
    text = _lined_json(payload)
    click.echo(_UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text))


def _lined_json(payload: object) -> str:
    encode = json.JSONEncoder(ensure_ascii=False).encode
    if isinstance(payload, dict) and payload:
        lines = [f" {encode(str(key))}: {encode(value)}" for key, value in payload.items()]
        return "{\n" + ",\n".join(lines) + "\n}"
    if isinstance(payload, list) and payload:
        return "[\n" + ",\n".join(f" {encode(item)}" for item in payload) + "\n]"
    return encode(payload)


class UserError(click.ClickException):
    """A refusal or bad input: one line on stderr, exit code 1, no traceback."""

    def format_message(self) -> str:
        return self.message

    def show(self, file: IO[Any] | None = None) -> None:
        say(f"pkanban: {self.format_message()}", err=True)


class Env:
    """The board file and the day every command works on."""

    def __init__(self, db: Path, today: date, db_given: bool, replica_view: str | None = None):
        self.db = db
        self.today = today
        self.db_given = db_given
        self.replica_view = replica_view
        self._session: BoardSession | None = None

    def session(self) -> BoardSession:
        """The board, opened on first use (a replica view read-only)."""
        if self._session is None:
            from pkanban.services.calendar import keep_calendar_file

            self._session = BoardSession.open(self.db, self.today, replica_view=self.replica_view)
            self._session.run(keep_calendar_file, self.today, _warn)
        return self._session


def _warn(message: str) -> None:
    say(f"pkanban: {message}", err=True)


def default_db_path() -> Path:
    return user_data_path("pkanban", appauthor=False) / "board.db"


pass_env = click.make_pass_decorator(Env)


def open_board(env: Env, create: bool) -> None:
    """Open the board in the terminal app, creating the board file on first run if asked."""
    if create and not env.db.exists():
        BoardSession.create(env.db, env.today).close()
    from pkanban.tui.app import run_board  # Textual is imported only when the board opens

    run_board(env.db, env.today, replica_view=env.replica_view)
