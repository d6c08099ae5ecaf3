"""Planning a clearance, before anything is written: the candidates of one review and what each
rule puts at stake (`CandidateReport`), one decision per candidate (`ClearancePlan`, built from
`clear`, `lost`, `nurture`, `keep`, `skip`) and what the plan would do (`summarise`).

Pure values: services/clearance.py finds the candidates in the store and applies a plan in one
transaction; everything here is checked and counted without the store, so the CLI, the wizard
and the tests all see the same plan and the same summary.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from pkanban.domain import clearance as domain
from pkanban.domain.bestby import BestBy
from pkanban.domain.clearance import AccountFigures, ClearanceCandidate, Mode
from pkanban.domain.dates import iso_or_none
from pkanban.domain.errors import InvalidInput
from pkanban.domain.models import MAX_TEXT, Settings
from pkanban.domain.money import format_money, format_total
from pkanban.domain.rules import counts_toward
from pkanban.domain.text import clean_text

Action = Literal["clear", "lost", "nurture", "keep", "skip"]
ACTIONS: tuple[Action, ...] = ("clear", "lost", "nurture", "keep", "skip")
NURTURE_STEP = "Nurture follow-up"
MAX_SNOOZE_DAYS = 3660


@dataclass(frozen=True)
class RuleTotal:
    count: int = 0
    value: int = 0  # the known values; cards without one are counted in `unvalued`
    unvalued: int = 0


@dataclass(frozen=True)
class CandidateReport:
    """The candidates of one clearance, with what each rule puts at stake."""

    today: date
    mode: Mode
    rules: tuple[str, ...]
    best_by: BestBy
    settings: Settings
    candidates: tuple[ClearanceCandidate, ...]
    notes: tuple[str, ...] = ()
    accounts: tuple[AccountFigures, ...] = ()  # the low-value accounts with cards listed here

    @property
    def currency(self) -> str:
        return self.settings.currency

    def explain(self, rule_id: str) -> str:
        """What a rule means on this board, with its threshold."""
        settings = self.settings
        return {
            "past-best-by": f"older than best-by ({self.best_by.days} days)",
            "past-shelf-life": "longer in its stage than the stage's shelf life",
            "idle": f"in work, no known activity for over {settings.idle_days} days and no"
            " follow-up scheduled",
            "low-value-account": "its account is worth under"
            f" {format_money(settings.low_value_threshold, settings.currency) or '0'}"
            " (won in the last 12 months + open value)",
        }[rule_id]

    def account_cards(self, name: str) -> list[ClearanceCandidate]:
        """The candidates of one account (any spelling of its name)."""
        key = domain.account_key(name)
        return [each for each in self.candidates if domain.account_key(each.account) == key]

    def for_accounts(self, names: tuple[str, ...]) -> "CandidateReport":
        """This report narrowed to the open cards of the named low-value accounts (one decision
        per account); an account that is not one of them is an InvalidInput naming those."""
        known = {each.key: each for each in self.accounts}
        chosen = []
        for name in names:
            figures = known.get(domain.account_key(name))
            if figures is None:
                listed = ", ".join(clean_text(each.name) for each in self.accounts) or "none"
                raise InvalidInput(
                    f"“{clean_text(name)}” is not a low-value account in this review — the"
                    f" low-value accounts are: {listed}"
                )
            chosen.append(figures)
        keys = {each.key for each in chosen}
        cards = tuple(each for each in self.candidates if domain.account_key(each.account) in keys)
        return replace(self, candidates=cards, accounts=tuple(chosen))

    @property
    def per_rule(self) -> dict[str, RuleTotal]:
        """Cards and value each chosen rule flagged (a card flagged twice counts in both)."""
        totals = {}
        for rule_id in self.rules:
            flagged = [each for each in self.candidates if rule_id in each.rules]
            totals[rule_id] = RuleTotal(
                len(flagged),
                sum(each.value for each in flagged),
                sum(each.card.value is None for each in flagged),
            )
        return totals

    @property
    def value(self) -> int:
        return sum(each.value for each in self.candidates)

    @property
    def unvalued(self) -> int:
        """Candidates with no value: left out of `value` and said, never shown as $0."""
        return sum(each.card.value is None for each in self.candidates)

    def as_json(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "mode": self.mode,
            "rules": list(self.rules),
            "best_by_days": self.best_by.days,
            "best_by_basis": self.best_by.basis,
            "best_by_explained": self.best_by.sentence,
            "notes": list(self.notes),
            "accounts": [
                {
                    "account": each.name,
                    "won_value_12_months": each.won_value,
                    "won_cards_12_months": each.won_cards,
                    "open_value": each.open_value,
                    "open_without_value": each.open_unvalued,
                    "open_cards": each.open_cards,
                    "touches": each.touches,
                    "cards": [c.card.id for c in self.account_cards(each.name)],
                }
                for each in self.accounts
            ],
            "candidates": [
                {
                    "id": each.card.id,
                    "title": each.card.title,
                    "account": each.account,
                    "stage": each.stage.name,
                    "lane": each.lane.name,
                    "value": each.card.value,
                    "age_days": each.age_days,
                    "stage_age_days": each.stage_age_days,
                    "idle_days": each.idle_days,
                    "last_touch": iso_or_none(each.card.last_touch),
                    "next_due": iso_or_none(each.card.next_due),
                    "rules": list(each.rules),
                }
                for each in self.candidates
            ],
            "totals": {
                "count": len(self.candidates),
                "value": self.value,
                "rules": {
                    rule_id: {"count": total.count, "value": total.value}
                    for rule_id, total in self.per_rule.items()
                },
            },
        }


@dataclass(frozen=True)
class YearlyReview:
    due: bool
    review_day: date
    last: date | None

    @property
    def sentence(self) -> str:
        last = f"last one {self.last.isoformat()}" if self.last else "none applied yet"
        return (
            f"The yearly clearance review is due (review day {self.review_day.isoformat()}; {last})"
        )


@dataclass(frozen=True)
class Decision:
    """What to do with one candidate. Build it with `clear`, `lost`, `nurture`, `keep`, `skip`."""

    action: Action
    reason: str = ""
    follow_up: date | None = None
    snooze_days: int | None = None


def clear(reason: str = "") -> Decision:
    return Decision("clear", reason)


def lost(reason: str = "") -> Decision:
    return Decision("lost", reason)


def nurture(follow_up: date, reason: str = "") -> Decision:
    return Decision("nurture", reason, follow_up=follow_up)


def keep(reason: str, days: int) -> Decision:
    return Decision("keep", reason, snooze_days=days)


def skip() -> Decision:
    return Decision("skip")


@dataclass
class ClearancePlan:
    """One decision per candidate (none yet: undecided, which applies as skip)."""

    report: CandidateReport
    decisions: dict[int, Decision] = field(default_factory=dict)
    _by_id: dict[int, ClearanceCandidate] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id = {each.card.id: each for each in self.report.candidates}

    @property
    def candidates(self) -> tuple[ClearanceCandidate, ...]:
        return self.report.candidates

    def decide(self, card_id: int, decision: Decision) -> Decision:
        """Record a checked decision for one candidate; clear/lost default their reason."""
        candidate = self._candidate(card_id)
        checked = _checked(decision, candidate, self.report.today)
        self.decisions[card_id] = checked
        return checked

    def undecided(self, rule_id: str | None = None) -> list[ClearanceCandidate]:
        return [
            each
            for each in self.candidates
            if each.card.id not in self.decisions and (rule_id is None or rule_id in each.rules)
        ]

    def decide_account(self, name: str, decision: Decision) -> int:
        """One decision for every candidate of an account (clearing a low-value account clears
        its open cards); returns how many."""
        targets = [
            each for each in self.report.account_cards(name) if "low-value-account" in each.rules
        ]
        if not targets:
            raise InvalidInput(f"No open card of “{clean_text(name)}” is listed in this clearance")
        for each in targets:
            self.decide(each.card.id, decision)
        return len(targets)

    def bulk(self, rule_id: str, decision: Decision) -> int:
        """Decide every still-undecided candidate `rule_id` flagged; returns how many."""
        domain.rule(rule_id)
        targets = self.undecided(rule_id)
        for each in targets:
            self.decide(each.card.id, decision)
        return len(targets)

    def _candidate(self, card_id: int) -> ClearanceCandidate:
        if card_id not in self._by_id:
            raise InvalidInput(f"#{card_id} is not a candidate of this clearance")
        return self._by_id[card_id]


def plan_all(report: CandidateReport, decision: Decision) -> ClearancePlan:
    """A plan that gives every candidate of `report` the same decision (the CLI's bulk apply)."""
    plan = ClearancePlan(report)
    for each in report.candidates:
        plan.decide(each.card.id, decision)
    return plan


@dataclass(frozen=True)
class ClearanceSummary:
    """What a plan does, before it is applied (and what it did, after)."""

    mode: Mode
    cleared: int
    lost: int
    nurtured: int
    kept: int
    skipped: int
    value_released: int
    stages_freed: dict[str, int]
    lanes_freed: dict[str, int]
    released: int = 0  # cards cleared or lost: the value released is theirs
    released_unvalued: int = 0  # of those, the ones without a value (unknown, not $0)

    @property
    def changed(self) -> int:
        return self.cleared + self.lost + self.nurtured + self.kept

    @property
    def action_summary(self) -> str:
        """The history line of the applied clearance; the yearly prefix marks a yearly review."""
        label = domain.YEARLY_SUMMARY_PREFIX if self.mode == "yearly" else "Clearance"
        if not self.changed:
            return f"{label}: nothing to clear"
        parts = [
            f"{count} {word}"
            for count, word in (
                (self.cleared, "cleared"),
                (self.lost, "lost"),
                (self.nurtured, "nurtured"),
                (self.kept, "kept"),
            )
            if count
        ]
        return f"{label}: {', '.join(parts)}"

    def lines(self, currency: str) -> list[str]:
        """The summary in words, for the CLI and the wizard."""
        lines = [
            f"Cleared {self.cleared:,} · lost {self.lost:,} · nurtured {self.nurtured:,}"
            f" · kept {self.kept:,} · skipped {self.skipped:,}",
            "Value released "
            + format_total(self.value_released, self.released, self.released_unvalued, currency),
        ]
        for label, freed in (("stage", self.stages_freed), ("lane", self.lanes_freed)):
            if freed:
                shown = ", ".join(f"{clean_text(name)} −{count}" for name, count in freed.items())
                lines.append(f"WIP freed per {label}: {shown}")
        return lines

    def as_json(self) -> dict:
        return {
            "mode": self.mode,
            "cleared": self.cleared,
            "lost": self.lost,
            "nurtured": self.nurtured,
            "kept": self.kept,
            "skipped": self.skipped,
            "value_released": self.value_released,
            "stages_freed": self.stages_freed,
            "lanes_freed": self.lanes_freed,
        }


def summarise(plan: ClearancePlan) -> ClearanceSummary:
    """Counts, value released (cleared and lost cards) and WIP freed per stage and lane.

    A card frees its stage when it leaves it (cleared, lost, or nurtured out of an active
    stage into the pool); it frees its lane's WIP when it leaves an active stage, since pool
    cards never use a lane's WIP.
    """
    counts = dict.fromkeys(ACTIONS, 0)
    value = released = released_unvalued = 0
    stages: dict[str, int] = {}
    lanes: dict[str, int] = {}
    for each in sorted(plan.candidates, key=lambda each: each.stage.position):
        decision = plan.decisions.get(each.card.id, skip())
        counts[decision.action] += 1
        if decision.action in ("clear", "lost"):
            value += each.value
            released += 1
            released_unvalued += each.card.value is None
        leaves = decision.action in ("clear", "lost") or (
            decision.action == "nurture" and each.stage.kind == "active"
        )
        if leaves:
            stages[each.stage.name] = stages.get(each.stage.name, 0) + 1
            if counts_toward(each.stage, "lane"):
                lanes[each.lane.name] = lanes.get(each.lane.name, 0) + 1
    lane_order = {each.lane.name: each.lane.position for each in plan.candidates}
    lanes = dict(sorted(lanes.items(), key=lambda item: lane_order[item[0]]))
    return ClearanceSummary(
        mode=plan.report.mode,
        cleared=counts["clear"],
        lost=counts["lost"],
        nurtured=counts["nurture"],
        kept=counts["keep"],
        skipped=counts["skip"],
        value_released=value,
        stages_freed=stages,
        lanes_freed=lanes,
        released=released,
        released_unvalued=released_unvalued,
    )


def _checked(decision: Decision, candidate: ClearanceCandidate, today: date) -> Decision:
    """The decision with its text cleaned and defaults filled, or an InvalidInput."""
    if decision.action not in ACTIONS:
        raise InvalidInput(f'No clearance action "{decision.action}" — use {", ".join(ACTIONS)}')
    reason = clean_text(decision.reason or "").strip()
    if len(reason) > MAX_TEXT:
        raise InvalidInput(f"The reason is {len(reason):,} characters; the most is {MAX_TEXT:,}")
    if decision.action in ("clear", "lost") and not reason:
        reason = "clearance: " + ", ".join(candidate.rules)
    if decision.action == "keep":
        if not reason:
            raise InvalidInput("Say why the card is kept (the reason is shown when it returns)")
        days = decision.snooze_days
        if days is None or not 1 <= days <= MAX_SNOOZE_DAYS:
            raise InvalidInput(f"Keep a card for 1 to {MAX_SNOOZE_DAYS} days")
    if decision.action == "nurture" and (decision.follow_up is None or decision.follow_up <= today):
        raise InvalidInput(f"A nurture follow-up must be after today ({today.isoformat()})")
    return Decision(decision.action, reason, decision.follow_up, decision.snooze_days)
