"""Money: the largest value a card may hold, and short figures for cards and headers
(`$950`, `$12k`, `$1.5m`)."""

MAX_VALUE = 10**12  # a trillion: past any real deal, and well inside SQLite's integers


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
