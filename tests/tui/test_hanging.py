"""At 80 columns a long line in the card detail or the clearance wizard wraps under its own text,
not at the margin (issue 17, item 5): the date column stays a column."""

from datetime import timedelta

from textual.content import Content

from pkanban.services import cards as actions
from pkanban.tui.widgets.hanging import hang
from tests.tui.conftest import screen_text, settled

LONG = "Intro call with Ana went well, she wants the pricing deck and a reference customer soon"


def test_a_wrapped_line_continues_under_its_text():
    lines = hang(
        [("  2026-11-17  call    ", LONG), Content("  ● stale — " + LONG), Content("Title")], 50
    )
    text = [line.plain.rstrip() for line in lines]
    assert text[0].startswith("  2026-11-17  call    Intro call")
    assert text[1].startswith(" " * 22) and text[1][22] != " "
    rule = text.index(next(t for t in text if t.startswith("  ● stale")))
    assert text[rule + 1].startswith("  ") and text[rule + 1][2] != " "
    assert text[-1] == "Title" and all(len(t) <= 50 for t in text)


async def test_a_long_touch_in_the_card_detail_hangs_under_its_text(app, store, today):
    card = actions.add_card(store, today, actions.NewCard(title="Acme"))
    actions.log_touch(store, today, card.id, "call", LONG)
    async with app.run_test(size=(100, 30)) as pilot:  # room for the text beside its date
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        rows = screen_text(app).splitlines()
    first = next(i for i, row in enumerate(rows) if "call     Intro call" in row)
    column = rows[first].index("Intro")
    follow = rows[first + 1]
    log = rows[first].index("2026-")
    assert follow[log:column].strip() == "" and follow[column] != " "


async def test_a_long_stage_path_in_clearance_hangs_under_its_text(app, store, today):
    long_ago = today - timedelta(days=400)
    card = actions.add_card(
        store, long_ago, actions.NewCard(title="Acme", stage="Contacted", value=5000)
    )
    for day, stage in ((300, "Discovery"), (250, "Proposal"), (200, "Negotiation")):
        actions.move_card(store, today - timedelta(days=day), card.id, stage=stage)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        rows = screen_text(app).splitlines()
    first = next(i for i, row in enumerate(rows) if row.startswith("    Contacted since"))
    assert rows[first + 1].startswith("    ") and rows[first + 1][4] != " "
    reason = next(i for i, row in enumerate(rows) if row.startswith("    ● idle"))
    assert rows[reason + 1].startswith("      ") and rows[reason + 1][6] != " "


def test_with_no_room_beside_a_wide_prefix_a_line_hangs_under_its_first_word():
    prefix = Content("  [x] 1 past-best-by          8 cards   $208k   ")
    text = [line.plain.rstrip() for line in hang([(prefix, "older than best-by (96 days)")], 56)]
    assert text[0].startswith("  [x] 1 past-best-by") and text[1].startswith("  ")
    assert text[1][2] != " " and all(len(t) <= 56 for t in text)


async def test_a_long_triage_reason_hangs_under_its_text_at_60_columns(app, store, today):
    """At 60×15 `● next step overdue since …: Book demo with` continued with `IT` at the margin."""
    card = actions.add_card(store, today - timedelta(days=5), actions.NewCard(title="Stay Puft"))
    actions.log_touch(
        store,
        today - timedelta(days=3),
        card.id,
        "call",
        "Intro",
        next_step="Book the demo with their IT department and the finance lead",
        next_due=today - timedelta(days=1),
    )
    async with app.run_test(size=(60, 15)) as pilot:
        await settled(pilot)
        await pilot.press("T")
        await pilot.pause()
        rows = screen_text(app).splitlines()
    first = next(i for i, row in enumerate(rows) if "● next step overdue" in row)
    body = rows[first].index("next step overdue")
    follow = rows[first + 1]
    assert follow[:body].strip() == "" and follow[body] != " "
