"""A decade of archived deals keeps the board file small: the search index reads the cards'
text back from them instead of keeping a copy, and the board's cell index holds the open
cards only — while search finds exactly what it found before."""

from datetime import date

from pkanban.services.transfer import ImportOptions, import_csv_bytes
from pkanban.store.database import open_store

TODAY = date(2026, 3, 2)


def archive(won: int, open_deals: int) -> bytes:
    lines = ["opportunity_id,account,deal_stage,engage_date,close_date,close_value"]
    lines += [f"W{n},Acme {n},Won,2025-01-0{n % 9 + 1},2025-02-01,{n}" for n in range(won)]
    lines += [f"O{n},Globex {n},Engaging,2026-01-05,," for n in range(open_deals)]
    return "\n".join(lines).encode()


def pages(conn, name: str) -> list[tuple[int, int]]:
    """(cells, bytes) of each page of a table or index of the file."""
    return conn.execute("SELECT ncell, pgsize FROM dbstat WHERE name = ?", [name]).fetchall()


def test_an_imported_archive_is_stored_once_and_its_cell_index_holds_open_cards(tmp_path):
    store = open_store(tmp_path / "board.db", create=True)
    try:
        import_csv_bytes(store, TODAY, "crm.csv", archive(400, 7), ImportOptions())
        conn = store.conn
        assert pages(conn, "search_fts_content") == []  # no second copy of every card's text
        leaf_cells = conn.execute(
            "SELECT sum(ncell) FROM dbstat WHERE name = 'cards_open_cell' AND pagetype = 'leaf'"
        ).fetchone()[0]
        assert leaf_cells == 7
        found = conn.execute(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH 'acme AND 399'"
        ).fetchall()
        assert found == [(400,)]
    finally:
        store.close()
