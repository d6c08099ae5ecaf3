"""The clearance command: list and apply the inventory purge (docs/clearance.md)."""

import sys
from datetime import date

import click

from pkanban.cli.context import Env, UserError, pass_env, say, say_json
from pkanban.cli.output import cached_cell, cell
from pkanban.cli.params import DUE_DATE
from pkanban.domain.clearance import MODES, RULE_IDS, Mode, mode_rules
from pkanban.domain.errors import PkanbanError
from pkanban.domain.money import format_known, format_money
from pkanban.domain.text import clean_text, counted
from pkanban.services import clearance as clearances
from pkanban.services.session import BoardSession

BULK_ACTIONS = ("clear", "lost", "nurture")


@click.command()
@click.option("--dry-run", "dry_run", is_flag=True, help="List the candidates, change nothing.")
@click.option("--apply", "apply", is_flag=True, help="Apply one action to every candidate.")
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default="ongoing",
    show_default=True,
    help="yearly adds the low-value-account rule.",
)
@click.option(
    "--rule",
    "rules",
    multiple=True,
    type=click.Choice(RULE_IDS),
    help="Only candidates this rule flags (repeatable; default: every rule of the mode).",
)
@click.option(
    "--action",
    type=click.Choice(BULK_ACTIONS),
    default="clear",
    show_default=True,
    help="With --apply: archive as cleared, close as lost, or nurture back to the pool.",
)
@click.option("--reason", default="", help="Reason stored on each card (default: its rules).")
@click.option(
    "--follow-up",
    "follow_up",
    type=DUE_DATE,
    default="+30d",
    show_default=True,
    help="With --action nurture: when to follow up.",
)
@click.option(
    "--account",
    "accounts",
    multiple=True,
    help="Yearly review: only the open cards of this low-value account, as one decision"
    " (repeatable).",
)
@click.option("--yes", is_flag=True, help="Apply without asking (required off a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see docs/clearance.md).")
@pass_env
def clearance(
    env: Env,
    dry_run: bool,
    apply: bool,
    mode: Mode,
    rules: tuple[str, ...],
    action: str,
    reason: str,
    follow_up: date,
    accounts: tuple[str, ...],
    yes: bool,
    as_json: bool,
) -> None:
    """Clear dead stock: cards past best-by, past shelf life or idle (default: a dry run).

    The yearly review also lists low-value accounts (won in 12 months + open value under the
    low_value_threshold setting) with the effort they take; --account NAME clears one of them.
    --apply backs the board up, then applies the action to every listed candidate in one
    transaction; `pkanban undo` reverts the whole clearance.
    """
    if dry_run and apply:
        raise click.UsageError("Choose --dry-run or --apply, not both")
    if accounts and mode != "yearly":
        raise click.UsageError("--account works in the yearly review: add --mode yearly")
    session = env.session()
    report = session.run(clearances.find_candidates, env.today, mode, rules or None)
    if accounts:
        report = report.for_accounts(accounts)
    if not apply:
        if as_json:
            say_json(report.as_json())
        else:
            _print_report(report, _review_note(session, env.today))
        return
    decision = {
        "clear": clearances.clear(reason),
        "lost": clearances.lost(reason),
        "nurture": clearances.nurture(follow_up, reason),
    }[action]
    plan = clearances.plan_all(report, decision)
    if not report.candidates and mode == "ongoing":
        _echo_or_json(as_json, {"applied": False, "candidates": 0}, "No candidates — nothing to do")
        return
    if not as_json:
        _print_report(report, None)
    if not yes:
        _confirm(report, action)
    result = session.run(clearances.apply_plan, env.today, plan)
    if as_json:
        payload = {
            "applied": True,
            "candidates": len(report.candidates),
            "summary": result.summary.as_json(),
            "backup": str(result.backup) if result.backup else None,
        }
        say_json(payload)
        return
    say("")
    say(clean_text(result.summary.action_summary))
    for line in result.summary.lines(report.currency):
        say(f"  {line}")
    if result.backup is not None:
        say(f"Backup before the clearance: {result.backup}")
    say("Undo the whole clearance with: pkanban undo")


def _confirm(report: clearances.CandidateReport, action: str) -> None:
    if not sys.stdin.isatty():
        raise UserError("Not on a terminal: add --yes to apply the clearance without asking")
    money = format_known(report.value, len(report.candidates), report.unvalued, report.currency)
    question = {
        "clear": f"Clear {counted(len(report.candidates), 'card')} ({money})",
        "lost": f"Close {counted(len(report.candidates), 'card')} as lost ({money})",
        "nurture": f"Nurture {counted(len(report.candidates), 'card')} back to the pool",
    }[action]
    if not report.candidates:
        question = "No candidates: record the yearly review as done"
    click.confirm(f"\n{question}? A backup is taken first", abort=True)


def _review_note(session: BoardSession, today: date) -> str | None:
    """The yearly-review reminder, or why it cannot be worked out (a bad setting)."""
    try:
        review = session.run(clearances.yearly_review, today)
    except PkanbanError as error:
        return str(error)
    return f"{review.sentence} — pkanban clearance --mode yearly" if review.due else None


def _print_report(report: clearances.CandidateReport, note: str | None) -> None:
    title = "Yearly clearance" if report.mode == "yearly" else "Ongoing clearance"
    say(f"{title} · {report.today.isoformat()} · best-by {report.best_by.days} days")
    say(f"  {clean_text(report.best_by.sentence)}")
    if note:
        say(f"  {note}")
    for note in report.notes:
        say(f"  {clean_text(note)}")
    if not report.candidates:
        if set(mode_rules(report.mode)) <= set(report.rules):
            say("No candidates: nothing is past its best-by, shelf life or idle threshold.")
        else:  # only some rules were asked for: say which found nothing
            say(f"No candidates under {', '.join(report.rules)} (--rule left the others out).")
        return
    say("")
    stage_cell, lane_cell = cached_cell(11), cached_cell(12)
    values: dict[int | None, str] = {}
    rows = [
        f"   id {cell('title', 24)} {cell('stage', 11)} {cell('lane', 12)}  value"
        "   age  stage  idle  rules"
    ]
    for each in report.candidates:
        card = each.card
        value = values.get(card.value)
        if value is None:
            value = values[card.value] = f"{format_money(card.value, report.currency):>6}"
        rows.append(
            f"{card.id:>5} {cell(card.title, 24)} {stage_cell(each.stage.name)}"
            f" {lane_cell(each.lane.name)} {value}"
            f" {each.age_days:>4}d {each.stage_age_days:>5}d {each.idle_days:>4}d"
            f"  {', '.join(each.rules)}"
        )
    say("\n".join(rows))
    say("")
    for rule_id, total in report.per_rule.items():
        money = format_known(total.value, total.count, total.unvalued, report.currency)
        meaning = clean_text(report.explain(rule_id))
        missing = f" ({total.unvalued:,} without a value)" if total.unvalued else ""
        say(f"{rule_id:<18} {counted(total.count, 'card'):>11} {money:>7}  {meaning}{missing}")
    money = format_known(report.value, len(report.candidates), report.unvalued, report.currency)
    missing = f" — {report.unvalued:,} without a value, not counted" if report.unvalued else ""
    say(
        f"{'total':<18} {counted(len(report.candidates), 'card'):>11} {money:>7}  at stake{missing}"
    )
    if report.accounts:
        _print_accounts(report)


def _print_accounts(report: clearances.CandidateReport) -> None:
    currency = report.currency
    say("")
    say(
        "Low-value accounts (worth = won in the last 12 months + open value; effort = open cards"
        " and their touches)"
    )
    say(f"  {cell('account', 24)}   worth  won 12m  wins  open value  open cards  touches")
    for each in report.accounts:
        unvalued = f"  ({each.open_unvalued} without a value)" if each.open_unvalued else ""
        say(
            f"  {cell(each.name, 24)} {format_money(each.value, currency) or '0':>7}"
            f" {format_money(each.won_value, currency) or '0':>8} {each.won_cards:>5}"
            f" {format_money(each.open_value, currency) or '0':>11} {each.open_cards:>11}"
            f" {each.touches:>8}{unvalued}"
        )
    say(
        "  Clear one account's open cards as one decision:"
        ' pkanban clearance --mode yearly --apply --account "NAME"'
    )


def _echo_or_json(as_json: bool, payload: dict, text: str) -> None:
    if as_json:
        say_json(payload)
    else:
        say(text)


COMMANDS = (clearance,)
