"""CSV rows → card records: every cell read with the strict readers, every problem kept with its
line number, nothing written anywhere (the import service does that in one transaction).

Titles: the title column; if there is none (or it is blank) the account and product joined with
` · ` (plus the id when the account is blank, so open deals of one product stay apart); else the
id.

Which rows are the same (the re-import key, `external_id`):
- with an id column: `<id column>:<id>` — two rows with one id are one deal;
- pkanban's own CSV export (a `pkanban_id` column, `<board id>/<card number>`): the card's
  `external_id` as exported when it has one (the CRM's key stays the key), else
  `pkanban:<board id>/<card number>`. The row also names the card it is on its first board
  (`pkanban_id`, or the `pkanban:` key it was first imported under), so that board recognises
  it as its own card (see services/transfer.py);
- otherwise `row:` + the first 16 hex digits of SHA-1 over *every mapped cell*: two rows are
  duplicates only if every mapped field is equal (three contacts at one company are three
  cards), and an unchanged row is recognised however often the file is imported.
A repeated row is never dropped silently: the report names it by line (`line 7 is the same as
line 3`).
"""

from dataclasses import dataclass, field
from datetime import date

from pkanban.domain.dates import DateError
from pkanban.domain.models import NewCard
from pkanban.domain.quickadd import MoneyError
from pkanban.domain.text import clean_text
from pkanban.io.csv_import import Problem, Row
from pkanban.io.escape import csv_unescape
from pkanban.io.mapping import Mapping, StagePlan, StageResolver
from pkanban.io.values import AmbiguousDate, DateOrder, parse_amount, parse_count, parse_import_date


@dataclass(slots=True)
class Record:
    """One importable row: the card it becomes (`card`, its missing dates filled in;
    `card.stage` None means the pool, or for won and lost the archive's stage), and what only an
    import needs: the row's line and physical lines, its re-import key, the created date the
    file gave (None: none), whether the file dated it, and the exported card it names."""

    line: int
    key: str  # the card's external_id
    card: NewCard
    created_in_file: date | None = None
    undated: bool = False  # no created (or, for won/lost, no closed) date in the file
    span: int = 1  # physical lines of the row
    pkanban_ref: tuple[str, int] | None = None  # (board id, card number) of an exported card


@dataclass
class Records:
    """What reading the rows found besides the records: kept for the report, one row at a time."""

    problems: list[Problem] = field(default_factory=list)
    same_by: str = "every field equal"  # or "same id": how rows are matched in this file
    left_out_lines: dict[str, int] = field(default_factory=dict)  # unknown_stage, stage_skip
    ambiguous_dates: int = 0


class RecordBuilder:
    """Reads rows one at a time (an import streams its file); rows with problems are left out
    and listed in `found`, never half-read. Repeated rows are the caller's to find: it keeps
    the keys (services/csv_import.py keeps them out of memory)."""

    def __init__(self, mapping: Mapping, resolver: StageResolver, order: DateOrder, today: date):
        self.reader = _RowReader(mapping, resolver, order, today)
        self.found = Records()
        if self.reader.id_column is not None or self.reader.pkanban_id is not None:
            self.found.same_by = "same id"

    def read(self, row: Row) -> Record | None:
        """The row's record, or None when it is a problem or left out by the stage map."""
        found = self.found
        try:
            record = self.reader.record(row)
        except _RowError as error:
            found.problems.append(Problem(row.line, str(error), row.span))
            found.ambiguous_dates += error.ambiguous
            return None
        if record is None:
            kind = "stage_skip" if self.reader.last_plan is not None else "unknown_stage"
            found.left_out_lines[kind] = found.left_out_lines.get(kind, 0) + row.span
        return record


class _RowError(ValueError):
    def __init__(self, message: str, ambiguous: bool = False):
        super().__init__(message)
        self.ambiguous = ambiguous


_TEXT_FIELDS = (
    "title",
    "account",
    "product",
    "id",
    "lane",
    "contact",
    "email",
    "phone",
    "source",
    "tags",
    "next_step",
    "lost_reason",
)
_DATE_FIELDS = (
    "created",
    "closed",
    "last_touch",
    "next_due",
    "won_time",
    "lost_time",
    "close_by",
)


_CACHED = 4096  # parsed cells kept: files repeat dates and amounts, but memory stays flat


class _RowReader:
    """Reads rows under one mapping: the mapped columns are looked up once per import, and
    each distinct date or amount cell is parsed once (exports repeat them row after row) — up
    to `_CACHED` of them at a time."""

    def __init__(self, mapping: Mapping, resolver: StageResolver, order: DateOrder, today: date):
        self.mapping = mapping
        self.resolver = resolver
        self.order = order
        self.today = today
        columns = mapping.columns
        self.texts = [(fld, columns[fld]) for fld in _TEXT_FIELDS if fld in columns]
        self.dates = [(fld, columns[fld]) for fld in _DATE_FIELDS if fld in columns]
        self.stage = columns.get("stage")
        self.status = columns.get("status")
        self.value = columns.get("value")
        self.touches = columns.get("touches")
        self.created = columns.get("created")
        self.id_column = mapping.header[columns["id"]] if "id" in columns else None
        self.pkanban_id = columns.get("pkanban_id")
        self.exported_key = columns.get("external_id")
        self.mapped = sorted(columns.items())  # every mapped (field, column): the row's identity
        self.last_plan: StagePlan | None = None
        self.parsed_dates: dict[str, date | None] = {}
        self.parsed_amounts: dict[str, int | None] = {}

    def record(self, row: Row) -> Record | None:
        cells = row.cells
        plan = self.resolver.plan(_cell(cells, self.stage), _cell(cells, self.status), row.line)
        self.last_plan = plan
        if plan is None or plan.disposition == "skip":
            return None  # unknown stages are reported together, from the resolver
        dates: dict[str, date | None] = dict.fromkeys(_DATE_FIELDS)
        for fld, index in self.dates:
            dates[fld] = self._date(cells[index], fld)
        closing = plan.disposition in ("won", "lost", "cleared")
        outcome_time = {"won": "won_time", "lost": "lost_time"}.get(plan.disposition)
        if outcome_time and dates[outcome_time] is not None:
            dates["closed"] = dates[outcome_time]  # each outcome by its own closing column
        close_by = None
        if not closing:  # on an open deal a close date is a forecast: its expected close
            close_by = dates["close_by"] or dates["closed"]
            dates["closed"] = None
        today = self.today
        for fld in ("created", "closed", "last_touch"):
            day = dates[fld]
            if day is not None and day > today:
                raise _RowError(
                    f"{_label(fld)} {dates[fld]} is after today ({today}) — import with"
                    " --today set to the day the file was exported"
                )
        created, closed = dates["created"], dates["closed"]
        if closing and created and closed and closed < created:
            raise _RowError(f"closed {closed} is before created {created}")
        texts = {fld: _text(cells[index]) for fld, index in self.texts}
        title = _title(texts, self.mapping)
        try:
            value = self._amount(_cell(cells, self.value))
            touches = 0 if self.touches is None else parse_count(cells[self.touches])
        except (MoneyError, ValueError) as error:
            raise _RowError(str(error)) from None
        key, ref = self._key(cells, texts)
        # A deal being worked (open, in an active stage) starts its idle clock at its last known
        # activity: the file's, else the import day — never its age; its touch count stays what
        # the file says. A row without a created date starts on its close date, else today.
        in_progress = not closing and plan.stage is not None
        first_day = created or closed or today
        card = NewCard(
            title=title,
            external_id=key,
            stage=plan.stage,
            disposition=plan.disposition,
            lane=texts.get("lane") or None,
            value=value,
            account=texts.get("account", ""),
            contact_name=texts.get("contact", ""),
            email=texts.get("email", ""),
            phone=texts.get("phone", ""),
            source=texts.get("source", ""),
            tags=_tags(texts.get("tags", "")),
            next_step=texts.get("next_step", ""),
            next_due=dates["next_due"],
            close_by=close_by,
            created=first_day,
            entered_stage=first_day,
            closed=(closed or today) if closing else None,
            last_touch=dates["last_touch"] or (today if in_progress else None),
            touch_count=touches,
            lost_reason=texts.get("lost_reason", "") if plan.disposition == "lost" else "",
        )
        return Record(
            line=row.line,
            key=key,
            card=card,
            created_in_file=created,
            undated=created is None or (closing and closed is None),
            span=row.span,
            pkanban_ref=ref,
        )

    def _key(self, cells: list[str], texts: dict[str, str]) -> tuple[str, tuple[str, int] | None]:
        """The row's re-import key, and the exported card it is when it comes from pkanban."""
        if self.pkanban_id is not None:
            exported = _text(_cell(cells, self.exported_key))
            if exported.startswith("pkanban:"):  # a card first exported from another board
                return exported, _pkanban_ref(exported.removeprefix("pkanban:"))
            ref = _pkanban_ref(cells[self.pkanban_id])
            if exported:
                return exported, ref
            if ref is not None:
                return f"pkanban:{ref[0]}/{ref[1]}", ref
        id_value = texts.get("id", "")
        if id_value:
            return f"{self.id_column}:{id_value}", None
        import hashlib  # only files without an id column need it (OpenSSL loads slowly)

        identity = "\x1f".join(f"{fld}={' '.join(cells[i].split())}" for fld, i in self.mapped)
        digest = hashlib.sha1(identity.encode(), usedforsecurity=False)
        return f"row:{digest.hexdigest()[:16]}", None

    def _date(self, text: str, fld: str) -> date | None:
        if text in self.parsed_dates:
            return self.parsed_dates[text]
        if len(self.parsed_dates) >= _CACHED:
            self.parsed_dates.clear()
        try:
            day = parse_import_date(text, self.order)
        except AmbiguousDate as error:
            raise _RowError(f"{_label(fld)}: {error}", ambiguous=True) from None
        except DateError as error:
            raise _RowError(f"{_label(fld)}: {error}") from None
        self.parsed_dates[text] = day
        return day

    def _amount(self, text: str) -> int | None:
        if text not in self.parsed_amounts:
            if len(self.parsed_amounts) >= _CACHED:
                self.parsed_amounts.clear()
            self.parsed_amounts[text] = parse_amount(text)
        return self.parsed_amounts[text]


def _pkanban_ref(text: str) -> tuple[str, int] | None:
    """`<board id>/<card number>` as pkanban's CSV export writes it, or None."""
    board_id, _, number = text.strip().rpartition("/")
    if board_id and number.isascii() and number.isdigit() and len(number) < 19:
        return clean_text(board_id), int(number)
    return None


def _cell(cells: list[str], index: int | None) -> str:
    return "" if index is None else cells[index]


def _text(raw: str) -> str:
    """A text cell on one line: control characters, formula markers and extra spaces gone."""
    return " ".join(clean_text(csv_unescape(raw)).split()) if raw else ""


def _tags(text: str) -> tuple[str, ...]:
    return tuple(tag.strip() for tag in text.replace(";", ",").split(",")) if text else ()


def _title(texts: dict[str, str], mapping: Mapping) -> str:
    title = texts.get("title", "")
    if title:
        return title
    account, product = texts.get("account", ""), texts.get("product", "")
    id_value = texts.get("id", "")
    parts = [part for part in (account, product) if part]
    if parts and not account and id_value:
        parts.append(id_value)
    if parts:
        return " · ".join(parts)
    if id_value:
        return id_value
    wanted = [f for f in ("title", "account", "product", "id") if f in mapping.columns]
    if not wanted:
        raise _RowError(
            "no column gives the card a title — map one with --map COLUMN=title (or COLUMN=account)"
        )
    raise _RowError(
        f"no title: the {', '.join(wanted)} cell{'s are' if len(wanted) > 1 else ' is'} empty"
    )


def _label(fld: str) -> str:
    return fld.replace("_", " ")
