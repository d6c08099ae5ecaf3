"""Clearing the shelves: candidates, a plan of decisions, its summary, one atomic apply, undo."""

import random
import stat
from datetime import timedelta

import pytest

from pkanban.domain import clearance as domain
from pkanban.domain.errors import Conflict, InvalidInput, WipLimitReached
from pkanban.services import cards as actions
from pkanban.services import clearance as clearances
from pkanban.services import config
from pkanban.services.demo import build_demo
from pkanban.services.undo import undo_last
from pkanban.services.views import board_context
from pkanban.store import board
from pkanban.store.database import open_store

TABLES = ("cards", "touches", "stages", "lanes", "board_meta")


def dump(store):
    """Every table a user's data lives in, row by row (events and actions excluded)."""
    return {t: store.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}


def add(store, today, title, age, in_stage=None, idle=None, **fields):
    """A card created `age` days ago, `in_stage` days in its stage, touched `idle` days ago."""
    return actions.add_card(
        store,
        today,
        actions.NewCard(
            title=title,
            created=today - timedelta(days=age),
            entered_stage=today - timedelta(days=age if in_stage is None else in_stage),
            last_touch=None if idle is None else today - timedelta(days=idle),
            next_step="Follow up" if fields.get("next_due") else "",
            **fields,
        ),
    )


@pytest.fixture
def shelves(store, today):
    """A small board where each card tells one story (best-by is the 75-day fallback)."""
    return {
        "dead": add(store, today, "Dead stock", 130, 40, 50, stage="Discovery", value=20000),
        "old_lead": add(store, today, "Old lead", 100, value=4000),
        "stale": add(store, today, "Stale proposal", 30, 20, 2, stage="Proposal", value=9000),
        "quiet": add(store, today, "Quiet", 40, 5, 35, stage="Contacted", value=3000),
        "planned": add(
            store, today, "Planned", 40, 5, 35, stage="Contacted", next_due=today + timedelta(3)
        ),
        "fresh": add(store, today, "Fresh", 3, 3, 1, stage="Contacted", value=50000),
        "cheap_account": add(store, today, "Cheap renewal", 5, 5, 1, lane="Accounts", value=500),
    }


def low_value_keys(store, today, threshold):
    """The low-value accounts worked out card by card in Python, independently of the SQL."""
    worth, known, with_open = {}, set(), set()
    for card in board.cards(store.conn, include_closed=True):
        key = " ".join((card.account.strip() or card.title.strip()).casefold().split())
        recent_win = card.disposition == "won" and 0 <= (today - card.closed).days < 365
        if card.disposition == "open":
            with_open.add(key)
        if (card.is_open and card.value is not None) or recent_win:
            worth[key] = worth.get(key, 0) + (card.value or 0)
            known.add(key)
    return frozenset(key for key in with_open & known if worth[key] < threshold)


def ids(report):
    return {each.card.title: each.rules for each in report.candidates}


def test_the_ongoing_clearance_finds_dead_stock_with_every_reason(store, today, shelves):
    report = clearances.find_candidates(store, today)
    assert ids(report) == {
        "Dead stock": ("past-best-by", "past-shelf-life", "idle"),
        "Old lead": ("past-best-by",),  # a pool lead is never idle
        "Stale proposal": ("past-shelf-life",),
        "Quiet": ("idle",),
    }
    assert report.per_rule == {
        "past-best-by": clearances.RuleTotal(2, 24000),
        "past-shelf-life": clearances.RuleTotal(2, 29000),
        "idle": clearances.RuleTotal(2, 23000),
    }
    assert report.value == 36000
    assert report.best_by.basis == "fallback"
    assert clearances.ongoing_candidate_count(store, today) == 4


def test_the_yearly_review_adds_low_value_accounts(store, today, shelves):
    report = clearances.find_candidates(store, today, "yearly", ("low-value-account",))
    assert ids(report) == {"Cheap renewal": ("low-value-account",)}


def test_choosing_a_rule_lists_its_cards_with_all_their_reasons(store, today, shelves):
    report = clearances.find_candidates(store, today, rules=("past-best-by",))
    assert ids(report) == {
        "Dead stock": ("past-best-by", "past-shelf-life", "idle"),
        "Old lead": ("past-best-by",),  # a pool lead is never idle
    }
    assert list(report.per_rule) == ["past-best-by"]


def test_the_sql_finds_exactly_the_cards_the_domain_rules_flag(store, today):
    build_demo(store, today)
    rng = random.Random(11)
    stage_names = [stage.name for stage in board.stages(store.conn)]
    for name in stage_names:
        config.update_stage(store, today, name, wip_limit=None)
    for n in range(300):
        age = rng.randint(0, 200)
        card = add(
            store,
            today,
            f"Synthetic {n}",
            age,
            rng.randint(0, age),
            rng.choice([None, rng.randint(0, age)]),
            stage=rng.choice(stage_names),
            lane=rng.choice(("New business", "Accounts")),
            account=rng.choice(["", "", "Acme", "ACME ", "Globex", "Initech", "Krusty Krab"]),
            value=rng.choice([None, 0, 500, 999, 1000, 20000]),
            next_due=rng.choice([None, today + timedelta(days=rng.randint(-20, 20))]),
        )
        if rng.random() < 0.1:
            actions.snooze_card(store, today, card.id, today + timedelta(days=rng.randint(1, 9)))
    context = board_context(store, today)
    low_value = low_value_keys(store, today, context.settings.low_value_threshold)
    limits = domain.Thresholds(today, context.best_by.days, context.settings, low_value)
    for mode in ("ongoing", "yearly"):
        for chosen in [(rule,) for rule in domain.mode_rules(mode)] + [domain.mode_rules(mode)]:
            expected = {}
            for card in board.cards(store.conn):
                stage, lane = context.stage(card.stage_id), context.lane(card.lane_id)
                if domain.flagging_rules(card, stage, lane, limits, chosen):
                    every = domain.flagging_rules(
                        card, stage, lane, limits, domain.mode_rules(mode)
                    )
                    expected[card.id] = every
            report = clearances.find_candidates(store, today, mode, chosen)
            assert {each.card.id: each.rules for each in report.candidates} == expected
            assert expected  # each rule finds something on this board
    assert clearances.ongoing_candidate_count(store, today) == len(
        clearances.find_candidates(store, today).candidates
    )


def test_a_summary_says_what_a_plan_will_do_before_anything_changes(store, today, shelves):
    plan = clearances.ClearancePlan(clearances.find_candidates(store, today))
    before = dump(store)
    plan.decide(shelves["dead"].id, clearances.clear("No answer in months"))
    plan.decide(shelves["stale"].id, clearances.lost("Went with a competitor"))
    plan.decide(shelves["quiet"].id, clearances.nurture(today + timedelta(days=60)))
    plan.decide(shelves["old_lead"].id, clearances.keep("Trade show in spring", 90))
    summary = clearances.summarise(plan)
    assert (summary.cleared, summary.lost, summary.nurtured, summary.kept, summary.skipped) == (
        1,
        1,
        1,
        1,
        0,
    )
    assert summary.value_released == 29000
    assert summary.stages_freed == {"Discovery": 1, "Proposal": 1, "Contacted": 1}
    assert summary.lanes_freed == {"New business": 3}
    assert summary.action_summary == "Clearance: 1 cleared, 1 lost, 1 nurtured, 1 kept"
    assert dump(store) == before


def test_bulk_decides_the_undecided_candidates_of_one_rule(store, today, shelves):
    plan = clearances.ClearancePlan(clearances.find_candidates(store, today))
    plan.decide(shelves["dead"].id, clearances.keep("Champion on leave", 30))
    assert plan.bulk("idle", clearances.clear()) == 1  # the old pool lead is not idle
    assert plan.decisions[shelves["dead"].id].action == "keep"
    assert plan.decisions[shelves["quiet"].id] == clearances.Decision("clear", "clearance: idle")
    assert sorted(each.card.title for each in plan.undecided()) == ["Old lead", "Stale proposal"]


def test_bad_decisions_are_refused_with_a_sentence(store, today, shelves):
    plan = clearances.ClearancePlan(clearances.find_candidates(store, today))
    dead = shelves["dead"].id
    with pytest.raises(InvalidInput, match="Say why"):
        plan.decide(dead, clearances.keep("", 30))
    with pytest.raises(InvalidInput, match="1 to"):
        plan.decide(dead, clearances.keep("Later", 0))
    with pytest.raises(InvalidInput, match="after today"):
        plan.decide(dead, clearances.nurture(today))
    with pytest.raises(InvalidInput, match="not a candidate"):
        plan.decide(shelves["fresh"].id, clearances.clear())
    with pytest.raises(InvalidInput, match="Nothing to apply"):
        clearances.apply_plan(store, today, plan)


def test_apply_archives_and_moves_cards_in_one_action_after_a_backup(
    store, today, shelves, db_path
):
    plan = clearances.ClearancePlan(clearances.find_candidates(store, today))
    plan.decide(shelves["dead"].id, clearances.clear("No answer in months"))
    plan.decide(shelves["stale"].id, clearances.lost("Went with a competitor"))
    plan.decide(shelves["quiet"].id, clearances.nurture(today + timedelta(days=60), "Next budget"))
    plan.decide(shelves["old_lead"].id, clearances.keep("Trade show in spring", 90))
    before_cards = board.disposition_counts(store.conn)
    result = clearances.apply_plan(store, today, plan)

    dead = board.card(store.conn, shelves["dead"].id)
    assert (dead.disposition, dead.closed, dead.lost_reason) == (
        "cleared",
        today,
        "No answer in months",
    )
    stale = board.card(store.conn, shelves["stale"].id)
    assert (stale.disposition, stale.lost_reason) == ("lost", "Went with a competitor")
    quiet = board.card(store.conn, shelves["quiet"].id)
    leads = board.find_stage(store.conn, "Leads")
    assert (quiet.stage_id, quiet.entered_stage, quiet.next_step, quiet.next_due) == (
        leads.id,
        today,
        "Nurture follow-up",
        today + timedelta(days=60),
    )
    assert (quiet.snoozed_until, quiet.snooze_reason) == (
        today + timedelta(days=60),
        "Nurture: Next budget",
    )
    kept = board.card(store.conn, shelves["old_lead"].id)
    assert (kept.snoozed_until, kept.snooze_reason) == (
        today + timedelta(days=90),
        "Trade show in spring",
    )
    after_cards = board.disposition_counts(store.conn)
    assert sum(after_cards.values()) == sum(before_cards.values())  # archived, not deleted
    assert (after_cards["cleared"], after_cards["lost"]) == (1, 1)

    actions_rows = store.conn.execute("SELECT id, kind, summary FROM actions").fetchall()
    last_id, kind, summary = actions_rows[-1]
    assert (kind, summary) == ("cleared", "Clearance: 1 cleared, 1 lost, 1 nurtured, 1 kept")
    events = store.conn.execute(
        "SELECT card_id FROM events WHERE action_id = ?", [last_id]
    ).fetchall()
    assert sorted(row[0] for row in events) == sorted(
        shelves[name].id for name in ("dead", "stale", "quiet", "old_lead")
    )

    assert result.backup.parent == db_path.parent / "backups"
    assert result.backup.name.startswith("board-clearance-2026-11-25-")
    assert stat.S_IMODE(result.backup.stat().st_mode) == 0o600
    copy = open_store(result.backup)
    assert board.disposition_counts(copy.conn) == before_cards
    copy.close()
    assert clearances.find_candidates(store, today).candidates == ()


def test_the_backup_holds_the_board_exactly_as_before_the_clearance(store, today, shelves):
    before = dump(store)
    report = clearances.find_candidates(store, today)
    result = clearances.apply_plan(store, today, clearances.plan_all(report, clearances.clear()))
    copy = open_store(result.backup)
    assert dump(copy) == before
    copy.close()


def test_undo_reverts_the_whole_clearance_exactly(store, today, shelves):
    before = dump(store)
    plan = clearances.ClearancePlan(clearances.find_candidates(store, today))
    plan.decide(shelves["dead"].id, clearances.clear())
    plan.decide(shelves["stale"].id, clearances.lost("Price"))
    plan.decide(shelves["quiet"].id, clearances.nurture(today + timedelta(days=10)))
    plan.decide(shelves["old_lead"].id, clearances.keep("Spring", 9))
    clearances.apply_plan(store, today, plan)
    assert dump(store) != before
    assert undo_last(store, today) == "Clearance: 1 cleared, 1 lost, 1 nurtured, 1 kept"
    assert dump(store) == before


def test_a_card_changed_since_the_review_refuses_the_whole_apply(store, today, shelves, db_path):
    before_plan = clearances.find_candidates(store, today)
    plan = clearances.plan_all(before_plan, clearances.clear())
    actions.log_touch(store, today, shelves["quiet"].id, "call", "Picked up!")
    before = dump(store)
    with pytest.raises(Conflict, match=f"#{shelves['quiet'].id} changed"):
        clearances.apply_plan(store, today, plan)
    assert dump(store) == before
    assert not list((db_path.parent / "backups").glob("*.db"))


def test_an_error_mid_apply_rolls_everything_back(store, today, shelves):
    config.update_stage(store, today, "Leads", wip_limit=1)  # the pool holds 2 already
    plan = clearances.ClearancePlan(clearances.find_candidates(store, today))
    plan.decide(shelves["dead"].id, clearances.clear())
    plan.decide(shelves["stale"].id, clearances.lost("Price"))
    plan.decide(shelves["quiet"].id, clearances.nurture(today + timedelta(days=10)))
    before = dump(store)
    actions_before = store.conn.execute("SELECT count(*) FROM actions").fetchone()[0]
    with pytest.raises(WipLimitReached, match="Leads is full: 2/1"):
        clearances.apply_plan(store, today, plan)
    assert dump(store) == before
    assert store.conn.execute("SELECT count(*) FROM actions").fetchone()[0] == actions_before


def test_a_yearly_clearance_marks_the_review_done_and_undo_brings_it_back(store, today, shelves):
    next_review = today.replace(year=today.year + 1, month=1, day=15)
    store.conn.execute("UPDATE actions SET day = '2025-06-01'")  # the board is older
    assert clearances.yearly_review(store, today).due
    report = clearances.find_candidates(store, today, "yearly")
    clearances.apply_plan(store, today, clearances.ClearancePlan(report))  # all skipped
    assert not clearances.yearly_review(store, today).due
    assert not clearances.yearly_review(store, next_review - timedelta(days=1)).due
    assert clearances.yearly_review(store, next_review).due
    undo_last(store, today)
    assert clearances.yearly_review(store, today).due
