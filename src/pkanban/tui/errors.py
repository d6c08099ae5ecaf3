"""The errors a screen shows to the user as a sentence (notification or inline message).

Anything else is a bug and is allowed to surface as one.
"""

import sqlite3

from pkanban.domain.dates import DateError
from pkanban.domain.errors import MoneyError, PkanbanError, QuickAddError

USER_ERRORS = (PkanbanError, DateError, MoneyError, QuickAddError)


def sentence(error: Exception) -> str:
    """What to tell the user about `error` (a database hiccup included)."""
    if isinstance(error, sqlite3.OperationalError):
        text = str(error)
        if "locked" in text or "busy" in text:
            return "The board is busy in another window; try again"
        return f"Database error: {text} — nothing was changed"
    return getattr(error, "in_app", None) or str(error)


SHOWN_ERRORS = (*USER_ERRORS, sqlite3.OperationalError)
"""What a screen catches around a service call: user errors and a busy or read-only file."""
