"""Random sequences of user actions: WIP is never exceeded and the events replay to the board."""

import json
from contextlib import suppress
from datetime import date, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pkanban.domain.errors import PkanbanError
from pkanban.services import cards as actions
from pkanban.services import config
from pkanban.services.undo import undo_last
from pkanban.store import board
from pkanban.store.database import open_store

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

    def teardown(self):
        self.store.close()
        self.folder.cleanup()

    def ids(self):
        return [r[0] for r in self.store.conn.execute("SELECT id FROM cards")]

    def snapshot(self):
        return {table: rows(self.store.conn, table) for table in REPLAYED}

    def attempt(self, action, *args):
        """Run a user action; remember the board before it so undo can be checked exactly."""
        before = self.snapshot()
        with suppress(PkanbanError):
            action(self.store, self.today, *args)
            self.undo_stack.append(before)
            kept = set(before["cards"]) <= set(rows(self.store.conn, "cards"))
            assert kept, "an action other than undo removed a card"

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

    @rule()
    def undo(self):
        """Undo restores the exact board as it was before the action it reverts."""
        try:
            undo_last(self.store, self.today)
        except PkanbanError:
            return
        assert self.snapshot() == self.undo_stack.pop()

    @rule()
    def next_day(self):
        self.today += timedelta(days=1)

    @invariant()
    def no_inflow_past_a_limit(self):
        """Counts over a limit only come from lowering the limit, never from inflow: check
        via the events that no card entered a stage that was already at its limit."""
        conn = self.store.conn
        for stage in board.stages(conn):
            if stage.wip_limit is None:
                continue
            count = board.count_open(conn, stage_id=stage.id)
            lowered = conn.execute(
                "SELECT count(*) FROM events WHERE entity = 'stages' AND entity_id = ?",
                [stage.id],
            ).fetchone()[0]
            assert count <= stage.wip_limit or lowered, (stage.name, count)
        for lane in board.lanes(conn):
            if lane.wip_limit is not None:
                assert board.count_open(conn, lane_id=lane.id, active_only=True) <= lane.wip_limit

    @invariant()
    def events_replay_to_the_current_board(self):
        state = {table: {k: dict(v) for k, v in self.initial[table].items()} for table in REPLAYED}
        meta = dict(self.initial_meta)
        for entity, entity_id, after in self.store.conn.execute(
            "SELECT entity, entity_id, after FROM events ORDER BY id"
        ):
            if entity.startswith("board_meta:"):
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
