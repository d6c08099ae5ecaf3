"""Flow metrics on a board whose whole history was made through the services on known days:
every figure is checked against values worked out by hand from that story."""

from datetime import date, timedelta

import pytest

from pkanban.domain.errors import InvalidInput
from pkanban.domain.metrics import forecast_how_long, forecast_how_many
from pkanban.services import cards, pipeline
from pkanban.services.cards import NewCard
from pkanban.services.metrics import flow_metrics
from pkanban.services.views import stats

D = date.fromisoformat
TODAY = D("2026-11-25")  # a Wednesday in ISO week 2026-W48


def clear(store, day: str, card_id: int, reason: str) -> None:
    """Archive a card as cleared the way the clearance wizard records it (reason = rule)."""
    with store.action("cleared", f"Cleared #{card_id}", D(day)) as log:
        log.update(
            "cards", card_id, {"disposition": "cleared", "closed": day, "lost_reason": reason}
        )


@pytest.fixture
def story(store):
    """Six months of a seller's work, in the order it happened (see each line's day)."""

    def add(day, title, stage=None, lane=None, value=None):
        return cards.add_card(store, D(day), NewCard(title, stage=stage, lane=lane, value=value)).id

    ids = {}
    ids["cyberdyne"] = add("2026-05-01", "Cyberdyne", value=500)  # pool
    ids["oscorp"] = add("2026-05-02", "Oscorp", value=700)  # pool
    ids["soylent"] = add("2026-06-01", "Soylent")  # pool, never worked
    ids["stark"] = add("2026-08-01", "Stark", "Proposal")
    ids["umbrella"] = add("2026-09-01", "Umbrella", "Contacted")
    cards.log_touch(store, D("2026-09-10"), ids["umbrella"], "call")
    ids["acme"] = add("2026-10-01", "Acme", "Contacted", value=10_000)
    ids["hooli"] = add("2026-10-01", "Hooli", "Contacted", "Accounts")
    cards.log_touch(store, D("2026-10-03"), ids["acme"], "call")
    clear(store, "2026-10-05", ids["oscorp"], "idle")
    ids["globex"] = add("2026-10-15", "Globex", "Contacted")
    cards.move_card(store, D("2026-10-20"), ids["acme"], stage="Discovery")
    cards.log_touch(store, D("2026-10-20"), ids["globex"], "email")
    cards.log_touch(store, D("2026-10-25"), ids["globex"], "call")
    ids["lead_x"] = add("2026-11-01", "Lead X", value=50_000)  # pool
    ids["vandelay"] = add("2026-11-01", "Vandelay", "Contacted", "Accounts")
    ids["initech"] = add("2026-11-02", "Initech", "Discovery", "Accounts")
    cards.mark_won(store, D("2026-11-10"), ids["acme"])  # 40 days
    cards.mark_lost(store, D("2026-11-11"), ids["umbrella"], "Price")
    clear(store, "2026-11-12", ids["cyberdyne"], "past-best-by")
    cards.mark_won(store, D("2026-11-17"), ids["globex"])  # 33 days
    cards.mark_lost(store, D("2026-11-18"), ids["hooli"], "  price ")
    cards.mark_lost(store, D("2026-11-19"), ids["vandelay"], "No budget")
    ids["wayne"] = add("2026-11-20", "Wayne", "Contacted")
    pulled = pipeline.pull_next_lead(store, D("2026-11-21"))
    assert pulled.card.id == ids["lead_x"] and pulled.stage.name == "Contacted"
    cards.log_touch(store, D("2026-11-23"), ids["lead_x"], "call")
    cards.mark_won(store, D("2026-11-24"), ids["initech"])  # 22 days
    return ids


def test_counts_win_rates_and_time_to_close(store, story):
    figures = flow_metrics(store, TODAY)
    assert (figures["open"], figures["won"], figures["lost"], figures["cleared"]) == (4, 3, 3, 2)
    assert figures["win_rate"] == 0.5
    # Wins took 40, 33 and 22 days: ranks ⌈.5·3⌉=2, ⌈.8·3⌉=3, ⌈.95·3⌉=3.
    assert figures["time_to_close_days"] == {"p50": 33, "p80": 40, "p95": 40, "n": 3}
    assert figures["time_to_close_points"] == [
        {"id": story["acme"], "closed": "2026-11-10", "days": 40},
        {"id": story["globex"], "closed": "2026-11-17", "days": 33},
        {"id": story["initech"], "closed": "2026-11-24", "days": 22},
    ]
    assert figures["win_rate_by_lane"] == [
        {"lane": "Expedite", "won": 0, "lost": 0, "win_rate": None},
        {"lane": "New business", "won": 2, "lost": 1, "win_rate": 0.6667},
        {"lane": "Accounts", "won": 1, "lost": 2, "win_rate": 0.3333},
    ]
    assert figures["lost_reasons"] == [
        {"reason": "Price", "count": 2},
        {"reason": "No budget", "count": 1},
    ]


def test_the_old_stats_keys_keep_their_meaning_without_a_period(store, story):
    figures = flow_metrics(store, TODAY)
    old = stats(store, TODAY)
    assert {key: figures[key] for key in old} == old


def test_throughput_is_counted_per_iso_week_with_empty_weeks_shown(store, story):
    weeks = flow_metrics(store, TODAY)["throughput_per_week"]
    # From the first closing (Mon 5 Oct, W41) to today's week (W48).
    assert [week["week"] for week in weeks] == [f"2026-W{n}" for n in range(41, 49)]
    assert weeks[0] == {
        "week": "2026-W41",
        "start": "2026-10-05",
        "won": 0,
        "lost": 0,
        "cleared": 1,
    }
    by_week = {week["week"]: (week["won"], week["lost"], week["cleared"]) for week in weeks}
    assert by_week["2026-W46"] == (1, 1, 1)  # Acme won, Umbrella lost, Cyberdyne cleared
    assert by_week["2026-W47"] == (1, 2, 0)
    assert by_week["2026-W48"] == (1, 0, 0)
    assert all(by_week[f"2026-W{n}"] == (0, 0, 0) for n in range(42, 46))


def test_aging_marks_cards_older_than_most_wins(store, story):
    aging = flow_metrics(store, TODAY)["aging"]
    assert [
        (row["id"], row["stage"], row["age_days"], row["past_percentile"]) for row in aging
    ] == [
        (story["soylent"], "Leads", 177, 95),
        (story["lead_x"], "Contacted", 24, None),  # p50 is 33
        (story["wayne"], "Contacted", 5, None),
        (story["stark"], "Proposal", 116, 95),
    ]


def test_cleared_inventory_by_month_and_rule(store, story):
    assert flow_metrics(store, TODAY)["cleared_per_month"] == [
        {"month": "2026-10", "reason": "idle", "cards": 1, "value": 700},
        {"month": "2026-11", "reason": "past-best-by", "cards": 1, "value": 500},
    ]


def test_touches_on_won_and_lost_cards_against_the_target(store, story):
    assert flow_metrics(store, TODAY)["touches"] == {
        "target": 7,
        "won": {"cards": 3, "average": 1.0},  # Acme 1, Globex 2, Initech 0
        "lost": {"cards": 3, "average": 0.33},  # Umbrella 1, Hooli 0, Vandelay 0
    }


def test_speed_to_lead_from_arrival_to_first_touch(store, story):
    speed = flow_metrics(store, TODAY)["speed_to_lead"]
    # Acme 2 d, Globex 5 d, Umbrella 9 d, Lead X 2 d after its pull (not its creation).
    assert (speed["touched"], speed["p50_days"], speed["p85_days"]) == (4, 2, 9)
    assert speed["waiting"] == 2
    assert speed["longest_waiting"] == [
        {"id": story["stark"], "title": "Stark", "stage": "Proposal", "waiting_days": 116},
        {"id": story["wayne"], "title": "Wayne", "stage": "Contacted", "waiting_days": 5},
    ]


def test_wip_over_time_replays_stage_moves_from_the_events(store, story):
    flow = flow_metrics(store, TODAY)["wip_over_time"]
    assert flow["since"] == "2026-06-01" and len(flow["weeks"]) == 26
    assert flow["stages"] == ["Leads", "Contacted", "Discovery", "Proposal", "Negotiation"]
    weeks = {week["week"]: week["open"] for week in flow["weeks"]}

    def row(leads, contacted, discovery, proposal):
        return {
            "Leads": leads,
            "Contacted": contacted,
            "Discovery": discovery,
            "Proposal": proposal,
            "Negotiation": 0,
        }

    assert weeks["2026-W23"] == row(3, 0, 0, 0)  # Cyberdyne, Oscorp, Soylent
    assert weeks["2026-W42"] == row(2, 4, 0, 1)  # Oscorp cleared; Acme not yet moved
    assert weeks["2026-W43"] == row(2, 3, 1, 1)  # Acme moved to Discovery on 20 Oct
    assert weeks["2026-W47"] == row(1, 2, 1, 1)  # Lead X pulled on 21 Nov
    # The last week ends today, so it is the board as it stands.
    now = {name: entry["count"] for name, entry in stats(store, TODAY)["wip"].items()}
    assert weeks["2026-W48"] == now == row(1, 2, 0, 1)


def test_the_forecast_samples_the_complete_weeks(store, story):
    forecast = flow_metrics(store, TODAY)["forecast"]
    assert forecast["sample_weeks"] == [f"2026-W{n}" for n in range(41, 48)]
    wins = [0, 0, 0, 0, 0, 1, 1]
    closed = [1, 0, 0, 0, 0, 3, 3]
    expected = forecast_how_many(wins, 13).at_least
    assert forecast["wins_by"] == {
        "date": "2027-02-24",
        "weeks": 13,
        **{f"c{c}": n for c, n in expected.items()},
    }
    within = forecast_how_long(closed, 4).within_weeks
    assert forecast["open_through"]["cards"] == 4
    assert forecast["open_through"]["c85"] == (TODAY + timedelta(weeks=within[85])).isoformat()
    assert flow_metrics(store, TODAY)["forecast"] == forecast  # reproducible


def test_a_period_selects_cards_by_their_close_date(store, story):
    figures = flow_metrics(store, TODAY, since=D("2026-11-16"), until=D("2026-11-22"))
    assert figures["period"] == {"since": "2026-11-16", "until": "2026-11-22"}
    assert (figures["won"], figures["lost"], figures["cleared"]) == (1, 2, 0)
    assert figures["win_rate"] == 0.3333
    assert figures["time_to_close_days"] == {"p50": 33, "p80": 33, "p95": 33, "n": 1}
    assert [week["week"] for week in figures["throughput_per_week"]] == ["2026-W47"]
    assert figures["lost_reasons"] == [
        {"reason": "No budget", "count": 1},
        {"reason": "price", "count": 1},
    ]
    # Snapshots stay as of today.
    assert figures["open"] == 4 and len(figures["aging"]) == 4
    assert [week["week"] for week in figures["wip_over_time"]["weeks"]] == ["2026-W47"]
    assert figures["wip_over_time"]["weeks"][0]["open"]["Discovery"] == 1
    assert figures["forecast"]["sample_weeks"] == ["2026-W47"]


def test_an_until_before_the_last_win_excludes_later_wins(store, story):
    figures = flow_metrics(store, TODAY, until=D("2026-11-20"))
    assert figures["time_to_close_days"] == {"p50": 33, "p80": 40, "p95": 40, "n": 2}
    assert figures["throughput_per_week"][-1]["week"] == "2026-W47"


def test_an_empty_board_has_figures_but_no_history(store):
    figures = flow_metrics(store, TODAY)
    assert figures["time_to_close_days"] == {"p50": None, "p80": None, "p95": None, "n": 0}
    assert figures["win_rate"] is None and figures["aging"] == []
    assert [week["week"] for week in figures["throughput_per_week"]] == ["2026-W48"]
    assert figures["forecast"]["wins_by"] is None and figures["forecast"]["open_through"] is None
    assert figures["speed_to_lead"]["touched"] == 0


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        ("2026-11-20", "2026-11-10", "must be on or before"),
        (None, "2026-11-26", "cannot be after today"),
    ],
)
def test_a_period_that_makes_no_sense_is_refused(store, since, until, message):
    with pytest.raises(InvalidInput, match=message):
        flow_metrics(store, TODAY, since=since and D(since), until=D(until))
