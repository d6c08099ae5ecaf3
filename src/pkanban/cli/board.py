"""Board commands: init, stats, config, backup, restore, demo — and opening the board."""

import shutil
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

import click

from pkanban.cli.context import Env, UserError, open_board, pass_env, say, say_json
from pkanban.cli.output import print_card_table
from pkanban.cli.params import OPTIONAL_INT, OPTIONAL_PROBABILITY
from pkanban.domain.text import clean_text
from pkanban.io.files import shown
from pkanban.services import backup as backups
from pkanban.services import config as settings_actions
from pkanban.services import views
from pkanban.services.demo import build_demo
from pkanban.services.session import BoardSession


@click.command()
@pass_env
def init(env: Env) -> None:
    """Create a new board with the default stages and lanes."""
    BoardSession.create(env.db, env.today).close()
    say(f"Created {env.db}")


@click.group()
def config() -> None:
    """Show or change settings, stages, lanes and limits."""


@config.command(name="show")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_env
def config_show(env: Env, as_json: bool) -> None:
    """Print settings, stages and lanes."""
    from pkanban.services.calendar import calendar_file
    from pkanban.services.replica import replica_url

    session = env.session()
    calendar = session.read(calendar_file)
    current = session.settings()
    stage_rows, lane_rows = session.stages(), session.lanes()
    if as_json:
        payload = {
            "settings": current.as_json(),
            "replica": session.read(replica_url),
            "calendar_file": None if calendar is None else str(calendar),
            "stages": [asdict(stage) for stage in stage_rows],
            "lanes": [asdict(lane) for lane in lane_rows],
        }
        say_json(payload)
        return
    say("Settings")
    for key, value in asdict(current).items():
        shown = ", ".join(value) if isinstance(value, tuple) else value
        if isinstance(value, bool):
            shown = "on" if value else "off"
        say(f"  {key:<22} {clean_text(str(shown))}")
    say(f"  {'replica':<22} {clean_text(session.read(replica_url) or 'off')}")
    say(f"  {'calendar_file':<22} {clean_text(str(calendar or 'off'))}")
    say("Stages (position, name, kind, WIP, shelf life, probability)")
    for index, stage in enumerate(stage_rows, 1):
        say(
            f"  {index}. {clean_text(stage.name):<20} {stage.kind:<6}"
            f" wip {_or_dash(stage.wip_limit):>3}"
            f"  shelf {_or_dash(stage.shelf_life_days and f'{stage.shelf_life_days}d'):>4}"
            f"  p {_or_dash(stage.probability)}"
        )
    say("Lanes (position, name, WIP)")
    for index, lane in enumerate(lane_rows, 1):
        say(f"  {index}. {clean_text(lane.name):<20} wip {_or_dash(lane.wip_limit)}")


@config.command(
    name="set", short_help="Set a board setting (touch_target, replica, calendar file …)."
)
@click.argument("key")
@click.argument("value")
@pass_env
def config_set(env: Env, key: str, value: str) -> None:
    """Set a board setting, e.g. `touch_target 5` or `checklist "Budget, Champion"`, the
    replica the board streams to: `replica s3://bucket/board` (`replica off` stops it), or a
    calendar file kept up to date after every change: `calendar_file ~/pkanban.ics` (`off`)."""
    if key == "calendar_file":
        from pkanban.services.calendar import set_calendar_file

        path = env.session().run(set_calendar_file, env.today, value)
        if path is None:
            say("calendar_file = off (the file stays as it was; nothing updates it any more)")
        else:
            say(
                f"calendar_file = {shown(path)} — rewritten after every change; subscribe to it"
                " in your calendar app"
            )
        return
    if key == "replica":
        from pkanban.services import replica

        url = env.session().run(replica.set_replica, env.today, value)
        if url is None:
            say("replica = off (nothing replicates any more)")
        else:
            say(
                f"replica = {url} — the board replicates while it is open, or run"
                " `pkanban replicate`; `pkanban replica status` tells where it stands"
            )
        return
    env.session().run(settings_actions.set_setting, env.today, key, value)
    say(f"{key} = {value}")


@config.command(name="stage")
@click.argument("name")
@click.option("--wip", type=OPTIONAL_INT, default=None, help="WIP limit (none removes it).")
@click.option("--shelf", type=OPTIONAL_INT, default=None, help="Shelf life in days (or none).")
@click.option("--prob", type=OPTIONAL_PROBABILITY, default=None, help="Win probability 0–1.")
@click.option("--rename", help="New name.")
@click.option("--position", type=int, help="New place in the order (1 = first).")
@click.option(
    "--kind",
    type=click.Choice(["pool", "active"]),
    help="pool (lead inventory) or active (worked deals).",
)
@click.option("--add", "create", is_flag=True, help="Create the stage instead of changing it.")
@click.option("--pool", is_flag=True, help="With --add: a pool stage (lead inventory).")
@click.pass_context
def config_stage(
    ctx: click.Context,
    name: str,
    wip: int | None,
    shelf: int | None,
    prob: float | None,
    rename: str | None,
    position: int | None,
    kind: str | None,
    create: bool,
    pool: bool,
) -> None:
    """Change (or --add) a stage: WIP limit, shelf life, probability, kind, name, order."""
    env: Env = ctx.obj
    given = _given(ctx, "wip", "shelf", "prob")
    if create:
        env.session().run(
            settings_actions.add_stage,
            env.today,
            name,
            kind="pool" if pool else (kind or "active"),
            wip_limit=given.get("wip"),
            shelf_life_days=given.get("shelf"),
            probability=given.get("prob"),
        )
        say(f"Added stage {clean_text(name)}")
        return
    env.session().run(
        settings_actions.update_stage,
        env.today,
        name,
        **{
            key: given[opt]
            for key, opt in (
                ("wip_limit", "wip"),
                ("shelf_life_days", "shelf"),
                ("probability", "prob"),
            )
            if opt in given
        },
        new_name=rename,
        position=position,
        kind=kind,
    )
    say(f"Changed stage {clean_text(name)}")


@config.command(name="lane")
@click.argument("name")
@click.option("--wip", type=OPTIONAL_INT, default=None, help="WIP limit (none removes it).")
@click.option("--rename", help="New name.")
@click.option("--position", type=int, help="New place in the order (1 = first).")
@click.option("--add", "create", is_flag=True, help="Create the lane instead of changing it.")
@click.pass_context
def config_lane(
    ctx: click.Context,
    name: str,
    wip: int | None,
    rename: str | None,
    position: int | None,
    create: bool,
) -> None:
    """Change (or --add) a lane: WIP limit, name, order."""
    env: Env = ctx.obj
    given = _given(ctx, "wip")
    if create:
        env.session().run(settings_actions.add_lane, env.today, name, wip_limit=given.get("wip"))
        say(f"Added lane {clean_text(name)}")
        return
    limits = {"wip_limit": given["wip"]} if "wip" in given else {}
    env.session().run(
        settings_actions.update_lane, env.today, name, **limits, new_name=rename, position=position
    )
    say(f"Changed lane {clean_text(name)}")


@click.command(name="backup", short_help="Save a consistent copy of the board.")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
@pass_env
def backup_command(env: Env, path: Path | None, force: bool) -> None:
    """Save a consistent copy of the board (default: a new time-stamped file in backups/ next
    to it; a second backup in the same second gets -2, -3 …)."""
    written = env.session().run(backups.backup, path, replace=force)
    say(f"Backed up to {shown(written)}")


@click.command(name="restore", short_help="Replace the board with a backup (backing it up first).")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from-replica", "url", metavar="URL", help="Restore from a Litestream replica.")
@click.option("--at", metavar="TIME", help='With --from-replica: as it was at "2026-12-01 17:00".')
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --from-replica: write a new board file instead of replacing this one.",
)
@click.option("--force", is_flag=True, help="With -o: replace the file if it exists.")
@pass_env
def restore_command(
    env: Env,
    path: Path | None,
    url: str | None,
    at: str | None,
    output: Path | None,
    force: bool,
) -> None:
    """Replace the board with a backup, or with its replica as it was at a time (the current
    board is backed up first); `-o` writes the replica to a new file instead."""
    if url is None:
        if path is None or at or output:
            raise UserError("Name a backup file, or give --from-replica URL (--at, -o go with it)")
        safety = env.session().run(backups.restore, env.today, path)
        say(f"Restored from {shown(path)}; the board before the restore is in {shown(safety)}")
        _say_what_is_over(env)
        return
    if path is not None:
        raise UserError("Give a backup file or --from-replica, not both")
    from pkanban.cli.replica import parse_at
    from pkanban.services import replica

    moment = parse_at(at)
    when = f" as of {at}" if at else ""
    if output is not None:
        written = replica.restore_to_file(url, output, env.today, moment, replace=force)
        say(f"Restored {shown(url)}{when} into {shown(written)} (replication is off in it)")
        return
    safety = env.session().run(replica.restore_board, env.today, url, moment)
    say(f"Restored from {shown(url)}{when}; the board before the restore is in {shown(safety)}")
    _say_what_is_over(env)


def _say_what_is_over(env: Env) -> None:
    """A restored board over a limit is kept as it is, and says so."""
    for wip in env.session().wip_now():
        if wip.over:
            say(wip.kept())


@click.command()
@click.option("--print", "print_only", is_flag=True, help="Print the board instead of opening it.")
@pass_env
def demo(env: Env, print_only: bool) -> None:
    """Build a demo board in a fresh file (--db, or a temporary folder removed on exit) and
    open it; says where the board is."""
    if env.db_given:
        if env.db.exists():
            raise UserError(f"{env.db} already exists — demo needs a fresh file (omit --db)")
        _show_demo(env, print_only, "")
        return
    folder = Path(tempfile.mkdtemp(prefix="pkanban-demo-"))
    env.db = folder / "demo.db"
    try:
        _show_demo(env, print_only, " (a temporary copy, removed on exit; --db keeps one)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _show_demo(env: Env, print_only: bool, kept: str) -> None:
    session = BoardSession.create(env.db, env.today)
    session.run(build_demo, env.today)
    session.close()
    say(f"Demo board in {env.db}{kept}")
    if print_only or not sys.stdout.isatty():
        _print_board(env)
        return
    open_board(env, create=False)


def _print_board(env: Env) -> None:
    session = env.session()
    settings = session.settings()
    print_card_table(
        session.run(views.card_views, env.today), settings.currency, settings.touch_target
    )


def _given(ctx: click.Context, *names: str) -> dict:
    """The options the user actually typed (so `--wip none` differs from no --wip)."""
    return {
        name: ctx.params[name]
        for name in names
        if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT
    }


def _or_dash(value: object) -> str:
    return "—" if value is None else str(value)


COMMANDS = (init, config, backup_command, restore_command, demo)
