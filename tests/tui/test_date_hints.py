"""Date hints follow the board's today (`--today`): on 2026-12-06 no dialog suggests 2026-12-01
(issue 17, item 9)."""

from datetime import date

import pytest

from pkanban.services import cards as actions
from pkanban.tui.app import PkanbanApp
from tests.tui.conftest import screen_text, settled

LATER = date(2026, 12, 6)


@pytest.mark.parametrize("key", ["a", "question_mark", "t", "e", "s"])
async def test_no_date_hint_suggests_a_past_day(store, key):
    actions.add_card(store, LATER, actions.NewCard(title="Acme"))
    app = PkanbanApp(store, LATER)
    async with app.run_test(size=(160, 48)) as pilot:
        await settled(pilot)
        await pilot.press(key)
        await pilot.pause()
        text = screen_text(app)
    shown = {word[:10] for word in text.replace(",", " ").split() if word.startswith("202")}
    assert all(date.fromisoformat(day) >= LATER for day in shown), shown  # today is in the header
