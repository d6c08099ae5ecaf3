"""Importing the public CRM sample: every figure checked against counts computed here, in plain
Python, straight from the CSV."""

import csv
import json
import math
from datetime import date

import pytest

from tests.conftest import SHARED_DATA

SAMPLE = SHARED_DATA / "sales_pipeline.csv"
EXPORT_DAY = date(2018, 1, 1)
SELLER = "Darcel Schlecht"

pytestmark = pytest.mark.skipif(not SAMPLE.is_file(), reason="the shared CRM sample is absent")


def sample_rows(seller: str | None = None) -> list[dict]:
    with SAMPLE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [row for row in rows if seller is None or row["sales_agent"] == seller]


def days(start: str, end: str) -> int:
    return (date.fromisoformat(end) - date.fromisoformat(start)).days


def test_one_sellers_pipeline_arrives_with_the_counts_and_best_by_of_the_csv(board_shell):
    rows = sample_rows(SELLER)
    won = [row for row in rows if row["deal_stage"] == "Won"]
    lost = [row for row in rows if row["deal_stage"] == "Lost"]
    engaging = [row for row in rows if row["deal_stage"] == "Engaging"]
    prospecting = [row for row in rows if row["deal_stage"] == "Prospecting"]
    won_days = sorted(days(row["engage_date"], row["close_date"]) for row in won)
    best_by = won_days[math.ceil(0.8 * len(won_days)) - 1]  # nearest rank, 80th percentile

    result = board_shell(
        "import", str(SAMPLE), "--where", f"sales_agent={SELLER}", "--json", today=EXPORT_DAY
    )

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["matched"] == len(rows)
    assert report["imported"] == len(rows)
    assert report["placed"]["won"] == {"Negotiation": len(won)}
    assert report["placed"]["lost"] == {"Contacted": len(lost)}
    assert report["placed"]["open"] == {"Leads": len(prospecting), "Contacted": len(engaging)}
    assert report["over_limits"] == [
        {
            "name": "Contacted",
            "what": "stage",
            "count": len(engaging),
            "limit": 8,
            "over": len(engaging) - 8,
        }
    ]
    assert report["undated"] == len(prospecting)
    stats = json.loads(board_shell("stats", "--json", today=EXPORT_DAY).output)
    assert (stats["won"], stats["lost"], stats["open"]) == (
        len(won),
        len(lost),
        len(rows) - len(won) - len(lost),
    )
    assert stats["best_by_days"] == best_by
    assert stats["best_by_basis"] == "percentile"
    cards = json.loads(board_shell("ls", "--all", "--json", today=EXPORT_DAY).output)
    archived = sorted(
        (card["title"], card["disposition"], card["created"], card["closed"], card["value"])
        for card in cards
        if card["disposition"] != "open"
    )
    assert archived == sorted(
        (
            f"{row['account']} · {row['product']}",
            row["deal_stage"].lower(),
            row["engage_date"],
            row["close_date"],
            int(row["close_value"]),
        )
        for row in won + lost
    )


def test_a_seller_with_dozens_of_engaged_deals_sees_them_all_over_the_limit(board_shell):
    rows = sample_rows(SELLER)
    engaging = [row for row in rows if row["deal_stage"] == "Engaging"]
    prospecting = [row for row in rows if row["deal_stage"] == "Prospecting"]
    over = len(engaging) - 8

    board_shell("import", str(SAMPLE), "--where", f"sales_agent={SELLER}", today=EXPORT_DAY)

    pool = json.loads(board_shell("ls", "--stage", "Leads", "--json", today=EXPORT_DAY).output)
    assert len(pool) == len(prospecting)  # only the new leads: no engaged deal among them
    assert {card["created"] for card in pool} == {EXPORT_DAY.isoformat()}  # undated leads
    stats = json.loads(board_shell("stats", "--json", today=EXPORT_DAY).output)
    assert stats["wip"]["Contacted"] == {"count": len(engaging), "limit": 8, "over": over}
    refused = board_shell("add", "A new deal", "--stage", "Contacted", today=EXPORT_DAY)
    assert refused.exit_code == 1
    assert f"Contacted is full: {len(engaging)}/8, over by {over}" in refused.stderr


def test_the_whole_sample_imports_once_and_a_second_import_finds_it_all_present(board_shell):
    rows = sample_rows()

    first = board_shell("import", str(SAMPLE), today=EXPORT_DAY)
    again = board_shell("import", str(SAMPLE), "--json", today=EXPORT_DAY)

    assert first.exit_code == 0, first.output
    assert f"Imported {len(rows):,} cards" in first.output
    report = json.loads(again.output)
    assert (report["already_present"], report["imported"]) == (len(rows), 0)
    stats = json.loads(board_shell("stats", "--json", today=EXPORT_DAY).output)
    assert stats["won"] + stats["lost"] + stats["open"] == len(rows)
    history = json.loads(board_shell("log", "--json", today=EXPORT_DAY).output)
    assert [action["kind"] for action in history] == ["imported"]  # the no-op left no action


def test_the_dry_run_shows_the_mapping_and_counts_and_writes_nothing(board_shell, db_path):
    before = board_shell("log", "--json").output

    result = board_shell(
        "import", str(SAMPLE), "--dry-run", "--where", f"sales_agent={SELLER}", today=EXPORT_DAY
    )

    assert result.exit_code == 0, result.output
    for expected in (
        "dry run, nothing written",
        "looks like the public CRM sales-opportunities sample",
        "opportunity_id  → id",
        "deal_stage      → stage",
        "engage_date     → created",
        "Over the WIP limit",
        "First cards",
        "Would import 747 cards",
    ):
        assert expected in result.output
    assert board_shell("log", "--json").output == before
    assert json.loads(board_shell("ls", "--all", "--json").output) == []


def test_on_the_import_day_no_engaged_deal_is_idle_or_never_contacted(board_shell):
    board_shell("import", str(SAMPLE), "--where", f"sales_agent={SELLER}", today=EXPORT_DAY)

    report = json.loads(board_shell("clearance", "--json", today=EXPORT_DAY).output)
    assert report["candidates"]  # past best-by and shelf life still speak
    assert not [c for c in report["candidates"] if "idle" in c["rules"]]
    queue = json.loads(board_shell("triage", "--json", today=EXPORT_DAY).output)
    reasons = {reason["kind"] for entry in queue for reason in entry["reasons"]}
    assert "not_contacted" not in reasons
    engaged = json.loads(
        board_shell("ls", "--stage", "Contacted", "--json", today=EXPORT_DAY).output
    )
    assert {(c["last_touch"], c["touches"]) for c in engaged} == {(EXPORT_DAY.isoformat(), 0)}
    later = json.loads(board_shell("clearance", "--json", today=date(2018, 2, 15)).output)
    assert len([c for c in later["candidates"] if "idle" in c["rules"]]) == len(engaged)
