"""A day of work must not grow the app: dialogs opened and closed leave nothing behind."""

import gc

from textual._styles_cache import StylesCache

from pkanban.tui.widgets.key_footer import KeyFooter
from tests.tui.conftest import settled


def alive(kind: type) -> int:
    gc.collect()
    return sum(1 for thing in gc.get_objects() if isinstance(thing, kind))


async def test_closed_cards_and_dialogs_leave_no_footers_or_drawn_lines_behind(demo_app):
    """Footers: each card detail's keys used to stay (when they were Textual's key widgets). Drawn lines: Textual memoises a method of
    each widget's line cache in a global `lru_cache`, which kept up to 1,024 closed widgets'
    drawn lines (Textualize/textual#6665); closing a screen now lets them go."""
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        for _ in range(2):
            await pilot.press("enter", "escape", "question_mark", "escape")
            await pilot.pause(0.05)
        footers, lines = alive(KeyFooter), alive(StylesCache)
        for _ in range(4):  # a leak keeps something of every screen opened
            await pilot.press("enter", "escape", "question_mark", "escape")
            await pilot.pause(0.05)

        assert alive(KeyFooter) <= footers
        assert alive(StylesCache) <= lines


def test_the_textual_cache_the_workaround_empties_is_still_there():
    """When Textual fixes #6665 this fails: then drop `tui/textual_leak.py`."""
    assert callable(getattr(StylesCache.get_inner_outer, "cache_clear", None))
