"""The board as a seller sees it: columns, lanes, counts, selection, moves and hard WIP."""

from pkanban.services import config
from pkanban.services.cards import NewCard, add_card
from pkanban.tui.app import PkanbanApp
from pkanban.tui.widgets.cell import column_spans
from tests.tui.conftest import (
    board_screen,
    card_named,
    dump,
    notifications,
    screen_text,
    selected_title,
    settled,
    wait_for,
)


async def test_the_demo_board_shows_stages_lanes_counts_and_the_header(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        text = screen_text(demo_app)
    assert "Wed 2026-11-25" in text
    assert "best-by 96 d" in text and "8 past best-by" in text
    for heading in (
        "Leads 21",
        "Contacted 6/8",
        "Discovery 5/5",
        "Proposal 3/4",
        "Negotiation 2/3",
    ):
        assert heading in text
    assert "full · $151k · ~$37.8k" in text  # Discovery is at its limit, says so in words
    for lane in ("▾ Expedite", "▾ New business", "▾ Accounts"):
        assert lane in text
    assert "Krusty Krab" in text and "$2k ⚠ 24d/14d 3/7 overdue 3d" in text
    assert "✖ 124d/96d" in text  # a lead past best-by
    assert "… 2 more" in text  # the Leads cell shows a count for what does not fit


async def test_an_empty_board_says_how_to_start_in_keys(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        text = screen_text(app)
    assert "Your board is empty." in text
    assert "i  import your CRM export" in text
    assert "pkanban " not in text.replace("pkanban  ", "")  # no shell command in the app
    assert "Acme Corp 12k next tue call Ana" in text


async def test_arrows_and_hjkl_move_the_selection(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        assert selected_title(demo_app) == "Aperture Science"
        await pilot.press("j", "j")
        assert selected_title(demo_app) == "Kramerica"
        await pilot.press("l")
        assert selected_title(demo_app) == "Wayne Foods"  # same row in the next column
        await pilot.press("k", "left")
        assert selected_title(demo_app) == "Kwik-E-Mart"
        await pilot.press("down", "right", "up")
        assert selected_title(demo_app) == "Vandelay Industries"
        await pilot.press("k", "k")
        assert selected_title(demo_app) is None  # the empty Expedite · Contacted cell
        assert "▌(empty)" in screen_text(demo_app)
        await pilot.press("l", "l", "l")
        assert selected_title(demo_app) == "Krusty Krab"
        assert "▌Krusty Krab" in screen_text(demo_app)


async def test_shifted_keys_move_the_card_between_stages_and_lanes(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("j", "j", "l")  # Wayne Foods, Contacted · New business
        await pilot.press("H")
        moved = card_named(demo_store, "Wayne Foods")
        assert (moved.stage_id, moved.lane_id) == (1, 2)
        assert selected_title(demo_app) == "Wayne Foods"  # the selection follows the card
        text = screen_text(demo_app)
        assert "Leads 22" in text and "Contacted 5/8" in text and "▌Wayne Foods" in text
        await pilot.press("J")
        assert card_named(demo_store, "Wayne Foods").lane_id == 3
        await pilot.press("shift+up", "shift+right")
        moved = card_named(demo_store, "Wayne Foods")
        assert (moved.stage_id, moved.lane_id) == (2, 2)
        assert "Leads 21" in screen_text(demo_app)


async def test_a_move_into_a_full_stage_is_refused_and_the_board_is_unchanged(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48), notifications=True) as pilot:
        await settled(pilot)
        await pilot.press("j", "j", "l")  # Wayne Foods in Contacted; Discovery is 5/5
        before = dump(demo_store)
        await pilot.press("L")
        await settled(pilot)
        assert dump(demo_store) == before
        assert selected_title(demo_app) == "Wayne Foods"
        assert any(
            message.startswith("Discovery is full: 5/5 — finish one (w won, x lost), clear one")
            for message in notifications(demo_app)
        )
        assert "Discovery is full: 5/5" in screen_text(demo_app)


async def test_the_expedite_lane_limit_refuses_a_second_card(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("l", "l", "l", "l")  # Negotiation · New business: Omni Consumer
        assert selected_title(demo_app) == "Omni Consumer"
        before = dump(demo_store)
        await pilot.press("K")
        assert dump(demo_store) == before
        assert any("Expedite lane is full: 1/1" in m for m in notifications(demo_app))


async def test_undo_puts_a_moved_card_back(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        before = dump(demo_store)["cards"]
        await pilot.press("L")  # Aperture Science: Leads → Contacted
        assert card_named(demo_store, "Aperture Science").stage_id == 2
        await pilot.press("u")
        await pilot.pause()
        assert dump(demo_store)["cards"] == before
        assert any(m.startswith("Undid: Moved #") for m in notifications(demo_app))
        assert "Leads 21" in screen_text(demo_app)


async def test_undo_of_a_quick_add_takes_the_card_away_and_the_board_stays(demo_app, demo_store):
    """The undone action added the card, so there is nothing to follow: the app used to look the
    card up, find it gone and crash."""
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        before = dump(demo_store)["cards"]
        await pilot.press("a", *"Test Co 5k", "enter")
        await pilot.pause()
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: len(dump(demo_store)["cards"]) == len(before) + 1)
        await pilot.press("u")
        await pilot.pause()
        assert dump(demo_store)["cards"] == before
        assert any(m.startswith("Undid: Added") for m in notifications(demo_app))
        assert not any(m.startswith("No card") for m in notifications(demo_app))
        assert demo_app.is_running
        await pilot.press("j", "enter")  # the board still answers
        await pilot.pause()
        assert demo_app.is_running


async def test_a_long_cell_scrolls_through_the_store_not_through_widgets(store, today, app):
    with store.action("imported", "test leads", today) as log:
        from pkanban.services.cards import insert_card

        for number in range(1, 401):
            insert_card(store.conn, log, today, NewCard(title=f"Lead {number:03}"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        text = screen_text(app)
        assert "Leads 400" in text and "Lead 001" in text and "more" in text
        assert "Lead 399" not in text
        await pilot.press("end")
        assert selected_title(app) == "Lead 400"
        text = screen_text(app)
        assert "Lead 400" in text and "Lead 001" not in text and "above" in text
        await pilot.press("home", "pagedown")
        assert selected_title(app) not in (None, "Lead 001")
        lanes = list(board_screen(app).query("LaneCells"))
        assert len(lanes) == 3  # one widget per lane's cells, whatever the card count


async def test_z_folds_a_lane_to_its_header_and_enter_unfolds_it(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("z")
        text = screen_text(demo_app)
        assert "▸ New business" in text and "z unfolds" in text
        assert "Aperture Science" not in text
        assert selected_title(demo_app) is None
        await pilot.press("e")
        assert any("folded" in m for m in notifications(demo_app))
        await pilot.press("enter")
        assert "Aperture Science" in screen_text(demo_app)
        await pilot.click("#lane-header-3")  # a click on a lane's header folds it too
        assert "▸ Accounts" in screen_text(demo_app) and "Buy n Large" not in screen_text(demo_app)


async def test_clicking_selects_and_double_clicking_opens(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        discovery, _ = column_spans(160, 5)[2]  # the third of five cells at 160 columns
        await pilot.click("#cells-3", offset=(discovery + 3, 2))  # Accounts · Discovery, card 2
        assert selected_title(demo_app) == "Nakatomi Trading"
        await pilot.click("#cells-3", offset=(discovery + 3, 0), times=2)
        await pilot.pause()
        assert demo_app.screen.__class__.__name__ == "CardDetailScreen"
        assert "Stay Puft" in screen_text(demo_app)


async def test_the_board_fits_80_by_24(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        text = screen_text(demo_app)
        await pilot.press("j", "j", "j", "j", "l", "L")
    assert "Leads 21" in text and "Negotiation " in text and "2/3 · $11k" in text
    assert "Aperture Scie…" in text  # long titles end in an ellipsis
    assert "… 12 more" in text


async def test_another_process_changing_the_file_shows_up_without_restart(
    demo_app, demo_store, db_path, today
):
    from pkanban.store.database import open_store

    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        other = open_store(db_path)
        try:
            add_card(other, today, NewCard(title="Added Elsewhere Ltd", value=7000))
        finally:
            other.close()
        # the board polls the file's data version: the new card is counted without a restart
        assert await wait_for(pilot, lambda: "Leads 22" in screen_text(demo_app))


async def test_a_card_moved_while_filtered_stays_selected_and_counted(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("slash")
        demo_app.focused.value = "krab"
        await pilot.pause()
        await pilot.press("enter", "H")
        assert card_named(demo_store, "Krusty Krab").stage_id == 4
        assert selected_title(demo_app) == "Krusty Krab"
        text = screen_text(demo_app)
        assert "filter “krab”: 1 match" in text and "Proposal 4/4" in text


async def test_the_board_follows_the_theme(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        cell = demo_app.screen.query_one("#cells-2")
        dark = [segment.style for segment in cell.render_line(0)]
        demo_app.theme = "textual-light"
        await pilot.pause()
        light = [segment.style for segment in cell.render_line(0)]
        assert dark != light
        assert "Aperture Science" in screen_text(demo_app)


async def test_resizing_the_terminal_lays_the_lanes_out_again(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        assert "$2k 25d 0/7" in screen_text(demo_app)  # two-line cards in wide columns
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        text = screen_text(demo_app)
        assert "$2k 25d" in text and "… 12 more" in text  # three-line cards, fewer shown
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        text = screen_text(demo_app)
        assert "… " not in text.split("Accounts")[0]  # every New business lead fits


async def test_a_lane_filter_counts_the_cards_it_shows(demo_app, demo_store):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("slash", *"lane:new", "enter")
        await pilot.pause()
        new_business = demo_store.conn.execute(
            "SELECT count(*) FROM cards JOIN lanes ON lanes.id = cards.lane_id"
            " WHERE disposition = 'open' AND lanes.name = 'New business'"
        ).fetchone()[0]
        assert new_business < 37
        assert f"{new_business} match" in screen_text(demo_app)


async def test_n_on_an_over_limit_first_stage_is_refused_and_the_lead_stays_in_the_pool(
    store, today
):
    config.set_setting(store, today, "earn_next_lead", "off")
    for title in ("Acme", "Globex"):
        add_card(store, today, NewCard(title=title, stage="Contacted"))
    config.update_stage(store, today, "Contacted", wip_limit=1)
    add_card(store, today, NewCard(title="Fresh lead", value=9000))
    app = PkanbanApp(store, today)
    before = dump(store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        assert "Contacted 2/1 · over by 1" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        refusals = [m for m in notifications(app) if "No room to pull a lead" in m]
    assert refusals and "Contacted is full: 2/1, over by 1" in refusals[0]
    assert "first active stage only" in refusals[0]
    assert "clear (c)" in refusals[0] and "pkanban" not in refusals[0]  # keys, not commands
    assert dump(store) == before
    assert card_named(store, "Fresh lead").stage_id == 1


async def test_a_lane_header_sums_known_values_and_says_how_many_have_none(store, today):
    add_card(store, today, NewCard(title="Acme", value=12000))
    add_card(store, today, NewCard(title="Mystery deal"))
    app = PkanbanApp(store, today)
    async with app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        text = screen_text(app)
    assert "2 open  ·  $12k · 1 without a value" in text
