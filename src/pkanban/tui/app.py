"""The terminal app: `PkanbanApp(session, today)` opens the board screen on a board session.

Screens live in `tui/screens/` and get the board from `self.app.session` (a
`services.session.BoardSession`: reads as methods, actions through `session.run`) and the
working day from `self.app.today` (never the clock). To add a screen (triage, clearance,
metrics, export …): write it in `screens/`, then add a `Binding` with a description to
`tui/board_keys.py` (keys `n`, `T`, `c`, `m`, `E` are kept free for them) and an `action_…` on
`BoardScreen` that pushes it. The footer, the `?` help screen and the command palette (Ctrl+P)
all list bindings, so nothing else is needed. When the pushed screen is dismissed the board
reloads itself.
"""

import gc
import threading
from collections.abc import Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from pkanban.services.session import BoardSession, BoardSource
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.screens.board import BoardScreen
from pkanban.tui.screens.typing import TypeAhead
from pkanban.tui.text import plain
from pkanban.tui.textual_leak import forget_closed_widgets
from pkanban.tui.theme import warning_text

if TYPE_CHECKING:
    from textual.await_complete import AwaitComplete

    from pkanban.services.replica import Replicator

REPLICA_POLL_SECONDS = 5
REPLICA_STYLES = {
    "behind": "bold $warning-text",
    "waiting": "bold $warning-text",
    "failing": "bold $error",
}
HOLD_KEYS_AT_MOST = 5.0
"""Seconds: a dialog that never got ready does not swallow the keyboard."""
REPLICA_WORKERS = "replica"
"""The worker group of the replica's stream, which runs as long as the app."""
FROM_THE_BOARD = frozenset({"metrics", "settings", "export", "import_file"})
"""The app's keys that open a screen from the board only."""


class PkanbanApp(App[None]):
    """A keyboard-first personal Kanban board over one SQLite board file."""

    CSS_PATH = "pkanban.tcss"
    TITLE = "pkanban"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]  # noqa: RUF012 (Textual's own type)
    """Below 20 rows, dialogs drop their spacing and long hints (pkanban.tcss, Small terminals)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("m", "metrics", "Metrics"),
        Binding("E", "export", "Export", show=False),
        Binding("i", "import_file", "Import", show=False),
        Binding("r", "refresh_view", "Refresh from the replica"),
        Binding("comma", "settings", "Settings", show=False),
    ]

    def __init__(self, session: BoardSource, today: date, replica_view: str | None = None) -> None:
        """`session` is a `BoardSession`, or a store for one (what tests build boards on)."""
        super().__init__()
        if not isinstance(session, BoardSession):
            session = BoardSession(session, today, replica_view=replica_view)
        self.session = session
        self.today = today
        self.replica_view = replica_view
        self.replicator: Replicator | None = None
        self.replica_stopping = threading.Event()
        self._held_keys: list[events.Key] | None = []  # until the board is on screen
        self._hold_timer: Timer | None = None
        from pkanban.services.calendar import keep_calendar_file

        session.run(keep_calendar_file, today, self._calendar_not_written)

    def _calendar_not_written(self, problem: str) -> None:
        """The calendar file could not be rewritten after an action (which stands); this may
        run in a worker thread, and `notify` is safe to call from one."""
        self.notify(problem, severity="warning")

    def notify(self, message: str, *, markup: bool = False, **options: Any) -> None:
        """Every notification is plain text cleaned like card text (never markup): it often
        quotes a title, a file name or a setting."""
        super().notify(plain(str(message), multiline=True), markup=False, **options)

    # Keys typed while the board or a dialog opens (`a` then `Acme 12k` at once) are held until
    # it is ready, then handled in order (see `tui/screens/typing.py`).

    def push_screen(  # type: ignore[override]  # the same call, passed through
        self, screen: Screen[Any] | str, *args: Any, **kwargs: Any
    ) -> "AwaitComplete | Any":
        if isinstance(screen, TypeAhead):
            self.hold_keys()
        return super().push_screen(screen, *args, **kwargs)

    def pop_screen(self) -> "AwaitComplete":
        """Every screen and dialog closes here; its widgets' drawn lines go with it."""
        closed = super().pop_screen()
        forget_closed_widgets()
        return closed

    @property
    def holding_keys(self) -> bool:
        """Whether keys are being held for a board or dialog that is still opening."""
        return self._held_keys is not None

    def hold_keys(self) -> None:
        """Keep the keys read from now on until `release_keys` (a field is about to get focus)."""
        if self._held_keys is None:
            self._held_keys = []
            self._hold_for_at_most()

    def _hold_for_at_most(self) -> None:
        """Never hold keys for good — but a timer left from an earlier hold must not release a
        later one early (a dialog opened within a second of the board read its keys half-typed)."""
        if self._hold_timer is not None:
            self._hold_timer.stop()
        self._hold_timer = self.set_timer(HOLD_KEYS_AT_MOST, self.release_keys)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self._held_keys is not None:
            self._held_keys.append(event)
            return
        await super().on_event(event)

    async def release_keys(self) -> None:
        """The opening dialog is ready: handle the keys typed meanwhile, in order."""
        held, self._held_keys = self._held_keys, None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        for key in held or ():
            await super().on_event(key)

    def get_default_screen(self) -> Screen:
        return BoardScreen()

    def on_mount(self) -> None:
        self._hold_for_at_most()
        # Once the board is drawn: the collector `run_board` paused for the start-up runs again,
        # and the yearly review is looked up.
        self.call_after_refresh(gc.enable)
        self.call_after_refresh(self._remind_yearly_review)
        self.call_after_refresh(self._start_replica)
        if self.replica_view:
            self.sub_title = "read-only view of a replica"
            self.call_after_refresh(self._show_replica, "⇅ read-only view", "bold $warning-text")

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables plus `$warning-text`, warning text readable on this theme."""
        variables = super().get_css_variables()
        variables["warning-text"] = warning_text(variables)
        return variables

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`r` exists only in a replica view (it would shadow nothing elsewhere, but the
        footer should not offer it). Metrics, settings, export and import open from the board
        only: other screens' footers and palettes do not offer them, and over the board (`?`,
        the palette) they are listed but not run from the dialog itself."""
        if action == "refresh_view":
            return self.replica_view is not None
        if action in FROM_THE_BOARD and not isinstance(self.screen, BoardScreen):
            below = self.screen_stack[-2] if len(self.screen_stack) > 1 else None
            over_the_board = isinstance(self.screen, ModalScreen) and isinstance(below, BoardScreen)
            return None if over_the_board else False
        return True

    def action_refresh_view(self) -> None:
        """Fetch the replica's latest board in a worker; the view swaps to it when it is in."""
        self.notify("Fetching the latest board from the replica…")
        self.run_worker(self._fetch_view, thread=True, exclusive=True, group="replica-view")

    def _fetch_view(self) -> None:
        from pkanban.services.replica import refresh_view

        if self.replica_view is None:
            return
        try:
            path = refresh_view(self.replica_view)
            fresh = BoardSession.open(path, self.today, replica_view=self.replica_view)
        except SHOWN_ERRORS as error:
            self.call_from_thread(self.notify, sentence(error), severity="error")
            return
        self.call_from_thread(self._swap_session, fresh)

    def _swap_session(self, fresh: BoardSession) -> None:
        stale, self.session = self.session, fresh
        stale.close()
        for screen in self.screen_stack:
            if isinstance(screen, BoardScreen):
                screen.reload(counts="after paint")
        self.notify("The view shows the replica's latest board")

    def _start_replica(self) -> None:
        """A board with a replica streams to it while open: Litestream starts in a worker
        once the board is drawn (it first checks the replica is this board's), and its state
        shows in the header every few seconds."""
        from pkanban.services.replica import Replicator, replica_url

        if self.session.read_only or not self.session.read(replica_url):
            return
        self.replicator = self.session.run(Replicator)
        self.run_worker(self._run_replica, thread=True, exit_on_error=False, group=REPLICA_WORKERS)

    def _run_replica(self) -> None:
        from pkanban.services.replica import status

        replicator = self.replicator
        if replicator is None:
            return
        if not replicator.start():
            self.call_from_thread(self._show_replica, "⇅ off", "bold $error")
            self.call_from_thread(self.notify, replicator.error, severity="error")
            return
        if replicator.notice:
            self.call_from_thread(self.notify, replicator.notice, severity="warning")
        session = self.session.reopen()
        try:
            while not self.replica_stopping.is_set():
                current = session.run(status)
                style = REPLICA_STYLES.get(current.state, "")
                self.call_from_thread(self._show_replica, current.badge, style)
                self.replica_stopping.wait(REPLICA_POLL_SECONDS)
        finally:
            session.close()

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
            review = self.session.run(yearly_review, self.today)
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

        self.push_screen(MetricsScreen())

    def action_export(self) -> None:
        from pkanban.tui.screens.transfer import ExportScreen

        self.push_screen(ExportScreen())

    def action_import_file(self) -> None:
        from pkanban.tui.screens.transfer import ImportScreen

        self.push_screen(ImportScreen())

    def action_settings(self) -> None:
        """Stages, lanes and the board's settings, changed with keys."""
        from pkanban.tui.screens.settings import SettingsScreen

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
                partial(self.run_action, binding.action, active.node),
            )


def run_board(db_path: Path, today: date, *, replica_view: str | None = None) -> None:
    """Open the board file at `db_path` in the terminal (it must exist); `replica_view` (the
    replica's URL) opens it as a read-only view of another machine's board."""
    session = BoardSession.open(db_path, today, replica_view=replica_view)
    # Everything imported so far lives as long as the app: freezing it spares the garbage
    # collector from scanning it again on every full pass. The collector stays paused (see
    # `pkanban.__main__`) until the board is drawn (`PkanbanApp.on_mount`).
    gc.freeze()
    gc.disable()
    app = PkanbanApp(session, today, replica_view)
    try:
        app.run()
    finally:
        app.stop_replica()
        app.session.close()  # the view's latest, when `r` swapped it in
        session.close()
