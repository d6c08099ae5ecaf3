"""Card detail: the seller answers the best-customer checklist with number keys."""

from pkanban.store import board
from tests.tui.conftest import screen_text, selected_title, settled


async def test_the_card_detail_answers_the_checklist_with_number_keys(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        title = selected_title(demo_app)
        await pilot.press("enter")
        await settled(pilot)
        await pilot.press("1")
        await settled(pilot)
        assert "1 ✓ yes" in screen_text(demo_app)
        await pilot.press("1")
        await settled(pilot)
        assert "1 ✗ no" in screen_text(demo_app)
    card = next(c for c in board.cards(demo_store.conn) if c.title == title)
    first = board.settings(demo_store.conn).checklist[0]
    assert card.checklist == {first: False}


async def test_the_checklist_criteria_are_edited_on_the_board(app, store):
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("C")
        await settled(pilot)
        app.screen.query_one("#answer").value = "Budget confirmed, [bold]Champion[/] found"
        await pilot.press("enter")
        await settled(pilot)
    assert board.settings(store.conn).checklist == ("Budget confirmed", "[bold]Champion[/] found")
    assert "settings changed" in {a["kind"] for a in board.history(store.conn)}
