"""Hard WIP: the one rule function, tried on its own."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkanban.domain.errors import WipLimitReached
from pkanban.domain.models import Lane, Stage
from pkanban.domain.rules import Placement, Wip, check_wip

POOL = Stage(id=1, name="Leads", position=0, kind="pool")
DISCOVERY = Stage(id=3, name="Discovery", position=2, wip_limit=5, shelf_life_days=21)
PROPOSAL = Stage(id=4, name="Proposal", position=3, wip_limit=4)
EXPEDITE = Lane(id=1, name="Expedite", position=0, wip_limit=1)
NEW = Lane(id=2, name="New business", position=1)


def test_a_full_stage_refuses_a_new_card_and_names_the_limit_and_the_way_out():
    with pytest.raises(WipLimitReached) as refusal:
        check_wip(Placement(PROPOSAL, NEW), Placement(DISCOVERY, NEW), stage_open=5, lane_open=0)
    message = str(refusal.value)
    assert message.startswith("Discovery is full: 5/5")
    assert "finish, clear or move one" in message
    assert "--wip" in message


def test_moving_between_lanes_inside_an_over_limit_stage_is_not_inflow():
    check_wip(Placement(DISCOVERY, NEW), Placement(DISCOVERY, NEW), stage_open=9, lane_open=9)


def test_a_full_lane_refuses_a_card_from_another_lane():
    with pytest.raises(WipLimitReached, match="Expedite lane is full: 1/1"):
        check_wip(Placement(DISCOVERY, NEW), Placement(DISCOVERY, EXPEDITE), 3, 1)


def test_pool_cards_do_not_use_a_lanes_wip_but_pulling_one_into_work_does():
    check_wip(None, Placement(POOL, EXPEDITE), stage_open=0, lane_open=1)
    with pytest.raises(WipLimitReached):
        check_wip(Placement(POOL, EXPEDITE), Placement(DISCOVERY, EXPEDITE), 0, 1)


@given(
    limit=st.integers(0, 10),
    count=st.integers(0, 15),
    lane_limit=st.none() | st.integers(0, 10),
    lane_count=st.integers(0, 15),
)
def test_a_card_is_admitted_exactly_when_both_limits_leave_room(
    limit, count, lane_limit, lane_count
):
    stage = Stage(id=9, name="S", position=1, wip_limit=limit)
    lane = Lane(id=9, name="L", position=1, wip_limit=lane_limit)
    room = count + 1 <= limit and (lane_limit is None or lane_count + 1 <= lane_limit)
    try:
        check_wip(None, Placement(stage, lane), count, lane_count)
        admitted = True
    except WipLimitReached:
        admitted = False
    assert admitted == room


def test_a_deal_already_being_worked_keeps_its_stage_past_the_limit_but_nothing_else_enters():
    check_wip(None, Placement(DISCOVERY, EXPEDITE), stage_open=9, lane_open=3, in_progress=True)
    with pytest.raises(WipLimitReached) as refusal:
        check_wip(Placement(POOL, NEW), Placement(DISCOVERY, NEW), stage_open=9, lane_open=0)
    message = str(refusal.value)
    assert message.startswith("Discovery is full: 9/5, over by 4 — it takes no new cards")
    assert "the clearance wizard: pkanban clearance" in message
    assert "clear (c)" in refusal.value.in_app


def test_undoing_a_clearance_brings_an_overload_back_but_never_past_it():
    check_wip(None, Placement(DISCOVERY, NEW), stage_open=8, lane_open=0, held_before=(9, 0))
    with pytest.raises(WipLimitReached):
        check_wip(None, Placement(DISCOVERY, NEW), stage_open=9, lane_open=0, held_before=(9, 0))


def test_the_board_reads_an_overload_as_the_seller_would_say_it():
    over = Wip("Contacted", "stage", 61, 8)
    assert over.overload() == "Contacted 61/8 · over by 53"
    assert over.as_json() == {"count": 61, "limit": 8, "over": 53}
    assert Wip("Expedite", "lane", 1, 1).as_json()["over"] == 0
    assert Wip("Leads", "stage", 900, None).over == 0
