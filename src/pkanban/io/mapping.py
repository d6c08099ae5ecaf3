"""Which CSV column feeds which card field, and which board stage each CRM stage becomes.

Headers are recognised by name after normalising them (case, punctuation and Pipedrive's
`Deal - ` / `Person - ` prefixes do not matter), using the column names of Pipedrive, HubSpot and
Salesforce opportunity exports and of the public CRM sample. `--map COLUMN=FIELD` overrides any
of it (`FIELD` may be `ignore`). When two columns look like the same field, the better-known name
wins and the other is reported, not silently dropped.

pkanban's own CSV export is recognised by its `pkanban_id` column (`<board id>/<card number>`):
there `external_id` is the card's re-import key as stored, used as it is, and the `id` column
(the card number on the board that wrote the file) is not an id of the deal (see io/records.py).

Stages: a value naming a board stage goes there; the built-in table below knows the default
pipelines of those CRMs; `won`/`lost`-like values archive the card. `--stage-map VALUE=TARGET`
(a board stage, `won`, `lost` or `skip`) overrides; anything still unknown is an error that
lists the values, so nothing is placed by guesswork.
"""

import re
from dataclasses import dataclass, field

from pkanban.domain.errors import InvalidInput
from pkanban.domain.models import Stage
from pkanban.domain.text import clean_text

FIELDS: dict[str, str] = {
    "id": "the CRM's id for the deal; re-imports skip ids already on the board",
    "title": "card title (deal or opportunity name)",
    "account": "the company the deal is with (also makes the title, with the product, when"
    " there is no title column)",
    "product": "added to the account to make the title when there is no title column",
    "contact": "contact name",
    "email": "contact email",
    "phone": "contact phone (kept as text)",
    "value": "deal value (1054, $1,054.00, 12k)",
    "stage": "pipeline stage (mapped to a board stage, or won/lost)",
    "status": "open, won, lost or cleared (overrides the stage's outcome)",
    "created": "when the deal was opened",
    "closed": "when it was won or lost (on an open deal a forecast: its close_by, unless a"
    " close_by column is given)",
    "won_time": "when a won deal was won (its close date; else the closed column)",
    "lost_time": "when a lost deal was lost (its close date; else the closed column)",
    "currency": "the values' currency: checked against the board's, never relabelled",
    "last_touch": "date of the last activity (the idle clock starts there; no touch is invented)",
    "touches": "number of activities so far",
    "next_step": "the next step",
    "next_due": "when the next step is due",
    "close_by": "when an open deal is expected to close (ignored on won or lost deals)",
    "lost_reason": "why it was lost",
    "source": "lead source",
    "tags": "tags or labels (split on , and ;)",
    "lane": "board lane (by name)",
    "pkanban_id": "board and card a row of pkanban's CSV export came from (re-imports skip it)",
    "external_id": "the re-import key in pkanban's CSV export (with pkanban_id)",
    "owner": "who owns the deal: for --where, not imported",
    "ignore": "do not import this column",
}

# Normalised header names per field, best-known first (the rank decides between two columns).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "pkanban_id": ("pkanban id",),
    "id": ("id", "deal id", "opportunity id", "record id", "external id", "crm id"),
    "title": ("title", "deal title", "deal name", "opportunity name", "opportunity", "name"),
    "account": (
        "account",
        "account name",
        "organization",
        "organization name",
        "organisation",
        "organisation name",
        "company",
        "company name",
        "associated company",
        "customer",
    ),
    "product": ("product", "product name", "products"),
    "contact": (
        "contact",
        "contact name",
        "contact person",
        "primary contact",
        "associated contact",
        "person",
        "person name",
    ),
    "email": ("email", "e mail", "email address", "contact email", "person email", "work email"),
    "phone": (
        "phone",
        "phone number",
        "contact phone",
        "person phone",
        "mobile",
        "mobile phone",
        "telephone",
        "work phone",
    ),
    "value": (
        "value",
        "amount",
        "close value",
        "deal value",
        "deal amount",
        "opportunity amount",
        "amount in company currency",
    ),
    "stage": ("stage", "deal stage", "stage name", "pipeline stage", "sales stage"),
    "status": ("status", "deal status", "outcome", "disposition"),
    "created": (
        "created",
        "created date",
        "create date",
        "created at",
        "created on",
        "date created",
        "deal created",
        "creation date",
        "add time",
        "engage date",
        "open date",
    ),
    "closed": (
        "closed",
        "close date",
        "closed date",
        "closed on",
        "deal closed on",
        "actual close date",
    ),
    "won_time": ("won time", "won date", "date won", "won on", "closed won date"),
    "lost_time": ("lost time", "lost date", "date lost", "lost on", "closed lost date"),
    "currency": ("currency", "deal currency", "currency code", "opportunity currency"),
    "last_touch": (
        "last touch",
        "last activity date",
        "last activity",
        "last contacted",
        "last contact",
        "last activity time",
        "update time",
        "last modified date",
        "last modified",
        "last updated",
        "updated at",
    ),
    "touches": ("touches", "total activities", "done activities", "number of sales activities"),
    "next_step": ("next step", "next activity subject", "next activity", "next action"),
    "next_due": (
        "next step due",
        "next step date",
        "next activity date",
        "next due",
        "follow up date",
    ),
    "close_by": (
        "close by",
        "expected close date",
        "expected close",
        "estimated close date",
        "projected close date",
        "forecast close date",
    ),
    "lost_reason": ("lost reason", "closed lost reason", "loss reason", "reason lost"),
    "source": ("source", "lead source", "deal source", "original source"),
    "tags": ("tags", "tag", "labels", "label"),
    "lane": ("lane", "swimlane"),
    "owner": (
        "owner",
        "deal owner",
        "opportunity owner",
        "sales agent",
        "sales rep",
        "salesperson",
        "assigned to",
    ),
}
_RANK = {name: (fld, rank) for fld, names in SYNONYMS.items() for rank, name in enumerate(names)}

# Default pipelines of the CRMs we recognise → default board stage names. A name missing from
# the board (a renamed stage) is treated as unknown, and reported.
STAGE_WORDS: dict[str, str] = {
    # Public CRM sample
    "prospecting": "@pool",
    "engaging": "Contacted",
    # Pipedrive default pipeline
    "lead in": "@pool",
    "contact made": "Contacted",
    "demo scheduled": "Discovery",
    "needs defined": "Discovery",
    "proposal made": "Proposal",
    "negotiations started": "Negotiation",
    # HubSpot default pipeline
    "appointment scheduled": "Contacted",
    "qualified to buy": "Discovery",
    "presentation scheduled": "Discovery",
    "decision maker bought in": "Proposal",
    "contract sent": "Negotiation",
    # Salesforce default opportunity stages
    "qualification": "Contacted",
    "needs analysis": "Discovery",
    "value proposition": "Discovery",
    "id decision makers": "Discovery",
    "perception analysis": "Proposal",
    "proposal price quote": "Proposal",
    "negotiation review": "Negotiation",
    # Generic words
    "lead": "@pool",
    "leads": "@pool",
    "new": "@pool",
    "prospect": "@pool",
    "contacted": "Contacted",
    "discovery": "Discovery",
    "proposal": "Proposal",
    "negotiation": "Negotiation",
}
OUTCOME_WORDS: dict[str, str] = {
    "won": "won",
    "closed won": "won",
    "closedwon": "won",
    "deal won": "won",
    "lost": "lost",
    "closed lost": "lost",
    "closedlost": "lost",
    "deal lost": "lost",
    "cleared": "cleared",
    "open": "open",
}
STAGE_TARGETS = ("won", "lost", "skip")
_PREFIX = re.compile(r"^(deal|person|organi[sz]ation|opportunity|product)\s+-\s+", re.IGNORECASE)


def normalise(text: str) -> str:
    """Lower case, punctuation as spaces, a trailing `(…)` dropped: `Closed Won (Sales Pipeline)`
    and `closed_won` both become `closed won`."""
    text = re.sub(r"\s*\([^)]*\)\s*$", "", text.strip()) or text
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


@dataclass
class Mapping:
    """The resolved mapping: field → column index, plus what the report should say about it."""

    columns: dict[str, int] = field(default_factory=dict)
    header: list[str] = field(default_factory=list)
    source: str | None = None
    notes: list[str] = field(default_factory=list)

    def used(self) -> list[tuple[str, str]]:
        """(column, field) pairs in column order."""
        pairs = sorted((index, fld) for fld, index in self.columns.items())
        return [(self.header[index], fld) for index, fld in pairs]

    def ignored(self) -> list[str]:
        used = set(self.columns.values())
        return [name for index, name in enumerate(self.header) if index not in used]


def resolve_mapping(header: list[str], overrides: list[tuple[str, str]]) -> Mapping:
    """Recognise the header, then apply `--map COLUMN=FIELD` overrides (they always win)."""
    mapping = Mapping(header=list(header), source=guess_source(header))
    chosen: dict[str, tuple[int, int]] = {}  # field → (rank, column index)
    for index, name in enumerate(header):
        found = _recognise(name)
        if found is None:
            continue
        fld, rank = found
        best = chosen.get(fld)
        if best is None or rank < best[0]:
            if best is not None:
                mapping.notes.append(_second_choice(header[best[1]], name, fld))
            chosen[fld] = (rank, index)
        else:
            mapping.notes.append(_second_choice(name, header[best[1]], fld))
    mapping.columns = {fld: index for fld, (_, index) in chosen.items()}
    if "pkanban_id" in mapping.columns:
        _own_export(mapping)
    for column, fld in overrides:
        _override(mapping, column, fld)
    return mapping


def _own_export(mapping: Mapping) -> None:
    """pkanban's CSV export: `external_id` is the stored key; `id` is only a card number."""
    mapping.columns.pop("id", None)
    for index, name in enumerate(mapping.header):
        if normalise(name) == "external id":
            mapping.columns["external_id"] = index
    mapping.notes = [note for note in mapping.notes if "external_id" not in note]


def _recognise(name: str) -> tuple[str, int] | None:
    candidates = [normalise(name)]
    if _PREFIX.match(name.strip()):
        candidates.append(normalise(_PREFIX.sub("", name.strip())))
    for candidate in candidates:
        if candidate in _RANK:
            return _RANK[candidate]
    return None


def _second_choice(loser: str, winner: str, fld: str) -> str:
    loser, winner = clean_text(loser), clean_text(winner)
    return (
        f'Column "{loser}" also looks like {fld}; "{winner}" is used'
        f' (--map "{loser}={fld}" to use it instead)'
    )


def _override(mapping: Mapping, column: str, fld: str) -> None:
    fld = fld.strip().casefold().replace(" ", "_")
    if fld not in FIELDS:
        raise InvalidInput(
            f'--map: "{clean_text(fld)}" is not a field — fields are: {", ".join(FIELDS)}'
        )
    wanted = column.strip().casefold()
    index = next(
        (i for i, name in enumerate(mapping.header) if name.casefold() == wanted),
        None,
    )
    if index is None:
        columns = ", ".join(f'"{clean_text(name)}"' for name in mapping.header)
        raise InvalidInput(f'--map: no column "{clean_text(column)}" — the columns are: {columns}')
    mapping.columns = {f: i for f, i in mapping.columns.items() if i != index}
    if fld != "ignore":
        mapping.columns[fld] = index


def guess_source(header: list[str]) -> str | None:
    """Name the CRM an export looks like, for the report (mapping does not depend on it)."""
    names = {normalise(name) for name in header}
    raw = [name.strip().casefold() for name in header]
    if {"opportunity id", "deal stage", "engage date"} <= names:
        return "the public CRM sales-opportunities sample"
    if any(name.startswith(("deal - ", "person - ", "organization - ")) for name in raw) or (
        "deal created" in names or "contact person" in names
    ):
        return "a Pipedrive deals export"
    if "record id" in names and ("deal name" in names or "deal stage" in names):
        return "a HubSpot deals export"
    if names & {"opportunity name", "opportunity owner", "opportunity id"}:
        return "a Salesforce opportunity report"
    return None


@dataclass(frozen=True)
class StagePlan:
    """Where rows with one stage value go: a board stage (None = the pool) and an outcome."""

    stage: str | None
    disposition: str  # open, won, lost or skip


class StageResolver:
    """Turns a row's stage (and status) cells into a StagePlan, remembering unknown values."""

    def __init__(self, stages: list[Stage], stage_map: list[tuple[str, str]]):
        self.stages = stages
        self.pool = next((stage.name for stage in stages if stage.kind == "pool"), None)
        self.overrides: dict[str, StagePlan] = {}
        self.unknown: dict[str, list[int]] = {}  # value → lines it is on
        self._cache: dict[tuple[str, str], tuple[StagePlan | None, str | None]] = {}
        for value, target in stage_map:
            self.overrides[normalise(value)] = self._target(value, target)

    def _target(self, value: str, target: str) -> StagePlan:
        wanted = target.strip().casefold()
        if wanted in STAGE_TARGETS:
            return StagePlan(None, wanted)
        for stage in self.stages:
            if stage.name.casefold() == wanted:
                return StagePlan(None if stage.kind == "pool" else stage.name, "open")
        targets = ", ".join([stage.name for stage in self.stages] + list(STAGE_TARGETS))
        raise InvalidInput(
            f'--stage-map "{clean_text(value)}={clean_text(target)}": targets are'
            f" {clean_text(targets)}"
        )

    def plan(self, stage_text: str, status_text: str = "", line: int = 0) -> StagePlan | None:
        """The plan for one row, or None (and the value is remembered as unknown)."""
        cells = (stage_text, status_text)
        if cells not in self._cache:
            self._cache[cells] = self._plan(stage_text, status_text)
        plan, unknown = self._cache[cells]
        if unknown is not None:
            self.unknown.setdefault(unknown, []).append(line)
        return plan

    def _plan(self, stage_text: str, status_text: str) -> tuple[StagePlan | None, str | None]:
        status = normalise(status_text)
        outcome = OUTCOME_WORDS.get(status) if status else "open"
        if outcome is None:
            return None, f"status {' '.join(clean_text(status_text).split())}"
        key = normalise(stage_text)
        plan = self._stage_plan(key) if key else StagePlan(None, "open")
        if plan is None:
            return None, " ".join(clean_text(stage_text).split())
        if outcome in ("won", "lost", "cleared") and plan.disposition == "open":
            return StagePlan(plan.stage, outcome), None
        return plan, None

    def _stage_plan(self, key: str) -> StagePlan | None:
        if key in self.overrides:
            return self.overrides[key]
        for stage in self.stages:
            if normalise(stage.name) == key:
                return StagePlan(None if stage.kind == "pool" else stage.name, "open")
        if OUTCOME_WORDS.get(key) in ("won", "lost", "cleared"):
            return StagePlan(None, OUTCOME_WORDS[key])
        target = STAGE_WORDS.get(key)
        if target == "@pool":
            return StagePlan(None, "open")
        if target is not None and any(stage.name == target for stage in self.stages):
            return StagePlan(target, "open")
        return None
