"""Ages, badges and best-by, as DESIGN §3 defines them."""

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkanban.domain.ages import badge, idle_days, stage_age_days, total_age_days
from pkanban.domain.bestby import best_by, nearest_rank
from pkanban.domain.models import Card, Stage

TODAY = date(2026, 11, 25)
DISCOVERY = Stage(id=3, name="Discovery", position=2, wip_limit=5, shelf_life_days=21)
POOL = Stage(id=1, name="Leads", position=0, kind="pool")


def card(created_ago: int, in_stage: int, touched_ago: int | None = None) -> Card:
    return Card(
        id=1,
        title="Acme",
        lane_id=1,
        stage_id=3,
        created=TODAY - timedelta(days=created_ago),
        entered_stage=TODAY - timedelta(days=in_stage),
        last_touch=None if touched_ago is None else TODAY - timedelta(days=touched_ago),
    )


def test_ages_are_whole_days_without_plus_one():
    prospect = card(created_ago=40, in_stage=12, touched_ago=3)
    assert total_age_days(prospect, TODAY) == 40
    assert stage_age_days(prospect, TODAY) == 12
    assert idle_days(prospect, TODAY) == 3
    assert idle_days(card(40, 12), TODAY) == 40


@pytest.mark.parametrize(
    ("created_ago", "in_stage", "level", "text"),
    [
        (12, 10, "fresh", "10d"),
        (12, 11, "ripening", "11d/21d"),
        (25, 21, "ripening", "21d/21d"),
        (25, 22, "stale", "⚠ 22d/21d"),
        (76, 5, "expired", "✖ 76d/75d"),
        (75, 5, "fresh", "5d"),
    ],
)
def test_badge_levels_carry_text(created_ago, in_stage, level, text):
    shown = badge(card(created_ago, in_stage), DISCOVERY, 75, TODAY)
    assert (shown.level, shown.text) == (level, text)


def test_a_pool_card_without_shelf_life_only_expires():
    assert badge(card(30, 30), POOL, 75, TODAY).level == "fresh"
    assert badge(card(80, 80), POOL, 75, TODAY).level == "expired"


@given(st.lists(st.integers(0, 400), min_size=1, max_size=200), st.integers(1, 100))
def test_nearest_rank_matches_the_definition(values, percentile):
    ordered = sorted(values)
    rank = max(1, math.ceil(percentile * len(values) / 100))
    assert nearest_rank(values, percentile) == ordered[rank - 1]


def test_best_by_falls_back_when_history_is_thin_and_says_why():
    thin = best_by(40, wins=9, percentile=80, fallback_days=75, min_wins=10)
    assert (thin.days, thin.basis) == (75, "fallback")
    assert "only 9 wins" in thin.sentence
    rich = best_by(64, wins=120, percentile=80, fallback_days=75, min_wins=10)
    assert (rich.days, rich.basis) == (64, "percentile")
    assert rich.sentence.startswith("80 % of your 120 wins closed within 64 days")


def test_an_earlier_today_reads_as_day_zero_not_a_negative_age():
    future = card(created_ago=-30, in_stage=-30, touched_ago=-30)
    assert (
        total_age_days(future, TODAY),
        stage_age_days(future, TODAY),
        idle_days(future, TODAY),
    ) == (0, 0, 0)
