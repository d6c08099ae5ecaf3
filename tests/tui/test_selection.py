"""The selection is a card, not a slot: whatever changes around it, `w` wins the card the
seller is looking at — and when that card leaves the view, the board says so."""

from pkanban.services import cards as actions
from tests.tui.conftest import (
    card_named,
    notifications,
    screen_text,
    selected_title,
    settled,
    wait_for,
)


async def test_a_card_lost_above_in_another_shell_leaves_the_selection_on_its_card(
    demo_app, demo_store, today
):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("j", "j")
        assert selected_title(demo_app) == "Kramerica"
        other = demo_store.reopen()  # another pkanban process on the same file
        try:
            above = card_named(other, "Aperture Science")
            actions.mark_lost(other, today, above.id, "No budget")
        finally:
            other.close()
        assert await wait_for(pilot, lambda: "Aperture Science" not in screen_text(demo_app))
        assert selected_title(demo_app) == "Kramerica"
        await pilot.press("w", "enter")
        await pilot.pause()
    assert card_named(demo_store, "Kramerica").disposition == "won"
    assert card_named(demo_store, "Aperture Science").disposition == "lost"


async def test_the_selected_card_lost_elsewhere_moves_to_its_neighbour_and_says_why(
    demo_app, demo_store, today
):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("j")
        assert selected_title(demo_app) == "Kwik-E-Mart"
        gone = card_named(demo_store, "Kwik-E-Mart")
        other = demo_store.reopen()
        try:
            actions.mark_lost(other, today, gone.id, "Went quiet")
        finally:
            other.close()
        kramerica = card_named(demo_store, "Kramerica")
        said = (
            f"#{gone.id} Kwik-E-Mart was marked lost elsewhere — now on #{kramerica.id} Kramerica"
        )
        assert await wait_for(pilot, lambda: said in notifications(demo_app))
        assert selected_title(demo_app) == "Kramerica"  # the card that took its place


async def test_esc_on_a_filter_keeps_the_card_the_filter_found(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("slash", *"vandelay", "enter")
        await pilot.pause()
        assert selected_title(demo_app) == "Vandelay Industries"
        await pilot.press("escape")
        await pilot.pause()
        assert selected_title(demo_app) == "Vandelay Industries"


async def test_a_filter_that_still_shows_the_card_keeps_it_selected(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("j", "j")
        assert selected_title(demo_app) == "Kramerica"
        await pilot.press("slash", *"kr", "enter")
        await pilot.pause()
        assert selected_title(demo_app) == "Kramerica"
        await pilot.press("escape")
        await pilot.pause()
        assert selected_title(demo_app) == "Kramerica"


async def test_esc_on_a_filter_that_found_nothing_brings_back_the_card_selected_before(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("j", "j")
        assert selected_title(demo_app) == "Kramerica"
        await pilot.press("slash", *"acme")
        await pilot.pause()
        assert selected_title(demo_app) == "Acme Corp"
        await pilot.press("q")  # "acmeq": nothing matches
        await pilot.pause()
        assert selected_title(demo_app) is None
        await pilot.press("escape")
        await pilot.pause()
        assert selected_title(demo_app) == "Kramerica"
        await pilot.press("slash", *"zzzz", "enter", "escape")
        await pilot.pause()
        assert selected_title(demo_app) == "Kramerica"
        await pilot.press("slash", *"zz", "backspace", "backspace", *"qq", "escape")
        await pilot.pause()
        assert selected_title(demo_app) == "Kramerica"


async def test_undo_of_a_won_card_selects_the_card_it_brought_back(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("j")
        await pilot.press("w", "enter")
        await pilot.pause()
        assert card_named(demo_store, "Kwik-E-Mart").disposition == "won"
        assert selected_title(demo_app) == "Kramerica"
        await pilot.press("u")
        await pilot.pause()
        assert selected_title(demo_app) == "Kwik-E-Mart"
        await pilot.press("x")
        await pilot.pause()
        assert demo_app.screen.title_text == "Lost: Kwik-E-Mart"


async def test_undo_of_a_move_elsewhere_keeps_the_selection_on_its_card(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("j", "j")
        await pilot.press("L")  # Kramerica to Contacted
        await pilot.pause()
        assert selected_title(demo_app) == "Kramerica"
        assert any(
            "Moved #" in message and "Kramerica" in message for message in notifications(demo_app)
        )
        await pilot.press("u")
        await pilot.pause()
        assert selected_title(demo_app) == "Kramerica"
        assert card_named(demo_store, "Kramerica").stage_id == 1


async def test_a_move_past_the_boards_edge_is_refused_and_the_card_stays(app, store, today):
    actions.add_card(store, today, actions.NewCard(title="Acme", stage="Contacted"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await pilot.press("l", "K")  # on Acme, up into Expedite, the first lane
        await pilot.pause()
        in_first_lane = card_named(store, "Acme")
        await pilot.press("K")  # there is no lane above the first
        await pilot.pause()
        assert notifications(app)[-1] == "There is no stage or lane further that way"
        assert selected_title(app) == "Acme"
    after = card_named(store, "Acme")
    assert (after.stage_id, after.lane_id) == (in_first_lane.stage_id, in_first_lane.lane_id)
