"""Export (`E`) and import (`i`) dialogs over the same services as `pkanban export` / `import`.

Both run their work in a worker thread on a connection of its own, so the board never blocks
and never sees a half-done import; the board picks up the committed result through its live
refresh when the dialog closes. The import dialog always previews first (a dry run whose
report is the CLI's, line for line) and imports only on a second Enter.
"""

import os
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, RadioButton, RadioSet, Static

from pkanban.io import files
from pkanban.services import transfer
from pkanban.services.import_report import report_lines
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.screens.working import OnTheBoard
from pkanban.tui.text import display, tell

FORMAT_LABELS = {
    "md": "Markdown report for a 1:1",
    "obsidian": "Obsidian Kanban board",
    "csv": "CSV, one row per card (spreadsheet-safe)",
    "json": "JSON dump (pkanban import restores it)",
}
SUFFIXES = {"md": ".md", "obsidian": ".md", "csv": ".csv", "json": ".json"}


def default_export_path(fmt: str, today: date) -> str:
    """`~/pkanban-<today>.md`, or the first of `-2`, `-3` … that is free (never an old export)."""
    kind = "-obsidian" if fmt == "obsidian" else ""
    base = f"~/pkanban-{today.isoformat()}{kind}{SUFFIXES[fmt]}"
    home = Path("~").expanduser()
    for name in files.candidate_names(Path(base)):
        if not os.path.lexists(home / name.name):
            return str(name)
    raise AssertionError("unreachable: the candidate names never end")


class ReplaceScreen(ModalScreen[bool]):
    """Asks before an export replaces an existing file: y replaces, Esc keeps it (no `n`: that
    key pulls the next lead everywhere)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "dismiss(True)", "Replace"),
        Binding("escape", "dismiss(False)", "Keep"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Replace the file?", classes="dialog-title")
            yield Static(display(f"{self.path} already exists. Replace it with this export?"))
            yield Static("y replaces it · Esc keeps it", classes="hint")


class ExportScreen(OnTheBoard, ModalScreen[Path | None]):
    """Choose a format and a file; the export is written private (0600) and whole or not at all.

    An existing file is replaced only after a yes in `ReplaceScreen`; the suggested name is a
    free one, and is written under the next free name should it be taken meanwhile.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self) -> None:
        super().__init__()
        self.fmt = "md"
        self.suggested = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Export the board", classes="dialog-title")
            with RadioSet(id="format"):
                for fmt, label in FORMAT_LABELS.items():
                    yield RadioButton(label, value=fmt == "md", name=fmt)
            yield Input(id="path", placeholder="File to write")
            yield Static("", classes="error", id="error")
            yield Static(
                "↑/↓ and Space: format · Tab: file name · Enter exports · Esc cancels",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.suggested = default_export_path(self.fmt, self.today)
        self.query_one("#path", Input).value = self.suggested

    @on(RadioSet.Changed)
    def choose(self, event: RadioSet.Changed) -> None:
        self.fmt = event.pressed.name or "md"
        path = self.query_one("#path", Input)
        if path.value == self.suggested:  # the user has not typed a name of their own
            self.suggested = default_export_path(self.fmt, self.today)
            path.value = self.suggested

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#error", Static).update("Name the file to write")
            return
        self.query_one("#error", Static).update("Exporting…")
        suggested = event.value == self.suggested
        self.export(self.fmt, Path(event.value.strip()).expanduser(), next_free=suggested)

    @work(thread=True, exclusive=True, group="export")
    def export(
        self, fmt: str, path: Path, *, replace: bool = False, next_free: bool = False
    ) -> None:
        try:
            session = self.session.reopen()
            try:
                text = session.run(transfer.export_board, self.today, fmt)
                written = session.run(
                    transfer.write_export, text, path, fmt, replace=replace, next_free=next_free
                )
            finally:
                session.close()
        except files.TargetExists:
            self.app.call_from_thread(self.ask_to_replace, fmt, path)
            return
        except (*SHOWN_ERRORS, OSError) as error:
            message = error.strerror if isinstance(error, OSError) else sentence(error)
            self.app.call_from_thread(self.failed, message or str(error))
            return
        self.app.call_from_thread(self.done, written)

    def ask_to_replace(self, fmt: str, path: Path) -> None:
        def answered(replace: bool | None) -> None:
            if replace:
                self.query_one("#error", Static).update("Exporting…")
                self.export(fmt, path, replace=True)
            else:
                self.query_one("#error", Static).update(
                    display(f"{path} was kept — name another file")
                )

        self.app.push_screen(ReplaceScreen(path), answered)

    def failed(self, message: str) -> None:
        self.query_one("#error", Static).update(display(message))

    def done(self, written: Path) -> None:
        tell(self, f"Exported to {written}")
        self.dismiss(written)


class ImportScreen(OnTheBoard, ModalScreen[int | None]):
    """Name a CSV export (or a pkanban JSON dump): preview it, then import it as one action."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self) -> None:
        super().__init__()
        self.previewed: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Static("Import a CRM export (CSV) or a pkanban JSON dump", classes="dialog-title")
            yield Input(id="path", placeholder="~/Downloads/deals.csv")
            yield Static("", classes="error", id="error")
            with VerticalScroll(id="report"):
                yield Static("", id="lines")
            yield ProgressBar(id="progress", show_eta=False)
            yield Static(
                "Enter previews (nothing is written) · Enter again imports · Esc cancels",
                classes="hint",
                id="hint",
            )
            yield Static(
                "Column and stage mapping, --where: use `pkanban import --help` in a shell",
                classes="hint",
                id="hint-shell",
            )

    def on_mount(self) -> None:
        self.query_one("#progress", ProgressBar).display = False

    @on(Input.Changed)
    def forget_preview(self) -> None:
        self.previewed = None

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.query_one("#error", Static).update("Name the file to import")
            return
        if text == files.STDIN:
            self.query_one("#error", Static).update("Name a file (`pkanban import -` reads stdin)")
            return
        path = Path(text).expanduser()
        dry_run = self.previewed != path
        self.query_one("#error", Static).update("Reading…" if dry_run else "Importing…")
        progress = self.query_one("#progress", ProgressBar)
        progress.display = True
        progress.update(total=None, progress=0)
        self.run_import(path, dry_run)

    @work(thread=True, exclusive=True, group="import")
    def run_import(self, path: Path, dry_run: bool) -> None:
        options = transfer.ImportOptions(dry_run=dry_run)
        try:
            session = self.session.reopen()
            try:
                report = session.run(
                    transfer.import_file,
                    self.today,
                    path,
                    options,
                    progress=self.progress_from_thread,
                    passes=self.pass_from_thread,
                )
                currency = session.settings().currency
            finally:
                session.close()
        except (*SHOWN_ERRORS, OSError) as error:
            message = error.strerror if isinstance(error, OSError) else sentence(error)
            self.app.call_from_thread(self.failed, f"{message or error}: {path}")
            return
        lines = report_lines(report, currency, self.today)
        self.app.call_from_thread(self.show_report, path, report, lines)

    def progress_from_thread(self, done: int, total: int) -> None:
        self.app.call_from_thread(
            self.query_one("#progress", ProgressBar).update, total=total, progress=done
        )

    def pass_from_thread(self, label: str) -> None:
        """Both passes of an import show here: checking the file, then reading it (a
        preview) or importing it."""
        self.app.call_from_thread(self.show_pass, label)

    def show_pass(self, label: str) -> None:
        importing = self.previewed is not None
        words = {
            "Checking": "Checking the file…",
            "Importing": "Importing…" if importing else "Reading…",
        }
        self.query_one("#error", Static).update(words.get(label, label))
        self.query_one("#progress", ProgressBar).update(total=None, progress=0)

    def failed(self, message: str) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#error", Static).update(display(message))

    def show_report(self, path: Path, report: transfer.ImportReport, lines: list[str]) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#lines", Static).update(display("\n".join(lines), multiline=True))
        error = self.query_one("#error", Static)
        if report.refusal:
            self.previewed = None
            error.update(display(f"Nothing can be imported: {report.refusal}"))
        elif report.dry_run and report.cards:
            self.previewed = path
            error.update(display(f"Preview of {report.cards:,} cards — Enter imports them"))
        elif report.dry_run:
            error.update("Nothing new to import")
        else:
            tell(self, f"Imported {report.imported:,} cards — u undoes the whole import")
            self.dismiss(report.imported)
