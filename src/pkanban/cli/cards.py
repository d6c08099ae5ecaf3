"""Card commands: add, ls, show, move, edit, touch, won, lost, block, snooze."""

from dataclasses import asdict
from datetime import date
from typing import Any

import click

from pkanban.cli.context import Env, pass_env, say, say_json
from pkanban.cli.output import print_card_lines, print_fields
from pkanban.cli.params import CARD_NUMBER, DUE_DATE, MONEY, NO_DATE, OPTIONAL_DUE_DATE
from pkanban.cli.pipeline import print_ranked_table
from pkanban.domain.models import TOUCH_KINDS, Card
from pkanban.domain.money import format_money
from pkanban.domain.ranking import Score
from pkanban.domain.text import clean_text
from pkanban.domain.triage import close_by_phrase, lost_nudge
from pkanban.services import cards as card_actions
from pkanban.services import pipeline, views
from pkanban.services.session import BoardSession

CARD_ID = click.argument("card_id", metavar="CARD", type=CARD_NUMBER)
NO_CARDS = 'No cards here yet — add one with: pkanban add "Acme Corp" --value 12k'


@click.command()
@click.argument("title")
@click.option("--stage", help="Stage name (default: the pool, Leads).")
@click.option("--lane", help="Lane name (default: the first lane without a limit).")
@click.option("--value", type=MONEY, help="Deal value: 12000, 12k, $12,000, 1.5m.")
@click.option("--account", default="", help="The company (account) the deal is with.")
@click.option("--contact", default="", help="Contact name.")
@click.option("--email", default="", help="Contact email.")
@click.option("--phone", default="", help="Contact phone (kept as text).")
@click.option("--source", default="", help="Where the lead came from.")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--next", "next_step", default="", help="The next step.")
@click.option("--due", type=DUE_DATE, help="When the next step is due (2026-12-01, next tue, +3d).")
@click.option("--close-by", type=DUE_DATE, help="When the deal is expected to close.")
@pass_env
def add(
    env: Env,
    title: str,
    stage: str | None,
    lane: str | None,
    value: int | None,
    account: str,
    contact: str,
    email: str,
    phone: str,
    source: str,
    tags: tuple[str, ...],
    next_step: str,
    due: date | None,
    close_by: date | None,
) -> None:
    """Add a prospect; prints its id."""
    card = env.session().run(
        card_actions.add_card,
        env.today,
        card_actions.NewCard(
            title=title,
            stage=stage,
            lane=lane,
            value=value,
            account=account,
            contact_name=contact,
            email=email,
            phone=phone,
            source=source,
            tags=tags,
            next_step=next_step,
            next_due=due,
            close_by=close_by,
        ),
    )
    say(card.id)


@click.command(name="ls")
@click.option("--stage", help="Only this stage.")
@click.option("--lane", help="Only this lane.")
@click.option("--all", "include_closed", is_flag=True, help="Include won, lost and cleared cards.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (see README).")
@click.option(
    "--sort",
    type=click.Choice(["board", "rank"]),
    default="board",
    show_default=True,
    help="board: by lane, stage and position; rank: best money first (see `pkanban why`).",
)
@pass_env
def list_cards(
    env: Env, stage: str | None, lane: str | None, include_closed: bool, as_json: bool, sort: str
) -> None:
    """List cards with their age badge, touches and next due date."""
    session = env.session()
    if not as_json and sort == "board":
        lines = session.run(
            views.card_lines, env.today, stage=stage, lane=lane, include_closed=include_closed
        )
        if not lines:
            say(NO_CARDS)
            return
        settings = session.settings()
        print_card_lines(lines, settings.currency, settings.touch_target)
        return
    found = session.run(
        views.card_views, env.today, stage=stage, lane=lane, include_closed=include_closed
    )
    ranked = session.run(pipeline.rank_views, env.today, found) if sort == "rank" else None
    if as_json:
        rows = (
            [view.as_json() for view in found]
            if ranked is None
            else [view.as_json() | _rank_json(score) for view, score in ranked]
        )
        say_json(rows)
        return
    if not found:
        say(NO_CARDS)
        return
    settings = session.settings()
    assert ranked is not None  # the board order was printed above
    print_ranked_table(ranked, settings.currency, settings.touch_target)


def _close_by_text(card: Card, today: date) -> str:
    """`2026-12-20 (in 14 d)`, `2026-12-20 (today)` or `2026-12-01 (overdue 3 d)` for an open
    card; a closed card's expected date is shown as it was."""
    if card.close_by is None:
        return ""
    if not card.is_open:
        return card.close_by.isoformat()
    return f"{card.close_by} ({close_by_phrase(card.close_by, today)})"


def _rank_json(score: Score | None) -> dict:
    return {
        "rank": None if score is None else score.total,
        "rank_why": None if score is None else score.why,
    }


@click.command()
@CARD_ID
@click.option("--json", "as_json", is_flag=True, help="Print the card, its touches and history.")
@pass_env
def show(env: Env, card_id: int, as_json: bool) -> None:
    """Show one card: details, ages, touches, notes and history."""
    session = env.session()
    view = session.run(views.card_view, env.today, card_id)
    touches = session.touches(card_id)
    notes = session.notes(card_id)
    history = session.history(card_id)
    if as_json:
        payload = view.as_json() | {
            "touch_log": [asdict(touch) | {"day": touch.day.isoformat()} for touch in touches],
            "notes": [
                {
                    "id": note.id,
                    "day": note.day.isoformat(),
                    "edited": note.edited.isoformat() if note.edited else None,
                    "text": note.text,
                }
                for note in notes
            ],
            "history": history,
        }
        say_json(payload)
        return
    card = view.card
    settings = session.settings()
    say(f"#{card.id}  {clean_text(card.title)}")
    print_fields(
        (
            ("where", f"{view.stage.name} · {view.lane.name}"),
            ("account", card.account),
            ("status", card.disposition + (f" {card.closed}" if card.closed else "")),
            ("value", format_money(card.value, settings.currency)),
            (
                "age",
                f"{view.badge.text} (total {view.age_days}d, in stage"
                f" {view.stage_age_days}d, idle {view.idle_days}d)",
            ),
            ("touches", f"{card.touch_count}/{settings.touch_target}"),
            ("rank", _rank_line(session, env, card)),
            ("next step", card.next_step),
            (
                "due",
                f"{card.next_due}{' (overdue)' if view.overdue else ''}" if card.next_due else "",
            ),
            ("close by", _close_by_text(card, env.today)),
            ("blocked", card.blocked_reason),
            ("snoozed until", card.snoozed_until),
            ("lost reason", card.lost_reason),
            ("contact", card.contact_name),
            ("email", card.email),
            ("phone", card.phone),
            ("source", card.source),
            ("tags", ", ".join(card.tags)),
        )
    )
    if touches:
        say("\nTouches")
        for touch in touches:
            say(f"  {touch.day}  {touch.kind:<8} {clean_text(touch.text)}")
    if notes:
        say("\nNotes")
        for note in notes:
            edited = f" (edited {note.edited})" if note.edited else ""
            say(f"  {note.day}  note {note.id}{edited}")
            for line in clean_text(note.text, multiline=True).splitlines():
                say(f"    {line}")
    say("\nHistory")
    for action in history:
        undone = "  (undone)" if action["undone"] else ""
        say(f"  {action['day']}  {clean_text(action['summary'])}{undone}")


@click.command()
@CARD_ID
@click.argument("stage", required=False)
@click.option("--lane", help="Move to this lane as well (or only, without STAGE).")
@pass_env
def move(env: Env, card_id: int, stage: str | None, lane: str | None) -> None:
    """Move a card to another stage and/or lane (hard WIP limits apply)."""
    if not stage and not lane:
        raise click.UsageError("Name a STAGE, a --lane, or both")
    card = env.session().run(card_actions.move_card, env.today, card_id, stage, lane)
    _echo_done(env, card.id, "moved")


@click.command()
@CARD_ID
@click.option("--title")
@click.option("--value", type=MONEY)
@click.option("--account", help="The company (account); an empty text removes it.")
@click.option("--contact", "contact_name")
@click.option("--email")
@click.option("--phone")
@click.option("--source")
@click.option("--tag", "tags", multiple=True, help="Replace the tags (repeatable).")
@click.option("--next", "next_step", help="The next step.")
@click.option("--due", "next_due", type=DUE_DATE, help="When the next step is due.")
@click.option(
    "--close-by", type=OPTIONAL_DUE_DATE, help="The expected close date; `none` removes it."
)
@pass_env
def edit(env: Env, card_id: int, **fields: Any) -> None:
    """Change a card's details."""
    changes = {key: value for key, value in fields.items() if value not in (None, ())}
    if changes.get("close_by") == NO_DATE:
        changes["close_by"] = None
    env.session().run(card_actions.edit_card, env.today, card_id, changes)
    _echo_done(env, card_id, "edited")


@click.command()
@CARD_ID
@click.option("--kind", type=click.Choice(TOUCH_KINDS), default="note", show_default=True)
@click.option("--text", default="", help="What happened.")
@click.option("--next", "next_step", help="The next step.")
@click.option("--due", type=DUE_DATE, help="When the next step is due.")
@pass_env
def touch(
    env: Env, card_id: int, kind: str, text: str, next_step: str | None, due: date | None
) -> None:
    """Log a call, email, meeting, message or note (and the next step)."""
    card = env.session().run(card_actions.log_touch, env.today, card_id, kind, text, next_step, due)
    settings = env.session().settings()
    say(f"#{card.id} touched ({card.touch_count}/{settings.touch_target})")


@click.command()
@CARD_ID
@click.option("--value", type=MONEY, help="The final value, if it changed.")
@pass_env
def won(env: Env, card_id: int, value: int | None) -> None:
    """Mark a card won (it is archived, not deleted)."""
    env.session().run(card_actions.mark_won, env.today, card_id, value)
    _echo_done(env, card_id, "won")


@click.command()
@CARD_ID
@click.option("--reason", required=True, help="Why it was lost.")
@pass_env
def lost(env: Env, card_id: int, reason: str) -> None:
    """Mark a card lost with a reason (it is archived, not deleted)."""
    card = env.session().run(card_actions.mark_lost, env.today, card_id, reason)
    _echo_done(env, card_id, "lost")
    nudge = lost_nudge(card.touch_count, env.session().settings().touch_target)
    if nudge:
        say(f"  {nudge}")


@click.command()
@CARD_ID
@click.argument("reason", required=False, default="")
@pass_env
def block(env: Env, card_id: int, reason: str) -> None:
    """Mark a card blocked with a reason; without a reason, unblock it."""
    env.session().run(card_actions.set_blocked, env.today, card_id, reason)
    _echo_done(env, card_id, "blocked" if reason else "unblocked")


@click.command()
@CARD_ID
@click.argument("until", type=DUE_DATE)
@click.option("--reason", default="", help="Why it can wait.")
@pass_env
def snooze(env: Env, card_id: int, until: date, reason: str) -> None:
    """Hide a card from triage until a date."""
    env.session().run(card_actions.snooze_card, env.today, card_id, until, reason)
    _echo_done(env, card_id, f"snoozed until {until}")


def _rank_line(session: BoardSession, env: Env, card: Card) -> str:
    if not card.is_open:
        return ""
    score = session.run(pipeline.card_score, env.today, card.id)
    return f"{score.total:.1f} (why: pkanban why {card.id})"


def _echo_done(env: Env, card_id: int, what: str) -> None:
    say(f"#{card_id} {what}")


COMMANDS = (add, list_cards, show, move, edit, touch, won, lost, block, snooze)
