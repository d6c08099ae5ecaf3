"""Hostile text never acts: markup, escapes, emoji, CJK and RTL show literally and never crash;
a board whose stages or lanes change under it rebuilds itself."""

import pytest

from pkanban.services import config
from pkanban.services.cards import NewCard, add_card
from tests.tui.conftest import (
    card_named,
    notifications,
    screen_text,
    selected_title,
    settled,
    wait_for,
)

HOSTILE = (
    "[bold]x[/]",
    "[@click=app.quit]x",
    "Acme [/]",
    "[red]Red[/red] Corp",
    "🚀 Rocket Co",
    "株式会社テスト",
    "شركة عربية",
)


@pytest.fixture
def hostile_store(store, today):
    for title in HOSTILE:
        add_card(store, today, NewCard(title=title, value=12000, contact_name=title))
    # Text written by an older version or another tool, straight into the file: the TUI
    # strips what the services would have stripped.
    store.conn.execute(
        "UPDATE cards SET title = ? WHERE title = ?",
        ["\x1b[31mEscaped\x1b[0m \x1b]52;c;aGk=\x07Ltd\u202e", "[red]Red[/red] Corp"],
    )
    return store


async def test_hostile_titles_show_literally_on_the_board_and_in_every_dialog(hostile_store, today):
    from pkanban.tui.app import PkanbanApp

    app = PkanbanApp(hostile_store, today)
    async with app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        text = screen_text(app)
        for shown in ("[bold]x[/]", "[@click=app.quit]x", "Acme [/]", "🚀 Rocket Co"):
            assert shown in text
        assert "株式会社テスト" in text and "شركة عربية" in text
        assert "Escaped Ltd" in text and "\x1b" not in text and "\u202e" not in text
        await pilot.press("e", "escape", "t", "escape", "x", "escape", "b", "escape")
        for _ in HOSTILE[:4]:
            await pilot.press("enter")  # the markup-like titles' details
            assert app.screen.__class__.__name__ == "CardDetailScreen"
            await pilot.press("escape", "j")
        await pilot.click("#cells-2", offset=(2, 2))  # clicking "[@click=app.quit]x" is a click
        assert app.is_running
        assert selected_title(app) == "[@click=app.quit]x"
        await pilot.press("w")
        assert "Won: [@click=app.quit]x" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert any("[@click=app.quit]x" in message for message in notifications(app))
        assert app.is_running


async def test_hostile_quick_add_and_filter_text_are_literal(app, store):
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        await pilot.press("a")
        app.focused.value = "Acme [/] [@click=app.quit] 12k"
        await pilot.pause()
        assert "title: Acme [/] [@click=app.quit]" in screen_text(app)
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert card_named(store, "Acme [/] [@click=app.quit]").value == 12000
        await pilot.press("slash")
        app.focused.value = "[/] 100%"
        await pilot.pause()
        assert "filter “[/] 100%”: 0 match" in screen_text(app)
        assert app.is_running


async def test_a_long_title_ends_in_an_ellipsis(app, store, today):
    add_card(store, today, NewCard(title="Very Long Company Name " * 10))
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert "Very Long Com…" in screen_text(app)


async def test_stages_and_lanes_changed_elsewhere_rebuild_the_board(demo_app, demo_store, today):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        config.add_stage(demo_store, today, "[b]Pilot[/b]", wip_limit=2)
        config.update_lane(demo_store, today, "Accounts", new_name="Key [/] accounts")
        config.update_stage(demo_store, today, "Discovery", wip_limit=4)
        demo_app.screen.reload()
        await wait_for(pilot, lambda: "Pilot" in screen_text(demo_app))
        text = screen_text(demo_app)
        assert "[b]Pilot[/b] 0/2" in text and "Key [/] accounts" in text
        assert "Discovery 5/4" in text and "over by 1 · $151k" in text
