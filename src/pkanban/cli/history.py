"""The board's history: undo the last action, and read the log."""

import click

from pkanban.cli.context import Env, pass_env, say, say_json
from pkanban.cli.output import cell
from pkanban.cli.params import CARD_NUMBER
from pkanban.cli.progress import ProgressBar
from pkanban.domain.text import clean_text
from pkanban.services.undo import undo_last


@click.command()
@pass_env
def undo(env: Env) -> None:
    """Undo the last action (repeat to go further back)."""
    with ProgressBar("Undoing") as bar:
        summary = env.session().run(undo_last, env.today, progress=bar.update)
    say(f"Undone: {clean_text(summary)}")


@click.command(name="log")
@click.argument("card_id", metavar="[CARD]", type=CARD_NUMBER, required=False)
@click.option("--limit", default=30, show_default=True, help="How many actions to show.")
@click.option("--json", "as_json", is_flag=True, help="Print actions as JSON.")
@pass_env
def history(env: Env, card_id: int | None, limit: int, as_json: bool) -> None:
    """Show the history of the board (or of one card), newest first."""
    session = env.session()
    if card_id is not None:
        session.card(card_id)
    actions = session.history(card_id, limit)
    if as_json:
        say_json(actions)
        return
    for action in actions:
        undone = " (undone)" if action["undone"] else ""
        say(
            f"{action['id']:>6}  {action['day']}  {cell(action['kind'], 16)}"
            f" {clean_text(action['summary'])}{undone}"
        )


COMMANDS = (undo, history)
