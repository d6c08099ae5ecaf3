"""A second machine reads the board from its replica: a read-only view, refreshed on `r`."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from pkanban.cli.main import cli
from pkanban.services import replica
from pkanban.services.cards import NewCard, add_card
from pkanban.store.database import open_store
from pkanban.tui.app import PkanbanApp
from tests.replica_support import litestream, replicating, wait_for_replica
from tests.tui.conftest import screen_text, settled

__all__ = ["litestream"]

pytestmark = pytest.mark.slow


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def replicated(litestream, tmp_path, today):
    """A board on "the laptop" with two cards, replicated to a file:// replica."""
    board = tmp_path / "laptop.db"
    url = f"file://{tmp_path}/replica"
    store = open_store(board, create=True)
    replica.set_replica(store, today, url)
    for title in ("Acme Corp", "Globex"):
        add_card(store, today, NewCard(title=title, value=1000))
    with replicating(board, url):
        wait_for_replica(url, board)
    yield store, board, url
    store.close()


def test_the_view_shows_the_replicas_board_and_refuses_every_change(replicated, today):
    _, board, url = replicated
    day = ["--today", today.isoformat()]

    seen = run("--replica", url, *day, "ls", "--json")
    added = run("--replica", url, *day, "add", "Initech")
    both = run("--replica", url, "--db", str(board), "ls")

    assert seen.exit_code == 0
    assert seen.stdout == run("--db", str(board), *day, "ls", "--json").stdout
    assert added.exit_code == 1
    assert "read-only view of a replica" in added.stderr
    assert both.exit_code == 1 and "leave out --db" in both.stderr


def test_a_view_never_streams_back_into_the_replica(replicated, today):
    _, _, url = replicated
    view = replica.refresh_view(url)
    store = open_store(view, read_only_reason=replica.VIEW_READ_ONLY)
    try:
        assert store.read_only
        assert not list(Path(view).parent.glob(f"{view.name}-wal"))
    finally:
        store.close()


async def test_r_brings_the_latest_board_into_the_view(replicated, today):
    store, board, url = replicated
    view = open_store(replica.refresh_view(url), read_only_reason=replica.VIEW_READ_ONLY)
    app = PkanbanApp(view, today, replica_view=url)
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        assert app.session.store.conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 2
        add_card(store, today, NewCard(title="Initech", value=500))
        with replicating(board, url):
            wait_for_replica(url, board)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.store.conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 3
        await pilot.press("x", *"No budget", "enter")
        await pilot.pause()
        told = [notification.message for notification in app._notifications]
        assert any("read-only view of a replica" in text for text in [*told, screen_text(app)])
        assert (
            app.session.store.conn.execute(
                "SELECT count(*) FROM cards WHERE disposition = 'open'"
            ).fetchone()[0]
            == 3
        )
    app.session.store.close()


def test_a_view_can_never_replicate_into_the_replica(replicated, today):
    _, _, url = replicated

    refused = run("--replica", url, "replicate")

    assert refused.exit_code == 1
    assert "read-only view of a replica" in refused.stderr
    with replica.restored_copy(url) as copy:
        view = open_store(replica.refresh_view(url), read_only_reason=replica.VIEW_READ_ONLY)
        try:
            assert replica.replica_setting(view.conn) is None
        finally:
            view.close()
        assert copy.exists()
