"""Notes on cards and searching everything, as a seller uses them from the shell."""

import json
import sqlite3

import pytest

from pkanban.domain.search import fts_query
from pkanban.store.database import open_store
from pkanban.store.schema import TALLY_TABLES, _add_notes_and_search


def add(shell, *args) -> int:
    result = shell("add", *args)
    assert result.exit_code == 0, result.output
    return int(result.output)


def hits(shell, *args) -> list[dict]:
    result = shell("search", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_note_is_dated_kept_as_typed_and_shown_by_show(board_shell):
    card = add(board_shell, "Acme Corp")
    text = "# Call recap\n- budget **frozen** until Q2\n[deck](http://x) \x1b]0;pwned\x07"

    result = board_shell("note", str(card), text)

    assert result.output == f"#{card} note 1 added\n"
    shown = json.loads(board_shell("show", str(card), "--json").output)
    assert shown["notes"] == [
        {
            "id": 1,
            "day": "2026-11-25",
            "edited": None,
            "text": "# Call recap\n- budget **frozen** until Q2\n[deck](http://x)",
        }
    ]
    plain = board_shell("show", str(card)).output
    assert (
        "Notes\n  2026-11-25  note 1\n    # Call recap\n    - budget **frozen** until Q2\n" in plain
    )
    assert "\x1b" not in plain


def test_a_note_can_be_edited_and_undo_takes_the_edit_back(board_shell):
    card = add(board_shell, "Acme Corp")
    board_shell("note", str(card), "first thought")

    assert board_shell("note", str(card), "--edit", "1", "second thought").exit_code == 0
    notes = json.loads(board_shell("show", str(card), "--json").output)["notes"]
    assert (notes[0]["text"], notes[0]["edited"]) == ("second thought", "2026-11-25")

    board_shell("undo")
    notes = json.loads(board_shell("show", str(card), "--json").output)["notes"]
    assert (notes[0]["text"], notes[0]["edited"]) == ("first thought", None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("note", "1", "   "), "The note cannot be empty"),
        (("note", "1", "x" * 20001), "the most is 20,000"),
        (("note", "9", "hello"), "No card #9"),
        (("note", "1", "--edit", "7", "hello"), "No note 7 on #1"),
    ],
)
def test_a_bad_note_is_refused_in_one_line_and_changes_nothing(board_shell, args, message):
    add(board_shell, "Acme Corp")

    result = board_shell(*args)

    assert result.exit_code == 1
    assert message in result.stderr
    assert json.loads(board_shell("show", "1", "--json").output)["notes"] == []


def test_search_finds_words_spread_over_contact_and_touch(board_shell):
    acme = add(board_shell, "Acme Corp", "--contact", "Ana Lima")
    add(board_shell, "Globex", "--contact", "Ana Silva")
    board_shell("touch", str(acme), "--text", "She mentioned a budget freeze until Q2")

    found = hits(board_shell, "ana budget freeze")

    assert [hit["id"] for hit in found] == [acme]
    assert {match["field"] for match in found[0]["matches"]} == {"contact", "touch"}
    assert "budget freeze" in found[0]["matches"][1]["snippet"]


def test_search_covers_notes_next_steps_and_blocked_and_lost_reasons(board_shell):
    noted = add(board_shell, "One")
    board_shell("note", str(noted), "procurement wants a pilot")
    stepped = add(board_shell, "Two", "--next", "send the pilot plan")
    blocked = add(board_shell, "Three")
    board_shell("block", str(blocked), "legal reviewing the pilot")
    lost = add(board_shell, "Four")
    board_shell("lost", str(lost), "--reason", "chose a pilot elsewhere")

    assert {hit["id"] for hit in hits(board_shell, "pilot")} == {noted, stepped, blocked}
    every = {hit["id"]: hit for hit in hits(board_shell, "pilot", "--all")}
    assert set(every) == {noted, stepped, blocked, lost}
    assert every[lost]["disposition"] == "lost"
    assert (every[noted]["field"], every[stepped]["field"], every[lost]["field"]) == (
        "note",
        "next step",
        "reason",
    )


def test_a_title_match_ranks_above_a_passing_mention(board_shell):
    mention = add(board_shell, "Globex")
    board_shell("touch", str(mention), "--text", "they compared us with Initech and two others")
    titled = add(board_shell, "Initech")

    assert [hit["id"] for hit in hits(board_shell, "initech")] == [titled, mention]


def test_the_last_word_is_a_prefix_and_accents_do_not_matter(board_shell):
    card = add(board_shell, "Café Acme")

    assert [hit["id"] for hit in hits(board_shell, "acm")] == [card]
    assert [hit["id"] for hit in hits(board_shell, "cafe acme")] == [card]


@pytest.mark.parametrize(
    "query",
    ['"', '"unbalanced', "NEAR(", "NEAR(a b", "*", "acme*", "-acme", "a - b", "AND", "OR NOT",
     "title:acme", "title:", "^acme", "(", ")", "{a b}", ":", "'", "\x1b[31m", "a\x00b", "+",
     "🙂", "AND OR NOT NEAR"],
)  # fmt: skip
def test_hostile_queries_are_searched_as_words_and_never_raise(board_shell, query):
    add(board_shell, "Acme Corp")

    result = board_shell("search", "--all", "--", query)

    assert result.exit_code == 0, result.output + result.stderr
    assert "Traceback" not in result.output


def test_fts_syntax_in_a_query_is_quoted_word_by_word():
    assert fts_query('acme "big" NEAR(') == '"acme" """big""" "NEAR("*'
    assert fts_query("* - :") is None


def test_an_overlong_query_is_refused_in_one_line(board_shell):
    result = board_shell("search", "x " * 400)

    assert result.exit_code == 1
    assert "the most is 500" in result.stderr


def test_undoing_a_note_removes_it_from_search(board_shell):
    card = add(board_shell, "Acme Corp")
    board_shell("note", str(card), "wants a kangaroo mascot")
    assert [hit["id"] for hit in hits(board_shell, "kangaroo")] == [card]

    board_shell("undo")

    assert hits(board_shell, "kangaroo") == []
    assert "No open card matches" in board_shell("search", "kangaroo").output


def test_an_edited_title_is_found_by_its_new_name_only(board_shell):
    card = add(board_shell, "Acme Corp")
    board_shell("edit", str(card), "--title", "Umbrella Inc")

    assert hits(board_shell, "acme") == []
    assert [hit["id"] for hit in hits(board_shell, "umbrella")] == [card]


def test_the_plain_output_names_the_card_its_status_and_the_matching_text(board_shell):
    card = add(board_shell, "Acme Corp")
    board_shell("won", str(card))

    output = board_shell("search", "acme", "--all").output

    assert output == f"#{card}  Acme Corp  [won]\n    title: Acme Corp\n"


def test_the_migration_indexes_the_cards_notes_and_touches_already_there(db_path):
    store = open_store(db_path, create=True)
    conn = store.conn
    conn.execute(
        "INSERT INTO cards (id, title, contact_name, lane_id, stage_id, created, entered_stage)"
        " VALUES (1, 'Acme', 'Ana', 1, 1, '2026-01-01', '2026-01-01')"
    )
    conn.execute(
        "INSERT INTO touches (card_id, day, kind, text) VALUES (1, '2026-01-02', 'call', 'budget')"
    )
    conn.execute("INSERT INTO notes (card_id, day, text) VALUES (1, '2026-01-03', 'kangaroo')")
    # As a board from before the migrations: no notes table, no index, no account.
    for name in [
        row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    ]:
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP TABLE search_fts")
    conn.execute("DROP VIEW search_source")
    conn.execute("DELETE FROM notes")
    conn.execute("DROP TABLE notes")
    conn.execute("DROP INDEX cards_account")
    conn.execute("ALTER TABLE cards DROP COLUMN account")
    conn.execute("ALTER TABLE cards DROP COLUMN close_by")
    conn.execute("DROP INDEX cards_closed_early")
    for table in TALLY_TABLES:
        conn.execute(f"DROP TABLE {table}")
    conn.execute("PRAGMA user_version = 1")
    store.close()

    store = open_store(db_path)  # migrates to the current version
    try:
        indexed = store.conn.execute(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH 'ana budget'"
        ).fetchall()
        assert indexed == [(1,)]
    finally:
        store.close()


def test_the_migration_function_rebuilds_the_index_for_rows_present():
    conn = sqlite3.connect(":memory:")
    from pkanban.store.schema import _create_v1

    _create_v1(conn)
    conn.execute(
        "INSERT INTO cards (title, next_step, lane_id, stage_id, created, entered_stage)"
        " VALUES ('Initech', 'demo', 1, 1, '2026-01-01', '2026-01-01')"
    )
    _add_notes_and_search(conn)

    assert conn.execute(
        "SELECT rowid FROM search_fts WHERE search_fts MATCH 'demo'"
    ).fetchall() == [(1,)]


def test_a_board_with_notes_still_exports_its_json_dump(board_shell):
    card = add(board_shell, "Acme Corp")
    board_shell("note", str(card), "a note")

    result = board_shell("export", "--format", "json")

    assert result.exit_code == 0
    assert json.loads(result.output)["cards"][0]["title"] == "Acme Corp"


def test_a_word_in_too_many_cards_is_ranked_among_the_newest_and_says_so(board_shell, monkeypatch):
    from pkanban.store import search as search_store

    monkeypatch.setattr(search_store, "RANKED_AT_MOST", 2)
    ids = [add(board_shell, f"Acme branch {n}") for n in range(4)]

    result = board_shell("search", "acme", "--json")

    assert sorted(hit["id"] for hit in json.loads(result.stdout)) == ids[-2:]
    assert "add a word to narrow the search" in result.stderr
    assert "narrow" not in board_shell("search", "branch 1").stderr


def test_a_long_note_can_come_from_stdin(board_shell):
    from pkanban.cli.main import cli

    card = add(board_shell, "Acme Corp")
    db = ["--db", str(board_shell.db_path), "--today", board_shell.today.isoformat()]

    result = board_shell.runner.invoke(
        cli, [*db, "note", str(card), "-"], input="## Recap\n\n- pilot in March\n"
    )

    assert result.exit_code == 0, result.output
    [note] = json.loads(board_shell("show", str(card), "--json").output)["notes"]
    assert note["text"] == "## Recap\n\n- pilot in March"


def test_a_board_another_process_just_migrated_is_not_migrated_twice(store):
    from pkanban.store.schema import SCHEMA_VERSION, migrate

    with store.transaction():
        migrate(store.conn, 1)  # as a process that read version 1 before the other migrated

    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_search_finds_a_card_by_its_account(shell):
    shell("init")
    shell("add", "Renewal 2027", "--account", "Vandelay Industries")
    shell("add", "Kramerica")

    hits = json.loads(shell("search", "vandelay", "--json").output)

    assert [hit["title"] for hit in hits] == ["Renewal 2027"]
    assert "account" in shell("search", "vandelay").output
