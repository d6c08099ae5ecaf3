"""Search everything: titles, contacts, next steps, reasons, notes and touch texts."""

from pkanban.domain.search import fts_query
from pkanban.store import search as search_store
from pkanban.store.database import Store
from pkanban.store.search import SearchResult

DEFAULT_LIMIT = 50


def search_cards(
    store: Store, query: str, *, include_closed: bool = False, limit: int = DEFAULT_LIMIT
) -> SearchResult:
    """Cards matching every word of `query` (the last one as a prefix), best match first.

    Open cards only unless `include_closed` (won, lost and cleared too). Any text is a safe
    query: FTS5 syntax in it is searched as words. A word found in more than RANKED_AT_MOST
    cards is ranked among the newest of them (`narrowed`).
    """
    match = fts_query(query)
    if match is None:
        return SearchResult([], narrowed=False)
    return search_store.search(store.conn, match, include_closed=include_closed, limit=limit)
