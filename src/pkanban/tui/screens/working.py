"""What every working screen reads from the app: the board's store and the working day."""

from datetime import date

from pkanban.store.database import Store


class OnTheBoard:
    """Mixin for screens that act on the board: `self.store` and `self.today` (never the clock)."""

    @property
    def store(self) -> Store:
        return self.app.store

    @property
    def today(self) -> date:
        return self.app.today
