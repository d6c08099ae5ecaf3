"""The "why" of a card's rank as `Content`: each component with its points and its reason.

Shared by the card detail and the triage screen, so both explain a score the same way as
`pkanban why`. Stage names in the reasons are user text: they are cleaned and never parsed.
"""

from textual.content import Content

from pkanban.domain.ranking import Score, TypicalValue, signed_points
from pkanban.tui.text import plain


def rank_why(score: Score, typical: TypicalValue) -> Content:
    """`Rank 40.8` then one aligned line per component (value, probability, fit, staleness)."""
    lines = [Content.styled(f"Rank {score.total:.1f} — why it ranks here", "bold underline")]
    for part in score.components:
        style = "$error" if part.points < 0 else "$success" if part.points > 0 else "dim"
        points = (f"{signed_points(part.points):>6}", style)
        lines.append(
            Content.assemble(f"  {part.name:<12}", points, "  ", plain(part.explanation_in_app))
        )
        if part.name == "value" and typical.amount is not None:
            lines.append(Content(" " * 22 + f"({typical.sentence})"))
    return Content("\n").join(lines)
