"""TUI fixtures: the app on a temp board (empty or the deterministic demo) and ways to read
what the user sees and what the database holds."""

from pathlib import Path

import pytest

from pkanban.services.demo import build_demo
from pkanban.store import board
from pkanban.tui.app import REPLICA_WORKERS, PkanbanApp
from pkanban.tui.screens.board import BoardScreen
from tests.conftest import TODAY, close_without_id, open_copy


@pytest.fixture(scope="session")
def demo_board_file(new_board_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo board on the suite's day, built once per worker (each test gets a copy)."""
    path = tmp_path_factory.mktemp("demo-board") / "board.db"
    demo = open_copy(new_board_file, path)
    build_demo(demo, TODAY)
    close_without_id(demo)
    return path


@pytest.fixture
def demo_store(db_path: Path, demo_board_file: Path):
    demo = open_copy(demo_board_file, db_path)
    yield demo
    demo.close()


@pytest.fixture
def app(store, today) -> PkanbanApp:
    return PkanbanApp(store, today)


@pytest.fixture
def demo_app(demo_store, today) -> PkanbanApp:
    return PkanbanApp(demo_store, today)


def screen_text(app: PkanbanApp) -> str:
    """The terminal's text as the user sees it (all layers, no styles) once the frame due is
    drawn: a layout or repaint still waiting for the screen's update timer is done first, as
    `pilot.pause()` does (a key's effect may not be on screen the moment `press` returns)."""
    app.screen._on_timer_update()
    update = app.screen._compositor.render_full_update()
    return "\n".join("".join(segment.text for segment in strip) for strip in update.strips)


def board_screen(app: PkanbanApp) -> BoardScreen:
    return next(screen for screen in app.screen_stack if isinstance(screen, BoardScreen))


def selected_title(app: PkanbanApp) -> str | None:
    view = board_screen(app).selected_view()
    return None if view is None else view.card.title


def dump(store) -> dict:
    tables = ("cards", "touches", "notes", "stages", "lanes", "board_meta")
    return {t: store.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def card_named(store, title: str):
    row = store.conn.execute("SELECT id FROM cards WHERE title = ?", [title]).fetchone()
    return board.card(store.conn, row[0])


def notifications(app: PkanbanApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def settled(pilot) -> None:
    """Let the app finish what it set off — a board or dialog opening (with the keys held for
    it), the board's workers (header counts, a rebuild, a search) and the messages they post — as
    a seller's screen does a moment after a key. The replica's stream runs as long as the app and
    is not waited for."""
    app = pilot.app
    await pilot.pause()
    while app.holding_keys:
        await pilot.pause(0.01)
    await app.workers.wait_for_complete([w for w in app.workers if w.group != REPLICA_WORKERS])
    await pilot.pause()


async def wait_for(pilot, condition, tries=100) -> bool:
    """Let the app run until `condition()` holds (work in a worker takes a variable time)."""
    for _ in range(tries):
        await pilot.pause(0.05)
        if condition():
            return True
    return False
