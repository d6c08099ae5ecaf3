"""A progress bar on stderr for the long commands (an import, the undo of one)."""

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

PROGRESS_FROM = 2000  # rows (or an import's kilobytes): below this a bar would not help


class ProgressBar:
    """A transient rich progress bar on stderr, only when stderr is a terminal; `update` is
    the `progress(done, total)` callback the services take; an import also says when each of
    its passes starts (`start_pass`: "Checking", then "Importing"), and the bar starts again."""

    def __init__(self, label: str, *, enabled: bool = True) -> None:
        self.label = label
        self.enabled = enabled and sys.stderr.isatty()
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def __enter__(self) -> "ProgressBar":
        return self

    def start_pass(self, label: str) -> None:
        self.label = label
        if self.progress is not None and self.task is not None:
            self.progress.reset(self.task, total=None, description=label)

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total < PROGRESS_FROM:
            return
        if self.progress is None:
            from rich.console import Console
            from rich.progress import Progress

            self.progress = Progress(console=Console(stderr=True), transient=True)
            self.progress.start()
            self.task = self.progress.add_task(self.label, total=total)
        if self.task is not None:
            self.progress.update(self.task, completed=done, total=total)

    def __exit__(self, *exc_info: object) -> None:
        if self.progress is not None:
            self.progress.stop()
