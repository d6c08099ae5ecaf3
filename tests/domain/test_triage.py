"""Morning triage: the right cards, for the right reasons, in the documented order."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from pkanban.domain.models import Card, Stage
from pkanban.domain.ranking import RankBasis, score_card, typical_value
from pkanban.domain.triage import (
    REASON_ORDER,
    build_queue,
    lead_debt,
    needs_next_step,
    triage_reasons,
)

TODAY = date(2026, 11, 25)
DAY = timedelta(days=1)
POOL = Stage(id=1, name="Leads", position=0, kind="pool")
CONTACTED = Stage(
    id=2, name="Contacted", position=1, wip_limit=8, shelf_life_days=7, probability=0.1
)
BASIS = RankBasis(typical=typical_value([10_000], "won"), best_by_days=75, checklist=())


def card(id=1, stage=CONTACTED, **fields) -> Card:
    defaults = {
        "title": f"Deal {id}",
        "lane_id": 1,
        "created": TODAY - 3 * DAY,
        "entered_stage": TODAY - 3 * DAY,
        "last_touch": TODAY - DAY,
        "touch_count": 1,
        "next_step": "Call",
        "next_due": TODAY + 3 * DAY,
    }
    return Card(id=id, stage_id=stage.id, **(defaults | fields))


def kinds(c, stage=CONTACTED):
    return [reason.kind for reason in triage_reasons(c, stage, TODAY, 75)]


def queue(*cards_and_stages):
    return build_queue(
        ((c, s, score_card(c, s, BASIS, TODAY)) for c, s in cards_and_stages), TODAY, 75
    )


def test_a_worked_card_with_a_future_step_can_wait():
    assert kinds(card()) == []


def test_each_reason_is_recognised_with_its_sentence():
    overdue = card(next_due=TODAY - 5 * DAY)
    assert triage_reasons(overdue, CONTACTED, TODAY, 75)[0].text == (
        "next step overdue since 2026-11-20: Call"
    )
    assert kinds(card(next_due=TODAY)) == ["due_today"]
    assert kinds(card(last_touch=None, touch_count=0)) == ["not_contacted"]
    assert kinds(card(pulled=TODAY - DAY, last_touch=TODAY - 2 * DAY)) == ["not_contacted"]
    assert kinds(card(next_due=None, next_step="")) == ["no_next_step"]
    assert kinds(card(entered_stage=TODAY - 9 * DAY)) == ["stale"]
    assert kinds(card(created=TODAY - 80 * DAY)) == ["past_best_by"]
    assert kinds(card(blocked_reason="Legal review")) == ["blocked"]


def test_a_next_step_without_a_date_is_still_a_dead_queue():
    [reason] = triage_reasons(card(next_due=None), CONTACTED, TODAY, 75)
    assert (reason.kind, reason.text) == ("no_next_step", "next step has no date: Call")
    assert needs_next_step(card(next_due=None), CONTACTED)
    assert not needs_next_step(card(next_due=None), POOL)
    assert not needs_next_step(card(next_due=None, disposition="won", closed=TODAY), CONTACTED)


def test_pool_inventory_comes_only_when_a_follow_up_is_due_or_it_is_blocked():
    old_lead = card(stage=POOL, created=TODAY - 300 * DAY, last_touch=None, next_due=None)
    assert kinds(old_lead, POOL) == []
    assert kinds(card(stage=POOL, next_due=TODAY), POOL) == ["due_today"]
    assert kinds(card(stage=POOL, blocked_reason="x"), POOL) == ["blocked"]


def test_snoozed_and_closed_cards_are_never_in_triage():
    assert kinds(card(next_due=TODAY - DAY, snoozed_until=TODAY + DAY)) == []
    assert kinds(card(next_due=TODAY - DAY, snoozed_until=TODAY)) == ["overdue"]
    assert kinds(card(next_due=TODAY - DAY, disposition="lost", closed=TODAY)) == []


def test_the_queue_puts_overdue_first_then_by_reason_then_best_money():
    blocked = card(1, blocked_reason="Legal")
    small_overdue = card(2, next_due=TODAY - DAY, value=1000)
    big_overdue = card(3, next_due=TODAY - DAY, value=90_000)
    due_today = card(4, next_due=TODAY)
    dead = card(5, next_due=None, next_step="")
    fine = card(6)
    items = queue(
        *((c, CONTACTED) for c in (blocked, small_overdue, big_overdue, due_today, dead, fine))
    )
    assert [item.card.id for item in items] == [3, 2, 4, 5, 1]


def test_a_card_is_listed_once_with_all_its_reasons():
    messy = card(next_due=TODAY - DAY, blocked_reason="Legal", entered_stage=TODAY - 20 * DAY)
    [item] = queue((messy, CONTACTED))
    assert [reason.kind for reason in item.reasons] == ["overdue", "stale", "blocked"]


def test_a_pulled_lead_owes_a_touch_and_no_overdue_step():
    pulled = card(pulled=TODAY - 2 * DAY, last_touch=None, touch_count=0)
    assert lead_debt(pulled, CONTACTED, TODAY) == "no touch yet"
    worked = card(pulled=TODAY - 2 * DAY, last_touch=TODAY - DAY)
    assert lead_debt(worked, CONTACTED, TODAY) is None
    late = card(pulled=TODAY - 9 * DAY, last_touch=TODAY - 8 * DAY, next_due=TODAY - 5 * DAY)
    assert lead_debt(late, CONTACTED, TODAY) == "next step overdue since 2026-11-20"
    assert lead_debt(card(next_due=TODAY - DAY), CONTACTED, TODAY) is None  # never pulled
    back_in_pool = card(stage=POOL, pulled=TODAY - 9 * DAY, last_touch=None)
    assert lead_debt(back_in_pool, POOL, TODAY) is None


cards = st.builds(
    lambda id, due, snooze, touched, blocked, stage_age: card(
        id=id,
        next_due=None if due is None else TODAY + due * DAY,
        snoozed_until=None if snooze is None else TODAY + snooze * DAY,
        last_touch=None if touched is None else TODAY - touched * DAY,
        touch_count=0 if touched is None else 1,
        blocked_reason="b" if blocked else "",
        entered_stage=TODAY - stage_age * DAY,
        created=TODAY - stage_age * DAY,
    ),
    id=st.integers(1, 10**6),
    due=st.none() | st.integers(-30, 30),
    snooze=st.none() | st.integers(-30, 30),
    touched=st.none() | st.integers(0, 30),
    blocked=st.booleans(),
    stage_age=st.integers(0, 200),
)


@given(st.lists(cards, max_size=20, unique_by=lambda c: c.id))
def test_triage_never_lists_a_snoozed_card_and_keeps_the_documented_order(board_cards):
    items = queue(*((c, CONTACTED) for c in board_cards))
    assert all(not (i.card.snoozed_until and i.card.snoozed_until > TODAY) for i in items)
    ranks = [REASON_ORDER.index(item.first.kind) for item in items]
    assert ranks == sorted(ranks)
    listed = {item.card.id for item in items}
    for c in board_cards:
        assert (c.id in listed) == bool(triage_reasons(c, CONTACTED, TODAY, 75))
