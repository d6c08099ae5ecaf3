"""The footer of keys every pkanban screen shows: Textual's `Footer`, minus a leak.

Textual's footer rebuilds its keys whenever the bindings change (each dialog opened or closed,
each focus change) and binds every new key to its `compact` reactive. Textual forgets the
bindings of removed keys only when `compact` changes, which it never does here, so every
dialog left ~15 dead keys and ~10,000 objects behind: memory grew all day and the garbage
collector slowed every keystroke (README, Performance). The footer drops them after each
rebuild.
"""

from textual.widgets import Footer


class KeyFooter(Footer):
    """The keys of the screen, as Textual's footer draws them."""

    async def recompose(self) -> None:
        await super().recompose()
        for bindings in getattr(self, "__watchers", {}).values():  # Textual's reactive watchers
            bindings[:] = [(node, callback) for node, callback in bindings if node.is_attached]
