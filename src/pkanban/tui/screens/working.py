"""What every working screen reads from the app: the board session and the working day."""

from datetime import date
from typing import TYPE_CHECKING, cast

from textual.message_pump import MessagePump

from pkanban.services.session import BoardSession

if TYPE_CHECKING:
    from pkanban.tui.app import PkanbanApp


class OnTheBoard:
    """Mixin for screens that act on the board: `self.session` (reads as its methods, actions
    through `self.session.run(service, …)`) and `self.today` (never the clock). These screens
    run only inside `PkanbanApp`; Textual types `self.app` as any `App`."""

    @property
    def pkanban(self) -> "PkanbanApp":
        return cast("PkanbanApp", cast(MessagePump, self).app)

    @property
    def session(self) -> BoardSession:
        return self.pkanban.session

    @property
    def today(self) -> date:
        return self.pkanban.today
