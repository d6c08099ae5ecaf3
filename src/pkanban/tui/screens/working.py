"""What every working screen reads from the app: the board session and the working day."""

from datetime import date
from typing import TYPE_CHECKING, cast

from textual.message_pump import MessagePump

from pkanban.services.session import BoardSession

if TYPE_CHECKING:
    from pkanban.tui.app import PkanbanApp


def board_app(node: MessagePump) -> "PkanbanApp":
    """The `PkanbanApp` that `node` runs in (Textual types `node.app` as any `App`). The app
    module imports the board screen, so it is imported here when first asked, not at load."""
    from pkanban.tui.app import PkanbanApp

    app = node.app
    if not isinstance(app, PkanbanApp):
        raise TypeError(f"{type(node).__name__} runs only inside PkanbanApp")
    return app


class OnTheBoard:
    """Mixin for screens that act on the board: `self.session` (reads as its methods, actions
    through `self.session.run(service, …)`) and `self.today` (never the clock). These screens
    run only inside `PkanbanApp`."""

    @property
    def pkanban(self) -> "PkanbanApp":
        return board_app(cast(MessagePump, self))  # a mixin of screens only

    @property
    def session(self) -> BoardSession:
        return self.pkanban.session

    @property
    def today(self) -> date:
        return self.pkanban.today
