"""Absurd values and dates are refused with their range, the same on every way in (issue 17):
a trillion is one too many, and a next step lies at most ten years ahead."""

import pytest

from pkanban.domain.dates import MAX_YEARS_AHEAD


def test_a_trillion_is_refused_and_the_largest_value_is_kept(shell):
    shell("init")
    refused = shell("add", "Acme", "--value", "1000000m")
    assert refused.exit_code != 0  # a bad --value is a usage error, like any unreadable amount
    assert "more than 999,999,999,999" in refused.output
    assert shell("add", "Acme", "--value", "999999999999").exit_code == 0
    assert "$1t" in shell("ls").output


@pytest.mark.parametrize("command", [("add", "Globex"), ("edit", "1")])
def test_a_next_step_a_century_away_is_refused_on_add_and_edit(shell, command):
    shell("init")
    shell("add", "Acme")
    refused = shell(*command, "--next", "Call", "--due", "+100000d")
    assert refused.exit_code == 1
    assert f"too far away: at most {MAX_YEARS_AHEAD} years" in refused.output
    assert "Traceback" not in refused.output
    assert "Globex" not in shell("ls").output
    assert "+100000d" not in shell("show", "1").output
    assert shell(*command, "--next", "Call", "--due", "+2w").exit_code == 0
