"""Every use of plotext's and textual-plotext's private API, in one place.

The charts skip plotext's ANSI text (most of the time a chart takes) and read its character
matrix instead; that needs names neither library publishes: `plotext._utility`'s colour codes,
the figure's `_set_size`/`_set_sizes`/`_build_matrix` and `monitor.matrix`, and
textual-plotext's `_get_plotext_theme_name`. pyproject.toml pins both libraries to the minor
versions this was written against, and tests/tui/test_plotext_adapter.py fails, naming the
missing piece, if an upgrade moves any of them.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from plotext._utility import colors_to_ansi, no_color, space  # type: ignore[import-untyped]
from textual_plotext import PlotextPlot

BLANK: str = space
"""A matrix cell that shows nothing but its background."""
NO_STYLE: str = no_color
"""The style of a cell drawn without bold, italic or the like."""


@dataclass(frozen=True)
class MatrixRow:
    """One line of a drawn chart: per cell its character, foreground, style and background."""

    markers: Sequence[str]
    foregrounds: Sequence[str]
    styles: Sequence[str]
    backgrounds: Sequence[str]


def ansi(foreground: str, style: str, background: str) -> str:
    """The ANSI codes plotext writes before a cell in these colours and this style."""
    code: str = colors_to_ansi(foreground, style, background)
    return code


def draw_matrix(widget: PlotextPlot, width: int, height: int, app_theme: str) -> list[MatrixRow]:
    """What `widget` has plotted, laid out in `width`×`height` cells in the plotext theme that
    matches `app_theme` — what `PlotextPlot.render` does before it writes ANSI text — as rows,
    top first."""
    plot = widget.plt
    plot.plotsize(width, height)
    plot._set_size(width, height)
    plot.theme(widget._get_plotext_theme_name(app_theme))
    # Not in textual-plotext's typed `Plot`: plotext's own figure methods, reached through it.
    plot._set_sizes()  # type: ignore[attr-defined]
    plot._build_matrix()  # type: ignore[attr-defined]
    matrix = plot.monitor.matrix  # type: ignore[attr-defined]
    return [
        MatrixRow(
            matrix.marker[row], matrix.fullground[row], matrix.style[row], matrix.background[row]
        )
        for row in reversed(matrix.Rows)
    ]
