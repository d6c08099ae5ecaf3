"""Board settings, stages and lanes: every change is an action with its event, so limit
changes show in the history and can be undone."""

from datetime import date
from enum import Enum, auto
from typing import Literal

from pkanban.domain.errors import InvalidInput
from pkanban.domain.models import (
    MAX_DAYS,
    MAX_NAME,
    MAX_WIP_LIMIT,
    Settings,
    validated_settings,
)
from pkanban.domain.text import clean_text
from pkanban.store import board
from pkanban.store.database import ActionLog, Store

Table = Literal["stages", "lanes"]


class _Unset(Enum):
    """A limit the caller did not give (None is a given "no limit")."""

    UNSET = auto()


UNSET = _Unset.UNSET
Unset = Literal[_Unset.UNSET]


def set_setting(store: Store, today: date, key: str, raw: str) -> Settings:
    """Set one board setting from text (`touch_target 5`, `earn_next_lead off`)."""
    current = board.settings(store.conn)
    if key not in Settings.names():
        names = ", ".join(Settings.names())
        raise InvalidInput(f'No setting "{key}" — settings are: {names}')
    value = _parse_setting(key, raw)
    updated = validated_settings({**current.as_json(), key: value})
    shown = ", ".join(value) if isinstance(value, tuple) else clean_text(raw).strip()
    with store.action("settings changed", f"Set {key} to {shown}", today) as log:
        log.set_meta("settings", updated.as_json())
    return updated


def update_stage(
    store: Store,
    today: date,
    name: str,
    *,
    wip_limit: int | Unset | None = UNSET,
    shelf_life_days: int | Unset | None = UNSET,
    probability: float | Unset | None = UNSET,
    new_name: str | None = None,
    position: int | None = None,
    kind: str | None = None,
) -> None:
    """Change a stage's limit, shelf life, probability, name, kind or place in the order."""
    with store.transaction():
        stage = board.find_stage(store.conn, name)
        changes = _changes(wip_limit=wip_limit, shelf_life_days=shelf_life_days)
        if probability is not UNSET:
            if probability is not None and not 0 <= probability <= 1:
                raise InvalidInput("A probability is between 0 and 1 (0.4 = 40 %)")
            changes["probability"] = probability
        if new_name is not None:
            changes["name"] = _name(store, "stages", new_name, stage.id)
        if kind is not None:
            changes["kind"] = _kind(kind)
        _apply(store, today, "stages", stage.id, stage.name, changes, position)


def update_lane(
    store: Store,
    today: date,
    name: str,
    *,
    wip_limit: int | Unset | None = UNSET,
    new_name: str | None = None,
    position: int | None = None,
) -> None:
    with store.transaction():
        lane = board.find_lane(store.conn, name)
        changes = _changes(wip_limit=wip_limit)
        if new_name is not None:
            changes["name"] = _name(store, "lanes", new_name, lane.id)
        _apply(store, today, "lanes", lane.id, lane.name, changes, position)


def add_stage(
    store: Store,
    today: date,
    name: str,
    *,
    kind: str = "active",
    wip_limit: int | None = None,
    shelf_life_days: int | None = None,
    probability: float | None = None,
) -> None:
    kind = _kind(kind)
    with store.transaction():
        row = {
            "name": _name(store, "stages", name, None),
            "position": len(board.stages(store.conn)),
            "kind": kind,
            **_changes(wip_limit=wip_limit, shelf_life_days=shelf_life_days),
            "probability": probability,
        }
        with store.action("stage added", f"Added stage {row['name']}", today) as log:
            log.insert("stages", row)


def add_lane(store: Store, today: date, name: str, *, wip_limit: int | None = None) -> None:
    with store.transaction():
        row = {
            "name": _name(store, "lanes", name, None),
            "position": len(board.lanes(store.conn)),
            **_changes(wip_limit=wip_limit),
        }
        with store.action("lane added", f"Added lane {row['name']}", today) as log:
            log.insert("lanes", row)


def _apply(
    store: Store,
    today: date,
    table: Table,
    row_id: int,
    label: str,
    changes: dict[str, object],
    position: int | None,
) -> None:
    """Write the changes (and a reorder) as one action; a limit change names itself."""
    if not changes and position is None:
        raise InvalidInput(
            "Nothing to change — give --wip, --shelf, --prob, --kind, --rename or --position"
        )
    kind = "limit changed" if "wip_limit" in changes else "settings changed"
    summary = f"Changed {label}: " + ", ".join(f"{k}={v}" for k, v in changes.items())
    if position is not None:
        summary += f" position={position}"
    with store.action(kind, summary, today) as log:
        if changes:
            log.update(table, row_id, changes)
        if position is not None:
            _reorder(store, log, table, row_id, position)


def _reorder(store: Store, log: ActionLog, table: Table, row_id: int, position: int) -> None:
    ids = board.ids_in_order(store.conn, table)
    if not 1 <= position <= len(ids):
        raise InvalidInput(f"Position must be between 1 and {len(ids)}")
    ids.remove(row_id)
    ids.insert(position - 1, row_id)
    for index, each in enumerate(ids):
        if log.snapshot(table, each)["position"] != index:
            log.update(table, each, {"position": index})


def _kind(kind: str) -> str:
    if kind not in ("pool", "active"):
        raise InvalidInput("A stage kind is pool or active")
    return kind


def _changes(**limits: int | Unset | None) -> dict[str, object]:
    changes: dict[str, object] = {}
    for key, value in limits.items():
        if value is UNSET:
            continue
        least, most = (0, MAX_WIP_LIMIT) if key == "wip_limit" else (1, MAX_DAYS)
        if value is not None and (not isinstance(value, int) or not least <= value <= most):
            raise InvalidInput(
                f"{key.replace('_', ' ')} must be a whole number from {least} to {most:,}"
            )
        changes[key] = value
    return changes


def _name(store: Store, table: Table, name: str, own_id: int | None) -> str:
    cleaned = clean_text(name).strip()
    if not cleaned or len(cleaned) > MAX_NAME:
        raise InvalidInput(f"A name needs 1 to {MAX_NAME} characters")
    clash = board.id_named(store.conn, table, cleaned)
    if clash is not None and clash != own_id:
        raise InvalidInput(f'"{cleaned}" is already taken')
    return cleaned


def _parse_setting(key: str, raw: str) -> object:
    if clean_text(raw) != raw:
        raise InvalidInput(f"{key}: control characters are not allowed")
    if key == "checklist":
        return tuple(item.strip() for item in clean_text(raw).split(",") if item.strip())
    if Settings.kind(key) is bool:
        lowered = raw.strip().lower()
        if lowered in ("on", "true", "yes", "1"):
            return True
        if lowered in ("off", "false", "no", "0"):
            return False
        raise InvalidInput(f"{key} is on or off")
    return clean_text(raw).strip()
