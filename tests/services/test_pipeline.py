"""Pull, earn the next lead, rank and triage through the services, asserting the board file."""

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pkanban.domain.errors import InvalidInput, PkanbanError, WipLimitReached
from pkanban.services import cards as actions
from pkanban.services import config, pipeline, views
from pkanban.services.undo import undo_last
from pkanban.store import board
from pkanban.store.database import open_store

DAY = timedelta(days=1)


def add(store, today, title, **fields):
    if fields.get("next_due") and not fields.get("next_step"):
        fields["next_step"] = "Follow up"  # a due date belongs to a next step
    return actions.add_card(store, today, actions.NewCard(title=title, **fields))


def dump(store):
    tables = ("cards", "touches", "stages", "lanes", "board_meta", "events")
    return {t: store.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def where(store, card_id):
    card = board.card(store.conn, card_id)
    stage = next(s for s in board.stages(store.conn) if s.id == card.stage_id)
    lane = next(lane for lane in board.lanes(store.conn) if lane.id == card.lane_id)
    return stage.name, lane.name


def test_pull_moves_the_best_lead_into_contacted_and_records_one_action(store, today):
    add(store, today, "Small", value=2000)
    big = add(store, today, "Big", value=90_000, lane="Accounts")
    add(store, today, "Medium", value=15_000)
    pulled = pipeline.pull_next_lead(store, today)
    assert pulled.card.id == big.id
    assert where(store, big.id) == ("Contacted", "Accounts")
    card = board.card(store.conn, big.id)
    assert (card.pulled, card.entered_stage) == (today, today)
    [action] = board.history(store.conn, big.id, limit=1)
    assert (action["kind"], action["summary"]) == (
        "pulled",
        "Pulled #2 Big into Contacted · Accounts",
    )
    assert pulled.score.value_points > 0
    undo_last(store, today)
    assert where(store, big.id) == ("Leads", "Accounts")
    assert board.card(store.conn, big.id).pulled is None


def test_pull_is_refused_until_the_last_lead_was_touched(store, today):
    add(store, today, "Acme Corp", value=9000)
    add(store, today, "Globex", value=5000)
    first = pipeline.pull_next_lead(store, today).card
    before = dump(store)
    with pytest.raises(pipeline.LeadNotEarned) as refusal:
        pipeline.pull_next_lead(store, today)
    assert f"#{first.id} Acme Corp — no touch yet" in str(refusal.value)
    assert [debt.card_id for debt in refusal.value.debts] == [first.id]
    assert dump(store) == before
    actions.log_touch(store, today, first.id, "call", "Intro", "Demo", today + 2 * DAY)
    assert pipeline.pull_next_lead(store, today).card.title == "Globex"


def test_an_overdue_next_step_on_a_pulled_lead_holds_up_the_next_pull(store, today):
    add(store, today - 9 * DAY, "Acme Corp", value=9000)
    add(store, today - 9 * DAY, "Globex")
    lead = pipeline.pull_next_lead(store, today - 9 * DAY).card
    actions.log_touch(store, today - 8 * DAY, lead.id, "call", "", "Send deck", today - 5 * DAY)
    with pytest.raises(pipeline.LeadNotEarned, match="next step overdue since 2026-11-20"):
        pipeline.pull_next_lead(store, today)
    pipeline.set_next_step(store, today, lead.id, today + 2 * DAY, "Call back")
    assert pipeline.pull_next_lead(store, today).card.title == "Globex"


def test_the_earn_rule_can_be_switched_off(store, today):
    for title in ("A", "B"):
        add(store, today, title)
    pipeline.pull_next_lead(store, today)
    config.set_setting(store, today, "earn_next_lead", "off")
    assert pipeline.pull_next_lead(store, today).card.title == "B"


def test_a_lead_moved_back_to_the_pool_no_longer_holds_up_pulls(store, today):
    add(store, today, "A", value=10)
    add(store, today, "B", value=5)
    lead = pipeline.pull_next_lead(store, today).card
    actions.move_card(store, today, lead.id, "Leads")
    assert pipeline.pull_next_lead(store, today).card.id == lead.id  # still the best lead


def test_a_lead_is_never_pulled_past_the_first_active_stage(store, today):
    config.set_setting(store, today, "earn_next_lead", "off")
    config.update_stage(store, today, "Contacted", wip_limit=1)
    for n in range(2):
        add(store, today, f"Lead {n}", value=1000 * (3 - n))
    assert where(store, pipeline.pull_next_lead(store, today).card.id)[0] == "Contacted"
    before = dump(store)
    with pytest.raises(pipeline.NoRoomToPull) as refusal:
        pipeline.pull_next_lead(store, today)  # Discovery, Proposal … have room: not for a lead
    message = str(refusal.value)
    assert message.startswith(
        "No room to pull a lead (a lead enters the first active stage only): Contacted is"
        " full: 1/1 — finish, clear"
    )
    assert isinstance(refusal.value, WipLimitReached)
    assert dump(store) == before


def test_a_full_lane_is_named_and_other_lanes_are_still_pulled(store, today):
    config.set_setting(store, today, "earn_next_lead", "off")
    add(store, today, "Hot", lane="Expedite", value=99_000)
    add(store, today, "Already rushing", lane="Expedite", stage="Negotiation")
    add(store, today, "Normal", value=1000)
    assert pipeline.pull_next_lead(store, today).card.title == "Normal"
    with pytest.raises(pipeline.NoRoomToPull, match="Expedite lane is full: 1/1"):
        pipeline.pull_next_lead(store, today, lane="expedite")


def test_pull_with_a_lane_takes_only_that_lanes_leads(store, today):
    add(store, today, "Big new", value=90_000)
    add(store, today, "Small account", lane="Accounts", value=100)
    pulled = pipeline.pull_next_lead(store, today, lane="accounts")
    assert (pulled.card.title, pulled.lane.name) == ("Small account", "Accounts")


def test_an_empty_pool_is_said_plainly(store, today):
    with pytest.raises(pipeline.EmptyPool, match="The pool is empty"):
        pipeline.pull_next_lead(store, today)
    add(store, today, "Account lead", lane="Accounts")
    with pytest.raises(pipeline.EmptyPool, match="The New business pool is empty"):
        pipeline.pull_next_lead(store, today, lane="New business")
    with pytest.raises(PkanbanError, match='No lane "Nowhere"'):
        pipeline.pull_next_lead(store, today, lane="Nowhere")


def test_snoozed_and_blocked_leads_stay_in_the_pool(store, today):
    later = add(store, today, "Later", value=50_000)
    stuck = add(store, today, "Stuck", value=40_000)
    ready = add(store, today, "Ready", value=100)
    actions.snooze_card(store, today, later.id, today + 30 * DAY, "after budget season")
    actions.set_blocked(store, today, stuck.id, "waiting for intro")
    assert pipeline.pull_next_lead(store, today).card.id == ready.id
    config.set_setting(store, today, "earn_next_lead", "off")
    with pytest.raises(pipeline.EmptyPool, match="snoozed or blocked"):
        pipeline.pull_next_lead(store, today)


def test_fit_answers_change_which_lead_is_pulled(store, today):
    plain = add(store, today, "Plain", value=10_000)
    fitting = add(store, today, "Fitting", value=10_000)
    pipeline.set_checklist(store, today, fitting.id, "budget", True)
    pipeline.set_checklist(store, today, fitting.id, "Decision maker known", True)
    pipeline.set_checklist(store, today, plain.id, "budget", False)
    assert board.card(store.conn, fitting.id).checklist == {
        "Budget confirmed": True,
        "Decision maker known": True,
    }
    assert pipeline.pull_next_lead(store, today).card.id == fitting.id
    assert board.history(store.conn, plain.id, limit=1)[0]["summary"] == (
        f"#{plain.id}: Budget confirmed — no"
    )


def test_a_checklist_answer_is_an_undoable_event_and_bad_criteria_change_nothing(store, today):
    card = add(store, today, "Acme")
    pipeline.set_checklist(store, today, card.id, "fits", True)
    before = dump(store)
    with pytest.raises(InvalidInput, match="not on the checklist"):
        pipeline.set_checklist(store, today, card.id, "Champion", True)
    assert dump(store) == before
    undo_last(store, today)
    assert board.card(store.conn, card.id).checklist == {}


def test_set_next_step_needs_an_open_card_and_a_date_from_today(store, today):
    card = add(store, today, "Acme", stage="Contacted")
    assert views.card_view(store, today, card.id).no_next_step
    updated = pipeline.set_next_step(store, today, card.id, today + DAY, "Call\x1b[31m CFO")
    assert (updated.next_step, updated.next_due) == ("Call CFO", today + DAY)
    assert not views.card_view(store, today, card.id).no_next_step
    kept = pipeline.set_next_step(store, today, card.id, today + 3 * DAY)
    assert kept.next_step == "Call CFO"
    with pytest.raises(InvalidInput, match="today or later"):
        pipeline.set_next_step(store, today, card.id, today - DAY, "Late")
    actions.mark_won(store, today, card.id)
    with pytest.raises(InvalidInput, match="is won"):
        pipeline.set_next_step(store, today, card.id, today + DAY, "More")


def test_the_triage_queue_reads_the_board_and_skips_snoozed_cards_and_pool_inventory(store, today):
    for n in range(30):
        add(store, today - 200 * DAY, f"Old lead {n}")
    overdue = add(store, today - 3 * DAY, "Overdue", stage="Discovery", next_due=today - DAY)
    due = add(
        store, today, "Due", stage="Proposal", next_due=today, next_step="Send", last_touch=today
    )
    dead = add(store, today, "Dead", stage="Discovery", last_touch=today, touch_count=1)
    snoozed = add(store, today, "Snoozed", stage="Discovery", next_due=today - DAY)
    actions.snooze_card(store, today, snoozed.id, today + 7 * DAY, "holiday")
    nurtured = add(store, today, "Nurtured", next_due=today)
    queue = pipeline.triage_queue(store, today)
    assert [entry.view.card.id for entry in queue] == [overdue.id, due.id, nurtured.id, dead.id]
    assert [r.kind for r in queue[0].reasons] == ["overdue", "not_contacted"]
    assert queue[-1].reasons[0].text == "no next step"
    payload = queue[1].as_json()
    assert payload["reasons"] == [{"kind": "due_today", "text": "next step due today: Send"}]
    assert {"rank", "rank_why", "title", "stage"} <= payload.keys()
    json.dumps(payload)


def test_rank_views_puts_best_money_first_and_closed_cards_last(store, today):
    add(store, today, "Small", value=100, stage="Discovery")
    add(store, today, "Big", value=90_000, stage="Contacted")
    won = add(store, today, "Done", value=5000)
    actions.mark_won(store, today, won.id)
    found = views.card_views(store, today, include_closed=True)
    ranked = pipeline.rank_views(store, today, found)
    assert [(view.card.title, score is None) for view, score in ranked] == [
        ("Big", False),
        ("Small", False),
        ("Done", True),
    ]
    assert "typical $5k" in pipeline.card_score(store, today, 2).why


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    limits=st.lists(st.none() | st.integers(0, 3), min_size=4, max_size=4),
    lane_limits=st.lists(st.none() | st.integers(0, 3), min_size=3, max_size=3),
    leads=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 50)), min_size=1, max_size=15),
    pulls=st.integers(1, 15),
)
def test_pull_never_exceeds_any_wip_limit(limits, lane_limits, leads, pulls):
    today = date(2026, 11, 25)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "board.db", create=True)
        try:
            config.set_setting(store, today, "earn_next_lead", "off")
            stages = [s.name for s in board.stages(store.conn) if s.kind == "active"]
            lanes = [lane.name for lane in board.lanes(store.conn)]
            for name, limit in zip(stages, limits, strict=True):
                config.update_stage(store, today, name, wip_limit=limit)
            for name, limit in zip(lanes, lane_limits, strict=True):
                config.update_lane(store, today, name, wip_limit=limit)
            for lane_index, value in leads:
                add(store, today, "Lead", lane=lanes[lane_index], value=value * 1000)
            for _ in range(pulls):
                try:
                    pipeline.pull_next_lead(store, today)
                except PkanbanError:
                    break
            for stage in board.stages(store.conn):
                count = board.count_open(store.conn, stage_id=stage.id)
                assert stage.wip_limit is None or count <= stage.wip_limit
            for lane in board.lanes(store.conn):
                count = board.count_open(store.conn, lane_id=lane.id, active_only=True)
                assert lane.wip_limit is None or count <= lane.wip_limit
        finally:
            store.close()


def test_triage_count_matches_the_queue(store, today):
    add(store, today, "Overdue", stage="Discovery", next_due=today - DAY)
    add(store, today, "Fine", stage="Discovery", next_due=today + DAY, last_touch=today)
    add(store, today, "Pool lead")
    assert pipeline.triage_count(store, today) == len(pipeline.triage_queue(store, today)) == 1


def test_a_due_date_with_no_next_step_is_refused_everywhere_a_step_is_set(store, today):
    card = actions.add_card(store, today, actions.NewCard(title="Acme"))
    friday = date(2026, 11, 27)
    with pytest.raises(InvalidInput, match="needs its text"):
        pipeline.set_next_step(store, today, card.id, friday, "  ")
    with pytest.raises(InvalidInput, match="needs its text"):
        pipeline.set_next_step(store, today, card.id, friday)  # the card has no step to keep
    with pytest.raises(InvalidInput, match="needs its text"):
        actions.add_card(store, today, actions.NewCard(title="Globex", next_due=friday))
    with pytest.raises(InvalidInput, match="needs its text"):
        actions.edit_card(store, today, card.id, {"next_due": friday})
    with pytest.raises(InvalidInput, match="needs its text"):
        actions.log_touch(store, today, card.id, "call", next_step="", next_due=friday)
    set_card = pipeline.set_next_step(store, today, card.id, friday, "Call the CFO")
    assert (set_card.next_step, set_card.next_due) == ("Call the CFO", friday)
