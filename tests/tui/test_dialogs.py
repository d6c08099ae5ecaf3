"""The card dialogs end to end: what the seller types, what the screen says, what is saved."""

from datetime import date

from textual.widgets import Input, Select

from pkanban.services.cards import NewCard, add_card
from pkanban.store import board
from pkanban.tui.app import PkanbanApp
from tests.tui.conftest import (
    board_screen,
    card_named,
    dump,
    notifications,
    screen_text,
    selected_title,
    settled,
)


async def type_text(pilot, text: str) -> None:
    """Type `text` key by key, as a seller does."""
    await pilot.press(*["space" if char == " " else char for char in text])


async def fill(pilot, text: str) -> None:
    """Put `text` into the focused input at once, as a paste does (faster than typing)."""
    pilot.app.focused.value = text
    await pilot.pause()


async def test_quick_add_shows_what_it_read_and_saves_after_confirmation(app, store):
    async with app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("a")
        await fill(pilot, "Acme Corp $12,000 next tue call Ana")
        await pilot.press("enter")
        text = screen_text(app)
        assert "New card in Leads · New business" in text
        assert "title: Acme Corp" in text and "value read as 12,000" in text
        assert "due read as Tue 2026-12-01" in text and 'next step read as "call Ana"' in text
        assert "Enter again saves" in text
        assert board.count_open(store.conn) == 0  # nothing saved before the confirmation
        await pilot.press("enter")
        await pilot.pause()
        card = card_named(store, "Acme Corp")
        assert (card.value, card.next_due, card.next_step) == (12000, date(2026, 12, 1), "call Ana")
        assert selected_title(app) == "Acme Corp"
        assert "Acme Corp" in screen_text(app) and "Your board is empty" not in screen_text(app)


async def test_a_plain_title_is_read_back_then_saved_in_the_selected_cell(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("end", "j")  # past the last lead of New business: into Accounts
        assert selected_title(demo_app) == "Buy n Large"
        await pilot.press("a")
        await type_text(pilot, "Apollo 13")
        await pilot.press("enter")
        await pilot.pause()
        assert "title only — no value, no date" in screen_text(demo_app)
        assert (
            demo_store.conn.execute(
                "SELECT count(*) FROM cards WHERE title = 'Apollo 13'"
            ).fetchone()[0]
            == 0
        )
        await pilot.press("enter")
        await pilot.pause()
        card = card_named(demo_store, "Apollo 13")
        assert (card.stage_id, card.lane_id, card.value) == (1, 3, None)  # Leads · Accounts


async def test_quick_add_errors_stay_inline_and_save_nothing(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        before = dump(demo_store)
        await pilot.press("a")
        await fill(pilot, "Acme due feb 30")
        await pilot.press("enter")
        assert "is not a real date: February has at most 29 days" in screen_text(demo_app)
        await fill(pilot, "Acme 4.500")
        assert "ambiguous" in screen_text(demo_app)
        await pilot.press("escape")
        await pilot.pause()
        assert dump(demo_store) == before
        assert demo_app.screen is board_screen(demo_app)


async def test_quick_add_into_a_full_stage_is_refused_inline(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("l", "l")  # Discovery · New business; Discovery is 5/5
        before = dump(demo_store)
        await pilot.press("a")
        await fill(pilot, "One Too Many")
        await pilot.press("enter", "enter")
        assert "Discovery is full: 5/5" in screen_text(demo_app)
        assert dump(demo_store) == before


async def test_edit_saves_changed_fields_and_explains_bad_ones(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("e")
        await settled(pilot)
        screen = demo_app.screen
        screen.query_one("#field-value", Input).value = "4.500"
        screen.query_one("#field-next_due", Input).value = "31/12"
        screen.query_one("#field-title", Input).value = "  "
        await pilot.press("enter")
        text = screen_text(demo_app)
        assert '"4.500" is ambiguous' in text
        assert '"31/12" is not a form we read' in text
        assert "A card needs a title" in text
        assert card_named(demo_store, "Aperture Science").value == 2000
        screen.query_one("#field-title", Input).value = "Aperture Labs"
        screen.query_one("#field-value", Input).value = "45k"
        screen.query_one("#field-next_step", Input).value = "Send the contract"
        screen.query_one("#field-next_due", Input).value = "next fri"
        screen.query_one("#field-tags", Input).value = "vip, new"
        screen.query_one("#field-email", Input).value = "cave@aperture.test"
        await pilot.press("ctrl+s")
        await pilot.pause()
        card = card_named(demo_store, "Aperture Labs")
        assert (card.value, card.next_due, card.tags, card.email) == (
            45000,
            date(2026, 11, 27),
            ("vip", "new"),
            "cave@aperture.test",
        )
        assert "Aperture Labs" in screen_text(demo_app)


async def test_edit_refuses_to_overwrite_a_change_made_in_another_window(
    demo_app, demo_store, today
):
    from pkanban.services.cards import edit_card

    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("e")
        card_id = card_named(demo_store, "Aperture Science").id
        edit_card(demo_store, today, card_id, {"value": 3000})
        demo_app.screen.query_one("#field-value", Input).value = "5k"
        await pilot.press("enter")
        assert "changed in another window" in screen_text(demo_app)
        assert card_named(demo_store, "Aperture Science").value == 3000


async def test_enter_opens_the_detail_with_contact_checklist_touches_and_history(
    demo_app, demo_store
):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("l", "enter")  # Yoyodyne Propulsion, Contacted
        text = screen_text(demo_app)
        assert "Yoyodyne Propulsion" in text and "Contacted · New business" in text
        assert "Best-customer checklist" in text and "Budget confirmed" in text
        assert "Touches" in text and "meeting  Check security review" in text
        assert "History" in text and "Built the demo board" in text
        await pilot.press("escape")
        await pilot.press("L")  # refused (Discovery full) — not in history
        await pilot.press("j", "j", "H", "enter")  # Wayne Foods moved back to Leads
        text = screen_text(demo_app)
        assert "Moved #" in text and "to Leads · New business" in text


async def test_t_logs_a_touch_with_the_next_step(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        before = card_named(demo_store, "Aperture Science")
        await pilot.press("t")
        screen = demo_app.screen
        screen.query_one("#kind", Select).value = "meeting"
        screen.query_one("#text", Input).value = "Met the CFO"
        screen.query_one("#next-step", Input).value = "Send proposal"
        screen.query_one("#due", Input).value = "fri 13"
        await pilot.press("ctrl+s")
        assert "is not a date" in screen_text(demo_app)  # bad date: nothing saved
        assert card_named(demo_store, "Aperture Science").touch_count == before.touch_count
        screen.query_one("#due", Input).value = "+3d"
        await pilot.press("ctrl+s")
        await pilot.pause()
        after = card_named(demo_store, "Aperture Science")
        assert after.touch_count == before.touch_count + 1
        assert (after.next_step, after.next_due) == ("Send proposal", date(2026, 11, 28))
        touch = board.touches(demo_store.conn, after.id)[-1]
        assert (touch.kind, touch.text) == ("meeting", "Met the CFO")
        assert "1/7" in screen_text(demo_app)


async def test_the_touch_dialog_asks_for_the_next_step_due_two_working_days_ahead(store, today):
    card = add_card(
        store,
        today,
        NewCard(title="Acme", stage="Contacted", next_step="Call back", next_due=date(2026, 11, 2)),
    )
    app = PkanbanApp(store, today)  # today is Wednesday 2026-11-25
    async with app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        if selected_title(app) != "Acme":
            await pilot.press("l")
        assert selected_title(app) == "Acme"
        await pilot.press("t")
        screen = app.screen
        assert screen.query_one("#due", Input).value == "2026-11-27"  # Friday
        step = screen.query_one("#next-step", Input)
        assert (step.value, step.placeholder) == ("", "was: Call back")
        screen.query_one("#due", Input).value = "2026-11-20"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "The next step is due today or later, not 2026-11-20" in screen_text(app)
        assert card_named(store, "Acme").touch_count == 0  # nothing saved
        screen.query_one("#next-step", Input).value = "Send the proposal"
        screen.query_one("#due", Input).value = "next mon"
        await pilot.press("ctrl+s")
        await pilot.pause()
    after = card_named(store, "Acme")
    assert (after.touch_count, after.next_step, after.next_due) == (
        1,
        "Send the proposal",
        date(2026, 11, 30),
    )
    assert after.id == card.id


async def test_x_before_the_touch_target_nudges_but_does_not_block(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        touches = card_named(demo_store, "Aperture Science").touch_count
        await pilot.press("x")
        await pilot.pause()
        assert f"Only {touches} of 7 touches so far" in screen_text(demo_app)
        await type_text(pilot, "No budget")
        await pilot.press("enter")
        await pilot.pause()
    assert card_named(demo_store, "Aperture Science").disposition == "lost"


async def test_w_wins_and_x_loses_with_a_reason(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("w")
        assert card_named(demo_store, "Aperture Science").disposition == "open"  # asks first
        await pilot.press("enter")  # the card's value is prefilled: Enter accepts it
        await pilot.pause()
        assert card_named(demo_store, "Aperture Science").disposition == "won"
        assert "Aperture Science" not in screen_text(demo_app)
        assert selected_title(demo_app) == "Kwik-E-Mart"  # the next card is selected
        await pilot.press("x")
        await pilot.press("enter")
        assert "The lost reason cannot be empty" in screen_text(demo_app)
        await fill(pilot, "No budget")
        await pilot.press("enter")
        await pilot.pause()
        lost = card_named(demo_store, "Kwik-E-Mart")
        assert (lost.disposition, lost.lost_reason) == ("lost", "No budget")
        assert "Leads 19" in screen_text(demo_app)


async def test_b_blocks_with_a_reason_and_unblocks(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("b")
        await fill(pilot, "Legal review")
        await pilot.press("enter")
        await pilot.pause()
        assert card_named(demo_store, "Aperture Science").blocked_reason == "Legal review"
        assert "⊘ Aperture Science" in screen_text(demo_app)
        await pilot.press("b")
        assert card_named(demo_store, "Aperture Science").blocked_reason == ""
        assert "⊘ Aperture Science" not in screen_text(demo_app)


async def test_s_snoozes_until_a_date_typed_in_words(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("s")
        await fill(pilot, "yesterday")
        await pilot.press("enter")
        assert "is not a date" in screen_text(demo_app)
        demo_app.screen.query_one(Input).value = "in 2 weeks"
        await pilot.press("enter")
        await pilot.pause()
        assert card_named(demo_store, "Aperture Science").snoozed_until == date(2026, 12, 9)
        assert any(m.startswith("Snoozed") for m in notifications(demo_app))


async def test_slash_filters_by_text_tag_and_lane_and_escape_clears(demo_app, demo_store, today):
    add_card(demo_store, today, NewCard(title="Tagged Co", tags=("vip",), lane="Accounts"))
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("slash")
        await fill(pilot, "krab")
        text = screen_text(demo_app)
        assert "Krusty Krab" in text and "Aperture Science" not in text
        assert "filter “krab”: 1 match" in text
        await pilot.press("enter")  # keep the filter, back to the board keys
        assert selected_title(demo_app) == "Krusty Krab"
        await pilot.press("slash")
        await fill(pilot, "#VIP")
        assert "Tagged Co" in screen_text(demo_app) and "Krusty Krab" not in screen_text(demo_app)
        await fill(pilot, "lane:acc")
        text = screen_text(demo_app)
        assert "Accounts" in text and "New business" not in text and "Expedite" not in text
        await pilot.press("escape")
        await settled(pilot)
        text = screen_text(demo_app)
        assert "New business" in text and "Aperture Science" in text and "filter" not in text


async def test_question_mark_lists_every_binding(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("question_mark")
        text = screen_text(demo_app)
        await pilot.press("pagedown")  # the list scrolls: read what a page down shows too
        text += screen_text(demo_app)
        for description in (
            "Move card to the next stage",
            "Add",
            "Edit",
            "Touch",
            "Won",
            "Lost",
            "Block/unblock",
            "Snooze",
            "Filter",
            "Undo",
            "Fold/unfold lane",
            "Quit",
        ):
            assert description in text
        await pilot.press("end")  # the keys list scrolls: the app's keys come last
        text = screen_text(demo_app)
        assert "Command palette: every action by name" in text
        assert "Acme Corp 12k next tue call Ana" in text
        await pilot.press("escape")
        assert demo_app.screen is board_screen(demo_app)


async def test_the_command_palette_offers_the_board_actions(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        titles = [command.title for command in demo_app.get_system_commands(demo_app.screen)]
        assert {"Add", "Edit", "Won", "Lost", "Undo", "Filter", "Open", "Quit"} <= set(titles)
        assert len(titles) == len(set(titles))
        await pilot.press("ctrl+p")
        await fill(pilot, "Won")
        await settled(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # the final value asked by Won
        await pilot.pause()
        assert card_named(demo_app.session.store, "Aperture Science").disposition == "won"


async def test_letters_typed_into_the_filter_are_text_not_board_keys(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        before = dump(demo_store)
        await pilot.press("slash", "H", "L", "w", "x", "u", "q", "question_mark")
        assert demo_app.focused.value == "HLwxuq?"
        assert dump(demo_store) == before and demo_app.is_running
