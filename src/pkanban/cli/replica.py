"""Replication commands: `replicate` (Litestream in the foreground) and `replica status`."""

import os
from datetime import datetime

import click

from pkanban.cli.context import Env, UserError, pass_env, say, say_json
from pkanban.io.files import shown
from pkanban.services import replica


def parse_at(text: str | None) -> datetime | None:
    """`--at "2026-12-01 17:00"`: local time unless it says its zone (`Z`, `+02:00`)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f'{shown(text)} is not a time — write it like "2026-12-01 17:00"') from None
    return moment.astimezone()


@click.command(short_help="Stream the board to its replica, in the foreground.")
@pass_env
def replicate(env: Env) -> None:
    """Run Litestream in the foreground for this board, until stopped (Ctrl+C). For a machine
    where the board is not open: the open board replicates by itself. README has a systemd
    user unit and a launchd plist that run this."""
    session = env.session()
    if session.read_only:
        raise UserError(session.read_only_reason)
    setting = session.read(replica.replica_setting)
    if setting is None or not setting.url:
        raise UserError("No replica is set — set one with `pkanban config set replica URL`")
    if notice := replica.check_replica(session.path, setting.url, setting.board_id):
        say(notice, err=True)
    argv = replica.replicate_command(session.path, setting.url)
    session.close()
    replica.mark_running(env.db, os.getpid())
    say(f"Replicating {shown(env.db)} to {shown(setting.url)} (Ctrl+C stops)", err=True)
    os.execv(argv[0], argv)


@click.group(name="replica")
def replica_group() -> None:
    """Where the board's replica stands."""


@replica_group.command(name="status")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_env
def replica_status(env: Env, as_json: bool) -> None:
    """The replica's URL, its newest transaction and time, the lag, and its state: ok, behind,
    failing (with why) or waiting (nothing replicates now)."""
    current = env.session().run(replica.status)
    if as_json:
        say_json(current.as_json())
        return
    if current.url is None:
        say("Replica: off — set one with `pkanban config set replica URL`")
        return
    say(f"Replica:     {current.url}")
    say(f"State:       {current.state}" + (f" — {current.reason}" if current.reason else ""))
    say(f"Replicating: {'yes' if current.running else 'no'}")
    say(f"Replicated:  txid {current.replicated_txid or '—'} at {current.replicated_at or '—'}")
    say(f"Last change: {current.last_change_at or '—'}")
    if current.lag_seconds is not None:
        say(f"Lag:         {current.lag_seconds} s")


COMMANDS = (replicate, replica_group)
