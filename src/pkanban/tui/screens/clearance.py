"""The clearance wizard (`c`, DESIGN §4): choose → review → summary → apply.

1. Choose the mode (ongoing or the yearly review) and the rules, each with its count of cards
   and value at stake.
2. Review each candidate — ages, why it is here, the stages it went through, touches, history —
   and decide with one key: clear, lost, nurture, keep, skip; or decide a whole rule at once.
   A card of a low-value account (yearly review) shows the account's figures, and `A` clears
   the account: all its open cards, as one decision.
3. The summary says what will change before anything does.
4. Apply runs in a worker thread: `services.clearance.apply_plan` backs the board up and writes
   everything in one transaction, so `u` on the board undoes the whole clearance.

Decisions live in a `ClearancePlan` in memory; nothing is written before step 4.
"""

from collections.abc import Callable
from dataclasses import replace
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from pkanban.domain.clearance import (
    MODES,
    ClearanceCandidate,
    Mode,
    mode_rules,
)
from pkanban.domain.dates import WEEKDAY_ABBR, date_examples, parse_due
from pkanban.domain.text import counted
from pkanban.services import clearance as clearances
from pkanban.services.clearance import CandidateReport, ClearancePlan, ClearanceResult, Decision
from pkanban.services.views import BoardContext, board_context
from pkanban.tui.errors import SHOWN_ERRORS, sentence
from pkanban.tui.screens.clearance_steps import (
    SHOWN_HISTORY,
    CardRecord,
    choose_lines,
    done_lines,
    review_lines,
    summary_lines,
)
from pkanban.tui.screens.dated_note import DatedNoteScreen
from pkanban.tui.screens.prompt import PromptScreen
from pkanban.tui.screens.working import OnTheBoard
from pkanban.tui.text import plain, tell
from pkanban.tui.widgets.hanging import HangingLine, HangingText
from pkanban.tui.widgets.key_footer import KeyFooter

# Which actions each step offers; the footer shows only those (see `check_action`).
STEP_ACTIONS = {
    "choose": {"mode", "rule", "review", "back", "leave_wizard"},
    "review": {
        "decide",
        "skip",
        "step",
        "bulk",
        "clear_account",
        "summary",
        "back",
        "leave_wizard",
    },
    "summary": {"apply", "back", "leave_wizard"},
    "applying": set(),
    "done": {"back", "leave_wizard"},
}


class ClearanceScreen(OnTheBoard, Screen[None]):
    """The whole wizard on one screen; Esc steps back (and closes from the first step)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("Y", "mode", "Yearly/ongoing"),
        *(Binding(str(n), f"rule({n - 1})", f"Rule {n} on/off", show=False) for n in (1, 2, 3, 4)),
        Binding("enter", "review", "Review"),
        Binding("delete,backspace", "decide('clear')", "Clear"),
        Binding("x", "decide('lost')", "Lost"),
        Binding("o", "decide('nurture')", "Nurture"),
        Binding("equals_sign", "decide('keep')", "Keep"),
        Binding("space", "skip", "Skip"),
        Binding("left,h", "step(-1)", "Previous"),
        Binding("right,l", "step(1)", "Next", show=False),
        Binding("B", "bulk", "Bulk per rule"),
        Binding("A", "clear_account", "Clear account"),
        Binding("s", "summary", "Summary"),
        Binding("a", "apply", "Apply"),
        Binding("escape", "back", "Back"),
        Binding("q", "leave_wizard", "Leave"),
    ]

    def __init__(self, mode: Mode = "ongoing") -> None:
        super().__init__()
        self.mode: Mode = mode
        self.step = "choose"
        self.context: BoardContext | None = None
        self.report: CandidateReport | None = None
        self.chosen: set[str] = set()
        self.plan: ClearancePlan | None = None
        self.position = 0
        self.result: ClearanceResult | None = None
        self._warned = False

    def compose(self) -> ComposeResult:
        yield Static(id="clearance-header")
        with VerticalScroll(id="clearance-body"):
            yield HangingText(id="clearance-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._load(self.mode)

    def _load(self, mode: Mode) -> None:
        """Every candidate of `mode` (all its rules): step 1 filters it in memory."""
        self.mode = mode
        self.context = self.session.run(board_context, self.today)
        self.report = self.session.run(clearances.find_candidates, self.today, mode)
        self.chosen = set(self._report().rules)
        self.show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = STEP_ACTIONS[self.step]
        if action not in allowed:
            return False
        if action == "review" and self.step == "choose":
            # Asked by the footer too, which may draw before the candidates are found.
            return self.report is not None and (bool(self._selected()) or self.mode == "yearly")
        if action == "clear_account":
            return "low-value-account" in self._current().rules
        return True

    # ------------------------------------------------------------------ drawing

    def show(self) -> None:
        self._warned = False  # any step or decision since the warning asks again
        day = f"{WEEKDAY_ABBR[self.today.weekday()]} {self.today.isoformat()}"
        title = "Yearly clearance review" if self.mode == "yearly" else "Clearance"
        progress = {
            "choose": "choose the rules",
            "summary": "summary — nothing has changed yet",
            "applying": "applying…",
            "done": "applied",
        }.get(self.step) or self._progress()
        self.query_one("#clearance-header", Static).update(
            Content.assemble((title, "bold"), f"  {day}  ·  {progress}")
        )
        steps: dict[str, Callable[[], list[HangingLine]]] = {
            "choose": self._choose,
            "review": self._review,
            "summary": lambda: summary_lines(self._plan(), self.mode),
            "applying": lambda: [Content("Backing up and applying in one transaction…")],
            "done": self._done,
        }
        body = steps[self.step]()
        self.query_one("#clearance-text", HangingText).update(body)
        self.query_one("#clearance-body").scroll_home(animate=False)
        self.refresh_bindings()

    def _progress(self) -> str:
        plan = self._plan()
        decided = len(plan.decisions)
        return f"{self.position + 1}/{len(plan.candidates)}  ·  {decided} decided"

    def _choose(self) -> list[HangingLine]:
        try:
            review = self.session.run(clearances.yearly_review, self.today)
        except SHOWN_ERRORS as error:
            note: str | None = plain(sentence(error))
        else:
            note = review.sentence if review.due else None
        return choose_lines(self._report(), self.mode, self.chosen, self._selected(), note)

    def _done(self) -> list[HangingLine]:
        if self.result is None:
            raise RuntimeError("the clearance is done once applied")
        return done_lines(self.result, self._plan().report.currency)

    def _review(self) -> list[HangingLine]:
        each = self._current()
        card_id = each.card.id
        record = CardRecord(
            touches=self.session.touches(card_id),
            history=self.session.history(card_id, SHOWN_HISTORY),
            stage_path=self.session.stage_path(card_id),
            stage_names={stage.id: stage.name for stage in self._board().stages},
        )
        return review_lines(each, self._plan(), record, self.today)

    # ------------------------------------------------------------------ choosing

    def _selected(self) -> list[ClearanceCandidate]:
        return [
            each
            for each in self._report().candidates
            if any(rule_id in self.chosen for rule_id in each.rules)
        ]

    def action_mode(self) -> None:
        self._load(MODES[(MODES.index(self.mode) + 1) % len(MODES)])

    def action_rule(self, index: int) -> None:
        rules = mode_rules(self.mode)
        if index < len(rules):
            self.chosen ^= {rules[index]}
            self.show()

    def action_review(self) -> None:
        if self.step == "choose":
            rules = tuple(rule_id for rule_id in self._report().rules if rule_id in self.chosen)
            selected = replace(self._report(), rules=rules, candidates=tuple(self._selected()))
            self.plan = ClearancePlan(selected)
            self.position = 0
        # A yearly review with nothing to clear goes straight to the summary, to be recorded.
        self.step = "review" if self._plan().candidates else "summary"
        self.show()

    # ------------------------------------------------------------------ reviewing

    def _current(self) -> ClearanceCandidate:
        return self._plan().candidates[self.position]

    def _board(self) -> BoardContext:
        if self.context is None:
            raise RuntimeError("the clearance reads the board when it opens")
        return self.context

    def _report(self) -> CandidateReport:
        if self.report is None:
            raise RuntimeError("the clearance finds its candidates when it opens")
        return self.report

    def _plan(self) -> ClearancePlan:
        if self.plan is None:
            raise RuntimeError("the plan is made when the review starts")
        return self.plan

    def _decided(self, decision: Decision | None) -> None:
        """A dialog's result: a recorded decision moves on (the summary after the last)."""
        if decision is not None:
            self.action_step(1)

    def action_decide(self, action: str) -> None:
        each, plan, today = self._current(), self._plan(), self.today
        title = plain(each.card.title)
        card_id = each.card.id
        default = "clearance: " + ", ".join(each.rules)
        dialog: ModalScreen[Decision | None]
        if action == "clear":
            dialog = PromptScreen(
                f"Clear: {title}",
                "Why clear it? (archived as cleared; Enter keeps the rules as the reason)",
                lambda reason: plan.decide(card_id, clearances.clear(reason)),
                placeholder=default,
            )
        elif action == "lost":
            dialog = PromptScreen(
                f"Lost: {title}",
                "Why was it lost? (Enter keeps the rules as the reason)",
                lambda reason: plan.decide(card_id, clearances.lost(reason)),
                placeholder=default,
            )
        elif action == "nurture":
            dialog = PromptScreen(
                f"Nurture: {title}",
                "Back to the pool — follow up when?",
                lambda when: plan.decide(card_id, clearances.nurture(parse_due(when, today))),
                placeholder=date_examples(today, "+30d", "next month", days=30),
            )
        else:
            dialog = DatedNoteScreen(
                f"Keep: {title}",
                ("Why", "Until"),
                lambda reason, until: plan.decide(
                    card_id, clearances.keep(reason, (until - today).days)
                ),
                placeholders=(
                    "e.g. Budget returns in spring",
                    date_examples(today, "+90d", "in 3 months", days=90),
                ),
            )
        self.app.push_screen(dialog, self._decided)

    def action_clear_account(self) -> None:
        each, plan = self._current(), self._plan()
        name = each.account
        count = len(plan.report.account_cards(name))

        def decided(count: int | None) -> None:
            if count is not None:
                tell(self, f"{plain(name)}: {counted(count, 'open card')} to clear")
                self.position = _first_undecided(plan, self.position)
                self.show()

        self.app.push_screen(
            PromptScreen(
                f"Clear the account {plain(name)}",
                f"All its {counted(count, 'open card')} are cleared as one decision. Why?"
                " (Enter: low-value account)",
                lambda reason: plan.decide_account(
                    name, clearances.clear(reason or "clearance: low-value account")
                ),
                placeholder="low-value account",
            ),
            decided,
        )

    def action_skip(self) -> None:
        self._plan().decide(self._current().card.id, clearances.skip())
        self.action_step(1)

    def action_step(self, delta: int) -> None:
        position = self.position + delta
        if position >= len(self._plan().candidates):
            self.action_summary()
            return
        self.position = max(0, position)
        self.show()

    def action_bulk(self) -> None:
        def done(count: int | None) -> None:
            if count is not None:
                tell(self, f"Decided {counted(count, 'card')}")
                self.position = _first_undecided(self._plan(), self.position)
                self.show()

        from pkanban.tui.screens.clearance_bulk import BulkScreen

        self.app.push_screen(BulkScreen(self._plan()), done)

    def action_summary(self) -> None:
        self.step = "summary"
        self.show()

    # ------------------------------------------------------------------ applying

    def action_apply(self) -> None:
        self.step = "applying"
        self.show()
        self.run_worker(self._apply, thread=True, exclusive=True, group="clearance")

    def _apply(self) -> None:
        """In a worker thread: the backup and the one transaction; the UI learns the outcome."""
        session = self.session.reopen()  # its own connection: the board never reads mid-apply
        try:
            result = session.run(clearances.apply_plan, self.today, self._plan())
        except SHOWN_ERRORS as error:
            self.app.call_from_thread(self._failed, sentence(error))
            return
        finally:
            session.close()
        self.app.call_from_thread(self._applied, result)

    def _applied(self, result: ClearanceResult) -> None:
        self.result = result
        self.step = "done"
        self.show()
        where = f" Backup: {result.backup}" if result.backup else ""
        tell(self, f"{result.summary.action_summary}.{where} — u on the board undoes it")

    def _failed(self, message: str) -> None:
        self.step = "summary"
        self.show()
        self.app.notify(
            plain(f"Nothing was changed: {message}"), severity="error", markup=False, timeout=12
        )

    def _confirm_losing_decisions(self) -> bool:
        """True when leaving may go ahead: decisions not applied yet are only dropped on a
        second press, after saying so."""
        pending = self.plan is not None and self.step != "done" and len(self.plan.decisions)
        if not pending or self._warned:
            return True
        self._warned = True
        tell(self, f"{pending} decisions are not applied yet — press again to drop them", "warning")
        return False

    def action_leave_wizard(self) -> None:
        """`q` leaves the screen, as everywhere but on the board (README, Keys): back to the
        board, after saying so once when decisions are not applied yet."""
        if self._confirm_losing_decisions():
            self.dismiss(None)

    def action_back(self) -> None:
        previous = {"review": "choose", "summary": "review"}.get(self.step)
        leaving = previous is None or (previous == "review" and not self._plan().candidates)
        if (leaving or previous == "choose") and not self._confirm_losing_decisions():
            return
        if leaving or previous is None:
            self.dismiss(None)
            return
        if previous == "choose":
            self._plan().decisions.clear()  # the choice builds a new plan: say so, then drop them
        self.step = previous
        self.position = min(self.position, max(0, len(self._plan().candidates) - 1))
        self.show()


def _first_undecided(plan: ClearancePlan, position: int) -> int:
    undecided = {each.card.id for each in plan.undecided()}
    for index, each in enumerate(plan.candidates):
        if each.card.id in undecided:
            return index
    return position
