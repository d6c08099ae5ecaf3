"""An import's `CardBatch` writes exactly what `insert_card`, one card at a time, would: the same
rows, positions and WIP refusals, wherever the chunks are flushed — and, where one card at a
time records a snapshot each, one `card_range` event naming the cards it created."""

from contextlib import suppress
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pkanban.domain.errors import PkanbanError
from pkanban.services.cards import CardBatch, NewCard, add_card, insert_card
from pkanban.store import board
from pkanban.store.database import open_store

TODAY = date(2026, 11, 25)
STAGES = ["Leads", "Contacted", "Discovery", "Proposal", "Negotiation"]
LANES = ["Expedite", "New business", "Accounts"]

new_cards = st.lists(
    st.builds(
        NewCard,
        title=st.sampled_from(["Acme", "  Globex  ", "", "x" * 2001, "Tab\there"]),
        stage=st.sampled_from(STAGES),
        lane=st.sampled_from(LANES),
        value=st.sampled_from([None, 0, 950, -1]),
        tags=st.sampled_from([(), ("",), ("#hot", "hot", " b ")]),
        disposition=st.sampled_from(["open", "open", "won", "lost"]),
        closed=st.just(date(2026, 10, 1)),
    ),
    max_size=25,
)


def board_with_cards(path, existing: list[NewCard]):
    store = open_store(path, create=True)
    for new in existing:
        with suppress(PkanbanError):
            add_card(store, TODAY, new)
    return store


def written(store) -> tuple[list, list]:
    conn = store.conn
    cards = conn.execute("SELECT * FROM cards ORDER BY id").fetchall()
    events = conn.execute("SELECT action_id, entity, entity_id, card_id, before, after FROM events")
    return cards, events.fetchall()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(existing=new_cards, imported=new_cards, every=st.integers(1, 7))
def test_a_batch_writes_what_insert_card_writes(tmp_path_factory, existing, imported, every):
    folder = tmp_path_factory.mktemp("batch")
    one_by_one = board_with_cards(folder / "one.db", existing)
    batched = board_with_cards(folder / "batch.db", existing)
    refused_one, refused_batch = [], []

    with one_by_one.action("imported", "Imported", TODAY) as log:
        for new in imported:
            try:
                insert_card(one_by_one.conn, log, TODAY, new)
            except PkanbanError as error:
                refused_one.append(str(error))

    conn = batched.conn
    with batched.action("imported", "Imported", TODAY) as log:
        batch = CardBatch(conn, log, TODAY)
        stored = []
        for done, new in enumerate(imported, 1):
            stage, lane = board.find_stage(conn, new.stage), board.find_lane(conn, new.lane)
            try:
                batch.add(new, stage, lane)
            except PkanbanError as error:
                refused_batch.append(str(error))
            if done % every == 0:
                stored += batch.flush()
        stored += batch.flush()

    assert refused_batch == refused_one
    cards, events = written(batched)
    one_cards, one_events = written(one_by_one)
    assert cards == one_cards
    new_events = [event for event in one_events if event[0] == log.action_id]
    assert [event for event in events if event[0] != log.action_id] == [
        event for event in one_events if event[0] != log.action_id
    ]
    ranges = [event for event in events if event[0] == log.action_id]
    if new_events:
        first, last = new_events[0][2], new_events[-1][2]
        payload = f'{{"first": {first}, "last": {last}, "count": {last - first + 1}}}'
        assert ranges == [(log.action_id, "card_range", first, first, None, payload)]
    else:
        assert ranges == []
    assert [row["id"] for row in stored] == [card[0] for card in cards[len(cards) - len(stored) :]]
    one_by_one.close()
    batched.close()
