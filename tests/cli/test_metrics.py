"""`pkanban stats`: its JSON contract, the period options, exit codes, the 80-column report —
and every figure on a real seller's imported deals checked against plain Python over the CSV."""

import csv
import json
import sqlite3
from collections import Counter
from datetime import date, timedelta

import pytest

from pkanban.cli.main import cli
from pkanban.domain.metrics import forecast_how_long, forecast_how_many
from pkanban.domain.text import cell_width
from tests.conftest import SHARED_DATA

REQUIRED_KEYS = {
    # the keys `stats --json` always had
    "today",
    "best_by_days",
    "best_by_basis",
    "best_by_explained",
    "past_best_by",
    "open",
    "won",
    "lost",
    "cleared",
    "win_rate",
    "wip",
    "lane_wip",
    # the flow figures
    "period",
    "time_to_close_days",
    "time_to_close_points",
    "throughput_per_week",
    "win_rate_by_lane",
    "lost_reasons",
    "aging",
    "cumulative_flow",
    "wip_over_time",
    "cleared_per_month",
    "touches",
    "speed_to_lead",
    "forecast",
}


def figures(shell, *args, today=None):
    result = shell("stats", "--json", *args, today=today)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.output)


@pytest.fixture
def worked_board(board_shell):
    """Three deals opened on 1 Oct: one won on 10 Nov, one lost on 17 Nov, one still open."""
    day = date(2026, 10, 1)
    for title in ("Acme", "Globex", "Initech"):
        assert board_shell("add", title, "--stage", "Contacted", today=day).exit_code == 0
    assert board_shell("won", "1", today=date(2026, 11, 10)).exit_code == 0
    assert board_shell("lost", "2", "--reason", "Price", today=date(2026, 11, 17)).exit_code == 0
    return board_shell


def test_json_has_every_documented_key_with_its_shape(worked_board):
    found = figures(worked_board)
    assert found.keys() >= REQUIRED_KEYS
    assert found["time_to_close_days"] == {"p50": 40, "p80": 40, "p95": 40, "n": 1}
    assert {"week", "won", "lost", "cleared"} <= found["throughput_per_week"][0].keys()
    assert found["aging"] == [
        {
            "id": 3,
            "title": "Initech",
            "stage": "Contacted",
            "lane": "New business",
            "age_days": 55,
            "past_percentile": 95,
        }
    ]
    assert found["wip"]["Contacted"] == {"count": 1, "limit": 8, "over": 0}
    assert (found["won"], found["lost"], found["win_rate"]) == (1, 1, 0.5)


def test_json_puts_each_figure_on_its_own_line_for_grep_and_jq(worked_board):
    result = worked_board("stats", "--json")
    lines = result.output.splitlines()
    assert lines[0] == "{" and lines[-1] == "}"
    found = json.loads(result.output)
    assert [line.split('"')[1] for line in lines[1:-1]] == list(found)
    aging = next(line for line in lines if line.startswith(' "aging": '))
    assert json.loads(aging.removeprefix(' "aging": ').rstrip(",")) == found["aging"]


def test_since_and_until_pick_cards_by_their_close_date(worked_board):
    only_the_loss = figures(worked_board, "--since", "2026-11-11", "--until", "2026-11-20")
    assert only_the_loss["period"] == {"since": "2026-11-11", "until": "2026-11-20"}
    assert (only_the_loss["won"], only_the_loss["lost"]) == (0, 1)
    assert only_the_loss["time_to_close_days"]["n"] == 0
    # 11 Nov 2026 is the Wednesday of ISO week 46.
    assert [week["week"] for week in only_the_loss["throughput_per_week"]] == [
        "2026-W46",
        "2026-W47",
    ]
    assert only_the_loss["open"] == 1  # a snapshot: as of today whatever the period
    before_the_win = figures(worked_board, "--until", "2026-11-09")
    assert (before_the_win["won"], before_the_win["lost"]) == (0, 0)
    before_anything = worked_board("stats", "--until", "2026-01-01")
    assert before_anything.exit_code == 0, before_anything.stderr
    assert "2026-W01" in before_anything.stdout and "over 1 week" in before_anything.stdout


def test_the_forecast_date_sets_the_horizon(worked_board):
    found = figures(worked_board, "--forecast-by", "2027-01-06")
    assert found["forecast"]["wins_by"]["weeks"] == 6
    assert found["forecast"]["wins_by"]["date"] == "2027-01-06"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--since", "02/03/2026"], 1, "YYYY-MM-DD"),
        (["--until", "2026-02-30"], 1, "February 2026 has 28 days"),
        (["--since", "next week"], 1, "YYYY-MM-DD"),
        (["--since", "2026-11-20", "--until", "2026-11-01"], 1, "must be on or before"),
        (["--until", "2026-12-01"], 1, "cannot be after today"),
        (["--forecast-by", "2026-11-01"], 1, "must be after today"),
    ],
)
def test_bad_periods_are_refused_with_a_sentence(worked_board, args, code, message):
    result = worked_board("stats", *args)
    assert result.exit_code == code
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_stats_on_a_missing_board_says_how_to_make_one(shell):
    result = shell("stats")
    assert result.exit_code == 1 and "pkanban init" in result.stderr


def test_the_report_has_every_section_within_80_columns(worked_board):
    hostile = "Evil \x1b]0;pwned\x07 [bold]Corp[/] " + "W" * 90
    assert worked_board("add", hostile, "--stage", "Discovery").exit_code == 0
    worked_board("lost", "4", "--reason", "Went with \x1b[31ma rival " + "x" * 100)
    output = worked_board("stats").output
    for heading in (
        "Best-by",
        "WIP now",
        "Time to close",
        "Win rate by lane",
        "Lost reasons",
        "Throughput per week",
        "Aging work in progress",
        "Cumulative flow",
        "Cleared inventory",
        "Touches",
        "Speed to lead",
        "Forecast",
    ):
        assert heading in output
    assert "\x1b" not in output and "\x07" not in output
    assert max(cell_width(line) for line in output.splitlines()) <= 80
    assert "p50 40 d · p80 40 d · p95 40 d" in output


def test_an_empty_board_still_reports(board_shell):
    result = board_shell("stats")
    assert result.exit_code == 0
    assert "no wins in the period yet" in result.stdout
    assert "needs at least one complete week" in result.stdout


# --- The real CRM sample: one seller's deals, every figure recomputed from the CSV. ---------

SAMPLE = SHARED_DATA / "sales_pipeline.csv"
SELLER = "Darcel Schlecht"
CRM_TODAY = date(2018, 1, 1)


def nearest_rank(values, p):
    ordered = sorted(values)
    return ordered[max(1, -(-p * len(ordered) // 100)) - 1]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@pytest.fixture(scope="module")
def crm(tmp_path_factory):
    """Darcel Schlecht's 747 deals imported through `pkanban import`, and the CSV rows."""
    if not SAMPLE.exists():
        pytest.skip(f"the CRM sample is not at {SAMPLE}")
    from click.testing import CliRunner

    db = tmp_path_factory.mktemp("crm") / "board.db"
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(cli, ["--db", str(db), "--today", CRM_TODAY.isoformat(), *args])
        assert result.exit_code == 0, result.output + result.stderr
        return result

    run("init")
    run("import", str(SAMPLE), "--where", f"sales_agent={SELLER}")
    with SAMPLE.open(newline="", encoding="utf-8-sig") as handle:
        rows = [row for row in csv.DictReader(handle) if row["sales_agent"] == SELLER]
    with sqlite3.connect(db) as conn:
        by_card = {
            card_id: external
            for card_id, external in conn.execute("SELECT id, external_id FROM cards")
        }
    rows_by_id = {row["opportunity_id"]: row for row in rows}
    # The importer keys cards by source column and id (`opportunity_id:1C1I7A6R`).
    card_rows = {
        card_id: rows_by_id[external.rsplit(":", 1)[-1]] for card_id, external in by_card.items()
    }
    return run, rows, card_rows


def day_of(text: str) -> date:
    return date.fromisoformat(text)


def test_crm_counts_win_rate_and_time_to_close(crm):
    run, rows, _ = crm
    found = json.loads(run("stats", "--json").output)
    stages = Counter(row["deal_stage"] for row in rows)
    assert len(rows) == 747
    assert found["won"] == stages["Won"] and found["lost"] == stages["Lost"]
    assert found["open"] == stages["Engaging"] + stages["Prospecting"]
    assert found["cleared"] == 0
    assert found["win_rate"] == round(stages["Won"] / (stages["Won"] + stages["Lost"]), 4)
    win_days = [
        (day_of(row["close_date"]) - day_of(row["engage_date"])).days
        for row in rows
        if row["deal_stage"] == "Won"
    ]
    assert found["time_to_close_days"] == {
        "p50": nearest_rank(win_days, 50),
        "p80": nearest_rank(win_days, 80),
        "p95": nearest_rank(win_days, 95),
        "n": len(win_days),
    }
    assert (found["best_by_days"], found["best_by_basis"]) == (
        nearest_rank(win_days, 80),
        "percentile",
    )
    assert sorted(point["days"] for point in found["time_to_close_points"]) == sorted(win_days)
    open_created = [
        day_of(row["engage_date"]) if row["engage_date"] else CRM_TODAY
        for row in rows
        if row["deal_stage"] in ("Engaging", "Prospecting")
    ]
    cutoff = CRM_TODAY - timedelta(days=nearest_rank(win_days, 80))
    assert found["past_best_by"] == sum(created < cutoff for created in open_created)
    # The sample has one owner per row and no lanes: every decided deal is in one lane.
    decided = [lane for lane in found["win_rate_by_lane"] if lane["won"] or lane["lost"]]
    assert [(lane["won"], lane["lost"]) for lane in decided] == [(stages["Won"], stages["Lost"])]
    assert found["lost_reasons"] == [{"reason": "(none given)", "count": stages["Lost"]}]
    assert found["cleared_per_month"] == []
    assert found["touches"]["won"] == {"cards": stages["Won"], "average": 0.0}
    assert found["touches"]["lost"] == {"cards": stages["Lost"], "average": 0.0}


def test_crm_throughput_per_iso_week(crm):
    run, rows, _ = crm
    found = json.loads(run("stats", "--json").output)
    closed = [row for row in rows if row["close_date"]]
    first = min(day_of(row["close_date"]) for row in closed)
    expected = []
    week = monday(first)
    while week <= monday(CRM_TODAY):
        in_week = [row for row in closed if monday(day_of(row["close_date"])) == week]
        expected.append(
            {
                "week": iso_week(week),
                "start": week.isoformat(),
                "won": sum(row["deal_stage"] == "Won" for row in in_week),
                "lost": sum(row["deal_stage"] == "Lost" for row in in_week),
                "cleared": 0,
            }
        )
        week += timedelta(days=7)
    assert found["throughput_per_week"] == expected


def test_crm_aging_and_speed_to_lead(crm):
    run, rows, card_rows = crm
    found = json.loads(run("stats", "--json").output)
    win_days = sorted(
        (day_of(row["close_date"]) - day_of(row["engage_date"])).days
        for row in rows
        if row["deal_stage"] == "Won"
    )
    marks = {p: nearest_rank(win_days, p) for p in (50, 80, 95)}

    def age(row):
        # Prospecting rows carry no date: the import dates them the import day (today).
        return (CRM_TODAY - day_of(row["engage_date"])).days if row["engage_date"] else 0

    open_rows = [row for row in rows if row["deal_stage"] in ("Engaging", "Prospecting")]
    assert len(found["aging"]) == len(open_rows)
    assert sorted(entry["age_days"] for entry in found["aging"]) == sorted(map(age, open_rows))
    for entry in found["aging"]:
        row = card_rows[entry["id"]]
        assert entry["age_days"] == age(row)
        past = [p for p, days in marks.items() if age(row) > days]
        assert entry["past_percentile"] == (max(past) if past else None)
    speed = found["speed_to_lead"]
    assert speed["touched"] == 0  # the sample records no touches
    active = sum(
        entry["count"] for name, entry in found["wip"].items() if name != "Leads"
    )  # the pool is inventory, not leads waiting for a call
    assert speed["waiting"] == active
    for entry in speed["longest_waiting"]:
        assert entry["waiting_days"] == age(card_rows[entry["id"]])
    waits = sorted(
        (age(card_rows[e["id"]]) for e in found["aging"] if e["stage"] != "Leads"), reverse=True
    )
    assert [entry["waiting_days"] for entry in speed["longest_waiting"]] == waits[:5]


def test_crm_wip_over_time_and_cumulative_flow_count_what_was_open_each_week(crm):
    run, rows, _ = crm
    found = json.loads(run("stats", "--json").output)
    flow, cfd = found["wip_over_time"], found["cumulative_flow"]
    assert len(flow["weeks"]) == 26 and flow["weeks"][-1]["week"] == "2018-W01"
    since = day_of(cfd["since"])
    for week, bands in zip(flow["weeks"], cfd["weeks"], strict=True):
        end = min(day_of(week["start"]) + timedelta(days=6), CRM_TODAY)
        expected = sum(
            (day_of(row["engage_date"]) if row["engage_date"] else CRM_TODAY) <= end
            and (not row["close_date"] or day_of(row["close_date"]) > end)
            for row in rows
        )
        done = sum(
            bool(row["close_date"]) and since <= day_of(row["close_date"]) <= end for row in rows
        )
        assert sum(week["open"].values()) == expected, week["week"]
        assert (bands["reached"]["Leads"] - bands["done"], bands["done"]) == (expected, done)
    assert flow["weeks"][-1]["open"] == {
        name: entry["count"] for name, entry in found["wip"].items()
    }


def test_crm_forecast_samples_the_last_26_complete_weeks(crm):
    run, rows, _ = crm
    found = json.loads(run("stats", "--json").output)["forecast"]
    last_monday = monday(CRM_TODAY) - timedelta(weeks=1)  # 2018-W01 has only begun
    weeks = [last_monday - timedelta(weeks=n) for n in range(25, -1, -1)]
    assert found["sample_weeks"] == [iso_week(week) for week in weeks]

    def closed_in(week, stages):
        return sum(
            row["deal_stage"] in stages and monday(day_of(row["close_date"])) == week
            for row in rows
            if row["close_date"]
        )

    wins = [closed_in(week, ("Won",)) for week in weeks]
    closures = [closed_in(week, ("Won", "Lost")) for week in weeks]
    at_least = forecast_how_many(wins, 13).at_least
    assert found["wins_by"] == {"date": "2018-04-02", "weeks": 13} | {
        f"c{c}": n for c, n in at_least.items()
    }
    open_cards = sum(row["deal_stage"] in ("Engaging", "Prospecting") for row in rows)
    within = forecast_how_long(closures, open_cards).within_weeks
    assert found["open_through"] == {"cards": open_cards, "max_weeks": 156} | {
        f"c{c}": (CRM_TODAY + timedelta(weeks=w)).isoformat() for c, w in within.items()
    }


def test_crm_a_quarter_selected_by_close_date(crm):
    run, rows, _ = crm
    found = json.loads(
        run("stats", "--json", "--since", "2017-07-01", "--until", "2017-09-30").output
    )
    in_quarter = [
        row
        for row in rows
        if row["close_date"] and "2017-07-01" <= row["close_date"] <= "2017-09-30"
    ]
    won = [row for row in in_quarter if row["deal_stage"] == "Won"]
    lost = [row for row in in_quarter if row["deal_stage"] == "Lost"]
    assert (found["won"], found["lost"]) == (len(won), len(lost))
    days = [(day_of(row["close_date"]) - day_of(row["engage_date"])).days for row in won]
    assert found["time_to_close_days"] == {
        "p50": nearest_rank(days, 50),
        "p80": nearest_rank(days, 80),
        "p95": nearest_rank(days, 95),
        "n": len(days),
    }
    assert found["throughput_per_week"][0]["week"] == "2017-W26"  # 1 July 2017 was a Saturday
    assert sum(week["won"] for week in found["throughput_per_week"]) == len(won)
