"""Undoing an import that is most of the board takes its search rows out in one statement and
builds the cards' indexes again from the cards that stay — in the undo's own transaction, so
the board after the undo has every index and trigger it had, and finds what it found."""

from datetime import date

from pkanban.services.cards import NewCard, add_card
from pkanban.services.import_report import ImportOptions
from pkanban.services.transfer import import_csv_bytes
from pkanban.services.undo import undo_last
from pkanban.store.database import open_store

TODAY = date(2026, 11, 25)


def schema(store) -> list[tuple]:
    return store.conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('cards', 'search_fts')"
        " ORDER BY type, name"
    ).fetchall()


def found(store, word: str) -> list[int]:
    return [
        row[0]
        for row in store.conn.execute(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid", [word]
        )
    ]


def test_undoing_an_import_of_most_of_the_board_keeps_its_indexes_and_search(tmp_path):
    store = open_store(tmp_path / "board.db", create=True)
    kept = add_card(store, TODAY, NewCard("Umbrella renewal", value=5000))
    before = schema(store)
    rows = "".join(f"Globex deal {n},Won,{n}\n" for n in range(3000))
    import_csv_bytes(
        store, TODAY, "deals.csv", f"Title,Stage,Value\n{rows}".encode(), ImportOptions()
    )
    assert len(found(store, "Globex")) == 3000

    undo_last(store, TODAY)

    assert schema(store) == before
    assert found(store, "Globex") == []
    assert found(store, "Umbrella") == [kept.id]
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 1
    store.conn.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")
