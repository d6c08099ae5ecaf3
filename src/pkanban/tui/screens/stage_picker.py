"""Pick a stage by typing the start of its name (`disc` → Discovery), from a visible list.

The list shows the stages the typed text could mean; ↑/↓ choose among them and Enter moves the
card there through the service (a full stage is refused inline, as in any dialog).
"""

from collections.abc import Callable, Sequence
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from pkanban.domain.models import Stage
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.screens.typing import TypeAhead
from pkanban.tui.text import display, plain

T = TypeVar("T")


def matching(stages: Sequence[Stage], typed: str) -> list[Stage]:
    """The stages whose name starts with `typed` (any case); then those that contain it."""
    wanted = typed.strip().casefold()
    starts = [stage for stage in stages if stage.name.casefold().startswith(wanted)]
    contains = [s for s in stages if wanted in s.name.casefold() and s not in starts]
    return starts + contains


class StagePickerScreen(TypeAhead, ModalScreen[T | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "step(1)", "Next stage", show=False, priority=True),
        Binding("up", "step(-1)", "Previous stage", show=False, priority=True),
    ]

    def __init__(self, title: str, stages: Sequence[Stage], pick: Callable[[Stage], T]) -> None:
        super().__init__()
        self.title_text = title
        self.stages = list(stages)
        self.pick = pick
        self.shown: list[Stage] = list(stages)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(display(self.title_text), classes="dialog-title")
            yield Input(placeholder="type the start of a stage, e.g. disc", id="stage")
            yield OptionList(*self._options(), id="stages")
            yield Static("", classes="error", id="error")
            yield Static("↑↓ choose · Enter moves · Esc cancels", classes="hint")

    def _options(self) -> list[Option]:
        return [Option(plain(stage.name)) for stage in self.shown]

    @on(Input.Changed)
    def narrow(self, event: Input.Changed) -> None:
        self.shown = matching(self.stages, event.value)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options())
        options.highlighted = 0 if self.shown else None
        self.query_one("#error", Static).update("" if self.shown else "No stage starts so")

    def action_step(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self.shown) - 1, current + delta))

    @on(OptionList.OptionSelected)
    def clicked(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    @on(Input.Submitted)
    def submitted(self) -> None:
        self._choose(self.query_one(OptionList).highlighted)

    def _choose(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.shown):
            self.query_one("#error", Static).update("Type the start of a stage first")
            return
        try:
            result = self.pick(self.shown[index])
        except SHOWN_ERRORS as error:
            self.query_one("#error", Static).update(display(sentence(error)))
            return
        self.dismiss(result)
