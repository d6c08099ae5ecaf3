"""The board's headings: the top bar (date, best-by), stage headers and lane headers.

Each receives plain data and draws it as `Content` sized to its width, so user-named stages and
lanes are shown literally and a narrow column drops words, never the count.
"""

from dataclasses import dataclass
from datetime import date

from textual import events
from textual.content import Content
from textual.message import Message
from textual.widget import Widget

from pkanban.domain.dates import WEEKDAY_ABBR
from pkanban.domain.money import format_money, format_total
from pkanban.domain.rules import over_by, wip_level
from pkanban.domain.text import cell_width
from pkanban.tui.text import display_line, plain


@dataclass(frozen=True)
class HeaderFacts:
    today: date
    best_by_days: int
    best_by_basis: str
    past_best_by: int
    open_cards: int
    filter_text: str = ""
    filter_matches: int = 0
    triage_waiting: int = 0
    clearance_waiting: int = 0


class BoardHeader(Widget):
    """Top bar: the working date, best-by days and how many open cards are past it."""

    facts: HeaderFacts | None = None
    # The replica's state in a few characters (`⇅ 3s`) and its style; set by the app.
    replica: tuple[str, str] | None = None

    def show(self, facts: HeaderFacts) -> None:
        if facts != self.facts:
            self.facts = facts
            self.refresh()

    def show_replica(self, badge: str, style: str = "") -> None:
        if (badge, style) != self.replica:
            self.replica = (badge, style)
            self.refresh()

    def render(self) -> Content:
        facts = self.facts
        if facts is None:
            return Content("pkanban")
        full = self._with_replica(self._line(facts, compact=False))
        if full.cell_length <= self.size.width:
            return full
        return self._with_replica(self._line(facts, compact=True))

    def _with_replica(self, line: Content) -> Content:
        if self.replica is None:
            return line
        badge, style = self.replica
        return Content.assemble(line, "  ", (badge, style) if style else badge)

    @staticmethod
    def _line(facts: HeaderFacts, *, compact: bool) -> Content:
        """The header; `compact` drops the name and the weekday and shortens every figure so
        the triage and clearance counts still fit at 80 columns — and puts a filter first, so a
        narrow terminal cuts the counts rather than the filter the board is showing."""
        gap = " · " if compact else "  ·  "
        day = facts.today.isoformat()
        if not compact:
            day = f"{WEEKDAY_ABBR[facts.today.weekday()]} {day}"
        basis = " (fallback)" if facts.best_by_basis == "fallback" and not compact else ""
        past = f"{facts.past_best_by:,} past" + ("" if compact else " best-by")
        unit = "d" if compact else " d"
        parts: list[str | tuple[str, str]] = [] if compact else [("pkanban", "bold"), "  "]
        filtered = ""
        if facts.filter_text:
            shown = display_line(facts.filter_text, 12 if compact else 30)
            filtered = f"filter “{shown}”: {facts.filter_matches:,} match (Esc clears)"
        if compact and filtered:  # what the board shows now comes first, the counts after it
            parts += [day, gap, (filtered, "bold"), gap]
            day, filtered = "", ""
        best_by = f"best-by {facts.best_by_days}{unit}{basis}"
        parts += [
            f"{day}{gap if day else ''}{facts.open_cards:,} open{gap}{best_by}{gap}",
            (past, "bold") if facts.past_best_by else past,
        ]
        if facts.triage_waiting:
            label = "triage" if compact else "in triage"
            parts.extend((gap, (f"{facts.triage_waiting:,} {label}", "bold"), " (T)"))
        if facts.clearance_waiting:
            parts.extend((gap, (f"{facts.clearance_waiting:,} to clear", "bold"), " (c)"))
        if filtered:
            parts.append(f"{gap}{filtered}")
        return Content.assemble(*parts)


@dataclass(frozen=True)
class StageFacts:
    name: str
    count: int
    limit: int | None
    value: int
    weighted: float | None
    currency: str
    unvalued: int = 0


class StageHeader(Widget):
    """`Discovery 4/5` over `$48k ~$12k`; the classes `-full` / `-over` colour it at and over
    its limit, and the second line says `full` / `over` for terminals without colour."""

    def __init__(self, stage_id: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.stage_id = stage_id
        self.facts: StageFacts | None = None

    def show(self, facts: StageFacts) -> None:
        if facts == self.facts:
            return
        self.facts = facts
        level = fullness(facts.count, facts.limit)
        self.set_class(level == "full", "-full")
        self.set_class(level == "over", "-over")
        self.refresh()

    def render(self) -> Content:
        facts = self.facts
        if facts is None:
            return Content("")
        width = max(1, self.size.width)
        count = f"{facts.count:,}" if facts.limit is None else f"{facts.count:,}/{facts.limit}"
        level = fullness(facts.count, facts.limit)
        over = f"over by {over_by(facts.count, facts.limit):,}"
        # `Contacted 61/8 · over by 53` when it fits; else the overload leads the second line.
        wide = level == "over" and cell_width(f"{facts.name} {count} · {over}") <= width
        tail = f" · {over}" if wide else ""
        # The name wins over the figures: when they do not fit beside it, the count leads the
        # second line (`Contacted` over `1,586/8 · over by 1,578`).
        beside = cell_width(f"{facts.name} {count}{tail}") <= width
        name = display_line(facts.name, width)
        words = [over if level == "over" else level] if level and not wide else []
        if not beside:  # `5/5 full`, `1,586/8 over by 1,578`
            words = [" ".join([count, *words[:1]]), *words[1:]]
        words.append(format_total(facts.value, facts.count, facts.unvalued, facts.currency))
        if facts.weighted is not None:
            weighted = "~" + format_money(round(facts.weighted), facts.currency)
            long = " · ".join([*words, f"{weighted} weighted"])
            words.append(weighted)
        second = " · ".join(words)
        if facts.weighted is not None and cell_width(long) <= width:
            second = long
        second = display_line(second, width)
        if not beside:
            if second.startswith(count):  # the count stays bold where it went
                return Content.assemble((name, "bold"), "\n", (count, "bold"), second[len(count) :])
            return Content.assemble((name, "bold"), "\n", second)
        return Content.assemble((name, "bold"), " ", (count, "bold"), tail, "\n", second)


fullness = wip_level


@dataclass(frozen=True)
class LaneFacts:
    name: str
    collapsed: bool
    open_cards: int
    wip: int
    limit: int | None
    value: int
    currency: str
    current: bool
    unvalued: int = 0  # open cards without a value: left out of `value`, and said


class LaneHeader(Widget):
    """A lane's title row: `▾ New business · WIP 5 · 23 open · $180k`; click folds it."""

    class Clicked(Message):
        def __init__(self, lane_id: int) -> None:
            super().__init__()
            self.lane_id = lane_id

    def __init__(self, lane_id: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lane_id = lane_id
        self.facts: LaneFacts | None = None

    def show(self, facts: LaneFacts) -> None:
        if facts == self.facts:
            return
        self.facts = facts
        level = fullness(facts.wip, facts.limit)
        self.set_class(level == "full", "-full")
        self.set_class(level == "over", "-over")
        self.set_class(facts.current, "-current")
        self.refresh()

    def render(self) -> Content:
        facts = self.facts
        if facts is None:
            return Content("")
        arrow = "▸" if facts.collapsed else "▾"
        wip = f"WIP {facts.wip:,}" if facts.limit is None else f"WIP {facts.wip:,}/{facts.limit:,}"
        level = fullness(facts.wip, facts.limit)
        if level == "over":
            wip += f" · over by {over_by(facts.wip, facts.limit):,}"
        details = [wip + (" full" if level == "full" else ""), f"{facts.open_cards:,} open"]
        if facts.value or facts.unvalued:
            details.append(
                format_total(facts.value, facts.open_cards, facts.unvalued, facts.currency)
            )
        if facts.collapsed:
            details.append("z unfolds")
        return Content.assemble(
            f"{arrow} ", (plain(facts.name), "bold"), "  ·  " + "  ·  ".join(details)
        )

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self.lane_id))
