"""The board filter typed after `/`: words, `#tags`, `account:name` and `lane:name`.

`acme #vip lane:new` keeps open cards whose title, account, contact, email, next step or source
contain "acme", tagged "vip", in lanes whose name starts with "new"; `account:acme` keeps the
cards whose account contains "acme". Words, tags and accounts are matched by the store (so a
pool of thousands is filtered in SQL); the lane part hides lanes.
"""

from dataclasses import dataclass, field

from pkanban.domain.models import Lane
from pkanban.domain.text import clean_text
from pkanban.services.session import CardMatch

LANE_PREFIX = "lane:"
ACCOUNT_PREFIX = "account:"


@dataclass(frozen=True)
class BoardFilter:
    text: str = ""
    match: CardMatch = field(default_factory=CardMatch)
    lanes: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> "BoardFilter":
        text = clean_text(text).strip()
        words, tags, lanes, accounts = [], [], [], []
        for token in text.split():
            folded = token.casefold()
            if token.startswith("#") and len(token) > 1:
                tags.append(token[1:])
            elif folded.startswith(LANE_PREFIX) and len(folded) > len(LANE_PREFIX):
                lanes.append(folded[len(LANE_PREFIX) :])
            elif folded.startswith(ACCOUNT_PREFIX) and len(folded) > len(ACCOUNT_PREFIX):
                accounts.append(token[len(ACCOUNT_PREFIX) :])
            else:
                words.append(token)
        return cls(text, CardMatch(tuple(words), tuple(tags), tuple(accounts)), tuple(lanes))

    def __bool__(self) -> bool:
        return bool(self.match or self.lanes)

    def shows_lane(self, lane: Lane) -> bool:
        name = lane.name.casefold()
        return not self.lanes or any(name.startswith(prefix) for prefix in self.lanes)
