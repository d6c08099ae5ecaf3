"""Plain-text output for humans: aligned, 80 columns, user text cleaned of control codes."""

from collections.abc import Iterable

import click

from pkanban.domain.money import format_money
from pkanban.domain.text import cell_width, clean_text, truncate
from pkanban.services.views import CardView

TITLE_WIDTH = 26


def cell(text: str, width: int) -> str:
    """`text` cleaned, cut and padded to exactly `width` terminal columns."""
    cut = truncate(clean_text(text), width)
    return cut + " " * (width - cell_width(cut))


def card_row(view: CardView, currency: str, touch_target: int) -> str:
    card = view.card
    status = view.badge.text
    due = ""
    if card.next_due is not None:
        due = card.next_due.isoformat()[5:] + ("!" if view.overdue else "")
    flags = " ⊘" if card.blocked_reason else ""
    return " ".join(
        (
            f"{card.id:>5}",
            cell(card.title, TITLE_WIDTH),
            cell(view.stage.name, 11),
            f"{format_money(card.value, currency):>6}",
            cell(status, 12),
            f"{card.touch_count}/{touch_target}".rjust(4),
            cell(due + flags, 7),
        )
    ).rstrip()


def print_card_table(views: Iterable[CardView], currency: str, touch_target: int) -> None:
    """Cards grouped under their lane, one aligned line each."""
    header = " ".join(
        ("   id", cell("title", TITLE_WIDTH), cell("stage", 11), " value", cell("age", 12))
    )
    click.echo(header + "  t/T  due")
    lane = None
    for view in views:
        if view.lane.name != lane:
            lane = view.lane.name
            click.echo(clean_text(lane))
        click.echo(card_row(view, currency, touch_target))


def print_fields(pairs: Iterable[tuple[str, object]]) -> None:
    for label, value in pairs:
        if value not in (None, "", ()):
            click.echo(f"{label:>14}  {clean_text(str(value))}")
