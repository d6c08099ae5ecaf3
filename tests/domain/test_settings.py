"""Settings: read unchecked from our own board, validated (with pydantic, loaded only then)
wherever a user or a dump supplies them."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pkanban.domain.errors import InvalidInput
from pkanban.domain.models import Settings, validated_settings
from tests.conftest import import_changed_dump


def test_the_defaults_survive_storing_and_checking():
    stored = json.loads(json.dumps(Settings().as_json()))

    assert Settings.from_stored(stored) == Settings()
    assert validated_settings(stored) == Settings()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"touch_target": 0}, "touch_target: Input should be greater than or equal to 1"),
        ({"best_by_percentile": 101}, "best_by_percentile: Input should be less than or equal"),
        ({"currency": "dollars!!!"}, "currency: String should have at most 8 characters"),
        ({"yearly_review": "Jan 15"}, "yearly_review: Jan 15 is not a day of the year"),
        ({"accounts_lane": ""}, "accounts_lane: String should have at least 1 character"),
        ({"earn_next_lead": "perhaps"}, "earn_next_lead: Input should be a valid boolean"),
        ({"checklist": "Budget"}, "checklist: Input should be a valid tuple"),
        ({"colour": "red"}, "colour: not a setting"),
    ],
)
def test_a_bad_setting_is_refused_by_name(change, message):
    with pytest.raises(InvalidInput, match=message):
        validated_settings({**Settings().as_json(), **change})


@given(st.integers(), st.integers())
def test_checked_numbers_are_exactly_those_within_their_limits(target, percentile):
    values = {"touch_target": target, "best_by_percentile": percentile}
    if 1 <= target <= 100 and 1 <= percentile <= 100:
        assert validated_settings(values) == Settings(**values)
    else:
        with pytest.raises(InvalidInput):
            validated_settings(values)


def test_a_dump_with_bad_settings_is_refused_and_the_board_stays_empty(board_shell, tmp_path):
    board_shell("add", "Acme")

    result, target = import_changed_dump(
        board_shell, tmp_path, lambda dump: dump["meta"]["settings"].update(touch_target=-3)
    )

    assert result.exit_code == 1
    assert "touch_target: Input should be greater than or equal to 1" in result.stderr
    assert json.loads(board_shell(*target, "ls", "--all", "--json").output) == []


def test_config_set_refuses_out_of_range_values_and_changes_nothing(board_shell):
    result = board_shell("config", "set", "idle_days", "0")

    assert result.exit_code == 1
    assert "idle_days: Input should be greater than or equal to 1" in result.stderr
    shown = json.loads(board_shell("config", "show", "--json").output)
    assert shown["settings"]["idle_days"] == Settings().idle_days


@pytest.mark.parametrize(
    ("setting", "given", "stored"),
    [("touch_target", "5", 5), ("earn_next_lead", "off", False), ("idle_days", "45", 45)],
)
def test_a_dump_with_loosely_typed_settings_is_restored_as_checked_values(
    board_shell, tmp_path, setting, given, stored
):
    board_shell("add", "Acme")

    result, target = import_changed_dump(
        board_shell, tmp_path, lambda dump: dump["meta"]["settings"].update({setting: given})
    )

    assert result.exit_code == 0
    shown = json.loads(board_shell(*target, "config", "show", "--json").output)
    assert shown["settings"][setting] == stored
    assert board_shell(*target, "clearance", "--dry-run").exit_code == 0
    assert board_shell(*target, "ls").exit_code == 0


@settings(deadline=None)  # the first example loads pydantic
@given(st.text(alphabet="0123456789-+ ", max_size=7), st.integers(1900, 2200))
def test_a_review_day_the_settings_accept_falls_in_every_year(mmdd, year):
    """The settings check and the clearance reminder read MM-DD with one rule: what a seller
    may set always names a day, and what is refused is refused by both."""
    from pkanban.domain.clearance import review_day

    try:
        validated_settings({**Settings().as_json(), "yearly_review": mmdd})
    except InvalidInput:
        with pytest.raises(InvalidInput):
            review_day(mmdd, 2000)
    else:
        assert review_day(mmdd, year).year == year
