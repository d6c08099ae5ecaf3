"""The board and triage act on a card through the same dialogs: a snooze asks until when and
why on both (the board's used to drop the reason), and won asks the final value on both."""

from datetime import date

from textual.widgets import Input

from pkanban.services import cards as actions
from pkanban.tui.screens.dated_note import DatedNoteScreen
from pkanban.tui.screens.prompt import PromptScreen
from tests.tui.conftest import card_named, notifications, settled


async def test_a_snooze_from_the_board_keeps_its_reason(app, store, today):
    actions.add_card(store, today, actions.NewCard(title="Acme", stage="Contacted"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await pilot.press("l", "s")
        await pilot.pause()
        assert isinstance(app.screen, DatedNoteScreen)
        app.screen.query_one("#when", Input).value = "next mon"
        app.screen.query_one("#text", Input).value = "CFO on holiday"
        await pilot.press("enter")
        await pilot.pause()
        acme = card_named(store, "Acme")
        assert (acme.snoozed_until, acme.snooze_reason) == (date(2026, 11, 30), "CFO on holiday")
        assert notifications(app)[-1].startswith("Snoozed #1 Acme until 2026-11-30")


async def test_triage_opens_the_boards_dialogs(demo_app):
    async with demo_app.run_test(size=(140, 44)) as pilot:
        await settled(pilot)
        dialogs = {}
        for key in ("s", "w"):
            await pilot.press(key)
            await pilot.pause()
            dialogs[key] = type(demo_app.screen)
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        for key in ("s", "w"):
            await pilot.press(key)
            await pilot.pause()
            assert type(demo_app.screen) is dialogs[key]
            await pilot.press("escape")
            await pilot.pause()
    assert dialogs == {"s": DatedNoteScreen, "w": PromptScreen}
