"""Random sequences of user actions: no action makes a stage or lane fuller beyond its limit,
undo gives back the board exactly, and the events replay to the board.

The WIP rule is checked around every step, for every stage and lane, whatever happened to it
before (a limit lowered, a card imported): a place may be over its limit (a seller lowered the
limit, or imported deals already being worked keep their stage), but no action may add to it
while it is at or over — except those imported in-progress deals, which the import keeps where
the CRM had them, and undo, which puts back exactly the board from before the action it reverts.
"""

import json
from contextlib import suppress
from datetime import date, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pkanban.domain.errors import PkanbanError
from pkanban.services import cards as actions
from pkanban.services import clearance as clearances
from pkanban.services import config, pipeline
from pkanban.services.import_report import ImportOptions
from pkanban.services.transfer import import_csv_bytes
from pkanban.services.undo import undo_last
from pkanban.store import board
from pkanban.store.actions import last_action_id
from pkanban.store.database import open_store
from pkanban.store.tables import CARD_RANGE, card_range

STAGES = ["Leads", "Contacted", "Discovery", "Proposal", "Negotiation"]
LANES = ["Expedite", "New business", "Accounts"]
REPLAYED = ("cards", "touches", "stages", "lanes")


def rows(conn, table) -> dict[int, dict]:
    cursor = conn.execute(f"SELECT * FROM {table}")
    names = [c[0] for c in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor}


class BoardMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        import tempfile
        from pathlib import Path

        self.folder = tempfile.TemporaryDirectory()
        self.store = open_store(Path(self.folder.name) / "board.db", create=True)
        self.today = date(2026, 11, 25)
        self.initial = {table: rows(self.store.conn, table) for table in REPLAYED}
        self.initial_meta = dict(self.store.conn.execute("SELECT key, value FROM board_meta"))
        self.undo_stack: list[dict] = []
        self.imported: dict[int, dict] = {}  # an import logs its cards as one id range

    def teardown(self):
        self.store.close()
        self.folder.cleanup()

    def ids(self):
        return [r[0] for r in self.store.conn.execute("SELECT id FROM cards")]

    def snapshot(self):
        return {table: rows(self.store.conn, table) for table in REPLAYED}

    def held(self) -> dict[tuple[str, int], int]:
        """What each stage and lane holds toward its limit."""
        conn = self.store.conn
        places = [("stage", s.id) for s in board.stages(conn)]
        places += [("lane", lane.id) for lane in board.lanes(conn)]
        return {place: board.count_toward_limit(conn, *place) for place in places}

    def limits(self) -> dict[tuple[str, int], tuple[str, int | None]]:
        conn = self.store.conn
        found = {("stage", s.id): (s.name, s.wip_limit) for s in board.stages(conn)}
        return found | {
            ("lane", lane.id): (lane.name, lane.wip_limit) for lane in board.lanes(conn)
        }

    def attempt(self, action, *args, kept_in_place=None):
        """Run a user action; remember the board before it so undo can be checked exactly, and
        check that it made no stage or lane fuller while at or past its limit (`kept_in_place`:
        how many imported in-progress deals may land in each place whatever its limit)."""
        before, held_before = self.snapshot(), self.held()
        last_action = last_action_id(self.store.conn)
        with suppress(PkanbanError):
            action(self.store, self.today, *args)
            if last_action_id(self.store.conn) != last_action:  # not an import of nothing new
                self.undo_stack.append(before)
            kept = set(before["cards"]) <= set(rows(self.store.conn, "cards"))
            assert kept, "an action other than undo removed a card"
        allowed = kept_in_place or {}
        for place, count in self.held().items():
            name, limit = self.limits()[place]
            gained = count - held_before.get(place, 0)
            if limit is not None and count > limit and gained > allowed.get(place, 0):
                raise AssertionError(
                    f"{action.__name__} made {place[0]} {name} hold {count} (limit {limit},"
                    f" {held_before.get(place, 0)} before)"
                )

    @rule(stage=st.sampled_from(STAGES), lane=st.sampled_from(LANES))
    def add(self, stage, lane):
        self.attempt(actions.add_card, actions.NewCard(title="Deal", stage=stage, lane=lane))

    @precondition(lambda self: self.ids())
    @rule(data=st.data(), stage=st.sampled_from(STAGES), lane=st.sampled_from(LANES))
    def move(self, data, stage, lane):
        self.attempt(actions.move_card, data.draw(st.sampled_from(self.ids())), stage, lane)

    @precondition(lambda self: self.ids())
    @rule(data=st.data(), won=st.booleans())
    def dispose(self, data, won):
        card_id = data.draw(st.sampled_from(self.ids()))
        if won:
            self.attempt(actions.mark_won, card_id)
        else:
            self.attempt(actions.mark_lost, card_id, "price")

    @precondition(lambda self: self.ids())
    @rule(data=st.data())
    def touch(self, data):
        self.attempt(actions.log_touch, data.draw(st.sampled_from(self.ids())), "call", "hi")

    @rule(stage=st.sampled_from(STAGES[1:]), limit=st.integers(0, 4))
    def change_limit(self, stage, limit):
        self.attempt(lambda s, t: config.update_stage(s, t, stage, wip_limit=limit))

    @rule(lane=st.sampled_from(LANES), limit=st.one_of(st.none(), st.integers(0, 3)))
    def change_lane_limit(self, lane, limit):
        self.attempt(lambda s, t: config.update_lane(s, t, lane, wip_limit=limit))

    @rule(lane=st.one_of(st.none(), st.sampled_from(LANES)))
    def pull(self, lane):
        self.attempt(pipeline.pull_next_lead, lane)

    @rule(
        deals=st.lists(
            st.tuples(st.sampled_from(["Acme", "Globex"]), st.sampled_from(["", *STAGES, "Won"])),
            min_size=1,
            max_size=6,
        )
    )
    def import_small_csv(self, deals):
        """Open deals a CRM has in a stage keep it past a limit; new leads pass the gate."""
        data = "\n".join(["Title,Stage", *(",".join(deal) for deal in deals)]).encode()
        conn = self.store.conn
        stage_ids = {s.name: s.id for s in board.stages(conn)}
        active = {s.name for s in board.stages(conn) if s.kind == "active"}
        worked = [stage for _, stage in deals if stage in STAGES]
        kept_in_place = {("stage", stage_ids[name]): worked.count(name) for name in set(worked)}
        in_lanes = sum(stage in active for stage in worked)
        kept_in_place |= {("lane", lane.id): in_lanes for lane in board.lanes(conn)}
        options = ImportOptions(skip_bad=True)
        known = set(self.ids())
        self.attempt(import_csv_bytes, "deals.csv", data, options, kept_in_place=kept_in_place)
        cards = rows(self.store.conn, "cards")
        self.imported |= {card_id: cards[card_id] for card_id in set(cards) - known}

    @rule(
        action=st.sampled_from(["clear", "lost", "nurture", "keep"]),
        mode=st.sampled_from(["ongoing", "yearly"]),
    )
    def clearance(self, action, mode):
        decision = {
            "clear": clearances.clear(),
            "lost": clearances.lost("price"),
            "nurture": clearances.nurture(self.today + timedelta(days=30)),
            "keep": clearances.keep("Trade show", 20),
        }[action]

        def clear_the_shelves(store, today):
            report = clearances.find_candidates(store, today, mode)
            clearances.apply_plan(store, today, clearances.plan_all(report, decision))

        self.attempt(clear_the_shelves)

    @rule()
    def undo(self):
        """Undo restores the exact board as it was before the action it reverts."""
        try:
            undo_last(self.store, self.today)
        except PkanbanError:
            return
        assert self.snapshot() == self.undo_stack.pop()

    @rule(days=st.sampled_from([1, 1, 40]))
    def time_passes(self, days):
        self.today += timedelta(days=days)

    @invariant()
    def events_replay_to_the_current_board(self):
        state = {table: {k: dict(v) for k, v in self.initial[table].items()} for table in REPLAYED}
        meta = dict(self.initial_meta)
        for entity, entity_id, before, after in self.store.conn.execute(
            "SELECT entity, entity_id, before, after FROM events ORDER BY id"
        ):
            if entity == CARD_RANGE:
                first, last = card_range(json.loads(after or before))
                for card_id in range(first, last + 1):
                    if after is None:
                        state["cards"].pop(card_id, None)
                    else:
                        state["cards"][card_id] = dict(self.imported[card_id])
            elif entity.startswith("board_meta:"):
                meta[entity.split(":", 1)[1]] = after
            elif after is None:
                state[entity].pop(entity_id, None)
            else:
                state[entity][entity_id] = json.loads(after)
        for table in REPLAYED:
            assert state[table] == rows(self.store.conn, table), table
        actual_meta = dict(self.store.conn.execute("SELECT key, value FROM board_meta"))
        assert json.loads(meta["settings"]) == json.loads(actual_meta["settings"])


BoardMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestBoardMachine = BoardMachine.TestCase
