"""The import report: what was read, where the cards go, and every problem — as data (the
options a user gave and the `ImportReport` both imports fill in) and in words (`report_lines`)."""

import json
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import date

from pkanban.domain.money import format_money
from pkanban.domain.text import clean_text, counted
from pkanban.io.csv_import import Problem
from pkanban.io.values import DateOrder
from pkanban.store import board

SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class ImportOptions:
    """What the user said about the file (`pkanban import` options, or the TUI dialog)."""

    maps: tuple[tuple[str, str], ...] = ()
    stage_maps: tuple[tuple[str, str], ...] = ()
    wheres: tuple[tuple[str, str], ...] = ()
    lane: str | None = None
    dates: DateOrder = "iso"
    skip_bad: bool = False
    dry_run: bool = False


@dataclass
class ImportReport:
    """Everything the preview and the final report show; `refusal` set means nothing changed."""

    file: str
    dry_run: bool
    kind: str = "csv"
    encoding: str = ""
    delimiter: str = ""
    source: str | None = None
    mapping: list[tuple[str, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows: int = 0
    blank_lines: int = 0
    where: list[str] = field(default_factory=list)
    matched: int = 0
    placed: dict[str, dict[str, int]] = field(default_factory=dict)  # disposition → stage → n
    over_limits: list[dict] = field(default_factory=list)  # {name, what, count, limit, over}
    pool: str | None = None
    undated: int = 0
    unvalued_open: int = 0  # open deals imported without a value: unknown, not $0
    already_present: int = 0
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    duplicate_rule: str = ""  # "same id" or "every field equal"
    unknown_stages: dict[str, list[int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skipped_bad: int = 0  # physical lines skipped with --skip-bad
    physical_lines: int = 0
    lines: dict[str, int] = field(default_factory=dict)  # what became of each physical line
    preview: list[dict] = field(default_factory=list)
    imported: int = 0
    best_by: str = ""
    refusal: str | None = None

    @property
    def cards(self) -> int:
        """Cards the import creates (or would create, in a dry run)."""
        return sum(sum(stages.values()) for stages in self.placed.values())

    def as_json(self) -> dict:
        data = asdict(self)
        data["problems"] = [{"line": p.line, "message": p.message} for p in self.problems]
        data["duplicates"] = [{"line": a, "same_as": b} for a, b in self.duplicates]
        data["mapping"] = [{"column": c, "field": f} for c, f in self.mapping]
        data["cards"] = self.cards
        return data


class Rollback(Exception):
    """Raised inside the transaction to undo a dry run or a refused import."""


def over_limits(conn: sqlite3.Connection) -> list[dict]:
    """Stages and lanes an import or a dump fills past their limit: kept, and said."""
    return [
        {"name": w.name, "what": w.what, "count": w.count, "limit": w.limit, "over": w.over}
        for w in board.wip_now(conn)
        if w.over
    ]


def report_json(report: ImportReport) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=1)


def report_lines(report: ImportReport, currency: str, today: date) -> list[str]:
    """The import report as aligned plain-text lines (user text cleaned), for the CLI and the
    TUI's import dialog alike."""
    lines: list[str] = []
    echo = lines.append
    head = "Import preview" if report.dry_run else "Import"
    echo(f"{head}: {clean_text(report.file)}" + (" — dry run, nothing written" * report.dry_run))
    if report.kind == "json":
        echo("A pkanban JSON dump: the whole board with its history")
    else:
        source = f" · looks like {report.source}" if report.source else ""
        echo(
            f"Read {_rows(report.rows)} ({report.encoding}, {report.delimiter}-separated"
            f"{f', {report.blank_lines} blank lines skipped' if report.blank_lines else ''})"
            f"{source}"
        )
        if report.where:
            echo(f"--where {' and '.join(report.where)}: {_rows(report.matched)} match")
        echo("\nMapping (column → field)")
        width = max((len(column) for column, _ in report.mapping), default=0)
        for column, fld in report.mapping:
            echo(f"  {clean_text(column):<{width}}  → {fld}")
        if report.ignored_columns:
            ignored = ", ".join(clean_text(column) for column in report.ignored_columns)
            echo(f"  not imported: {ignored}")
    for note in report.notes:
        echo(f"  note: {clean_text(note)}")
    echo(f"\nCards: {report.cards:,}")
    for disposition in ("open", "won", "lost", "cleared"):
        for index, (stage, count) in enumerate(report.placed.get(disposition, {}).items()):
            label = disposition if index == 0 else ""
            echo(f"  {label:<6} {clean_text(stage):<14} {count:>6,}")
    if report.unvalued_open:
        echo(
            f"  {report.unvalued_open:,} open deal{'s' * (report.unvalued_open != 1)} without a"
            " value: shown as —, left out of every sum (not $0)"
        )
    if report.undated:
        echo(f"  {_rows(report.undated)} had no date: dated {today} (the import day)")
    if report.already_present:
        echo(f"  {_rows(report.already_present)} already on the board: skipped")
    why = report.duplicate_rule or "same id"
    for line, first in report.duplicates[:SHOWN_PROBLEMS]:
        echo(f"  line {line} is the same as line {first} ({why}): skipped")
    if len(report.duplicates) > SHOWN_PROBLEMS:
        echo(f"  … {len(report.duplicates) - SHOWN_PROBLEMS} more repeated rows")
    if report.best_by:
        echo(f"Best-by afterwards: {clean_text(report.best_by)}")
    if report.preview:
        echo("\nFirst cards")
        for card in report.preview:
            value = format_money(card["value"], currency) if card["value"] is not None else "—"
            dates = card["created"] + (f" → {card['closed']}" if card["closed"] else "")
            echo(
                f"  line {card['line']:<5} {clean_text(card['title'])[:34]:<34}"
                f" {card['disposition']:<5} {clean_text(card['stage'])[:12]:<12}"
                f" {value:>7}  {dates}"
            )
    lines.extend(_problem_lines(report))
    lines.extend(_line_accounting(report))
    if not report.refusal:
        if not report.cards:
            echo("\nNothing new to import; the board is unchanged.")
        elif report.dry_run:
            echo(
                f"\nWould import {counted(report.cards, 'card')}"
                " — run again without --dry-run to import."
            )
        elif report.kind == "json":
            echo(f"\nRestored {counted(report.imported, 'card')} with their history.")
        else:
            echo(
                f"\nImported {counted(report.imported, 'card')}"
                " as one action (`pkanban undo` reverts it)."
            )
    lines.extend(_over_limit_lines(report))
    return lines


def _over_limit_lines(report: ImportReport) -> list[str]:
    """What the board holds past its limits afterwards, and the way back under."""
    if report.refusal or not report.over_limits:
        return []
    kept = "would keep" if report.dry_run else "kept"
    lines = [f"\nOver the WIP limit — cards already being worked {kept} their place:"]
    for over in report.over_limits:
        label = over["name"] if over["what"] == "stage" else f"{over['name']} lane"
        lines.append(
            f"  {clean_text(label)} {over['count']:,}/{over['limit']} · over by {over['over']:,}"
        )
    lines.append(
        "These take no new cards until they are under. The way back: the clearance wizard"
        " (c in the app, or pkanban clearance), or finish work (won / lost)."
    )
    return lines


_LINE_LABELS = (
    ("header", "header"),
    ("imported", "imported"),
    ("duplicate", "repeated in the file"),
    ("already_present", "already on the board"),
    ("skipped", "skipped (problems)"),
    ("blank", "blank"),
    ("not_matched", "not matched by --where"),
    ("unknown_stage", "unknown stage"),
    ("stage_skip", "skipped by --stage-map"),
)


def _line_accounting(report: ImportReport) -> list[str]:
    """Every physical line of the file, by what became of it."""
    if report.kind != "csv" or not report.lines:
        return []
    labels = dict(_LINE_LABELS)
    if report.refusal or report.dry_run:
        labels["imported"] = "to import"
        if report.refusal:
            labels["skipped"] = "with problems"
    parts = [
        f"{report.lines[key]:,} {labels[key]}"
        for key, _ in _LINE_LABELS
        if report.lines.get(key) or key == "imported"
    ]
    total = report.physical_lines
    return [f"\nLines: {total:,} in the file = {' + '.join(parts)}"]


def _rows(count: int) -> str:
    return f"{count:,} row{'s' * (count != 1)}"


def _problem_lines(report: ImportReport) -> list[str]:
    lines: list[str] = []
    if report.unknown_stages:
        lines.append("\nUnknown stages")
        for value, on_lines in report.unknown_stages.items():
            first = ", ".join(str(line) for line in on_lines[:5])
            more = f", … ({_rows(len(on_lines))})" if len(on_lines) > 5 else ""
            where = "lines" if len(on_lines) > 1 else "line"
            lines.append(f'  "{clean_text(value)}" on {where} {first}{more}')
    if not report.problems:
        return lines
    if report.skipped_bad:
        lines_skipped = f"{report.skipped_bad:,} line{'s' * (report.skipped_bad != 1)}"
        lines.append(f"\nProblems ({len(report.problems)} skipped: {lines_skipped})")
    else:
        lines.append(f"\nProblems ({len(report.problems)} to fix)")
    for problem in report.problems[:SHOWN_PROBLEMS]:
        lines.append(f"  {clean_text(str(problem))}")
    if len(report.problems) > SHOWN_PROBLEMS:
        lines.append(
            f"  … and {len(report.problems) - SHOWN_PROBLEMS} more (--json lists them all)"
        )
    return lines
