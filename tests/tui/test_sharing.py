"""The open board and a shell share one file: after the app opens its worker screens (which
use a connection of their own), a `pkanban` command in another process must still see the
app's changes and the app the command's — nothing silently forked or lost."""

import subprocess

from pkanban.store import board
from tests.conftest import pkanban_command
from tests.tui.conftest import screen_text


def pkanban(db, *args):
    return subprocess.run(
        pkanban_command(db, *args),
        capture_output=True,
        text=True,
        check=True,
    ).stdout


async def test_worker_screens_do_not_break_sharing_with_another_process(demo_app, demo_store):
    db = demo_store.path
    async with demo_app.run_test(size=(160, 48)) as pilot:
        for key in ("m", "E", "i"):
            await pilot.press(key)
            await pilot.pause(0.5)
            await pilot.press("escape")
            await pilot.pause(0.2)
        pkanban(db, "add", "From the shell")
        assert db.with_name(db.name + "-wal").exists()
        for _ in range(40):
            await pilot.pause(0.05)
            if "From the shell" in screen_text(demo_app):
                break
        titles = {card.title for card in board.cards(demo_store.conn)}
        assert "From the shell" in titles
        await pilot.press("a")
        await pilot.press(*"From the app")
        await pilot.press("enter")
        await pilot.pause(0.3)
        if "From the app" not in {card.title for card in board.cards(demo_store.conn)}:
            await pilot.press("enter")  # the dialog shows what it read before saving
            await pilot.pause(0.3)
    listed = pkanban(db, "ls")
    assert "From the app" in listed and "From the shell" in listed
