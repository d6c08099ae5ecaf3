"""Importing a CRM's CSV export (or, by its content, a pkanban JSON dump: services/dump.py).

An import is one action in one transaction: every row is checked against the WIP rule
(`check_wip`, through `CardBatch`) and validated like a card added by hand, then written with
its event (`insert_card`'s row and snapshot, a chunk of rows per statement), so the import
appears in the history, is undone as a whole, and a failure or a kill at any row leaves the board
exactly as it was. A dry run does the same work and rolls it back, so the preview's figures are
the import's figures.

Which rows are already on the board: a row whose key (io/records.py: the CRM id, every mapped
field, or the exported card's key) a card already carries; and a row of a pkanban CSV export
that names a card of *this* board (its `pkanban_id`, or the `pkanban:<board>/<n>` key a copy
of the card was imported under, names this board's id) when card #n is here and was created on
the same day — so exporting and importing into the same board changes nothing, and a board's
export imported into a copy and exported back is recognised too. A row is never matched by card
number alone: card #5 of another board is not card #5 here.

Every physical line of the file is accounted for in `ImportReport.lines`: the header, blank
lines, rows imported, repeated in the file, already present, skipped or blocked by a problem
(all the lines a stray quote swallowed), left out by --where or by the stage map.

Placement: won and lost rows are archived with their own dates (won in the last active stage,
lost in the first, unless the file names the stage). "Start with what you do now" (DESIGN §3):
open rows a CRM has in an active stage are deals being worked, and keep that stage even past
its WIP limit (`check_wip(..., in_progress=True)`); only new leads go to the pool, through the
usual gate. The report ends with every stage and lane now over its limit, and the way back under.

The file is never held whole (a million-row export stays within a few tens of MB): a first
pass checks its encoding, a second reads it a row at a time and writes in the transaction;
`import_csv_source` says how. These functions are safe to call from a worker thread (the
connection allows it); `progress` is called with (kilobytes read, kilobytes in the file) on
each pass, `passes` with the name of the pass starting.
"""

import codecs
import io
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pkanban.domain.errors import InvalidInput, PkanbanError
from pkanban.domain.models import Lane, Stage
from pkanban.domain.text import clean_text
from pkanban.io import files
from pkanban.io.csv_import import CsvFile, Opener, Problem, Row
from pkanban.io.mapping import Mapping, StageResolver, resolve_mapping
from pkanban.io.records import Record, RecordBuilder, Records
from pkanban.services.cards import CardBatch, default_lane, default_stage
from pkanban.services.dump import SQLITE_HEADER, restore_dump
from pkanban.services.import_report import (
    ImportOptions,
    ImportReport,
    Rollback,
    over_limits,
)
from pkanban.store import board, transfer
from pkanban.store.database import ActionLog, Store

Progress = Callable[[int, int], None]
Passes = Callable[[str], None]
_CHUNK = 1 << 16
PREVIEW_ROWS = 5
_PROGRESS_EVERY = 250
_CACHE_MIB = 16  # SQLite's page cache while importing (within the 150 MB the import may use)


def import_file(
    store: Store,
    today: date,
    path: Path,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
    passes: Passes | None = None,
) -> ImportReport:
    """Import a CSV export, or restore a pkanban JSON dump (by its content); `-` is stdin."""
    options = options or ImportOptions()
    with files.open_input(path) as (name, opener):
        with opener() as handle:
            head = handle.read(len(SQLITE_HEADER))
            while head.removeprefix(codecs.BOM_UTF8).isspace():
                more = handle.read(_CHUNK)
                if not more:
                    break
                head = head.removeprefix(codecs.BOM_UTF8).lstrip() + more
        if head.startswith(SQLITE_HEADER):
            raise InvalidInput(
                f"{name} is an SQLite database, not a CSV export — to bring back a backup"
                " use `pkanban restore`"
            )
        if head.startswith(b"PK\x03\x04"):
            raise InvalidInput(
                f"{name} looks like a spreadsheet workbook (.xlsx) — save it as CSV"
                " (UTF-8) and import that"
            )
        if head.removeprefix(codecs.BOM_UTF8).lstrip()[:1] == b"{":
            if options.maps or options.stage_maps or options.wheres or options.lane:
                raise InvalidInput("--map, --stage-map, --where and --lane apply to CSV files only")
            with opener() as handle:
                data = handle.read()
            return restore_dump(store, today, name, data, dry_run=options.dry_run)
        return import_csv_source(store, today, name, opener, options, progress, passes)


def import_csv(
    store: Store,
    today: date,
    path: Path,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
    passes: Passes | None = None,
) -> ImportReport:
    """Import a CSV file (see the module docstring); returns the report, refused or not."""
    with files.open_input(path) as (name, opener):
        return import_csv_source(store, today, name, opener, options, progress, passes)


def import_csv_bytes(
    store: Store,
    today: date,
    name: str,
    data: bytes,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
    passes: Passes | None = None,
) -> ImportReport:
    """Import CSV bytes already in memory (tests, small files)."""
    return import_csv_source(
        store, today, name, lambda: io.BytesIO(data), options, progress, passes
    )


def import_csv_source(
    store: Store,
    today: date,
    name: str,
    opener: Opener,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
    passes: Passes | None = None,
) -> ImportReport:
    """Import the CSV that `opener` opens (each call from the start), in two passes.

    The first pass checks the whole file's encoding; the second reads it again, a row at a
    time, and writes in one transaction. `passes` is told when each starts ("Checking", then
    "Importing"), `progress(kilobytes read, of)` how far it is. Only what the report needs
    is kept: counts, the problems, the preview's first rows; the keys seen go to a temporary
    table — memory stays flat whatever the file's size.
    """
    options = options or ImportOptions()
    if passes is not None:
        passes("Checking")
    source = CsvFile(opener, progress)
    report = ImportReport(
        file=name,
        dry_run=options.dry_run,
        encoding=source.encoding,
        delimiter=source.delimiter_name,
        notes=list(source.notes),
    )
    conn = store.conn
    wheres = _Where(source, options.wheres, report)
    if options.lane:
        board.find_lane(conn, options.lane)
    mapping = resolve_mapping(source.header, list(options.maps))
    report.source = mapping.source
    report.mapping = mapping.used()
    report.ignored_columns = mapping.ignored()
    report.notes += mapping.notes
    _check_mapping(mapping)
    resolver = StageResolver(board.stages(conn), list(options.stage_maps))
    builder = RecordBuilder(mapping, resolver, options.dates, today)
    currencies = _Currencies(mapping)
    try:
        with store.transaction(), store.page_cache(_CACHE_MIB):
            summary = f"Imported {name}" + (f" ({', '.join(report.where)})" if report.where else "")
            with store.action("imported", summary, today) as log:
                writer = _Writer(store, log, today, options, report, builder.found.same_by)
                if passes is not None:
                    passes("Importing")
                counts: Counter[str] = Counter()
                for item in source.items():
                    if isinstance(item, Problem):
                        report.problems.append(item)
                        counts["rows"] += 1
                        continue
                    counts["rows"] += 1
                    counts["row_lines"] += item.span
                    if not wheres.match(item):
                        continue
                    counts["matched_lines"] += item.span
                    currencies.add(item)
                    record = builder.read(item)
                    if record is not None:
                        writer.add(record)
                    if progress is not None and counts["rows"] % _PROGRESS_EVERY == 0:
                        progress(source.position // 1024, source.size // 1024)
                writer.finish()
                if progress is not None:
                    progress(source.size // 1024, source.size // 1024)
                report.rows = counts["rows"]
                report.blank_lines = source.blank_lines
                report.physical_lines = source.physical_lines
                wheres.finish()
                found = builder.found
                report.problems = sorted(
                    report.problems + found.problems + writer.problems,
                    key=lambda p: p.line or 0,
                )
                skipped = sum(p.span for p in report.problems if p.line is not None)
                report.skipped_bad = skipped if options.skip_bad else 0
                report.duplicates = writer.duplicates
                report.duplicate_rule = found.same_by
                report.unknown_stages = resolver.unknown
                if found.ambiguous_dates:
                    report.notes.append(
                        f"{found.ambiguous_dates} row{'s' * (found.ambiguous_dates != 1)} with"
                        " dates like 03/04/2017 — say how the file writes them with --dates dmy"
                        " (day first) or --dates mdy (month first)"
                    )
                _account(report, source, counts, writer, found)
                settings = board.settings(conn)
                report.best_by = board.board_best_by(conn, settings).sentence
                currency_refusal = currencies.refusal(settings.currency)
                report.refusal = currency_refusal or _refusal(report, options)
                if report.refusal or options.dry_run or not report.cards:
                    raise Rollback  # a dry run, a refusal, or nothing new: no action at all
                writer.close()
    except Rollback:
        return report
    report.imported = report.cards
    return report


class _Where:
    """`--where COLUMN=VALUE` (repeat a column for any of values), a row at a time; when no row
    matches, the report names the column's most common values."""

    def __init__(
        self, source: CsvFile, wheres: tuple[tuple[str, str], ...], report: ImportReport
    ) -> None:
        self.report = report
        self.wanted: dict[int, set[str]] = {}
        self.header = source.header
        for column, value in wheres:
            self.wanted.setdefault(source.column(column), set()).add(value.strip().casefold())
            report.where.append(f"{clean_text(column)}={clean_text(value)}")
        self.matched = 0
        self.notes_at = len(report.notes)  # its notes come right after the file's own
        self.seen: dict[int, Counter] | None = {index: Counter() for index in self.wanted}

    def match(self, row: Row) -> bool:
        if not self.wanted:
            self.matched += 1
            return True
        cells = row.cells
        if self.seen is not None:  # needed only while no row matches
            for index, seen in self.seen.items():
                seen[cells[index].strip()] += 1
        if all(cells[index].strip().casefold() in values for index, values in self.wanted.items()):
            self.matched += 1
            self.seen = None
            return True
        return False

    def finish(self) -> None:
        self.report.matched = self.matched
        if self.matched or not self.wanted or self.seen is None:
            return
        for index, seen in self.seen.items():
            common = seen.most_common(5)
            shown = ", ".join(f'"{clean_text(value)}" ({count})' for value, count in common)
            self.report.notes.insert(
                self.notes_at,
                f'No row matches; "{clean_text(self.header[index])}" has e.g. {shown}',
            )
            self.notes_at += 1


def _check_mapping(mapping: Mapping) -> None:
    if not {"title", "account", "product", "id"} & set(mapping.columns):
        columns = ", ".join(f'"{clean_text(name)}"' for name in mapping.header)
        raise InvalidInput(
            "No column gives the cards a title — name one with --map COLUMN=title"
            f" (the columns are: {columns})"
        )


# A currency column's codes, and the symbols a board's currency setting may use for them.
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CHF": "CHF"}


class _Currencies:
    """The codes of the file's currency column, counted a row at a time."""

    def __init__(self, mapping: Mapping):
        self.mapping = mapping
        self.index = mapping.columns.get("currency")
        self.found: Counter = Counter()

    def add(self, row: Row) -> None:
        if self.index is not None and (code := row.cells[self.index].strip()):
            self.found[code.upper()] += 1

    def refusal(self, board_currency: str) -> str | None:
        """Why the file's currency column does not match the board's (None when it does).

        Values are never relabelled: a file in EUR imported into a `$` board is refused before
        anything is kept, with how to set the board's currency (or to ignore the column when
        the amounts are meant as they are)."""
        found, index = self.found, self.index
        if index is None:
            return None
        wanted = board_currency.strip().upper()
        other = sorted(code for code in found if wanted not in (code, _SYMBOLS.get(code, code)))
        if not other:
            return None
        column = clean_text(self.mapping.header[index])
        listed = ", ".join(f"{clean_text(code)} ({found[code]} rows)" for code in other)
        if len(found) > 1:
            return (
                f'The file mixes currencies in "{column}": {", ".join(sorted(found))} — import'
                f' each currency on its own (--where "{column}=CODE") into a board set to it'
            )
        code = clean_text(other[0])
        symbol = _SYMBOLS.get(other[0], code)
        return (
            f"The file's values are in {listed} (\"{column}\"), the board's currency is"
            f" {clean_text(board_currency)} — pkanban never relabels amounts: set the board's"
            f" currency first (pkanban config set currency {symbol}), or import the amounts as"
            f' they are with --map "{column}=ignore"'
        )


def _refusal(report: ImportReport, options: ImportOptions) -> str | None:
    """Why the import cannot go ahead as asked (None when it can)."""
    if report.unknown_stages:
        values = ", ".join(
            f'"{value}" ({len(lines)} row{"s" * (len(lines) != 1)})'
            for value, lines in report.unknown_stages.items()
        )
        example = next(iter(report.unknown_stages))
        return (
            f"Unknown stages in the file: {values} — say where each goes with"
            f' --stage-map "{example}=STAGE" (a board stage, won, lost or skip)'
        )
    if report.problems and not options.skip_bad:
        many = len(report.problems) != 1
        return (
            f"{len(report.problems)} row{'s' * many} could not be read — fix"
            f" {'them' if many else 'it'}, or import the rest with --skip-bad"
        )
    return None


class _Writer:
    """Takes the records one at a time and writes them a chunk at a time: a record repeating an
    earlier row's key is a duplicate (the keys live in a temporary table, `KeyLines`), one a
    card already carries is already present, the rest go through `CardBatch` — the WIP rule
    and a card's checks — and what they became is counted for the report."""

    def __init__(
        self,
        store: Store,
        log: ActionLog,
        today: date,
        options: ImportOptions,
        report: ImportReport,
        same_by: str,
    ) -> None:
        conn = self.conn = store.conn
        self.today = today
        self.report = report
        self.log = log
        self.batch = CardBatch(conn, log, today)
        self.places = _Places(conn, options.lane)
        report.pool = self.places.pool.name if self.places.pool else None
        self.keys = transfer.KeyLines(conn)
        self.board_id = board.board_id(conn)
        self.last_before = transfer.last_card_id(conn)
        self.own: dict[int, str] | None = None  # loaded when the file names this board's cards
        self.pending: list[Record] = []
        self.problems: list[Problem] = []
        self.duplicates: list[tuple[int, int]] = []
        self.duplicate_lines = 0
        self.placed: dict[str, Counter] = defaultdict(Counter)
        self.previews: list[dict] = []
        self.preview_left = PREVIEW_ROWS
        report.already_present = report.undated = 0
        report.lines["already_present"] = report.lines["imported"] = 0

    def add(self, record: Record) -> None:
        self.pending.append(record)
        if len(self.pending) >= _PROGRESS_EVERY:
            self._write()

    def finish(self) -> None:
        self._write()
        self.log.catch_up()  # the report's best-by and limits read the tallies and indexes
        report = self.report
        report.placed = {
            disposition: {
                stage.name: self.placed[disposition][stage.name]
                for stage in self.places.stages
                if self.placed[disposition][stage.name]
            }
            for disposition in ("open", "won", "lost", "cleared")
            if disposition in self.placed
        }
        report.preview = sorted(self.previews, key=lambda preview: preview["line"])
        report.over_limits = over_limits(self.conn)

    def close(self) -> None:
        self.keys.close()

    def _write(self) -> None:
        records, self.pending = self.pending, []
        if not records:
            return
        seen = self.keys.first_lines([record.key for record in records])
        new: dict[str, int] = {}
        unique = []
        for record in records:
            first = seen.get(record.key) or new.get(record.key)
            if first is not None:
                self.duplicates.append((record.line, first))
                self.duplicate_lines += record.span
                continue
            new[record.key] = record.line
            unique.append(record)
        self.keys.add(new)
        present = transfer.present_keys(self.conn, list(new))
        fresh = [
            record
            for record in unique
            if record.key not in present and not self._is_own_card(record)
        ]
        report = self.report
        report.already_present += len(unique) - len(fresh)
        report.lines["already_present"] += sum(r.span for r in unique) - sum(r.span for r in fresh)
        report.undated += sum(record.undated for record in fresh)
        preview_lines = {record.line for record in fresh[: self.preview_left]}
        self.preview_left -= len(preview_lines)
        queued: list[tuple[Record, Stage]] = []
        for record in fresh:
            try:
                stage, lane = self.places.target(record)
                in_progress = record.card.disposition == "open" and record.card.stage is not None
                self.batch.add(record.card, stage, lane, in_progress=in_progress)
            except PkanbanError as error:
                self.problems.append(Problem(record.line, str(error), record.span))
            else:
                queued.append((record, stage))
        for (record, stage), row in zip(queued, self.batch.flush(), strict=True):
            self.placed[row["disposition"]][stage.name] += 1
            report.unvalued_open += row["disposition"] == "open" and row["value"] is None
            report.lines["imported"] += record.span
            if record.line in preview_lines:
                self.previews.append(_preview(record.line, row, stage.name))

    def _is_own_card(self, record: Record) -> bool:
        """A row of this board's export whose card is here: same number, created the same day
        (a card this import made does not count)."""
        ref = record.pkanban_ref
        if ref is None or ref[0] != self.board_id:
            return False
        if self.own is None:
            self.own = transfer.created_days(self.conn, up_to=self.last_before)
        created = self.own.get(ref[1])
        return created is not None and (
            record.card.created is None or created == str(record.card.created)
        )


def _account(
    report: ImportReport, source: CsvFile, counts: Counter[str], writer: _Writer, found: Records
) -> None:
    """What became of each physical line of the file (they add up to `physical_lines`)."""
    report.lines = {
        "header": source.header_lines,
        "imported": report.lines.get("imported", 0),
        "duplicate": writer.duplicate_lines,
        "already_present": report.lines.get("already_present", 0),
        "skipped": sum(problem.span for problem in report.problems if problem.line),
        "blank": source.blank_lines,
        "not_matched": counts["row_lines"] - counts["matched_lines"],
        "unknown_stage": found.left_out_lines.get("unknown_stage", 0),
        "stage_skip": found.left_out_lines.get("stage_skip", 0),
    }


class _Places:
    """The board's stages and lanes, looked up once per import, and where each record goes."""

    def __init__(self, conn: sqlite3.Connection, lane_name: str | None) -> None:
        self.conn = conn
        self.stages = board.stages(conn)
        self.pool = next((stage for stage in self.stages if stage.kind == "pool"), None)
        active = [stage for stage in self.stages if stage.kind == "active"] or self.stages
        self.archive = {"won": active[-1], "lost": active[0], "cleared": active[0]}
        self.default_lane = board.find_lane(conn, lane_name) if lane_name else default_lane(conn)
        self.lanes: dict[str, Lane] = {}

    def lane(self, name: str | None) -> Lane:
        if not name:
            return self.default_lane
        key = name.casefold()
        if key not in self.lanes:
            self.lanes[key] = board.find_lane(self.conn, name)
        return self.lanes[key]

    def stage(self, name: str) -> Stage:
        return next(stage for stage in self.stages if stage.name == name)

    def target(self, record: Record) -> tuple[Stage, Lane]:
        """The stage and lane a record goes to: its own stage, else the pool (new leads)."""
        lane = self.lane(record.card.lane)
        if record.card.disposition != "open":
            archived = self.stage(record.card.stage) if record.card.stage else None
            return archived or self.archive[record.card.disposition], lane
        if record.card.stage is None:
            return self.pool or default_stage(self.conn), lane
        return self.stage(record.card.stage), lane


def _preview(line: int, row: dict, stage_name: str) -> dict:
    """A stored card row as the report's first cards show it."""
    return {
        "line": line,
        "title": row["title"],
        "stage": stage_name,
        "disposition": row["disposition"],
        "value": row["value"],
        "created": row["created"],
        "closed": row["closed"],
    }
