"""The board filter typed after `/`: words, `#tags` and `lane:name`.

`acme #vip lane:new` keeps open cards whose title, contact, email, next step or source contain
"acme", tagged "vip", in lanes whose name starts with "new". Words and tags are matched by the
store (so a pool of thousands is filtered in SQL); the lane part hides lanes.
"""

from dataclasses import dataclass, field

from pkanban.domain.models import Lane
from pkanban.domain.text import clean_text
from pkanban.store.board import CardMatch

LANE_PREFIX = "lane:"


@dataclass(frozen=True)
class BoardFilter:
    text: str = ""
    match: CardMatch = field(default_factory=CardMatch)
    lanes: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> "BoardFilter":
        text = clean_text(text).strip()
        words, tags, lanes = [], [], []
        for token in text.split():
            folded = token.casefold()
            if token.startswith("#") and len(token) > 1:
                tags.append(token[1:])
            elif folded.startswith(LANE_PREFIX) and len(folded) > len(LANE_PREFIX):
                lanes.append(folded[len(LANE_PREFIX) :])
            else:
                words.append(token)
        return cls(text, CardMatch(tuple(words), tuple(tags)), tuple(lanes))

    def __bool__(self) -> bool:
        return bool(self.match or self.lanes)

    def shows_lane(self, lane: Lane) -> bool:
        name = lane.name.casefold()
        return not self.lanes or any(name.startswith(prefix) for prefix in self.lanes)
