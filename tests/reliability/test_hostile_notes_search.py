"""Hostile text as a note and as a search query: no crash, the note stored as typed (controls
stripped, line breaks kept), printed literally, and found again by searching for it."""

import json

import pytest

from pkanban.domain.search import MAX_QUERY, fts_query
from pkanban.domain.text import clean_text
from tests.reliability.corpus import CORPUS, printable
from tests.reliability.tally import record

pytestmark = pytest.mark.reliability


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_hostile_text_as_a_note_and_as_a_search(board_shell, text):
    card_id = board_shell("add", "Acme Corp").output.strip()
    expected = clean_text(text, multiline=True).strip()

    noted = board_shell("note", card_id, "--", text)
    searched = board_shell("search", "--all", "--json", "--", text)

    survived = all(
        "Traceback" not in result.stderr and result.exit_code in (0, 1)
        for result in (noted, searched)
    )
    notes = json.loads(board_shell("show", card_id, "--json").output)["notes"]
    if not expected or len(expected) > 20000:
        survived = survived and noted.exit_code == 1 and notes == []
    else:
        survived = survived and [note["text"] for note in notes] == [expected]
        if (
            len(clean_text(text, multiline=True).strip()) <= MAX_QUERY
            and fts_query(text) is not None
        ):
            found = json.loads(searched.stdout) if searched.exit_code == 0 else []
            survived = survived and [hit["id"] for hit in found] == [int(card_id)]
    shown = board_shell("show", card_id).output + board_shell("search", "--all", "--", text).output
    survived = survived and printable(shown.replace("\n", "").replace("\t", ""))
    record("hostile note and search", survived)
    assert survived, (text, notes, searched.output)
