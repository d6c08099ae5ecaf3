"""Lines that wrap under their own text, not at the margin (`153 d in / stage…` at 80 columns).

A line is either `Content` — its continuation lines start under its first non-blank column — or
a `(prefix, body)` pair, continued under the body (`  2026-11-17  call    ` then the text). The
widget wraps for the width it is given, so a resize re-wraps it; its height follows the lines.
"""

from collections.abc import Iterable

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

HangingLine = Content | tuple[Content | str, Content | str]

MIN_BODY = 12
"""A body narrower than this hangs under the prefix's first word (or wraps at the margin): a
hang that leaves no room is worse."""


def hang(lines: Iterable[HangingLine], width: int) -> list[Content]:
    """`lines` wrapped to `width` columns, each continuation indented under its body."""
    wrapped: list[Content] = []
    for line in lines:
        if isinstance(line, tuple):
            prefix, body = (Content(part) if isinstance(part, str) else part for part in line)
        else:
            indent = len(line.plain) - len(line.plain.lstrip(" "))
            prefix, body = line[:indent], line[indent:]
        for text in body.split("\n", allow_blank=True):
            wrapped += _hang_one(prefix, text, width)
            prefix = Content(" " * prefix.cell_length)
    return wrapped


def _hang_one(prefix: Content, body: Content, width: int) -> list[Content]:
    indent = prefix.cell_length
    if width - indent < MIN_BODY:  # no room beside the prefix: hang under its first word
        lead = len(prefix.plain) - len(prefix.plain.lstrip(" "))
        prefix, body, indent = prefix[:lead], prefix[lead:] + body, lead
    if width - indent < MIN_BODY:
        return (prefix + body).wrap(max(1, width)) or [Content("")]
    parts = body.wrap(width - indent) or [Content("")]
    pad = Content(" " * indent)
    return [prefix + parts[0], *(pad + part for part in parts[1:])]


class HangingText(Widget):
    """A block of hanging lines (card detail's timeline and history, the clearance wizard)."""

    DEFAULT_CSS = """
    HangingText {
        height: auto;
    }
    """

    def __init__(
        self, lines: Iterable[HangingLine] = (), *, id: str | None = None, classes: str = ""
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.lines: list[HangingLine] = list(lines)
        self._laid_out_width = 0

    def update(self, lines: Iterable[HangingLine]) -> None:
        self.lines = list(lines)
        self.refresh(layout=True)

    def render(self) -> Content:
        """Wrapped for the width the layout gave it: the one `get_content_height` was last asked
        for (a scrollbar appearing narrows it after the first layout); text hung for another
        width would be wrapped again by Textual, at the margin."""
        width = self._laid_out_width or self.content_size.width or 80
        return Content("\n").join(hang(self.lines, width))

    def on_resize(self) -> None:
        self.refresh()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if width != self._laid_out_width:
            self._laid_out_width = width
            self.refresh()
        return len(hang(self.lines, width))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((line.cell_length for line in hang(self.lines, 10**6)), default=0)
