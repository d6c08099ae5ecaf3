"""Accounts in the terminal app: the board filter finds a company's cards, the card detail
names the account, and the yearly clearance clears a low-value account in one decision."""

from pkanban.services.cards import NewCard, add_card, mark_won
from tests.tui.conftest import card_named, dump, screen_text, settled


def _seller_board(store, today) -> None:
    add_card(store, today, NewCard("Renewal 2027", account="Acme Corp", value=12000))
    add_card(store, today, NewCard("Seat expansion", account="Acme Corp", value=4000))
    add_card(store, today, NewCard("Pilot", account="Globex", value=9000))
    add_card(store, today, NewCard("Acme referral", value=1000))


async def test_account_filter_keeps_only_that_companys_cards(app, store, today):
    _seller_board(store, today)
    async with app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
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
        await settled(pilot)
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
        await settled(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "Account   Acme [/] Corp" in screen_text(app)


async def test_the_yearly_wizard_clears_a_low_value_account_as_one_decision(app, store, today):
    old = add_card(store, today, NewCard("Tiny old deal", account="Tiny Co", value=300))
    mark_won(store, today, old.id)
    add_card(store, today, NewCard("Tiny upsell", account="Tiny Co", value=200))
    add_card(store, today, NewCard("Tiny support", account="TINY CO"))
    add_card(store, today, NewCard("Big renewal", account="Big Corp", value=50000))
    before = dump(store)
    async with app.run_test(size=(140, 44)) as pilot:
        await settled(pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("Y")  # the yearly review (m is metrics on every screen)
        await pilot.pause()
        text = screen_text(app)
        assert "Low-value accounts" in text
        assert "Tiny Co: worth $500 (won $300 in 12 months from 1, open $200)" in text
        assert "effort 2 open cards (1 without a value), 0 touches" in text
        await pilot.press("enter")
        await pilot.pause()
        assert "A clear the whole account" in screen_text(app)

        await pilot.press("A")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        wizard = app.screen
        assert {d.action for d in wizard.plan.decisions.values()} == {"clear"}
        assert len(wizard.plan.decisions) == 2
        assert dump(store) == before  # decided, not applied

        await pilot.press("s")
        await pilot.pause()
        assert "Cleared 2 · lost 0" in screen_text(app)
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert card_named(store, "Tiny upsell").disposition == "cleared"
        assert card_named(store, "Tiny support").lost_reason == "clearance: low-value account"
        assert card_named(store, "Big renewal").is_open

        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
    assert dump(store) == before
