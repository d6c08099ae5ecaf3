"""Money: the largest value a card may hold, and short figures for cards and headers
(`$950`, `$12k`, `$1.5m`).

Unknown is not zero: a card without a value shows `—`, and a sum over cards says how many had
none (`$151k · 12 without a value`) instead of counting them as $0.
"""

MAX_VALUE = 10**12 - 1
"""The largest value, inclusive: just under a trillion (`1000000m` is refused), past any real
deal and well inside SQLite's integers. Typing, the services, settings and dumps all use it."""
UNKNOWN = "—"


_UNITS = ((1e12, "t"), (1e9, "b"), (1e6, "m"), (1e3, "k"), (1.0, ""))


def format_money(value: int | float | None, currency: str = "$") -> str:
    """`$950`, `$12k`, `$1.5m`, `$1t`: a figure that would round to 1000 of a unit reads as 1
    of the next one (`999999999999` is `$1t`, not `$1000b`)."""
    if value is None:
        return ""
    amount = float(value)
    for index, (limit, suffix) in enumerate(_UNITS):
        if abs(amount) >= limit or suffix == "":
            text = _figure(amount / limit, whole=suffix == "")
            if abs(float(text)) >= 1000 and index > 0:
                bigger, suffix = _UNITS[index - 1]
                text = _figure(amount / bigger)
            return f"{currency}{text}{suffix}"
    raise AssertionError("unreachable")  # pragma: no cover


def _figure(scaled: float, *, whole: bool = False) -> str:
    if whole or abs(scaled) >= 100:
        return f"{scaled:.0f}"
    return f"{scaled:.1f}".rstrip("0").rstrip(".")


def format_value(value: int | None, currency: str = "$") -> str:
    """A card's value, `—` when it has none."""
    return UNKNOWN if value is None else format_money(value, currency)


def format_known(total: int | float, count: int, unvalued: int, currency: str = "$") -> str:
    """The sum of `count` cards' known values: `—` when none had a value (never `$0`)."""
    if count and unvalued >= count:
        return UNKNOWN
    return format_money(total, currency) or f"{currency}0"


def format_total(total: int | float, count: int, unvalued: int, currency: str = "$") -> str:
    """The sum of `count` cards' known values, saying how many had no value."""
    if count and unvalued >= count:
        return f"{UNKNOWN} · {unvalued:,} without a value"
    money = format_money(total, currency) or f"{currency}0"
    return f"{money} · {unvalued:,} without a value" if unvalued else money
