"""CSV rows → card records: every cell read with the strict readers, every problem kept with its
line number, nothing written anywhere (the import service does that in one transaction).

Titles: the title column; if there is none (or it is blank) the account and product joined with
` · ` (plus the id when the account is blank, so open deals of one product stay apart); else the
id. Re-import key (`external_id`): `<id column>:<id>` when an id column is mapped, else
`row:` + the first 16 hex digits of SHA-1 over the title, the created cell and the value, so an
unchanged row is recognised however often the file is imported.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from pkanban.domain.dates import DateError
from pkanban.domain.quickadd import MoneyError
from pkanban.domain.text import clean_text
from pkanban.io.csv_import import Problem, Row, Table
from pkanban.io.escape import csv_unescape
from pkanban.io.mapping import Mapping, StageResolver
from pkanban.io.values import AmbiguousDate, DateOrder, parse_amount, parse_count, parse_import_date


@dataclass
class Record:
    """One importable row: the card's fields as the service hands them to `insert_card`."""

    line: int
    title: str
    external_id: str
    stage: str | None  # None: the pool (open) or the archive stage (won/lost)
    disposition: str
    lane: str | None = None
    value: int | None = None
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    source: str = ""
    tags: tuple[str, ...] = ()
    next_step: str = ""
    next_due: date | None = None
    created: date | None = None
    closed: date | None = None
    last_touch: date | None = None
    touch_count: int = 0
    lost_reason: str = ""
    undated: bool = False  # no created (or, for won/lost, no closed) date in the file


@dataclass
class Records:
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (line, first line)
    ambiguous_dates: int = 0


def build_records(
    table: Table,
    rows: list[Row],
    mapping: Mapping,
    resolver: StageResolver,
    order: DateOrder,
    today: date,
) -> Records:
    """Read every row; rows with problems are left out and listed, never half-read."""
    result = Records()
    first_line: dict[str, int] = {}
    for row in rows:
        try:
            record = _record(row, mapping, resolver, order, today)
        except _RowError as error:
            result.problems.append(Problem(row.line, str(error)))
            result.ambiguous_dates += error.ambiguous
            continue
        if record is None:
            continue
        if record.external_id in first_line:
            result.duplicates.append((row.line, first_line[record.external_id]))
            continue
        first_line[record.external_id] = row.line
        result.records.append(record)
    return result


class _RowError(ValueError):
    def __init__(self, message: str, ambiguous: bool = False):
        super().__init__(message)
        self.ambiguous = ambiguous


def _record(
    row: Row, mapping: Mapping, resolver: StageResolver, order: DateOrder, today: date
) -> Record | None:
    def cell(fld: str) -> str:
        index = mapping.columns.get(fld)
        return "" if index is None else row.cells[index]

    def text(fld: str) -> str:
        raw = cell(fld)
        return " ".join(clean_text(csv_unescape(raw)).split()) if raw else ""

    plan = resolver.plan(cell("stage"), cell("status"), row.line)
    if plan is None or plan.disposition == "skip":
        return None  # unknown stages are reported together, from the resolver
    dates = {fld: _date(cell(fld), fld, order) for fld in ("created", "closed", "last_touch")}
    next_due = _date(cell("next_due"), "next_due", order)
    closing = plan.disposition in ("won", "lost", "cleared")
    if not closing:
        dates["closed"] = None  # on an open deal a close date is a forecast
    for fld in ("created", "closed", "last_touch"):
        if dates[fld] is not None and dates[fld] > today:
            raise _RowError(
                f"{_label(fld)} {dates[fld]} is after today ({today}) — import with"
                " --today set to the day the file was exported"
            )
    if closing and dates["created"] and dates["closed"] and dates["closed"] < dates["created"]:
        raise _RowError(f"closed {dates['closed']} is before created {dates['created']}")
    title = _title(text, mapping)
    try:
        value = parse_amount(cell("value"))
        touches = parse_count(cell("touches"))
    except (MoneyError, ValueError) as error:
        raise _RowError(str(error)) from None
    id_value = text("id")
    if id_value:
        key = f"{mapping.header[mapping.columns['id']]}:{id_value}"
    else:
        digest = hashlib.sha1(
            f"{title}\x1f{cell('created').strip()}\x1f{value}".encode(), usedforsecurity=False
        )
        key = f"row:{digest.hexdigest()[:16]}"
    return Record(
        line=row.line,
        title=title,
        external_id=key,
        stage=plan.stage,
        disposition=plan.disposition,
        lane=text("lane") or None,
        value=value,
        contact_name=text("contact"),
        email=text("email"),
        phone=text("phone"),
        source=text("source"),
        tags=tuple(tag.strip() for tag in text("tags").replace(";", ",").split(",")),
        next_step=text("next_step"),
        next_due=next_due,
        created=dates["created"],
        closed=dates["closed"],
        last_touch=dates["last_touch"],
        touch_count=touches,
        lost_reason=text("lost_reason") if plan.disposition == "lost" else "",
        undated=dates["created"] is None or (closing and dates["closed"] is None),
    )


def _title(text, mapping: Mapping) -> str:
    title = text("title")
    if title:
        return title
    account, product, id_value = text("account"), text("product"), text("id")
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


def _date(text: str, fld: str, order: DateOrder) -> date | None:
    try:
        return parse_import_date(text, order)
    except AmbiguousDate as error:
        raise _RowError(f"{_label(fld)}: {error}", ambiguous=True) from None
    except DateError as error:
        raise _RowError(f"{_label(fld)}: {error}") from None


def _label(fld: str) -> str:
    return fld.replace("_", " ")
