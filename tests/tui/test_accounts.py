"""Accounts in the terminal app: the board filter finds a company's cards, the card detail
names the account."""

from pkanban.services.cards import NewCard, add_card
from tests.tui.conftest import screen_text


def _seller_board(store, today) -> None:
    add_card(store, today, NewCard("Renewal 2027", account="Acme Corp", value=12000))
    add_card(store, today, NewCard("Seat expansion", account="Acme Corp", value=4000))
    add_card(store, today, NewCard("Pilot", account="Globex", value=9000))
    add_card(store, today, NewCard("Acme referral", value=1000))


async def test_account_filter_keeps_only_that_companys_cards(app, store, today):
    _seller_board(store, today)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        app.focused.value = "account:acme"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "filter “account:acme”: 2 match" in text
        assert "Renewal 2027" in text and "Seat expansion" in text
        assert "Pilot" not in text and "Acme referral" not in text


async def test_a_plain_word_also_finds_the_account(app, store, today):
    _seller_board(store, today)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        app.focused.value = "globex"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "filter “globex”: 1 match" in text and "Pilot" in text


async def test_the_card_detail_names_the_account(app, store, today):
    add_card(store, today, NewCard("Renewal 2027", account="Acme [/] Corp", value=12000))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "Account   Acme [/] Corp" in screen_text(app)
