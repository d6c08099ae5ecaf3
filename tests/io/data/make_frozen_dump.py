"""Writes the frozen dump of a schema: `uv run python -m tests.io.data.make_frozen_dump N`.

Run once per schema version and commit the output (dump-schema-N.json) as it is: it stands for
the dumps users already have, which every later pkanban must keep importing. Never regenerate
an existing file.
"""

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner

from pkanban.cli.main import cli
from pkanban.services.pipeline import set_checklist
from pkanban.store.database import open_store

START = date(2026, 9, 1)


def build(folder: Path) -> str:
    db = folder / "board.db"
    runner = CliRunner()

    def run(day: int, *args: str) -> None:
        today = (START + timedelta(days=day)).isoformat()
        result = runner.invoke(cli, ["--db", str(db), "--today", today, *args])
        assert result.exit_code == 0, (args, result.output)

    run(0, "init")
    run(0, "add", "Acme Corp", "--value", "12k", "--contact", "Ana Ruiz", "--tag", "new")
    run(0, "add", "Globex", "--value", "4500", "--email", "cy@globex.example", "--tag", "renewal")
    run(1, "add", "Initech", "--stage", "Contacted", "--lane", "Expedite", "--value", "30k")
    run(1, "add", "Umbrella", "--stage", "Discovery", "--source", "Referral", "--next", "Demo")
    run(2, "add", "Hooli «Café» 日本", "--stage", "Contacted", "--value", "800")
    run(3, "add", "Stark Industries", "--stage", "Proposal", "--value", "1.5m")
    run(
        4,
        "touch",
        "3",
        "--kind",
        "call",
        "--text",
        "Intro call\nwith the CFO",
        "--next",
        "Send deck",
    )
    run(5, "touch", "4", "--kind", "email", "--text", "Sent the agenda")
    run(6, "move", "4", "Proposal")
    run(7, "won", "6")
    run(8, "lost", "2", "--reason", "Went with a competitor")
    run(9, "config", "set", "touch_target", "5")
    run(9, "config", "stage", "Discovery", "--wip", "6")
    run(10, "block", "3", "Waiting for legal")
    run(11, "edit", "1", "--title", "Acme Corporation", "--tag", "new", "--tag", "priority")
    run(12, "undo")
    store = open_store(db)
    try:
        set_checklist(store, START + timedelta(days=13), 1, "Budget confirmed", True)
        set_checklist(store, START + timedelta(days=13), 1, "Decision maker known", False)
    finally:
        store.close()
    # Schema 2 and later: notes; schema 3: accounts; schema 4: expected close dates.
    run(14, "note", "1", "Budget freeze until Q2 — call back in January")
    run(
        14,
        "add",
        "Vandelay renewal",
        "--account",
        "Vandelay Industries",
        "--close-by",
        "2026-12-20",
    )
    run(40, "clearance", "--apply", "--rule", "past-shelf-life", "--yes")
    result = runner.invoke(
        cli, ["--db", str(db), "--today", "2026-10-15", "export", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return result.output


if __name__ == "__main__":
    version = int(sys.argv[1])
    target = Path(__file__).with_name(f"dump-schema-{version}.json")
    if target.exists():
        sys.exit(f"{target} exists: a frozen dump is never regenerated")
    with tempfile.TemporaryDirectory() as folder:
        target.write_text(build(Path(folder)), encoding="utf-8")
    print(f"Wrote {target}")
