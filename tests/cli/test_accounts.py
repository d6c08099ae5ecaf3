"""A card belongs to an account (the company): typed on add and edit, kept by every import,
shown by `show` and every export, and carried over when a board is upgraded."""

import json
import sqlite3
from datetime import date
from pathlib import Path

from pkanban.store import schema
from pkanban.store.database import open_store
from tests.io.test_import_crm import HUBSPOT, PIPEDRIVE, SALESFORCE


def write(tmp_path: Path, text: str, name: str = "deals.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def accounts(shell) -> dict[str, str]:
    listed = json.loads(shell("ls", "--all", "--json").output)
    return {card["title"]: card["account"] for card in listed}


def test_a_seller_names_the_account_on_add_and_changes_it_on_edit(board_shell):
    added = board_shell("add", "Acme renewal", "--account", "Acme Corp", "--value", "12k")
    board_shell("add", "Walk-in lead")

    assert added.exit_code == 0
    assert accounts(board_shell) == {"Acme renewal": "Acme Corp", "Walk-in lead": ""}
    assert "account  Acme Corp" in board_shell("show", "1").output
    assert "account" not in board_shell("show", "2").output

    board_shell("edit", "1", "--account", "Acme Inc")
    shown = json.loads(board_shell("show", "1", "--json").output)
    assert shown["account"] == "Acme Inc"
    assert "Edited #1 (account)" in board_shell("log").output

    board_shell("edit", "1", "--account", "")
    assert accounts(board_shell)["Acme renewal"] == ""


def test_an_account_is_checked_like_every_other_text(board_shell):
    too_long = board_shell("add", "Acme", "--account", "x" * 2001)
    hostile = board_shell("add", "Acme", "--account", "\x1b]52;c;aGk=\x07Acme")

    assert hostile.exit_code == 0
    assert too_long.exit_code == 1
    assert "The account is 2,001 characters long" in too_long.stderr
    assert accounts(board_shell) == {"Acme": "Acme"}  # the escape sequence is gone


def test_every_export_carries_the_account_and_the_csv_brings_it_back(board_shell, tmp_path):
    board_shell("add", "Acme renewal", "--account", "Acme Corp")
    board_shell("add", "Globex pilot", "--account", "Globex", "--value", "4500")
    board_shell("won", "2")

    markdown = board_shell("export", "--format", "md").output
    obsidian = board_shell("export", "--format", "obsidian").output
    csv_text = board_shell("export", "--format", "csv").output

    assert "**Acme renewal** · account: Acme Corp" in markdown
    assert "Acme renewal · account: Acme Corp" in obsidian
    assert "Globex pilot · won $4.5k · account: Globex" in obsidian
    assert csv_text.splitlines()[0].startswith("id,title,account,")
    assert "1,Acme renewal,Acme Corp," in csv_text
    other = ["--db", str(tmp_path / "other.db")]
    board_shell(*other, "init")
    imported = board_shell(*other, "import", write(tmp_path, csv_text, "board.csv"))
    assert imported.exit_code == 0, imported.output
    assert accounts_of(board_shell, other) == {
        "Acme renewal": "Acme Corp",
        "Globex pilot": "Globex",
    }


def accounts_of(shell, target: list[str]) -> dict[str, str]:
    listed = json.loads(shell(*target, "ls", "--all", "--json").output)
    return {card["title"]: card["account"] for card in listed}


def test_the_json_dump_keeps_the_account(board_shell, tmp_path):
    board_shell("add", "Acme renewal", "--account", "Acme Corp")
    dump = write(tmp_path, board_shell("export", "--format", "json").output, "board.json")
    other = ["--db", str(tmp_path / "other.db")]
    board_shell(*other, "init")

    assert board_shell(*other, "import", dump).exit_code == 0
    assert accounts_of(board_shell, other) == {"Acme renewal": "Acme Corp"}


def test_a_pipedrive_export_keeps_its_organisation(board_shell, tmp_path):
    report = json.loads(board_shell("import", write(tmp_path, PIPEDRIVE), "--json").stdout)

    fields = {entry["column"]: entry["field"] for entry in report["mapping"]}
    assert fields["Deal - Organization"] == "account"
    assert accounts(board_shell) == {
        "Acme renewal": "Acme",
        "Globex pilot": "Globex",
        "Initech": "Initech",
    }


def test_a_pipedrive_organisation_name_column_is_the_account_not_the_title(board_shell, tmp_path):
    text = "Deal - Title,Organization - Name,Person - Name,Deal - Value\nPilot,Acme,Ana,1000\n"

    board_shell("import", write(tmp_path, text))

    card = json.loads(board_shell("ls", "--json").output)[0]
    assert (card["title"], card["account"], card["contact"]) == ("Pilot", "Acme", "Ana")


def test_hubspot_and_salesforce_companies_become_accounts(board_shell, tmp_path):
    board_shell("import", write(tmp_path, HUBSPOT, "hubspot.csv"))
    board_shell("import", write(tmp_path, SALESFORCE, "salesforce.csv"), "--dates", "mdy")

    found = accounts(board_shell)
    assert found["Umbrella expansion"] == "Umbrella"
    assert found["Vandelay"] == ""
    assert (found["Stark - 50 seats"], found["Wayne - pilot"]) == ("Stark", "Wayne")


def test_the_crm_samples_account_column_is_kept_beside_the_title_it_makes(board_shell, tmp_path):
    text = (
        "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
        "1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054\n"
        "Z063OYW0,Darcel Schlecht,GTXPro,Isdom,Engaging,2016-10-25,,\n"
    )

    imported = board_shell("import", write(tmp_path, text), today=date(2017, 3, 31))

    assert imported.exit_code == 0, imported.output

    assert accounts(board_shell) == {
        "Cancity · GTX Plus Basic": "Cancity",
        "Isdom · GTXPro": "Isdom",
    }


def test_a_board_from_before_accounts_is_upgraded_in_place(tmp_path, shell):
    path = tmp_path / "old.db"
    path.touch(mode=0o600)
    conn = sqlite3.connect(path, isolation_level=None)
    schema._create_v1(conn)
    conn.execute(
        "INSERT INTO cards (title, lane_id, stage_id, created, entered_stage)"
        " VALUES ('Acme', 2, 1, '2026-11-01', '2026-11-01')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.close()

    old = ["--db", str(path)]
    assert accounts_of(shell, old) == {"Acme": ""}
    assert shell(*old, "edit", "1", "--account", "Acme Corp").exit_code == 0
    assert accounts_of(shell, old) == {"Acme": "Acme Corp"}
    store = open_store(path)
    try:
        version = store.conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        store.close()
    assert version == schema.SCHEMA_VERSION


def _customers(shell) -> None:
    """Tiny Co won $300 this year and still takes two open cards; Big Corp is worth $50k; a
    lead without a value is unknown, not cheap."""
    shell("add", "Tiny old deal", "--account", "Tiny Co", "--value", "300")
    shell("won", "1")
    shell("add", "Tiny upsell", "--account", "Tiny Co", "--value", "200", "--lane", "Accounts")
    shell("add", "Tiny support", "--account", "TINY CO")
    shell("touch", "3", "--kind", "call")
    shell("touch", "3", "--kind", "email")
    shell("add", "Big renewal", "--account", "Big Corp", "--value", "50k")
    shell("add", "Big pilot", "--account", "Big Corp")
    shell("add", "Mystery lead")


def test_the_yearly_review_lists_low_value_accounts_with_their_figures(board_shell):
    _customers(board_shell)

    report = json.loads(board_shell("clearance", "--mode", "yearly", "--json").output)
    text = board_shell("clearance", "--mode", "yearly").output

    assert report["accounts"] == [
        {
            "account": "Tiny Co",
            "won_value_12_months": 300,
            "won_cards_12_months": 1,
            "open_value": 200,
            "open_without_value": 1,
            "open_cards": 2,
            "touches": 2,
            "cards": [3, 2],
        }
    ]
    flagged = {c["title"]: c["account"] for c in report["candidates"]}
    assert flagged == {"Tiny support": "TINY CO", "Tiny upsell": "Tiny Co"}
    assert "Low-value accounts" in text
    assert (
        "Tiny Co                     $500     $300     1        $200           2        2" in text
    )
    assert "(1 without a value)" in text
    assert "Mystery" not in text and "Big" not in text
    ongoing = json.loads(board_shell("clearance", "--json").output)
    assert ongoing["accounts"] == [] and ongoing["candidates"] == []


def test_clearing_an_account_clears_its_open_cards_as_one_undoable_action(board_shell):
    _customers(board_shell)
    before = json.loads(board_shell("ls", "--all", "--json").output)

    cleared = board_shell(
        "clearance", "--mode", "yearly", "--apply", "--yes", "--account", "tiny co"
    )

    assert cleared.exit_code == 0, cleared.output
    assert "Yearly clearance: 2 cleared" in cleared.output
    after = {
        c["title"]: c["disposition"]
        for c in json.loads(board_shell("ls", "--all", "--json").output)
    }
    assert (after["Tiny upsell"], after["Tiny support"], after["Big pilot"]) == (
        "cleared",
        "cleared",
        "open",
    )
    undone = board_shell("undo")
    assert "Undone: Yearly clearance: 2 cleared" in undone.output
    assert json.loads(board_shell("ls", "--all", "--json").output) == before


def test_only_a_low_value_account_of_the_yearly_review_can_be_cleared(board_shell):
    _customers(board_shell)

    big = board_shell("clearance", "--mode", "yearly", "--apply", "--yes", "--account", "Big Corp")
    ongoing = board_shell("clearance", "--apply", "--yes", "--account", "Tiny Co")

    assert big.exit_code == 1
    assert "“Big Corp” is not a low-value account in this review" in big.stderr
    assert "the low-value accounts are: Tiny Co" in big.stderr
    assert ongoing.exit_code == 2 and "--mode yearly" in ongoing.output
