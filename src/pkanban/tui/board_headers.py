"""What the board's headings say: the presenter between the board's data (totals per cell, read
by `BoardData`) and the header widgets (`tui/widgets/headers.py`), as pure functions.

Every figure is a sum of cell totals already read, except the three that read every open card
(past best-by, triage, clearance: `HeaderCounts`), which the board counts off the UI thread and
passes in.
"""

from dataclasses import dataclass
from datetime import date

from pkanban.domain.rules import counts_toward
from pkanban.services.session import CellTotals
from pkanban.services.views import BoardContext
from pkanban.tui.board_data import NO_TOTALS, BoardData, HeaderCounts
from pkanban.tui.widgets.headers import HeaderFacts, LaneFacts, StageFacts

Totals = dict[tuple[int, int], CellTotals]
"""Per (stage_id, lane_id) cell."""


@dataclass(frozen=True)
class Headings:
    """Everything the board's headers show: the top bar, each stage's and each lane's."""

    board: HeaderFacts
    stages: dict[int, StageFacts]
    lanes: dict[int, LaneFacts]


def board_headings(
    data: BoardData, today: date, counts: HeaderCounts, folded: set[int], current_lane: int | None
) -> Headings:
    """The headings of the board `data` holds, with its `folded` lanes and the cursor's lane."""
    context = data.board
    return Headings(
        top_bar(data, today, counts),
        stage_facts(context, data.totals),
        lane_facts(context, data.totals, folded, current_lane),
    )


def top_bar(data: BoardData, today: date, counts: HeaderCounts) -> HeaderFacts:
    """The date, best-by, open and past-best-by cards, what waits in triage and clearance, and
    how many cards of the shown lanes match the filter."""
    context = data.board
    shown_lanes = {lane.id for lane in data.visible_lanes()}  # `lane:new` hides the others
    return HeaderFacts(
        today=today,
        best_by_days=context.best_by.days,
        best_by_basis=context.best_by.basis,
        past_best_by=counts.past_best_by,
        open_cards=sum(totals.count for totals in data.totals.values()),
        filter_text=data.filter.text if data.filter else "",
        filter_matches=sum(
            totals.count for (_, lane_id), totals in data.shown.items() if lane_id in shown_lanes
        ),
        triage_waiting=counts.triage,
        clearance_waiting=counts.clearance,
    )


def stage_facts(context: BoardContext, totals: Totals) -> dict[int, StageFacts]:
    """Each stage's count against its limit, value and weighted value, over all lanes."""
    facts = {}
    for stage in context.stages:
        cells = [totals.get((stage.id, lane.id), NO_TOTALS) for lane in context.lanes]
        weighted = [cell.weighted for cell in cells if cell.weighted is not None]
        facts[stage.id] = StageFacts(
            name=stage.name,
            count=sum(cell.count for cell in cells),
            limit=stage.wip_limit,
            value=sum(cell.value for cell in cells),
            unvalued=sum(cell.unvalued for cell in cells),
            weighted=sum(weighted) if weighted else None,
            currency=context.settings.currency,
        )
    return facts


def lane_facts(
    context: BoardContext, totals: Totals, folded: set[int], current_lane: int | None
) -> dict[int, LaneFacts]:
    """Each lane's work in progress (the stages that count toward a lane's limit), open cards
    and value."""
    active = {stage.id for stage in context.stages if counts_toward(stage, "lane")}
    facts = {}
    for lane in context.lanes:
        cells = {stage.id: totals.get((stage.id, lane.id), NO_TOTALS) for stage in context.stages}
        facts[lane.id] = LaneFacts(
            name=lane.name,
            collapsed=lane.id in folded,
            open_cards=sum(cell.count for cell in cells.values()),
            wip=sum(cell.count for stage_id, cell in cells.items() if stage_id in active),
            limit=lane.wip_limit,
            value=sum(cell.value for cell in cells.values()),
            currency=context.settings.currency,
            current=current_lane == lane.id,
            unvalued=sum(cell.unvalued for cell in cells.values()),
        )
    return facts
