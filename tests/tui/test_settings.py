"""In the app: a seller changes stages, lanes and the board's settings from the settings screen
(`,` on the board), with keys — the same rules as `pkanban config`, each change undone by `u`."""

import pytest

from pkanban.domain.models import Settings
from pkanban.services import config
from pkanban.services.cards import NewCard, add_card
from pkanban.store import board
from pkanban.tui.screens.board import BoardScreen
from pkanban.tui.screens.prompt import PromptScreen
from pkanban.tui.screens.settings import SettingsScreen
from pkanban.tui.widgets.headers import StageHeader
from tests.tui.conftest import dump, notifications, screen_text, settled


def three_in_contacted(store, today):
    for title in ("Acme Corp", "Globex", "Initech"):
        add_card(store, today, NewCard(title=title, stage="Contacted"))


def stage(store, name: str):
    return next(each for each in board.stages(store.conn) if each.name == name)


def header_text(app, name: str) -> str:
    contacted = stage(app.session.store, name)
    return str(app.screen.query_one(f"#stage-{contacted.id}", StageHeader).render())


async def open_settings(pilot) -> None:
    await settled(pilot)
    await pilot.press("comma")
    await settled(pilot)
    assert isinstance(pilot.app.screen, SettingsScreen)


async def to_setting(pilot, name: str) -> None:
    """Tab to the board settings and down to `name`."""
    await pilot.press("tab", "tab", *["down"] * Settings.names().index(name))


async def test_a_wip_limit_lowered_with_keys_shows_over_on_the_board_and_u_undoes_it(
    app, store, today
):
    three_in_contacted(store, today)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_settings(pilot)
        await pilot.press("down", "right", "right", "enter")  # Contacted · WIP limit
        await settled(pilot)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("ctrl+u", "1", "enter")
        await settled(pilot)
        assert stage(store, "Contacted").wip_limit == 1
        assert "3 · over by 2" in screen_text(app)

        await pilot.press("escape")
        await settled(pilot)
        assert isinstance(app.screen, BoardScreen)
        shown = header_text(app, "Contacted")
        assert "3/1" in shown and "over" in shown

        await pilot.press("comma")
        await settled(pilot)
        await pilot.press("u")
        await settled(pilot)
        assert stage(store, "Contacted").wip_limit == 8
        assert any("Undid: Changed Contacted: wip_limit=1" in n for n in notifications(app))
        assert "3 · over" not in screen_text(app)


async def test_a_stage_is_renamed_and_moved_with_keys(app, store, today):
    async with app.run_test(size=(160, 48)) as pilot:
        await open_settings(pilot)
        await pilot.press("down", "r")
        await settled(pilot)
        await pilot.press("ctrl+u", *"First call", "enter")
        await settled(pilot)
        await pilot.press("shift+down")
        await settled(pilot)
    names = [each.name for each in board.stages(store.conn)]
    assert names[:3] == ["Leads", "Discovery", "First call"]


async def test_a_lane_is_added_and_shows_on_the_board(app, store, today):
    three_in_contacted(store, today)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_settings(pilot)
        await pilot.press("tab", "a")
        await settled(pilot)
        await pilot.press(*"Partners", "enter")
        await settled(pilot)
        assert [lane.name for lane in board.lanes(store.conn)][-1] == "Partners"
        await pilot.press("escape")
        await settled(pilot)
        assert "Partners" in screen_text(app)


async def test_earn_the_next_lead_is_switched_with_enter_and_back_with_u(app, store, today):
    async with app.run_test(size=(160, 48)) as pilot:
        await open_settings(pilot)
        await to_setting(pilot, "earn_next_lead")
        await pilot.press("enter")
        await settled(pilot)
        assert board.settings(store.conn).earn_next_lead is False
        await pilot.press("u")
        await settled(pilot)
        assert board.settings(store.conn).earn_next_lead is True


async def test_a_stage_kind_flips_with_enter(app, store, today):
    async with app.run_test(size=(160, 48)) as pilot:
        await open_settings(pilot)
        await pilot.press("down", "right", "enter")
        await settled(pilot)
    assert stage(store, "Contacted").kind == "pool"


async def test_idle_days_out_of_range_are_refused_with_the_range_and_nothing_changes(
    app, store, today
):
    before = dump(store)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_settings(pilot)
        await to_setting(pilot, "idle_days")
        await pilot.press("enter")
        await settled(pilot)
        text = screen_text(app)
        assert "1 to 3,650" in text  # the prompt says what is allowed
        await pilot.press("ctrl+u", *"99999", "enter")
        await settled(pilot)
        assert isinstance(app.screen, PromptScreen)  # open for a correction
        assert "idle_days" in screen_text(app) and "3650" in screen_text(app)
        await pilot.press("escape")
        await settled(pilot)
    assert dump(store) == before


async def test_a_stage_limit_that_is_not_a_number_is_refused_in_the_prompt(app, store, today):
    before = dump(store)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_settings(pilot)
        await pilot.press("down", "right", "right", "enter")
        await settled(pilot)
        await pilot.press("ctrl+u", *"lots", "enter")
        await settled(pilot)
        assert '"lots" is not a whole number (or "none")' in screen_text(app)
        await pilot.press("ctrl+u", *"-2", "enter")
        await settled(pilot)
        assert "wip limit must be a whole number from 0 to 100,000" in screen_text(app)
        await pilot.press("escape")
    assert dump(store) == before


async def test_hostile_stage_names_show_literally(app, store, today):
    config.add_stage(store, today, "[bold]x[/]")
    async with app.run_test(size=(160, 48)) as pilot:
        await open_settings(pilot)
        await pilot.press("down", "r")
        await settled(pilot)
        await pilot.press("ctrl+u", *"\x1b]0;pwned\x07[@click=app.quit]y", "enter")
        await settled(pilot)
        text = screen_text(app)
        assert "[bold]x[/]" in text
        assert "[@click=app.quit]y" in text
        assert "\x1b" not in text and "\x07" not in text
        assert isinstance(app.screen, SettingsScreen)


async def test_settings_open_from_the_command_palette(app, store, today):
    async with app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+p")
        await settled(pilot)
        await pilot.press(*"Settings")
        await settled(pilot)
        await pilot.press("enter")
        await settled(pilot)
        assert isinstance(app.screen, SettingsScreen)


@pytest.mark.slow
def test_settings_snapshot_wide(snap_compare, demo_app):
    assert snap_compare(demo_app, press=["comma"], terminal_size=(160, 48))


@pytest.mark.slow
def test_settings_snapshot_small(snap_compare, demo_app):
    assert snap_compare(demo_app, press=["comma"], terminal_size=(80, 24))
