"""The board refuses what the CLI refuses: a trillion as a final value, a next step a century
away — in the dialog, with the range, and the card unchanged (issue 17, item 9)."""

from pkanban.services import cards as actions
from tests.tui.conftest import card_named, screen_text, settled


async def test_winning_at_a_trillion_is_refused_in_the_dialog(app, store, today):
    actions.add_card(store, today, actions.NewCard(title="Acme", value=12_000))
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await pilot.press("w")
        await pilot.pause()
        pilot.app.screen.query_one("#answer").value = "1000000m"
        await pilot.press("enter")
        await pilot.pause()
        assert "more than 999,999,999,999" in screen_text(app)
        assert card_named(store, "Acme").disposition == "open"


async def test_an_edited_due_date_a_century_away_is_refused_at_the_field(app, store, today):
    actions.add_card(store, today, actions.NewCard(title="Acme"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        await pilot.press("e")
        await pilot.pause()
        pilot.app.screen.query_one("#field-next_due").value = "+100000d"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "too far away" in screen_text(app)
        assert card_named(store, "Acme").next_due is None
