"""Reading a limit or a probability from what a user typed: `8`, `none`, `0.4`, `40%`.

`pkanban config stage --wip/--shelf/--prob` and the settings screen read input with these, so
both accept the same text; the ranges themselves are checked by `services.config`.
"""

from pkanban.domain.errors import InvalidInput

NONE_WORDS = ("none", "-")


def parse_optional_int(text: str) -> int | None:
    """A whole number, or `none` (or `-`) to remove a limit."""
    cleaned = str(text).strip()
    if cleaned.lower() in NONE_WORDS:
        return None
    digits = cleaned.removeprefix("-")
    if not digits.isascii() or not digits.isdigit() or len(cleaned) > 12:
        raise InvalidInput(f'"{text}" is not a whole number (or "none")')
    return int(cleaned)


def parse_optional_probability(text: str) -> float | None:
    """A probability as 0.4 or 40%, or `none`."""
    cleaned = str(text).strip().lower()
    if cleaned in NONE_WORDS:
        return None
    try:
        number = float(cleaned.rstrip("%")) / (100 if cleaned.endswith("%") else 1)
    except ValueError:
        raise InvalidInput(f'"{text}" is not a probability (try 0.4 or 40%)') from None
    if not 0 <= number <= 1:
        raise InvalidInput(f'"{text}" is not between 0 and 1 (or 0% and 100%)')
    return number
