"""Real-world CSV files: encodings, delimiters, broken quotes, odd headers, bad rows — each one
either imports exactly or is refused with the line to fix, never with a traceback."""

import json
from pathlib import Path

import pytest

HEADER = "id,title,stage,value,created,phone\n"


def write(tmp_path: Path, text: str | bytes, name: str = "deals.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return str(path)


def imported(shell, *args) -> tuple:
    result = shell("import", *args, "--json")
    return result, json.loads(result.stdout)


def cards(shell) -> list[dict]:
    return json.loads(shell("ls", "--all", "--json").output)


def test_a_utf8_bom_is_not_part_of_the_first_column_name(board_shell, tmp_path):
    path = write(tmp_path, "\ufeff" + HEADER + "1,Café Olé,Leads,1200,2026-11-01,+15550100\n")

    result, report = imported(board_shell, path)

    assert result.exit_code == 0, result.output
    assert report["mapping"][0] == {"column": "id", "field": "id"}
    assert [card["title"] for card in cards(board_shell)] == ["Café Olé"]


def test_windows_1252_is_read_and_the_fallback_is_reported(board_shell, tmp_path):
    path = write(tmp_path, (HEADER + "1,Café Müller,Leads,,2026-11-01,\n").encode("cp1252"))

    result, report = imported(board_shell, path)

    assert result.exit_code == 0, result.output
    assert report["encoding"] == "cp1252"
    assert any("Windows-1252" in note for note in report["notes"])
    assert cards(board_shell)[0]["title"] == "Café Müller"


def test_bytes_that_are_neither_utf8_nor_1252_are_refused_not_replaced(board_shell, tmp_path):
    path = write(tmp_path, HEADER.encode() + b"1,Caf\x81,Leads,,,\n")

    result = board_shell("import", path)

    assert result.exit_code == 1
    assert "neither UTF-8 nor Windows-1252" in result.stderr
    assert cards(board_shell) == []


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_semicolon_tab_and_pipe_files_are_sniffed(board_shell, tmp_path, delimiter):
    text = (
        HEADER.replace(",", delimiter)
        + delimiter.join(["1", "Acme, Inc", "Leads", "", "", ""])
        + "\n"
    )

    result, _ = imported(board_shell, write(tmp_path, text))

    assert result.exit_code == 0, result.output
    assert cards(board_shell)[0]["title"] == "Acme, Inc"


def test_utf16_with_a_bom_is_read(board_shell, tmp_path):
    text = (HEADER + "1,Zoë Ltd,Leads,,,\n").replace(",", "\t")

    result, _ = imported(board_shell, write(tmp_path, text.encode("utf-16")))

    assert result.exit_code == 0, result.output
    assert cards(board_shell)[0]["title"] == "Zoë Ltd"


def test_quoted_newlines_stay_in_their_cell_and_blank_lines_are_skipped(board_shell, tmp_path):
    text = 'id,title,next step\n\n1,"Acme\nCorp","Call\nAna"\n\n,,\n2,Globex,\n'

    result, report = imported(board_shell, write(tmp_path, text))

    assert result.exit_code == 0, result.output
    assert report["blank_lines"] == 3
    assert sorted((c["title"], c["next_step"]) for c in cards(board_shell)) == [
        ("Acme Corp", "Call Ana"),
        ("Globex", ""),
    ]


def test_duplicate_and_blank_headers_are_kept_reported_and_mappable(board_shell, tmp_path):
    text = "title,phone,phone,\nAcme,+1 555 0100,+1 555 0199,extra\n"

    result, report = imported(board_shell, write(tmp_path, text), "--dry-run")

    assert result.exit_code == 0, result.output
    assert any('repeats the header "phone"' in note for note in report["notes"])
    assert any("Column 4 has no name" in note for note in report["notes"])
    assert report["ignored_columns"] == ["phone (2)", "column 4"]

    result, report = imported(board_shell, write(tmp_path, text), "--map", "phone (2)=phone")
    assert result.exit_code == 0, result.output
    assert cards(board_shell)[0]["phone"] == "+1 555 0199"


def test_a_stray_quote_is_reported_with_its_line_and_nothing_is_imported(board_shell, tmp_path):
    text = 'id,title,value\n1,Acme,100\n2,"Globex,200\n3,Initech,300\n'

    result = board_shell("import", write(tmp_path, text))

    assert result.exit_code == 1
    assert "line 3: a quote opened here swallows lines 3–4 (2 lines)" in result.output
    assert "Nothing imported" in result.stderr
    assert cards(board_shell) == []


def test_a_quote_inside_a_quoted_cell_is_a_problem_for_that_line_only(board_shell, tmp_path):
    text = 'id,title,value\n1,"Acme "Big" Corp",100\n2,Globex,200\n'

    result, report = imported(board_shell, write(tmp_path, text), "--skip-bad")

    assert result.exit_code == 0, result.output
    assert [p["line"] for p in report["problems"]] == [2]
    assert [card["title"] for card in cards(board_shell)] == ["Globex"]


def test_a_row_with_the_wrong_number_of_cells_names_its_line(board_shell, tmp_path):
    text = "id,title,value\n1,Acme,100\n2,Globex,2,000\n"

    result, report = imported(board_shell, write(tmp_path, text))

    assert result.exit_code == 1
    assert report["problems"] == [
        {"line": 3, "message": "4 cells where the header has 3 — row skipped"}
    ]


def test_a_one_megabyte_cell_is_read_and_too_long_a_title_is_a_row_error(board_shell, tmp_path):
    big = "x" * 1_000_000
    text = f"id,title,notes\n1,Acme,{big}\n2,{big},short\n"

    result, report = imported(board_shell, write(tmp_path, text), "--skip-bad")

    assert result.exit_code == 0, result.output
    assert [card["title"] for card in cards(board_shell)] == ["Acme"]
    assert report["problems"][0]["line"] == 3
    assert "title is 1,000,000 characters long" in report["problems"][0]["message"]


def test_zip_codes_and_phone_numbers_stay_text(board_shell, tmp_path):
    text = "title,phone,zip\nAcme,0044 20 7946 0000,01234\nGlobex,+15550100,\n"

    result, _ = imported(board_shell, write(tmp_path, text))

    assert result.exit_code == 0, result.output
    assert sorted(card["phone"] for card in cards(board_shell)) == [
        "+15550100",
        "0044 20 7946 0000",
    ]


def test_every_bad_row_is_listed_and_the_file_is_all_or_nothing(board_shell, tmp_path):
    text = (
        "id,title,stage,value,created\n"
        "1,Acme,Leads,100,2026-11-01\n"
        "2,Globex,Leads,lots,2026-11-01\n"
        "3,Initech,Leads,100,2026-02-30\n"
        "4,Umbrella,Leads,100,2027-01-01\n"
        "5,,Leads,100,2026-11-01\n"
        "6,Hooli,Won,100,2026-11-01\n"
    )

    result, report = imported(board_shell, write(tmp_path, text))

    assert result.exit_code == 1
    assert [problem["line"] for problem in report["problems"]] == [3, 4, 5]
    assert "not an amount" in report["problems"][0]["message"]
    assert "not a real date" in report["problems"][1]["message"]
    assert "after today" in report["problems"][2]["message"]
    assert cards(board_shell) == []
    assert json.loads(board_shell("log", "--json").output) == []


def test_skip_bad_imports_the_readable_rows_in_one_action(board_shell, tmp_path):
    text = "id,title,value\n1,Acme,100\n2,Globex,lots\n3,Initech,300\n"

    result = board_shell("import", write(tmp_path, text), "--skip-bad")

    assert result.exit_code == 0, result.output
    assert "Problems (1 skipped: 1 line)" in result.output
    assert "line 3:" in result.output
    assert sorted(card["title"] for card in cards(board_shell)) == ["Acme", "Initech"]
    assert len(json.loads(board_shell("log", "--json").output)) == 1


def test_a_row_without_a_title_falls_back_to_the_id(board_shell, tmp_path):
    result, _ = imported(board_shell, write(tmp_path, "id,title\nD-17,\n"))

    assert result.exit_code == 0, result.output
    assert cards(board_shell)[0]["title"] == "D-17"


def test_a_file_without_a_title_column_asks_for_a_mapping(board_shell, tmp_path):
    result = board_shell("import", write(tmp_path, "foo,bar\n1,2\n"))

    assert result.exit_code == 1
    assert "--map COLUMN=title" in result.stderr
    assert '"foo", "bar"' in result.stderr


def test_empty_and_missing_files_are_refused_with_a_sentence(board_shell, tmp_path):
    assert "empty" in board_shell("import", write(tmp_path, "")).stderr
    assert "No file at" in board_shell("import", str(tmp_path / "nope.csv")).stderr


def test_a_database_or_a_workbook_is_refused_with_what_to_do(board_shell, db_path, tmp_path):
    database = board_shell("import", str(db_path))
    workbook = board_shell("import", write(tmp_path, b"PK\x03\x04rest-of-zip", "deals.xlsx"))

    assert "is an SQLite database, not a CSV export" in database.stderr
    assert "save it as CSV" in workbook.stderr
