"""The one workaround for a Textual bug that needs Textual's private API.

`textual._styles_cache.StylesCache.get_inner_outer` is an `lru_cache` on a method, so its keys
hold up to 1,024 `StylesCache` objects — each with the lines its widget last drew — long after
their widgets are gone (Textualize/textual#6665, open). Each card detail, help screen or dialog
a seller opens and closes left its widgets' drawn lines there, and every full garbage
collection walked them. The cache only memoises two styles per pair of colours, so emptying it
whenever a screen closes costs nothing but a recomputation. A Textual that no longer has the
cache is left alone here, and tests/tui/test_memory.py fails, so the workaround can go.
"""

from textual._styles_cache import StylesCache


def forget_closed_widgets() -> None:
    """Let go of the drawn lines of widgets that are gone (call when a screen closes)."""
    cache_clear = getattr(StylesCache.get_inner_outer, "cache_clear", None)
    if cache_clear is not None:
        cache_clear()
