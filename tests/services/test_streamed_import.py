"""The streamed import (the file read twice, never held whole): on random small CSV files with
quoting faults, repeated rows, bad cells and blank lines, a dry run changes nothing and reads the
file exactly as the import then does (same report, same refusal), and memory stays flat.

When the import became streamed, this file compared it with a frozen copy of the whole-file
import over 150 random files (identical reports and cards); the copy was dropped after that."""

import tracemalloc
from dataclasses import replace
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pkanban.services.cards import NewCard, add_card
from pkanban.services.import_report import ImportOptions, report_lines
from pkanban.services.transfer import import_csv_bytes
from pkanban.store import board
from pkanban.store.database import open_store

TODAY = date(2026, 11, 25)
CARD_COLUMNS = "id, title, value, stage_id, lane_id, disposition, created, closed, external_id"

cells = st.sampled_from(
    [
        "Acme",
        "Globex",
        "",
        "Café",
        '"Initech, Inc"',
        '"two\nlines"',
        '"stray',
        'x"y',
        "1200",
        "abc",
        "2026-01-05",
        "03/04/2025",
        "2027-01-01",
        "Won",
        "Lost",
        "Prospecting",
        "Engaging",
        "Nowhere",
        "EUR",
    ]
)
rows = st.lists(st.lists(cells, min_size=4, max_size=6), max_size=25)
headers = st.sampled_from(
    [
        "Title,Stage,Value,Created",
        "Deal Id,Title,Stage,Created",
        "Account,Product,Deal Stage,Value",
        "Title,Stage,Value,Currency",
        "Title;Stage;Value;Created",
    ]
)
option_sets = st.sampled_from(
    [
        ImportOptions(),
        ImportOptions(skip_bad=True),
        ImportOptions(skip_bad=True, dry_run=True),
        ImportOptions(skip_bad=True, stage_maps=(("Nowhere", "skip"),)),
        ImportOptions(skip_bad=True, wheres=(("Stage", "Won"),)),
        ImportOptions(skip_bad=True, wheres=(("Stage", "no such stage"),), dates="dmy"),
    ]
)


def crm_file(header: str, body: list[list[str]], blank_every: int, cp1252: bool) -> bytes:
    delimiter = ";" if ";" in header else ","
    lines = [header]
    for number, row in enumerate(body, 1):
        lines.append(delimiter.join(row))
        if blank_every and number % blank_every == 0:
            lines.append("")
    text = "\r\n".join(lines) + "\r\n"
    return text.encode("cp1252" if cp1252 else "utf-8")


def board_with_a_card(path):
    store = open_store(path, create=True)
    add_card(store, TODAY, NewCard("Already here", value=5000, external_id="Deal Id:Acme"))
    return store


def outcome(store, importer, data: bytes, options: ImportOptions):
    try:
        report = importer(store, TODAY, "deals.csv", data, options)
    except Exception as error:  # the same refusal, raised the same way
        return type(error).__name__, str(error)
    cards = store.conn.execute(f"SELECT {CARD_COLUMNS} FROM cards ORDER BY id").fetchall()
    return report_lines(report, "$", TODAY), report.as_json(), cards


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=headers,
    body=rows,
    options=option_sets,
    blank_every=st.integers(0, 4),
    cp1252=st.booleans(),
)
def test_a_dry_run_changes_nothing_and_reads_the_file_as_the_import_then_does(
    tmp_path_factory, header, body, options, blank_every, cp1252
):
    data = crm_file(header, body, blank_every, cp1252)
    store = board_with_a_card(tmp_path_factory.mktemp("streamed") / "board.db")
    before = store.conn.execute(f"SELECT {CARD_COLUMNS} FROM cards ORDER BY id").fetchall()
    dry = outcome(store, import_csv_bytes, data, replace(options, dry_run=True))
    assert store.conn.execute(f"SELECT {CARD_COLUMNS} FROM cards").fetchall() == before
    done = outcome(store, import_csv_bytes, data, replace(options, dry_run=False))
    if isinstance(dry[0], str):  # refused: the import is refused the same way
        assert done == dry
        return
    dry_json, done_json = dict(dry[1]), dict(done[1])
    assert dry_json["imported"] == 0  # a dry run imports nothing, and says what it would
    assert done_json["imported"] in (0, dry_json["cards"])  # 0: refused, or nothing new
    for key in ("dry_run", "cards", "imported"):  # what only a run that writes can say
        dry_json.pop(key, None), done_json.pop(key, None)
    assert dry_json == done_json
    assert len(done[2]) == len(before) + done[1]["imported"]


def test_memory_stays_flat_when_the_file_grows_fourfold(tmp_path):
    """The import streams: four times the rows take no more memory (a file held whole, or a
    list of its rows, would add ~2 MB at 20,000 rows) and far less than the file."""
    peaks, sizes = [], []
    for rows in (5_000, 20_000):
        path = tmp_path / f"deals-{rows}.csv"
        with path.open("w", encoding="utf-8") as out:
            out.write("Deal Id,Title,Account,Stage,Value,Created,Notes\n")
            for number in range(rows):
                out.write(
                    f"{number},Renewal {number},Account {number % 977},Won,{1000 + number},"
                    f"2025-{1 + number % 12:02}-{1 + number % 28:02},{'call back ' * 8}\n"
                )
        store = open_store(tmp_path / f"board-{rows}.db", create=True)
        from pkanban.services.transfer import import_csv

        tracemalloc.start()
        try:
            report = import_csv(store, TODAY, path, ImportOptions())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
            store.close()
        assert report.imported == rows
        peaks.append(peak)
        sizes.append(path.stat().st_size)
    assert peaks[1] < peaks[0] * 1.1, f"peaks {peaks[0]:,} then {peaks[1]:,} bytes"
    assert peaks[1] < sizes[1] / 2, f"peak {peaks[1]:,} bytes for a {sizes[1]:,}-byte file"


def test_the_reports_best_by_counts_the_wins_it_imports(tmp_path):
    """The report's best-by is read after the imported wins are tallied, so it says what the
    board then says (it used to read the tallies before the import's cards were counted)."""
    rows = [f"Deal {n},Won,{1000 + n},2026-0{1 + n % 8}-01,2026-09-{10 + n:02}" for n in range(12)]
    data = ("Title,Stage,Value,Created,Closed\r\n" + "\r\n".join(rows) + "\r\n").encode()
    store = open_store(tmp_path / "board.db", create=True)
    report = import_csv_bytes(store, TODAY, "wins.csv", data, ImportOptions())
    settings = board.settings(store.conn)
    assert report.imported == 12
    assert report.best_by == board.board_best_by(store.conn, settings).sentence
    assert "12 wins" in report.best_by


def test_an_import_into_a_small_board_leaves_every_index_and_trigger_as_it_was(tmp_path):
    """Into a small board the cards' indexes are set aside and built again at the end: the
    schema afterwards is the schema before, after an import, a dry run and a refusal alike."""
    store = board_with_a_card(tmp_path / "board.db")
    schema = "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'cards' ORDER BY name"
    before = store.conn.execute(schema).fetchall()
    assert any(kind == "index" and sql for kind, _, sql in before)
    good = b"Title,Stage,Value\r\nAcme,Prospecting,1200\r\nGlobex,Won,900\r\n"
    bad = b"Title,Stage,Value\r\nAcme,Prospecting,abc\r\n"
    for data, options in (
        (good, ImportOptions(dry_run=True)),
        (bad, ImportOptions()),
        (good, ImportOptions()),
    ):
        outcome(store, import_csv_bytes, data, options)
        assert store.conn.execute(schema).fetchall() == before
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 3
