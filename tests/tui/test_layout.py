"""The board's geometry and a card's lines, without a terminal."""

from datetime import date, timedelta

import pytest

from pkanban.domain.bestby import BestBy
from pkanban.domain.models import Card, Lane, Settings, Stage
from pkanban.services.views import BoardContext
from pkanban.tui import layout
from pkanban.tui.filter import BoardFilter
from pkanban.tui.widgets.card import card_lines, due_part

TODAY = date(2026, 11, 25)


def test_every_card_fits_or_a_line_is_kept_for_the_count():
    assert layout.window_capacity(rows=12, card_lines=3, total=4) == 4
    assert layout.window_capacity(rows=12, card_lines=3, total=5) == 3  # 9 lines + "… 2 more"
    assert layout.window_capacity(rows=2, card_lines=3, total=500) == 1  # never zero


@pytest.mark.parametrize(
    ("offset", "selected", "expected"),
    [(0, 0, 0), (0, 4, 2), (10, 3, 3), (5, 6, 5), (9_990, 9_999, 9_997)],
)
def test_the_window_moves_as_little_as_needed_to_show_the_selection(offset, selected, expected):
    assert layout.scrolled_offset(offset, selected, capacity=3, total=10_000) == expected


def test_lanes_get_what_they_need_and_share_fairly_when_short():
    assert layout.lane_heights(40, [4, 10, 7], minimum=5) == [4, 10, 26]
    assert layout.lane_heights(21, [4, 100, 40], minimum=5) == [4, 9, 8]
    assert layout.lane_heights(30, [None, 100, 100], minimum=5) == [1, 14, 15]


def test_an_empty_lane_gives_its_rows_to_a_busy_one():
    """60×15: 11 lines for Expedite (empty), New business (1,589 cards) and Accounts (empty)."""
    assert layout.lane_heights(11, [2, 1 + 1589 * 3, 2], minimum=5) == [2, 7, 2]
    # a screen taller than the needs: the spare lines fill the last lane
    assert layout.lane_heights(30, [2, 20, 2], minimum=5) == [2, 20, 8]


def test_a_wide_column_shows_a_card_in_two_lines_a_narrow_one_in_three():
    assert layout.card_height(40) == 2 and layout.card_height(15) == 3


def _view(**fields):
    stage = Stage(id=2, name="Discovery", position=2, wip_limit=5, shelf_life_days=21)
    lane = Lane(id=1, name="New business", position=1)
    card = Card(
        id=7,
        title=fields.pop("title", "Acme Corp"),
        lane_id=1,
        stage_id=2,
        created=TODAY - timedelta(days=30),
        entered_stage=TODAY - timedelta(days=25),
        value=12_000,
        touch_count=3,
        **fields,
    )
    context = BoardContext(TODAY, Settings(), [stage], [lane], BestBy(75, "fallback", 0, 80))
    return context.view(card)


def test_a_card_carries_its_facts_as_text_so_it_reads_without_colour():
    view = _view(next_due=TODAY - timedelta(days=3), blocked_reason="Legal")
    wide = card_lines(view, 40, 2, 7, "$", TODAY)
    assert ["".join(text for text, _ in line) for line in wide] == [
        "⊘ Acme Corp",
        "$12k ⚠ 25d/21d 3/7 overdue 3d",
    ]
    narrow = card_lines(view, 14, 3, 7, "$", TODAY)
    assert ["".join(text for text, _ in line) for line in narrow] == [
        "⊘ Acme Corp",
        "$12k ⚠ 25d/21d",
        "3/7 overdue 3d",
    ]
    roles = {role for line in wide for _, role in line}
    assert {"blocked", "badge-stale", "due-overdue", "value", "touches"} <= roles


def test_long_and_wide_titles_are_cut_with_an_ellipsis_to_the_column():
    line = card_lines(_view(title="株式会社テスト Holdings"), 10, 3, 7, "$", TODAY)[0]
    assert "".join(text for text, _ in line) == "株式会社…"


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (-2, "overdue 2d"),
        (0, "due today"),
        (2, "due Fri"),
        (20, "due 12-15"),
        (60, "due 2027-01-24"),
    ],
)
def test_the_next_step_date_is_said_relative_to_today(days, text):
    assert due_part(TODAY + timedelta(days=days), TODAY)[0] == text


def test_the_filter_reads_words_tags_and_lanes():
    parsed = BoardFilter.parse("acme  #VIP lane:new 100%")
    assert parsed.match.words == ("acme", "100%") and parsed.match.tags == ("VIP",)
    assert parsed.lanes == ("new",)
    assert parsed.shows_lane(Lane(id=1, name="New business", position=0))
    assert not parsed.shows_lane(Lane(id=2, name="Accounts", position=1))
    assert not BoardFilter.parse("   ")
