"""Pipeline commands: pull the next best lead, the morning triage queue, why a card ranks where
it does, and best-customer checklist answers."""

from collections import Counter
from collections.abc import Iterable

import click

from pkanban.cli.context import Env, pass_env, say, say_json
from pkanban.cli.output import BLOCKED, cell, due_text
from pkanban.cli.params import CARD_NUMBER
from pkanban.domain.dates import WEEKDAY_ABBR
from pkanban.domain.errors import InvalidInput
from pkanban.domain.money import format_money
from pkanban.domain.ranking import Score, signed_points
from pkanban.domain.text import clean_text
from pkanban.domain.triage import REASON_ORDER
from pkanban.services import pipeline
from pkanban.services.views import CardView

CARD_ID = click.argument("card_id", metavar="CARD", type=CARD_NUMBER)
REASON_WORDS = {
    "overdue": "overdue",
    "due_today": "due today",
    "not_contacted": "not contacted",
    "no_next_step": "no next step",
    "stale": "stale",
    "past_best_by": "past best-by",
    "close_slipped": "close date passed",
    "blocked": "blocked",
}
WIDTH = 80
REASON_INDENT = 13


@click.command()
@click.option("--lane", help="Pull only from this lane's leads.")
@pass_env
def pull(env: Env, lane: str | None) -> None:
    """Pull the best-ranked lead from the pool into the first active stage.

    Refused while a lead pulled earlier has no touch yet or an overdue next step (the "earn
    the next lead" rule; switch it with `pkanban config set earn_next_lead off`), and when the
    first active stage is full or over its limit: a lead is never placed past it.
    """
    pulled = env.session().run(pipeline.pull_next_lead, env.today, lane)
    card = pulled.card
    say(
        f"Pulled #{card.id} {cell(card.title, 30).rstrip()} into {clean_text(pulled.stage.name)}"
        f" · {clean_text(pulled.lane.name)} (rank {pulled.score.total:.1f})"
    )
    say(f"  why: pkanban why {card.id}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the queue as a JSON array.")
@pass_env
def triage(env: Env, as_json: bool) -> None:
    """Print today's triage queue: what needs you, most urgent first, with the reasons.

    Order: overdue next steps, due today, not contacted, no next step, stale, past best-by,
    blocked; within each, the best money first. Snoozed cards are left out until their date.
    """
    session = env.session()
    queue = session.run(pipeline.triage_queue, env.today)
    if as_json:
        payload = [{"position": n, **entry.as_json()} for n, entry in enumerate(queue, 1)]
        say_json(payload)
        return
    day = f"{WEEKDAY_ABBR[env.today.weekday()]} {env.today.isoformat()}"
    if not queue:
        say(f"Triage for {day}: nothing needs you today. Pull a lead: pkanban pull")
        return
    counts = Counter(entry.reasons[0].kind for entry in queue)
    summary = ", ".join(
        f"{counts[kind]} {REASON_WORDS[kind]}" for kind in REASON_ORDER if counts[kind]
    )
    noun = "card needs" if len(queue) == 1 else "cards need"
    say(f"Triage for {day}: {len(queue)} {noun} you ({summary})")
    currency = session.settings().currency
    for position, entry in enumerate(queue, 1):
        say("")
        say(_triage_row(position, entry.view, entry.score, currency))
        for reason in entry.reasons:
            say(" " * REASON_INDENT + cell(reason.text, WIDTH - REASON_INDENT).rstrip())


@click.command()
@CARD_ID
@pass_env
def why(env: Env, card_id: int) -> None:
    """Show why a card ranks where it does: each part of its score, and its checklist."""
    session = env.session()
    scorer = session.run(pipeline.ranking, env.today)
    card = session.card(card_id)
    if not card.is_open:
        raise InvalidInput(f"#{card.id} is {card.disposition}; only open cards are ranked")
    score = scorer.score(card, card.stage_id)
    say(f"#{card.id} {cell(card.title, 50).rstrip()} — rank {score.total:.1f}")
    for part in score.components:
        points = signed_points(part.points)
        say(f"  {part.name:<12}{points:>6}  {cell(part.explanation, 58).rstrip()}")
        if part.name == "value" and scorer.basis.typical.amount is not None:
            say(" " * 22 + f"({scorer.basis.typical.sentence})")
    checklist = scorer.basis.checklist
    if checklist:
        say("Best-customer checklist")
        for criterion in checklist:
            given = card.checklist.get(criterion)
            answer = "—" if given is None else "yes" if given else "no"
            say(f"  {answer:<4} {cell(criterion, 72).rstrip()}")
        open_items = [item for item in checklist if item not in card.checklist]
        if open_items:
            example = clean_text(open_items[0])
            say(f'  (answer with: pkanban check {card.id} "{example}" yes|no)')


@click.command()
@CARD_ID
@click.argument("criterion")
@click.argument("answer", type=click.Choice(["yes", "no"], case_sensitive=False))
@pass_env
def check(env: Env, card_id: int, criterion: str, answer: str) -> None:
    """Answer a best-customer checklist criterion for a card: yes or no.

    CRITERION is a name from `pkanban config show` (any case, or a unique start of it, e.g.
    "budget"); change the checklist with `pkanban config set checklist "A, B, C"`.
    """
    session = env.session()
    card = session.run(
        pipeline.set_checklist, env.today, card_id, criterion, answer.lower() == "yes"
    )
    score = session.run(pipeline.card_score, env.today, card.id)
    fit = next(part for part in score.components if part.name == "fit")
    say(f"#{card.id} fit {fit.explanation} — rank {score.total:.1f}")


def print_ranked_table(
    ranked: Iterable[tuple[CardView, Score | None]], currency: str, touch_target: int
) -> None:
    """`ls --sort rank`: one aligned line per card, best money first, with its score."""
    say(
        " rank    id "
        + cell("title", 22)
        + " "
        + cell("stage", 11)
        + "  value "
        + cell("age", 12)
        + "  t/T due"
    )
    for view, score in ranked:
        card = view.card
        due = due_text(card.next_due, view.overdue)
        flags = (BLOCKED if card.blocked_reason else "") + ("∅" if view.no_next_step else "")
        rank = "" if score is None else f"{score.total:.1f}"
        say(
            " ".join(
                (
                    f"{rank:>5}",
                    f"{card.id:>5}",
                    cell(card.title, 22),
                    cell(view.stage.name, 11),
                    f"{format_money(card.value, currency):>6}",
                    cell(view.badge.text, 12),
                    f"{card.touch_count}/{touch_target}".rjust(4),
                    cell(due + flags, 8),
                )
            ).rstrip()
        )


def _triage_row(position: int, view: CardView, score: Score, currency: str) -> str:
    card = view.card
    return " ".join(
        (
            f"{position:>3}.",
            f"#{card.id:<6}",
            cell(card.title, 32),
            cell(view.stage.name, 12),
            f"{format_money(card.value, currency):>6}",
            f"rank {score.total:5.1f}",
        )
    ).rstrip()


COMMANDS = (pull, triage, why, check)
