"""The header keeps its counts at 80 columns: the clearance count shows at all times."""

from tests.tui.conftest import screen_text, wait_for


async def test_the_header_fits_its_counts_in_80_columns(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        # The slower counts are worked out in a worker after the board is drawn.
        assert await wait_for(pilot, lambda: "to clear (c)" in screen_text(demo_app))
        header = screen_text(demo_app).splitlines()[0]
    assert "past" in header and "triage (T)" in header and "to clear (c)" in header
    assert not header.rstrip().endswith("…")


async def test_the_header_is_spelled_out_when_there_is_room(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        assert await wait_for(pilot, lambda: "to clear (c)" in screen_text(demo_app))
        header = screen_text(demo_app).splitlines()[0]
    assert header.lstrip().startswith("pkanban") and "past best-by" in header
