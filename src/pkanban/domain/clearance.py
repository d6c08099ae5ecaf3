"""Clearance candidates (DESIGN §3): which open cards are dead stock, and why.

The pipeline is inventory and time is shelf space. A candidate is an open card that at least one
rule flags; it carries every rule that flagged it. The rules, by stable id:

- `past-best-by` — total age (today − created) is more than the board's best-by days.
- `past-shelf-life` — age in stage (today − entered stage) is more than the stage's shelf life
  (stages without a shelf life never flag).
- `idle` — a card in an active stage with no known activity (a touch, a CRM's last-activity
  date, or the day it was imported) for more than `Settings.idle_days` days, and no next step
  due today or later: a scheduled follow-up is not idleness. Pool cards are never idle: leads
  wait there by design (the pull system); old inventory is caught by best-by, and by the pool
  stage's own shelf life when one is set (`pkanban config stage Leads --shelf-life N`; off by
  default).
- `low-value-account` — yearly review only: every open card of a low-value *account* (the
  company, DESIGN §2). An account is judged by what it is worth — its won value over the last
  12 months plus the value of its open cards — against the effort it takes (its open cards and
  their touches, listed with it): it is low value when that worth is known and under
  `Settings.low_value_threshold`. A value that is missing is unknown, not zero: an account whose
  open cards have no value and that won nothing in 12 months is never "low value". A card
  without an account is its own account, named by its title (so `Acme` with no account joins
  the account `Acme`). Clearing an account decides all its open cards at once.

Cards kept in a recent clearance (snoozed until after today) stay out, in every rule. Pool cards
count for best-by and shelf life: old inventory is inventory. Thresholds are strict ("more
than"), like the badges.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pkanban.domain.ages import idle_days, stage_age_days, total_age_days
from pkanban.domain.dates import month_day
from pkanban.domain.errors import InvalidInput
from pkanban.domain.models import Card, Lane, Settings, Stage

Mode = Literal["yearly", "ongoing"]
MODES: tuple[Mode, ...] = ("ongoing", "yearly")
# How the history line of a yearly clearance starts: the store finds the last review by it.
YEARLY_SUMMARY_PREFIX = "Yearly clearance"


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    yearly_only: bool = False


RULES: tuple[Rule, ...] = (
    Rule("past-best-by", "total age past best-by"),
    Rule("past-shelf-life", "longer in its stage than the stage's shelf life"),
    Rule("idle", "in work, no known activity past the idle threshold, no follow-up scheduled"),
    Rule("low-value-account", "open card of an account worth under the low-value threshold", True),
)
RULE_IDS: tuple[str, ...] = tuple(rule.id for rule in RULES)


def rule(rule_id: str) -> Rule:
    for each in RULES:
        if each.id == rule_id:
            return each
    raise InvalidInput(f'No clearance rule "{rule_id}" — rules are: {", ".join(RULE_IDS)}')


def mode_rules(mode: Mode) -> tuple[str, ...]:
    """The rule ids that apply in `mode` (the yearly review adds the low-value accounts)."""
    return tuple(each.id for each in RULES if mode == "yearly" or not each.yearly_only)


def selected_rules(mode: Mode, chosen: tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """Validate a user's choice of rules for `mode`; none chosen means all of the mode's."""
    if mode not in MODES:
        raise InvalidInput(f'No clearance mode "{mode}" — use ongoing or yearly')
    available = mode_rules(mode)
    if not chosen:
        return available
    for rule_id in chosen:
        if rule(rule_id).id not in available:
            raise InvalidInput(f"{rule_id} applies to the yearly review only (use mode yearly)")
    return tuple(rule_id for rule_id in available if rule_id in chosen)


@dataclass(frozen=True)
class Thresholds:
    """What the rules compare against, fixed for one clearance."""

    today: date
    best_by_days: int
    settings: Settings
    low_value_accounts: frozenset[str] = frozenset()  # `account_key`s of low-value accounts


def account_name(card: Card) -> str:
    """The account a card belongs to: its own, else its title (a card is its own account)."""
    return card.account.strip() or card.title.strip()


def account_key(name: str) -> str:
    """Accounts are one when their names are, ignoring case and spacing."""
    return " ".join(name.casefold().split())


@dataclass(frozen=True, slots=True)
class AccountFigures:
    """One account's worth and effort, as the yearly review weighs them."""

    name: str
    open_cards: int  # open cards, kept (snoozed) ones included: they take effort too
    open_value: int  # the value of its open cards that have one
    open_unvalued: int  # open cards without a value (unknown, not zero)
    touches: int  # touches on its open cards
    won_value: int  # value won over the last 12 months
    won_cards: int  # cards won over the last 12 months

    @property
    def key(self) -> str:
        return account_key(self.name)

    @property
    def value(self) -> int:
        """What the account is worth: won in 12 months plus open value."""
        return self.won_value + self.open_value

    @property
    def value_known(self) -> bool:
        return self.won_cards > 0 or self.open_cards > self.open_unvalued

    def is_low_value(self, threshold: int) -> bool:
        return self.open_cards > 0 and self.value_known and self.value < threshold

    def merged(self, other: "AccountFigures") -> "AccountFigures":
        """Two spellings of one account (`Acme`, `ACME`) as one, named as most of its cards are."""
        mine, theirs = self.open_cards + self.won_cards, other.open_cards + other.won_cards
        return AccountFigures(
            self.name if mine >= theirs else other.name,
            self.open_cards + other.open_cards,
            self.open_value + other.open_value,
            self.open_unvalued + other.open_unvalued,
            self.touches + other.touches,
            self.won_value + other.won_value,
            self.won_cards + other.won_cards,
        )


def low_value_accounts(figures: Iterable[AccountFigures], threshold: int) -> list[AccountFigures]:
    """The accounts (spellings merged) worth under `threshold`: least worth, most effort first."""
    merged: dict[str, AccountFigures] = {}
    for each in figures:
        merged[each.key] = merged[each.key].merged(each) if each.key in merged else each
    low = [each for each in merged.values() if each.is_low_value(threshold)]
    return sorted(low, key=lambda each: (each.value, -each.open_cards - each.touches, each.key))


@dataclass(frozen=True, slots=True)
class ClearanceCandidate:
    """An open card some rules flagged, with the ages the wizard and the CLI show."""

    card: Card
    stage: Stage
    lane: Lane
    rules: tuple[str, ...]
    age_days: int
    stage_age_days: int
    idle_days: int

    @property
    def value(self) -> int:
        return self.card.value or 0

    @property
    def account(self) -> str:
        return account_name(self.card)


def flagging_rules(
    card: Card, stage: Stage, lane: Lane, limits: Thresholds, rules: tuple[str, ...]
) -> tuple[str, ...]:
    """The ids, among `rules`, of every rule that flags `card` (empty: not a candidate)."""
    found = candidate(card, stage, lane, limits, rules)
    return () if found is None else found.rules


def candidate(
    card: Card, stage: Stage, lane: Lane, limits: Thresholds, rules: tuple[str, ...]
) -> ClearanceCandidate | None:
    """`card` as a candidate, with the rules among `rules` that flag it (None: none does).
    Each age is worked out once, and each rule tested only if chosen: a clearance can list
    thousands of cards."""
    today = limits.today
    if not card.is_open or (card.snoozed_until is not None and card.snoozed_until > today):
        return None
    age, in_stage, idle = (
        total_age_days(card, today),
        stage_age_days(card, today),
        idle_days(card, today),
    )
    settings = limits.settings
    flagged = []
    for rule_id in rules:
        if rule_id == "past-best-by":
            hit = age > limits.best_by_days
        elif rule_id == "past-shelf-life":
            hit = stage.shelf_life_days is not None and in_stage > stage.shelf_life_days
        elif rule_id == "idle":
            hit = (
                stage.kind == "active"
                and idle > settings.idle_days
                and (card.next_due is None or card.next_due < today)
            )
        else:  # low-value-account
            hit = account_key(account_name(card)) in limits.low_value_accounts
        if hit:
            flagged.append(rule_id)
    if not flagged:
        return None
    return ClearanceCandidate(card, stage, lane, tuple(flagged), age, in_stage, idle)


def review_day(mmdd: str, year: int) -> date:
    """The yearly review day in `year`; 02-29 falls on 28 February in other years."""
    try:
        month, day = month_day(mmdd)
        if (month, day) == (2, 29) and not calendar.isleap(year):
            day = 28
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(
            f'The yearly review day "{mmdd}" is not a day of the year — set it as MM-DD:'
            " pkanban config set yearly_review 01-15"
        ) from None


def last_review_day(mmdd: str, today: date) -> date:
    """The latest yearly review day on or before `today`."""
    this_year = review_day(mmdd, today.year)
    return this_year if this_year <= today else review_day(mmdd, today.year - 1)


def yearly_review_due(
    mmdd: str, today: date, last_yearly: date | None, board_started: date | None
) -> bool:
    """Whether a yearly review is owed: its day has come since the last yearly clearance.

    A board that never had one counts from the day it started, so a new board is not told on
    its first day that a review is overdue; a board with no history at all owes nothing.
    """
    since = last_yearly or board_started
    return since is not None and since < last_review_day(mmdd, today)
