"""The charts lean on plotext's and textual-plotext's private API, all of it in
`tui.widgets.plotext_adapter`. An upgrade that moves any piece must fail here, by name, rather
than as a blank or garbled metrics screen."""

from importlib.metadata import version

from rich.text import Text
from textual.app import App, ComposeResult
from textual_plotext import PlotextPlot

from pkanban.tui.widgets import plotext_adapter
from pkanban.tui.widgets.charts import matrix_content


def test_the_libraries_are_the_versions_the_adapter_was_written_for():
    assert version("plotext").startswith("5.3."), version("plotext")
    assert version("textual-plotext").startswith("1.0."), version("textual-plotext")


def test_every_private_name_the_adapter_uses_is_still_there():
    plot = PlotextPlot()
    figure = plot.plt
    for name in ("_set_size", "_set_sizes", "_build_matrix", "monitor", "plotsize", "theme"):
        assert hasattr(figure, name), f"plotext figure lost {name}"
    assert callable(plot._get_plotext_theme_name), "textual-plotext lost _get_plotext_theme_name"
    assert plotext_adapter.BLANK == " "
    assert plotext_adapter.ansi("red", plotext_adapter.NO_STYLE, "default").startswith("\x1b[")


class OneChart(App[None]):
    def compose(self) -> ComposeResult:
        yield PlotextPlot(id="chart")


async def test_a_drawn_matrix_reads_as_plotext_draws_it():
    app = OneChart()
    async with app.run_test(size=(40, 12)):
        widget = app.query_one(PlotextPlot)
        widget.plt.title("Deals won")
        widget.plt.scatter([0, 1, 2], [1, 3, 2], marker="●")
        rows = plotext_adapter.draw_matrix(widget, 30, 10, app.theme)
        assert len(rows) == 10
        assert {len(row.markers) for row in rows} == {30}
        for row in rows:
            assert len(row.foregrounds) == len(row.styles) == len(row.backgrounds) == 30
        drawn = matrix_content(rows, app.ansi_theme).plain
        assert "Deals won" in drawn.splitlines()[0]
        assert drawn.rstrip("\n") == Text.from_ansi(widget.plt.build()).plain.rstrip("\n")
