"""`pkanban stats`: the board's flow figures."""

import json

import click

from pkanban.cli.context import Env, pass_env
from pkanban.domain.text import clean_text
from pkanban.services import views


@click.command(short_help="Headline figures: counts, win rate, best-by, WIP.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON (see README).")
@pass_env
def stats(env: Env, as_json):
    """Headline figures: open/won/lost/cleared, win rate, best-by, WIP against limits."""
    figures = views.stats(env.store(), env.today)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=1))
        return
    rate = "—" if figures["win_rate"] is None else f"{figures['win_rate']:.0%}"
    click.echo(f"Today {figures['today']} · best-by {figures['best_by_days']} days")
    click.echo(f"  {clean_text(figures['best_by_explained'])}")
    click.echo(
        f"Open {figures['open']} ({figures['past_best_by']} past best-by) · won {figures['won']}"
        f" · lost {figures['lost']} · cleared {figures['cleared']} · win rate {rate}"
    )
    click.echo("WIP")
    for label, table in (("stage", figures["wip"]), ("lane", figures["lane_wip"])):
        for name, entry in table.items():
            limit = "—" if entry["limit"] is None else entry["limit"]
            click.echo(
                f"  {label:<5} {clean_text(name)[:20]:<20} {entry['count']:>5}/{limit}"
                f"{_fullness(entry['count'], entry['limit'])}"
            )


def _fullness(count: int, limit: int | None) -> str:
    if limit is None or count < limit:
        return ""
    return "  full" if count == limit else "  over limit"


METRICS_COMMANDS = (stats,)
