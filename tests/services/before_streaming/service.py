"""A verbatim copy of the import as it was before streaming (the reference the streamed import
is compared with in tests/services/test_streamed_import.py); not used by pkanban.

Importing a CRM's CSV export (or, by its content, a pkanban JSON dump: services/dump.py).

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

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date

from pkanban.domain.errors import InvalidInput, PkanbanError
from pkanban.domain.models import Lane, Stage
from pkanban.domain.text import clean_text
from pkanban.io.mapping import Mapping, StageResolver, resolve_mapping
from pkanban.services.cards import CardBatch, NewCard, default_lane, default_stage
from pkanban.services.import_report import (
    ImportOptions,
    ImportReport,
    Rollback,
    over_limits,
)
from pkanban.store import board, transfer
from pkanban.store.database import Store
from tests.services.before_streaming.records import Record, build_records
from tests.services.before_streaming.table import Problem, Row, Table, read_table

Progress = Callable[[int, int], None]
PREVIEW_ROWS = 5
_PROGRESS_EVERY = 250


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
                    raise Rollback  # a dry run, a refusal, or nothing new: no action at all
    except Rollback:
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
    report.over_limits = over_limits(conn)


def _own_cards(conn, records: list[Record]) -> dict[int, str]:
    """Card number → created day of this board's cards, when the file is this board's export."""
    board_id = board.board_id(conn)
    if not any(r.pkanban_ref and r.pkanban_ref[0] == board_id for r in records):
        return {}
    return transfer.created_days(conn)


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
