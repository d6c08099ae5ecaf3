"""Best money first: each component of the score moves it the right way, and says why."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkanban.domain.errors import InvalidInput
from pkanban.domain.models import Card, Stage
from pkanban.domain.ranking import (
    RankBasis,
    match_criterion,
    rank_key,
    score_card,
    typical_value,
)

TODAY = date(2026, 11, 25)
POOL = Stage(id=1, name="Leads", position=0, kind="pool")
DISCOVERY = Stage(
    id=3, name="Discovery", position=2, wip_limit=5, shelf_life_days=21, probability=0.25
)
CHECKLIST = ("Budget confirmed", "Decision maker known", "Fits ideal customer")
BASIS = RankBasis(
    typical=typical_value([10_000], "won"), best_by_days=75, checklist=CHECKLIST, currency="$"
)


def card(**fields) -> Card:
    defaults = {
        "id": 1,
        "title": "Acme",
        "lane_id": 1,
        "stage_id": DISCOVERY.id,
        "created": TODAY - timedelta(days=5),
        "entered_stage": TODAY - timedelta(days=5),
    }
    return Card(**(defaults | fields))


def score(stage=DISCOVERY, basis=BASIS, **fields):
    return score_card(card(**fields), stage, basis, TODAY)


def test_a_deal_worth_the_typical_win_scores_half_the_value_points():
    result = score(value=10_000)
    assert result.value_points == 20.0
    assert "$10k against a typical $10k" in result.why


def test_the_cards_own_probability_overrides_its_stages():
    assert score().probability_points == 7.5
    own = score(probability=0.9)
    assert own.probability_points == 27.0
    assert "90% set on the card" in own.why


def test_a_stage_without_probability_gives_none_and_says_so():
    result = score(stage=POOL, stage_id=POOL.id)
    assert result.probability_points == 0
    assert "no probability for Leads" in result.why


def test_fit_counts_yes_answers_against_the_settings_checklist():
    answers = {"Budget confirmed": True, "Decision maker known": False, "Old criterion": True}
    result = score(checklist=answers)
    assert result.fit_points == 10.0
    assert "1/3 criteria met" in result.why
    assert score(checklist=dict.fromkeys(CHECKLIST, True)).fit_points == 30.0


def test_an_empty_checklist_gives_no_fit_points():
    basis = RankBasis(typical=BASIS.typical, best_by_days=75, checklist=())
    assert score(basis=basis, checklist={"Budget confirmed": True}).fit_points == 0


def test_a_fresh_card_loses_nothing_and_a_stale_one_is_penalised_with_the_reason():
    assert score().staleness_points == 0
    stale = score(entered_stage=TODAY - timedelta(days=42))
    assert stale.staleness_points == -20.0  # 21 days past a 21-day shelf life
    assert "21d past 21d shelf life" in stale.why


def test_past_best_by_adds_to_the_penalty():
    old = score(created=TODAY - timedelta(days=150), entered_stage=TODAY - timedelta(days=42))
    assert old.staleness_points < -20
    assert "75d past 75d best-by" in old.why


def test_the_total_is_the_sum_of_the_components_the_seller_reads():
    result = score(value=12_000, checklist={"Budget confirmed": True})
    parts = [part.points for part in result.components]
    assert [part.name for part in result.components] == [
        "value",
        "probability",
        "fit",
        "staleness",
    ]
    assert result.total == round(sum(parts), 1)
    assert result.why.count("·") == 3


def test_with_no_values_on_the_board_value_gives_nothing_and_says_why():
    basis = RankBasis(typical=typical_value([0], "open"), best_by_days=75, checklist=())
    result = score(basis=basis, value=5000)
    assert result.value_points == 0
    assert "no deal has a value yet" in result.why


def test_the_typical_value_is_the_nearest_rank_median_and_says_where_it_comes_from():
    typical = typical_value([9000, 1000, 8000, 0], "open")
    assert (typical.amount, typical.count) == (8000, 3)
    assert typical.sentence == "median of 3 open cards (no wins yet)"
    assert typical_value([5000, 7000], "won").amount == 5000
    assert typical_value([5000], "won").sentence == "median of the last 1 won deal"
    assert typical_value([], "won").sentence == "no deal has a value yet"


def test_ties_go_to_the_bigger_deal_then_the_older_card():
    a, b, c = score(id=1, value=None), score(id=2, value=None), score(id=3, value=None)
    ordered = sorted([(c, 5), (a, 5), (b, 9)], key=lambda pair: rank_key(*pair))
    assert [s.card_id for s, _ in ordered] == [2, 1, 3]


values = st.integers(min_value=0, max_value=10**12)
ages = st.integers(min_value=0, max_value=3000)


@given(low=values, high=values)
def test_more_value_never_scores_lower(low, high):
    low, high = sorted((low, high))
    assert score(value=low).total <= score(value=high).total
    if high >= 2 * low + 1000 and high <= 100 * 10_000:  # value points saturate towards 40
        assert score(value=low).total < score(value=high).total


@given(younger=ages, older=ages, created_extra=st.integers(0, 400))
def test_a_staler_card_never_scores_higher(younger, older, created_extra):
    younger, older = sorted((younger, older))

    def at(days_in_stage):
        return score(
            created=TODAY - timedelta(days=days_in_stage + created_extra),
            entered_stage=TODAY - timedelta(days=days_in_stage),
        ).total

    assert at(older) <= at(younger)
    if younger >= 21 and older >= younger + 10 and older < 200:
        assert at(older) < at(younger)


@given(p=st.floats(0, 1), q=st.floats(0, 1))
def test_higher_probability_never_scores_lower(p, q):
    p, q = sorted((p, q))
    assert score(probability=p).total <= score(probability=q).total


@given(
    answers=st.dictionaries(st.sampled_from(CHECKLIST), st.booleans()),
    extra=st.sampled_from(CHECKLIST),
)
def test_one_more_yes_on_the_checklist_scores_higher(answers, extra):
    before = score(checklist=answers)
    after = score(checklist=answers | {extra: True})
    assert after.total >= before.total
    if answers.get(extra) is not True:
        assert after.total > before.total


@given(value=st.none() | values, days=ages, p=st.none() | st.floats(0, 1))
def test_every_score_stays_within_its_documented_range(value, days, p):
    result = score(
        value=value,
        probability=p,
        created=TODAY - timedelta(days=days),
        entered_stage=TODAY - timedelta(days=days),
    )
    assert 0 <= result.value_points <= 40
    assert 0 <= result.probability_points <= 30
    assert -40 <= result.staleness_points <= 0
    assert -40 <= result.total <= 100


def test_a_criterion_is_found_by_any_case_or_a_unique_prefix():
    assert match_criterion("budget CONFIRMED", CHECKLIST) == "Budget confirmed"
    assert match_criterion("decision", CHECKLIST) == "Decision maker known"


@pytest.mark.parametrize(
    ("name", "checklist", "message"),
    [
        ("Champion", CHECKLIST, '"Champion" is not on the checklist'),
        ("B", ("Budget", "Buyer known"), "matches several criteria"),
        ("", CHECKLIST, "is not on the checklist"),
        ("Budget", (), "checklist is empty"),
    ],
)
def test_an_unknown_or_ambiguous_criterion_is_refused_with_the_list(name, checklist, message):
    with pytest.raises(InvalidInput, match=message):
        match_criterion(name, checklist)
