"""The open board streams to its replica: Litestream starts once the board is drawn, the header
shows the replica's state in a few characters, and closing the board stops it."""

import sqlite3

import pytest

from pkanban.services import replica
from pkanban.services.cards import NewCard, add_card
from pkanban.store.database import open_store
from pkanban.tui.app import PkanbanApp
from pkanban.tui.widgets.headers import BoardHeader
from tests.replica_support import litestream, replicating, wait_for_replica

__all__ = ["litestream"]


async def until(pilot, condition, tries: int = 150) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.1)
    raise AssertionError("the board never got there")


@pytest.mark.slow
async def test_the_open_board_replicates_and_shows_it_in_the_header(litestream, tmp_path, today):
    url = f"file://{tmp_path}/replica"
    store = open_store(tmp_path / "board.db", create=True)
    replica.set_replica(store, today, url)
    app = PkanbanApp(store, today)
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            header = app.screen.query_one(BoardHeader)
            await until(pilot, lambda: header.replica is not None)
            assert header.replica[0].startswith("⇅ ")
            process = app.replicator.process
            assert process is not None and process.poll() is None
            add_card(store, today, NewCard(title="Acme"))
            wait_for_replica(url, store.path)
    finally:
        app.stop_replica()
    assert process.poll() is not None
    assert not replica.is_running(store.path)
    store.close()


async def test_a_board_without_a_replica_starts_nothing(store, today):
    app = PkanbanApp(store, today)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause(0.2)
        assert app.replicator is None
        assert app.screen.query_one(BoardHeader).replica is None


@pytest.mark.slow
async def test_the_board_says_so_when_it_reseeds_a_replica_that_went_its_own_way(
    litestream, tmp_path, today
):
    """The replica holds a card the board does not (an older copy of the board came back):
    opening the board says so in a notification and the replica restores to the board."""
    url = f"file://{tmp_path}/replica"
    store = open_store(tmp_path / "board.db", create=True)
    replica.set_replica(store, today, url)
    older = tmp_path / "older.db"
    with sqlite3.connect(older) as copy:
        store.conn.backup(copy)
    add_card(store, today, NewCard(title="Acme"))
    with replicating(store.path, url):
        wait_for_replica(url, store.path)
    with sqlite3.connect(older) as copy:
        copy.backup(store.conn)
    add_card(store, today, NewCard(title="Globex"))
    app = PkanbanApp(store, today)
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            await until(
                pilot,
                lambda: any(
                    "which this board does not hold" in note.message for note in app._notifications
                ),
            )
            assert app.replicator.process is not None
            wait_for_replica(url, store.path)
    finally:
        app.stop_replica()
    store.close()
