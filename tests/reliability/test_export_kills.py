"""Kill an export mid-write: a seller's old report is either still there, whole, or replaced by
the whole new one — never half of either."""

import random
import signal
import subprocess
import sys
import time

from tests.reliability.tally import record

KILLS = 12
NEW_SIZE = 64 * 1024 * 1024  # large enough that the write takes a while

# A real export (`write_export`, as `pkanban export -o … --force` calls it) of a large text.
WRITER = """
import sys
from pathlib import Path
from pkanban.services.transfer import write_export

class Board:
    path = Path(sys.argv[2])

text = "new report line\\n" * (int(sys.argv[3]) // 16)
print("ready", flush=True)
write_export(Board, text, Path(sys.argv[1]), "md", replace=True)
print("done", flush=True)
"""


def test_a_killed_export_leaves_the_old_file_or_the_new_one(tmp_path):
    target = tmp_path / "report.md"
    old = b"last week's report\n" * 1000
    new = b"new report line\n" * (NEW_SIZE // 16)
    rng = random.Random(14)
    outcomes = []
    for _ in range(KILLS):
        target.write_bytes(old)
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target), str(tmp_path / "board.db"), str(NEW_SIZE)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout.readline() == "ready\n"
        deadline = time.monotonic() + 30
        while not list(tmp_path.glob(".report.md.*.tmp")) and writer.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.001)
        time.sleep(rng.uniform(0, 0.05))
        writer.send_signal(signal.SIGKILL)
        writer.wait()

        content = target.read_bytes()
        whole = content in (old, new)
        outcomes.append("new" if content == new else "old")
        record("export killed mid-write", whole)
        assert whole, f"half-written report: {len(content)} bytes"
        for stale in tmp_path.glob(".report.md.*.tmp"):
            stale.unlink()  # a SIGKILL cannot clean up; it is private (0600) and hidden
    assert "old" in outcomes  # the kills did land mid-write
