"""Which open cards are dead stock, and every reason why (DESIGN §3 Clearance candidates)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from pkanban.domain.clearance import (
    AccountFigures,
    Thresholds,
    account_key,
    account_name,
    candidate,
    flagging_rules,
    last_review_day,
    low_value_accounts,
    mode_rules,
    selected_rules,
    yearly_review_due,
)
from pkanban.domain.errors import InvalidInput
from pkanban.domain.models import Card, Lane, Settings, Stage

TODAY = date(2026, 11, 25)
LEADS = Stage(id=1, name="Leads", position=0, kind="pool")
DISCOVERY = Stage(id=3, name="Discovery", position=2, wip_limit=5, shelf_life_days=21)
NEW_BUSINESS = Lane(id=2, name="New business", position=1)
ACCOUNTS = Lane(id=3, name="Accounts", position=2)
SETTINGS = Settings(idle_days=30, low_value_threshold=1000)
BEST_BY = 75
ONGOING = mode_rules("ongoing")
YEARLY = mode_rules("yearly")


def card(
    age: int = 10,
    in_stage: int | None = None,
    idle: int | None = None,
    *,
    value: int | None = 5000,
    next_due: int | None = None,
    snoozed: int | None = None,
    stage: Stage = DISCOVERY,
    lane: Lane = NEW_BUSINESS,
    disposition: str = "open",
) -> Card:
    """A card `age` days old, `in_stage` days in its stage, last touched `idle` days ago;
    `next_due` / `snoozed` are days from today (negative: in the past)."""
    return Card(
        id=1,
        title="Acme",
        lane_id=lane.id,
        stage_id=stage.id,
        created=TODAY - timedelta(days=age),
        entered_stage=TODAY - timedelta(days=age if in_stage is None else in_stage),
        last_touch=None if idle is None else TODAY - timedelta(days=idle),
        value=value,
        next_due=None if next_due is None else TODAY + timedelta(days=next_due),
        snoozed_until=None if snoozed is None else TODAY + timedelta(days=snoozed),
        disposition=disposition,
    )


def rules_of(card_: Card, stage: Stage = DISCOVERY, lane: Lane = NEW_BUSINESS, rules=ONGOING):
    return flagging_rules(card_, stage, lane, Thresholds(TODAY, BEST_BY, SETTINGS), rules)


def test_a_prospect_older_than_best_by_is_past_best_by_but_not_on_the_day():
    assert "past-best-by" in rules_of(card(76, 5, 1))
    assert "past-best-by" not in rules_of(card(75, 5, 1))


def test_a_card_longer_in_its_stage_than_the_shelf_life_is_past_shelf_life():
    assert rules_of(card(30, 22, 1)) == ("past-shelf-life",)
    assert rules_of(card(30, 21, 1)) == ()


def test_a_stage_without_shelf_life_never_goes_past_it():
    assert rules_of(card(60, 60, 1, stage=LEADS), stage=LEADS) == ()


def test_a_card_untouched_past_the_idle_threshold_is_idle():
    assert rules_of(card(40, 5, 31)) == ("idle",)
    assert rules_of(card(40, 5, 30)) == ()


def test_a_never_touched_card_is_idle_counting_from_its_creation():
    assert rules_of(card(31, 5, None)) == ("idle",)
    assert rules_of(card(30, 5, None)) == ()


def test_a_scheduled_follow_up_is_not_idleness():
    assert rules_of(card(40, 5, 35, next_due=3)) == ()
    assert rules_of(card(40, 5, 35, next_due=0)) == ()
    assert rules_of(card(40, 5, 35, next_due=-1)) == ("idle",)


def test_a_candidate_carries_every_rule_that_flagged_it():
    found = candidate(
        card(130, 40, 50, lane=ACCOUNTS, value=500),
        DISCOVERY,
        ACCOUNTS,
        Thresholds(TODAY, BEST_BY, SETTINGS, frozenset({"acme"})),
        YEARLY,
    )
    assert found.rules == ("past-best-by", "past-shelf-life", "idle", "low-value-account")
    assert (found.age_days, found.stage_age_days, found.idle_days, found.value) == (
        130,
        40,
        50,
        500,
    )


def test_pool_cards_are_old_inventory_but_never_idle():
    assert rules_of(card(100, 100, None, stage=LEADS), stage=LEADS) == ("past-best-by",)
    assert rules_of(card(40, 40, None, stage=LEADS), stage=LEADS) == ()


def test_a_pool_shelf_life_set_on_the_pool_stage_catches_old_leads():
    shelved = Stage(id=1, name="Leads", position=0, kind="pool", shelf_life_days=30)
    assert rules_of(card(40, 40, None, stage=shelved), stage=shelved) == ("past-shelf-life",)


def test_a_card_kept_in_a_recent_clearance_stays_out_until_its_snooze_ends():
    assert rules_of(card(130, 40, 50, snoozed=1)) == ()
    assert rules_of(card(130, 40, 50, snoozed=0)) == ("past-best-by", "past-shelf-life", "idle")


def test_closed_cards_are_never_candidates():
    for disposition in ("won", "lost", "cleared"):
        assert rules_of(card(130, 40, 50, disposition=disposition)) == ()


def test_low_value_accounts_are_flagged_in_the_yearly_review_only():
    limits = Thresholds(TODAY, BEST_BY, SETTINGS, frozenset({"acme corp"}))
    acme = replace(card(5, 5, 1, value=20000), account="ACME  Corp")
    other = replace(card(5, 5, 1, value=10), account="Globex")
    assert flagging_rules(acme, DISCOVERY, NEW_BUSINESS, limits, ONGOING) == ()
    assert flagging_rules(acme, DISCOVERY, NEW_BUSINESS, limits, YEARLY) == ("low-value-account",)
    assert flagging_rules(other, DISCOVERY, NEW_BUSINESS, limits, YEARLY) == ()


def test_a_card_without_an_account_is_its_own_account_named_by_its_title():
    assert account_name(card()) == "Acme"
    assert account_name(replace(card(), account="Acme Corp")) == "Acme Corp"
    assert account_key(" ACME   corp ") == account_key("Acme Corp")


def figures(name="Tiny", *, open_cards=1, open_value=0, unvalued=0, won=0, wins=0, touches=0):
    return AccountFigures(name, open_cards, open_value, unvalued, touches, won, wins)


def test_an_account_is_low_value_when_what_it_is_worth_is_known_and_under_the_threshold():
    assert figures(open_cards=2, open_value=200, unvalued=1, won=300, wins=1).is_low_value(1000)
    assert not figures(open_value=700, won=300, wins=1).is_low_value(1000)
    assert figures(open_value=0).is_low_value(1000)  # a value of 0 was typed: it is known


def test_an_account_whose_value_is_unknown_is_never_low_value():
    assert not figures(open_cards=3, unvalued=3).is_low_value(1000)
    assert figures(open_cards=3, unvalued=3, won=0, wins=1).is_low_value(1000)  # a $0 win


def test_an_account_with_nothing_open_has_nothing_to_clear():
    assert not figures(open_cards=0, won=10, wins=1).is_low_value(1000)


def test_spellings_of_one_account_are_weighed_together_least_worth_first():
    found = low_value_accounts(
        [
            figures("Acme", open_value=600),
            figures("ACME", open_cards=0, won=600, wins=1),
            figures("Initech", open_cards=4, open_value=900, touches=12),
            figures("Hooli", open_value=100),
            figures("Mystery", unvalued=1),
        ],
        1000,
    )
    assert [(each.name, each.value) for each in found] == [("Hooli", 100), ("Initech", 900)]


def test_rules_are_checked_against_the_mode():
    assert selected_rules("ongoing", None) == ("past-best-by", "past-shelf-life", "idle")
    assert selected_rules("yearly", ["idle", "past-best-by"]) == ("past-best-by", "idle")
    with pytest.raises(InvalidInput, match="yearly review only"):
        selected_rules("ongoing", ["low-value-account"])
    with pytest.raises(InvalidInput, match='No clearance rule "stale"'):
        selected_rules("ongoing", ["stale"])
    with pytest.raises(InvalidInput, match="mode"):
        selected_rules("monthly", None)


@pytest.mark.parametrize(
    ("today", "last", "started", "due"),
    [
        (date(2026, 1, 15), None, date(2025, 3, 1), True),  # the review day itself
        (date(2026, 1, 14), None, date(2025, 3, 1), False),  # last cycle began on 2025-01-15
        (date(2026, 1, 14), None, date(2025, 1, 1), True),  # the 2025 review was never done
        (date(2026, 11, 25), date(2026, 1, 20), date(2024, 1, 1), False),
        (date(2027, 1, 15), date(2026, 1, 20), date(2024, 1, 1), True),
        (date(2026, 11, 25), None, date(2026, 11, 25), False),  # a new board owes nothing
        (date(2026, 11, 25), None, None, False),  # nor does an empty one
    ],
)
def test_the_yearly_review_is_due_once_its_day_has_come_since_the_last_one(
    today, last, started, due
):
    assert yearly_review_due("01-15", today, last, started) is due


def test_a_leap_day_review_falls_on_28_february_in_other_years():
    assert last_review_day("02-29", date(2027, 3, 1)) == date(2027, 2, 28)
    assert last_review_day("02-29", date(2028, 3, 1)) == date(2028, 2, 29)


def test_an_impossible_review_day_is_a_sentence_not_a_crash():
    with pytest.raises(InvalidInput, match="MM-DD"):
        last_review_day("13-40", TODAY)
