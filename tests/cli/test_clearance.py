"""`pkanban clearance`: a dry run that changes nothing, a bulk apply, JSON and exit codes."""

import csv
import json
import math
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA

TABLES = ("cards", "touches", "stages", "lanes", "board_meta", "actions", "events")


def dump(db_path):
    conn = sqlite3.connect(db_path)
    rows = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}
    conn.close()
    return rows


@pytest.fixture
def stocked(board_shell):
    """Two dead cards from July, one stale in Proposal since October, one fresh lead."""
    july, october = date(2026, 7, 1), date(2026, 10, 1)
    board_shell("add", "Old Lead", "--value", "4k", today=july)
    board_shell("add", "Older Deal", "--stage", "Discovery", "--value", "20k", today=july)
    board_shell("add", "Stale Proposal", "--stage", "Proposal", "--value", "9k", today=october)
    board_shell("touch", "3", "--next", "Call", "--due", "2026-12-01")
    board_shell("add", "Fresh", "--value", "50k")
    return board_shell


def test_a_dry_run_lists_candidates_with_reasons_and_changes_nothing(stocked, db_path):
    before = dump(db_path)
    result = stocked("clearance", "--dry-run")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Ongoing clearance · 2026-11-25 · best-by 75 days"
    assert "fallback: no wins so far" in lines[1]
    old = next(line for line in lines if "Old Lead" in line)
    assert "147d" in old and old.endswith("past-best-by")  # a pool lead is never idle
    stale = next(line for line in lines if "Stale Proposal" in line)
    assert stale.endswith("past-shelf-life")
    assert not any("Fresh" in line for line in lines)
    assert any(line.startswith("past-best-by") and "2 cards" in line for line in lines)
    assert any(line.startswith("total") and "3 cards" in line and "$33k" in line for line in lines)
    assert stocked("clearance").output == result.output  # a dry run is the default
    assert dump(db_path) == before


def test_the_json_report_has_the_documented_shape(stocked):
    report = json.loads(stocked("clearance", "--json", "--rule", "past-best-by").output)
    assert set(report) >= {"best_by_days", "best_by_basis", "mode", "candidates", "totals"}
    assert (report["best_by_days"], report["best_by_basis"], report["mode"]) == (
        75,
        "fallback",
        "ongoing",
    )
    first = report["candidates"][0]
    assert set(first) >= {
        "id",
        "title",
        "stage",
        "lane",
        "value",
        "age_days",
        "stage_age_days",
        "idle_days",
        "rules",
    }
    assert [(c["title"], c["rules"]) for c in report["candidates"]] == [
        ("Old Lead", ["past-best-by"]),
        ("Older Deal", ["past-best-by", "past-shelf-life", "idle"]),
    ]
    assert report["totals"] == {
        "count": 2,
        "value": 24000,
        "rules": {"past-best-by": {"count": 2, "value": 24000}},
    }


def test_apply_with_yes_clears_exactly_the_dry_runs_candidates(stocked, db_path):
    listed = [c["id"] for c in json.loads(stocked("clearance", "--json").output)["candidates"]]
    result = stocked("clearance", "--apply", "--yes", "--reason", "Spring cleaning")
    assert result.exit_code == 0, result.output
    assert "Clearance: 3 cleared" in result.output
    assert "Value released $33k" in result.output
    backup_line = next(line for line in result.output.splitlines() if line.startswith("Backup"))
    assert Path(backup_line.split(": ", 1)[1]).is_file()
    everything = json.loads(stocked("ls", "--all", "--json").output)
    cleared = [c for c in everything if c["disposition"] == "cleared"]
    assert sorted(c["id"] for c in cleared) == sorted(listed)
    assert {c["lost_reason"] for c in cleared} == {"Spring cleaning"}
    assert {c["closed"] for c in cleared} == {"2026-11-25"}
    assert "cleared 147d" in stocked("ls", "--all").output
    assert [c["title"] for c in json.loads(stocked("ls", "--json").output)] == ["Fresh"]
    assert json.loads(stocked("clearance", "--json").output)["candidates"] == []


def test_undo_brings_the_whole_clearance_back(stocked, db_path):
    before = dump(db_path)
    stocked("clearance", "--apply", "--yes")
    assert stocked("undo").output == "Undone: Clearance: 3 cleared\n"
    after = dump(db_path)
    assert {t: after[t] for t in TABLES[:5]} == {t: before[t] for t in TABLES[:5]}


def test_nurture_and_lost_in_bulk(stocked):
    result = stocked(
        "clearance", "--apply", "--yes", "--rule", "idle", "--action", "nurture", "--follow-up",
        "in 2 weeks",
    )  # fmt: skip
    assert "nurtured 1" in result.output  # the old pool lead is not idle
    card = json.loads(stocked("show", "2", "--json").output)
    assert (card["stage"], card["next_step"], card["next_due"], card["snoozed_until"]) == (
        "Leads",
        "Nurture follow-up",
        "2026-12-09",
        "2026-12-09",
    )
    result = stocked("clearance", "--apply", "--yes", "--action", "lost", "--json")
    summary = json.loads(result.output)["summary"]
    assert (summary["lost"], summary["stages_freed"], summary["lanes_freed"]) == (
        2,
        {"Leads": 1, "Proposal": 1},
        {"New business": 1},
    )
    assert json.loads(stocked("show", "3", "--json").output)["lost_reason"] == (
        "clearance: past-shelf-life"
    )


def test_apply_off_a_terminal_needs_yes_and_changes_nothing(stocked, db_path):
    before = dump(db_path)
    result = stocked("clearance", "--apply")
    assert result.exit_code == 1
    assert "add --yes" in result.stderr
    assert dump(db_path) == before
    assert not (db_path.parent / "backups").exists()


def test_refusals_and_their_exit_codes(stocked, db_path):
    before = dump(db_path)
    both = stocked("clearance", "--dry-run", "--apply")
    assert (both.exit_code, "not both" in both.output) == (2, True)
    unknown = stocked("clearance", "--rule", "stale")
    assert unknown.exit_code == 1
    yearly_only = stocked("clearance", "--rule", "low-value-account")
    assert yearly_only.exit_code == 1
    assert yearly_only.stderr.startswith("pkanban: low-value-account applies to the yearly")
    bad_date = stocked("clearance", "--apply", "--action", "nurture", "--follow-up", "2/3")
    assert bad_date.exit_code == 1
    assert dump(db_path) == before


def test_nothing_to_clear_is_said_plainly(board_shell):
    board_shell("add", "Fresh")
    assert "No candidates" in board_shell("clearance").output
    result = board_shell("clearance", "--apply", "--yes")
    assert (result.exit_code, result.output) == (0, "No candidates — nothing to do\n")


def test_a_yearly_apply_records_the_review(stocked):
    stocked("add", "Tiny renewal", "--lane", "Accounts", "--value", "300")
    report = json.loads(stocked("clearance", "--mode", "yearly", "--json").output)
    assert ("Tiny renewal", ["low-value-account"]) in [
        (c["title"], c["rules"]) for c in report["candidates"]
    ]
    result = stocked("clearance", "--mode", "yearly", "--apply", "--yes")
    assert "Yearly clearance: 4 cleared" in result.output
    assert "Yearly clearance: 4 cleared" in stocked("log").output


SAMPLE = SHARED_DATA / "sales_pipeline.csv"
EXPORT_DAY = date(2018, 1, 1)
SELLER = "Darcel Schlecht"


@pytest.mark.skipif(not SAMPLE.is_file(), reason="the shared CRM sample is absent")
def test_one_sellers_real_pipeline_is_cleared_as_the_csv_says(board_shell, db_path):
    """Candidates on the imported CRM sample, checked against figures computed from the CSV."""
    with SAMPLE.open(newline="", encoding="utf-8") as handle:
        rows = [
            (line, row) for line, row in enumerate(csv.DictReader(handle), 2)
            if row["sales_agent"] == SELLER
        ]  # fmt: skip
    won_days = sorted(
        (date.fromisoformat(r["close_date"]) - date.fromisoformat(r["engage_date"])).days
        for _, r in rows
        if r["deal_stage"] == "Won"
    )
    best_by = won_days[math.ceil(0.8 * len(won_days)) - 1]
    engaging = [(line, r) for line, r in rows if r["deal_stage"] == "Engaging"]
    # Every engaged deal keeps Contacted (shelf life 7 days), over its limit of 8; none is idle
    # (no last-activity column: the idle clock starts on the import day). Prospecting rows have
    # no date: created on the import day, so never candidates.
    expected = []
    for _, row in engaging:
        age = (EXPORT_DAY - date.fromisoformat(row["engage_date"])).days
        rules = [
            rule
            for rule, flagged in (
                ("past-best-by", age > best_by),
                ("past-shelf-life", age > 7),
            )
            if flagged
        ]
        if rules:
            expected.append((row["engage_date"], rules))

    assert (
        board_shell(
            "import", str(SAMPLE), "--where", f"sales_agent={SELLER}", today=EXPORT_DAY
        ).exit_code
        == 0
    )
    report = json.loads(board_shell("clearance", "--json", today=EXPORT_DAY).output)
    assert (report["best_by_days"], report["best_by_basis"]) == (best_by, "percentile")
    shown = [(c["created"], c["rules"]) for c in _with_created(board_shell, report)]
    assert sorted(shown) == sorted(expected)
    assert len(expected) > 50
    totals = report["totals"]["rules"]
    assert totals["past-best-by"]["count"] == sum("past-best-by" in r for _, r in expected)
    assert totals["past-shelf-life"]["count"] == sum("past-shelf-life" in r for _, r in expected)
    assert "idle" not in totals or totals["idle"]["count"] == 0

    before = dump(db_path)
    result = board_shell("clearance", "--apply", "--yes", "--json", today=EXPORT_DAY)
    assert json.loads(result.output)["summary"]["cleared"] == len(expected)
    stats = json.loads(board_shell("stats", "--json", today=EXPORT_DAY).output)
    assert stats["cleared"] == len(expected)
    assert board_shell("undo", today=EXPORT_DAY).exit_code == 0
    after = dump(db_path)
    assert {t: after[t] for t in TABLES[:5]} == {t: before[t] for t in TABLES[:5]}


def _with_created(shell, report) -> list[dict]:
    """The report's candidates with their created date (from `ls --json`)."""
    created = {
        c["id"]: c["created"] for c in json.loads(shell("ls", "--json", today=EXPORT_DAY).output)
    }
    return [c | {"created": created[c["id"]]} for c in report["candidates"]]


def test_an_empty_yearly_review_is_recorded_when_applied(board_shell, db_path):
    board_shell("add", "Fresh", "--value", "50k")
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE actions SET day = '2025-12-01'")
    conn.commit()
    conn.close()
    assert "yearly clearance review is due" in board_shell("clearance").output
    result = board_shell("clearance", "--mode", "yearly", "--apply", "--yes")
    assert "Yearly clearance: nothing to clear" in result.output
    assert "Backup" not in result.output
    assert "review is due" not in board_shell("clearance").output


def test_a_bad_review_day_is_refused_and_one_already_stored_is_a_note(stocked, db_path):
    refused = stocked("config", "set", "yearly_review", "13-45")
    assert refused.exit_code == 1 and "yearly_review" in refused.stderr
    conn = sqlite3.connect(db_path)  # a board written before the day was checked
    conn.execute(
        "UPDATE board_meta SET value = json_set(value, '$.yearly_review', '13-45')"
        " WHERE key = 'settings'"
    )
    conn.commit()
    conn.close()
    result = stocked("clearance")
    assert result.exit_code == 0
    assert 'The yearly review day "13-45" is not a day of the year' in result.output
    assert "3 cards" in result.output


def test_cards_without_a_value_are_cleared_as_unknown_never_as_zero(board_shell):
    july = date(2026, 7, 1)
    board_shell("add", "Old Lead", today=july)
    board_shell("add", "Older Lead", today=july)

    listed = board_shell("clearance")
    applied = board_shell("clearance", "--apply", "--yes")

    totals = [line for line in listed.output.splitlines() if " 2 cards " in line]
    assert len(totals) >= 2 and all("$0" not in line and " — " in line for line in totals)
    assert "Value released $0" not in applied.output
    assert "Value released — · 2 without a value" in applied.output


def test_no_candidates_under_a_chosen_rule_names_that_rule(shell):
    """`--rule idle` finding nothing says so, not that nothing is past best-by at all."""
    assert shell("init").exit_code == 0
    assert shell("add", "Fresh", "--value", "5k").exit_code == 0
    every = shell("clearance", "--dry-run")
    assert (
        "No candidates: nothing is past its best-by, shelf life or idle threshold." in every.output
    )
    idle = shell("clearance", "--dry-run", "--rule", "idle")
    assert idle.exit_code == 0
    assert "No candidates under idle (--rule left the others out)." in idle.output
