"""The export and import dialogs: a seller exports the board for a 1:1 and brings in a CRM
export, previewing before anything is written."""

import csv
import stat

from pkanban.store import board
from pkanban.tui.screens.transfer import ExportScreen, ImportScreen, ReplaceScreen
from tests.tui.conftest import dump, notifications, screen_text, settled, wait_for


async def test_export_writes_the_chosen_format_privately(demo_app, tmp_path):
    target = tmp_path / "for-my-manager.md"
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("E")
        assert isinstance(demo_app.screen, ExportScreen)
        await pilot.press("down", "space")  # Obsidian board
        await pilot.press("tab")
        path_input = demo_app.screen.query_one("#path")
        assert path_input.value.endswith("-obsidian.md")
        path_input.value = str(target)
        await pilot.press("enter")
        assert await wait_for(pilot, target.exists)
        await settled(pilot)
    text = target.read_text()
    assert text.startswith("---\n\nkanban-plugin: board\n")
    assert "Aperture Science" in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


async def test_export_refuses_to_overwrite_the_board(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("E", "tab")
        demo_app.screen.query_one("#path").value = str(demo_store.path)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: "board itself" in screen_text(demo_app))


def write_deals(path, rows):
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["Deal Name", "Amount", "Deal Stage", "Create Date"])
        writer.writerows(rows)


async def test_import_previews_then_imports_as_one_undoable_action(demo_app, demo_store, tmp_path):
    deals = tmp_path / "deals.csv"
    write_deals(
        deals,
        [
            ["[bold]Hooli XYZ[/]", "12000", "Leads", "2026-11-01"],
            ["Initrode", "4500", "Leads", "2026-11-02"],
        ],
    )
    before = dump(demo_store)
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("i")
        assert isinstance(demo_app.screen, ImportScreen)
        demo_app.screen.query_one("#path").value = str(deals)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: "Enter imports them" in screen_text(demo_app))
        assert "[bold]Hooli XYZ[/]" in screen_text(demo_app)
        assert dump(demo_store) == before  # the preview wrote nothing
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: not isinstance(demo_app.screen, ImportScreen))
        assert any("Imported 2 cards" in message for message in notifications(demo_app))
        titles = {card.title for card in board.cards(demo_store.conn)}
        assert {"[bold]Hooli XYZ[/]", "Initrode"} <= titles
        await pilot.press("u")
        await settled(pilot)
    assert dump(demo_store)["cards"] == before["cards"]


async def test_a_bad_file_is_explained_and_changes_nothing(demo_app, demo_store, tmp_path):
    before = dump(demo_store)
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("i")
        demo_app.screen.query_one("#path").value = str(tmp_path / "missing.csv")
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: "missing.csv" in screen_text(demo_app))
        demo_app.screen.query_one("#path").value = str(demo_store.path)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: "is an SQLite database" in screen_text(demo_app))
    assert dump(demo_store) == before


async def test_export_asks_before_replacing_a_file_and_keeps_it_on_escape(demo_app, tmp_path):
    target = tmp_path / "for-my-manager.md"
    target.write_text("last week's report")
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("E", "tab")
        demo_app.screen.query_one("#path").value = str(target)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(demo_app.screen, ReplaceScreen))
        assert "already exists" in screen_text(demo_app)
        await pilot.press("n")  # n pulls the next lead on the board: not a key of this dialog
        await pilot.pause()
        assert isinstance(demo_app.screen, ReplaceScreen)
        assert "y replaces it · Esc keeps it" in screen_text(demo_app)
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: "was kept" in screen_text(demo_app))
        assert target.read_text() == "last week's report"

        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(demo_app.screen, ReplaceScreen))
        await pilot.press("y")
        assert await wait_for(pilot, lambda: not isinstance(demo_app.screen, ExportScreen))
        assert await wait_for(pilot, lambda: target.read_text().startswith("# Pipeline"))
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(".tmp")]


async def test_the_suggested_export_name_never_repeats_an_old_export(
    demo_app, tmp_path, monkeypatch
):
    monkeypatch.setenv("HOME", str(tmp_path))
    first = tmp_path / f"pkanban-{demo_app.today.isoformat()}.md"
    first.write_text("this morning's report")
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("E")
        path_input = demo_app.screen.query_one("#path")
        assert path_input.value == f"~/pkanban-{demo_app.today.isoformat()}-2.md"
        await pilot.press("tab", "enter")
        second = tmp_path / f"pkanban-{demo_app.today.isoformat()}-2.md"
        assert await wait_for(pilot, second.exists)
        await settled(pilot)
    assert first.read_text() == "this morning's report"
    assert second.read_text().startswith("# Pipeline")
