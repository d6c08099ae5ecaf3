"""When the board's header recounts the figures that read every open card (past best-by, triage
and clearance: ~50 ms on a board with 2,000 active cards), and counting them off the UI thread
so a key pressed meanwhile is handled at once.
"""

from collections.abc import Callable
from typing import Literal

from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from pkanban.tui.board_data import HeaderCounts, OnABoard, header_counts
from pkanban.tui.errors import SHOWN_ERRORS

Recount = Literal["now", "after paint", "later", "keep"]
""""now"; "after paint" (the board is drawn first, the figures a frame later); "later" (after a
keystroke that changed the board, once the keys stop for a moment); or "keep" (a view change,
such as the filter or a folded lane, cannot change them)."""
RECOUNT_DELAY = 0.3


class HeaderRecount:
    """The header's counts for `screen`, read through `source`'s session; `shown` is called
    once counts read in the background are in."""

    def __init__(self, screen: Screen[object], source: OnABoard, shown: Callable[[], None]) -> None:
        self.screen = screen
        self.source = source
        self.shown = shown
        self.counts = HeaderCounts(0, 0, 0)
        self._timer: Timer | None = None

    def recount(self, when: Recount, best_by_days: int) -> None:
        if when == "now":
            self.counts = header_counts(self.source.session, self.source.today, best_by_days)
        elif when == "after paint":
            self.screen.call_after_refresh(self._in_background, best_by_days)
        elif when == "later":
            self.schedule(best_by_days)

    def schedule(self, best_by_days: int) -> None:
        """Recount once the keys stop for a moment."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.screen.set_timer(
            RECOUNT_DELAY, lambda: self._in_background(best_by_days)
        )

    def _in_background(self, best_by_days: int) -> None:
        self._timer = None
        self.screen.run_worker(
            lambda: self._count(best_by_days), thread=True, exclusive=True, group="header-counts"
        )

    def _count(self, best_by_days: int) -> None:
        try:
            session = self.source.session.reopen()
            try:
                counts = header_counts(session, self.source.today, best_by_days)
            finally:
                session.close()
        except SHOWN_ERRORS:
            return  # a busy board: the next reload counts again
        if not get_current_worker().is_cancelled:
            self.screen.app.call_from_thread(self._show, counts)

    def _show(self, counts: HeaderCounts) -> None:
        if self.screen.is_attached:
            self.counts = counts
            self.shown()
