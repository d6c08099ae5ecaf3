"""The JSON dump: a whole board — settings, stages, lanes, cards (open and archived), touches,
actions and events — as one document that `pkanban import` restores losslessly.

Layout (`"format": "pkanban-dump"`, `"version": 1`): `schema_version`, `exported` (the day),
`meta` (board settings and other board-level values by key), then one list of rows per table
with the database's column names. Columns that hold JSON in the database (card `tags` and
`checklist`, event `before`/`after`, meta values) appear as JSON values, not strings, so the
dump reads naturally with `jq`; `decode` turns them back into exactly the text pkanban stores.

`decode` trusts nothing: the marker, versions, table shapes, strict ISO dates (pydantic would
read `"0"` as 1970-01-01) and text free of control characters are all checked, and any problem
is an `InvalidInput` naming the table and row.
"""

import json
from datetime import date

from pkanban.domain.dates import DateError, parse_iso_date
from pkanban.domain.errors import InvalidInput
from pkanban.domain.text import clean_text

DUMP_FORMAT = "pkanban-dump"
DUMP_VERSION = 1
TABLES = ("stages", "lanes", "cards", "touches", "actions", "events")
JSON_COLUMNS = {"cards": ("tags", "checklist"), "events": ("before", "after")}
DATE_COLUMNS = {
    "cards": (
        "created",
        "entered_stage",
        "last_touch",
        "next_due",
        "snoozed_until",
        "closed",
        "pulled",
    ),
    "touches": ("day",),
    "actions": ("day",),
}
# Single-line text that passed `clean_text` on the way in; touch text may span lines.
TEXT_COLUMNS = {
    "stages": ("name",),
    "lanes": ("name",),
    "cards": (
        "title",
        "contact_name",
        "email",
        "phone",
        "source",
        "next_step",
        "blocked_reason",
        "snooze_reason",
        "lost_reason",
    ),
}
MULTILINE_COLUMNS = {"touches": ("text",)}


def encode(schema_version: int, exported: date, meta: dict[str, str], tables: dict) -> str:
    """Write the dump, one row per line; `meta` and the JSON columns are given as stored.

    Event snapshots are spliced in as the JSON text pkanban stored (always `json.dumps`
    output), rather than parsed and dumped again: on a large board that halves the time.
    """
    head = {
        "format": DUMP_FORMAT,
        "version": DUMP_VERSION,
        "schema_version": schema_version,
        "exported": exported.isoformat(),
        "meta": {key: json.loads(value) for key, value in meta.items()},
    }
    out = [json.dumps(head, ensure_ascii=False, indent=1)[: -len("\n}")]]
    for table in TABLES:
        line = _event_line if table == "events" else _card_line if table == "cards" else _line
        rows = ",\n".join(line(row) for row in tables[table])
        out.append(f',\n "{table}": [\n{rows}\n ]')
    out.append("\n}\n")
    return "".join(out)


def _line(row: dict) -> str:
    return "  " + json.dumps(row, ensure_ascii=False)


def _card_line(row: dict) -> str:
    parsed = {column: json.loads(row[column]) for column in JSON_COLUMNS["cards"]}
    return _line(row | parsed)


def _event_line(row: dict) -> str:
    fixed = {key: value for key, value in row.items() if key not in ("before", "after")}
    before, after = row["before"] or "null", row["after"] or "null"
    return f'{_line(fixed)[:-1]}, "before": {before}, "after": {after}}}'


def decode(data: bytes, schema_version: int, table_columns: dict[str, list[str]]):
    """Read and check a dump; returns (meta as stored text by key, rows per table as stored)."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(f"Not a readable JSON file: {error}") from None
    if not isinstance(document, dict) or document.get("format") != DUMP_FORMAT:
        raise InvalidInput(
            'This JSON file is not a pkanban dump (no "format": "pkanban-dump") — export one'
            " with `pkanban export --format json`"
        )
    if document.get("version") != DUMP_VERSION or document.get("schema_version") != schema_version:
        raise InvalidInput(
            f"This dump was written by another pkanban version (dump {document.get('version')},"
            f" schema {document.get('schema_version')}; this one reads dump {DUMP_VERSION},"
            f" schema {schema_version})"
        )
    meta = document.get("meta")
    if not isinstance(meta, dict):
        raise InvalidInput('The dump has no "meta" object')
    tables = {table: _table(document, table, table_columns[table]) for table in TABLES}
    stored_meta = {str(key): json.dumps(value) for key, value in meta.items() if key != "app"}
    return stored_meta, tables


def _table(document: dict, table: str, columns: list[str]) -> list[dict]:
    rows = document.get(table)
    if not isinstance(rows, list):
        raise InvalidInput(f'The dump has no "{table}" list')
    known = set(columns)
    checked = []
    for position, row in enumerate(rows, 1):
        where = f"{table} row {position}"
        if not isinstance(row, dict) or not isinstance(row.get("id"), int):
            raise InvalidInput(f"The dump's {where} is not an object with an integer id")
        unknown = set(row) - known
        if unknown:
            names = ", ".join(sorted(unknown))
            raise InvalidInput(f"The dump's {where} has unknown columns: {names}")
        checked.append(_row(dict(row), table, f"{table} #{row['id']}"))
    return checked


def _row(row: dict, table: str, where: str) -> dict:
    for column in DATE_COLUMNS.get(table, ()):
        value = row.get(column)
        if value is not None:
            try:
                parse_iso_date(value if isinstance(value, str) else repr(value))
            except DateError as error:
                raise InvalidInput(f"The dump's {where} has a bad {column}: {error}") from None
    for columns, multiline in ((TEXT_COLUMNS, False), (MULTILINE_COLUMNS, True)):
        for column in columns.get(table, ()):
            value = row.get(column)
            if value is not None and (
                not isinstance(value, str) or clean_text(value, multiline=multiline) != value
            ):
                raise InvalidInput(
                    f"The dump's {where} has a {column} with control characters (or not text)"
                )
    for column in JSON_COLUMNS.get(table, ()):
        if row.get(column) is not None:
            row[column] = json.dumps(row[column], ensure_ascii=False)
    return row
