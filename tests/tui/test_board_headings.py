"""The board's headings as a presenter: the header figures are sums of the cells' totals, so
they can be read without drawing the board."""

from pkanban.services.cards import NewCard, add_card
from pkanban.services.session import BoardSession
from pkanban.tui.board_headers import lane_facts, stage_facts
from pkanban.tui.screens.clearance_steps import decision_badge


def test_a_lane_counts_only_its_active_stages_cards_toward_its_limit(store, today):
    session = BoardSession(store, today)
    context = session.context()
    pool = next(stage for stage in context.stages if stage.kind == "pool")
    active = next(stage for stage in context.stages if stage.kind == "active")
    lane = context.lanes[0]
    add_card(store, today, NewCard("Acme lead", stage=pool.name, lane=lane.name, value=1000))
    add_card(store, today, NewCard("Globex deal", stage=active.name, lane=lane.name, value=5000))

    lanes = lane_facts(context, session.cell_totals(), folded=set(), current_lane=lane.id)

    facts = lanes[lane.id]
    assert (facts.open_cards, facts.wip, facts.value) == (2, 1, 6000)
    assert facts.current and not facts.collapsed


def test_a_stage_header_sums_its_cells_over_every_lane_and_says_what_has_no_value(store, today):
    session = BoardSession(store, today)
    context = session.context()
    stage = next(stage for stage in context.stages if stage.kind == "active")
    first, last = context.lanes[0], context.lanes[-1]
    add_card(store, today, NewCard("Acme renewal", stage=stage.name, lane=first.name, value=2500))
    add_card(store, today, NewCard("Globex pilot", stage=stage.name, lane=last.name))

    facts = stage_facts(context, session.cell_totals())[stage.id]

    assert (facts.name, facts.count, facts.value, facts.unvalued) == (stage.name, 2, 2500, 1)


def test_an_undecided_candidate_says_so():
    assert decision_badge(None).plain == "undecided"
