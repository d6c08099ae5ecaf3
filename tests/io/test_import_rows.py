"""Every distinct row of a leads file becomes its own card: repeats are named by line, the
board's own export is recognised, and a stray quote is a problem at its line, never a merged
card. Every physical line of the file is accounted for."""

import json
import sqlite3
from pathlib import Path

from pkanban.io import csv_import


def write(tmp_path: Path, text: str, name: str = "leads.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def imported(shell, *args, board: tuple[str, ...] = ()) -> tuple:
    result = shell(*board, "import", *args, "--json")
    return result, json.loads(result.stdout)


def cards(shell, *board: str) -> list[dict]:
    return json.loads(shell(*board, "ls", "--all", "--json").output)


def accounted(report: dict) -> bool:
    return sum(report["lines"].values()) == report["physical_lines"]


def test_three_contacts_at_one_company_are_three_cards(board_shell, tmp_path):
    path = write(
        tmp_path,
        "company,value,contact,email\n"
        "Acme Corp,12000,Ana,ana@acme.test\n"
        "Acme Corp,12000,Bob,bob@acme.test\n"
        "Acme Corp,12000,Cy,cy@acme.test\n",
    )

    result, report = imported(board_shell, path)

    assert result.exit_code == 0, result.output
    assert report["duplicates"] == []
    assert sorted(card["contact"] for card in cards(board_shell)) == ["Ana", "Bob", "Cy"]
    assert report["lines"]["imported"] == 3 and accounted(report)


def test_two_identical_rows_are_one_card_and_the_report_names_the_line(board_shell, tmp_path):
    path = write(
        tmp_path,
        "company,value,contact\nAcme Corp,12000,Ana\nBeta,500,Bob\nAcme Corp,12000,Ana\n",
    )

    result = board_shell("import", path)

    assert result.exit_code == 0, result.output
    assert "line 4 is the same as line 2 (every field equal): skipped" in result.output
    assert "Lines: 4 in the file = 1 header + 2 imported + 1 repeated in the file" in (
        result.output
    )
    assert sorted(card["title"] for card in cards(board_shell)) == ["Acme Corp", "Beta"]


def test_a_changed_row_of_a_file_imported_before_is_a_new_card(board_shell, tmp_path):
    board_shell("import", write(tmp_path, "company,contact\nAcme Corp,Ana\n"))

    _, report = imported(
        board_shell, write(tmp_path, "company,contact\nAcme Corp,Ana\nAcme Corp,Bob\n", "b.csv")
    )

    assert (report["already_present"], report["imported"]) == (1, 1)
    assert report["lines"] == report["lines"] | {"already_present": 1, "imported": 1}


def demo_export(shell, tmp_path: Path) -> str:
    assert shell("demo").exit_code == 0
    path = tmp_path / "board.csv"
    assert shell("export", "--format", "csv", "-o", str(path)).exit_code == 0
    return str(path)


def test_the_boards_own_export_imported_into_the_same_board_changes_nothing(shell, tmp_path):
    path = demo_export(shell, tmp_path)
    before = shell("ls", "--all", "--json").output
    log_before = shell("log", "--json").output

    result, report = imported(shell, path)

    assert result.exit_code == 0, result.output
    assert report["cards"] == 0
    assert report["already_present"] == len(json.loads(before))
    assert report["lines"]["already_present"] == report["physical_lines"] - 1
    assert shell("ls", "--all", "--json").output == before
    assert shell("log", "--json").output == log_before
    assert "Nothing new to import; the board is unchanged." in shell("import", path).output


FIELDS = (
    "title",
    "value",
    "stage",
    "lane",
    "disposition",
    "contact",
    "email",
    "phone",
    "source",
    "tags",
    "next_step",
    "next_due",
    "created",
    "closed",
    "lost_reason",
)


def same_cards(listing: list[dict]) -> list[tuple]:
    return sorted(tuple(str(card[field]) for field in FIELDS) for card in listing)


def test_the_export_imported_into_a_fresh_board_reproduces_the_cards(shell, tmp_path):
    path = demo_export(shell, tmp_path)
    fresh = ("--db", str(tmp_path / "fresh.db"))
    shell(*fresh, "init")

    result, report = imported(shell, path, board=fresh)
    again, second = imported(shell, path, board=fresh)

    assert result.exit_code == 0, result.output
    assert same_cards(cards(shell, *fresh)) == same_cards(cards(shell))
    assert {card["disposition"] for card in cards(shell, *fresh)} == {"open", "won", "lost"}
    assert again.exit_code == 0 and second["cards"] == 0
    assert second["already_present"] == report["cards"]


def test_the_copys_export_is_recognised_back_on_the_first_board(shell, tmp_path):
    path = demo_export(shell, tmp_path)
    fresh = ["--db", str(tmp_path / "fresh.db")]
    shell(*fresh, "init")
    shell(*fresh, "import", path)
    back = tmp_path / "copy.csv"
    shell(*fresh, "export", "--format", "csv", "-o", str(back))
    before = shell("ls", "--all", "--json").output

    _, report = imported(shell, str(back))

    assert report["cards"] == 0
    assert shell("ls", "--all", "--json").output == before


def test_another_boards_card_number_is_never_taken_for_this_boards_card(shell, tmp_path):
    other = ["--db", str(tmp_path / "other.db")]
    shell(*other, "init")
    shell(*other, "add", "Globex")
    path = tmp_path / "other.csv"
    shell(*other, "export", "--format", "csv", "-o", str(path))
    shell("init")
    shell("add", "Acme")  # card #1 here too, created the same day

    _, report = imported(shell, str(path))

    assert report["cards"] == 1
    assert sorted(card["title"] for card in cards(shell)) == ["Acme", "Globex"]


def test_a_board_from_before_board_ids_gets_one_when_opened(shell, db_path):
    shell("init")
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM board_meta WHERE key = 'board_id'")
    conn.commit()
    conn.close()

    shell("add", "Acme")
    text = shell("export", "--format", "csv").output

    assert text.splitlines()[1].rsplit(",", 1)[1].endswith("/1")
    assert len(text.splitlines()[1].rsplit(",", 1)[1]) == 34  # 32 hex digits, "/1"


STRAY = (
    "title,value,contact\n"
    "Zeta,1,Zoe\n"
    "Eta,2,Eli\n"
    '"Acme Corp,12000,Ana\n'
    "Beta Ltd,5000,Bob\n"
    'Gamma Inc",7000,Cy\n'
    "Delta,9,Dee\n"
)


def test_a_stray_quote_is_a_problem_at_its_opening_line_and_nothing_is_merged(
    board_shell, tmp_path
):
    result = board_shell("import", write(tmp_path, STRAY))

    assert result.exit_code == 1
    assert (
        "line 4: a quote opened here swallows lines 4–6 (3 lines) — close it or remove it"
        in result.output
    )
    assert "Nothing imported" in result.stderr
    assert cards(board_shell) == []


def test_skip_bad_counts_the_physical_lines_a_stray_quote_swallowed(board_shell, tmp_path):
    result, report = imported(board_shell, write(tmp_path, STRAY), "--skip-bad")
    text = board_shell("import", write(tmp_path, STRAY), "--skip-bad", "--dry-run").output

    assert result.exit_code == 0, result.output
    assert sorted(card["title"] for card in cards(board_shell)) == ["Delta", "Eta", "Zeta"]
    assert report["skipped_bad"] == 3
    assert report["lines"]["skipped"] == 3 and report["lines"]["imported"] == 3
    assert accounted(report)
    assert "Problems (1 skipped: 3 lines)" in text


def test_a_quote_that_never_closes_counts_every_line_to_the_end(board_shell, tmp_path):
    rows = "".join(f"Deal {n},{n},Sam\n" for n in range(1, 101))
    text = f'title,value,contact\nAcme,1,Ana\n"Beta,2,Bob\n{rows}'

    result, report = imported(board_shell, write(tmp_path, text), "--skip-bad")

    assert result.exit_code == 0, result.output
    assert [card["title"] for card in cards(board_shell)] == ["Acme"]
    assert report["skipped_bad"] == 101
    assert "swallows lines 3–103 (101 lines)" in report["problems"][0]["message"]
    assert accounted(report)


def test_a_note_on_two_lines_still_imports_as_one_card(board_shell, tmp_path):
    text = 'title,value,next step\nAcme,100,"Call Ana\nthen send the deck"\nBeta,5,Email\n'

    result, report = imported(board_shell, write(tmp_path, text))

    assert result.exit_code == 0, result.output
    assert [card["next_step"] for card in cards(board_shell)] == [
        "Call Ana then send the deck",
        "Email",
    ]
    assert report["lines"]["imported"] == 3 and accounted(report)


def test_an_over_long_cell_is_a_problem_at_its_line(board_shell, tmp_path, monkeypatch):
    monkeypatch.setattr(csv_import, "MAX_CELL", 1000)
    text = f"title,notes\nAcme,short\nBeta,{'x' * 2000}\nGamma,short\n"

    result, report = imported(board_shell, write(tmp_path, text), "--skip-bad")

    assert result.exit_code == 0, result.output
    assert report["problems"][0]["line"] == 3
    assert "longer than 1,000 characters" in report["problems"][0]["message"]
    assert sorted(card["title"] for card in cards(board_shell)) == ["Acme", "Gamma"]
    assert accounted(report)


OSC = "\x1b]52;c;aGk=\x07"


def test_escape_sequences_in_cells_headers_and_options_never_reach_the_terminal(
    board_shell, tmp_path
):
    stage_cell = write(tmp_path, f"title,stage\nAcme,{OSC}Evil\x1b]0;pwned\x07\n")
    header = write(tmp_path, f"title,{OSC}notes\x9b31m\nAcme,1\n", "h.csv")

    results = [
        board_shell("import", stage_cell),
        board_shell("import", stage_cell, "--json"),
        board_shell("import", header, "--where", f"{OSC}col=1"),
        board_shell("import", header, "--where", f"title={OSC}"),
        board_shell("import", header, "--map", f"{OSC}=title"),
        board_shell("import", header, "--stage-map", f"{OSC}=nowhere"),
        board_shell("import", header, "--json"),
    ]

    assert 'Unknown stages in the file: "Evil"' in results[0].stderr
    for result in results:
        for stream in (result.stdout, result.stderr):
            assert "\x1b" not in stream and "\x07" not in stream and "\x9b" not in stream


def test_a_stray_quote_in_the_header_refuses_the_file_with_its_lines(board_shell, tmp_path):
    text = 'title,"value,contact\nAcme,1,Ana\nBeta",2,Bob\n'

    result = board_shell("import", write(tmp_path, text))

    assert result.exit_code == 1
    assert "a quote opened on line 1 swallows lines 1–3" in result.stderr
    assert cards(board_shell) == []
