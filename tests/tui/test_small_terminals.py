"""Every screen at 80×24 keeps its way out and its help; at 60×15 the help still reads."""

import asyncio

from pkanban.services import config
from pkanban.services.cards import NewCard, add_card
from pkanban.tui.app import PkanbanApp
from pkanban.tui.widgets.headers import StageHeader
from pkanban.tui.widgets.key_footer import KeyFooter
from tests.tui.conftest import screen_text, settled


async def test_the_footer_keeps_help_and_quit_at_80_columns(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        footer = screen_text(demo_app).splitlines()[-1]
        assert "? Help" in footer and "q Quit" in footer and "a Add" in footer
        await pilot.press("T")
        await pilot.pause()
        footer = screen_text(demo_app).splitlines()[-1]
        assert "? Help" in footer and "q Quit" in footer and "esc End triage" in footer


async def test_help_lists_the_apps_keys_first_and_none_of_textuals(demo_app):
    async with demo_app.run_test(size=(60, 15)) as pilot:
        await settled(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = demo_app.screen
        text = str(help_screen.query_one("#help-keys").render())
        rows = _table_rows(help_screen)
    assert [keys for keys, _ in rows[:3]] == ["a", "e", "⏎"]
    listed = {description for _, description in rows}
    assert {"Help", "Quit", "Metrics", "Export", "Import"} <= listed
    assert "Focus Next" not in listed and not any("Copy" in d for d in listed)
    order = [description for _, description in rows]
    assert order.index("Quit") < order.index("Select left")  # app keys before the arrows
    assert text


def _table_rows(help_screen) -> list[tuple[str, str]]:
    table = help_screen._keys(help_screen.below)
    keys, descriptions = (list(column.cells) for column in table.columns)
    return list(zip(keys, descriptions, strict=True))


def _hangs_under(lines: list[str], label: str) -> tuple[list[str], int]:
    """The lines that continue the one starting with `label`, up to the next blank-left line."""
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith(label))
    text_column = lines[start].index(label) + len(label)
    text_column += len(lines[start][text_column:]) - len(lines[start][text_column:].lstrip())
    following = []
    for line in lines[start + 1 :]:
        if not line.strip() or not line[:text_column].isspace():
            break
        following.append(line)
    return [lines[start], *following], text_column


async def test_the_metrics_header_wraps_under_its_own_text_at_80_columns(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        lines = screen_text(demo_app).splitlines()
    for label in ("WIP now", "Closing"):
        block, column = _hangs_under(lines, label)
        assert len(block) > 1, f"{label} fits one line at 80 columns: nothing to check"
        assert all(line[column] != " " for line in block[1:]), block
    after_wip, _ = _hangs_under(lines, "WIP now")
    next_line = lines[lines.index(after_wip[-1]) + 1]
    assert next_line.lstrip().startswith("Closing"), next_line  # nothing wrapped to the margin


async def test_help_syntax_lines_wrap_under_their_text_at_60_columns(demo_app):
    async with demo_app.run_test(size=(60, 48)) as pilot:
        await settled(pilot)
        await pilot.press("question_mark")
        await pilot.press("end")  # the syntax, below the keys
        await pilot.pause()
        lines = screen_text(demo_app).splitlines()
    inside = [line.strip("█")[2:] for line in lines if line.startswith("█  ")]
    syntax = inside[inside.index(next(s for s in inside if s.startswith("Quick add"))) :]
    headings = ("Quick add", "Filter", "Badges", "↑↓ PgUp")
    at_margin = [s for s in syntax if s.strip() and not s.startswith(("  ", *headings))]
    assert at_margin == []
    dates = next(i for i, line in enumerate(syntax) if line.startswith("  dates"))
    assert syntax[dates + 1].startswith(" " * 10 + "·"), syntax[dates : dates + 3]


async def test_card_detail_at_60_by_15_shows_its_own_keys_not_the_boards(demo_app):
    async with demo_app.run_test(size=(60, 15)) as pilot:
        await pilot.press("l", "enter")
        await pilot.pause()
        footer = screen_text(demo_app).splitlines()[-1]
        assert "esc Close" in footer and "e Edit" in footer and "t Touch" in footer
        assert "a Add" not in footer and "⏎ Open" not in footer  # the board's, dead here
        await pilot.press("N")  # a key the footer shows works right here
        await pilot.pause()
        assert type(demo_app.screen).__name__ != "CardDetailScreen"


async def test_an_over_limit_stage_keeps_its_name_at_60_columns(demo_store, today):
    """At 60×15 `Contacted 6/1 · over by 5` has 9 columns: the name wins, the count goes under."""
    config.update_stage(demo_store, today, "Contacted", wip_limit=1)
    app = PkanbanApp(demo_store, today)
    async with app.run_test(size=(60, 15)) as pilot:
        await settled(pilot)
        contacted = next(h for h in app.screen.query(StageHeader) if h.facts.name == "Contacted")
        name, figures = contacted.render().plain.split("\n")
    assert name.strip() == "Contacted"
    assert figures.startswith("6/1 over")


async def test_on_a_short_terminal_empty_lanes_leave_their_rows_to_the_busy_one(store, today):
    for n in range(7):
        add_card(store, today, NewCard(f"Deal {n:02}", stage="Contacted", lane="New business"))
    app = PkanbanApp(store, today)
    async with app.run_test(size=(60, 18)) as pilot:
        await settled(pilot)
        text = screen_text(app)
    assert "Deal 00" in text and "Deal 01" in text  # two cards, not one
    assert "Accounts" in text.splitlines()[-3]  # and the last lane is not pushed off screen
    lines = text.splitlines()
    expedite = next(i for i, line in enumerate(lines) if "Expedite" in line)
    assert "New business" in lines[expedite + 2]  # an empty lane keeps one row


async def test_quick_add_at_60_by_15_keeps_its_keys_line_and_a_one_line_grammar(demo_app):
    async with demo_app.run_test(size=(60, 15)) as pilot:
        await settled(pilot)
        await pilot.press("a", *"Acme 12k", "enter")
        await pilot.pause()
        text = screen_text(demo_app)
        keys = demo_app.screen.query_one("#keys").region
    assert "Is that right? Enter again saves" in text
    assert keys.height >= 1 and keys.bottom <= 15 - 1  # above the dialog's bottom border
    assert "value read as 12,000" in text
    assert "more under ? Help" in text and "Grammar:" not in text


async def test_quick_add_at_80_by_24_shows_the_whole_grammar(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("a")
        await pilot.pause()
        text = screen_text(demo_app)
    assert "Grammar: title [value]" in text and "more under ? Help" not in text


async def test_a_dialog_hides_the_footer_of_the_screen_under_it(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert "q Quit" in screen_text(demo_app).splitlines()[-1]
        for key in ("question_mark", "a", "t", "e"):
            await pilot.press(key)
            await pilot.pause()
            assert "q Quit" not in screen_text(demo_app), key  # the board's keys, dead here
            await pilot.press("escape")
            await pilot.pause()
        assert "q Quit" in screen_text(demo_app).splitlines()[-1]


async def test_the_filter_bar_is_one_row_and_the_footer_names_its_keys(demo_app):
    async with demo_app.run_test(size=(60, 15)) as pilot:
        await settled(pilot)
        await pilot.press("slash", "v")
        await pilot.pause()
        lines = screen_text(demo_app).splitlines()
    assert lines[-2].startswith("v") and "▔" not in lines[-3]
    assert "Keep filter" in lines[-1] and "Clear filter" in lines[-1]


async def test_at_80_columns_the_header_keeps_the_filter_and_cuts_the_counts(demo_app):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("slash", *"acme", "enter")
        await pilot.pause()
        header = screen_text(demo_app).splitlines()[0]
    assert "filter “acme”: 1 match (Esc clears)" in header
    assert header.index("filter") < header.index("open")


async def test_a_board_shrunk_to_60x15_shows_what_a_board_started_there_shows(demo_store, today):
    """Each cell keys its lines on its width: a cell that narrowed re-cuts its titles with an
    ellipsis instead of showing its wider lines cropped (`Aperture ` for `Aperture…`)."""
    started = PkanbanApp(demo_store, today)
    async with started.run_test(size=(60, 15)) as pilot:
        await settled(pilot)
        expected = screen_text(started)
    shrunk = PkanbanApp(demo_store, today)
    async with shrunk.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.resize_terminal(60, 15)
        await settled(pilot)
        assert screen_text(shrunk) == expected
    assert "Aperture…" in expected


async def test_stage_headers_stay_over_their_cells_when_the_lanes_scroll(demo_store, today):
    """At 60×15 the lanes need a scrollbar, which takes a column from the cells; the stage
    headers give it up too, so every column edge lines up (they were one column apart). Widths
    that five columns do not divide (83, 97) split the same way under the headers and the cells
    (each lane's cells are one widget that works out its own columns)."""
    for size in ((60, 15), (160, 48), (83, 30), (97, 14)):
        app = PkanbanApp(demo_store, today)
        async with app.run_test(size=size) as pilot:
            await settled(pilot)
            lines = screen_text(app).splitlines()
        edges = [tuple(i for i, c in enumerate(line) if c == "▕") for line in lines]
        header_edges, cell_edges = edges[1], edges[4]
        assert len(header_edges) == 5 and header_edges == cell_edges, (size, lines[1], lines[4])


async def test_a_dialog_closed_in_the_same_burst_of_keys_leaves_the_footer_cut_to_width(demo_app):
    """`?` then Esc typed in one burst: the footer's recompose waited for a refresh of the board
    that never ran it, so from then on the footer kept all its keys at every width (80 columns
    cut `n Pull next lead` to `n` and lost `? Help` and `q Quit`)."""
    from textual import events

    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        demo_app.post_message(events.Key("question_mark", "?"))
        await asyncio.sleep(0.005)
        demo_app.post_message(events.Key("escape", None))
        await settled(pilot)
        await pilot.resize_terminal(80, 24)
        await settled(pilot)
        footer = screen_text(demo_app).splitlines()[-1]
    assert "? Help" in footer and "q Quit" in footer, footer


async def test_a_click_on_a_footer_key_presses_it(demo_app):
    """The footer is one widget now; a click still presses the key under it (as in Textual's
    footer), and the footer follows the keys of the screen on top."""
    from pkanban.tui.screens.help import HelpScreen

    async with demo_app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        footer = screen_text(demo_app).splitlines()[-1]
        await pilot.click(KeyFooter, offset=(footer.index("? Help") + 1, 0))
        await pilot.pause()
        assert isinstance(demo_app.screen, HelpScreen)
        await pilot.press("escape", "T")
        await pilot.pause()
        assert "esc End triage" in screen_text(demo_app).splitlines()[-1]


async def test_screens_other_than_the_board_do_not_offer_the_boards_screens(demo_app):
    """`m Metrics` was listed in triage, clearance and settings, where `m` did nothing."""
    from pkanban.tui.screens.help import HelpScreen
    from pkanban.tui.screens.metrics import MetricsScreen
    from pkanban.tui.screens.triage import TriageScreen

    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        assert "m Metrics" in screen_text(demo_app).splitlines()[-1]
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(demo_app.screen, TriageScreen)
        assert "m Metrics" not in screen_text(demo_app).splitlines()[-1]
        await pilot.press("m", "comma")
        await pilot.pause()
        assert isinstance(demo_app.screen, TriageScreen)
        await pilot.press("escape", "escape", "question_mark")
        await pilot.pause()
        assert "Metrics" in screen_text(demo_app)  # `?` over the board lists it …
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(demo_app.screen, HelpScreen)  # … but it opens from the board only
        await pilot.press("escape", "m")
        await pilot.pause()
        assert isinstance(demo_app.screen, MetricsScreen)
