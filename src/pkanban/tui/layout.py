"""Pure arithmetic for the board's geometry: how tall each lane is, how many cards a cell
shows, and which window of a long cell keeps the selection in view.

Kept apart from the widgets so it can be reasoned about (and tested) without a terminal.
"""

WIDE_CARD_WIDTH = 30
"""From this many columns a card fits in two lines (title; value · badge · touches · due)."""


def card_height(column_width: int) -> int:
    """Lines per card: two when the column is wide enough, else three."""
    return 2 if column_width >= WIDE_CARD_WIDTH else 3


def window_capacity(rows: int, card_lines: int, total: int) -> int:
    """How many cards a cell of `rows` lines shows; when they do not all fit, one line is kept
    for the `… N more` status line. At least one card is shown in a cell that has cards."""
    if total * card_lines <= rows:
        return total
    return max(1, (rows - 1) // card_lines)


def scrolled_offset(offset: int, selected: int, capacity: int, total: int) -> int:
    """The window start that keeps `selected` visible, moving as little as possible."""
    if capacity <= 0:
        return 0
    if selected < offset:
        offset = selected
    elif selected >= offset + capacity:
        offset = selected - capacity + 1
    return max(0, min(offset, total - capacity))


def lane_heights(available: int, needs: list[int | None], minimum: int) -> list[int]:
    """Share `available` lines between lanes: a collapsed lane (need None) gets its header line;
    expanded lanes get what they need when it fits, else fair shares (never below `minimum`,
    never above the need: an empty lane does not hold rows a busy one could show cards in),
    smallest needs served first so one long lane cannot starve the others. Spare lines go to
    the first lane still short of its need (else the last expanded lane), so the board fills
    the screen."""
    heights = [1 if need is None else 0 for need in needs]
    remaining = available - sum(heights)
    wanted = {index: need for index, need in enumerate(needs) if need is not None}
    expanded = sorted(wanted, key=lambda index: wanted[index])
    for served, index in enumerate(expanded):
        fair = remaining // (len(expanded) - served)
        heights[index] = min(wanted[index], max(minimum, fair))
        remaining -= heights[index]
    if expanded and remaining > 0:
        short = [index for index in sorted(expanded) if heights[index] < wanted[index]]
        heights[short[0] if short else max(expanded)] += remaining
    return heights
