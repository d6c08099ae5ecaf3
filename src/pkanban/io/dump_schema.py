"""The JSON dump's schema: strict pydantic models, one per table, with the services' own limits.

A dump is untrusted input, so each row is validated exactly as the CLI validates a user: the
same text limits (`MAX_TITLE`, `MAX_TEXT`, `MAX_NAME`), value range (`MAX_VALUE`), probability
0–1, strict ISO dates (`parse_iso_date`, never pydantic's lax dates), text free of control
characters; ids are JSON-safe (1..2**53, so SQLite never picks rowids at random). Then the
board as a whole: stages and lanes exist, at most one pool stage, cards name known stages and
lanes, touches known cards, events known actions and known tables (store/tables.py) with
snapshots that are valid rows of them, every `undo_of` an earlier action.

The first problem is an `InvalidInput` of one line naming the table, the row (its id) and the
field; anything quoted from the dump is cleaned first.
"""

import json
import re
from collections.abc import Callable
from datetime import datetime
from types import GenericAlias
from typing import Annotated, Any, Literal, cast

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from pkanban.domain.dates import DateError, parse_iso_date
from pkanban.domain.errors import InvalidInput
from pkanban.domain.models import (
    MAX_DAYS,
    MAX_NAME,
    MAX_TEXT,
    MAX_TITLE,
    MAX_WIP_LIMIT,
    Settings,
    TouchKind,
    validated_settings,
)
from pkanban.domain.money import MAX_VALUE
from pkanban.domain.text import clean_text
from pkanban.store.tables import CARD_RANGE, META_KEYS, UnknownEntity, card_range, meta_key

MAX_ID = 2**53
# Columns added after schema 1: a snapshot an event took before its board was upgraded lacks them.
ADDED_LATER = ("account", "close_by")
MAX_STAMP = 64


def _between(low: float, high: float) -> AfterValidator:
    def check(value: float) -> float:
        if not low <= value <= high:
            raise ValueError(f"must be between {low:,} and {high:,}")
        return value

    return AfterValidator(check)


def _text(limit: int, *, required: bool = False, multiline: bool = False) -> AfterValidator:
    def check(value: str) -> str:
        if clean_text(value, multiline=multiline) != value:
            raise ValueError("holds control characters")
        if required and not value.strip():
            raise ValueError("cannot be empty")
        if len(value) > limit:
            raise ValueError(f"is {len(value):,} characters long; the most is {limit:,}")
        return value

    return AfterValidator(check)


def _iso_date(value: str) -> str:
    try:
        return parse_iso_date(value).isoformat()
    except DateError as error:
        raise ValueError(str(error)) from None


def _stamp(value: str) -> str:
    try:
        if len(value) > MAX_STAMP or clean_text(value) != value:
            raise ValueError
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("is not a time like 2026-11-25T09:30:00+00:00") from None
    return value


Id = Annotated[int, _between(1, MAX_ID)]
Whole = Annotated[int, _between(-MAX_ID, MAX_ID)]
Limit = Annotated[int, _between(0, MAX_ID)]
ShelfLife = Annotated[int, _between(1, MAX_ID)]
WipLimit = Annotated[int, _between(0, MAX_WIP_LIMIT)]
Days = Annotated[int, _between(1, MAX_DAYS)]
Probability = Annotated[float, _between(0, 1)]
Value = Annotated[int, _between(0, MAX_VALUE)]
Position = Annotated[float, _between(-MAX_ID, MAX_ID)]
Day = Annotated[str, AfterValidator(_iso_date)]
Name = Annotated[str, _text(MAX_NAME, required=True)]
Title = Annotated[str, _text(MAX_TITLE, required=True)]
Short = Annotated[str, _text(MAX_TITLE)]
Long = Annotated[str, _text(MAX_TEXT)]


class _Row(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)

    id: Id


class StageRow(_Row):
    name: Name
    position: Whole
    kind: Literal["pool", "active"] = "active"
    wip_limit: WipLimit | None = None
    shelf_life_days: Days | None = None
    probability: Probability | None = None


class LaneRow(_Row):
    name: Name
    position: Whole
    wip_limit: WipLimit | None = None


class CardRow(_Row):
    title: Title
    contact_name: Short = ""
    email: Short = ""
    phone: Short = ""
    value: Value | None = None
    source: Short = ""
    tags: list[Title] = Field(default_factory=list)
    checklist: dict[Title, bool] = Field(default_factory=dict)
    probability: Probability | None = None
    lane_id: Id
    stage_id: Id
    position: Position = 0
    created: Day
    entered_stage: Day
    last_touch: Day | None = None
    touch_count: Limit = 0
    next_step: Long = ""
    next_due: Day | None = None
    blocked_reason: Long = ""
    snoozed_until: Day | None = None
    snooze_reason: Long = ""
    disposition: Literal["open", "won", "lost", "cleared"] = "open"
    closed: Day | None = None
    lost_reason: Long = ""
    pulled: Day | None = None
    external_id: Title | None = None
    version: ShelfLife = 1
    account: Short = ""  # schema 3; dumps of schemas 1 and 2 have none
    close_by: Day | None = None  # schema 4; earlier dumps have none


class TouchRow(_Row):
    card_id: Id
    day: Day
    kind: TouchKind
    text: Annotated[str, _text(MAX_TEXT, multiline=True)] = ""


class NoteRow(_Row):
    card_id: Id
    day: Day
    text: Annotated[str, _text(MAX_TEXT, required=True, multiline=True)]
    edited: Day | None = None


class ActionRow(_Row):
    at: Annotated[str, AfterValidator(_stamp)]
    day: Day
    kind: Annotated[str, _text(MAX_NAME, required=True)]
    summary: Long
    undo_of: Id | None = None


class EventRow(_Row):
    action_id: Id
    entity: Annotated[str, _text(MAX_NAME, required=True)]
    entity_id: Id | None = None
    card_id: Id | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


MODELS: dict[str, type[_Row]] = {
    "stages": StageRow,
    "lanes": LaneRow,
    "cards": CardRow,
    "touches": TouchRow,
    "notes": NoteRow,
    "actions": ActionRow,
    "events": EventRow,
}
# One `list[<model>]` per table, built from the map (a value here, not a written type).
_ADAPTERS: dict[str, TypeAdapter[Any]] = {
    table: TypeAdapter(cast(type[list[Any]], GenericAlias(list, (model,))))
    for table, model in MODELS.items()
}
_TYPE_MESSAGES = {
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "finite_number": "must be a finite number",
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "missing": "is missing",
}


def shown(value: object, limit: int = 40) -> str:
    """Dump text as a message may quote it: cleaned, one line, cut short."""
    text = clean_text(value if isinstance(value, str) else json.dumps(value, default=str))
    return text if len(text) <= limit else text[:limit] + "…"


def validated_rows(table: str, rows: object) -> list[dict]:
    """The rows of one table, each checked by its model; returned as the model dumps them."""
    if not isinstance(rows, list):
        raise InvalidInput(f'The dump has no "{table}" list')
    try:
        checked = _ADAPTERS[table].validate_python(rows)
    except ValidationError as error:
        raise InvalidInput(_message(table, rows, error.errors()[0])) from None
    return [row.model_dump() for row in checked]


def _message(table: str, rows: list, problem: ErrorDetails) -> str:
    index, *path = problem["loc"]
    row = rows[index] if isinstance(index, int) else None
    row_id = row.get("id") if isinstance(row, dict) else None
    number = index + 1 if isinstance(index, int) else index
    where = f"{table} #{row_id}" if isinstance(row_id, int) else f"{table} row {number}"
    return _problem(where, path, problem)


def _problem(where: str, path: list, problem: ErrorDetails) -> str:
    if not path:
        return f"The dump's {where} is not an object"
    field = shown(path[0])
    kind = problem["type"]
    if kind == "extra_forbidden":
        return f"The dump's {where} has unknown columns: {field}"
    if kind == "value_error":
        message = str(problem["ctx"]["error"])
    elif kind == "literal_error":
        message = f"must be {problem['ctx']['expected']}"
    else:
        message = _TYPE_MESSAGES.get(kind, "is not valid")
    if len(path) > 1:
        message += f" (at {shown(path[1])})"
    return f"The dump's {where} has a bad {field}: {message}"


_BOARD_ID = re.compile(r"[0-9a-f]{32}")  # uuid4().hex, as store/schema.py makes it


def check_meta(meta: object) -> dict:
    """The board-level values: known keys only (`app` is the file's own and is ignored),
    settings validated like `pkanban config set`, and the board id the dump's CSV exports
    name their cards by (a restored board is the same board, so it keeps it)."""
    if not isinstance(meta, dict):
        raise InvalidInput('The dump has no "meta" object')
    checked: dict[str, object] = {}
    for key, value in meta.items():
        if key in ("app", "replica", "calendar"):
            # The file's own marker; a replica streams from the original board only; a
            # calendar file is a path of the machine the dump was made on.
            continue
        if key == "board_id":
            if not isinstance(value, str) or not _BOARD_ID.fullmatch(value):
                raise InvalidInput("The dump's meta has a bad board_id: not a board id")
            checked[key] = value
            continue
        if key not in META_KEYS:
            raise InvalidInput(f"The dump's meta has an unknown key {shown(key)}")
        checked[key] = _settings(value, "meta settings")
    return checked


def _replica_setting(value: object, where: str) -> None:
    """A replica setting in history: `{"url": text or null, "board_id": text}`, clean text."""
    if (
        not isinstance(value, dict)
        or set(value) - {"url", "board_id"}
        or not all(item is None or isinstance(item, str) for item in value.values())
        or any(
            item and (clean_text(item) != item or len(item) > MAX_TEXT) for item in value.values()
        )
    ):
        raise InvalidInput(f"The dump's {where} is not a replica setting")


def _calendar_setting(value: object, where: str) -> None:
    """A calendar file setting in history: `{"path": text or null}`, clean text."""
    path = value.get("path") if isinstance(value, dict) and set(value) == {"path"} else 0
    if not (path is None or (isinstance(path, str) and clean_text(path) == path)) or (
        isinstance(path, str) and len(path) > MAX_TEXT
    ):
        raise InvalidInput(f"The dump's {where} is not a calendar file setting")


def _settings(value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise InvalidInput(f"The dump's {where} is not an object")
    for name, setting in value.items():
        if name not in Settings.names():
            raise InvalidInput(f"The dump's {where} has an unknown setting “{shown(name)}”")
        texts = setting if isinstance(setting, list) else [setting]
        if any(isinstance(text, str) and clean_text(text) != text for text in texts):
            raise InvalidInput(f"The dump's {where} has a bad {name}: holds control characters")
    try:
        return validated_settings(value).as_json()
    except InvalidInput as error:
        raise InvalidInput(f"The dump's {where} has a bad {shown(str(error), 200)}") from None


def check_board(tables: dict[str, list[dict]]) -> None:
    """The rules that span rows and tables (see the module docstring)."""
    for table, rows in tables.items():
        _unique(table, rows, "id")
    stages, lanes = tables["stages"], tables["lanes"]
    if not stages or not lanes:
        raise InvalidInput("The dump has no stages or no lanes; a board needs at least one of each")
    for table in ("stages", "lanes"):
        _unique(table, tables[table], "name", str.casefold)
    pools = [stage for stage in stages if stage["kind"] == "pool"]
    if len(pools) > 1:
        raise InvalidInput(f"The dump's stages #{pools[1]['id']} has a bad kind: a second pool")
    stage_ids = {stage["id"] for stage in stages}
    lane_ids = {lane["id"] for lane in lanes}
    card_ids = {card["id"] for card in tables["cards"]}
    _unique("cards", [c for c in tables["cards"] if c["external_id"] is not None], "external_id")
    for card in tables["cards"]:
        _known(card, "cards", "stage_id", stage_ids, "stage")
        _known(card, "cards", "lane_id", lane_ids, "lane")
        if card["disposition"] != "open" and card["closed"] is None:
            raise InvalidInput(
                f"The dump's cards #{card['id']} has a bad closed: a {card['disposition']} card"
                " needs the day it closed"
            )
    for table in ("touches", "notes"):
        for row in tables[table]:
            _known(row, table, "card_id", card_ids, "card")
    earlier: set[int] = set()
    for action in sorted(tables["actions"], key=lambda action: action["id"]):
        if action["undo_of"] is not None and action["undo_of"] not in earlier:
            raise InvalidInput(
                f"The dump's actions #{action['id']} has a bad undo_of: no earlier action"
                f" #{action['undo_of']}"
            )
        earlier.add(action["id"])
    for event in tables["events"]:
        _known(event, "events", "action_id", earlier, "action")
        _check_event(event)


def _unique(
    table: str, rows: list[dict], column: str, key: Callable[[Any], object] = lambda value: value
) -> None:
    seen = set()
    for row in rows:
        value = key(row[column])
        if value in seen:
            raise InvalidInput(
                f"The dump's {table} #{row['id']} has a bad {column}: {shown(row[column])}"
                " appears twice"
            )
        seen.add(value)


def _known(row: dict, table: str, column: str, known: set[int], what: str) -> None:
    if row[column] not in known:
        raise InvalidInput(
            f"The dump's {table} #{row['id']} has a bad {column}: no {what} #{row[column]} in"
            " the dump"
        )


def _check_event(event: dict) -> None:
    """An event names a known table or board value, and its snapshots are valid rows of it."""
    where = f"events #{event['id']}"
    if event["entity"] == CARD_RANGE:
        _check_card_range(event, where)
        return
    try:
        key = meta_key(event["entity"])
    except UnknownEntity:
        raise InvalidInput(
            f"The dump's {where} has a bad entity: “{shown(event['entity'])}” is not a table"
            " pkanban records"
        ) from None
    for side in ("before", "after"):
        snapshot = event[side]
        if snapshot is None:
            continue
        if key == "replica":
            _replica_setting(snapshot, f"{where} {side}")
        elif key == "calendar":
            _calendar_setting(snapshot, f"{where} {side}")
        elif key is not None:
            _settings(snapshot, f"{where} {side}")  # checked; kept as written, like history
        else:
            _snapshot_row(event["entity"], snapshot, f"{where} {side}")
    snapshot = event["after"] or event["before"]
    expected_card = None
    if key is None:
        if snapshot is None or snapshot["id"] != event["entity_id"]:
            raise InvalidInput(f"The dump's {where} has a bad entity_id: not its row's id")
        is_card = event["entity"] == "cards"
        expected_card = event["entity_id"] if is_card else snapshot.get("card_id")
    elif event["entity_id"] is not None:
        raise InvalidInput(f"The dump's {where} has a bad entity_id: a board value has none")
    if event["card_id"] != expected_card:
        raise InvalidInput(f"The dump's {where} has a bad card_id: not the card of its row")


def _check_card_range(event: dict, where: str) -> None:
    """An import's cards as one event (store/tables.py): a range on one side, its first id as
    the event's entity and card."""
    sides = [event[side] for side in ("before", "after") if event[side] is not None]
    try:
        if len(sides) != 1:
            raise UnknownEntity("a card range is on one side of its event")
        first, _ = card_range(sides[0])
    except UnknownEntity as error:
        raise InvalidInput(f"The dump's {where} has a bad card range: {error}") from None
    if event["entity_id"] != first or event["card_id"] != first:
        raise InvalidInput(f"The dump's {where} has a bad card range: not named by its first id")


def _snapshot_row(table: str, snapshot: dict, where: str) -> dict:
    """A row as an event stored it (card tags and checklist as JSON text), checked by the
    table's model: every column there, each as pkanban stores it. Returned unchanged, so the
    history reads back exactly."""
    row = dict(snapshot)
    if table == "cards":
        for column in ("tags", "checklist"):
            if isinstance(row.get(column), str):
                try:
                    row[column] = json.loads(row[column])
                except json.JSONDecodeError:
                    raise InvalidInput(f"The dump's {where} has a bad {column}") from None
    try:
        checked = MODELS[table].model_validate(row).model_dump()
    except ValidationError as error:
        problem = error.errors()[0]
        raise InvalidInput(_problem(where, list(problem["loc"]), problem)) from None
    missing = [column for column in checked if column not in row and column not in ADDED_LATER]
    if missing:
        raise InvalidInput(f"The dump's {where} has a bad {missing[0]}: is missing")
    changed = [column for column in row if checked[column] != row[column]]
    if changed:
        raise InvalidInput(f"The dump's {where} has a bad {changed[0]}: not as pkanban stores it")
    return snapshot
