"""The calendar file follows what the seller does on the board, and a file that cannot be
written is a notification, never a failed action."""

from icalendar import Calendar

from pkanban.services.calendar import set_calendar_file
from tests.tui.conftest import card_named, notifications, selected_title, settled


def due_cards(path) -> set[str]:
    return {str(todo["SUMMARY"]) for todo in Calendar.from_ical(path.read_bytes()).walk("VTODO")}


async def test_winning_on_the_board_takes_the_follow_up_off_the_calendar(
    demo_app, demo_store, today, tmp_path
):
    target = tmp_path / "pkanban.ics"
    set_calendar_file(demo_store, today, str(target))
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("l")  # Contacted: worked cards with a next step date
        title = selected_title(demo_app)
        assert card_named(demo_store, title).next_due is not None
        assert any(line.endswith(f"— {title}") for line in due_cards(target))
        await pilot.press("w")  # asks the final value, prefilled: Enter keeps it
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert card_named(demo_store, title).disposition == "won"
        assert not any(line.endswith(f"— {title}") for line in due_cards(target))


async def test_a_calendar_file_that_cannot_be_written_is_a_notification(
    demo_app, demo_store, today, tmp_path
):
    target = tmp_path / "pkanban.ics"
    set_calendar_file(demo_store, today, str(target))
    target.unlink()
    target.mkdir()  # something else took the name
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press("L")  # Aperture Science: Leads → Contacted
        await pilot.pause()
        assert card_named(demo_store, "Aperture Science").stage_id == 2
        assert any(
            m.startswith("The calendar file was not updated") for m in notifications(demo_app)
        )
