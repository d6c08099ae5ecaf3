"""No key is lost or misplaced: a fast typist (or a paste) types ahead of the screen, and every
key lands where it was aimed — in the field Tab moved to, in the dialog that is opening."""

from datetime import date

from textual import events

from pkanban.store import board
from tests.tui.conftest import board_screen, card_named, selected_title, settled


async def burst(pilot, *keys: str) -> None:
    """Send keys the way a paste or a fast typist does: all queued before any is handled
    (Pilot's `press` waits for the app to go idle after each key)."""
    special = {" ": "space", "+": "plus"}
    for key in keys:
        name = special.get(key, key)
        char = key if len(key) == 1 else None
        event = events.Key(name, char)
        event.set_sender(pilot.app)
        pilot.app._driver.send_message(event)
    await pilot.pause()
    await pilot.pause()


async def test_keys_typed_while_quick_add_opens_land_in_its_line(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await burst(pilot, "a", *"Acme 12k fri", "enter", "enter")
        await pilot.pause()
        card = card_named(demo_store, "Acme")
        assert (card.value, card.next_due) == (12_000, date(2026, 11, 27))
        assert demo_app.screen is board_screen(demo_app)


async def test_keys_typed_right_after_tab_land_in_the_next_field(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        before = card_named(demo_store, "Aperture Science")
        await burst(pilot, "t", *"Intro call done", "tab", *"Send deck", "tab")
        await burst(pilot, *"+2d", "enter")
        await pilot.pause()
        after = board.card(demo_store.conn, before.id)
        touch = board.touches(demo_store.conn, after.id)[-1]
        assert touch.text == "Intro call done"
        assert (after.next_step, after.next_due) == ("Send deck", date(2026, 11, 27))


async def test_letters_typed_right_after_slash_filter_the_board(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await burst(pilot, "slash", *"vandelay", "enter")
        await pilot.pause()
        assert board_screen(demo_app).filter.text == "vandelay"
        assert selected_title(demo_app) == "Vandelay Industries"
        assert demo_app.screen is board_screen(demo_app)  # no letter opened anything


async def test_a_step_then_enter_typed_at_once_opens_the_card_the_step_selected(
    demo_app, demo_store
):
    """`l` then Enter in one burst (a fast typist, tmux send-keys): Enter used to act as it was
    read, before the step, and opened the card the cursor had just left."""
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        before = selected_title(demo_app)
        await pilot.press("l")
        await pilot.pause()
        aimed = selected_title(demo_app)
        await pilot.press("h")
        await pilot.pause()
        assert selected_title(demo_app) == before != aimed
        await burst(pilot, "l", "enter")
        await pilot.pause()
        assert demo_app.screen.card_id == card_named(demo_store, aimed).id
