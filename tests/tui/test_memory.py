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


def test_the_textual_cache_the_workaround_empties_is_still_there():
    """When Textual fixes #6665 this fails: then drop `tui/textual_leak.py`."""
    from textual._styles_cache import StylesCache

    assert callable(getattr(StylesCache.get_inner_outer, "cache_clear", None))


def drawn_widgets_kept() -> int:
    """Textual's per-widget caches of drawn lines still alive (`StylesCache`)."""
    from textual._styles_cache import StylesCache

    gc.collect()
    return sum(1 for thing in gc.get_objects() if isinstance(thing, StylesCache))


async def test_closed_dialogs_leave_no_drawn_lines_behind(demo_app):
    """Textual memoises a method of each widget's line cache in a global `lru_cache`, which
    kept up to 1,024 closed widgets' drawn lines (Textualize/textual#6665): closing a screen
    lets them go."""
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        for _ in range(3):
            await pilot.press("enter", "escape", "question_mark", "escape")
            await pilot.pause(0.05)
        settled = drawn_widgets_kept()
        for _ in range(6):
            await pilot.press("enter", "escape", "question_mark", "escape")
            await pilot.pause(0.05)

        assert drawn_widgets_kept() <= settled
