"""Notes and search: `note` adds or edits a dated note on a card, `search` finds any card by
any of its words — title, contact, next step, reasons, notes and touch texts."""

import sys

import click

from pkanban.cli.context import Env, pass_env, say, say_json
from pkanban.cli.params import CARD_NUMBER
from pkanban.domain.text import clean_text
from pkanban.services import notes as note_actions
from pkanban.services.search import DEFAULT_LIMIT, search_cards
from pkanban.services.session import RANKED_AT_MOST

MAX_ID = 2**63 - 1


@click.command()
@click.argument("card_id", metavar="CARD", type=CARD_NUMBER)
@click.argument("text")
@click.option(
    "--edit",
    "note_id",
    type=click.IntRange(1, MAX_ID),
    metavar="NOTE",
    help="Replace the text of this note (its number as `pkanban show CARD` lists it).",
)
@pass_env
def note(env: Env, card_id: int, text: str, note_id: int | None) -> None:
    """Add a dated note to a card (TEXT `-` reads it from stdin, several lines allowed).

    Markdown is welcome and kept as typed; it is always shown as text. `pkanban undo` takes a
    note (or an edit) back.
    """
    if text == "-":
        text = sys.stdin.read()
    session = env.session()
    if note_id is None:
        saved = session.run(note_actions.add_note, env.today, card_id, text)
        say(f"#{card_id} note {saved.id} added")
    else:
        session.run(note_actions.edit_note, env.today, card_id, note_id, text)
        say(f"#{card_id} note {note_id} edited")


@click.command()
@click.argument("query")
@click.option("--all", "include_closed", is_flag=True, help="Include won, lost and cleared cards.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of hits.")
@click.option(
    "--limit",
    type=click.IntRange(1, 10_000),
    default=DEFAULT_LIMIT,
    show_default=True,
    help="At most this many cards.",
)
@pass_env
def search(env: Env, query: str, include_closed: bool, as_json: bool, limit: int) -> None:
    """Find cards by any word: title, contact, next step, blocked and lost reasons, notes and
    touch texts. Every word must match; the last may be the start of a word (`acm` finds
    Acme). Best matches first (bm25), each with the text that matched.

    Open cards only unless --all. Quotes, `*`, `-`, `NEAR(` and the like are searched as
    plain words.
    """
    found = env.session().run(search_cards, query, include_closed=include_closed, limit=limit)
    hits = found.hits
    if found.narrowed:
        say(
            f"pkanban: more than {RANKED_AT_MOST:,} cards match; the newest {RANKED_AT_MOST:,}"
            " were ranked — add a word to narrow the search",
            err=True,
        )
    if as_json:
        rows = [
            {
                "id": hit.card_id,
                "title": hit.title,
                "disposition": hit.disposition,
                "stage": hit.stage,
                "lane": hit.lane,
                "field": hit.field,
                "snippet": hit.snippet_text,
                "matches": [
                    {"field": field, "snippet": "".join(text for text, _ in parts)}
                    for field, parts in hit.matches
                ],
                "score": round(-hit.score, 4),
            }
            for hit in hits
        ]
        say_json(rows)
        return
    if not hits:
        scope = "" if include_closed else " open"
        more = "" if include_closed else " (add --all to search won, lost and cleared cards too)"
        say(f"No{scope} card matches{more}")
        return
    for hit in hits:
        status = "" if hit.disposition == "open" else f"  [{hit.disposition}]"
        say(f"#{hit.card_id}  {clean_text(hit.title)}{status}")
        for field, parts in hit.matches:
            snippet = "".join(
                click.style(clean_text(text), bold=True) if is_match else clean_text(text)
                for text, is_match in parts
            )
            say(f"    {field}: {snippet}")


COMMANDS = (note, search)
