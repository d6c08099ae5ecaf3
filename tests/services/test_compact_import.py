"""An import is one action whose undo needs only the ids it created: one `card_range` event, not
a snapshot per card — undone exactly, refused when a card changed since, kept in a dump; and
the per-card import events of older boards still undo."""

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pkanban.domain.errors import Conflict
from pkanban.services import cards as actions
from pkanban.services.cards import NewCard, insert_card
from pkanban.services.transfer import ImportOptions, dump_board, import_csv_bytes, restore_dump
from pkanban.services.undo import undo_last
from pkanban.store import board
from pkanban.store.database import open_store

TODAY = date(2026, 11, 25)
EVERY_TABLE = ("cards", "touches", "notes", "stages", "lanes", "board_meta", "search_fts")


def contents(store) -> dict[str, list]:
    """Every row the seller could see or search, table by table."""
    return {
        table: store.conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        for table in EVERY_TABLE
    }


def crm_file(deals: list[tuple[str, str, str]]) -> bytes:
    lines = ["Title,Stage,Value"] + [",".join(deal) for deal in deals]
    return "\n".join(lines).encode()


def import_deals(store, deals, **options):
    return import_csv_bytes(
        store, TODAY, "deals.csv", crm_file(deals), ImportOptions(skip_bad=True, **options)
    )


deals = st.lists(
    st.tuples(
        st.sampled_from(["Acme", "Globex", "Initech", "Umbrella", "Hooli", ""]),
        st.sampled_from(["Prospecting", "Engaging", "Won", "Lost", "Leads", "Contacted"]),
        st.sampled_from(["", "1200", "950", "abc"]),
    ),
    min_size=1,
    max_size=30,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(before=deals, imported=deals)
def test_undoing_an_import_gives_back_exactly_the_board_before(tmp_path_factory, before, imported):
    store = open_store(tmp_path_factory.mktemp("undo") / "board.db", create=True)
    actions.add_card(store, TODAY, NewCard("Already here", value=5000))
    import_deals(store, before)
    was = contents(store)

    report = import_deals(store, imported)

    if report.imported:
        assert store.conn.execute(
            "SELECT entity FROM events WHERE action_id = (SELECT max(id) FROM actions)"
        ).fetchall() == [("card_range",)]
        undo_last(store, TODAY)
    assert contents(store) == was
    store.close()


def test_a_million_card_import_is_one_event_and_its_undo_reports_progress(store):
    report = import_deals(store, [(f"Deal {n}", "Won", str(n)) for n in range(3000)])
    assert report.imported == 3000
    events = store.conn.execute("SELECT entity, entity_id, card_id, after FROM events").fetchall()
    assert events == [("card_range", 1, 1, '{"first": 1, "last": 3000, "count": 3000}')]

    steps = []
    assert undo_last(store, TODAY, progress=lambda done, total: steps.append((done, total)))
    assert steps[-1] == (3000, 3000)
    assert store.conn.execute("SELECT count(*) FROM cards").fetchone() == (0,)


def test_an_imported_card_shows_the_import_in_its_history(store):
    actions.add_card(store, TODAY, NewCard("Before the import"))
    import_deals(store, [("Acme", "Leads", "100"), ("Globex", "Leads", "200")])
    acme = board.card(store.conn, 2)
    assert [action["summary"] for action in board.history(store.conn, acme.id)] == [
        "Imported deals.csv"
    ]
    assert [a["summary"] for a in board.history(store.conn, 1)] == ["Added Before the import"]


def test_undo_refuses_when_an_imported_card_changed_without_a_trace(store):
    import_deals(store, [("Acme", "Leads", "100"), ("Globex", "Leads", "200")])
    was = contents(store)
    store.conn.execute("UPDATE cards SET title = 'Edited elsewhere', version = 2 WHERE id = 2")
    was["cards"] = store.conn.execute("SELECT * FROM cards ORDER BY 1").fetchall()
    was["search_fts"] = store.conn.execute("SELECT * FROM search_fts ORDER BY 1").fetchall()

    with pytest.raises(Conflict, match=r"\(#1–#2\) have changed since"):
        undo_last(store, TODAY)
    assert contents(store) == was


def test_undo_goes_back_through_a_touch_before_the_import(store):
    import_deals(store, [("Acme", "Contacted", "100")])
    actions.log_touch(store, TODAY, 1, "call", "Spoke to Ana")
    undo_last(store, TODAY)  # the touch
    undo_last(store, TODAY)  # the import
    assert store.conn.execute("SELECT count(*) FROM cards").fetchone() == (0,)


def test_an_older_boards_per_card_import_still_undoes(store):
    """Before compact history an import stored one `cards` event with a full snapshot per card."""
    with store.action("imported", "Imported old.csv", TODAY) as log:
        for title in ("Acme", "Globex", "Initech"):
            insert_card(store.conn, log, TODAY, NewCard(title, value=100))
    assert store.conn.execute("SELECT count(*) FROM events WHERE entity = 'cards'").fetchone() == (
        3,
    )
    assert undo_last(store, TODAY) == "Imported old.csv"
    assert store.conn.execute("SELECT count(*) FROM cards").fetchone() == (0,)


def test_a_dump_of_a_board_with_a_compact_import_restores_with_its_history(tmp_path, store):
    import_deals(store, [("Acme", "Leads", "100"), ("Globex", "Won", "200")])
    text = dump_board(store, TODAY)
    event = json.loads(text)["events"][0]
    assert (event["entity"], event["after"]) == ("card_range", {"first": 1, "last": 2, "count": 2})

    copy = open_store(tmp_path / "copy.db", create=True)
    report = restore_dump(copy, TODAY, "dump.json", text.encode())
    assert report.imported == 2
    assert [a["summary"] for a in board.history(copy.conn, 2)] == ["Imported deals.csv"]
    copy.close()


@pytest.mark.parametrize(
    "payload",
    [{"first": 1, "last": 2, "count": 3}, {"first": 2, "last": 1, "count": 0}, {"first": "1"}],
)
def test_a_dump_with_a_bad_card_range_is_refused(tmp_path, store, payload):
    import_deals(store, [("Acme", "Leads", "100"), ("Globex", "Won", "200")])
    document = json.loads(dump_board(store, TODAY))
    document["events"][0]["after"] = payload
    copy = open_store(tmp_path / "copy.db", create=True)
    with pytest.raises(Exception, match="bad card range"):
        restore_dump(copy, TODAY, "dump.json", json.dumps(document).encode())
    copy.close()
