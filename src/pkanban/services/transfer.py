"""Import and export use cases: bring a CRM pipeline in, take the board out.

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

These functions are safe to call from a worker thread (the connection allows it); `progress`
is called with (rows done, rows in total).
"""

import codecs
import json
import os
import sqlite3
import stat
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from pkanban.domain.errors import InvalidInput, PkanbanError
from pkanban.domain.models import Lane, Stage
from pkanban.domain.text import clean_text
from pkanban.io import files, json_dump
from pkanban.io.csv_import import Problem, Row, Table, read_table
from pkanban.io.mapping import Mapping, StageResolver, resolve_mapping
from pkanban.io.records import Record, build_records
from pkanban.io.values import DateOrder
from pkanban.services.cards import CardBatch, NewCard, default_lane, default_stage
from pkanban.store import board
from pkanban.store.database import Store, reading
from pkanban.store.schema import SCHEMA_VERSION

Progress = Callable[[int, int], None]
PREVIEW_ROWS = 5
_PROGRESS_EVERY = 250


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


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run or a refused import."""


def import_file(
    store: Store,
    today: date,
    path: Path,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a CSV export, or restore a pkanban JSON dump (by its content); `-` is stdin."""
    options = options or ImportOptions()
    name, data = files.read_input(path)
    if data.startswith(_SQLITE_HEADER):
        raise InvalidInput(
            f"{name} is an SQLite database, not a CSV export — to bring back a backup"
            " use `pkanban restore`"
        )
    if data.startswith(b"PK\x03\x04"):
        raise InvalidInput(
            f"{name} looks like a spreadsheet workbook (.xlsx) — save it as CSV"
            " (UTF-8) and import that"
        )
    if data.removeprefix(codecs.BOM_UTF8).lstrip()[:1] == b"{":
        if options.maps or options.stage_maps or options.wheres or options.lane:
            raise InvalidInput("--map, --stage-map, --where and --lane apply to CSV files only")
        return restore_dump(store, today, name, data, dry_run=options.dry_run)
    return import_csv_bytes(store, today, name, data, options, progress)


def import_csv(
    store: Store,
    today: date,
    path: Path,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a CSV file (see the module docstring); returns the report, refused or not."""
    name, data = files.read_input(path)
    return import_csv_bytes(store, today, name, data, options, progress)


def import_csv_bytes(
    store: Store,
    today: date,
    name: str,
    data: bytes,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    options = options or ImportOptions()
    table = read_table(data)
    report = ImportReport(
        file=name,
        dry_run=options.dry_run,
        encoding=table.encoding,
        delimiter=table.delimiter_name,
        notes=list(table.notes),
        rows=len(table.rows) + len(table.problems),
        blank_lines=table.blank_lines,
        problems=list(table.problems),
        physical_lines=table.physical_lines,
    )
    rows = _where(table, options.wheres, report)
    conn = store.conn
    if options.lane:
        board.find_lane(conn, options.lane)
    mapping = resolve_mapping(table.header, list(options.maps))
    report.source = mapping.source
    report.mapping = mapping.used()
    report.ignored_columns = mapping.ignored()
    report.notes += mapping.notes
    _check_mapping(mapping)
    resolver = StageResolver(board.stages(conn), list(options.stage_maps))
    currency_refusal = _currency_check(table, rows, mapping, board.settings(conn).currency)
    built = build_records(table, rows, mapping, resolver, options.dates, today)
    report.problems = sorted(report.problems + built.problems, key=lambda p: p.line or 0)
    report.duplicates = built.duplicates
    report.duplicate_rule = built.same_by
    report.unknown_stages = resolver.unknown
    if built.ambiguous_dates:
        report.notes.append(
            f"{built.ambiguous_dates} row{'s' * (built.ambiguous_dates != 1)} with dates like"
            " 03/04/2017 — say how the file writes them with --dates dmy (day first) or"
            " --dates mdy (month first)"
        )
    try:
        with store.transaction():
            summary = f"Imported {name}" + (f" ({', '.join(report.where)})" if report.where else "")
            with store.action("imported", summary, today) as log:
                _insert(store, log, today, built.records, options, report, progress)
                _account(report, table, rows, built)
                settings = board.settings(conn)
                report.best_by = board.board_best_by(conn, settings).sentence
                report.refusal = currency_refusal or _refusal(report, options)
                if report.refusal or options.dry_run or not report.cards:
                    raise _Rollback  # a dry run, a refusal, or nothing new: no action at all
    except _Rollback:
        return report
    report.imported = report.cards
    return report


def _where(table: Table, wheres: tuple[tuple[str, str], ...], report: ImportReport) -> list[Row]:
    """Keep the rows matching every `--where COLUMN=VALUE` (repeat a column for any of values)."""
    if not wheres:
        report.matched = len(table.rows)
        return table.rows
    wanted: dict[int, set[str]] = {}
    for column, value in wheres:
        wanted.setdefault(table.column(column), set()).add(value.strip().casefold())
        report.where.append(f"{clean_text(column)}={clean_text(value)}")
    rows = [
        row
        for row in table.rows
        if all(row.cells[index].strip().casefold() in values for index, values in wanted.items())
    ]
    report.matched = len(rows)
    if not rows:
        for index in wanted:
            common = Counter(row.cells[index].strip() for row in table.rows).most_common(5)
            shown = ", ".join(f'"{clean_text(value)}" ({count})' for value, count in common)
            report.notes.append(
                f'No row matches; "{clean_text(table.header[index])}" has e.g. {shown}'
            )
    return rows


def _check_mapping(mapping: Mapping) -> None:
    if not {"title", "account", "product", "id"} & set(mapping.columns):
        columns = ", ".join(f'"{clean_text(name)}"' for name in mapping.header)
        raise InvalidInput(
            "No column gives the cards a title — name one with --map COLUMN=title"
            f" (the columns are: {columns})"
        )


# A currency column's codes, and the symbols a board's currency setting may use for them.
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CHF": "CHF"}


def _currency_check(table: Table, rows: list[Row], mapping: Mapping, board_currency: str):
    """Why the file's currency column does not match the board's (None when it does).

    Values are never relabelled: a file in EUR imported into a `$` board is refused before
    anything is written, with how to set the board's currency (or to ignore the column when
    the amounts are meant as they are)."""
    index = mapping.columns.get("currency")
    if index is None:
        return None
    found = Counter(row.cells[index].strip().upper() for row in rows if row.cells[index].strip())
    wanted = board_currency.strip().upper()
    other = sorted(code for code in found if wanted not in (code, _SYMBOLS.get(code, code)))
    if not other:
        return None
    column = clean_text(mapping.header[index])
    listed = ", ".join(f"{clean_text(code)} ({found[code]} rows)" for code in other)
    if len(found) > 1:
        return (
            f'The file mixes currencies in "{column}": {", ".join(sorted(found))} — import each'
            f' currency on its own (--where "{column}=CODE") into a board set to it'
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


def _insert(store, log, today, records, options, report, progress) -> None:
    conn = store.conn
    batch = CardBatch(conn, log, today)
    places = _Places(conn, options.lane)
    report.pool = places.pool.name if places.pool else None
    existing = {
        row[0] for row in conn.execute("SELECT external_id FROM cards WHERE external_id NOT NULL")
    }
    own, board_id = _own_cards(conn, records), board.board_id(conn)
    fresh = [
        record
        for record in records
        if record.external_id not in existing and not _is_own_card(record, board_id, own)
    ]
    report.already_present = len(records) - len(fresh)
    report.lines["already_present"] = sum(r.span for r in records) - sum(r.span for r in fresh)
    report.lines["imported"] = 0
    report.undated = sum(record.undated for record in fresh)
    placed: dict[str, Counter] = defaultdict(Counter)
    preview_lines = set(sorted(record.line for record in fresh)[:PREVIEW_ROWS])
    previews = []
    queued: list[tuple[Record, Stage]] = []
    for done, record in enumerate(fresh, 1):
        try:
            stage, lane = places.target(record)
            in_progress = record.disposition == "open" and record.stage is not None
            new = _new_card(record, today, in_progress=in_progress)
            batch.add(new, stage, lane, in_progress=in_progress)
        except PkanbanError as error:
            report.problems.append(Problem(record.line, str(error), record.span))
        else:
            queued.append((record, stage))
        if done % _PROGRESS_EVERY == 0 or done == len(fresh):
            for (record, stage), row in zip(queued, batch.flush(), strict=True):
                placed[row["disposition"]][stage.name] += 1
                report.unvalued_open += row["disposition"] == "open" and row["value"] is None
                report.lines["imported"] += record.span
                if record.line in preview_lines:
                    previews.append(_preview(record.line, row, stage.name))
            queued = []
            if progress is not None:
                progress(done, len(fresh))
    report.problems.sort(key=lambda problem: problem.line or 0)
    skipped = sum(problem.span for problem in report.problems if problem.line is not None)
    report.skipped_bad = skipped if options.skip_bad else 0
    report.placed = {
        disposition: {
            stage.name: placed[disposition][stage.name]
            for stage in places.stages
            if placed[disposition][stage.name]
        }
        for disposition in ("open", "won", "lost", "cleared")
        if disposition in placed
    }
    report.preview = sorted(previews, key=lambda preview: preview["line"])
    report.over_limits = _over_limits(conn)


def _own_cards(conn, records: list[Record]) -> dict[int, str]:
    """Card number → created day of this board's cards, when the file is this board's export."""
    board_id = board.board_id(conn)
    if not any(r.pkanban_ref and r.pkanban_ref[0] == board_id for r in records):
        return {}
    return {
        number: str(created)[:10]
        for number, created in conn.execute("SELECT id, created FROM cards")
    }


def _is_own_card(record: Record, board_id: str | None, own: dict[int, str]) -> bool:
    """A row of this board's export whose card is here: same number, created the same day."""
    if not own or record.pkanban_ref is None or record.pkanban_ref[0] != board_id:
        return False
    created = own.get(record.pkanban_ref[1])
    return created is not None and (record.created is None or created == str(record.created))


def _account(report: ImportReport, table: Table, rows: list[Row], built) -> None:
    """What became of each physical line of the file (they add up to `physical_lines`)."""
    report.lines = {
        "header": table.header_lines,
        "imported": report.lines.get("imported", 0),
        "duplicate": built.duplicate_lines,
        "already_present": report.lines.get("already_present", 0),
        "skipped": sum(problem.span for problem in report.problems if problem.line),
        "blank": table.blank_lines,
        "not_matched": sum(row.span for row in table.rows) - sum(row.span for row in rows),
        "unknown_stage": built.left_out_lines.get("unknown_stage", 0),
        "stage_skip": built.left_out_lines.get("stage_skip", 0),
    }


class _Places:
    """The board's stages and lanes, looked up once per import, and where each record goes."""

    def __init__(self, conn, lane_name: str | None):
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
        lane = self.lane(record.lane)
        if record.disposition != "open":
            archived = self.stage(record.stage) if record.stage else None
            return archived or self.archive[record.disposition], lane
        if record.stage is None:
            return self.pool or default_stage(self.conn), lane
        return self.stage(record.stage), lane


def _new_card(record: Record, today: date, *, in_progress: bool = False) -> NewCard:
    """The card for a record. A deal being worked (`in_progress`) starts its idle clock at its
    last known activity: the file's last-activity date, else the day it is imported — never its
    age; its touch count stays what the file says, and no touch is recorded."""
    created = record.created or record.closed or today
    last_touch = record.last_touch or (today if in_progress else None)
    return NewCard(
        title=record.title,
        value=record.value,
        account=record.account,
        contact_name=record.contact_name,
        email=record.email,
        phone=record.phone,
        source=record.source,
        tags=record.tags,
        next_step=record.next_step,
        next_due=record.next_due,
        close_by=record.close_by,
        created=created,
        entered_stage=created,
        last_touch=last_touch,
        touch_count=record.touch_count,
        disposition=record.disposition,
        closed=(record.closed or today) if record.disposition != "open" else None,
        lost_reason=record.lost_reason,
        external_id=record.external_id,
    )


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


def report_json(report: ImportReport) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=1)


def dump_board(store: Store, today: date) -> str:
    """The whole board as a JSON dump (io/json_dump.py), read in one consistent snapshot."""
    conn = store.conn
    with reading(conn):
        meta = {key: value for key, value in conn.execute("SELECT key, value FROM board_meta")}
        meta.pop("app", None)
        meta.pop("calendar", None)  # a path of this machine
        tables = {table: _all_rows(conn, table) for table in json_dump.TABLES}
    return json_dump.encode(SCHEMA_VERSION, today, meta, tables)


def restore_dump(
    store: Store, today: date, name: str, data: bytes, *, dry_run: bool = False
) -> ImportReport:
    """Restore a JSON dump into an empty board, ids and history included.

    Rows, actions and events are written as the dump has them — the dump's events *are* their
    history, so `show` and `log` read the same as on the original board — followed by one
    `restored` action, always the newest (ids are at most 2**53); like `pkanban restore`,
    undo stops there. A stage or lane holding more open cards than its limit is kept as it is
    ("start with what you do now") and the report says so.
    """
    conn = store.conn
    meta, tables = json_dump.decode(data, SCHEMA_VERSION)
    report = ImportReport(file=name, dry_run=dry_run, kind="json", encoding="utf-8")
    report.rows = len(tables["cards"])
    try:
        with store.transaction():
            _require_empty(conn)
            conn.execute("DELETE FROM stages")
            conn.execute("DELETE FROM lanes")
            for table in json_dump.TABLES:
                _insert_rows(conn, table, tables[table])
            for key, value in meta.items():
                conn.execute(
                    "INSERT OR REPLACE INTO board_meta (key, value) VALUES (?, ?)", [key, value]
                )
            _check_restored(conn)
            summary = f"Restored {name}: {len(tables['cards'])} cards"
            with store.action("restored", summary, today) as marker:
                pass
            newest = max((action["id"] for action in tables["actions"]), default=0)
            if marker.action_id <= newest:
                raise InvalidInput("The dump's actions leave no room for the restore after them")
            report.over_limits = _over_limits(conn)
            report.placed = _placed(conn)
            report.best_by = board.board_best_by(conn, board.settings(conn)).sentence
            report.notes.append(
                f"{len(tables['touches'])} touches, {len(tables['actions'])} actions and"
                f" {len(tables['events'])} events of history restored as they were"
            )
            if dry_run:
                raise _Rollback
    except _Rollback:
        return report
    report.imported = report.cards
    return report


def _all_rows(conn, table: str) -> list[dict]:
    cursor = conn.execute(f"SELECT * FROM {table} ORDER BY id")
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _require_empty(conn) -> None:
    cards, actions = conn.execute(
        "SELECT (SELECT count(*) FROM cards), (SELECT count(*) FROM actions)"
    ).fetchone()
    if cards or actions:
        raise InvalidInput(
            f"A JSON dump restores a whole board, history included, so it goes into an empty"
            f" board — this one has {cards} cards and {actions} actions. Restore it into a new"
            " board: pkanban --db NEW.db init, then pkanban --db NEW.db import DUMP.json"
        )


def _insert_rows(conn, table: str, rows: list[dict]) -> None:
    """Rows checked by the dump's schema, by its fixed table and column names."""
    table = next(known for known in json_dump.TABLES if known == table)
    columns = json_dump.columns(table)
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    for row in rows:
        try:
            conn.execute(sql, [row[column] for column in columns])
        except sqlite3.IntegrityError as error:
            raise InvalidInput(f"The dump's {table} #{row['id']} does not fit: {error}") from None


def _over_limits(conn) -> list[dict]:
    """Stages and lanes an import or a dump fills past their limit: kept, and said."""
    return [
        {"name": w.name, "what": w.what, "count": w.count, "limit": w.limit, "over": w.over}
        for w in board.wip_now(conn)
        if w.over
    ]


def _check_restored(conn) -> None:
    """Every restored row must read back as the domain models (settings, stages, cards …)."""
    try:
        board.store_checked_settings(conn)
        board.stages(conn)
        board.lanes(conn)
        for row in _all_rows(conn, "cards"):
            board.check_card_row(row)
    except (InvalidInput, ValueError) as error:
        raise InvalidInput(f"The dump does not describe a valid board: {error}") from None


def _placed(conn) -> dict[str, dict[str, int]]:
    placed: dict[str, dict[str, int]] = {}
    for disposition, stage, count in conn.execute(
        "SELECT disposition, stages.name, count(*) FROM cards JOIN stages ON stages.id ="
        " cards.stage_id GROUP BY disposition, stages.name ORDER BY stages.position"
    ):
        placed.setdefault(disposition, {})[stage] = count
    return placed


EXPORT_FORMATS = ("md", "obsidian", "csv", "json", "ics")
_SQLITE_HEADER = b"SQLite format 3\x00"


PERIOD_FORMATS = ("md", "csv")


def export_board(
    store: Store,
    today: date,
    fmt: str,
    *,
    since: date | None = None,
    until: date | None = None,
) -> str:
    """The board as a document: `md` report, `obsidian` board, `csv` rows, `json` dump or
    `ics` calendar of follow-ups. With `since`/`until` (md and csv only) the report is of that
    period, both days included: see io/markdown.py and store/period.py."""
    in_period = since is not None or until is not None
    if in_period:
        if fmt not in PERIOD_FORMATS:
            raise InvalidInput("--since and --until apply to the md and csv exports")
        until = until or today
        if since is not None and since > until:
            raise InvalidInput(f"The period starts after it ends ({since} > {until})")
    if fmt == "json":
        return dump_board(store, today)
    if fmt == "ics":
        from pkanban.services.calendar import calendar_text

        return calendar_text(store, today)
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput(
            f'"{fmt}" is not an export format — use one of {", ".join(EXPORT_FORMATS)}'
        )
    # Loaded here: `pkanban import` shares this module and needs none of them.
    from pkanban.io import csv_export, markdown, obsidian
    from pkanban.services import views
    from pkanban.store.search import open_cards_notes

    conn = store.conn
    with reading(conn):
        context = views.board_context(store, today)
        if fmt == "md":
            counts = board.disposition_counts(conn)
            won_value = conn.execute(
                "SELECT coalesce(sum(value), 0) FROM cards WHERE disposition = 'won'"
            ).fetchone()[0]
            report = markdown.BoardReport(
                context=context,
                open_cards=[context.view(card) for card in board.cards(conn)],
                counts=counts,
                wip=views.wip(store),
                past_best_by=board.count_past_best_by(conn, today, context.best_by.days),
                won_value=won_value,
                notes=open_cards_notes(conn),
                period=_period(conn, context, since, until) if in_period else None,
            )
            return markdown.render(report)
        every = [context.view(card) for card in board.cards(conn, include_closed=True)]
        if in_period:
            ids = _period(conn, context, since, until).card_ids
            every = [view for view in every if view.card.id in ids]
    if fmt == "csv":
        return csv_export.render(every, board.board_id(conn))
    open_cards = [view for view in every if view.card.is_open]
    archived = [view for view in every if not view.card.is_open]
    return obsidian.render(context, open_cards, archived)


def _period(conn, context, since: date | None, until: date):
    """What happened in the period, as the markdown report shows it."""
    from pkanban.io.markdown import PeriodMove, PeriodReport
    from pkanban.store import period

    moves = period.moves(conn, since, until)
    cards = {card.id: card for card in period.created_or_closed(conn, since, until)}
    for card_id in {move.card_id for move in moves} - cards.keys():
        cards[card_id] = board.card(conn, card_id)
    views = {card_id: context.view(card) for card_id, card in cards.items()}
    stage_names = {stage.id: stage.name for stage in context.stages}

    def within(day: date | None) -> bool:
        return day is not None and (since is None or since <= day) and day <= until

    ordered = sorted(views.values(), key=lambda view: (view.card.created, view.card.id))
    return PeriodReport(
        since=since,
        until=until,
        created=[view for view in ordered if within(view.card.created)],
        moves=[
            PeriodMove(
                move.day,
                views[move.card_id],
                stage_names.get(move.from_stage_id, f"stage #{move.from_stage_id}"),
                stage_names.get(move.to_stage_id, f"stage #{move.to_stage_id}"),
            )
            for move in moves
        ],
        closed=sorted(
            (view for view in ordered if within(view.card.closed)),
            key=lambda view: (view.card.closed, view.card.id),
        ),
    )


def write_export(
    store: Store, text: str, path: Path, fmt: str, *, replace: bool = False, next_free: bool = False
) -> Path:
    """Write an export to `path`, private (0600: it holds contacts) and whole or not at all.

    The target must be a new path, or an existing regular file with `replace` (`--force`, or a
    yes in the TUI); `next_free` takes the next free name instead (a default name). The board
    itself and any SQLite file are never overwritten. CSV files start with a UTF-8 BOM so that
    Excel reads accents right.
    """
    path = Path(path).expanduser()
    board_files = {Path(f"{store.path}{suffix}").resolve() for suffix in ("", "-wal", "-shm")}
    if path.resolve() in board_files:
        raise InvalidInput(f"{files.shown(path)} is the board itself — export to another file")
    if path.is_dir() and not path.is_symlink():
        raise InvalidInput(
            f"{files.shown(path)} is a folder — name a file, e.g."
            f" {files.shown(path / ('board.' + fmt))}"
        )
    if _is_sqlite_file(path):
        raise InvalidInput(f"{files.shown(path)} is a database; an export will not overwrite it")
    data = text.encode("utf-8-sig" if fmt == "csv" else "utf-8")
    return files.write_bytes(path, data, replace=replace, next_free=next_free)


def _is_sqlite_file(path: Path) -> bool:
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        with path.open("rb") as existing:
            return existing.read(16) == _SQLITE_HEADER
    except OSError:
        return False
