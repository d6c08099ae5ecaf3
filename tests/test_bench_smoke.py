"""`python -m bench --quick` runs end to end, so the benchmark never rots (no time is asserted)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_benchmark_runs_and_prints_every_budget():
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for row in (
        "start → first painted board",
        "peak RSS",
        "move key",
        "pkanban ls",
        "clearance --dry-run",
        "pkanban search --all",
        "export of",
        "metrics screen",
        "Growth",
    ):
        assert row in result.stdout, row


@pytest.mark.slow
def test_the_import_at_scale_benchmark_runs_and_prints_every_reference():
    result = subprocess.run(
        [sys.executable, "bench/import_scale.py", "--open", "50", "--archived", "500"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for row in (
        "pkanban import",
        "sqlite-utils insert --csv",
        "floor: sqlite3 executemany",
        "board file",
        "pkanban undo of the import",
    ):
        assert row in result.stdout, row
