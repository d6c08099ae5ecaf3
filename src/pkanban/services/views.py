"""Read models for every shell, filled from the store: cards with their ages and badge, the
board summary, stats. The models themselves (`CardView`, `CardLine`, `BoardContext`) live in
`domain.views` so that `io/` can write them without importing a service.

The CLI prints these and the TUI draws them; neither computes an age or a badge itself.
"""

from datetime import date

from pkanban.domain.ages import age_badge, age_days
from pkanban.domain.metrics import win_rate
from pkanban.domain.triage import step_overdue
from pkanban.domain.views import BoardContext, CardLine, CardView
from pkanban.store import board
from pkanban.store.database import Store


def board_context(store: Store, today: date) -> BoardContext:
    settings = board.settings(store.conn)
    return BoardContext(
        today=today,
        settings=settings,
        stages=board.stages(store.conn),
        lanes=board.lanes(store.conn),
        best_by=board.board_best_by(store.conn, settings),
    )


def card_views(
    store: Store,
    today: date,
    *,
    stage: str | None = None,
    lane: str | None = None,
    include_closed: bool = False,
) -> list[CardView]:
    context = board_context(store, today)
    stage_id = board.find_stage(store.conn, stage).id if stage else None
    lane_id = board.find_lane(store.conn, lane).id if lane else None
    found = board.cards(
        store.conn, stage_id=stage_id, lane_id=lane_id, include_closed=include_closed
    )
    return [context.view(card) for card in found]


def card_lines(
    store: Store,
    today: date,
    *,
    stage: str | None = None,
    lane: str | None = None,
    include_closed: bool = False,
) -> list[CardLine]:
    """The cards `card_views` would give, as the lines of a list: the same ages and badges,
    worked out from plain rows."""
    best_by_days = board_context(store, today).best_by.days
    stage_id = board.find_stage(store.conn, stage).id if stage else None
    lane_id = board.find_lane(store.conn, lane).id if lane else None
    rows = board.card_lines(
        store.conn, stage_id=stage_id, lane_id=lane_id, include_closed=include_closed
    )
    parse = date.fromisoformat
    lines = []
    for (
        card_id,
        title,
        lane_name,
        stage_name,
        shelf,
        value,
        created,
        entered_stage,
        closed,
        disposition,
        touches,
        next_due,
        blocked_reason,
    ) in rows:
        closed_on = parse(closed) if closed else None
        total = age_days(parse(created), closed_on, today)
        in_stage = age_days(parse(entered_stage), closed_on, today)
        due = parse(next_due) if next_due else None
        lines.append(
            CardLine(
                card_id,
                title,
                lane_name,
                stage_name,
                value,
                age_badge(disposition, total, in_stage, shelf, best_by_days),
                touches,
                due,
                step_overdue(disposition, due, today),
                bool(blocked_reason),
            )
        )
    return lines


def card_view(store: Store, today: date, card_id: int) -> CardView:
    return board_context(store, today).view(board.card(store.conn, card_id))


def wip(store: Store) -> dict[str, dict]:
    """Open cards per stage against its limit, and per lane (active stages) against its limit:
    `{"count", "limit", "over"}` each (`over` is how many past the limit, 0 within it)."""
    table = board.wip_now(store.conn)
    return {
        "stages": {w.name: w.as_json() for w in table if w.what == "stage"},
        "lanes": {w.name: w.as_json() for w in table if w.what == "lane"},
    }


def stats(store: Store, today: date) -> dict:
    """The board's headline figures (`pkanban stats --json`)."""
    context = board_context(store, today)
    counts = board.disposition_counts(store.conn)
    wip_now = wip(store)
    return {
        "today": today.isoformat(),
        "best_by_days": context.best_by.days,
        "best_by_basis": context.best_by.basis,
        "best_by_explained": context.best_by.sentence,
        "past_best_by": board.count_past_best_by(store.conn, today, context.best_by.days),
        **counts,
        "win_rate": win_rate(counts["won"], counts["lost"]),
        "wip": wip_now["stages"],
        "lane_wip": wip_now["lanes"],
    }
