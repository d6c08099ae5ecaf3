"""The tables that record themselves as events, by a fixed map: the only names that ever reach
SQL text from an event.

An event's `entity` comes from the database (and a restored board's events from a dump, which
anyone can write), so it is looked up here, never formatted into SQL as it is: `cards`,
`touches`, `notes`, `stages` and `lanes` (exactly, case-sensitive) map to their table and its
columns, and `board_meta:<key>` to a known board-level value. Anything else is an `UnknownEntity`.

One more entity keeps history compact: `card_range`, the cards an import created (ids
`first`…`last`, consecutive, none of them existing before), as one event instead of a snapshot
per card — its undo needs only the ids. Its `after` (or, for the undo that deleted them, its
`before`) is `{"first": …, "last": …, "count": …}`; `entity_id` and `card_id` are `first`.
"""

from collections.abc import Iterable

from pkanban.domain.errors import PkanbanError
from pkanban.domain.text import clean_text

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "stages": ("id", "name", "position", "kind", "wip_limit", "shelf_life_days", "probability"),
    "lanes": ("id", "name", "position", "wip_limit"),
    "cards": (
        "id",
        "title",
        "contact_name",
        "email",
        "phone",
        "value",
        "source",
        "tags",
        "checklist",
        "probability",
        "lane_id",
        "stage_id",
        "position",
        "created",
        "entered_stage",
        "last_touch",
        "touch_count",
        "next_step",
        "next_due",
        "blocked_reason",
        "snoozed_until",
        "snooze_reason",
        "disposition",
        "closed",
        "lost_reason",
        "pulled",
        "external_id",
        "version",
        "account",
        "close_by",
    ),
    "touches": ("id", "card_id", "day", "kind", "text"),
    "notes": ("id", "card_id", "day", "text", "edited"),
}
META_KEYS = ("settings", "replica", "calendar")
# Board values that belong to this machine, not to the board's content: a restored file or a
# dump never brings its own (a replica URL its author chose would receive every
# later change; a calendar path would be overwritten).
MACHINE_META_KEYS = ("replica", "calendar")
META_PREFIX = "board_meta:"


CARD_RANGE = "card_range"
_MAX_ID = 2**53  # as a dump's ids (io/dump_schema.py): JSON numbers stay exact up to here


class UnknownEntity(PkanbanError):
    """An event (or a write) names a table or column pkanban does not have."""


def table_name(entity: object) -> str:
    """The SQL name of an event's table: our own constant, never the text given."""
    for name in TABLE_COLUMNS:
        if entity == name:
            return name
    raise UnknownEntity(f"{_shown(entity)} is not a table pkanban records")


def meta_key(entity: object) -> str | None:
    """The board-level key of a `board_meta:<key>` entity, None for a table entity."""
    if not isinstance(entity, str) or not entity.startswith(META_PREFIX):
        table_name(entity)
        return None
    for key in META_KEYS:
        if entity == META_PREFIX + key:
            return key
    raise UnknownEntity(f"{_shown(entity)} is not a board value pkanban records")


def column_names(table: str, names: Iterable[str]) -> list[str]:
    """`names` checked against the table's columns; returns our own constants, in order."""
    known = TABLE_COLUMNS[table_name(table)]
    checked = []
    for name in names:
        match = next((column for column in known if column == name), None)
        if match is None:
            raise UnknownEntity(f"{_shown(name)} is not a column of {table}")
        checked.append(match)
    return checked


def _shown(text: object) -> str:
    shown = clean_text(str(text))
    return f"“{shown[:40]}…”" if len(shown) > 40 else f"“{shown}”"


def card_range(payload: object) -> tuple[int, int]:
    """The (first, last) ids of a `card_range` payload, checked (UnknownEntity otherwise)."""
    if not isinstance(payload, dict) or set(payload) != {"first", "last", "count"}:
        raise UnknownEntity("a card range is not {first, last, count}")
    first, last, count = payload["first"], payload["last"], payload["count"]
    if not all(type(value) is int for value in (first, last, count)):
        raise UnknownEntity("a card range holds a value that is not a whole number")
    if not 1 <= first <= last <= _MAX_ID or count != last - first + 1:
        raise UnknownEntity(f"the card range {first}…{last} of {count} cards does not add up")
    return first, last


def card_range_payload(first: int, last: int) -> dict:
    return {"first": first, "last": last, "count": last - first + 1}
