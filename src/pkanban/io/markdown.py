"""The markdown board report for a 1:1: the day, best-by, WIP against limits, every open card by
lane and stage (its notes as items under it), what is past best-by or stale, and totals. GitHub
and Obsidian render it as is.

Every piece of user text (titles, names, steps, reasons, the currency sign) goes through
`md_text`, so no card can add a heading, list item, table cell, link, image or HTML; figures
with the currency go through it too. Our own words are written as they are: none of them starts
markdown syntax where it stands.

A report of a period (`export --since/--until`) adds what happened in it — cards created, moved
between stages, won, lost and cleared (store/period.py says exactly when) — and lists only the
open cards created or moved in it; WIP, past best-by and totals still describe the board today.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from pkanban.domain.contacts import ContactKind, contact_url
from pkanban.domain.dates import WEEKDAY_ABBR
from pkanban.domain.models import Note, Stage
from pkanban.domain.views import BoardContext, CardView
from pkanban.io.escape import md_text

STALE_LEVELS = ("expired", "stale")


@dataclass(frozen=True)
class PeriodMove:
    day: date
    view: CardView
    from_stage: str
    to_stage: str


@dataclass(frozen=True)
class PeriodReport:
    """What happened from `since` (None: the start) to `until`, both days included."""

    since: date | None
    until: date
    created: list[CardView]
    moves: list[PeriodMove]
    closed: list[CardView]

    @property
    def card_ids(self) -> set[int]:
        views = [*self.created, *self.closed, *(move.view for move in self.moves)]
        return {view.card.id for view in views}

    @property
    def label(self) -> str:
        start = "the start" if self.since is None else self.since.isoformat()
        return f"{start} to {self.until.isoformat()}"


@dataclass(frozen=True)
class BoardReport:
    """What the report shows; the export service reads it from the board in one snapshot."""

    context: BoardContext
    open_cards: list[CardView]
    counts: dict[str, int]
    wip: dict[str, dict]
    past_best_by: int
    won_value: int
    notes: dict[int, list[Note]] = field(default_factory=dict)  # by card id, oldest first
    period: PeriodReport | None = None


def money(value: int | float | None, currency: str) -> str:
    return "—" if value is None else f"{currency}{round(value):,}"


def render(report: BoardReport) -> str:
    context = report.context
    currency = context.settings.currency
    today = context.today
    period = report.period
    lines = [
        f"# Pipeline — {WEEKDAY_ABBR[today.weekday()]} {today.isoformat()}",
        "",
        f"**Best-by: {context.best_by.days} days.** {md_text(context.best_by.sentence)}.",
        "",
        _headline(report),
    ]
    if period is not None:
        lines += ["", *_period_lines(period, currency)]
    lines += ["", "## WIP", "", *_wip_tables(report)]
    listed = report.open_cards
    if period is not None:
        ids = period.card_ids
        listed = [view for view in listed if view.card.id in ids]
    for lane in context.lanes:
        cells = [view for view in listed if view.lane.id == lane.id]
        if not cells:
            continue
        lines += ["", f"## {md_text(lane.name)}"]
        for stage in context.stages:
            in_stage = [view for view in cells if view.stage.id == stage.id]
            if in_stage:
                lines += ["", f"### {md_text(stage.name)} · {len(in_stage)}", ""]
                for view in in_stage:
                    lines.append(_card_line(view, context))
                    lines += _note_lines(report.notes.get(view.card.id, ()))
    stale = sorted(
        (view for view in report.open_cards if view.badge.level in STALE_LEVELS),
        key=lambda view: (-view.age_days, view.card.id),
    )
    lines += ["", f"## Past best-by / stale · {len(stale)}", ""]
    lines += [_stale_line(view) for view in stale] or ["Nothing past best-by or stale."]
    lines += ["", "## Totals", "", *_totals(report, currency)]
    return "\n".join(lines) + "\n"


def _period_lines(period: PeriodReport, currency: str) -> list[str]:
    """The period's figures, then what was won, lost, cleared, moved and created in it."""
    by_kind = {kind: [v for v in period.closed if v.card.disposition == kind] for kind in _CLOSED}
    won_value = sum(view.card.value or 0 for view in by_kind["won"])
    lines = [
        f"## In the period: {period.label}",
        "",
        "Open cards below are those created or moved in the period.",
        "",
        "| | Cards | Value |",
        "| --- | ---: | ---: |",
        f"| Created | {len(period.created)} | |",
        f"| Moved between stages | {len(period.moves)} | |",
        f"| Won | {len(by_kind['won'])} | {md_text(money(won_value, currency))} |",
        f"| Lost | {len(by_kind['lost'])} | |",
        f"| Cleared | {len(by_kind['cleared'])} | |",
    ]
    for kind, title in _CLOSED.items():
        if by_kind[kind]:
            lines += ["", f"### {title} · {len(by_kind[kind])}", ""]
            lines += [_closed_line(view, currency) for view in by_kind[kind]]
    if period.moves:
        lines += ["", f"### Moved · {len(period.moves)}", ""]
        lines += [
            f"- {move.day.isoformat()} **{md_text(move.view.card.title)}**:"
            f" {md_text(move.from_stage)} → {md_text(move.to_stage)}"
            for move in period.moves
        ]
    if period.created:
        lines += ["", f"### Created · {len(period.created)}", ""]
        lines += [
            f"- {view.card.created.isoformat()} **{md_text(view.card.title)}** ·"
            f" {md_text(view.stage.name)} · {md_text(view.lane.name)}"
            for view in period.created
        ]
    return lines


_CLOSED = {"won": "Won", "lost": "Lost", "cleared": "Cleared"}


def _closed_line(view: CardView, currency: str) -> str:
    card = view.card
    assert card.closed is not None  # an archived card carries its closing day
    parts = [f"{card.closed.isoformat()} **{md_text(card.title)}**"]
    if card.value is not None:
        parts.append(md_text(money(card.value, currency)))
    if card.lost_reason:
        parts.append(md_text(card.lost_reason))
    return "- " + " · ".join(parts)


def _headline(report: BoardReport) -> str:
    counts = report.counts
    closed = counts["won"] + counts["lost"]
    rate = f"{counts['won'] / closed:.0%}" if closed else "—"
    return md_text(
        f"Open {counts['open']} ({report.past_best_by} past best-by) · won {counts['won']}"
        f" · lost {counts['lost']} · cleared {counts['cleared']} · win rate {rate}"
    )


def _wip_tables(report: BoardReport) -> list[str]:
    lines = ["| Stage | Open | Limit | |", "| --- | ---: | ---: | --- |"]
    for stage in report.context.stages:
        entry = report.wip["stages"][stage.name]
        name = md_text(stage.name) + (" (pool)" if stage.kind == "pool" else "")
        lines.append(_wip_row(name, entry["count"], entry["limit"]))
    lines += ["", "| Lane | Open in active stages | Limit | |", "| --- | ---: | ---: | --- |"]
    for lane in report.context.lanes:
        entry = report.wip["lanes"][lane.name]
        lines.append(_wip_row(md_text(lane.name), entry["count"], entry["limit"]))
    return lines


def _wip_row(name: str, count: int, limit: int | None) -> str:
    state = ""
    if limit is not None:
        state = "over the limit" if count > limit else "full" if count == limit else ""
    return f"| {name} | {count} | {'—' if limit is None else limit} | {state} |"


def _card_line(view: CardView, context: BoardContext) -> str:
    card = view.card
    settings = context.settings
    parts = [f"**{md_text(card.title)}**"]
    if card.account:
        parts.append(f"account: {md_text(card.account)}")
    if card.value is not None:
        parts.append(md_text(money(card.value, settings.currency)))
    parts.append(md_text(view.badge.text))
    parts.append(f"{card.touch_count}/{settings.touch_target} touches")
    if card.next_step or card.next_due:
        due = ""
        if card.next_due is not None:
            due = f"due {card.next_due.isoformat()}" + (" (overdue)" if view.overdue else "")
        step = md_text(card.next_step)
        parts.append("next: " + (f"{step}, {due}" if step and due else step or due))
    if card.blocked_reason:
        parts.append(f"⛔ blocked: {md_text(card.blocked_reason)}")
    contact = [md_text(card.contact_name)] if card.contact_name else []
    reach: tuple[tuple[ContactKind, str], ...] = (("email", card.email), ("phone", card.phone))
    contact += [_link(value, kind) for kind, value in reach]
    if any(contact):
        parts.append("contact: " + " ".join(part for part in contact if part))
    return "- " + " · ".join(parts)


def _link(value: str, kind: ContactKind) -> str:
    """An email or phone as a link: escaped text, a percent-encoded `mailto:`/`tel:` target in
    angle brackets (nothing in it can end the link or start other markdown)."""
    url = contact_url(kind, value) if value else None
    if url is None:
        return md_text(value)
    return f"[{md_text(value)}](<{url}>)"


def _note_lines(notes: Iterable[Note]) -> list[str]:
    """A card's notes as items under it, each on one line (its markdown shown as typed)."""
    return [f"  - note {note.day.isoformat()}: {md_text(note.text)}" for note in notes]


def _stale_line(view: CardView) -> str:
    why = "past best-by" if view.badge.level == "expired" else "stale in stage"
    return (
        f"- **{md_text(view.card.title)}** — {md_text(view.stage.name)} ·"
        f" {md_text(view.lane.name)} — {md_text(view.badge.text)} ({why})"
    )


def _totals(report: BoardReport, currency: str) -> list[str]:
    """Open value sums the values that are known, and says how many cards have none: unknown
    is not zero."""
    valued = [(view.card.value, view) for view in report.open_cards if view.card.value is not None]
    unvalued = len(report.open_cards) - len(valued)
    open_value = sum(value for value, _ in valued)
    weighted = sum(
        value * _probability(view.card.probability, view.stage) for value, view in valued
    )
    missing = f" · {unvalued:,} without a value" if unvalued else ""
    rows = [
        ("Open", report.counts["open"], open_value, missing),
        ("Open, weighted by win probability", None, weighted, missing),
        ("Won", report.counts["won"], report.won_value, ""),
        ("Lost", report.counts["lost"], None, ""),
        ("Cleared", report.counts["cleared"], None, ""),
    ]
    lines = ["| | Cards | Value |", "| --- | ---: | ---: |"]
    for label, count, value, note in rows:
        shown = "" if value is None else md_text(money(value, currency) + note)
        lines.append(f"| {label} | {'' if count is None else count} | {shown} |")
    return lines


def _probability(card_probability: float | None, stage: Stage) -> float:
    if card_probability is not None:
        return card_probability
    return stage.probability or 0.0
