"""The JSON dump: a whole board — settings, stages, lanes, cards (open and archived), touches,
notes, actions and events — as one document that `pkanban import` restores losslessly.

Layout (`"format": "pkanban-dump"`, `"version": 1`): `schema_version`, `exported` (the day),
`meta` (board settings and other board-level values by key), then one list of rows per table
with the database's column names. Columns that hold JSON in the database (card `tags` and
`checklist`, event `before`/`after`, meta values) appear as JSON values, not strings, so the
dump reads naturally with `jq`; `decode` turns them back into exactly the text pkanban stores.

A dump of an earlier schema still imports: a column added since (e.g. a card's `account`,
schema 3) is optional in the schema and takes its default.

`decode` trusts nothing: the marker and versions are checked, then every table by the strict
schema of io/dump_schema.py (the services' own limits, known stages, lanes, cards, actions and
tables); any problem is one `InvalidInput` line naming the table, row and field. Dumps of every
earlier schema keep importing: a table newer than the dump's schema (`TABLES_SINCE`) is empty
in it (tests/io/data holds a frozen dump of each schema).
"""

import json
from datetime import date

from pkanban.domain.errors import InvalidInput

DUMP_FORMAT = "pkanban-dump"
DUMP_VERSION = 1
TABLES = ("stages", "lanes", "cards", "touches", "notes", "actions", "events")
# What each schema's dumps hold: a dump from an older pkanban lacks the newer tables.
TABLES_SINCE = {"notes": 2}
JSON_COLUMNS = {"cards": ("tags", "checklist"), "events": ("before", "after")}
_PARTS = {"format", "version", "schema_version", "exported", "meta", *TABLES}


def columns(table: str) -> tuple[str, ...]:
    """A table's columns, in our own words (the schema's): the only names a restore puts
    into SQL."""
    from pkanban.io.dump_schema import MODELS

    return tuple(MODELS[table].model_fields)


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


def decode(data: bytes, schema_version: int) -> tuple[dict[str, str], dict[str, list[dict]]]:
    """Read and check a dump; returns (meta as stored text by key, rows per table as stored).

    The schema is loaded here: pydantic is too slow to import for every export."""
    from pkanban.io.dump_schema import check_board, check_meta, shown, validated_rows

    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise InvalidInput(f"Not a readable JSON file: {shown(str(error), 200)}") from None
    if not isinstance(document, dict) or document.get("format") != DUMP_FORMAT:
        raise InvalidInput(
            'This JSON file is not a pkanban dump (no "format": "pkanban-dump") — export one'
            " with `pkanban export --format json`"
        )
    version, schema = document.get("version"), document.get("schema_version")
    if (
        type(version) is not int
        or type(schema) is not int
        or version != DUMP_VERSION
        or not 1 <= schema <= schema_version
    ):
        raise InvalidInput(
            f"This dump was written by another pkanban version (dump “{shown(version)}”,"
            f" schema “{shown(schema)}”; this one reads dump {DUMP_VERSION},"
            f" schemas 1–{schema_version})"
        )
    unknown = sorted(str(part) for part in set(document) - _PARTS)
    if unknown:
        raise InvalidInput(f"The dump has an unknown part {shown(unknown[0])}")
    meta = check_meta(document.get("meta"))
    tables = {
        table: validated_rows(table, document.get(table, [] if schema < since else None))
        for table, since in ((table, TABLES_SINCE.get(table, 1)) for table in TABLES)
    }
    check_board(tables)
    for table, columns in JSON_COLUMNS.items():
        for row in tables[table]:
            for column in columns:
                if row[column] is not None:
                    row[column] = json.dumps(row[column], ensure_ascii=False)
    stored_meta = {key: json.dumps(value) for key, value in meta.items()}
    return stored_meta, tables
