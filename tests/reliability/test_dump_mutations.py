"""Hand-edited JSON dumps: a valid dump (the frozen schema-1 dump), mutated — wrong types,
out-of-range numbers, ids, names, missing and extra keys, nested junk — is either refused with
one line and the target board unchanged, or imports a board on which every command, every
export and the TUI work."""

import asyncio
import copy
import json
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pkanban.cli.main import cli
from pkanban.store.database import open_store
from pkanban.tui.app import PkanbanApp
from tests.conftest import TODAY
from tests.reliability.canonical import dump as canonical
from tests.reliability.tally import record
from tests.tui.conftest import settled

BASE = json.loads(
    (Path(__file__).parents[1] / "io" / "data" / "dump-schema-1.json").read_text("utf-8")
)
TABLES = ("stages", "lanes", "cards", "touches", "actions", "events")
SPECIAL = [
    "",
    " ",
    "0",
    "20260105",
    "2026-02-30",
    "2026-11-25",
    " 2026-11-25",
    "9999-12-31",
    "1899-12-31",
    "2026-11-25T09:00:00+00:00",
    "\x1b[31mred",
    "\x1b]52;c;aGk=\x07",
    "Acme [/]",
    "[@click=app.quit]x",
    "x" * 3000,
    "cards",
    "Cards",
    "touches WHERE 1=1 --",
    "board_meta:settings",
    "board_meta:app",
    "pool",
    "active",
    "open",
    "won",
    "lost",
    "cleared",
    "call",
    "Leads",
    "Contacted",
    0,
    1,
    2,
    3,
    5,
    8,
    -1,
    -500,
    0.5,
    5.0,
    10**12,
    10**15 + 1,
    10**30,
    2**53,
    2**53 + 1,
    2**63 - 1,
    2**63,
    True,
    None,
    [],
    {},
    [[1, 2]],
    ["new", "new"],
    {"Budget confirmed": True},
]
SCALAR = st.one_of(
    st.sampled_from(SPECIAL),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.booleans(),
)
JUNK = st.recursive(
    SCALAR,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
COLUMNS = sorted({column for table in TABLES for row in BASE[table] for column in row})
# Values of the right shape, taken from the dump itself: edits a person makes by hand.
PLAUSIBLE = {
    column: sorted(
        {json.dumps(row[column]) for table in TABLES for row in BASE[table] if column in row}
        | {json.dumps(n) for n in range(0, 9)}
    )
    for column in COLUMNS
}


@st.composite
def mutation(draw):
    """One edit a person (or an attacker) might make to the dump."""
    kind = draw(
        st.sampled_from(
            [
                "tweak",
                "tweak",
                "tweak",
                "set",
                "set",
                "drop key",
                "extra key",
                "drop row",
                "copy row",
                "table",
                "settings",
                "top",
                "snapshot",
                "new id",
            ]
        )
    )
    table = draw(st.sampled_from(TABLES))
    index = draw(st.integers(0, 20))
    column = draw(st.sampled_from(COLUMNS))
    if kind == "tweak":
        value = json.loads(draw(st.sampled_from(PLAUSIBLE[column])))
        kind = "set"
    else:
        value = draw(JUNK)
    return kind, table, index, column, value


def apply(document: dict, edit) -> None:
    kind, table, index, column, value = edit
    rows = document.get(table)
    row = rows[index % len(rows)] if isinstance(rows, list) and rows else None
    if kind == "table":
        document[table] = value
    elif kind == "settings":
        document["meta"]["settings"][column] = value
    elif kind == "top":
        document[column if column in ("version", "schema_version", "meta") else "exported"] = value
    elif row is None or not isinstance(row, dict):
        return
    elif kind == "set":
        row[column if column in row else "id"] = value
    elif kind == "drop key":
        row.pop(column if column in row else "id", None)
    elif kind == "extra key":
        row[f"{column}_x"] = value
    elif kind == "drop row":
        rows.remove(row)
    elif kind == "copy row":
        rows.append(copy.deepcopy(row))
    elif kind == "new id":
        row["id"] = value if isinstance(value, int) else index + 1
    elif kind == "snapshot" and document["events"]:
        event = document["events"][index % len(document["events"])]
        side = event.get("after") or event.get("before")
        if isinstance(side, dict):
            side[column if column in side else "title"] = value


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), "--today", TODAY.isoformat(), *args])


def check_commands(db: Path) -> None:
    listed = run(db, "ls", "--all", "--json")
    assert listed.exit_code == 0, listed.output
    ids = [card["id"] for card in json.loads(listed.output)][:4]
    commands = [("ls",), ("log",), ("stats",), ("clearance", "--dry-run"), ("triage",)]
    commands += [("export", "--format", fmt) for fmt in ("md", "obsidian", "csv", "json")]
    commands += [("show", str(card_id)) for card_id in ids]
    for command in commands:
        result = run(db, *command)
        assert result.exit_code == 0, (command, result.output, result.stderr)
        assert "unexpected error" not in result.output + result.stderr, command


async def draw_board(db: Path) -> None:
    store = open_store(db)
    try:
        app = PkanbanApp(store, TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await settled(pilot)
            for key in ("j", "l", "j", "h", "k", "question_mark", "escape"):
                await pilot.press(key)
            await pilot.pause()
            assert app.is_running
    finally:
        store.close()


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(mutation(), min_size=1, max_size=3))
def test_a_mutated_dump_is_refused_in_one_line_or_imports_a_working_board(edits):
    document = copy.deepcopy(BASE)
    for edit in edits:
        apply(document, edit)
    with tempfile.TemporaryDirectory() as folder:
        db, dump = Path(folder) / "board.db", Path(folder) / "dump.json"
        dump.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        assert run(db, "init").exit_code == 0
        before = canonical(db)

        result = run(db, "import", str(dump))

        if result.exit_code != 0:
            refused = (
                result.exit_code == 1
                and result.stderr.startswith("pkanban: ")
                and result.stderr.count("\n") == 1
                and "\x1b" not in result.stderr
                and "unexpected error" not in result.stderr
                and canonical(db) == before
            )
            record("mutated dump: refused", refused)
            assert refused, result.stderr
            return
        try:
            check_commands(db)
            asyncio.run(draw_board(db))
        except BaseException:
            record("mutated dump: imported", False)
            raise
        record("mutated dump: imported", True)
