"""Undo and hard WIP: undo puts the board back as it was before the action, never fuller."""

from hypothesis import given
from hypothesis import strategies as st

from pkanban.domain.errors import WipLimitReached
from pkanban.domain.models import Lane, Stage
from pkanban.domain.rules import Placement, check_wip, held_before_action


def test_a_seller_undoes_a_move_out_of_a_stage_whose_limit_was_lowered_below_its_count(shell):
    shell("init")
    shell("add", "Acme", "--stage", "contacted")
    shell("add", "Bolt", "--stage", "contacted")
    shell("config", "stage", "contacted", "--wip", "1")
    assert shell("move", "1", "discovery").exit_code == 0

    undone = shell("undo")

    assert undone.exit_code == 0, undone.output
    assert "full" not in undone.output
    shown = shell("show", "1")
    assert "Contacted" in shown.output
    # Contacted is back at what it held (2/1); nothing new may enter it.
    shell("add", "Cog", "--stage", "discovery")
    refused = shell("move", "3", "contacted")
    assert refused.exit_code == 1
    assert "Contacted is full: 2/1" in refused.output


STAGES = [1, 2, 3]
LANES = [1, 2]
PLACES = st.none() | st.tuples(st.sampled_from(STAGES), st.sampled_from(LANES))


@given(
    before=st.dictionaries(st.integers(1, 6), PLACES, min_size=1, max_size=6),
    moved=st.lists(PLACES, min_size=6, max_size=6),
    others=st.lists(st.tuples(st.sampled_from(STAGES), st.sampled_from(LANES)), max_size=6),
    limits=st.lists(st.none() | st.integers(0, 4), min_size=3, max_size=3),
)
def test_undo_never_makes_a_stage_fuller_than_its_limit_or_what_it_held_before(
    before, moved, others, limits
):
    """Cards `before` an action (plus `others` it never touched) → the action puts each card
    somewhere (`moved`) → limits are whatever they are now → undo puts cards back one by one
    through the WIP gate. No stage ever ends fuller than max(limit, what it held before)."""
    after = {card: moved[i] for i, card in enumerate(before)}
    stages = {
        sid: Stage(id=sid, name=f"S{sid}", position=sid, wip_limit=limits[sid - 1])
        for sid in STAGES
    }
    lanes = {lid: Lane(id=lid, name=f"L{lid}", position=lid) for lid in LANES}

    def counts(places):
        by_stage: dict[int, int] = {}
        for place in places:
            if place is not None:
                by_stage[place[0]] = by_stage.get(place[0], 0) + 1
        return by_stage

    held_then = counts([*before.values(), *others])
    now = dict(after)
    by_stage, _by_lane = held_before_action(
        (counts([*now.values(), *others]), {}),
        [(before[card], after[card]) for card in before],
        active_stages=set(STAGES),
    )
    assert all(by_stage.get(sid, 0) == held_then.get(sid, 0) for sid in STAGES)
    for card, place in before.items():
        if place is None or place == now[card]:
            continue
        origin = now[card]
        stage_open = counts([*(p for c, p in now.items() if c != card), *others]).get(place[0], 0)
        try:
            check_wip(
                Placement(stages[origin[0]], lanes[origin[1]]) if origin else None,
                Placement(stages[place[0]], lanes[place[1]]),
                stage_open,
                0,
                held_before=(by_stage.get(place[0], 0), 0),
            )
        except WipLimitReached:
            continue
        now[card] = place
        limit = stages[place[0]].wip_limit
        if limit is not None and (origin is None or origin[0] != place[0]):
            held_now = counts([*now.values(), *others]).get(place[0], 0)
            assert held_now <= max(limit, held_then.get(place[0], 0))
