"""The clearance wizard as a seller drives it: choose → review with each action → summary →
apply → undo, with the database checked at every step, and each step pinned by a snapshot."""

from datetime import timedelta

import pytest
from textual.widgets import Input

from pkanban.services import cards as actions
from pkanban.services import clearance as clearances
from pkanban.store import board
from pkanban.tui.app import PkanbanApp
from pkanban.tui.screens.clearance import ClearanceScreen
from tests.tui.conftest import card_named, dump, notifications, screen_text, settled

# The demo board's ongoing candidates on 2026-11-25 (best-by 96 days from 24 wins), in the
# wizard's order, with the rules that flag each: checked independently below.
FIRST_FIVE = ["Krusty Krab", "Spacely Sprockets", "Sirius Cybernetics", "Kramerica", "Duff Brewing"]


async def type_into(pilot, text: str, field: str | None = None) -> None:
    screen = pilot.app.screen
    target = screen.query_one(f"#{field}", Input) if field else screen.query_one(Input)
    target.value = text
    await pilot.pause()


async def open_wizard(pilot) -> ClearanceScreen:
    await pilot.pause()
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ClearanceScreen)
    return pilot.app.screen


def test_the_demo_candidates_match_the_rules_computed_by_hand(demo_store, today):
    """The figures the wizard shows, recomputed from the cards with plain date arithmetic."""
    best_by = board.board_best_by(demo_store.conn, board.settings(demo_store.conn)).days
    shelf = {stage.id: stage.shelf_life_days for stage in board.stages(demo_store.conn)}
    pool = {stage.id for stage in board.stages(demo_store.conn) if stage.kind == "pool"}
    expected = {}
    for card in board.cards(demo_store.conn):
        rules = []
        if (today - card.created).days > best_by:
            rules.append("past-best-by")
        if shelf[card.stage_id] and (today - card.entered_stage).days > shelf[card.stage_id]:
            rules.append("past-shelf-life")
        idle = (today - (card.last_touch or card.created)).days
        waiting = card.stage_id in pool  # pool leads wait by design: never idle
        if not waiting and idle > 30 and (card.next_due is None or card.next_due < today):
            rules.append("idle")
        if rules:
            expected[card.title] = tuple(rules)
    report = clearances.find_candidates(demo_store, today)
    assert {each.card.title: each.rules for each in report.candidates} == expected
    assert [each.card.title for each in report.candidates][:5] == FIRST_FIVE
    assert (best_by, len(expected)) == (96, 11)


async def test_the_header_counts_what_an_ongoing_clearance_would_list(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        assert "11 to clear (c)" in screen_text(demo_app)


async def test_a_whole_clearance_from_choice_to_undo(demo_app, demo_store, today, tmp_path):
    store = demo_store
    before = dump(store)
    async with demo_app.run_test(size=(140, 44)) as pilot:
        wizard = await open_wizard(pilot)
        text = screen_text(demo_app)
        assert "past-best-by          8 cards   $208k" in text
        assert "idle                   1 card    $18k" in text  # pool leads are never idle
        assert "80 % of your 24 wins closed within 96 days" in text
        assert "Selected  11 cards · $237k at stake" in text

        await pilot.press("3")  # idle off: 10 cards past best-by or shelf life
        assert "Selected  10 cards · $219k at stake" in screen_text(demo_app)
        await pilot.press("3", "enter")
        await pilot.pause()
        assert [each.card.title for each in wizard.plan.candidates][:5] == FIRST_FIVE
        text = screen_text(demo_app)
        assert "1/11" in text and "Krusty Krab  #36   undecided" in text
        assert "past-shelf-life — longer in its stage" in text
        assert "Age 49 days in total · 24 in Negotiation · 8 since the last touch" in text
        assert "Touches (3)" in text and "2026-11-17  call    Send proposal v2" in text

        await pilot.press("delete")  # clear, keeping the rules as the reason
        await pilot.press("enter")
        await pilot.press("x")
        await type_into(pilot, "Went with a competitor")
        await pilot.press("enter")
        await pilot.press("o")
        await type_into(pilot, "+6w")
        await pilot.press("enter")
        await pilot.press("equals_sign")
        await type_into(pilot, "Trade show in spring", "text")
        await type_into(pilot, "+90d", "when")
        await pilot.press("enter")
        await pilot.press("space")
        await pilot.pause()
        assert "6/11  ·  5 decided" in screen_text(demo_app)
        assert dump(store) == before  # nothing is written before apply

        await pilot.press("s")
        await pilot.pause()
        text = screen_text(demo_app)
        assert "Cleared 1 · lost 1 · nurtured 1 · kept 1 · skipped 7" in text
        assert "Value released $4k" in text
        assert "WIP freed per stage: Leads −1, Negotiation −1" in text
        assert "#9 Spacely Sprockets  $2k — Went with a competitor" in text

        await pilot.press("a")
        await demo_app.workers.wait_for_complete()
        await pilot.pause()
        assert "Clearance: 1 cleared, 1 lost, 1 nurtured, 1 kept" in screen_text(demo_app)
        krusty = card_named(store, "Krusty Krab")
        assert (krusty.disposition, krusty.closed, krusty.lost_reason) == (
            "cleared",
            today,
            "clearance: past-shelf-life",
        )
        assert card_named(store, "Spacely Sprockets").disposition == "lost"
        sirius = card_named(store, "Sirius Cybernetics")
        assert (sirius.next_step, sirius.next_due) == ("Nurture follow-up", today + timedelta(42))
        kramerica = card_named(store, "Kramerica")
        assert (kramerica.snoozed_until, kramerica.snooze_reason) == (
            today + timedelta(90),
            "Trade show in spring",
        )
        assert card_named(store, "Duff Brewing").snoozed_until is None
        backups = list((tmp_path / "backups").glob("board-clearance-2026-11-25-*.db"))
        assert len(backups) == 1
        assert any(str(backups[0]) in message for message in notifications(demo_app))

        await pilot.press("escape")
        await pilot.pause()
        assert "7 to clear (c)" in screen_text(demo_app)
        await pilot.press("u")
        await pilot.pause()
    assert dump(store) == before


async def test_bulk_clears_a_whole_rule_after_a_confirmation(demo_app, demo_store, today):
    async with demo_app.run_test(size=(140, 44)) as pilot:
        await open_wizard(pilot)
        await pilot.press("enter", "B", "1")
        await pilot.pause()
        assert "8 undecided past-best-by candidates" in screen_text(demo_app)
        await pilot.press("delete")
        await pilot.pause()
        assert "Clear all 8 undecided past-best-by candidates?" in screen_text(demo_app)
        await pilot.press("enter")
        await pilot.pause()
        assert "Decided 8 cards" in notifications(demo_app)
        assert "1/11  ·  8 decided" in screen_text(demo_app)
        await pilot.press("s", "a")
        await demo_app.workers.wait_for_complete()
        await pilot.pause()
    cleared = demo_store.conn.execute(
        "SELECT count(*), group_concat(DISTINCT lost_reason) FROM cards"
        " WHERE disposition = 'cleared'"
    ).fetchone()
    assert cleared == (8, "clearance: past-best-by")


async def test_a_board_changed_during_the_review_is_refused_and_left_alone(demo_app, demo_store):
    async with demo_app.run_test(size=(140, 44)) as pilot:
        await open_wizard(pilot)
        await pilot.press("enter", "B", "3", "delete", "enter")
        await pilot.pause()
        actions.log_touch(demo_store, demo_app.today, card_named(demo_store, "Sarif Industries").id)
        before = dump(demo_store)
        await pilot.press("s", "a")
        await demo_app.workers.wait_for_complete()
        await pilot.pause()
        assert any("Nothing was changed" in message for message in notifications(demo_app))
        assert "summary — nothing has changed yet" in screen_text(demo_app)
        assert dump(demo_store) == before


async def test_the_app_says_when_the_yearly_review_is_due(demo_store, today):
    demo_store.conn.execute("UPDATE actions SET day = '2025-12-01'")
    app = PkanbanApp(demo_store, today)
    async with app.run_test(size=(140, 44)) as pilot:
        await settled(pilot)
        assert any("yearly clearance review is due" in m for m in notifications(app))
        await open_wizard(pilot)
        assert "Yearly clearance review" in screen_text(app)
        assert "low-value-account" in screen_text(app)


async def test_hostile_titles_are_shown_literally(store, today):
    title = "[@click=app.quit]Evil[/] \x1b]0;pwned\x07Corp"
    actions.add_card(
        store, today, actions.NewCard(title=title, created=today - timedelta(days=200))
    )
    app = PkanbanApp(store, today)
    async with app.run_test(size=(140, 44)) as pilot:
        await open_wizard(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "[@click=app.quit]Evil[/] Corp" in screen_text(app)


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param(["c"], id="choose"),
        pytest.param(["c", "enter"], id="review"),
        pytest.param(["c", "enter", "B"], id="bulk"),
        pytest.param(
            ["c", "enter", "delete", "enter", "x", "P", "r", "i", "c", "e", "enter", "s"],
            id="summary",
        ),
    ],
)
def test_the_wizard_snapshots(demo_app, snap_compare, keys):
    assert snap_compare(demo_app, press=keys, terminal_size=(110, 36))


async def test_a_yearly_review_with_nothing_to_clear_is_still_recorded(store, today):
    actions.add_card(store, today, actions.NewCard(title="Fresh lead", value=50000))
    store.conn.execute("UPDATE actions SET day = '2025-12-01'")
    app = PkanbanApp(store, today)
    async with app.run_test(size=(140, 44)) as pilot:
        await open_wizard(pilot)
        assert "Nothing to clear: Enter goes to the summary" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "applying records the yearly review as done" in screen_text(app)
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Yearly clearance: nothing to clear" in screen_text(app)
    assert not clearances.yearly_review(store, today).due


async def test_a_bad_review_day_is_told_not_crashed_on(demo_store, today):
    """A board written before the review day was checked on the way in."""
    demo_store.conn.execute(
        "UPDATE board_meta SET value = json_set(value, '$.yearly_review', '13-45')"
        " WHERE key = 'settings'"
    )
    app = PkanbanApp(demo_store, today)
    async with app.run_test(size=(140, 44)) as pilot:
        await settled(pilot)
        assert any("not a day of the year" in m for m in notifications(app))
        await open_wizard(pilot)
        assert "not a day of the year" in screen_text(app)
        assert "11 cards" in screen_text(app)


async def test_leaving_the_wizard_with_decisions_asks_first(demo_app, demo_store):
    before = dump(demo_store)
    async with demo_app.run_test(size=(140, 44)) as pilot:
        wizard = await open_wizard(pilot)
        await pilot.press("enter")  # review
        await pilot.press("delete", "enter")  # clear the first candidate
        await pilot.pause()
        assert len(wizard.plan.decisions) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert wizard.step == "review"
        assert any("not applied yet" in message for message in notifications(demo_app))
        await pilot.press("escape")  # second press: back to the choice, decisions dropped
        await pilot.pause()
        assert wizard.step == "choose"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(demo_app.screen, ClearanceScreen)
    assert dump(demo_store) == before


async def test_the_review_keys_mean_what_they_mean_on_the_board(demo_app):
    """k selects up on the board, so it decides nothing here; h/l step like the board's
    left/right; = keeps, Del clears, x is lost as everywhere."""
    async with demo_app.run_test(size=(140, 44)) as pilot:
        wizard = await open_wizard(pilot)
        await pilot.press("enter", "k", "p", "c")
        await pilot.pause()
        assert not wizard.plan.decisions and wizard.position == 0
        assert isinstance(demo_app.screen, ClearanceScreen)
        await pilot.press("l", "l", "h")
        await pilot.pause()
        assert wizard.position == 1
        footer = screen_text(demo_app).splitlines()[-1]
        assert "del Clear" in footer and "= Keep" in footer and "x Lost" in footer
        await pilot.press("equals_sign")
        await type_into(pilot, "Trade show in spring", "text")
        await type_into(pilot, "+90d", "when")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("delete", "enter")  # the next candidate
        await pilot.pause()
    kinds = {card_id: decision.action for card_id, decision in wizard.plan.decisions.items()}
    assert sorted(kinds.values()) == ["clear", "keep"]


async def test_esc_and_q_on_the_first_step_go_back_to_the_board(demo_app):
    """Esc on the choice (nothing decided yet) used to crash the app; `q` leaves the screen,
    as the README says, rather than quitting the app."""
    from pkanban.tui.screens.board import BoardScreen

    async with demo_app.run_test(size=(110, 36)) as pilot:
        for leave in ("escape", "q"):
            await pilot.press("c")
            await pilot.pause()
            assert type(demo_app.screen).__name__ == "ClearanceScreen"
            await pilot.press(leave)
            await pilot.pause()
            assert isinstance(demo_app.screen, BoardScreen), leave
        assert demo_app.is_running


def test_the_review_key_is_off_until_the_candidates_are_found():
    """The footer asks which keys work whenever it draws, which can be before the wizard has
    read the board: the answer is "not yet", not an error."""
    for mode in ("ongoing", "yearly"):
        wizard = ClearanceScreen(mode)
        assert wizard.check_action("review", ()) is False
