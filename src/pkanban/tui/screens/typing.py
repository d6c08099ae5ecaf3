"""Type-ahead for dialogs: keys typed faster than the screen changes land where they were aimed.

Textual hands a key to whatever has focus when the key is *read*, but acts on it later: keys
typed right after Tab reached the field being left (`Intro call doneSend deck+2d`), and keys
typed while a dialog opened reached a screen with no focused field yet and were lost (or acted
on the board). So keys that move focus or open a dialog are priority bindings, which run as the
key is read (Tab here; the board's dialog keys), and a key that reaches a dialog before its
field has focus is given to that field.
"""

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import Input


class TypeAhead(ModalScreen):
    """Base for a dialog of text fields (listed before `ModalScreen[…]` in the bases)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    ]

    def on_screen_resume(self) -> None:
        """Focused and drawn: the keys typed while the dialog opened can come in now."""
        release = getattr(self.app, "release_keys", None)
        if release is not None:
            self.call_after_refresh(release)

    async def on_key(self, event: events.Key) -> None:
        """A key read before the dialog's field had focus: give it to the field now."""
        field = self.focused
        if field is None:  # the dialog is still opening: its first field is where keys go
            fields = self.query(Input)
            field = fields.first() if fields else None
            if field is not None:
                field.focus()
        if not isinstance(field, Input):
            return
        if event.is_printable and event.character:
            field.insert_text_at_cursor(event.character)
        elif event.key == "enter":
            await field.action_submit()
        elif event.key == "backspace":
            field.action_delete_left()
        else:
            return
        event.stop()
        event.prevent_default()


def type_into_focused_field(screen: Screen, event: events.Key) -> None:
    """A printable key the screen got although a field has focus was read before the field
    took focus (`/` then `acme` at once): it belongs in the field."""
    field = screen.focused
    if isinstance(field, Input) and event.is_printable and event.character:
        field.insert_text_at_cursor(event.character)
        event.stop()
        event.prevent_default()
