"""What the seller sees, pinned: the demo board, the empty board, an over-limit column, a card's
detail, quick add, help, triage, clearance and the metrics tables, at 60×15, 80×24 and 160×48. Fixed today, deterministic
demo, no clock.

Regenerate after an intended change: `uv run pytest tests/tui --snapshot-update`.
"""

from datetime import date

import pytest

from pkanban.services import config
from pkanban.services.demo import build_demo
from pkanban.services.transfer import ImportOptions, import_file
from pkanban.tui.app import PkanbanApp
from tests.conftest import SHARED_DATA

SAMPLE = SHARED_DATA / "sales_pipeline.csv"

pytestmark = pytest.mark.slow

SIZES = pytest.mark.parametrize(
    "size", [(60, 15), (80, 24), (160, 48)], ids=["60x15", "80x24", "160x48"]
)
SMALL = pytest.mark.parametrize("size", [(60, 15), (80, 24)], ids=["60x15", "80x24"])


async def _quick_add_line(pilot) -> None:
    await pilot.pause()  # run_before runs before the board's first frame
    await pilot.press("a")
    await pilot.pause()
    pilot.app.screen.query_one("#line").value = "Acme Corp 12k next tue call Ana"
    for _ in range(100):  # until the dialog has read the line (a loaded machine is slow)
        await pilot.pause(0.02)
        if str(pilot.app.screen.query_one("#preview").render()).startswith("title:"):
            break


@SIZES
def test_demo_board(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size)


@SIZES
def test_empty_board(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size)


@SIZES
def test_over_limit_column(snap_compare, store, today, size):
    build_demo(store, today)
    config.update_stage(store, today, "Discovery", wip_limit=4)
    app = PkanbanApp(store, today)
    assert snap_compare(app, press=["l", "l"], terminal_size=size)


@SIZES
@pytest.mark.skipif(not SAMPLE.is_file(), reason="the shared CRM sample is absent")
def test_a_sellers_imported_pipeline_shows_its_overload(snap_compare, store, size):
    """Start with what you do now: every engaged deal sits in Contacted, 83/8 · over by 75."""
    export_day = date(2018, 1, 1)
    options = ImportOptions(wheres=(("sales_agent", "Darcel Schlecht"),))
    import_file(store, export_day, SAMPLE, options)
    assert snap_compare(PkanbanApp(store, export_day), terminal_size=size)


@SIZES
def test_card_detail(snap_compare, demo_app, size):
    assert snap_compare(demo_app, press=["l", "enter"], terminal_size=size)


@SIZES
def test_quick_add(snap_compare, demo_app, size):
    assert snap_compare(demo_app, run_before=_quick_add_line, terminal_size=size)


@SIZES
def test_help(snap_compare, demo_app, size):
    assert snap_compare(demo_app, press=["question_mark"], terminal_size=size)


@SMALL
def test_triage(snap_compare, demo_app, size):
    assert snap_compare(demo_app, press=["T"], terminal_size=size)


@SMALL
@pytest.mark.parametrize("keys", [["c"], ["c", "enter"]], ids=["choose", "review"])
def test_clearance(snap_compare, demo_app, size, keys):
    assert snap_compare(demo_app, press=keys, terminal_size=size)


async def _metrics_tables(pilot) -> None:
    """The tables view: the charts' week labels move a column between runs (plotext), and at
    these sizes the charts hide anyway (tests/tui/test_metrics.py reads their text)."""
    await pilot.press("m")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("t")
    await pilot.pause()


@SMALL
def test_metrics_tables(snap_compare, demo_app, size):
    assert snap_compare(demo_app, run_before=_metrics_tables, terminal_size=size)
