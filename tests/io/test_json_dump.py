"""The JSON dump restores a board exactly: cards, archive, touches, settings, history."""

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pkanban.domain.errors import PkanbanError
from pkanban.services import cards as actions
from pkanban.services import config
from pkanban.services.transfer import dump_board, restore_dump
from pkanban.services.undo import undo_last
from pkanban.store.database import open_store
from tests.conftest import import_changed_dump

TODAY = date(2026, 11, 25)
TABLES = ("stages", "lanes", "cards", "touches", "actions", "events")


def rows(store, table: str) -> list[tuple]:
    return store.conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


def meta(store) -> dict:
    found = dict(store.conn.execute("SELECT key, value FROM board_meta"))
    return {key: value if key == "app" else json.loads(value) for key, value in found.items()}


def assert_same_board(original, copy) -> None:
    for table in TABLES:
        expected = rows(original, table)
        restored = rows(copy, table)
        if table == "actions":
            assert restored[-1][3] == "restored"
            restored = restored[:-1]
        assert restored == expected, table
    assert meta(copy) == meta(original)


def test_a_dumped_board_restores_with_identical_listing_and_card_history(board_shell, tmp_path):
    source = ["--db", str(tmp_path / "demo.db")]
    assert board_shell(*source, "demo", "--print").exit_code == 0
    board_shell(
        *source,
        "touch",
        "3",
        "--kind",
        "call",
        "--text",
        "line 1\nline 2 <b>[x]</b>",
        "--next",
        "# Send",
        "--due",
        "+2d",
    )
    board_shell(*source, "block", "3", "waiting | legal")
    board_shell(*source, "config", "set", "touch_target", "5")
    board_shell(*source, "config", "stage", "Discovery", "--wip", "6")
    board_shell(*source, "undo")
    dump = tmp_path / "dump.json"
    assert board_shell(*source, "export", "--format", "json", "-o", str(dump)).exit_code == 0
    target = ["--db", str(tmp_path / "copy.db")]
    board_shell(*target, "init")

    result = board_shell(*target, "import", str(dump))

    assert result.exit_code == 0, result.output
    cards = json.loads(board_shell(*source, "ls", "--all", "--json").output)
    assert f"Restored {len(cards)} cards with their history" in result.output
    for command in (("ls", "--all", "--json"), ("stats", "--json"), ("config", "show", "--json")):
        assert board_shell(*target, *command).output == board_shell(*source, *command).output
    for card in cards:
        show = ("show", str(card["id"]), "--json")
        assert board_shell(*target, *show).output == board_shell(*source, *show).output


def test_a_dump_goes_only_into_an_empty_board(board_shell, tmp_path):
    board_shell("add", "Acme")
    dump = tmp_path / "dump.json"
    board_shell("export", "-o", str(dump))

    result = board_shell("import", str(dump))

    assert result.exit_code == 1
    assert "goes into an empty board" in result.stderr
    assert "pkanban --db NEW.db init" in result.stderr


def test_csv_options_are_refused_for_a_dump(board_shell, tmp_path):
    dump = tmp_path / "dump.json"
    board_shell("export", "-o", str(dump))

    result = board_shell("import", str(dump), "--where", "a=b")

    assert result.exit_code == 1
    assert "apply to CSV files only" in result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other"), "not a pkanban dump"),
        (lambda d: d.update(schema_version=99), "another pkanban version"),
        (lambda d: d["cards"][0].update(created="0"), "bad created"),
        (lambda d: d["cards"][0].update(title="Acme\x1b]52;c;bad\x07"), "control characters"),
        (lambda d: d["cards"][0].update(colour="red"), "unknown columns: colour"),
        (lambda d: d["cards"][0].update(stage_id=999), "does not fit"),
        (lambda d: d["cards"][0].update(value="lots"), "not describe a valid board"),
    ],
)
def test_a_damaged_dump_is_refused_and_the_board_stays_empty(
    board_shell, tmp_path, change, message
):
    board_shell("add", "Acme")

    result, target = import_changed_dump(board_shell, tmp_path, change)

    assert result.exit_code == 1
    assert message in result.stderr
    assert json.loads(board_shell(*target, "ls", "--all", "--json").output) == []


def test_a_dry_run_restore_reports_and_writes_nothing(board_shell, tmp_path):
    board_shell("add", "Acme")
    dump = tmp_path / "dump.json"
    board_shell("export", "-o", str(dump))
    target = ["--db", str(tmp_path / "copy.db")]
    board_shell(*target, "init")

    result = board_shell(*target, "import", str(dump), "--dry-run")

    assert result.exit_code == 0
    assert "open   Leads" in result.output
    assert json.loads(board_shell(*target, "log", "--json").output) == []


HOSTILE_TEXT = st.one_of(
    st.text(min_size=1, max_size=30),
    st.sampled_from(
        [
            "# h",
            "- [ ] x",
            "<script>",
            "a | b",
            "=1+1",
            "Café",
            "日本",
            "\u202e",
            "x\ny",
            "[@click=app.quit]x",
            "Acme [/]",
        ]
    ),
)
OPERATION = st.one_of(
    st.tuples(
        st.just("add"),
        HOSTILE_TEXT,
        st.sampled_from(["Leads", "Contacted", "Discovery"]),
        st.integers(0, 10**6),
    ),
    st.tuples(st.just("touch"), st.integers(1, 8), HOSTILE_TEXT),
    st.tuples(
        st.just("move"), st.integers(1, 8), st.sampled_from(["Contacted", "Proposal", "Leads"])
    ),
    st.tuples(st.just("won"), st.integers(1, 8)),
    st.tuples(st.just("lost"), st.integers(1, 8), HOSTILE_TEXT),
    st.tuples(st.just("edit"), st.integers(1, 8), HOSTILE_TEXT),
    st.tuples(st.just("stage"), st.integers(0, 9)),
    st.tuples(
        st.just("undo"),
    ),
)


def apply(store, operation, day: date) -> None:
    kind, *args = operation
    try:
        if kind == "add":
            title, stage, value = args
            actions.add_card(
                store, day, actions.NewCard(title=title, stage=stage, value=value, tags=(title,))
            )
        elif kind == "touch":
            actions.log_touch(store, day, args[0], "call", args[1], next_step=args[1], next_due=day)
        elif kind == "move":
            actions.move_card(store, day, args[0], args[1])
        elif kind == "won":
            actions.mark_won(store, day, args[0])
        elif kind == "lost":
            actions.mark_lost(store, day, args[0], args[1])
        elif kind == "edit":
            actions.edit_card(
                store,
                day,
                args[0],
                {"contact_name": args[1], "checklist": {"Budget confirmed": True}},
            )
        elif kind == "stage":
            config.update_stage(store, day, "Contacted", wip_limit=args[0])
        else:
            undo_last(store, day)
    except PkanbanError:
        pass  # refusals are part of a real board's life


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPERATION, max_size=25))
def test_random_boards_with_hostile_text_survive_a_json_round_trip(operations):
    with tempfile.TemporaryDirectory() as folder:
        original = open_store(Path(folder) / "a.db", create=True)
        copy = open_store(Path(folder) / "b.db", create=True)
        try:
            for n, operation in enumerate(operations):
                apply(original, operation, TODAY - timedelta(days=len(operations) - n))
            dump = dump_board(original, TODAY).encode()

            report = restore_dump(copy, TODAY, "dump.json", dump)

            assert report.refusal is None
            assert_same_board(original, copy)
            assert dump_board(copy, TODAY).encode().count(b'"kind": "restored"') == 1
        finally:
            original.close()
            copy.close()


def test_the_dump_covers_every_table_of_the_schema(store):
    from pkanban.io.json_dump import TABLES as DUMPED

    names = {
        row[0]
        for row in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not row[0].startswith(("sqlite_", "search_fts"))  # the search index is derived
    }

    # a new table must be added to the dump; `notes` joins it with the dump's rewrite (issue 18)
    assert names == {*DUMPED, "board_meta", "notes"}
