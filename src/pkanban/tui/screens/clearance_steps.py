"""The clearance wizard's texts as pure functions of the plan: the screen fetches, these draw.

Each returns the lines of one step (or part of one) for a `HangingText`, so a long line wraps
under its own text.
"""

from textual.content import Content

from pkanban.domain.clearance import AccountFigures, Mode
from pkanban.domain.money import format_money
from pkanban.services import clearance as clearances
from pkanban.services.clearance import ClearancePlan, ClearanceResult, Decision
from pkanban.tui.text import plain
from pkanban.tui.widgets.hanging import HangingLine

DECIDED = {
    "clear": ("clear", "$error"),
    "lost": ("lost", "$error"),
    "nurture": ("nurture", "$accent"),
    "keep": ("keep", "$success"),
    "skip": ("skip", "$text-muted"),
}
SHOWN_PER_DECISION = 40  # the summary lists this many cards per decision, then counts the rest


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
