"""Warning text that stays readable on every theme (WCAG AA, 4.5:1 against its background).

Textual's `$warning` (#FEA62B) is 1.5:1 on the light theme's background, so text that warns is
drawn in `$warning-text`: the theme's warning colour where it already reads (the dark theme, so
nothing changes there), else darkened — or lightened on a dark theme — just enough.
"""

from collections.abc import Iterable

from textual.color import Color

AA = 4.5
BACKGROUNDS = ("background", "surface", "panel")
"""The theme colours warning text is drawn on."""


def luminance(color: Color) -> float:
    """WCAG 2 relative luminance of an opaque colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)


def contrast(one: Color, other: Color) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable(color: Color, backgrounds: Iterable[Color], ratio: float = AA) -> Color:
    """`color` moved towards black (on light backgrounds) or white (on dark) in small steps
    until it meets `ratio` against each of `backgrounds`."""
    behind = list(backgrounds)
    light = sum(luminance(each) for each in behind) / len(behind) > 0.18
    target = Color(0, 0, 0) if light else Color(255, 255, 255)
    for step in range(41):
        candidate = color.blend(target, step / 40)
        if all(contrast(candidate, each) >= ratio for each in behind):
            return candidate
    return target


def warning_text(variables: dict[str, str]) -> str:
    """The `$warning-text` colour for a theme's CSS variables."""
    backgrounds = [Color.parse(variables[name]) for name in BACKGROUNDS]
    return readable(Color.parse(variables["warning"]), backgrounds).hex
