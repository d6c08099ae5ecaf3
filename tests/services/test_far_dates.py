"""Absurd dates are refused with their range: a snooze or a due date at most 10 years ahead."""

from datetime import date

import pytest

from pkanban.domain.dates import DateError, parse_due
from pkanban.services import cards as actions

TODAY = date(2026, 11, 25)


def test_a_snooze_of_a_hundred_thousand_days_is_refused_with_its_range(store):
    card = actions.add_card(store, TODAY, actions.NewCard(title="Acme"))
    with pytest.raises(DateError, match="at most 10 years from today, until 2036-11-25"):
        actions.snooze_card(store, TODAY, card.id, parse_due("+100000d", TODAY))
    assert actions.snooze_card(store, TODAY, card.id, parse_due("+3650d", TODAY)).snoozed_until


def test_a_touch_with_a_next_step_in_a_century_is_refused(store):
    card = actions.add_card(store, TODAY, actions.NewCard(title="Acme"))
    with pytest.raises(DateError, match="too far away"):
        actions.log_touch(store, TODAY, card.id, "call", "hi", "Call", date(2126, 1, 1))


def test_the_cli_refuses_a_far_snooze_in_a_sentence(shell):
    shell("init")
    shell("add", "Acme")
    result = shell("snooze", "1", "+100000d")
    assert result.exit_code == 1
    assert "at most 10 years" in result.output and "Traceback" not in result.output
