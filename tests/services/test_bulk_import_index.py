"""A large import indexes and tallies its cards in a few grouped statements instead of a trigger
per card: whatever a seller does around imports — adds, wins, losses, undos, more imports —
the search index and the archive's tallies are exactly what they would be card by card, and
the board keeps every trigger for what comes next."""

import sqlite3
import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pkanban.domain.errors import PkanbanError
from pkanban.services import cards
from pkanban.services.cards import NewCard
from pkanban.services.transfer import ImportOptions, import_csv_bytes
from pkanban.services.undo import undo_last
from pkanban.store import schema
from pkanban.store.database import open_store

START = date(2026, 3, 2)
HEADER = "opportunity_id,account,deal_stage,engage_date,close_date,close_value"

deal = st.tuples(
    st.sampled_from(["Won", "Lost", "Engaging", "Prospecting"]),
    st.sampled_from(["Acme", "Globex", "Café Ü", "Initech"]),
    st.integers(1, 60),
    st.integers(0, 40),
    st.sampled_from(["", "0", "1200", "950"]),
)
step = st.one_of(
    st.tuples(st.just("import"), st.lists(deal, min_size=1, max_size=25)),
    st.tuples(st.just("add"), st.integers(0, 9)),
    st.tuples(st.just("won"), st.integers(1, 40)),
    st.tuples(st.just("lost"), st.integers(1, 40)),
    st.tuples(st.just("undo")),
)


def crm_file(today: date, deals: list, first_id: int) -> bytes:
    lines = [HEADER]
    for n, (stage, account, engaged_ago, took, value) in enumerate(deals):
        engaged = today - timedelta(days=engaged_ago)
        closed = (engaged + timedelta(days=took)).isoformat() if stage in ("Won", "Lost") else ""
        lines.append(f"D{first_id + n},{account},{stage},{engaged.isoformat()},{closed},{value}")
    return "\n".join(lines).encode()


def play(store, history) -> None:
    today, imported = START, 0
    for action, *args in history:
        today += timedelta(days=1)
        try:
            if action == "import":
                data = crm_file(today, args[0], imported)
                imported += len(args[0])
                import_csv_bytes(store, today, "crm.csv", data, ImportOptions(skip_bad=True))
            elif action == "add":
                cards.add_card(store, today, NewCard(f"Deal {args[0]}", value=args[0] * 100))
            elif action == "won":
                cards.mark_won(store, today, args[0])
            elif action == "lost":
                cards.mark_lost(store, today, args[0], "Price")
            else:
                undo_last(store, today)
        except PkanbanError:
            pass


def snapshot(conn: sqlite3.Connection) -> dict[str, list]:
    tables = (*schema.TALLY_TABLES, "search_fts")
    return {
        table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() for table in tables
    }


def triggers(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    ).fetchall()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=st.lists(step, min_size=1, max_size=8))
def test_imports_leave_the_search_index_and_tallies_as_card_by_card_writes_would(history):
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "board.db", create=True)
        try:
            conn = store.conn
            fresh_triggers = triggers(conn)
            play(store, history)
            assert triggers(conn) == fresh_triggers
            kept = snapshot(conn)
            with store.transaction():
                schema.rebuild_tallies(conn)
                schema.rebuild_search(conn)
                conn.execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")
            assert snapshot(conn) == kept
        finally:
            store.close()


def test_an_imported_account_is_found_by_search_at_once(tmp_path, shell):
    db = tmp_path / "board.db"
    crm = tmp_path / "crm.csv"
    crm.write_bytes(crm_file(START, [("Won", "Café Ü", 10, 5, "1200")] * 3, 0))
    assert shell("--db", str(db), "init").exit_code == 0
    imported = shell("--db", str(db), "--today", START.isoformat(), "import", str(crm))
    assert imported.exit_code == 0, imported.output
    found = shell("--db", str(db), "search", "--all", "cafe")
    assert found.exit_code == 0, found.output
    assert found.output.count("Café Ü") >= 1
