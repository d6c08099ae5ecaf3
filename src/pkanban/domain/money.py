"""Money: the largest value a card may hold, and short figures for cards and headers
(`$950`, `$12k`, `$1.5m`).

Unknown is not zero: a card without a value shows `—`, and a sum over cards says how many had
none (`$151k · 12 without a value`) instead of counting them as $0.
"""

MAX_VALUE = 10**12 - 1
"""The largest value, inclusive: just under a trillion (`1000000m` is refused), past any real
deal and well inside SQLite's integers. Typing, the services, settings and dumps all use it."""
UNKNOWN = "—"


def format_money(value: int | float | None, currency: str = "$") -> str:
    if value is None:
        return ""
    amount = float(value)
    for limit, suffix in ((1e9, "b"), (1e6, "m"), (1e3, "k")):
        if abs(amount) >= limit:
            scaled = amount / limit
            text = f"{scaled:.1f}".rstrip("0").rstrip(".") if scaled < 100 else f"{scaled:.0f}"
            return f"{currency}{text}{suffix}"
    return f"{currency}{amount:.0f}"


def format_value(value: int | None, currency: str = "$") -> str:
    """A card's value, `—` when it has none."""
    return UNKNOWN if value is None else format_money(value, currency)


def format_total(total: int | float, count: int, unvalued: int, currency: str = "$") -> str:
    """The sum of `count` cards' known values, saying how many had no value."""
    if count and unvalued >= count:
        return f"{UNKNOWN} · {unvalued:,} without a value"
    money = format_money(total, currency) or f"{currency}0"
    return f"{money} · {unvalued:,} without a value" if unvalued else money
