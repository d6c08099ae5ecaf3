"""Build large boards quickly for benchmarks (direct SQL: a fixture, not a user action)."""

import random
from datetime import date, timedelta
from pathlib import Path

from pkanban.store.database import open_store


def build_large_board(path: Path, today: date, *, pool: int, archived: int, seed: int = 1) -> None:
    """A board with `pool` open cards in the Leads pool, the active stages filled to their
    limits, and `archived` won/lost cards spread over ten years."""
    rng = random.Random(seed)
    store = open_store(path, create=True)
    conn = store.conn
    stages = {
        name: (sid, limit)
        for sid, name, limit in conn.execute("SELECT id, name, wip_limit FROM stages")
    }
    lanes = [row[0] for row in conn.execute("SELECT id FROM lanes WHERE wip_limit IS NULL")]
    rows = []

    def card(title, stage_id, lane_id, created, disposition="open", closed=None, position=0):
        rows.append(
            (
                title,
                rng.randint(1, 90) * 1000,
                lane_id,
                stage_id,
                position,
                created.isoformat(),
                created.isoformat(),
                disposition,
                closed and closed.isoformat(),
            )
        )

    for n in range(pool):
        card(
            f"Lead {n}",
            stages["Leads"][0],
            lanes[n % len(lanes)],
            today - timedelta(rng.randint(0, 400)),
            position=n,
        )
    for name, (stage_id, limit) in stages.items():
        for n in range(limit or 0):
            card(
                f"{name} deal {n}",
                stage_id,
                lanes[n % len(lanes)],
                today - timedelta(rng.randint(0, 90)),
                position=n,
            )
    for n in range(archived):
        created = today - timedelta(rng.randint(30, 3650))
        closed = created + timedelta(rng.randint(5, 200))
        won = rng.random() < 0.4
        card(
            f"Old deal {n}",
            stages["Proposal"][0],
            lanes[n % len(lanes)],
            created,
            "won" if won else "lost",
            min(closed, today),
        )
    with store.transaction():
        conn.executemany(
            "INSERT INTO cards (title, value, lane_id, stage_id, position, created, entered_stage,"
            " disposition, closed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    conn.execute("ANALYZE")
    store.close()
