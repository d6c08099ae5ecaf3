"""An expected close date in the terminal app: the card detail says when the deal should close
and how far off that is (the tests' day is 2026-11-25)."""

from datetime import date

from pkanban.services.cards import NewCard, add_card
from tests.tui.conftest import screen_text, settled


async def test_the_card_detail_says_when_the_deal_should_close(app, store, today):
    add_card(store, today, NewCard("Renewal 2027", close_by=date(2026, 12, 9)))
    async with app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "Close by  2026-12-09  (in 14 d)" in screen_text(app)


async def test_the_card_detail_says_how_late_a_slipped_close_is(app, store, today):
    add_card(store, today, NewCard("Pilot", close_by=date(2026, 11, 22)))
    async with app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "Close by  2026-11-22  (overdue 3 d)" in screen_text(app)


async def test_the_metrics_screen_counts_the_deals_expected_to_close_this_month(app, store, today):
    add_card(store, today, NewCard("Renewal 2027", close_by=date(2026, 11, 30)))
    add_card(store, today, NewCard("Pilot", close_by=date(2026, 12, 9)))
    async with app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("m")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "1 expected to close by 2026-11-30" in screen_text(app)
