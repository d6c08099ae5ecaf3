"""The metrics screen, as a seller uses it: `m` from the board, charts drawn from the same
figures `pkanban stats --json` prints, `t` for the numbers, Esc back — computed off the UI
thread, and pinned by snapshots on the deterministic demo board."""

import threading

from textual.widgets import DataTable
from textual_plotext import PlotextPlot

from pkanban.services import cards as actions
from pkanban.services.cards import NewCard
from pkanban.services.metrics import flow_metrics
from pkanban.tui.app import PkanbanApp
from pkanban.tui.screens import metrics as metrics_screen
from pkanban.tui.screens.board import BoardScreen
from pkanban.tui.screens.metrics import MetricsScreen
from tests.tui.conftest import screen_text, settled


async def open_metrics(pilot) -> MetricsScreen:
    await pilot.press("m")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, MetricsScreen)
    return pilot.app.screen


async def test_m_opens_the_flow_charts_with_the_boards_figures(demo_app, demo_store, today):
    expected = flow_metrics(demo_store, today)
    async with demo_app.run_test(size=(160, 48)) as pilot:
        screen = await open_metrics(pilot)
        assert screen.figures.as_json() == expected
        text = screen_text(demo_app)
        close = expected["time_to_close_days"]
        assert f"{close['n']} wins: p50 {close['p50']} d · p80 {close['p80']} d" in text
        assert "Contacted 6/8" in text and "Discovery 5/5" in text
        wins = expected["forecast"]["wins_by"]
        assert f"85 % sure: {wins['c85']}+ wins by {wins['date']}" in text
        for title in ("Throughput per week · median", "Time to close · 24 wins", "Aging WIP"):
            assert title in text
        assert "Cumulative flow · done at the bottom" in text
        assert len(screen.query(PlotextPlot)) == 4
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(demo_app.screen, BoardScreen)


async def test_t_shows_the_numbers_as_tables_and_back(demo_app, demo_store, today):
    expected = flow_metrics(demo_store, today)
    async with demo_app.run_test(size=(160, 48)) as pilot:
        screen = await open_metrics(pilot)
        await pilot.press("t")
        await pilot.pause()
        tables = list(screen.query("#metrics-tables DataTable").results(DataTable))
        throughput = tables[1]
        assert throughput.row_count == len(expected["throughput_per_week"])
        newest = expected["throughput_per_week"][-1]
        assert [str(cell) for cell in throughput.get_row_at(0)] == [
            newest["week"],
            newest["start"],
            str(newest["won"]),
            str(newest["lost"]),
            str(newest["cleared"]),
        ]
        aging = tables[4]
        assert aging.row_count == expected["open"]
        text = screen_text(demo_app)
        assert "Time to close (created → won), days" in text
        await pilot.press("t")
        await pilot.pause()
        assert "Throughput per week · median" in screen_text(demo_app)


async def test_user_text_in_the_tables_is_shown_literally(store, today):
    hostile = "[bold]Evil[/] [@click=app.quit]Corp\x1b[31m"
    actions.add_card(store, today, NewCard(hostile, stage="Contacted"))
    lost = actions.add_card(store, today, NewCard("Other", stage="Contacted"))
    actions.mark_lost(store, today, lost.id, "[red]too dear[/")
    app = PkanbanApp(store, today)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_metrics(pilot)
        await pilot.press("t")
        await pilot.pause()
        text = screen_text(app)
        assert "[bold]Evil[/] [@click=app.quit]Corp" in text
        assert "[red]too dear[/" in text
        assert "\x1b" not in text
        assert app.is_running


async def test_the_figures_are_computed_off_the_ui_thread(demo_app, monkeypatch):
    release, seen = threading.Event(), {}
    real = metrics_screen.chart_figures

    def slow(store, today):
        seen["thread"] = threading.current_thread()
        release.wait(5)
        return real(store, today)

    monkeypatch.setattr(metrics_screen, "chart_figures", slow)
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        # The screen is up and answering keys while the figures are still being computed.
        assert "Computing the flow figures" in screen_text(demo_app)
        await pilot.press("t")  # nothing to toggle yet: ignored, not queued behind the work
        await pilot.pause()
        assert demo_app.screen.charts is None
        release.set()
        await demo_app.workers.wait_for_complete()
        await pilot.pause()
        assert seen["thread"] is not threading.main_thread()
        assert demo_app.screen.figures is not None
        assert "Throughput per week · median" in screen_text(demo_app)


async def test_leaving_before_the_figures_arrive_is_harmless(demo_app, monkeypatch):
    release = threading.Event()
    real = metrics_screen.chart_figures
    monkeypatch.setattr(
        metrics_screen, "chart_figures", lambda store, today: release.wait(5) and real(store, today)
    )
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        release.set()
        await demo_app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(demo_app.screen, BoardScreen) and demo_app.is_running


async def test_an_empty_board_opens_the_metrics_too(app):
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_metrics(pilot)
        assert screen.figures.charts.time_to_close_days.n == 0
        text = screen_text(app)
        assert "no wins yet" in text and "forecast needs a complete week" in text


async def _open_metrics(pilot) -> None:
    await pilot.press("m")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _open_tables(pilot) -> None:
    await _open_metrics(pilot)
    await pilot.press("t")
    await pilot.pause()


async def test_the_charts_show_every_title_legend_and_axis(demo_app):
    """What a snapshot of the charts would pin, less the exact column of each week label:
    plotext placed one a column apart in two of four clean-clone CI runs (the tables keep
    their snapshot; docs/img has the picture)."""
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await _open_metrics(pilot)
        text = screen_text(demo_app)
    for words in (
        "Throughput per week · median 0 won",
        "Time to close · 24 wins",
        "Aging WIP · 37 open",
        "Cumulative flow · done at the bottom",
        "·· cleared",
        "xx lost",
        "●● won",
        "close date",
        "●● Leads",
        "■■ Contacted",
        "▲▲ Discovery",
        "** done",
        "2026-W02",
        "2026-W42",
    ):
        assert words in text, words


def test_metrics_tables_snapshot(snap_compare, demo_app):
    assert snap_compare(demo_app, run_before=_open_tables, terminal_size=(120, 36))


async def test_charts_hide_in_a_small_terminal_instead_of_overlapping(demo_app):
    async with demo_app.run_test(size=(60, 15)) as pilot:
        await settled(pilot)
        await _open_metrics(pilot)
        text = screen_text(demo_app)
        assert "The charts need a terminal of at least 76×34" in text
        assert "Time to close" not in text
        await pilot.press("t")
        await pilot.pause()
        assert demo_app.screen.query_one("#metrics-view").current == "metrics-tables"


async def test_at_80_by_24_the_charts_hide_rather_than_put_values_on_the_wrong_row(demo_app):
    """A chart 3–4 rows high drew a p80 of 93 days on the row labelled 0: at 80×24 the numbers
    are a key away instead; at 160×48 the charts show."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await _open_metrics(pilot)
        assert demo_app.screen.query_one("#metrics-view").current == "metrics-small"
        assert "The charts need a terminal of at least 76×34" in screen_text(demo_app)
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        await pilot.pause()
        assert demo_app.screen.query_one("#metrics-view").current == "metrics-charts"
