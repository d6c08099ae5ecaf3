"""What the board's start-up does for speed must not outlive it (README, Performance)."""

import gc

from tests.tui.conftest import screen_text, settled, wait_for


async def test_the_collector_paused_for_the_start_up_runs_again_once_the_board_is_drawn(
    demo_app,
):
    gc.disable()  # as `run_board` does before the app starts
    try:
        async with demo_app.run_test(size=(160, 48)) as pilot:
            await settled(pilot)
            assert "Aperture Science" in screen_text(demo_app)
            assert gc.isenabled()
    finally:
        gc.enable()


async def test_the_filter_bar_appears_on_the_first_slash_only(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        assert not demo_app.screen.query("#filter")
        await pilot.press("slash", "a", "c", "m", "e")
        assert "Acme Corp" in screen_text(demo_app)
        assert "Aperture Science" not in screen_text(demo_app)
        await pilot.press("escape")
        assert "Aperture Science" in screen_text(demo_app)
        await pilot.press("slash")
        assert len(demo_app.screen.query("#filter")) == 1


async def test_esc_clears_a_kept_filter_after_the_board_was_rebuilt(demo_app, demo_store, today):
    from pkanban.services import config

    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("slash", "a", "c", "m", "e", "enter")
        config.add_stage(demo_store, today, "Pilot", wip_limit=2)  # another window adds a stage
        demo_app.screen.reload()
        await wait_for(pilot, lambda: "Pilot" in screen_text(demo_app))
        assert "Aperture Science" not in screen_text(demo_app)

        await pilot.press("escape")

        assert "Aperture Science" in screen_text(demo_app)


async def test_the_header_counts_are_worked_out_off_the_ui_thread(demo_app, monkeypatch):
    import threading

    from pkanban.tui import header_recount

    threads = []
    real_counts = header_recount.header_counts

    def counted_where(*args):
        threads.append(threading.current_thread())
        return real_counts(*args)

    monkeypatch.setattr(header_recount, "header_counts", counted_where)
    async with demo_app.run_test(size=(160, 48)) as pilot:
        assert await wait_for(pilot, lambda: "8 in triage" in screen_text(demo_app))
        await pilot.press("j", "L")  # a move: the counts follow once the keys stop
        assert await wait_for(pilot, lambda: len(threads) >= 2)

    assert threads and threading.main_thread() not in threads
