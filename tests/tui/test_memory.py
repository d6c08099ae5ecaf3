"""A day of work must not grow the app: dialogs opened and closed leave nothing behind."""

import gc

from textual.widgets._footer import FooterKey


def footer_keys_alive() -> int:
    gc.collect()
    return sum(1 for thing in gc.get_objects() if isinstance(thing, FooterKey))


async def test_opening_and_closing_cards_leaves_no_footer_keys_behind(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        for _ in range(3):
            await pilot.press("enter", "escape")
            await pilot.pause(0.05)
        settled = footer_keys_alive()
        for _ in range(8):  # a leak keeps the keys of every detail opened
            await pilot.press("enter", "escape")
            await pilot.pause(0.05)

        assert footer_keys_alive() <= settled
