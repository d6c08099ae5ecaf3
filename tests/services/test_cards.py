"""Card actions through the services: WIP is hard everywhere, every action is undoable and
recorded, and nothing is deleted."""

import json
from datetime import timedelta

import pytest

from pkanban.domain.errors import Conflict, InvalidInput, PkanbanError, WipLimitReached
from pkanban.services import cards as actions
from pkanban.services.undo import undo_last
from pkanban.store import board


def add(store, today, title, **fields):
    return actions.add_card(store, today, actions.NewCard(title=title, **fields))


def dump(store):
    tables = ("cards", "touches", "stages", "lanes", "board_meta")
    return {t: store.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def test_a_new_card_lands_in_the_pool_of_new_business(store, today):
    card = add(store, today, "Acme Corp", value=12000)
    stage = board.stages(store.conn)[0]
    assert (stage.name, card.stage_id, card.created, card.value) == (
        "Leads",
        stage.id,
        today,
        12000,
    )
    assert board.lanes(store.conn)[1].id == card.lane_id


def test_a_move_into_a_full_stage_is_refused_and_changes_nothing(store, today):
    for n in range(5):
        add(store, today, f"Deal {n}", stage="Discovery")
    mover = add(store, today, "One too many", stage="Contacted")
    before = dump(store)
    with pytest.raises(WipLimitReached, match="Discovery is full: 5/5"):
        actions.move_card(store, today, mover.id, "discovery")
    assert dump(store) == before


def test_the_expedite_lane_takes_one_card_in_work(store, today):
    add(store, today, "Urgent", stage="Proposal", lane="Expedite")
    add(store, today, "Queued lead", stage="Leads", lane="Expedite")
    with pytest.raises(WipLimitReached, match="Expedite lane is full: 1/1"):
        add(store, today, "Second urgent", stage="Contacted", lane="expedite")


def test_a_move_resets_age_in_stage_but_not_total_age(store, today):
    card = add(store, today - timedelta(days=30), "Acme")
    moved = actions.move_card(store, today, card.id, "Contacted")
    assert (moved.created, moved.entered_stage) == (today - timedelta(days=30), today)


def test_a_touch_counts_and_sets_the_next_step(store, today):
    card = add(store, today, "Acme")
    touched = actions.log_touch(store, today, card.id, "call", "Spoke to Ana", "Send deck", today)
    assert (touched.touch_count, touched.last_touch, touched.next_step) == (1, today, "Send deck")
    assert [t.text for t in board.touches(store.conn, card.id)] == ["Spoke to Ana"]


def test_won_and_lost_cards_are_archived_not_deleted(store, today):
    won = add(store, today, "Winner")
    lost = add(store, today, "Loser")
    actions.mark_won(store, today, won.id, 9000)
    actions.mark_lost(store, today, lost.id, "No budget")
    assert board.card(store.conn, won.id).disposition == "won"
    assert board.card(store.conn, lost.id).lost_reason == "No budget"
    assert board.count_open(store.conn) == 0
    with pytest.raises(PkanbanError, match="already won"):
        actions.move_card(store, today, won.id, "Contacted")


def test_lost_needs_a_reason(store, today):
    card = add(store, today, "Acme")
    with pytest.raises(InvalidInput, match="cannot be empty"):
        actions.mark_lost(store, today, card.id, "   ")


def test_undo_restores_the_exact_previous_state(store, today):
    card = add(store, today, "Acme")
    before = dump(store)
    actions.log_touch(store, today, card.id, "call", "hi", "next", today)
    undo_last(store, today)
    assert dump(store) == before


def test_undo_puts_a_card_back_as_the_board_was_and_the_stage_then_takes_nothing_new(store, today):
    card = add(store, today, "Acme", stage="Negotiation")
    actions.move_card(store, today, card.id, "Proposal")
    negotiation = board.find_stage(store.conn, "Negotiation")
    # Negotiation fills up behind the board's back (e.g. a hand-edited file): the board cannot
    # tell those cards from ones it held before the move, so undo brings Acme back over the limit.
    for n in range(3):
        store.conn.execute(
            "INSERT INTO cards (title, lane_id, stage_id, created, entered_stage)"
            " VALUES (?, 2, ?, '2026-11-01', '2026-11-01')",
            [f"Deal {n}", negotiation.id],
        )
    undo_last(store, today)
    assert (
        board.find_stage(store.conn, "Negotiation").id == board.card(store.conn, card.id).stage_id
    )
    other = add(store, today, "Bolt", stage="Proposal")
    with pytest.raises(WipLimitReached, match="Negotiation is full: 4/3, over by 1"):
        actions.move_card(store, today, other.id, "Negotiation")


def test_undo_refuses_when_the_card_changed_since(store, today):
    card = add(store, today, "Acme")
    actions.move_card(store, today, card.id, "Contacted")
    store.conn.execute("UPDATE cards SET title = 'changed elsewhere' WHERE id = ?", [card.id])
    with pytest.raises(Conflict, match="has changed since"):
        undo_last(store, today)


def test_every_action_is_recorded_with_before_and_after(store, today):
    card = add(store, today, "Acme")
    actions.move_card(store, today, card.id, "Contacted")
    before, after = store.conn.execute(
        "SELECT before, after FROM events WHERE entity = 'cards' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert json.loads(before)["stage_id"] != json.loads(after)["stage_id"]


def test_markup_and_escapes_are_stored_literally_with_controls_stripped(store, today):
    card = add(store, today, "[@click=app.quit]Acme [/] \x1b[31mred\x1b[0m \x07")
    assert card.title == "[@click=app.quit]Acme [/] red"
