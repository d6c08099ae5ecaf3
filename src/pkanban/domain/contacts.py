"""A contact's email and phone as links the system opens (`mailto:`, `tel:`).

The address is percent-encoded, so whatever a card holds (a space, `>`, `)`, a newline) cannot
end the link early or add to it, in the app or in a markdown report.
"""

from typing import Literal
from urllib.parse import quote

ContactKind = Literal["email", "phone"]


def contact_url(kind: ContactKind, value: str) -> str | None:
    """`mailto:` for an email, `tel:` (digits and a leading +) for a phone; None when empty."""
    value = value.strip()
    if kind == "email":
        return f"mailto:{quote(value, safe='@.+-_')}" if "@" in value else None
    digits = "".join(char for char in value if char.isascii() and char.isdigit())
    return f"tel:{'+' if value.startswith('+') else ''}{digits}" if digits else None
