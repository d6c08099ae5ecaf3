"""`pkanban ls` reads its lines from plain rows: they must say exactly what the full card views
say — same cards, order, ages, badges, due dates and flags — whatever the filter."""

from datetime import timedelta

import pytest

from pkanban.services import cards as actions
from pkanban.services import views
from pkanban.services.demo import build_demo


@pytest.fixture
def busy_store(store, today):
    """The demo board, plus cards that exercise every column: closed, blocked, overdue, due
    today, wide text, and one added after the listing's day."""
    build_demo(store, today)
    add = actions.add_card
    late = add(
        store, today, actions.NewCard("Late", stage="Contacted", next_step="Call", next_due=today)
    )
    actions.mark_lost(store, today, late.id, "Price")
    won = add(store, today, actions.NewCard("Winner", stage="Contacted", value=9000))
    actions.mark_won(store, today + timedelta(days=3), won.id, None)
    blocked = add(store, today, actions.NewCard("株式会社テスト", value=1500))
    actions.set_blocked(store, today, blocked.id, "legal")
    overdue = today - timedelta(days=2)
    add(
        store,
        today,
        actions.NewCard("Overdue \x1b[31m", next_step="Call", next_due=overdue, tags=("vip",)),
    )
    add(store, today + timedelta(days=40), actions.NewCard("From the future"))
    return store


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"include_closed": True},
        {"stage": "leads"},
        {"lane": "Accounts"},
        {"stage": "Contacted", "include_closed": True},
    ],
)
@pytest.mark.parametrize("day_offset", [0, -30, 400])
def test_card_lines_are_the_card_views_as_lines(busy_store, today, filters, day_offset):
    day = today + timedelta(days=day_offset)
    expected = [view.line() for view in views.card_views(busy_store, day, **filters)]
    assert views.card_lines(busy_store, day, **filters) == expected
    assert expected


def test_a_closed_card_line_shows_its_disposition_and_age(busy_store, today):
    lines = views.card_lines(busy_store, today + timedelta(days=10), include_closed=True)
    won = next(line for line in lines if line.title == "Winner")
    assert (won.badge.level, won.badge.text, won.overdue) == ("closed", "won 3d", False)
