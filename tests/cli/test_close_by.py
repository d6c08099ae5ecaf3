"""A card takes an expected close date (issue 18, "Contacts you can reach"): typed on add and
edit, read from a CRM's expected close date column, kept by the dump, shown by `show`, a
slipped one in triage, and counted next to the forecast. The board's day is 2026-11-25."""

import json
import sqlite3
from datetime import date
from pathlib import Path

from pkanban.domain.models import Card, Stage
from pkanban.domain.triage import close_by_phrase, triage_reasons
from pkanban.store import schema

TODAY = date(2026, 11, 25)


def write(tmp_path: Path, text: str, name: str = "deals.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def close_dates(shell, *target: str) -> dict[str, str | None]:
    listed = json.loads(shell(*target, "ls", "--all", "--json").output)
    return {card["title"]: card["close_by"] for card in listed}


def test_a_seller_sets_changes_and_clears_the_expected_close_date(board_shell):
    added = board_shell("add", "Acme renewal", "--value", "12k", "--close-by", "2026-12-09")
    board_shell("add", "Walk-in lead")

    assert added.exit_code == 0, added.output
    assert close_dates(board_shell) == {"Acme renewal": "2026-12-09", "Walk-in lead": None}
    assert "close by  2026-12-09 (in 14 d)" in board_shell("show", "1").output
    assert "close by" not in board_shell("show", "2").output

    board_shell("edit", "1", "--close-by", "+3d")
    assert json.loads(board_shell("show", "1", "--json").output)["close_by"] == "2026-11-28"
    assert "Edited #1 (close_by)" in board_shell("log").output

    board_shell("edit", "1", "--close-by", "none")
    assert close_dates(board_shell)["Acme renewal"] is None
    board_shell("undo")
    assert close_dates(board_shell)["Acme renewal"] == "2026-11-28"


def test_a_past_close_date_shows_how_late_it_is(board_shell):
    board_shell("add", "Globex pilot", "--close-by", "2026-11-22")

    assert "close by  2026-11-22 (overdue 3 d)" in board_shell("show", "1").output


def test_a_bad_or_absurd_close_date_is_refused_in_one_line(board_shell):
    board_shell("add", "Acme renewal")

    typo = board_shell("edit", "1", "--close-by", "2126-01-01")
    nonsense = board_shell("add", "Globex", "--close-by", "soonish")

    assert typo.exit_code == 1
    assert typo.stderr.strip().splitlines() == [
        "pkanban: An expected close date 2126-01-01 is too far away: at most 10 years from"
        " today, until 2036-11-25"
    ]
    assert nonsense.exit_code != 0 and len(nonsense.stderr.strip().splitlines()) == 1
    assert "Traceback" not in typo.output + nonsense.output
    assert close_dates(board_shell) == {"Acme renewal": None}


def test_an_expected_close_date_column_is_read_for_open_deals_only(board_shell, tmp_path):
    text = (
        "Deal - Title,Deal - Status,Deal - Stage,Deal - Expected close date,Deal - Won time\n"
        "Acme renewal,open,Contact Made,2026-12-15,\n"
        "Globex pilot,won,Negotiations Started,2026-10-01,2026-10-20\n"
        "Initech,open,Lead In,,\n"
    )

    imported = board_shell("import", write(tmp_path, text), "--json")

    assert imported.exit_code == 0, imported.output
    report = json.loads(imported.stdout)
    fields = {entry["column"]: entry["field"] for entry in report["mapping"]}
    assert fields["Deal - Expected close date"] == "close_by"
    assert close_dates(board_shell) == {
        "Acme renewal": "2026-12-15",
        "Globex pilot": None,  # a won deal's date is when it closed, not a forecast
        "Initech": None,
    }


def test_a_salesforce_close_date_on_an_open_deal_is_its_expected_close(board_shell, tmp_path):
    text = (
        "Opportunity Name,Stage,Close Date,Amount\n"
        "Stark - 50 seats,Prospecting,2026-12-31,50000\n"
        "Wayne - pilot,Closed Won,2026-11-02,9000\n"
    )

    imported = board_shell("import", write(tmp_path, text))

    assert imported.exit_code == 0, imported.output
    listed = {
        card["title"]: card for card in json.loads(board_shell("ls", "--all", "--json").output)
    }
    assert listed["Stark - 50 seats"]["close_by"] == "2026-12-31"
    assert listed["Stark - 50 seats"]["closed"] is None
    assert (listed["Wayne - pilot"]["close_by"], listed["Wayne - pilot"]["closed"]) == (
        None,
        "2026-11-02",
    )


def test_the_json_dump_keeps_the_expected_close_date(board_shell, tmp_path):
    board_shell("add", "Acme renewal", "--close-by", "2026-12-09")
    board_shell("add", "Walk-in lead")
    dump = write(tmp_path, board_shell("export", "--format", "json").output, "board.json")
    other = ["--db", str(tmp_path / "other.db")]
    board_shell(*other, "init")

    restored = board_shell(*other, "import", dump)

    assert restored.exit_code == 0, restored.output
    assert close_dates(board_shell, *other) == {
        "Acme renewal": "2026-12-09",
        "Walk-in lead": None,
    }


def test_a_deal_past_its_expected_close_is_in_triage(board_shell):
    board_shell("add", "Acme renewal", "--close-by", "2026-11-22")  # a pool card
    board_shell("add", "Globex pilot", "--close-by", "2026-12-20")

    triage = board_shell("triage")

    assert "expected to close 3 d ago" in triage.output
    assert "Acme renewal" in triage.output and "Globex pilot" not in triage.output
    listed = json.loads(board_shell("triage", "--json").output)
    kinds = [reason["kind"] for item in listed for reason in item["reasons"]]
    assert kinds == ["close_slipped"]


def test_stats_counts_the_deals_expected_to_close_this_month(board_shell):
    board_shell("add", "Acme renewal", "--close-by", "2026-11-30")
    board_shell("add", "Globex pilot", "--close-by", "2026-11-02")
    board_shell("add", "Initech", "--close-by", "2026-12-01")
    board_shell("add", "Won already", "--close-by", "2026-11-29")
    board_shell("won", "4")

    stats = board_shell("stats")
    figures = json.loads(board_shell("stats", "--json").output)

    assert "2 expected to close by 2026-11-30" in stats.output
    assert figures["forecast"]["expected_to_close"] == {"by": "2026-11-30", "cards": 2}


def test_triage_reason_and_phrase_read_like_a_seller_talks():
    stage = Stage(id=1, name="Qualified", position=1, kind="active")
    card = Card(
        id=1,
        title="Acme",
        lane_id=1,
        stage_id=1,
        created=TODAY,
        entered_stage=TODAY,
        next_due=TODAY,
        touch_count=1,
        last_touch=TODAY,
        close_by=date(2026, 11, 20),
    )

    assert [r.text for r in triage_reasons(card, stage, TODAY, 90)][-1] == (
        "expected to close 5 d ago"
    )
    assert close_by_phrase(date(2026, 11, 25), TODAY) == "today"
    assert close_by_phrase(date(2026, 12, 9), TODAY) == "in 14 d"


def test_a_board_from_before_close_dates_is_upgraded_in_place(tmp_path, shell):
    path = tmp_path / "old.db"
    path.touch(mode=0o600)
    conn = sqlite3.connect(path, isolation_level=None)
    for step in schema.MIGRATIONS[:3]:
        step(conn)
    conn.execute(
        "INSERT INTO cards (title, lane_id, stage_id, created, entered_stage)"
        " VALUES ('Acme', 2, 1, '2026-11-01', '2026-11-01')"
    )
    conn.execute("PRAGMA user_version = 3")
    conn.close()

    old = ["--db", str(path)]
    assert close_dates(shell, *old) == {"Acme": None}
    assert shell(*old, "edit", "1", "--close-by", "2026-12-01").exit_code == 0
    assert close_dates(shell, *old) == {"Acme": "2026-12-01"}
