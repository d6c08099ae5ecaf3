"""The metrics charts skip plotext's ANSI text: what they show must be what textual-plotext
would show — every character, every mark in its colours, every cell's background — and a closed
metrics screen must not stay in memory."""

import gc
from itertools import pairwise

import pytest
from rich.text import Text
from textual.content import Content

from pkanban.tui.screens.metrics import MetricsScreen
from pkanban.tui.widgets.charts import FlowChart


def cells(content: Content) -> list[tuple[str, object]]:
    styles: list = [None] * len(content.plain)
    for start, end, style in content.spans:
        for index in range(start, end):
            assert styles[index] is None  # spans never overlap
            styles[index] = style
    return list(zip(content.plain, styles, strict=True))


def looks_the_same(ours: Content, theirs: Content) -> bool:
    """Same characters; same style on every mark; same background on every blank (a blank's
    foreground colour cannot be seen)."""
    if ours.plain != theirs.plain:
        return False
    for (char, mine), (_, reference) in zip(cells(ours), cells(theirs), strict=True):
        if char != " ":
            if mine != reference:
                return False
        elif (mine and mine.background) != (reference and reference.background):
            return False
    return True


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_the_charts_show_what_plotext_would(demo_app, size, theme):
    async with demo_app.run_test(size=size) as pilot:
        demo_app.theme = theme
        await pilot.press("m")
        await demo_app.workers.wait_for_complete()
        await pilot.pause()
        charts = list(demo_app.screen.query(FlowChart))
        assert len(charts) == 4
        for chart in charts:
            ours = chart.render()
            theirs = Content.from_rich_text(
                Text.from_ansi(chart.plt.build()), console=demo_app.console
            )
            assert looks_the_same(ours, theirs), chart.id
            assert len(ours.spans) <= len(theirs.spans)


async def test_a_closed_metrics_screen_leaves_no_chart_behind(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        for _ in range(3):
            await pilot.press("m")
            await demo_app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        assert not isinstance(demo_app.screen, MetricsScreen)
        assert not [
            node
            for node in demo_app.theme_changed_signal._subscriptions
            if isinstance(node, FlowChart)
        ]
        gc.collect()
        # The last screen may linger with its finished workers; never all three.
        assert sum(isinstance(item, FlowChart) for item in gc.get_objects()) <= 4


@pytest.mark.parametrize("highest", [0, 1, 3, 7, 12.5, 100, 365, 4000])
def test_day_and_card_axes_tick_in_whole_units_past_the_highest_value(highest):
    from pkanban.tui.widgets.charts import whole_ticks

    ticks = whole_ticks(highest)
    assert all(isinstance(tick, int) for tick in ticks)
    assert ticks[0] == 0 and ticks[-1] >= highest and len(ticks) <= 5
    assert len({b - a for a, b in pairwise(ticks)}) == 1
