"""The cumulative flow diagram means what it says: on every week, its bands never cross, and the
gap between the top band and done is the open WIP, counted here independently from the cards'
own dates."""

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pkanban.services import cards as actions
from pkanban.services import config
from pkanban.services.metrics import flow_metrics
from pkanban.store import board
from pkanban.store.database import open_store

START = date(2026, 9, 7)  # a Monday
STAGES = ["Leads", "Contacted", "Discovery", "Proposal", "Negotiation"]

steps = st.lists(
    st.tuples(
        st.integers(0, 48),  # day of the step, from START
        st.sampled_from(["add", "move", "won", "lost", "cleared"]),
        st.integers(0, 30),  # which card
        st.sampled_from(STAGES),
    ),
    max_size=40,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_the_bands_never_cross_and_their_gap_is_the_open_wip(story):
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "board.db", create=True)
        try:
            for name in STAGES[1:]:
                config.update_stage(store, START, name, wip_limit=None)
            _play(store, sorted(story, key=lambda step: step[0]))
            today = START + timedelta(days=50)
            cfd = flow_metrics(store, today, since=START)["cumulative_flow"]
            cards = board.cards(store.conn, include_closed=True)
        finally:
            store.close()
    assert cfd["stages"] == STAGES
    for week in cfd["weeks"]:
        end = min(date.fromisoformat(week["start"]) + timedelta(days=6), today)
        bands = [week["reached"][name] for name in STAGES] + [week["done"]]
        assert bands == sorted(bands, reverse=True), week  # stacked: no band crosses another
        open_then = sum(
            card.created <= end and (card.closed is None or card.closed > end) for card in cards
        )
        done_then = sum(card.closed is not None and START <= card.closed <= end for card in cards)
        assert (bands[0] - week["done"], week["done"]) == (open_then, done_then), week


def _play(store, story) -> None:
    """Each step on its day: add a card in a stage, move one, or close it."""
    for offset, kind, which, stage in story:
        day = START + timedelta(days=offset)
        if kind == "add":
            actions.add_card(store, day, actions.NewCard(f"Deal {offset}-{which}", stage=stage))
            continue
        found = [card for card in board.cards(store.conn) if card.created <= day]
        if not found:
            continue
        card = found[which % len(found)]
        if kind == "move" and stage != STAGES[card.stage_id - 1]:
            actions.move_card(store, day, card.id, stage)
        elif kind == "won":
            actions.mark_won(store, day, card.id)
        elif kind == "lost":
            actions.mark_lost(store, day, card.id, "Budget")
        elif kind == "cleared":
            store.conn.execute(
                "UPDATE cards SET disposition = 'cleared', closed = ? WHERE id = ?",
                [day.isoformat(), card.id],
            )
