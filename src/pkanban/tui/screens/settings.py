"""`,` on the board (or "Settings" in the palette): stages, lanes and the board's settings, changed
with keys.

Three tables, Tab between them: stages (name, kind, WIP limit, shelf life, probability), lanes
(name, WIP limit) and the board settings. Enter edits the value under the cursor in a one-line
prompt — or flips it, for a stage's kind and an on/off setting; `a` adds a stage or a lane, `r`
renames one, Shift+↑/↓ (`K`/`J`) move it. Every change is the very service call `pkanban config`
makes (`services.config`), so the same rules refuse the same input — shown in the prompt, which
stays open for a correction — and each change is one recorded action that `u` undoes here as on
the board. A WIP limit lowered below the open cards is taken as given: the table and the board
show the stage over its limit.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import ClassVar, TypedDict

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from pkanban.domain.limits import parse_optional_int, parse_optional_probability
from pkanban.domain.models import Lane, Settings, Stage
from pkanban.domain.rules import counts_toward, over_by
from pkanban.services import config as settings_actions
from pkanban.services.undo import undo_last
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.screens.prompt import PromptScreen
from pkanban.tui.screens.working import OnTheBoard
from pkanban.tui.text import plain, tell
from pkanban.tui.widgets.headers import fullness
from pkanban.tui.widgets.key_footer import KeyFooter
from pkanban.tui.widgets.settings_table import SettingsTable, cell

STAGE_COLUMNS = (
    ("name", "Stage"),
    ("kind", "Kind"),
    ("wip", "WIP limit"),
    ("open", "Open cards"),
    ("shelf", "Shelf life"),
    ("prob", "Probability"),
)
LANE_COLUMNS = (("name", "Lane"), ("wip", "WIP limit"), ("open", "In active stages"))
SETTING_LABELS = {
    "best_by_percentile": "Best-by percentile",
    "best_by_fallback_days": "Best-by fallback (days)",
    "best_by_min_wins": "Wins before best-by is measured",
    "touch_target": "Touch target",
    "idle_days": "Idle after (days)",
    "currency": "Currency",
    "earn_next_lead": "Earn the next lead",
    "yearly_review": "Yearly review day (MM-DD)",
    "low_value_threshold": "Low-value threshold",
    "accounts_lane": "Accounts lane",
    "checklist": "Best-customer checklist",
}
NUMBER_HINT = "a whole number, or none to remove it"


class StageChanges(TypedDict, total=False):
    """The limits one column's answer changes, as `update_stage`'s keywords."""

    wip_limit: int | None
    shelf_life_days: int | None
    probability: float | None


@dataclass(frozen=True)
class StageField:
    """How one stage column is asked for and handed to `update_stage`."""

    question: str
    changes: Callable[[str], StageChanges]
    placeholder: str


STAGE_FIELDS = {
    "wip": StageField(
        "WIP limit — " + NUMBER_HINT,
        lambda text: {"wip_limit": parse_optional_int(text)},
        "e.g. 5 or none",
    ),
    "shelf": StageField(
        "Shelf life in days — " + NUMBER_HINT,
        lambda text: {"shelf_life_days": parse_optional_int(text)},
        "e.g. 14",
    ),
    "prob": StageField(
        "Win probability — 0 to 1 or a percentage, or none",
        lambda text: {"probability": parse_optional_probability(text)},
        "e.g. 0.4 or 40%",
    ),
}


def setting_range(name: str) -> str:
    """What a setting accepts, read from its own limits (never restated here)."""
    limits = next(setting.metadata for setting in fields(Settings) if setting.name == name)
    kind = Settings.kind(name)
    if kind is bool:
        return "on or off"
    if name == "checklist":
        return "criteria separated by commas"
    if name == "yearly_review":
        return "a day as MM-DD"
    if kind is int and "ge" in limits and "le" in limits:
        return f"{limits['ge']:,} to {limits['le']:,}"
    if "max_length" in limits:
        return f"text of {limits.get('min_length', 0)} to {limits['max_length']} characters"
    return ""


def setting_value(settings: Settings, name: str) -> str:
    value = getattr(settings, name)
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, tuple):
        return ", ".join(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def _or_dash(value: object, unit: str = "") -> str:
    return "—" if value is None else f"{value}{unit}"


def _probability(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:g} %"


def _count(count: int, limit: int | None) -> Text:
    """`3 · over by 2`, `5 · full` or `3`, coloured like the board's headers."""
    level = fullness(count, limit)
    if level == "over":
        return Text(f"{count:,} · over by {over_by(count, limit):,}", style="bold red")
    if level == "full":
        return Text(f"{count:,} · full", style="yellow")
    return Text(f"{count:,}")


class SettingsScreen(OnTheBoard, Screen[None]):
    """Stages, lanes and board settings, each change one recorded (and undoable) action."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,comma", "close", "Board"),
        Binding("a", "add", "Add stage/lane"),
        Binding("r", "rename", "Rename"),
        Binding("shift+up,K", "reorder(-1)", "Move up"),
        Binding("shift+down,J", "reorder(1)", "Move down"),
        Binding("u", "undo", "Undo"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(f"pkanban · settings · today {self.today.isoformat()}", id="settings-title")
        with VerticalScroll(id="settings-page"):
            yield Static("Stages", classes="settings-section")
            yield SettingsTable(id="settings-stages", cursor_type="cell", zebra_stripes=True)
            yield Static("Lanes", classes="settings-section")
            yield SettingsTable(id="settings-lanes", cursor_type="cell", zebra_stripes=True)
            yield Static("Board", classes="settings-section")
            yield SettingsTable(id="settings-board", cursor_type="row", zebra_stripes=True)
        yield Static(
            "Enter edits · a adds · r renames · Shift+↑/↓ moves · Tab next table"
            " · u undoes · Esc back to the board",
            id="settings-hint",
        )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show_settings()
        self.query_one("#settings-stages").focus()

    def on_screen_resume(self) -> None:
        """Back from a prompt: show what it changed."""
        self.show_settings()

    # ----------------------------------------------------------------- showing

    def show_settings(self) -> None:
        """Read stages, lanes, settings and open-card counts, and fill the three tables (the
        cursors stay where they were)."""
        session = self.session
        self.stages = session.stages()
        self.lanes = session.lanes()
        self.settings = session.settings()
        totals = session.cell_totals()
        active = {stage.id for stage in self.stages if counts_toward(stage, "lane")}
        per_stage = {stage.id: 0 for stage in self.stages}
        per_lane = {lane.id: 0 for lane in self.lanes}
        for (stage_id, lane_id), figures in totals.items():
            per_stage[stage_id] = per_stage.get(stage_id, 0) + figures.count
            if stage_id in active:
                per_lane[lane_id] = per_lane.get(lane_id, 0) + figures.count
        self._fill(
            "#settings-stages",
            [label for _, label in STAGE_COLUMNS],
            (
                (
                    str(stage.id),
                    cell(stage.name, "bold"),
                    cell(stage.kind),
                    cell(_or_dash(stage.wip_limit)),
                    _count(per_stage[stage.id], stage.wip_limit),
                    cell(_or_dash(stage.shelf_life_days, " d")),
                    cell(_probability(stage.probability)),
                )
                for stage in self.stages
            ),
        )
        self._fill(
            "#settings-lanes",
            [label for _, label in LANE_COLUMNS],
            (
                (
                    str(lane.id),
                    cell(lane.name, "bold"),
                    cell(_or_dash(lane.wip_limit)),
                    _count(per_lane[lane.id], lane.wip_limit),
                )
                for lane in self.lanes
            ),
        )
        self._fill(
            "#settings-board",
            ["Setting", "Value", "Allowed"],
            (
                (
                    name,
                    cell(SETTING_LABELS.get(name, name.replace("_", " ").capitalize())),
                    cell(setting_value(self.settings, name), "bold"),
                    cell(setting_range(name), "dim"),
                )
                for name in Settings.names()
            ),
        )

    def _fill(
        self, selector: str, columns: list[str], rows: Iterable[tuple[str, *tuple[Text, ...]]]
    ) -> None:
        """Rows anew, and the columns too, each as wide as what it now holds (measured here:
        the table measures new rows only once idle, after it may have drawn them)."""
        table = self.query_one(selector, DataTable)
        where = table.cursor_coordinate
        keyed = [(key, cells) for key, *cells in rows]
        table.clear(columns=True)
        for index, label in enumerate(columns):
            width = max([len(label), *(cells[index].cell_len for _, cells in keyed)])
            table.add_column(Text(label), width=width)
        for key, cells in keyed:
            table.add_row(*cells, key=key)
        if table.row_count:
            table.move_cursor(
                row=min(where.row, table.row_count - 1), column=where.column, animate=False
            )

    def _table(self) -> DataTable:
        focused = self.focused
        return (
            focused
            if isinstance(focused, DataTable)
            else self.query_one("#settings-stages", DataTable)
        )

    def _selected(self) -> tuple[str, Stage | Lane | str | None, str]:
        """The focused table's id, the stage, lane or setting name under its cursor, and the
        column's key."""
        table = self._table()
        if not table.row_count:
            return table.id or "", None, ""
        row = table.cursor_row
        column = (STAGE_COLUMNS if table.id == "settings-stages" else LANE_COLUMNS)[
            min(table.cursor_column, 5 if table.id == "settings-stages" else 2)
        ][0]
        if table.id == "settings-stages":
            return "stages", self.stages[row], column
        if table.id == "settings-lanes":
            return "lanes", self.lanes[row], column
        return "board-settings", Settings.names()[row], ""

    # ----------------------------------------------------------------- editing

    @on(DataTable.CellSelected)
    @on(DataTable.RowSelected)
    def edit(self, event: DataTable.CellSelected | DataTable.RowSelected) -> None:
        event.stop()
        table, item, column = self._selected()
        if item is None:
            return
        if isinstance(item, str):
            self._edit_setting(item)
        elif column == "name":
            self.action_rename()
        elif column == "open":
            tell(self, "Open cards are counted, not set — Enter on WIP limit changes the limit")
        elif column == "kind" and isinstance(item, Stage):
            kind = "active" if item.kind == "pool" else "pool"
            if self._apply(
                lambda: self.session.run(
                    settings_actions.update_stage, self.today, item.name, kind=kind
                )
            ):
                tell(self, f"{plain(item.name)} is now a {kind} stage — u undoes")
        else:
            self._edit_limit(table, item, column)

    def _edit_limit(self, table: str, item: Stage | Lane, column: str) -> None:
        spec = STAGE_FIELDS[column]
        value: dict[str, float | None] = {"wip": item.wip_limit}
        if isinstance(item, Stage):
            value |= {"shelf": item.shelf_life_days, "prob": item.probability}

        def submit(text: str) -> bool:
            changes = spec.changes(text)
            if isinstance(item, Stage):
                self.session.run(settings_actions.update_stage, self.today, item.name, **changes)
            else:  # a lane has only its limit
                limit = changes.get("wip_limit")
                self.session.run(
                    settings_actions.update_lane, self.today, item.name, wip_limit=limit
                )
            return True

        current = value[column]
        self._ask(
            f"{item.name}: {spec.question.split(' — ')[0]}",
            spec.question,
            submit,
            value="none" if current is None else f"{current:g}",
            placeholder=spec.placeholder,
        )

    def _edit_setting(self, name: str) -> None:
        label = SETTING_LABELS.get(name, name)
        if Settings.kind(name) is bool:
            flipped = "off" if getattr(self.settings, name) else "on"
            if self._apply(
                lambda: self.session.run(settings_actions.set_setting, self.today, name, flipped)
            ):
                tell(self, f"{label}: {flipped} — u undoes")
            return
        self._ask(
            label,
            f"{label} ({name}) — {setting_range(name)}",
            lambda text: self.session.run(settings_actions.set_setting, self.today, name, text),
            value=setting_value(self.settings, name).replace(",", "")
            if Settings.kind(name) is int
            else setting_value(self.settings, name),
        )

    def action_rename(self) -> None:
        table, item, _ = self._selected()
        if not isinstance(item, Stage | Lane):
            tell(self, "r renames a stage or a lane — Tab to the stages or lanes first", "warning")
            return
        update = (
            settings_actions.update_stage if table == "stages" else settings_actions.update_lane
        )

        def submit(text: str) -> bool:
            self.session.run(update, self.today, item.name, new_name=text)
            return True

        self._ask(f"Rename {item.name}", "New name", submit, value=item.name)

    def action_add(self) -> None:
        table, _, _ = self._selected()
        if table not in ("stages", "lanes"):
            tell(self, "a adds a stage or a lane — Tab to the stages or lanes first", "warning")
            return
        add = settings_actions.add_stage if table == "stages" else settings_actions.add_lane
        what = "stage" if table == "stages" else "lane"

        def submit(text: str) -> bool:
            self.session.run(add, self.today, text)
            return True

        def added(result: bool | None) -> None:
            if result:
                grid = self.query_one(f"#settings-{table}", DataTable)
                grid.move_cursor(row=grid.row_count - 1, column=0, animate=False)
                tell(self, f"Added the {what} — u undoes")

        question = f"Name of the new {what} (it goes last; Shift+↑ moves it)"
        if table == "stages":
            question += " — an active stage with no limit; Enter on a value sets it"
        self.app.push_screen(PromptScreen(f"Add a {what}", question, submit), added)

    def action_reorder(self, step: int) -> None:
        table, item, _ = self._selected()
        if not isinstance(item, Stage | Lane):
            tell(self, "Shift+↑/↓ move a stage or a lane — Tab to the stages or lanes first")
            return
        names = [row.name for row in (self.stages if table == "stages" else self.lanes)]
        position = names.index(item.name) + 1 + step
        if not 1 <= position <= len(names):
            tell(self, f"{plain(item.name)} is already {'first' if step < 0 else 'last'}")
            return
        update = (
            settings_actions.update_stage if table == "stages" else settings_actions.update_lane
        )
        if self._apply(lambda: self.session.run(update, self.today, item.name, position=position)):
            grid = self.query_one(f"#settings-{table}", DataTable)
            grid.move_cursor(row=position - 1, animate=False)

    def action_undo(self) -> None:
        summary = self._attempt(lambda: self.session.run(undo_last, self.today))
        if summary is not None:
            tell(self, f"Undid: {summary}")
            self.show_settings()

    def action_close(self) -> None:
        self.dismiss(None)

    # ----------------------------------------------------------------- helpers

    def _attempt(self, action: Callable[[], object]) -> object | None:
        try:
            return action()
        except SHOWN_ERRORS as error:
            tell(self, sentence(error), "warning")
            return None

    def _apply(self, action: Callable[[], object]) -> bool:
        """Run a change now (no prompt); a refusal is told and nothing changes."""
        try:
            action()
        except SHOWN_ERRORS as error:
            tell(self, sentence(error), "warning")
            return False
        self.show_settings()
        return True

    def _ask(
        self, title: str, question: str, submit: Callable[[str], object], **field: str
    ) -> None:
        """A prompt whose Enter makes the change; a refusal shows in it, naming what is
        allowed, and it stays open for a correction."""

        def told(result: object) -> None:
            if result is not None:
                tell(self, f"{title} saved — u undoes")

        self.app.push_screen(PromptScreen(title, question, submit, **field), told)
