"""The flow aggregates SQLite works out — closures per ISO week, decided cards per lane — agree
with the same figures counted card by card in Python, for any period."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from pkanban.domain.metrics import week_start
from pkanban.store import board
from pkanban.store import metrics as queries

TODAY = date(2026, 11, 25)


@pytest.fixture
def archive(store):
    """Four hundred cards closed over three years (fixture rows, written directly)."""
    rng = random.Random(7)
    stage_id = board.stages(store.conn)[1].id
    lane_ids = [lane.id for lane in board.lanes(store.conn)]
    rows = []
    for n in range(400):
        closed = TODAY - timedelta(days=rng.randint(0, 1100))
        rows.append(
            (
                f"Deal {n}",
                rng.choice(lane_ids),
                stage_id,
                (closed - timedelta(days=rng.randint(1, 90))).isoformat(),
                closed.isoformat(),
                rng.randint(0, 9),
                rng.choice(("won", "lost", "cleared")),
                closed.isoformat(),
            )
        )
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO cards (title, lane_id, stage_id, created, entered_stage, touch_count,"
            " disposition, closed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return store.conn


def closed_cards(conn, since, until):
    found = conn.execute(
        "SELECT closed, disposition, lane_id, touch_count FROM cards WHERE disposition != 'open'"
    )
    return [
        (date.fromisoformat(closed), kind, lane, touches)
        for closed, kind, lane, touches in found
        if (since is None or date.fromisoformat(closed) >= since)
        and date.fromisoformat(closed) <= until
    ]


PERIODS = [(None, TODAY), (date(2025, 1, 1), TODAY), (date(2024, 3, 4), date(2025, 6, 30))]


@pytest.mark.parametrize(("since", "until"), PERIODS)
def test_closures_per_week_are_the_cards_counted_by_their_monday(archive, since, until):
    expected = Counter(
        (week_start(day), kind) for day, kind, _, _ in closed_cards(archive, since, until)
    )
    found = queries.closed_per_week(archive, since, until)
    assert {(monday, kind): count for monday, kind, count in found} == expected
    assert len(found) == len(expected)


@pytest.mark.parametrize(("since", "until"), PERIODS)
def test_decided_cards_per_lane_are_counted_with_their_touches(archive, since, until):
    lane_ids = [lane.id for lane in board.lanes(archive)]
    expected = {(lane, kind): (0, 0) for lane in lane_ids for kind in ("won", "lost")}
    for _, kind, lane, touches in closed_cards(archive, since, until):
        if kind != "cleared":
            count, total = expected[lane, kind]
            expected[lane, kind] = (count + 1, total + touches)
    assert queries.decided_by_lane(archive, since, until, lane_ids) == expected
