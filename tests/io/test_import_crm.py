"""CRM exports recognised by their headers, stage mapping, deals kept over WIP, re-imports, undo."""

import json
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from pkanban.io.mapping import resolve_mapping
from pkanban.store.database import open_store


def write(tmp_path: Path, text: str, name: str = "deals.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def report_of(shell, *args) -> dict:
    return json.loads(shell("import", *args, "--json").stdout)


def cards(shell) -> list[dict]:
    return json.loads(shell("ls", "--all", "--json").output)


PIPEDRIVE = (
    "Deal - ID,Deal - Title,Deal - Value,Deal - Currency,Deal - Organization,"
    "Deal - Contact person,Person - Email,Person - Phone,Deal - Stage,Deal - Status,"
    "Deal - Deal created,Deal - Won time,Deal - Lost reason,Deal - Owner,Deal - Label\n"
    "101,Acme renewal,12000,USD,Acme,Ana Ruiz,ana@acme.test,+15550100,Proposal Made,open,"
    "2026-10-01 09:30:00,,,Sam,hot;renewal\n"
    "102,Globex pilot,4500,USD,Globex,Ben,ben@globex.test,,Negotiations Started,won,"
    "2026-08-01 10:00:00,2026-09-15 16:00:00,,Sam,\n"
    "103,Initech,900,USD,Initech,,,,Contact Made,lost,2026-07-01 10:00:00,,Price,Sam,\n"
)
HUBSPOT = (
    "Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner,Pipeline,"
    "Associated Company\n"
    "9001,Umbrella expansion,Contract Sent,30000,2026-12-20 00:00,2026-10-10 11:00,Kim,"
    "Sales Pipeline,Umbrella\n"
    "9002,Hooli,Closed Won (Sales Pipeline),8000,2026-10-28 00:00,2026-09-01 11:00,Kim,"
    "Sales Pipeline,Hooli\n"
    "9003,Vandelay,Appointment Scheduled,,,2026-11-20 08:00,Kim,Sales Pipeline,\n"
)
SALESFORCE = (
    '"Opportunity Owner","Account Name","Opportunity Name","Stage","Amount","Probability (%)",'
    '"Close Date","Created Date","Lead Source","Next Step","Opportunity ID"\n'
    '"Lee","Stark","Stark - 50 seats","Negotiation/Review","$50,000.00","90","12/15/2026",'
    '"10/2/2026","Web","Send contract","0061x00000AbCdE"\n'
    '"Lee","Wayne","Wayne - pilot","Closed Lost","$2,000.00","0","9/30/2026","8/1/2026",'
    '"Partner","","0061x00000AbCdF"\n'
)


def test_a_pipedrive_export_maps_prefixed_columns_status_and_dates(board_shell, tmp_path):
    report = report_of(board_shell, write(tmp_path, PIPEDRIVE))

    assert report["source"] == "a Pipedrive deals export"
    fields = {entry["column"]: entry["field"] for entry in report["mapping"]}
    assert fields["Deal - Title"] == "title"
    assert fields["Person - Phone"] == "phone"
    assert fields["Deal - Won time"] == "won_time"
    assert fields["Deal - Owner"] == "owner"
    found = {card["title"]: card for card in cards(board_shell)}
    acme = found["Acme renewal"]
    assert (acme["stage"], acme["value"], acme["created"]) == ("Proposal", 12000, "2026-10-01")
    assert (acme["contact"], acme["email"], acme["phone"]) == (
        "Ana Ruiz",
        "ana@acme.test",
        "+15550100",
    )
    assert acme["tags"] == ["hot", "renewal"]
    globex = found["Globex pilot"]
    assert (globex["disposition"], globex["stage"], globex["closed"]) == (
        "won",
        "Negotiation",
        "2026-09-15",
    )
    initech = found["Initech"]
    assert (initech["disposition"], initech["lost_reason"], initech["stage"]) == (
        "lost",
        "Price",
        "Contacted",
    )
    assert initech["closed"] == "2026-11-25"  # no close date in the file: the import day
    assert report["undated"] == 1


def test_a_hubspot_export_maps_its_default_pipeline(board_shell, tmp_path):
    report = report_of(board_shell, write(tmp_path, HUBSPOT))

    assert report["source"] == "a HubSpot deals export"
    found = {card["title"]: card for card in cards(board_shell)}
    assert found["Umbrella expansion"]["stage"] == "Negotiation"
    assert found["Umbrella expansion"]["closed"] is None  # a forecast on an open deal
    assert (found["Hooli"]["disposition"], found["Hooli"]["closed"]) == ("won", "2026-10-28")
    assert found["Vandelay"]["stage"] == "Contacted"


def test_a_salesforce_report_needs_the_date_order_and_then_imports(board_shell, tmp_path):
    path = write(tmp_path, SALESFORCE)

    refused = board_shell("import", path)
    report = report_of(board_shell, path, "--dates", "mdy")

    assert refused.exit_code == 1
    assert "--dates dmy or --dates mdy" in refused.output
    assert report["source"] == "a Salesforce opportunity report"
    found = {card["title"]: card for card in cards(board_shell)}
    stark = found["Stark - 50 seats"]
    assert (stark["stage"], stark["value"], stark["created"], stark["source"]) == (
        "Negotiation",
        50000,
        "2026-10-02",
        "Web",
    )
    assert stark["next_step"] == "Send contract"
    wayne = found["Wayne - pilot"]
    assert (wayne["disposition"], wayne["closed"]) == ("lost", "2026-09-30")


def test_unknown_stages_are_listed_with_a_hint_and_stage_map_resolves_them(board_shell, tmp_path):
    path = write(
        tmp_path, "title,stage\nAcme,Pilot\nGlobex,Pilot\nInitech,Legal review\nHooli,Leads\n"
    )

    refused = board_shell("import", path)
    fixed = board_shell(
        "import", path, "--stage-map", "pilot=Discovery", "--stage-map", "Legal review=skip"
    )

    assert refused.exit_code == 1
    assert '"Pilot" (2 rows), "Legal review" (1 row)' in refused.stderr
    assert "--stage-map" in refused.stderr
    assert '"Pilot" on lines 2, 3' in refused.output
    assert fixed.exit_code == 0, fixed.output
    assert sorted((c["title"], c["stage"]) for c in cards(board_shell)) == [
        ("Acme", "Discovery"),
        ("Globex", "Discovery"),
        ("Hooli", "Leads"),
    ]


def test_a_stage_map_to_an_unknown_target_names_the_targets(board_shell, tmp_path):
    result = board_shell(
        "import", write(tmp_path, "title,stage\nAcme,X\n"), "--stage-map", "X=Nowhere"
    )

    assert result.exit_code == 1
    assert (
        "targets are Leads, Contacted, Discovery, Proposal, Negotiation, won, lost, skip"
        in result.stderr
    )


def test_deals_being_worked_keep_their_stage_past_its_limit_and_the_report_says_so(
    board_shell, tmp_path
):
    for n in range(4):
        board_shell("add", f"Existing {n}", "--stage", "Proposal")
    rows = "".join(f"New {n},Proposal,2026-11-{10 + n}\n" for n in range(3))

    result = board_shell("import", write(tmp_path, "title,stage,created\n" + rows))

    assert result.exit_code == 0, result.output
    assert {c["stage"] for c in cards(board_shell) if c["title"].startswith("New")} == {"Proposal"}
    ending = result.output.split("Over the WIP limit")[1]
    assert "Proposal 7/4 · over by 3" in ending
    assert "the clearance wizard (c in the app, or pkanban clearance)" in ending
    refused = board_shell("add", "One more", "--stage", "Proposal")
    assert refused.exit_code == 1
    assert "Proposal is full: 7/4, over by 3" in refused.stderr


def test_new_leads_still_go_to_the_pool_and_a_full_lane_keeps_its_active_deals(
    board_shell, tmp_path
):
    path = write(tmp_path, "title,stage\nAcme,Discovery\nGlobex,Discovery\nInitech,\n")

    report = report_of(board_shell, path, "--lane", "Expedite")

    assert report["placed"]["open"] == {"Leads": 1, "Discovery": 2}
    assert report["over_limits"] == [
        {"name": "Expedite", "what": "lane", "count": 2, "limit": 1, "over": 1}
    ]
    assert {c["lane"] for c in cards(board_shell)} == {"Expedite"}


def test_repeated_ids_in_one_file_are_reported_and_imported_once(board_shell, tmp_path):
    path = write(tmp_path, "id,title\n7,Acme\n8,Globex\n7,Acme again\n")

    result = board_shell("import", path)

    assert "line 4 is the same as line 2 (same id): skipped" in result.output
    assert sorted(c["title"] for c in cards(board_shell)) == ["Acme", "Globex"]


def test_rows_without_an_id_are_recognised_on_reimport_by_title_created_and_value(
    board_shell, tmp_path
):
    first = write(tmp_path, "title,created,value\nAcme,2026-11-01,100\nGlobex,,\n")
    second = write(
        tmp_path, "title,created,value\nAcme,2026-11-01,100\nGlobex,,\nInitech,,5\n", "b.csv"
    )
    board_shell("import", first)

    report = report_of(board_shell, second)

    assert (report["already_present"], report["imported"]) == (2, 1)


def test_where_keeps_one_sellers_rows_and_explains_when_nothing_matches(board_shell, tmp_path):
    path = write(tmp_path, "title,owner\nAcme,Sam\nGlobex,Kim\nInitech,sam\n")

    none = report_of(board_shell, path, "--where", "owner=Samantha", "--dry-run")
    some = report_of(board_shell, path, "--where", "Owner=sam")

    assert none["matched"] == 0
    assert any('"owner" has e.g. "Sam" (1), "Kim" (1), "sam" (1)' in note for note in none["notes"])
    assert some["matched"] == 2
    assert sorted(c["title"] for c in cards(board_shell)) == ["Acme", "Initech"]
    bad = board_shell("import", path, "--where", "seller=Sam")
    assert bad.exit_code == 1
    assert 'No column "seller"' in bad.stderr


def test_map_overrides_and_bad_map_options_are_refused_with_the_choices(board_shell, tmp_path):
    path = write(tmp_path, "Company,Notes\nAcme,call Ana\n")

    bad_field = board_shell("import", path, "--map", "Notes=notes")
    bad_column = board_shell("import", path, "--map", "Memo=next_step")
    good = board_shell("import", path, "--map", "Notes=next_step")

    assert "is not a field — fields are: id, title" in bad_field.stderr
    assert 'no column "Memo"' in bad_column.stderr
    assert good.exit_code == 0, good.output
    assert cards(board_shell)[0]["next_step"] == "call Ana"


def test_one_import_is_one_action_that_undo_takes_back(board_shell, tmp_path):
    board_shell("import", write(tmp_path, "title\nAcme\nGlobex\n"))

    undone = board_shell("undo")

    assert "Undone: Imported deals.csv" in undone.output
    assert cards(board_shell) == []


def test_headers_of_a_generic_file_are_recognised_whatever_their_case_and_punctuation():
    mapping = resolve_mapping(["Deal_Name", "AMOUNT", "close-date", "Lead Source", "Zip"], [])

    assert mapping.used() == [
        ("Deal_Name", "title"),
        ("AMOUNT", "value"),
        ("close-date", "closed"),
        ("Lead Source", "source"),
    ]
    assert mapping.ignored() == ["Zip"]


def test_two_columns_for_one_field_keep_the_better_known_and_say_so():
    mapping = resolve_mapping(["Amount in company currency", "Amount"], [])

    assert mapping.used() == [("Amount", "value")]
    assert 'Column "Amount in company currency" also looks like value' in mapping.notes[0]


KILLED_IMPORT = """
import sys
from datetime import date
from pathlib import Path
from pkanban.services.transfer import import_csv
from pkanban.store.database import open_store
store = open_store(Path(sys.argv[1]))
started = []
def progress(done, total):
    if not started:
        started.append(1)
        print("started", flush=True)
import_csv(store, date(2026, 11, 25), Path(sys.argv[2]), progress=progress)
print("done", flush=True)
"""


@pytest.mark.slow
def test_an_import_killed_midway_leaves_the_board_as_it_was(tmp_path):
    csv_path = tmp_path / "big.csv"
    csv_path.write_text(
        "id,title,value\n" + "".join(f"{n},Lead {n},{n}\n" for n in range(20000)), encoding="utf-8"
    )
    outcomes = set()
    for attempt in range(4):
        db = tmp_path / f"board{attempt}.db"
        store = open_store(db, create=True)
        store.close()
        process = subprocess.Popen(
            [sys.executable, "-c", KILLED_IMPORT, str(db), str(csv_path)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout.readline().strip() == "started"
        time.sleep(0.05 * attempt)
        process.send_signal(signal.SIGKILL)
        process.wait()
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM cards), (SELECT count(*) FROM events),"
            " (SELECT count(*) FROM actions)"
        ).fetchone()
        conn.close()
        assert counts in ((0, 0, 0), (20000, 20000, 1))
        outcomes.add(counts[0])
    assert 0 in outcomes


def test_import_service_reports_progress_from_start_to_end(store, tmp_path):
    from pkanban.services.transfer import import_csv

    path = tmp_path / "deals.csv"
    path.write_text("title\n" + "".join(f"Lead {n:06}\n" for n in range(60000)), encoding="utf-8")
    calls = []

    report = import_csv(
        store,
        date(2026, 11, 25),
        path,
        progress=lambda done, total: calls.append((done, total)),
        passes=calls.append,
    )

    assert report.imported == 60000
    checking = calls[1 : calls.index("Importing")]
    importing = calls[calls.index("Importing") + 1 :]
    assert calls[0] == "Checking" and checking and importing
    for done_of in (checking, importing):  # kilobytes of the file, read through, twice
        assert [done for done, _ in done_of] == sorted(done for done, _ in done_of)
        assert done_of[-1] == (path.stat().st_size // 1024,) * 2


def test_a_dry_run_previews_everything_and_writes_nothing(board_shell, tmp_path):
    path = write(tmp_path, "title,stage,value\nAcme,Proposal,100\nGlobex,Won,200\n")

    result = board_shell("import", path, "--dry-run")

    assert result.exit_code == 0, result.output
    assert "Would import 2 cards" in result.output
    assert "line 2     Acme" in result.output
    assert cards(board_shell) == []
    assert json.loads(board_shell("log", "--json").output) == []


def test_a_crm_last_activity_date_starts_the_idle_clock_without_inventing_touches(
    board_shell, tmp_path
):
    path = write(
        tmp_path,
        "Deal - Title,Deal - Stage,Deal - Deal created,Deal - Update time\n"
        "Acme,Proposal Made,2026-06-01,2026-11-20 10:00:00\n"
        "Globex,Proposal Made,2026-06-01,2026-09-01 10:00:00\n"
        "Initech,Lead In,2026-06-01,2026-06-01 10:00:00\n",
    )

    result = board_shell("import", path)

    assert "Deal - Update time   → last_touch" in result.output
    shown = {c["title"]: c for c in cards(board_shell)}
    assert (shown["Acme"]["last_touch"], shown["Acme"]["touches"]) == ("2026-11-20", 0)
    assert shown["Acme"]["idle_days"] == 5
    candidates = json.loads(board_shell("clearance", "--json").output)["candidates"]
    idle = [c["title"] for c in candidates if "idle" in c["rules"]]
    assert idle == ["Globex"]  # the pool lead waits by design: never idle
    assert (
        json.loads(board_shell("show", str(shown["Acme"]["id"]), "--json").output)["touches"] == 0
    )


def test_open_deals_without_a_value_are_unknown_not_zero(board_shell, tmp_path):
    path = write(
        tmp_path,
        "title,stage,value,created\n"
        "Acme,Proposal,12000,2026-01-01\n"
        "Globex,Proposal,,2026-01-01\n"
        "Initech,Proposal,,2026-01-01\n",
    )

    result = board_shell("import", path)

    warning = "2 open deals without a value: shown as —, left out of every sum (not $0)"
    assert warning in result.output
    listed = board_shell("ls").output
    assert next(line for line in listed.splitlines() if "Globex" in line).split()[3] == "—"
    clearance = board_shell("clearance").output
    assert "$12k  at stake — 2 without a value, not counted" in clearance
    globex = next(c for c in cards(board_shell) if c["title"] == "Globex")
    why = board_shell("why", str(globex["id"])).output
    assert "value unknown (not $0)" in why and f"pkanban edit {globex['id']} --value N" in why


PIPEDRIVE_EUR = (
    "Deal - ID,Deal - Title,Deal - Value,Deal - Currency,Deal - Organization,Deal - Stage,"
    "Deal - Status,Deal - Deal created,Deal - Won time,Deal - Lost time,Deal - Lost reason\n"
    "201,Acme renewal,12000,EUR,Acme,Proposal Made,open,2026-10-01 09:30:00,,,\n"
    "202,Globex pilot,4500,EUR,Globex,Negotiations Started,won,2026-08-01 10:00:00,"
    "2026-09-15 16:00:00,,\n"
    "203,Initech,900,EUR,Initech,Contact Made,lost,2026-07-01 10:00:00,,"
    "2026-08-20 11:00:00,Price\n"
)


def test_a_pipedrive_file_in_another_currency_is_refused_until_the_board_says_so(
    board_shell, tmp_path
):
    path = write(tmp_path, PIPEDRIVE_EUR)

    refused = board_shell("import", path)

    assert refused.exit_code == 1
    assert 'in EUR (3 rows) ("Deal - Currency"), the board\'s currency is $' in refused.stderr
    assert "pkanban config set currency €" in refused.stderr
    assert cards(board_shell) == []
    assert board_shell("config", "set", "currency", "€").exit_code == 0
    assert board_shell("import", path).exit_code == 0
    assert len(cards(board_shell)) == 3


def test_won_and_lost_rows_close_on_their_own_pipedrive_dates(board_shell, tmp_path):
    board_shell("config", "set", "currency", "€")

    board_shell("import", write(tmp_path, PIPEDRIVE_EUR))

    closed = {c["title"]: (c["disposition"], c["closed"]) for c in cards(board_shell)}
    assert closed["Globex pilot"] == ("won", "2026-09-15")
    assert closed["Initech"] == ("lost", "2026-08-20")  # not the import day
    assert closed["Acme renewal"] == ("open", None)
