"""Import and export commands: a thin layer over `services.transfer`."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

import click

from pkanban.cli.context import Env, UserError, pass_env, say, say_json
from pkanban.cli.params import ISO_DATE
from pkanban.cli.progress import ProgressBar
from pkanban.io import files
from pkanban.io.mapping import FIELDS
from pkanban.io.values import DateOrder
from pkanban.services import transfer
from pkanban.services.import_report import report_lines

Pairs = tuple[tuple[str, str], ...]


def _pairs(
    option: str, *, split_last: bool
) -> Callable[[click.Context, click.Parameter, tuple[str, ...]], Pairs]:
    """A click callback turning `A=B` options into (A, B) pairs."""

    def convert(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> Pairs:
        pairs = []
        for value in values:
            left, sep, right = value.rpartition("=") if split_last else value.partition("=")
            if not sep or not left.strip() or not right.strip():
                raise click.BadParameter(f'"{value}" is not {option}', param=param)
            pairs.append((left.strip(), right.strip()))
        return tuple(pairs)

    return convert


@click.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Preview: read everything, change nothing.")
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="COLUMN=FIELD",
    callback=_pairs("COLUMN=FIELD", split_last=True),
    help=f"Read COLUMN as FIELD (repeatable). Fields: {', '.join(FIELDS)}.",
)
@click.option(
    "--stage-map",
    "stage_maps",
    multiple=True,
    metavar="VALUE=TARGET",
    callback=_pairs("VALUE=TARGET", split_last=True),
    help="Send rows whose stage is VALUE to TARGET: a board stage, won, lost or skip.",
)
@click.option(
    "--where",
    "wheres",
    multiple=True,
    metavar="COLUMN=VALUE",
    callback=_pairs("COLUMN=VALUE", split_last=False),
    help="Only rows whose COLUMN is VALUE (any case; repeat a column to allow several values).",
)
@click.option("--lane", help="Put the cards in this lane (default: the first lane without limit).")
@click.option(
    "--dates",
    type=click.Choice(["iso", "dmy", "mdy"]),
    default="iso",
    show_default=True,
    help="How the file writes numeric dates: ISO only, or 31/12/2017 (dmy) or 12/31/2017 (mdy).",
)
@click.option("--skip-bad", is_flag=True, help="Import the readable rows, listing the others.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_env
def import_command(
    env: Env,
    file: Path,
    dry_run: bool,
    maps: Pairs,
    stage_maps: Pairs,
    wheres: Pairs,
    lane: str | None,
    dates: DateOrder,
    skip_bad: bool,
    as_json: bool,
) -> None:
    """Import deals from a CRM export (CSV), or restore a pkanban JSON dump (`-`: stdin).

    Recognises Pipedrive, HubSpot and Salesforce exports and the public CRM sample by their
    column names. Everything is one action: all rows or none; `pkanban undo` takes it back.
    Rows already imported (same id) are skipped.
    """
    options = transfer.ImportOptions(
        maps=maps,
        stage_maps=stage_maps,
        wheres=wheres,
        lane=lane,
        dates=dates,
        skip_bad=skip_bad,
        dry_run=dry_run,
    )
    session = env.session()
    with ProgressBar("Importing", enabled=not as_json) as bar:
        report = session.run(
            transfer.import_file,
            env.today,
            file,
            options,
            progress=bar.update,
            passes=bar.start_pass,
        )
    if as_json:
        say_json(report.as_json())
    else:
        for line in report_lines(report, session.settings().currency, env.today):
            say(line)
    if report.refusal:
        raise UserError(("Nothing imported: " if not dry_run else "") + report.refusal)


_SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".ics": "ics"}


@click.command(name="export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(transfer.EXPORT_FORMATS),
    help="md: a report for a 1:1 · obsidian: an Obsidian Kanban board · csv: one row per card"
    " · json: a full dump that `pkanban import` restores · ics: a calendar of next steps"
    " (one to-do per open card with a next step date) and the yearly review."
    " Default: from -o's suffix, else md.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this new file (created private, 0600) instead of standard output.",
)
@click.option("--force", is_flag=True, help="Replace the -o file if it already exists.")
@click.option(
    "--since",
    type=ISO_DATE,
    help="A report of the period from this day on (both days included; md and csv).",
)
@click.option(
    "--until",
    type=ISO_DATE,
    help="A report of the period up to this day (default with --since: today).",
)
@pass_env
def export_command(
    env: Env,
    fmt: str | None,
    output: Path | None,
    force: bool,
    since: date | None,
    until: date | None,
) -> None:
    """Export the board as markdown, an Obsidian board, CSV, a JSON dump or a calendar.

    --since/--until make a report of a period, e.g. a quarter's 1:1: a card is in the period
    when it was created, won, lost or cleared on a day of it, or an action on a day of it
    moved it to another stage (undone actions do not count). The markdown report then adds
    what happened in the period and lists only the open cards created or moved in it (WIP,
    past best-by and totals still describe the board today); the CSV has only the cards of
    the period. Dates are YYYY-MM-DD.
    """
    fmt = fmt or (_SUFFIX_FORMATS.get(output.suffix.lower(), "md") if output else "md")
    session = env.session()
    text = session.run(transfer.export_board, env.today, fmt, since=since, until=until)
    if output is None:
        click.echo(text, nl=False)  # the formats escape user text by construction
        return
    written = session.run(transfer.write_export, text, output, fmt, replace=force)
    say(f"Wrote {fmt} export to {files.shown(written)}", err=True)


COMMANDS = (import_command, export_command)
