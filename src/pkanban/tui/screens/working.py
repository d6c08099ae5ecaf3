"""What every working screen reads from the app: the board session and the working day."""

from datetime import date

from pkanban.services.session import BoardSession


class OnTheBoard:
    """Mixin for screens that act on the board: `self.session` (reads as its methods, actions
    through `self.session.run(service, …)`) and `self.today` (never the clock)."""

    @property
    def session(self) -> BoardSession:
        return self.app.session

    @property
    def today(self) -> date:
        return self.app.today
