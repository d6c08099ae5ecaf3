"""Counts read as a seller says them: thousands separated and the noun in the right number
(`1 card`, `1,589 cards`), on the whole CRM sample; `--json` keeps plain numbers."""

import json
from datetime import date

from tests.conftest import SHARED_DATA

SAMPLE = SHARED_DATA / "sales_pipeline.csv"
DAY = date(2018, 1, 1)


def test_a_big_imported_pipeline_reads_with_thousands_separated(board_shell):
    assert board_shell("import", str(SAMPLE), today=DAY).exit_code == 0

    refused = board_shell("add", "One more", "--stage", "Contacted", today=DAY)
    stats = board_shell("stats", today=DAY).output
    clearance = board_shell("clearance", today=DAY).output
    as_json = json.loads(board_shell("stats", "--json", today=DAY).output)

    assert "Contacted is full: 1,589/8, over by 1,581" in refused.stderr
    assert "open 2,089 (1,470 past best-by) · won 4,238 · lost 2,473" in stats
    assert "(4,238 won of 6,711 decided)" in stats
    assert "1,589 open in active stages" in stats
    assert "1,589 cards" in clearance and "1589 cards" not in clearance
    assert as_json["wip"]["Contacted"] == {"count": 1589, "limit": 8, "over": 1581}


def test_one_card_is_one_card(board_shell, tmp_path):
    one = tmp_path / "one.csv"
    one.write_text("title,value\nAcme,12000\n", encoding="utf-8")
    board_shell("add", "Old lead", today=date(2026, 7, 1))

    dry_run = board_shell("import", str(one), "--dry-run").output
    clearance = board_shell("clearance").output

    assert "Would import 1 card —" in dry_run
    assert " 1 card " in clearance and "1 cards" not in clearance
