"""Hostile text through CSV import and back out through every export: stored as typed
(control characters stripped), and no export's structure changes."""

import csv
import io
import json

from markdown_it import MarkdownIt

from pkanban.cli.main import cli
from pkanban.domain.text import clean_text
from tests.reliability.corpus import CORPUS
from tests.reliability.tally import record

TITLES = [t for t in CORPUS if clean_text(t).strip() and len(clean_text(t).strip()) <= 2000]
NEVER = {"link_open", "image", "html_inline", "html_block"}


def write_csv(path, titles):
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["Deal Name", "Amount", "Deal Stage", "Create Date", "Next Step"])
        for n, title in enumerate(titles):
            writer.writerow([title, 1000 + n, "Leads", "2026-11-01", title])


def shape(markdown: str) -> list[str]:
    """Every markdown token but plain text: the document's structure."""
    types = []
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        types.append(token.type)
        types.extend(child.type for child in token.children or [] if child.type != "text")
    return types


def board(shell, path):
    def run(*args):
        return shell.runner.invoke(
            cli, ["--db", str(path), "--today", shell.today.isoformat(), *args]
        )

    assert run("init").exit_code == 0
    return run


def test_hostile_titles_survive_import_and_every_export(shell, tmp_path):
    hostile_csv, plain_csv = tmp_path / "hostile.csv", tmp_path / "plain.csv"
    write_csv(hostile_csv, TITLES)
    write_csv(plain_csv, [f"Deal {n}" for n in range(len(TITLES))])
    hostile, plain = board(shell, tmp_path / "hostile.db"), board(shell, tmp_path / "plain.db")
    assert hostile("import", str(hostile_csv)).exit_code == 0
    assert plain("import", str(plain_csv)).exit_code == 0

    stored = {c["title"] for c in json.loads(hostile("ls", "--json").output)}
    for title in TITLES:
        record("hostile import row", clean_text(title).strip() in stored)
    assert stored == {clean_text(t).strip() for t in TITLES}

    for fmt in ("md", "obsidian"):
        hostile_shape = shape(hostile("export", "--format", fmt).output)
        survived = hostile_shape == shape(plain("export", "--format", fmt).output)
        survived = survived and not NEVER & set(hostile_shape)
        record(f"hostile {fmt} export", survived)
        assert survived, fmt

    rows = list(csv.DictReader(io.StringIO(hostile("export", "--format", "csv").output)))
    cells = [value for row in rows for value in row.values() if value]
    survived = not any(
        cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells if not _number(cell)
    )
    record("hostile csv export", survived)
    assert survived

    dump = tmp_path / "dump.json"
    dump.write_text(hostile("export", "--format", "json").output)
    fresh = board(shell, tmp_path / "fresh.db")
    assert fresh("import", str(dump)).exit_code == 0
    survived = fresh("ls", "--all", "--json").output == hostile("ls", "--all", "--json").output
    record("hostile json round trip", survived)
    assert survived


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True
