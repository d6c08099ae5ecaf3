"""The terminal app: `PkanbanApp(store, today)` opens the board screen on a store.

Screens live in `tui/screens/` and get the board from `self.app.store` and the working day from
`self.app.today` (never the clock). To add a screen (triage, clearance, metrics, export …):
write it in `screens/`, then add a `Binding` with a description to `BoardScreen.BINDINGS` (keys
`n`, `T`, `c`, `m`, `E` are kept free for them) and an `action_…` that pushes it. The footer, the
`?` help screen and the command palette (Ctrl+P) all list bindings, so nothing else is needed.
When the pushed screen is dismissed the board reloads itself.
"""

import gc
import threading
from collections.abc import Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from pkanban.store.database import Store, open_store
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.screens.board import BoardScreen
from pkanban.tui.text import plain

REPLICA_POLL_SECONDS = 5
REPLICA_STYLES = {"behind": "bold $warning", "waiting": "bold $warning", "failing": "bold $error"}


class PkanbanApp(App):
    """A keyboard-first personal Kanban board over one SQLite board file."""

    CSS_PATH = "pkanban.tcss"
    TITLE = "pkanban"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("m", "metrics", "Metrics"),
        Binding("E", "export", "Export", show=False),
        Binding("i", "import_file", "Import", show=False),
        Binding("comma", "settings", "Settings", show=False),
    ]

    def __init__(self, store: Store, today: date) -> None:
        super().__init__()
        self.store = store
        self.today = today
        self.replicator = None
        self.replica_stopping = threading.Event()

    def notify(self, message: str, *, markup: bool = False, **options) -> None:
        """Every notification is plain text cleaned like card text (never markup): it often
        quotes a title, a file name or a setting."""
        super().notify(plain(str(message), multiline=True), markup=False, **options)

    def get_default_screen(self) -> Screen:
        return BoardScreen()

    def on_mount(self) -> None:
        # Once the board is drawn: the collector `run_board` paused for the start-up runs again,
        # and the yearly review is looked up.
        self.call_after_refresh(gc.enable)
        self.call_after_refresh(self._remind_yearly_review)
        self.call_after_refresh(self._start_replica)

    def _start_replica(self) -> None:
        """A board with a replica streams to it while open: Litestream starts in a worker
        once the board is drawn (it first checks the replica is this board's), and its state
        shows in the header every few seconds."""
        from pkanban.services.replica import Replicator, replica_url

        if self.store.read_only or not replica_url(self.store.conn):
            return
        self.replicator = Replicator(self.store)
        self.run_worker(self._run_replica, thread=True, exit_on_error=False)

    def _run_replica(self) -> None:
        from pkanban.services.replica import status

        if not self.replicator.start():
            self.call_from_thread(self._show_replica, "⇅ off", "bold $error")
            self.call_from_thread(self.notify, self.replicator.error, severity="error")
            return
        store = self.store.reopen()
        try:
            while not self.replica_stopping.is_set():
                current = status(store)
                style = REPLICA_STYLES.get(current.state, "")
                self.call_from_thread(self._show_replica, current.badge, style)
                self.replica_stopping.wait(REPLICA_POLL_SECONDS)
        finally:
            store.close()

    def _show_replica(self, badge: str, style: str) -> None:
        from pkanban.tui.widgets.headers import BoardHeader

        for header in self.query(BoardHeader):
            header.show_replica(badge, style)

    def stop_replica(self) -> None:
        self.replica_stopping.set()
        if self.replicator is not None:
            self.replicator.stop()

    def _remind_yearly_review(self) -> None:
        """Say so when the yearly clearance review is due (DESIGN §4)."""
        from pkanban.services.clearance import yearly_review

        try:
            review = yearly_review(self.store, self.today)
        except SHOWN_ERRORS as error:
            self.notify(sentence(error), severity="warning", markup=False)
            return
        if review.due:
            self.notify(f"{review.sentence} — press c to start it", timeout=15, markup=False)

    def action_metrics(self) -> None:
        """Flow metrics, from the board. Screens other than the board are imported when first
        opened: the start-up budget is 1.5× a bare Textual app's (README, Performance), and the
        charting library alone costs ~0.2 s."""
        from pkanban.tui.screens.metrics import MetricsScreen

        if isinstance(self.screen, BoardScreen):
            self.push_screen(MetricsScreen())

    def action_export(self) -> None:
        from pkanban.tui.screens.transfer import ExportScreen

        if isinstance(self.screen, BoardScreen):
            self.push_screen(ExportScreen())

    def action_import_file(self) -> None:
        from pkanban.tui.screens.transfer import ImportScreen

        if isinstance(self.screen, BoardScreen):
            self.push_screen(ImportScreen())

    def action_settings(self) -> None:
        """Stages, lanes and the board's settings, changed with keys."""
        from pkanban.tui.screens.settings import SettingsScreen

        if isinstance(self.screen, BoardScreen):
            self.push_screen(SettingsScreen())

    def action_help(self) -> None:
        from pkanban.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers every key binding of the screen below it, by its description."""
        builtin = list(super().get_system_commands(screen))
        yield from builtin
        seen = {command.title for command in builtin}
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.system or binding.description in seen:
                continue
            seen.add(binding.description)
            keys = self.get_key_display(binding)
            yield SystemCommand(
                binding.description,
                f"Key: {keys}",
                partial(active.node.run_action, binding.action),
            )


def run_board(db_path: Path, today: date) -> None:
    """Open the board file at `db_path` in the terminal (it must exist)."""
    store = open_store(db_path)
    # Everything imported so far lives as long as the app: freezing it spares the garbage
    # collector from scanning it again on every full pass. The collector stays paused (see
    # `pkanban.__main__`) until the board is drawn (`PkanbanApp.on_mount`).
    gc.freeze()
    gc.disable()
    app = PkanbanApp(store, today)
    try:
        app.run()
    finally:
        app.stop_replica()
        store.close()
