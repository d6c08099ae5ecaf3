"""The one way user text reaches the screen: controls stripped, never parsed as markup.

Every widget that shows a title, a name or a note builds it with `display` (or `display_line`
for one truncated line) and assembles styled lines from `Content` parts, so `[bold]x[/]`,
`[@click=app.quit]` or an ANSI escape in a company name is shown literally and does nothing.
"""

from textual.content import Content
from textual.dom import DOMNode
from textual.notifications import SeverityLevel

from pkanban.domain.text import clean_text, truncate


def plain(text: str, *, multiline: bool = False) -> str:
    """User text made safe to print: no escape sequences, controls or bidi overrides."""
    return clean_text(text, multiline=multiline)


def display(text: str, *, multiline: bool = False) -> Content:
    """User text as `Content` (never markup)."""
    return Content(plain(text, multiline=multiline))


def display_line(text: str, width: int) -> str:
    """One line of user text cut to `width` terminal columns, with an ellipsis when cut."""
    return truncate(plain(text), max(0, width))


def tell(node: DOMNode, message: str, severity: SeverityLevel = "information") -> None:
    """Show a notification whose text may quote user input (markup off, controls stripped).

    It replaces the notifications on screen: an old `Undid …` must not sit beside a new move."""
    node.app.clear_notifications()
    node.app.notify(plain(message), severity=severity, markup=False)
