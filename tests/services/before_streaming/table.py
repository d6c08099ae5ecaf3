"""A verbatim copy of the import as it was before streaming (the reference the streamed import
is compared with in tests/services/test_streamed_import.py); not used by pkanban.

Reading CSV files as real CRMs and spreadsheets write them, without losing or guessing.

- Encoding: UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text"), else
  Windows-1252 — and the fallback is reported, never silent. Bytes that fit neither are refused.
- Delimiter: `,`, `;`, tab or `|`, whichever the header line uses most (outside quotes).
- Header: duplicate names are kept as `Name (2)`, blank ones become `column N`; both reported.
- Rows: every cell stays text (zip `01234` and phone `+15550100` are never turned into numbers).
  Blank lines are skipped and counted; each row carries the line it starts on and how many
  physical lines it takes, so the report can account for every line of the file.
- Quotes: a quoted cell may hold a newline (a note on two lines) — but a cell that spans lines
  *and* holds the delimiter is a quote opened by mistake that swallowed the following records
  (`"Acme Corp,12000,Ana` … `Gamma Inc",7000,Cy`). That row is a problem reported at the line
  where the quote opened, with the lines it swallowed, never a merged card. So is a cell count
  that does not match the header, a quote that never closes, or a cell over `MAX_CELL`
  characters: problems for their lines, never an exception.
- Every text quoted in a message (header names, cells) is cleaned of escape sequences first.
"""

import codecs
import csv
import io
from dataclasses import dataclass, field
from typing import NamedTuple

from pkanban.domain.errors import InvalidInput
from pkanban.domain.text import clean_text

# Python's csv refuses cells over 131,072 characters; real notes can be longer. We allow 8 MiB
# per cell: big enough for any honest cell, small enough that a stray quote swallowing the rest
# of a large file is caught rather than read as one giant cell.
MAX_CELL = 8 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


class Row(NamedTuple):
    """One record of the file, the line it starts on and the physical lines it takes (a tuple:
    files have many rows)."""

    line: int
    cells: list[str]
    span: int = 1


@dataclass(frozen=True)
class Problem:
    """Something wrong with one line of the file (or with the file, when `line` is None);
    `span` is how many physical lines the problem covers (skipped with --skip-bad)."""

    line: int | None
    message: str
    span: int = 1

    def __post_init__(self):
        object.__setattr__(self, "message", clean_text(self.message))

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


@dataclass
class Table:
    header: list[str]
    rows: list[Row]
    encoding: str
    delimiter: str
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    blank_lines: int = 0
    header_lines: int = 1
    physical_lines: int = 0

    @property
    def delimiter_name(self) -> str:
        return _DELIMITER_NAMES[self.delimiter]

    def column(self, name: str) -> int:
        """The index of the column called `name` (any case), or an error listing the columns."""
        wanted = name.strip().casefold()
        for index, column in enumerate(self.header):
            if column.casefold() == wanted:
                return index
        columns = ", ".join(f'"{clean_text(column)}"' for column in self.header)
        raise InvalidInput(
            f'No column "{clean_text(name)}" in the file — its columns are: {columns}'
        )


def decode(data: bytes) -> tuple[str, str, str | None]:
    """Return the text, the encoding used and a note when it was not plain UTF-8."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, encoding), encoding, None
    if data.startswith(codecs.BOM_UTF16_BE):
        return _strict(data, "utf-16"), "utf-16", None
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InvalidInput(
                f"The file is neither UTF-8 nor Windows-1252 (byte {data[error.start]:#04x} on"
                f" line {line}) — save it as UTF-8 CSV and import again"
            ) from None
        note = (
            f"Read as Windows-1252: the file is not valid UTF-8 (from line {line}). Check that"
            " accented names look right in the preview."
        )
        return text, "cp1252", note


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"The file starts with a {encoding} byte-order mark but is not valid {encoding}"
            f" (at byte {error.start}) — save it again as UTF-8 CSV"
        ) from None


def sniff_delimiter(text: str) -> str:
    """The delimiter the header line uses most, counting only outside quotes (comma if none)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_table(data: bytes) -> Table:
    """Parse CSV bytes into a header and rows; raises InvalidInput only for an unusable file."""
    text, encoding, encoding_note = decode(data)
    if not text.strip():
        raise InvalidInput("The file is empty — export the CSV again with a header row")
    delimiter = sniff_delimiter(text)
    previous_limit = csv.field_size_limit(MAX_CELL)
    try:
        parsed = _parse(text, delimiter)
    finally:
        csv.field_size_limit(previous_limit)
    if parsed.header is None:
        raise InvalidInput("The file has no header row — the first line must name the columns")
    header = parsed.header
    if header.span > 1 and _swallows(header, delimiter, len(header.cells)):
        raise InvalidInput(
            f"The header row: a quote opened on line {header.line} swallows lines"
            f" {header.line}–{header.line + header.span - 1} — close it or remove it"
        )
    names, notes = _name_columns(header.cells, header.line)
    if encoding_note:
        notes.insert(0, encoding_note)
    table = Table(names, [], encoding, delimiter, notes, parsed.problems, parsed.blanks)
    table.header_lines = header.span
    table.physical_lines = parsed.lines
    for row in parsed.rows:
        swallowed = row.span > 1 and _swallows(row, delimiter, len(names))
        if swallowed:
            table.problems.append(_swallow_problem(row))
        elif len(row.cells) == len(names):
            table.rows.append(row)
        else:
            table.problems.append(_cell_count_problem(row, len(names)))
    table.problems.sort(key=lambda problem: problem.line or 0)
    return table


def _swallows(row: Row, delimiter: str, columns: int) -> bool:
    """Whether a row that spans lines does so through a quote opened by mistake: one of its
    multi-line cells holds the delimiter (a record's worth of cells read as one), or the file
    has a single column (where a cell never legitimately runs over lines)."""
    return any(
        ("\n" in cell or "\r" in cell) and (delimiter in cell or columns == 1) for cell in row.cells
    )


def _swallow_problem(row: Row) -> Problem:
    end = row.line + row.span - 1
    return Problem(
        row.line,
        f"a quote opened here swallows lines {row.line}–{end} ({row.span:,} lines) — close it"
        ' or remove it (a quote inside a cell is written "")',
        row.span,
    )


@dataclass
class _Parsed:
    header: Row | None = None
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    blanks: int = 0  # physical lines
    lines: int = 0  # physical lines in the file


def _parse(text: str, delimiter: str) -> _Parsed:
    """Run the csv reader in strict mode, turning its errors into per-line problems; every
    row and problem knows the physical lines it took (`reader.line_num` before and after)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    parsed = _Parsed()
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            parsed.problems.append(_reader_problem(start, reader.line_num, str(error)))
            continue
        span = reader.line_num - start + 1
        if not "".join(cells).strip():  # every cell blank
            parsed.blanks += span
            continue
        if parsed.header is None:
            parsed.header = Row(start, cells, span)
            continue
        parsed.rows.append(Row(start, cells, span))
    parsed.lines = reader.line_num
    return parsed


def _reader_problem(start: int, end: int, error: str) -> Problem:
    span = max(end - start + 1, 1)
    if "field larger than field limit" in error:
        return Problem(
            start,
            f"a cell is longer than {MAX_CELL:,} characters (lines {start}–{end}, {span:,}"
            ' lines) — probably a quote (") opened here by mistake; close it or remove it',
            span,
        )
    if "unexpected end of data" in error:
        return Problem(
            start,
            f"a quote opened here swallows lines {start}–{end} ({span:,} lines) to the end of"
            ' the file — close it or remove it (a quote inside a cell is written "")',
            span,
        )
    return Problem(
        start,
        f'a quote (") inside a quoted cell must be doubled ("") — the row could not be read'
        f" ({error}; lines {start}–{end})"
        if end > start
        else f'a quote (") inside a quoted cell must be doubled ("") — the row could not be'
        f" read ({error})",
        span,
    )


def _cell_count_problem(row: Row, expected: int) -> Problem:
    ends = row.line + sum(cell.count("\n") for cell in row.cells)
    where = "" if ends == row.line else f" (the row runs on to line {ends}: a stray quote?)"
    return Problem(
        row.line,
        f"{len(row.cells)} cells where the header has {expected}{where} — row skipped",
        row.span,
    )


def _name_columns(header: list[str], line: int) -> tuple[list[str], list[str]]:
    """Give every column a usable, unique name and say which ones had to be named by us."""
    names: list[str] = []
    notes: list[str] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(header, 1):
        name = " ".join(clean_text(raw).split())
        if not name:
            name = f"column {index}"
            notes.append(f'Column {index} has no name in the header (line {line}): called "{name}"')
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            renamed = f"{name} ({seen[key]})"
            notes.append(
                f'Column {index} repeats the header "{name}": called "{renamed}"'
                " (the first one is used unless you --map this one)"
            )
            name = renamed
        else:
            seen[key] = 1
        names.append(name)
    return names, notes
