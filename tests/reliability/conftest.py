"""The reliability suite: marked `reliability` so the default run stays quick (CI runs it)."""

import pytest

from tests.reliability.tally import SURVIVED, TRIED


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/reliability/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.reliability)


def pytest_terminal_summary(terminalreporter):
    if not TRIED:
        return
    terminalreporter.section("reliability summary")
    terminalreporter.write_line(f"{'what':<28} {'tried':>7} {'survived':>9}")
    for kind in sorted(TRIED):
        terminalreporter.write_line(f"{kind:<28} {TRIED[kind]:>7} {SURVIVED[kind]:>9}")
