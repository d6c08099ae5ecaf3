"""The board session: the one door the CLI and the TUI use to read a board and act on it."""

import sqlite3

import pytest

from pkanban.domain.errors import NotFound, PkanbanError, StorageFailure, WipLimitReached
from pkanban.services import cards, config
from pkanban.services.cards import NewCard
from pkanban.services.session import BoardSession, CardMatch, storage_errors


def test_a_seller_adds_a_deal_and_reads_it_back_through_one_session(db_path, today):
    BoardSession.create(db_path, today).close()
    session = BoardSession.open(db_path, today)
    try:
        card = session.run(cards.add_card, today, NewCard(title="Acme renewal", value=12_000))
        assert session.card(card.id).title == "Acme renewal"
        totals = session.cell_totals(CardMatch(words=("acme",)))
        assert [each.value for each in totals.values()] == [12_000]
        assert session.context().stage(card.stage_id).name == "Leads"
        assert [action["summary"] for action in session.history(card.id)] == ["Added Acme renewal"]
    finally:
        session.close()


def test_a_refusal_comes_back_from_the_session_as_the_services_sentence(db_path, today):
    session = BoardSession.create(db_path, today)
    try:
        session.run(config.update_stage, today, "Negotiation", wip_limit=0)
        card = session.run(cards.add_card, today, NewCard(title="Initech"))
        with pytest.raises(WipLimitReached, match="Negotiation is full: 0/0"):
            session.run(cards.move_card, today, card.id, "Negotiation")
        with pytest.raises(NotFound):
            session.card(999)
    finally:
        session.close()


@pytest.mark.parametrize(
    ("raised", "told", "in_app"),
    [
        (
            sqlite3.OperationalError("database is locked"),
            "The board is busy in another window; try again",
            "The board is busy in another window; try again",
        ),
        (
            sqlite3.OperationalError("attempt to write a readonly database"),
            "The board file is read-only; nothing was changed",
            None,
        ),
        (
            sqlite3.DatabaseError("file is not a database"),
            "The board file is damaged or not a board: file is not a database",
            None,
        ),
    ],
)
def test_a_database_hiccup_reaches_the_shells_as_a_sentence(raised, told, in_app):
    with pytest.raises(StorageFailure) as caught, storage_errors():
        raise raised
    assert str(caught.value) == told
    assert caught.value.in_app == in_app


def test_an_action_on_a_board_busy_in_another_window_is_refused_with_a_sentence(db_path, today):
    session = BoardSession.create(db_path, today)
    other = sqlite3.connect(db_path, timeout=0)
    try:
        session.store.conn.execute("PRAGMA busy_timeout = 0")
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(PkanbanError, match="busy in another window; try again"):
            session.run(cards.add_card, today, NewCard(title="Globex"))
    finally:
        other.rollback()
        other.close()
        session.close()


def test_a_replica_view_session_refuses_every_action(db_path, today):
    BoardSession.create(db_path, today).close()
    session = BoardSession.open(db_path, today, replica_view="file:///elsewhere")
    try:
        assert session.read_only
        with pytest.raises(PkanbanError, match="read-only view"):
            session.run(cards.add_card, today, NewCard(title="Umbrella"))
    finally:
        session.close()
