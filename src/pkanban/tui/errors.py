"""The errors a screen shows to the user as a sentence (notification or inline message).

A busy, read-only or damaged board file reaches a screen as a domain error too: the board session
(`services.session`) translates every SQLite error below the app. Anything else is a bug and is
allowed to surface as one.
"""

from pkanban.domain.dates import DateError
from pkanban.domain.errors import MoneyError, PkanbanError, QuickAddError

USER_ERRORS = (PkanbanError, DateError, MoneyError, QuickAddError)


def sentence(error: Exception) -> str:
    """What to tell the user about `error` (the app's wording when it has its own)."""
    return getattr(error, "in_app", None) or str(error)


SHOWN_ERRORS = USER_ERRORS
"""What a screen catches around a session call: user errors and a busy or read-only file."""
