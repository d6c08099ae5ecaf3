"""Readable defaults: column separators and dim text meet WCAG AA (4.5:1) against what is
behind them, on the default theme and on Textual's light theme — measured on the colours the
board actually draws."""

import pytest
from textual.color import Color

from pkanban.tui.theme import AA, contrast
from pkanban.tui.widgets.cell import SEPARATOR, LaneCells
from pkanban.tui.widgets.headers import LaneHeader, StageHeader
from tests.tui.conftest import settled


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_separators_and_dim_text_meet_wcag_aa(demo_app, theme):
    demo_app.theme = theme
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        line = demo_app.screen.query(LaneCells).first().render_line(0)
        separators = [segment.style for segment in line if segment.text == SEPARATOR]
        assert len(separators) == len(demo_app.session.stages())  # one per cell, drawn
        for style in separators:
            drawn, behind = Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor)
            assert contrast(drawn, behind) >= AA, f"separator {drawn.hex} on {behind.hex}"
        lane = next(
            header
            for header in demo_app.screen.query(LaneHeader)
            if not header.classes & {"-current", "-full", "-over"}  # plain dim text
        )
        _, lane_background = lane.background_colors
        dim = lane_background + lane.styles.color
        assert contrast(dim, lane_background) >= AA, f"dim text {dim.hex} on {lane_background.hex}"


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_warning_text_meets_wcag_aa(demo_app, theme):
    """A full stage's header (Discovery 5/5) and the triage reasons are warning text: on the
    light theme Textual's $warning is 1.5:1, so pkanban draws a darker shade of it."""
    demo_app.theme = theme
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        full = next(h for h in demo_app.screen.query(StageHeader) if h.has_class("-full"))
        _, behind = full.background_colors
        drawn = behind + full.styles.color
        assert contrast(drawn, behind) >= AA, f"warning {drawn.hex} on {behind.hex}"
        variables = demo_app.stylesheet._variables
        for name in ("background", "surface", "panel"):
            ink, paper = Color.parse(variables["warning-text"]), Color.parse(variables[name])
            assert contrast(ink, paper) >= AA, f"$warning-text {ink.hex} on ${name} {paper.hex}"
        if theme == "textual-dark":  # where Textual's warning already reads, it is kept
            assert variables["warning-text"].upper() == variables["warning"].upper()
