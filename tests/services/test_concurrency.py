"""Two windows racing for the last slot of a stage: exactly one wins, the other is refused."""

import threading

from pkanban.domain.errors import WipLimitReached
from pkanban.services import cards as actions
from pkanban.store import board
from pkanban.store.database import open_store


def test_two_connections_racing_for_the_last_slot_admit_exactly_one(store, db_path, today):
    for n in range(2):
        actions.add_card(store, today, actions.NewCard(title=f"Deal {n}", stage="Negotiation"))
    racers = [
        actions.add_card(store, today, actions.NewCard(title=f"Racer {n}", stage="Proposal"))
        for n in range(2)
    ]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def race(card_id: int) -> None:
        window = open_store(db_path)
        barrier.wait()
        try:
            actions.move_card(window, today, card_id, "Negotiation")
            outcomes.append("moved")
        except WipLimitReached as refusal:
            outcomes.append(str(refusal))
        finally:
            window.close()

    threads = [threading.Thread(target=race, args=(card.id,)) for card in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[0].startswith("Negotiation is full: 3/3")
    assert sorted(outcomes)[1] == "moved"
    negotiation = board.find_stage(store.conn, "Negotiation")
    assert board.count_open(store.conn, stage_id=negotiation.id) == 3
