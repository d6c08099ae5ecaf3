"""The clearance wizard's bulk decision (`B` in review): every undecided candidate of one rule
cleared, closed as lost or nurtured at once, after the rule, the action and its reason or
follow-up day are chosen — nothing is written until the wizard applies its plan."""

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from pkanban.domain.dates import date_examples, parse_due
from pkanban.services import clearance as clearances
from pkanban.services.clearance import ClearancePlan, Decision
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.screens.working import board_app
from pkanban.tui.text import display

BULK_DECISIONS: dict[str, Callable[[str], Decision]] = {
    "clear": clearances.clear,
    "lost": clearances.lost,
}
"""What a bulk decision with a reason makes (nurture asks for a day instead)."""


class BulkScreen(ModalScreen[int | None]):
    """Decide every undecided candidate of one rule: the rule (1–4), the action (Del/x/o), then
    the reason or follow-up date, confirmed with Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        *(Binding(str(n), f"rule({n - 1})", f"Rule {n}", show=False) for n in (1, 2, 3, 4)),
        Binding("delete,backspace", "action('clear')", "Clear all", show=False),
        Binding("x", "action('lost')", "Lost all", show=False),
        Binding("o", "action('nurture')", "Nurture all", show=False),
    ]

    def __init__(self, plan: ClearancePlan) -> None:
        super().__init__()
        self.plan = plan
        self.rule_id: str | None = None
        self.action: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("Decide a whole rule", classes="dialog-title", markup=False)
            yield Static(id="bulk-text")
            field = Input(id="bulk-input", disabled=True)
            field.compact = True
            field.display = False
            yield field
            yield Static("", classes="error", id="error")
            yield Static("Esc cancels", classes="hint", markup=False)

    def on_mount(self) -> None:
        self.show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rule":
            return self.rule_id is None
        if action == "action":
            return self.rule_id is not None and self.action is None
        return True

    def show(self) -> None:
        text = self.query_one("#bulk-text", Static)
        if self.rule_id is None:
            lines = [Content("Which rule? Press its number:")]
            for number, rule_id in enumerate(self.plan.report.rules, 1):
                count = len(self.plan.undecided(rule_id))
                lines.append(Content(f"  {number}  {rule_id:<18} {count:>7,} undecided"))
            text.update(Content("\n").join(lines))
        elif self.action is None:
            count = len(self.plan.undecided(self.rule_id))
            text.update(
                Content(
                    f"{count:,} undecided {self.rule_id} candidates.\n"
                    "Del clears them all · x closes them all as lost · o nurtures them all"
                )
            )
        else:
            count = len(self.plan.undecided(self.rule_id))
            verb = {"clear": "Clear", "lost": "Close as lost", "nurture": "Nurture"}[self.action]
            question = "Follow up when?" if self.action == "nurture" else "Reason (optional):"
            text.update(
                Content(
                    f"{verb} all {count:,} undecided {self.rule_id} candidates?\n{question}"
                    " — Enter confirms"
                )
            )
            field = self.query_one(Input)
            field.placeholder = (
                date_examples(board_app(self).today, "+30d", "next month", days=30)
                if self.action == "nurture"
                else f"clearance: {self.rule_id}"
            )
            field.disabled = False
            field.display = True
            field.focus()
        self.refresh_bindings()

    def action_rule(self, index: int) -> None:
        rules = self.plan.report.rules
        if index < len(rules):
            self.rule_id = rules[index]
            self.show()

    def action_action(self, action: str) -> None:
        self.action = action
        self.show()

    @on(Input.Submitted)
    def confirm(self, event: Input.Submitted) -> None:
        plan, today, rule_id = self.plan, board_app(self).today, self.rule_id
        if rule_id is None or self.action is None:
            return  # the field shows only once both are chosen
        try:
            if self.action == "nurture":
                decision = clearances.nurture(parse_due(event.value, today))
            else:
                decision = BULK_DECISIONS[self.action](event.value)
            count = plan.bulk(rule_id, decision)
        except SHOWN_ERRORS as error:
            self.query_one("#error", Static).update(display(sentence(error)))
            return
        self.dismiss(count)
