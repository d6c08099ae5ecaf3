"""Reading CSV files as real CRMs and spreadsheets write them, without losing or guessing.

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
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, NamedTuple, cast

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

    def __post_init__(self) -> None:
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


Opener = Callable[[], BinaryIO]
Progress = Callable[[int, int], None]
_CHUNK = 1 << 18


def decode(data: bytes) -> tuple[str, str, str | None]:
    """Return the text, the encoding used and a note when it was not plain UTF-8."""
    encoding, note, _ = check_encoding(lambda: io.BytesIO(data))
    return data.decode(encoding), encoding, note


def check_encoding(
    opener: Opener, progress: Progress | None = None
) -> tuple[str, str | None, bool]:
    """The file's encoding, a note when it is not plain UTF-8, and whether it holds any text —
    read a chunk at a time (the first pass of an import; `progress` gets bytes read, size)."""
    with opener() as handle:
        head = handle.read(4)
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16")):
        if head.startswith(bom):
            return encoding, None, _strict(opener, encoding, progress)
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", None, _strict(opener, "utf-16", progress)
    try:
        return "utf-8", None, _read_all(opener, "utf-8", progress)
    except _Undecodable as error:
        line, byte = error.line, error.byte
    try:
        has_text = _read_all(opener, "cp1252", progress)
    except _Undecodable:
        raise InvalidInput(
            f"The file is neither UTF-8 nor Windows-1252 (byte {byte:#04x} on"
            f" line {line}) — save it as UTF-8 CSV and import again"
        ) from None
    note = (
        f"Read as Windows-1252: the file is not valid UTF-8 (from line {line}). Check that"
        " accented names look right in the preview."
    )
    return "cp1252", note, has_text


class _Undecodable(Exception):
    def __init__(self, offset: int, byte: int, line: int):
        self.offset, self.byte, self.line = offset, byte, line


def _read_all(opener: Opener, encoding: str, progress: Progress | None) -> bool:
    """Decode the whole file strictly, a chunk at a time; whether it holds any non-blank text."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = lines = 0
    has_text = False
    size = _size(opener)
    with opener() as handle:
        while True:
            chunk = handle.read(_CHUNK)
            pending = decoder.getstate()[0]
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                data = pending + chunk
                raise _Undecodable(
                    offset - len(pending) + error.start,
                    data[error.start],
                    lines + data.count(b"\n", 0, error.start) + 1,
                ) from None
            has_text = has_text or (bool(text) and not text.isspace())
            if not chunk:
                return has_text
            offset += len(chunk)
            lines += chunk.count(b"\n")
            if progress is not None:
                progress(offset // 1024, size // 1024)


def _size(opener: Opener) -> int:
    with opener() as handle:
        return handle.seek(0, io.SEEK_END)


def _strict(opener: Opener, encoding: str, progress: Progress | None) -> bool:
    try:
        return _read_all(opener, encoding, progress)
    except _Undecodable as error:
        raise InvalidInput(
            f"The file starts with a {encoding} byte-order mark but is not valid {encoding}"
            f" (at byte {error.offset}) — save it again as UTF-8 CSV"
        ) from None


def sniff_delimiter(text: Iterable[str]) -> str:
    """The delimiter the header line uses most, counting only outside quotes (comma if none);
    `text` is the file's text or its chunks."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for chunk in text:
        for char in chunk:
            if char == '"':
                quoted = not quoted
            elif not quoted and char in "\r\n":
                best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
                return best if counts[best] else ","
            elif not quoted and char in counts:
                counts[char] += 1
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_table(data: bytes) -> Table:
    """Parse CSV bytes into a header and rows; raises InvalidInput only for an unusable file."""
    source = CsvFile(lambda: io.BytesIO(data))
    table = Table(source.header, [], source.encoding, source.delimiter, list(source.notes))
    for item in source.items():
        if isinstance(item, Problem):
            table.problems.append(item)
        else:
            table.rows.append(item)
    table.problems.sort(key=lambda problem: problem.line or 0)
    table.blank_lines = source.blank_lines
    table.header_lines = source.header_lines
    table.physical_lines = source.physical_lines
    return table


class CsvFile:
    """A CSV file read as a stream, never held whole: opening it checks the encoding (one pass
    over the bytes) and reads the header; each `items()` reads the file again from the start
    and yields its rows and problems in line order, with the header's names checked. After a
    full `items()`, `blank_lines` and `physical_lines` count the whole file. `opener` must open
    the same bytes each time (a regular file, not a pipe)."""

    def __init__(self, opener: Opener, progress: Progress | None = None):
        self.opener = opener
        self.encoding, encoding_note, has_text = check_encoding(opener, progress)
        if not has_text:
            raise InvalidInput("The file is empty — export the CSV again with a header row")
        with self._text() as text:
            self.delimiter = sniff_delimiter(iter(lambda: text.read(_CHUNK), ""))
        self.blank_lines = self.physical_lines = 0
        events = self._parse()
        header = next((item for item in events if isinstance(item, Row)), None)
        events.close()
        if header is None:
            raise InvalidInput("The file has no header row — the first line must name the columns")
        if header.span > 1 and _swallows(header, self.delimiter, len(header.cells)):
            raise InvalidInput(
                f"The header row: a quote opened on line {header.line} swallows lines"
                f" {header.line}–{header.line + header.span - 1} — close it or remove it"
            )
        self.header, self.notes = _name_columns(header.cells, header.line)
        if encoding_note:
            self.notes.insert(0, encoding_note)
        self.header_lines = header.span
        self.position = 0  # bytes read by the current `items()`, for progress
        self.size = _size(opener)

    @property
    def delimiter_name(self) -> str:
        return _DELIMITER_NAMES[self.delimiter]

    def column(self, name: str) -> int:
        """The index of the column called `name` (any case), or an error listing the columns."""
        return Table(self.header, [], self.encoding, self.delimiter).column(name)

    def items(self) -> Iterator[Row | Problem]:
        """Every record after the header: a Row with as many cells as the header, or the
        Problem that keeps it out (a swallowing quote, a wrong cell count, a reader error)."""
        columns = len(self.header)
        seen_header = False
        for item in self._parse():
            if isinstance(item, Problem):
                yield item
            elif not seen_header:
                seen_header = True
            elif item.span > 1 and _swallows(item, self.delimiter, columns):
                yield _swallow_problem(item)
            elif len(item.cells) == columns:
                yield item
            else:
                yield _cell_count_problem(item, columns)

    def _text(self) -> io.TextIOWrapper:
        return io.TextIOWrapper(self.opener(), encoding=self.encoding, newline="")

    def _parse(self) -> Generator[Row | Problem, None, None]:
        """Run the csv reader in strict mode, turning its errors into per-line problems; every
        row and problem knows the physical lines it took (`reader.line_num` before and after).
        Blank lines are counted, not yielded."""
        previous_limit = csv.field_size_limit(MAX_CELL)
        blanks = 0
        try:
            with self._text() as text:
                raw = cast(BinaryIO, text.buffer)  # the opener's binary file: it can tell()
                reader = csv.reader(text, delimiter=self.delimiter, strict=True)
                while True:
                    start = reader.line_num + 1
                    try:
                        cells = next(reader)
                    except StopIteration:
                        break
                    except csv.Error as error:
                        yield _reader_problem(start, reader.line_num, str(error))
                        continue
                    span = reader.line_num - start + 1
                    if not "".join(cells).strip():  # every cell blank
                        blanks += span
                        continue
                    self.position = raw.tell()
                    yield Row(start, cells, span)
                self.blank_lines, self.physical_lines = blanks, reader.line_num
        finally:
            csv.field_size_limit(previous_limit)


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
