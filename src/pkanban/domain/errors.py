"""Errors a user reads: each carries one sentence that says what happened and the way out."""


class PkanbanError(Exception):
    """Base of every refusal or failure shown to a user (CLI prints it, the TUI notifies it).

    The message may name the shell command that is the way out (`pkanban touch …`); when it
    does, `in_app` is the same sentence naming the keys instead, which is what the TUI shows.
    """

    def __init__(self, message: str = "", *, in_app: str | None = None) -> None:
        super().__init__(message)
        self.in_app = in_app


class NotFound(PkanbanError):
    """A card, stage or lane the user named does not exist."""


class WipLimitReached(PkanbanError):
    """A move, add, pull, import or undo would put a stage or lane over its hard WIP limit."""


class InvalidInput(PkanbanError):
    """User input that cannot be accepted as given (never guessed)."""


class Conflict(PkanbanError):
    """The board changed underneath an action (another window or an earlier change)."""


class StorageFailure(PkanbanError):
    """The board file could not be read or written (busy in another window, read-only, full,
    damaged); nothing was changed. `services.session` raises it for any SQLite error."""


class MoneyError(ValueError):
    """An amount the user typed cannot be read; the message is a sentence to show them."""


class QuickAddError(ValueError):
    """A quick-add line has no usable title or a malformed shape; the message is a sentence."""
