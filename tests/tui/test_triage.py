"""Morning triage and pull on the board, as a seller presses the keys: the database is checked
after every action, and the triage screen is pinned by a snapshot."""

from datetime import date

from textual.widgets import Input

from pkanban.services import cards as actions
from pkanban.services import config
from pkanban.store import board
from pkanban.tui.screens.triage import TriageScreen
from tests.tui.conftest import card_named, dump, notifications, screen_text, settled

DEMO_QUEUE = [
    "Stay Puft",
    "Sarif Industries",
    "Vandelay Industries",
    "Nakatomi Trading",
    "Omni Consumer",
    "Shinra Power",
    "Krusty Krab",
    "Black Mesa Research",
]


def stage_name(store, card) -> str:
    return next(s.name for s in board.stages(store.conn) if s.id == card.stage_id)


async def fill(pilot, **fields: str) -> None:
    """Type into the dialog's fields (by id), as if typed, then let the app settle."""
    for field_id, text in fields.items():
        pilot.app.screen.query_one(f"#{field_id}", Input).value = text
    await pilot.pause()


async def test_a_full_triage_session_on_the_demo_board(demo_app, demo_store):
    store = demo_store
    async with demo_app.run_test(size=(140, 44)) as pilot:
        await settled(pilot)
        assert "8 in triage (T)" in screen_text(demo_app)
        await pilot.press("T")
        await pilot.pause()
        screen = demo_app.screen
        assert isinstance(screen, TriageScreen)
        assert [e.view.card.title for e in screen.queue] == DEMO_QUEUE
        text = screen_text(demo_app)
        assert "1/8" in text and "Stay Puft" in text
        assert "next step overdue since 2026-11-24: Book demo with IT" in text
        assert "Rank 40.8" in text and "25% in Discovery" in text

        # t: log a touch with its next step
        await pilot.press("t")
        await fill(pilot, text="Booked the demo", **{"next-step": "Run the demo", "due": "fri"})
        await pilot.press("enter")
        await pilot.pause()
        stay = card_named(store, "Stay Puft")
        assert (stay.touch_count, stay.next_step, stay.next_due) == (
            5,
            "Run the demo",
            date(2026, 11, 27),
        )
        assert "2/8" in screen_text(demo_app)

        # d: set the next step and its due date
        await pilot.press("d")
        await fill(pilot, text="Call the CFO", when="next tue")
        await pilot.press("enter")
        await pilot.pause()
        sarif = card_named(store, "Sarif Industries")
        assert (sarif.next_step, sarif.next_due) == ("Call the CFO", date(2026, 12, 1))

        # v: the stages are listed; a prefix picks one; a full stage is refused in the dialog
        await pilot.press("v")
        await pilot.pause()
        assert "Negotiation" in screen_text(demo_app)
        await pilot.press(*"disc")
        before = dump(store)
        await pilot.press("enter")
        await pilot.pause()
        assert "Discovery is full: 5/5" in screen_text(demo_app)
        assert dump(store) == before
        await fill(pilot, stage="pro")
        await pilot.press("enter")
        await pilot.pause()
        assert stage_name(store, card_named(store, "Vandelay Industries")) == "Proposal"

        # w: won, asking the final value like the board (prefilled with the card's)
        await pilot.press("w")
        await pilot.pause()
        assert card_named(store, "Nakatomi Trading").disposition == "open"
        await fill(pilot, answer="45k")
        await pilot.press("enter")
        await pilot.pause()
        nakatomi = card_named(store, "Nakatomi Trading")
        assert (nakatomi.disposition, nakatomi.value) == ("won", 45_000)

        # x: lost, with a reason
        await pilot.press("x")
        await fill(pilot, answer="No budget this year")
        await pilot.press("enter")
        await pilot.pause()
        omni = card_named(store, "Omni Consumer")
        assert (omni.disposition, omni.lost_reason) == ("lost", "No budget this year")

        # s: snooze until a date, with a reason; a bad date is refused in place
        await pilot.press("s")
        await fill(pilot, when="feb 30", text="CFO away")
        await pilot.press("enter")
        await pilot.pause()
        assert "feb 30" in screen_text(demo_app)
        assert card_named(store, "Shinra Power").snoozed_until is None
        await fill(pilot, when="next mon")
        await pilot.press("enter")
        await pilot.pause()
        shinra = card_named(store, "Shinra Power")
        assert (shinra.snoozed_until, shinra.snooze_reason) == (date(2026, 11, 30), "CFO away")

        # space: skip, nothing changes
        before = dump(store)
        await pilot.press("space")
        await pilot.pause()
        assert dump(store) == before
        assert "8/8" in screen_text(demo_app) and "Black Mesa Research" in screen_text(demo_app)

        # Esc: the summary
        await pilot.press("escape")
        await pilot.pause()
        summary = screen_text(demo_app)
        assert "Triage done: 6 of 8 cards handled" in summary
        for line in ("touched           1", "next step set     1", "moved             1"):
            assert line in summary
        for line in ("won               1", "lost              1", "snoozed           1"):
            assert line in summary
        assert "skipped           1" in summary
        # Vandelay's step is still overdue, Krusty Krab was skipped, Black Mesa is due today
        assert "still open        3" in summary

        # Esc again: back on the board, where undo reverts the last triage action
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(demo_app.screen, TriageScreen)
        assert "3 in triage (T)" in screen_text(demo_app)
        await pilot.press("u")
        await pilot.pause()
        assert card_named(store, "Shinra Power").snoozed_until is None


async def test_a_day_with_nothing_to_triage_says_so(app, store, today):
    actions.add_card(store, today, actions.NewCard(title="Quiet lead"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot)
        assert "in triage" not in screen_text(app)
        await pilot.press("T")
        await pilot.pause()
        assert "Nothing needs you today." in screen_text(app)
        await pilot.press("t")  # card actions are off: nothing happens
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TriageScreen)


async def test_n_pulls_the_best_lead_and_a_refusal_lists_the_leads_to_work(app, store, today):
    for title, value in (("Acme [bold]Corp[/]", 90_000), ("Globex", 5000)):
        actions.add_card(store, today, actions.NewCard(title=title, value=value))
    async with app.run_test(size=(140, 40)) as pilot:
        await settled(pilot)
        await pilot.press("n")
        await pilot.pause()
        acme = card_named(store, "Acme [bold]Corp[/]")
        assert (stage_name(store, acme), acme.pulled) == ("Contacted", today)
        assert any("Pulled “Acme [bold]Corp[/]” into Contacted" in n for n in notifications(app))
        before = dump(store)
        await pilot.press("n")
        await pilot.pause()
        assert dump(store) == before
        refusal = notifications(app)[-1]
        assert refusal.startswith("Earn the next lead first")
        assert f"#{acme.id} Acme [bold]Corp[/] — no touch yet" in refusal
        config.set_setting(store, today, "earn_next_lead", "off")
        config.update_stage(store, today, "Contacted", wip_limit=1)
        for stage in ("Discovery", "Proposal", "Negotiation"):
            config.update_stage(store, today, stage, wip_limit=0)
        await pilot.press("n")
        await pilot.pause()
        assert "Contacted is full: 1/1" in notifications(app)[-1]


async def test_the_card_detail_shows_why_the_card_ranks_where_it_does(demo_app):
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(demo_app)
    assert "Rank" in text and "why it ranks here" in text
    for part in ("value", "probability", "fit", "staleness", "criteria met"):
        assert part in text


def test_the_triage_screen_snapshot(demo_app, snap_compare):
    assert snap_compare(demo_app, press=["T"], terminal_size=(110, 36))


async def test_a_card_in_a_dead_queue_says_no_next_step_on_the_board(app, store, today):
    actions.add_card(store, today, actions.NewCard(title="Forgotten deal", stage="Contacted"))
    async with app.run_test(size=(140, 30)) as pilot:
        await settled(pilot)
        assert "no next step" in screen_text(app)
        assert "1 in triage (T)" in screen_text(app)


async def test_triage_refuses_a_due_date_with_an_empty_next_step_inside_the_dialog(
    demo_app, demo_store
):
    async with demo_app.run_test(size=(140, 44)) as pilot:
        await settled(pilot)
        await pilot.press("T", "space")  # skip Stay Puft: Sarif Industries is next
        await pilot.pause()
        await pilot.press("d")
        await fill(pilot, text="", when="wed")
        before = dump(demo_store)
        await pilot.press("enter")
        await pilot.pause()

        assert "needs its text: say what to do then" in screen_text(demo_app)
        assert dump(demo_store) == before
        assert "next step set" not in screen_text(demo_app)


async def test_a_card_without_a_value_says_which_key_sets_it_in_detail_and_triage(
    app, store, today
):
    """The app talks in keys: the rank's value line names `e`, never a shell command."""
    actions.add_card(
        store,
        today,
        actions.NewCard(title="Unpriced", stage="Contacted", next_step="Call", next_due=today),
    )
    async with app.run_test(size=(140, 44)) as pilot:
        await settled(pilot)
        await pilot.press("T")
        await pilot.pause()
        text = screen_text(app)
        assert "unknown (not $0) — e sets it" in text
        assert "pkanban edit" not in text
        await pilot.press("enter")  # the card's detail, where e edits it
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "CardDetailScreen"
        text = screen_text(app)
        assert "unknown (not $0) — e sets it" in text and "pkanban edit" not in text
        await pilot.press("e")
        await pilot.pause()
        from pkanban.tui.screens.edit import EditCardScreen

        assert isinstance(app.screen, EditCardScreen)
