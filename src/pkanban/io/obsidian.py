"""An Obsidian Kanban board (mgmeyers/obsidian-kanban), exactly in the plugin's file format
(see FORMATS.md): front matter `kanban-plugin: board`, one `## Stage (limit)` list per stage with
`- [ ]` cards, then `***`, `## Archive` with the won, lost and cleared cards as `- [x]`, and the
`%% kanban:settings` footer.

The plugin has lists but no swimlanes, so a card's lane becomes a tag (`#new-business`) next to
its own tags; dates use the plugin's `@{YYYY-MM-DD}`. Card text is escaped with `md_text`, so a
title can neither add a list or card nor look like a date, tag or WIP limit to the plugin.
"""

import json
import re

from pkanban.domain.money import format_money
from pkanban.domain.text import clean_text
from pkanban.domain.views import BoardContext, CardView
from pkanban.io.escape import md_text

FRONT_MATTER = "---\n\nkanban-plugin: board\n\n---\n"


def tag(name: str, fallback: str) -> str:
    """An Obsidian tag from a name: lower case, letters, digits, `-` and `_` only."""
    slug = re.sub(r"[^\w-]+", "-", clean_text(name).casefold()).strip("-_")
    return "#" + (slug if slug and not slug.isdigit() else fallback)


def render(context: BoardContext, open_cards: list[CardView], archived: list[CardView]) -> str:
    by_stage: dict[int, list[CardView]] = {stage.id: [] for stage in context.stages}
    for view in open_cards:
        by_stage[view.stage.id].append(view)
    tags = _Tags()
    out = [FRONT_MATTER, "\n"]
    for stage in context.stages:
        limit = "" if stage.wip_limit is None else f" ({stage.wip_limit})"
        out.append(f"## {md_text(stage.name)}{limit}\n\n")
        out += [f"- [ ] {_open_card(view, context, tags)}\n" for view in by_stage[stage.id]]
        out.append("\n\n\n")
    out.append("***\n\n## Archive\n\n")
    out += [f"- [x] {_archived_card(view, context, tags)}\n" for view in archived]
    settings = {"kanban-plugin": "board", "list-collapse": [False] * len(context.stages)}
    out.append(
        "\n%% kanban:settings\n```\n" + json.dumps(settings, separators=(",", ":")) + "\n```\n%%\n"
    )
    return "".join(out)


def _open_card(view: CardView, context: BoardContext, tags: "_Tags") -> str:
    card = view.card
    words = [md_text(card.title)]
    if card.account:
        words.append(f"account: {md_text(card.account)}")
    if card.value is not None:
        words.append(md_text(format_money(card.value, context.settings.currency)))
    words.append(md_text(view.badge.text))
    if card.next_step or card.next_due:
        step = "next: " + md_text(card.next_step) if card.next_step else "next"
        words.append(step + (f" @{{{card.next_due.isoformat()}}}" if card.next_due else ""))
    if card.blocked_reason:
        words.append(f"⛔ {md_text(card.blocked_reason)}")
    return " · ".join(words) + tags.of(view)


def _archived_card(view: CardView, context: BoardContext, tags: "_Tags") -> str:
    card = view.card
    outcome: str = card.disposition
    if card.value is not None:
        outcome += " " + md_text(format_money(card.value, context.settings.currency))
    words = [md_text(card.title), outcome]
    if card.account:
        words.append(f"account: {md_text(card.account)}")
    if card.lost_reason:
        words.append(md_text(card.lost_reason))
    closed = f" @{{{card.closed.isoformat()}}}" if card.closed else ""
    return " · ".join(words) + closed + tags.of(view)


class _Tags:
    """A card's tags as text — its lane's first — each name turned into a tag only once."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.lanes: dict[int, str] = {}

    def of(self, view: CardView) -> str:
        lane = self.lanes.get(view.lane.id)
        if lane is None:
            lane = self.lanes[view.lane.id] = tag(view.lane.name, f"lane-{view.lane.id}")
        found = [lane]
        for name in view.card.tags:
            if name not in self.names:
                self.names[name] = tag(name, "")
            if self.names[name] != "#" and self.names[name] not in found:
                found.append(self.names[name])
        return " " + " ".join(found)
