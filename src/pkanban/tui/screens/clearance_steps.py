"""The clearance wizard's texts as pure functions of what the screen fetched (the candidate
report, the plan, a card's touches and history): the screen fetches through the session, these
draw.

Each returns the lines of one step (or part of one) for a `HangingText`, so a long line wraps
under its own text.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from textual.content import Content

from pkanban.domain.clearance import AccountFigures, ClearanceCandidate, Mode, account_key
from pkanban.domain.models import Touch
from pkanban.domain.money import format_known, format_money
from pkanban.domain.text import counted
from pkanban.services import clearance as clearances
from pkanban.services.clearance import CandidateReport, ClearancePlan, ClearanceResult, Decision
from pkanban.tui.text import plain
from pkanban.tui.widgets.card import due_part
from pkanban.tui.widgets.hanging import HangingLine

DECIDED = {
    "clear": ("clear", "$error"),
    "lost": ("lost", "$error"),
    "nurture": ("nurture", "$accent"),
    "keep": ("keep", "$success"),
    "skip": ("skip", "$text-muted"),
}
SHOWN_PER_DECISION = 40  # the summary lists this many cards per decision, then counts the rest
SHOWN_TOUCHES = 5
SHOWN_HISTORY = 6


def detail(decision: Decision) -> str:
    if decision.action == "nurture":
        return f" — follow up {decision.follow_up}"  # a nurture always has its day
    if decision.action == "keep":
        return f" — {decision.snooze_days} days: {plain(decision.reason)}"
    if decision.reason:
        return f" — {plain(decision.reason)}"
    return ""


def account_line(figures: AccountFigures, currency: str) -> Content:
    """A low-value account's worth against its effort, on one (hanging) line."""
    unvalued = f" ({figures.open_unvalued} without a value)" if figures.open_unvalued else ""
    return Content.assemble(
        (plain(figures.name), "bold"),
        f": worth {format_money(figures.value, currency) or '0'}"
        f" (won {format_money(figures.won_value, currency) or '0'} in 12 months"
        f" from {figures.won_cards}, open {format_money(figures.open_value, currency) or '0'})"
        f" · effort {figures.open_cards} open cards{unvalued}, {figures.touches} touches",
    )


def summary_lines(plan: ClearancePlan, mode: Mode) -> list[HangingLine]:
    """Step 3: what applying the plan will do, before anything does."""
    summary = clearances.summarise(plan)
    currency = plan.report.currency
    lines: list[HangingLine] = [Content.styled("What the clearance will do", "bold underline")]
    lines += [Content(f"  {line}") for line in summary.lines(currency)]
    for action in ("clear", "lost", "nurture", "keep"):
        decided = [
            each
            for each in plan.candidates
            if (d := plan.decisions.get(each.card.id)) and d.action == action
        ]
        if not decided:
            continue
        word, style = DECIDED[action]
        lines.append(Content.styled(f"\n{word} ({len(decided)})", f"bold {style}"))
        for each in decided[:SHOWN_PER_DECISION]:
            lines.append(
                (
                    f"  #{each.card.id} ",
                    Content.assemble(
                        plain(each.card.title),
                        f"  {format_money(each.card.value, currency)}",
                        detail(plan.decisions[each.card.id]),
                    ),
                )
            )
        if len(decided) > SHOWN_PER_DECISION:
            more = len(decided) - SHOWN_PER_DECISION
            lines.append(Content.styled(f"  … and {more:,} more", "$text-muted"))
    if not summary.changed:
        note = "Nothing will change" + (
            " — applying records the yearly review as done" if mode == "yearly" else ""
        )
        lines.append(Content.styled(f"\n{note}.", "bold"))
    lines.append(
        Content.styled(
            "\na applies (a backup is taken first; u on the board undoes it all)"
            " · Esc goes back to the review",
            "$text-muted",
        )
    )
    return lines


def done_lines(result: ClearanceResult, currency: str) -> list[HangingLine]:
    """Step 4: what the clearance did and where its backup is."""
    lines: list[HangingLine] = [
        Content.styled(plain(result.summary.action_summary), "bold underline")
    ]
    lines += [Content(f"  {line}") for line in result.summary.lines(currency)]
    if result.backup is not None:
        lines.append(Content.assemble("\nBackup before the clearance: ", str(result.backup)))
    lines.append(
        Content.styled("\nEsc returns to the board; u there undoes the clearance.", "$text-muted")
    )
    return lines


def choose_lines(
    report: CandidateReport,
    mode: Mode,
    chosen: set[str],
    selected: Sequence[ClearanceCandidate],
    review_note: str | None,
) -> list[HangingLine]:
    """Step 1: the mode, best-by, each rule (`chosen` ones ticked) with its count and value, the
    low-value accounts and what is `selected`; `review_note` says the yearly review is due (or
    why that could not be read)."""
    other = "yearly review" if mode == "ongoing" else "ongoing clearance"
    lines: list[HangingLine] = [
        Content.assemble(("Mode  ", "bold"), f"{mode}   (Y switches to the {other})"),
        Content.assemble(
            ("Best-by  ", "bold"),
            f"{report.best_by.days} days: ",
            plain(report.best_by.sentence),
        ),
    ]
    if review_note:
        lines.append(Content.styled(review_note, "$warning-text"))
    lines += [Content.styled(plain(note), "$warning-text") for note in report.notes]
    lines.append(Content.styled("\nRules (press the number to switch one on or off)", "bold"))
    for number, (rule_id, total) in enumerate(report.per_rule.items(), 1):
        mark = "[x]" if rule_id in chosen else "[ ]"
        money = format_known(total.value, total.count, total.unvalued, report.currency)
        lines.append(
            (
                Content.assemble(
                    f"  {mark} {number} ",
                    (f"{rule_id:<18}", "bold"),
                    f"{counted(total.count, 'card'):>11} {money:>7}   ",
                ),
                Content.styled(plain(report.explain(rule_id)), "$text-muted"),
            )
        )
    if report.accounts and "low-value-account" in chosen:
        lines.append(Content.styled("\nLow-value accounts", "bold"))
        lines += [
            Content.assemble("  ", account_line(each, report.currency)) for each in report.accounts
        ]
    unvalued = sum(each.card.value is None for each in selected)
    money = format_known(
        sum(each.value for each in selected), len(selected), unvalued, report.currency
    )
    missing = f" · {unvalued:,} without a value, not counted" if unvalued else ""
    lines.append(Content(""))
    lines.append(
        Content.assemble(
            ("Selected  ", "bold"), f"{counted(len(selected), 'card')} · {money} at stake{missing}"
        )
    )
    hint = "Nothing to review · "
    if selected:
        hint = "Enter reviews them one by one · "
    elif mode == "yearly":
        hint = "Nothing to clear: Enter goes to the summary to record the review · "
    lines.append(Content.styled(f"\n{hint}Esc closes", "$text-muted"))
    return lines


@dataclass(frozen=True)
class CardRecord:
    """What step 2 shows of a candidate beyond the report: read through the session."""

    touches: Sequence[Touch]
    history: Sequence[dict[str, Any]]
    stage_path: Sequence[tuple[date, int]]
    """The stages it went through, with the day it entered each (from its events)."""
    stage_names: dict[int, str]


def review_lines(
    each: ClearanceCandidate, plan: ClearancePlan, record: CardRecord, today: date
) -> list[HangingLine]:
    """Step 2: one candidate — its facts and ages, why it is here, the stages it went through,
    its next step, touches and history — and the plan's decision for it so far."""
    card, report = each.card, plan.report
    currency = report.currency
    facts = " · ".join(
        part
        for part in (
            plain(each.stage.name),
            plain(each.lane.name),
            format_money(card.value, currency),
            f"touches {card.touch_count}",
        )
        if part
    )
    lines: list[HangingLine] = [
        Content.assemble(
            (plain(card.title), "bold"),
            f"  #{card.id}   ",
            decision_badge(plan.decisions.get(card.id)),
        ),
        Content(facts),
        Content(
            f"Age {each.age_days} days in total · {each.stage_age_days} in"
            f" {plain(each.stage.name)} · {each.idle_days} since the last touch"
        ),
        Content.styled("\nWhy it is here", "bold underline"),
    ]
    for rule_id in each.rules:
        lines.append(
            (
                Content.styled("  ● ", "$warning-text"),
                Content.assemble((rule_id, "bold"), " — ", report.explain(rule_id)),
            )
        )
    figures = flagged_account(each, report)
    if figures is not None:
        lines.append(Content.assemble("    ", account_line(figures, report.currency)))
    lines.append(Content.styled("\nStages it went through", "bold underline"))
    lines.append(Content("  " + path_text(each, record.stage_path, record.stage_names)))
    lines.append(Content.styled("\nNext step", "bold underline"))
    if card.next_step or card.next_due:
        due = f"  ({due_part(card.next_due, today)[0]})" if card.next_due else ""
        lines.append(Content.assemble("  ", plain(card.next_step or "—"), due))
    else:
        lines.append(Content("  none"))
    touches = record.touches
    lines.append(Content.styled(f"\nTouches ({len(touches)})", "bold underline"))
    for touch in touches[-SHOWN_TOUCHES:]:
        lines.append((f"  {touch.day.isoformat()}  {touch.kind:<8}", plain(touch.text)))
    if not touches:
        lines.append(Content("  never touched"))
    lines.append(Content.styled("\nHistory", "bold underline"))
    for action in record.history:
        lines.append((f"  {action['day']}  ", plain(action["summary"])))
    lines.append(
        Content.styled(
            "\nDel clear · x lost · o nurture · = keep · space skip · ← → previous/next"
            " · B decide a whole rule"
            + (" · A clear the whole account" if figures is not None else "")
            + " · s summary",
            "$text-muted",
        )
    )
    return lines


def flagged_account(each: ClearanceCandidate, report: CandidateReport) -> AccountFigures | None:
    """The low-value account a candidate is flagged for, None if it is not."""
    if "low-value-account" not in each.rules:
        return None
    key = account_key(each.account)
    return next((a for a in report.accounts if a.key == key), None)


def decision_badge(decision: Decision | None) -> Content:
    """`→ keep — 30 days: …`, or `undecided`."""
    if decision is None:
        return Content.styled("undecided", "$text-muted")
    word, style = DECIDED[decision.action]
    return Content.assemble(("→ ", style), (word, f"bold {style}"), detail(decision))


def path_text(
    each: ClearanceCandidate, events: Sequence[tuple[date, int]], names: dict[int, str]
) -> str:
    """Stages from the card's events, dated by its own created / entered-stage dates where
    those are older than the events (imported cards)."""
    path = list(events) or [(each.card.created, each.stage.id)]
    path[0] = (min(path[0][0], each.card.created), path[0][1])
    if path[-1][1] == each.stage.id:
        path[-1] = (each.card.entered_stage, each.stage.id)
    return " → ".join(
        f"{plain(names.get(stage_id, '?'))} since {day.isoformat()}" for day, stage_id in path
    )
