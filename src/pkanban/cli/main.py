"""`pkanban`: the command line. A thin click layer over a board session (`services.session`):
commands read the board through it and act through `session.run(service, …)`, never touching
the store or SQLite; a refusal or a database hiccup arrives as a domain error, printed as one
line. Each command's module is imported only when that command runs, and Textual only when
the board opens, so every command starts fast."""

import gc
import importlib
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import click

from pkanban import __version__
from pkanban.cli.context import Env, UserError, default_db_path, open_board, say
from pkanban.domain.dates import DateError, parse_today
from pkanban.domain.errors import PkanbanError
from pkanban.services.session import SQLITE_VERSION, storage_errors

# Each module's commands (its COMMANDS); tests/cli/test_lazy_commands.py keeps this whole.
COMMANDS_BY_MODULE = {
    "cards": ("add", "ls", "show", "move", "edit", "touch", "won", "lost", "block", "snooze"),
    "history": ("undo", "log"),
    "board": ("init", "config", "backup", "restore", "demo"),
    "pipeline": ("pull", "triage", "why", "check"),
    "transfer": ("import", "export"),
    "clearance": ("clearance",),
    "metrics": ("stats",),
    "replica": ("replicate", "replica"),
    "notes": ("note", "search"),
}
COMMAND_MODULES = {name: module for module, names in COMMANDS_BY_MODULE.items() for name in names}


class PkanbanGroup(click.Group):
    """Loads each command on demand, and turns every domain error (and anything unexpected)
    into a one-line message."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """As click's, with "Did you mean …" drawn from every command (they load on demand)."""
        name = args[0]
        if name not in COMMAND_MODULES and not name.startswith("-") and not ctx.resilient_parsing:
            raise click.exceptions.NoSuchCommand(name, possibilities=COMMAND_MODULES, ctx=ctx)
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMAND_MODULES:
            return None
        module = importlib.import_module(f"pkanban.cli.{COMMAND_MODULES[name]}")
        return next(command for command in module.COMMANDS if command.name == name)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Every refusal is one line (`pkanban: … — see pkanban add --help`). A value that
        cannot be read or is out of range (`--value 1000000m`, `--due feb 30`, `--kind lake`)
        is bad input like any other: exit 1. A command typed wrong (an unknown command or
        option, a missing argument, options that exclude each other) is click's usage error:
        exit 2."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.BadParameter as error:
            command = error.ctx.command_path if error.ctx else "pkanban"
            say(f"pkanban: {error.format_message()} — see `{command} --help`", err=True)
            sys.exit(error.exit_code if isinstance(error, click.MissingParameter) else 1)
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx else "pkanban"
            say(f"pkanban: {error.format_message()} — see `{command} --help`", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            say(f"pkanban: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            say("pkanban: aborted", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with storage_errors():  # the rare SQLite error met outside a session call
                return super().invoke(ctx)
        except (PkanbanError, DateError) as error:
            raise UserError(str(error)) from None
        except BrokenPipeError:
            raise
        except OSError as error:
            raise UserError(f"{error.strerror or error}: {error.filename or ''}".strip()) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            if os.environ.get("PKANBAN_DEBUG"):
                raise
            raise UserError(
                f"unexpected error ({type(error).__name__}: {error}); "
                "run with PKANBAN_DEBUG=1 for details"
            ) from None


def _parse_today(ctx: click.Context, param: click.Parameter, value: str | None) -> date:
    if not value:
        return date.today()
    try:
        return parse_today(value)
    except DateError as error:
        raise click.BadParameter(str(error)) from None


@click.group(cls=PkanbanGroup, invoke_without_command=True)
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    envvar="PKANBAN_DB",
    help="Board file (default: board.db in your user data directory; env PKANBAN_DB).",
)
@click.option(
    "--today",
    callback=_parse_today,
    envvar="PKANBAN_TODAY",
    metavar="YYYY-MM-DD",
    help="Work as if today were this date (env PKANBAN_TODAY).",
)
@click.option(
    "--replica",
    metavar="URL",
    envvar="PKANBAN_REPLICA",
    help="Open a read-only view of the board replicated at URL (another machine's board;"
    " env PKANBAN_REPLICA). The latest state is restored into the cache folder.",
)
@click.version_option(
    __version__,
    message=f"pkanban %(version)s (SQLite {SQLITE_VERSION}, Python {sys.version.split()[0]})",
)
@click.pass_context
def cli(ctx: click.Context, db: Path | None, today: date, replica: str | None) -> None:
    """pkanban — a keyboard-driven personal Kanban for people who sell.

    Run without a command to open the board. Every action is also a command, so the board can
    be kept from the shell and from scripts.
    """
    if replica:
        ctx.obj = _replica_view(db, today, replica)
    else:
        ctx.obj = Env(db or default_db_path(), today, db_given=db is not None)
    if ctx.invoked_subcommand is None:
        open_board(ctx.obj, create=replica is None)
    elif not gc.isenabled():  # paused for the start-up by the console script (pkanban.__main__)
        gc.freeze()
        gc.enable()


def _replica_view(db: Path | None, today: date, url: str) -> Env:
    """`--replica URL`: every command reads the replica's latest board, and none can write."""
    if db is not None:
        raise UserError("--replica opens another machine's board: leave out --db")
    from pkanban.services.replica import refresh_view

    say("Restoring the latest board from the replica…", err=True)
    return Env(refresh_view(url), today, db_given=True, replica_view=url)


def main() -> None:
    try:
        cli(prog_name="pkanban")
    except BrokenPipeError:
        # `pkanban ls | head`: the reader left; say nothing and leave quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
