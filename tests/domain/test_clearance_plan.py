"""Planning a clearance on paper: a seller decides card by card, and the summary says what would
change — no board, no store, just the candidates the rules found."""

from datetime import date, timedelta

import pytest

from pkanban.domain import clearance_plan as plans
from pkanban.domain.bestby import BestBy
from pkanban.domain.clearance import ClearanceCandidate
from pkanban.domain.errors import InvalidInput
from pkanban.domain.models import Card, Lane, Settings, Stage

TODAY = date(2026, 11, 25)
LEADS = Stage(id=1, name="Leads", position=0, kind="pool")
DISCOVERY = Stage(id=3, name="Discovery", position=2, wip_limit=5, shelf_life_days=21)
PROPOSAL = Stage(id=4, name="Proposal", position=3, wip_limit=3)
NEW_BUSINESS = Lane(id=2, name="New business", position=1)
ACCOUNTS = Lane(id=3, name="Accounts", position=2)


def shelf_card(card_id, stage, lane, value, rules, account=""):
    card = Card(
        id=card_id,
        title=f"Deal {card_id}",
        account=account,
        lane_id=lane.id,
        stage_id=stage.id,
        created=TODAY - timedelta(days=200),
        entered_stage=TODAY - timedelta(days=100),
        value=value,
    )
    return ClearanceCandidate(card, stage, lane, rules, 200, 100, 100)


def report(*candidates, mode="ongoing"):
    return plans.CandidateReport(
        today=TODAY,
        mode=mode,
        rules=("past-best-by", "past-shelf-life", "idle"),
        best_by=BestBy(75, "fallback", 0, 80),
        settings=Settings(),
        candidates=candidates,
    )


DEAD = shelf_card(1, PROPOSAL, ACCOUNTS, 4000, ("past-best-by", "idle"))
STALE = shelf_card(2, DISCOVERY, NEW_BUSINESS, 2500, ("past-shelf-life",))
QUIET = shelf_card(3, DISCOVERY, NEW_BUSINESS, None, ("idle",))
OLD_LEAD = shelf_card(4, LEADS, NEW_BUSINESS, 900, ("past-best-by",))


def test_a_seller_plans_every_kind_of_decision_and_the_summary_counts_what_would_leave():
    plan = plans.ClearancePlan(report(DEAD, STALE, QUIET, OLD_LEAD))
    plan.decide(1, plans.clear("No answer in months"))
    plan.decide(2, plans.lost("Went with a competitor"))
    plan.decide(3, plans.nurture(TODAY + timedelta(days=60)))
    summary = plans.summarise(plan)
    assert (summary.cleared, summary.lost, summary.nurtured, summary.kept) == (1, 1, 1, 0)
    assert summary.skipped == 1  # the old lead was never decided
    assert summary.value_released == 6500  # clear and lost only; a nurtured card stays open
    assert summary.stages_freed == {"Discovery": 2, "Proposal": 1}  # in stage order
    assert summary.lanes_freed == {"New business": 2, "Accounts": 1}  # in lane order
    assert summary.action_summary == "Clearance: 1 cleared, 1 lost, 1 nurtured"


def test_nurturing_a_pool_card_frees_no_stage_and_a_yearly_plan_says_so_in_its_history_line():
    plan = plans.plan_all(report(OLD_LEAD, mode="yearly"), plans.nurture(TODAY + timedelta(1)))
    summary = plans.summarise(plan)
    assert summary.stages_freed == {} and summary.lanes_freed == {}
    assert summary.action_summary == "Yearly clearance: 1 nurtured"
    assert plans.summarise(plans.ClearancePlan(report(mode="yearly"))).action_summary == (
        "Yearly clearance: nothing to clear"
    )


def test_clear_and_lost_default_their_reason_to_the_rules_and_bulk_decides_only_the_undecided():
    plan = plans.ClearancePlan(report(DEAD, STALE, QUIET))
    plan.decide(3, plans.keep("Champion on leave", 30))
    assert plan.bulk("idle", plans.clear()) == 1
    assert plan.decisions[1].reason == "clearance: past-best-by, idle"
    assert plan.decisions[3].action == "keep"


@pytest.mark.parametrize(
    "decision",
    [
        plans.keep("", 30),
        plans.keep("Later", 0),
        plans.keep("Later", plans.MAX_SNOOZE_DAYS + 1),
        plans.nurture(TODAY),
        plans.Decision("delete"),  # type: ignore[arg-type]
    ],
)
def test_a_decision_that_cannot_be_applied_is_refused_in_one_sentence(decision):
    plan = plans.ClearancePlan(report(DEAD))
    with pytest.raises(InvalidInput):
        plan.decide(1, decision)
    assert plan.decisions == {}


def test_a_card_that_is_not_a_candidate_cannot_be_decided():
    with pytest.raises(InvalidInput, match="#9 is not a candidate"):
        plans.ClearancePlan(report(DEAD)).decide(9, plans.clear())
