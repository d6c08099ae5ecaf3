"""The archive's tallies (schema v5) answer exactly what a full scan of the cards answers: a
seller's random histories — adds, moves, touches, wins, losses, clearances, undos, on days
that may even run backwards (`--today` in the past) — end with every metrics query equal to
the scan, and every tally equal to one counted again from scratch. Speed to lead depends on the
touches too: pulls, touches, undos, a touch moved to another day or card and a card's row gone
and come back (its id taken again by the next card) all keep it equal to the scan."""

import math
import sqlite3
import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pkanban.domain.bestby import BestBy, best_by
from pkanban.domain.errors import PkanbanError
from pkanban.domain.models import Settings
from pkanban.services import cards, pipeline
from pkanban.services.cards import NewCard
from pkanban.services.undo import undo_last
from pkanban.store import board, schema
from pkanban.store import metrics as queries
from pkanban.store.database import open_store
from pkanban.store.metrics import week_of
from pkanban.store.schema import DAYS_TO_CLOSE, TALLY_TABLES

START = date(2026, 1, 5)
CLOSED = "disposition IN ('won', 'lost', 'cleared')"
REASONS = ("Price", "  price ", "No budget", "")
STAGES = ("Leads", "Contacted", "Discovery", "Proposal")
LANES = ("New business", "Accounts")

step = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(STAGES), st.sampled_from(LANES), st.integers(0, 9)),
    st.tuples(st.just("move"), st.integers(0, 30), st.sampled_from(STAGES)),
    st.tuples(st.just("touch"), st.integers(0, 30)),
    st.tuples(st.just("won"), st.integers(0, 30)),
    st.tuples(st.just("lost"), st.integers(0, 30), st.sampled_from(REASONS)),
    st.tuples(st.just("clear"), st.integers(0, 30), st.sampled_from(("idle", "past-best-by"))),
    st.tuples(
        st.just("undo"),
    ),
    st.tuples(st.just("pull"), st.sampled_from((None, *LANES))),
    st.tuples(st.just("retouch"), st.integers(0, 30), st.integers(-5, 5), st.integers(0, 30)),
    st.tuples(st.just("drop"), st.integers(0, 30)),
    st.tuples(st.just("restore")),
)
day_step = st.integers(-3, 20)


def play(store, history) -> date:
    """Each step on its own day (the days mostly run forward); refusals are part of a story."""
    today = START
    for (action, *args), days in history:
        today += timedelta(days=days)
        try:
            if action == "add":
                stage, lane, value = args
                cards.add_card(store, today, NewCard("Deal", stage, lane, value * 1000 or None))
            elif action == "move":
                cards.move_card(store, today, args[0] + 1, stage=args[1])
            elif action == "touch":
                cards.log_touch(store, today, args[0] + 1, "call")
            elif action == "won":
                cards.mark_won(store, today, args[0] + 1)
            elif action == "lost":
                cards.mark_lost(store, today, args[0] + 1, args[1])
            elif action == "clear":
                clear(store, today, args[0] + 1, args[1])
            elif action == "pull":
                pipeline.pull_next_lead(store, today, args[0])
            elif action == "retouch":
                retouch(store, *args)
            elif action == "drop":
                drop(store, args[0] + 1)
            elif action == "restore":
                restore(store)
            else:
                undo_last(store, today)
        except PkanbanError:
            pass
        except sqlite3.IntegrityError:
            # Only after `retouch`: a touch moved by hand, outside the action log, onto a card
            # whose adding the undo then takes back. The foreign key refuses the undo, and the
            # transaction leaves the board (and its tallies) as they were.
            assert action == "undo"
    return today


def clear(store, today: date, card_id: int, rule: str) -> None:
    """Archive an open card the way the clearance wizard writes it (its rule as the reason)."""
    row = store.conn.execute("SELECT disposition FROM cards WHERE id = ?", [card_id]).fetchone()
    if row is None or row[0] != "open":
        return
    with store.action("cleared", f"Cleared #{card_id}", today) as log:
        log.update(
            "cards",
            card_id,
            {"disposition": "cleared", "closed": today.isoformat(), "lost_reason": rule},
        )


def retouch(store, touch_id: int, days: int, card_id: int) -> None:
    """A touch fixed by hand: moved some days, and to another card when that card exists."""
    with store.transaction():
        store.conn.execute(
            "UPDATE touches SET day = date(day, ? || ' days'),"
            " card_id = coalesce((SELECT id FROM cards WHERE id = ?), card_id) WHERE id = ?",
            [str(days), card_id + 1, touch_id + 1],
        )


def drop(store, card_id: int) -> None:
    """A card deleted by hand, its touches first (they reference it); kept to bring back."""
    conn = store.conn
    with store.transaction():
        card = conn.execute("SELECT * FROM cards WHERE id = ?", [card_id]).fetchone()
        if card is None:
            return
        touches = conn.execute("SELECT * FROM touches WHERE card_id = ?", [card_id]).fetchall()
        conn.execute("DELETE FROM touches WHERE card_id = ?", [card_id])
        conn.execute("DELETE FROM cards WHERE id = ?", [card_id])
    DROPPED.setdefault(id(store), []).append((card, touches))


def restore(store) -> None:
    """The last card deleted by hand back, then its touches, as an undo restores them."""
    if not DROPPED.get(id(store)):
        return
    card, touches = DROPPED[id(store)].pop()
    conn = store.conn
    with store.transaction():
        if conn.execute("SELECT 1 FROM cards WHERE id = ?", [card[0]]).fetchone():
            return
        conn.execute(f"INSERT INTO cards VALUES ({', '.join('?' * len(card))})", card)
        for _, *touch in touches:  # their ids may have been taken since
            conn.execute(
                "INSERT INTO touches (card_id, day, kind, text) VALUES (?, ?, ?, ?)", touch
            )


DROPPED: dict[int, list] = {}


def tallies(conn: sqlite3.Connection) -> dict[str, list]:
    return {table: sorted(conn.execute(f"SELECT * FROM {table}")) for table in TALLY_TABLES}


def speed_to_lead_scanned(conn: sqlite3.Connection, since: date | None, until: date) -> list:
    """Days from arrival to first touch since, per lead arrived in the period, from every
    touch of every card (the query as it was before the tally)."""
    arrival = "coalesce(cards.pulled, cards.created)"
    period = f"{arrival} BETWEEN ? AND ?" if since else f"{arrival} <= ?"
    params = [since.isoformat(), until.isoformat()] if since else [until.isoformat()]
    return conn.execute(
        f"SELECT days, count(*) FROM (SELECT CAST(julianday(min(touches.day))"
        f" - julianday({arrival}) AS INTEGER) AS days FROM cards JOIN touches"
        f" ON touches.card_id = cards.id AND touches.day >= {arrival}"
        f" WHERE cards.touch_count > 0 AND {period} GROUP BY cards.id)"
        " GROUP BY days ORDER BY days",
        params,
    ).fetchall()


def scanned(conn: sqlite3.Connection, since: date | None, until: date) -> dict:
    """The figures straight from the cards (the queries as they were before the tallies)."""
    period = "closed BETWEEN ? AND ?" if since else "closed <= ?"
    params = [since.isoformat(), until.isoformat()] if since else [until.isoformat()]
    return {
        "per_week": sorted(
            conn.execute(
                f"SELECT {week_of('closed')} AS week, disposition, count(*) FROM cards"
                f" WHERE {CLOSED} AND {period} GROUP BY week, disposition",
                params,
            )
        ),
        "first": conn.execute(f"SELECT min(closed) FROM cards WHERE {CLOSED}").fetchone()[0],
        "histogram": conn.execute(
            f"SELECT {DAYS_TO_CLOSE} AS days, count(*) FROM cards"
            f" WHERE disposition = 'won' AND {period} GROUP BY days ORDER BY days",
            params,
        ).fetchall(),
        "by_lane": sorted(
            conn.execute(
                "SELECT lane_id, disposition, count(*), total(touch_count) FROM cards"
                f" WHERE disposition IN ('won', 'lost') AND {period} GROUP BY 1, 2",
                params,
            )
        ),
        "lost": sorted(
            conn.execute(
                f"SELECT lost_reason, count(*) FROM cards WHERE disposition = 'lost'"
                f" AND {period} GROUP BY lost_reason",
                params,
            )
        ),
        "cleared": conn.execute(
            "SELECT substr(closed, 1, 7) AS month, trim(lost_reason) AS reason, count(*),"
            f" coalesce(sum(value), 0) FROM cards WHERE disposition = 'cleared' AND {period}"
            " GROUP BY month, reason ORDER BY month, count(*) DESC, reason",
            params,
        ).fetchall(),
    }


def tallied(conn: sqlite3.Connection, since: date | None, until: date) -> dict:
    lanes = [row[0] for row in conn.execute("SELECT id FROM lanes")]
    return {
        "per_week": sorted(
            (week.isoformat(), kind, count)
            for week, kind, count in queries.closed_per_week(conn, since, until)
        ),
        "first": (first := queries.first_closed(conn)) and first.isoformat(),
        "histogram": queries.days_to_close_histogram(conn, since, until),
        "by_lane": sorted(
            (lane, kind, count, float(touches))
            for (lane, kind), (count, touches) in queries.decided_by_lane(
                conn, since, until, lanes
            ).items()
            if count
        ),
        "lost": sorted(queries.lost_reasons(conn, since, until)),
        "cleared": queries.cleared_per_month(conn, since, until),
    }


def stage_changes_scanned(conn: sqlite3.Connection, start: date, end: date) -> dict:
    """The closed cards' part of the cumulative flow, straight from the cards."""
    found: dict = {}
    for day, stage_id, delta in conn.execute(
        "SELECT CASE sign WHEN 1 THEN max(created, :start) ELSE closed END AS day, stage_id,"
        " sum(sign) FROM cards CROSS JOIN (SELECT 1 AS sign UNION ALL SELECT -1)"
        f" WHERE {CLOSED} AND closed >= :start AND created <= :end"
        " AND (sign = 1 OR closed <= :end) GROUP BY day, stage_id"
        " UNION ALL SELECT max(created, :start), stage_id, count(*) FROM cards"
        " WHERE disposition = 'open' AND created <= :end GROUP BY 1, 2",
        {"start": start.isoformat(), "end": end.isoformat()},
    ):
        key = (
            date.fromisoformat(day) - timedelta(days=date.fromisoformat(day).weekday()),
            stage_id,
        )
        found[key] = found.get(key, 0) + delta
    return {key: delta for key, delta in found.items() if delta}


def best_by_scanned(conn: sqlite3.Connection) -> BestBy:
    """Best-by from every won card's days to close, sorted (nearest rank, 80th percentile)."""
    days = [
        row[0]
        for row in conn.execute(
            f"SELECT {DAYS_TO_CLOSE} AS days FROM cards WHERE disposition = 'won' ORDER BY days"
        )
    ]
    at_rank = days[math.ceil(0.8 * len(days)) - 1] if days else None
    return best_by(at_rank, len(days), 80, 75, 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(step, day_step), max_size=60), st.integers(0, 120), st.integers(0, 60))
def test_the_tallies_give_the_full_scans_numbers_after_any_history(history, back, length):
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "board.db", create=True)
        try:
            last = play(store, history)
            conn = store.conn
            until = last - timedelta(days=length // 3)
            for since in (None, last - timedelta(days=back)):
                if since is None or since <= until:
                    assert tallied(conn, since, until) == scanned(conn, since, until)
            start = last - timedelta(days=back)
            moves_free = not conn.execute(  # a pull moves its lead out of the pool too
                "SELECT 1 FROM actions WHERE kind IN ('moved', 'pulled', 'undo') LIMIT 1"
            ).fetchone()
            if moves_free:  # without moves the flow is the closed and open cards alone
                flow = queries.stage_changes_per_week(conn, start, last)
                assert {k: v for k, v in flow.items() if v} == stage_changes_scanned(
                    conn, start, last
                )
            assert board.board_best_by(conn, Settings(best_by_min_wins=1)) == best_by_scanned(conn)
            kept = tallies(conn)
            with store.transaction():
                schema.rebuild_tallies(conn)
            assert tallies(conn) == kept
        finally:
            store.close()


touchy_step = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(STAGES), st.sampled_from(LANES), st.integers(0, 9)),
    st.tuples(st.just("touch"), st.integers(0, 5)),
    st.tuples(st.just("touch"), st.integers(0, 5)),
    st.tuples(st.just("won"), st.integers(0, 5)),
    st.tuples(st.just("undo")),
    st.tuples(st.just("pull"), st.sampled_from((None, *LANES))),
    st.tuples(st.just("retouch"), st.integers(0, 5), st.integers(-5, 5), st.integers(0, 5)),
    st.tuples(st.just("drop"), st.integers(0, 5)),
    st.tuples(st.just("restore")),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(STAGES), min_size=1, max_size=6),
    st.lists(st.tuples(touchy_step, day_step), min_size=3, max_size=40),
    st.integers(0, 60),
)
def test_speed_to_lead_from_the_tally_is_the_full_scans_after_any_touches(leads, history, back):
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "board.db", create=True)
        try:
            added = [(("add", stage, LANES[0], 0), 0) for stage in leads]
            last = play(store, added + history)
            conn = store.conn
            for since in (None, last - timedelta(days=back)):
                for until in (last, last - timedelta(days=back // 2)):
                    if since is None or since <= until:
                        assert queries.speed_to_lead(conn, since, until) == (
                            speed_to_lead_scanned(conn, since, until)
                        )
            kept = tallies(conn)
            with store.transaction():
                schema.rebuild_tallies(conn)
            assert tallies(conn) == kept
        finally:
            store.close()


def test_a_board_from_before_the_tallies_is_upgraded_in_place_with_a_backup(tmp_path, shell):
    path = tmp_path / "old.db"
    path.touch(mode=0o600)
    conn = sqlite3.connect(path, isolation_level=None)
    for migration in schema.MIGRATIONS[:4]:
        migration(conn)
    conn.executemany(
        "INSERT INTO cards (title, lane_id, stage_id, created, entered_stage, disposition,"
        " closed, lost_reason, value) VALUES (?, 2, 3, ?, ?, ?, ?, ?, ?)",
        [
            ("Acme", "2026-09-01", "2026-09-01", "won", "2026-10-01", "", 5000),
            ("Globex", "2026-09-03", "2026-09-03", "lost", "2026-10-02", "Price", None),
            ("Hooli", "2026-09-03", "2026-09-03", "open", None, "", None),
        ],
    )
    conn.execute("UPDATE cards SET touch_count = 1 WHERE title = 'Acme'")
    conn.execute(
        "INSERT INTO touches (card_id, day, kind) SELECT id, '2026-09-04', 'call' FROM cards"
        " WHERE title = 'Acme'"
    )
    conn.execute("PRAGMA user_version = 4")
    conn.close()

    old = ["--db", str(path)]
    assert shell(*old, "stats", "--json").exit_code == 0
    store = open_store(path)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert queries.lost_reasons(store.conn, None, date(2026, 11, 25)) == [("Price", 1)]
        assert queries.days_to_close_histogram(store.conn, None, date(2026, 11, 25)) == [(30, 1)]
        assert queries.speed_to_lead(store.conn, None, date(2026, 11, 25)) == [(3, 1)]
    finally:
        store.close()
    backups = list((tmp_path / "backups").glob("old-before-v5-*.db"))
    assert len(backups) == 1
    saved = sqlite3.connect(backups[0])
    assert saved.execute("PRAGMA user_version").fetchone()[0] == 4
    assert saved.execute("SELECT count(*) FROM cards").fetchone()[0] == 3
    saved.close()


def test_a_deal_closed_the_day_before_it_was_added_never_counts_as_open(tmp_path):
    """Hypothesis found it at 60 examples: a card added on 5 January (a later --today) and won
    on the 4th was never open, so a window ending on the 4th sees no change in any stage."""
    store = open_store(tmp_path / "board.db", create=True)
    added = cards.add_card(store, date(2026, 1, 5), NewCard(title="Acme"))
    cards.mark_won(store, date(2026, 1, 4), added.id)
    closed_day = date(2026, 1, 4)
    changes = queries.stage_changes_per_week(store.conn, closed_day, closed_day)
    assert not any(changes.values())
