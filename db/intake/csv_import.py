"""Reading grids, households and staff from the CSV files operators keep.

The files come out of Excel or WPS: UTF-8 with or without BOM, GBK, or
UTF-16 "Unicode text", with Chinese or English headers and the odd remark in
the header cell. This module turns one into plain Input records, each with
the physical line it started on, so every problem can be reported as
FILE:LINE: column. It knows no language: errors carry catalogue keys.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field, fields
from operator import itemgetter
from pathlib import Path
from typing import Any, TextIO

from db import fields as rules
from db.audit import trail as audit
from db.errors import CmdpostError
from db.fields import FieldError
from db.grids import writes
from db.grids.household_writes import temp_on_disk, upsert_household_batches
from db.models import database_proxy
from db.records import GridInput, HouseholdInput, RowProblem, StaffInput, WriteOutcome

# progress(stage, done, total); stage is "read" or "write".
StageProgress = Callable[[str, int, int], None]
READ_STEP = 5_000


Check = Callable[[str, str], object]


@dataclass(frozen=True)
class Column:
    field: str  # the name db/grids/writes uses in RowProblem.column
    argument: str  # the Input dataclass field it fills
    required: bool
    synonyms: tuple[str, ...]
    check: Check  # the value's own rule, as db/grids/writes applies it


def _col(name: str, synonyms: str, check: Check, required: bool = False, argument: str = "") -> Column:
    return Column(name, argument or name, required, tuple(synonyms.split("|")), check)


def _text(max_len: int, required: bool = False) -> Check:
    rule = rules.required_text if required else rules.optional_text
    return lambda raw, column: rule(raw, column, max_len)


def _zone(raw: str, column: str) -> object:
    return rules.zone(raw, column, default=None) if rules.clean(raw) else ""


PHONE = "联系电话|电话|手机|手机号|手机号码|联系方式|电话号码|phone|mobile|tel|telephone"
NOTE = "备注|说明|note|notes|remark|remarks"

KINDS: dict[str, tuple[type, tuple[Column, ...]]] = {
    "grids": (
        GridInput,
        (
            _col("code", "网格编码|编码|网格编号|编号|code|grid code|grid", rules.grid_code, required=True),
            _col("name", "网格名称|名称|name|grid name", _text(60, required=True), required=True),
            _col("zone", "区域状态|状态|区域|封控状态|zone|status|zone status", _zone),
        ),
    ),
    "households": (
        HouseholdInput,
        (
            _col(
                "grid",
                "网格|网格编码|网格编号|所属网格|grid|grid code",
                rules.grid_code,
                required=True,
                argument="grid_code",
            ),
            _col(
                "door", "门牌号|门牌|门牌号码|房号|door|door number", _text(40, required=True), required=True
            ),
            _col(
                "people", "人数|人口|人口数|家庭人数|people|persons|head count", rules.people, required=True
            ),
            _col("phone", PHONE, rules.phone),
            _col("head_name", "户主|户主姓名|联系人|姓名|head|head name|householder|name", _text(30)),
            _col(
                "care_tags",
                "特殊人群|特殊群众|关爱对象|重点人群|care|care tags|special care",
                rules.care_tags,
            ),
            _col("note", NOTE, _text(200)),
        ),
    ),
    "staff": (
        StaffInput,
        (
            _col("name", "姓名|名字|name", _text(30, required=True), required=True),
            _col("role", "角色|岗位|职务|身份|role", rules.role, required=True),
            _col(
                "birth_year",
                "出生年份|出生年|出生日期|出生年月|birth year|year of birth|born",
                rules.birth_year,
            ),
            _col("party_member", "党员|是否党员|政治面貌|party member|party", rules.yes_no),
            _col(
                "home_grid",
                "所属网格|网格|网格编码|网格编号|home grid|grid",
                rules.grid_code,
                required=True,
                argument="home_grid_code",
            ),
            _col("phone", PHONE, rules.phone),
            _col(
                "last_negative_test",
                "最近核酸日期|核酸日期|最近核酸|核酸检测日期|last negative test|test date|last test",
                rules.iso_date,
            ),
            _col("team", "支援队伍|队伍|所属队伍|team", _text(40)),
            _col("note", NOTE, _text(200)),
        ),
    ),
}


class CsvFileError(CmdpostError):
    """The file as a whole cannot be imported; ``line`` is set when one line is to blame."""

    def __init__(self, key: str, line: int | None = None, **params: object) -> None:
        super().__init__(key, **params)
        self.line = line


@dataclass(frozen=True)
class CsvTable:
    """A file's rows held in memory (``parse``); a file on disk is streamed instead (``CsvFile``)."""

    kind: str
    rows: list  # GridInput | HouseholdInput | StaffInput, in file order
    lines: list[int]  # physical line each row starts on (the header is line 1)
    headers: dict[str, str]  # field -> header cell as written in the file
    ignored: tuple[str, ...]  # header cells that match no column
    encoding: str
    row_problems: tuple[ImportProblem, ...] = ()

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def empty(self) -> bool:
        return not self.rows

    def batches(self, size: int) -> Iterator[list]:
        for start in range(0, len(self.rows), size):
            yield self.rows[start : start + size]

    def locate(self, indexes: set[int]) -> dict[int, tuple[int, object]]:
        """index -> (physical line, row), for the rows a problem names."""
        return {i: (self.lines[i], self.rows[i]) for i in indexes if 0 <= i < len(self.rows)}


@dataclass(frozen=True)
class ImportProblem:
    line: int
    column: str  # header text as written in the file
    key: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ImportResult:
    table: CsvTable | CsvFile
    outcome: WriteOutcome | None  # None when there were problems
    problems: tuple[ImportProblem, ...] = ()


def header_key(text: str) -> str:
    """What a header cell means, whatever its width, case, spacing or remark: "人数(必填)" -> "人数"."""
    key = unicodedata.normalize("NFKC", text).strip().lower()
    key = re.sub(r"\s*[(\[【〔][^()\[\]【】〔〕]*[)\]】〕]\s*$", "", key)
    return re.sub(r"[\s_\-*]+", "", key)


_SYNONYMS = {
    kind: {header_key(s): c for c in columns for s in c.synonyms} for kind, (_, columns) in KINDS.items()
}
# Control characters that never occur in text a spreadsheet writes.
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _encodings_to_try(head: bytes) -> tuple[str, ...]:
    """The encodings a file starting with `head` (4 bytes) may be in, by its byte-order mark; raises
    CsvFileError for an Excel workbook. Shared by decode() and the streamed sniff_encoding()."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ("utf-16",)
    if head.startswith(b"\xef\xbb\xbf"):
        return ("utf-8-sig",)
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise CsvFileError("import.excel_file")
    return ("utf-8", "gb18030")  # gb18030 is the superset of GBK that Excel on Chinese Windows writes


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read with; raises CsvFileError for non-text."""
    candidates = _encodings_to_try(data[:4])
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _BINARY.search(text):
            return text, encoding
    raise CsvFileError("import.not_text")


# A county's 155,000 households take about 12 MB as CSV, a million about 80 MB. A file many times
# that is a wrong pick (a video, a disk image, a whole-province export) and is refused before it is
# read at all. A file is streamed (CsvFile), so the limit is not a memory bound.
MAX_BYTES = 512 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024
WHOLE_MAX_BYTES = 64 * 1024 * 1024  # a pipe or device, read whole: here the limit bounds memory


def read_bytes(path: str | Path, max_bytes: int = WHOLE_MAX_BYTES) -> bytes:
    try:
        with Path(path).open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            # A pipe or device reports no size: read one byte past the limit to find out.
            data = b"" if size > max_bytes else fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise CsvFileError("import.no_file") from None
    except IsADirectoryError:
        raise CsvFileError("import.is_directory") from None
    except OSError as exc:
        raise CsvFileError("import.unreadable", reason=exc.strerror or str(exc)) from None
    if size > max_bytes or len(data) > max_bytes:
        raise CsvFileError(
            "reliability.import_too_large",
            size=max(size, len(data)) // (1024 * 1024),
            max=max_bytes // (1024 * 1024),
        )
    return data


def _map_headers(kind: str, header: list[str]) -> tuple[dict[str, int], dict[str, str], tuple[str, ...]]:
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    ignored = []
    for index, cell in enumerate(header):
        text = cell.strip()
        column = _SYNONYMS[kind].get(header_key(text))
        if column is None:
            if text:
                ignored.append(text)
            continue
        if column.field in positions:
            raise CsvFileError("import.duplicate_column", line=1, first=written[column.field], second=text)
        positions[column.field] = index
        written[column.field] = text
    for column in KINDS[kind][1]:
        if column.required and column.field not in positions:
            english = next(s for s in column.synonyms if s.isascii())
            raise CsvFileError(
                "import.missing_column",
                line=1,
                column=column.synonyms[0],
                also="、".join((*column.synonyms[1:3], english)),
                found="、".join(c.strip() for c in header[:8] if c.strip()),
            )
    return positions, written, tuple(ignored)


class _Reader:
    """The header of a CSV text stream, then its rows one at a time: (physical line, Input row)."""

    def __init__(self, stream: TextIO, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(kind)
        first_line = stream.readline()
        stream.seek(0)
        delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
        self.reader = csv.reader(stream, delimiter=delimiter)
        header = next(self.reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise CsvFileError("import.no_header", line=1)
        self.positions, self.headers, self.ignored = _map_headers(kind, header)
        make, columns = KINDS[kind]
        # Cells are padded by one None that every column absent from the file reads from:
        # an absent column leaves the stored value alone, where a blank cell clears it.
        self.width = width = len(header)
        source = {c.argument: self.positions.get(c.field, width) for c in columns}
        self.make, self.pick = make, itemgetter(*(source[f.name] for f in fields(make)))
        self.last_header = next(cell.strip() for cell in reversed(header) if cell.strip())
        self.extra: list[ImportProblem] = []

    def records(self) -> Iterator[tuple[int, object]]:
        width, reader = self.width, self.reader
        start = reader.line_num + 1
        lines: Iterator[list[Any]] = reader  # each line's cells get the None absent columns read (__init__)
        for cells in lines:
            if "".join(cells).strip():
                if len(cells) == width:
                    cells.append(None)
                else:
                    if len(cells) > width and "".join(cells[width:]).strip():
                        # Usually an unquoted comma in a value: everything after it moved one column right.
                        self.extra.append(
                            ImportProblem(
                                start,
                                self.last_header,
                                "import.extra_values",
                                {"count": len(cells), "expected": width},
                            )
                        )
                    cells = (cells + [""] * width)[:width] + [None]
                yield start, self.make(*self.pick(cells))
            start = reader.line_num + 1


def parse(text: str, kind: str, encoding: str = "utf-8", progress: StageProgress | None = None) -> CsvTable:
    """Turn decoded text into a CsvTable; values are left raw for db/grids/writes to check."""
    reader = _Reader(io.StringIO(text, newline=""), kind)
    total_lines = text.count("\n") + 1
    rows, lines = [], []
    for line, row in reader.records():
        rows.append(row)
        lines.append(line)
        if progress and len(rows) % READ_STEP == 0:
            progress("read", line, total_lines)
    if progress:
        progress("read", total_lines, total_lines)
    return CsvTable(kind, rows, lines, reader.headers, reader.ignored, encoding, tuple(reader.extra))


class CsvFile:
    """A CSV file read as it is written: only a batch of rows is ever held (issue 18: a 1M-row file
    took 1 GB when read whole). Same reading as CsvTable; ``rows`` and ``lines`` read it all, for
    small files and tests only."""

    def __init__(
        self, path: Path, kind: str, encoding: str, size: int, progress: StageProgress | None
    ) -> None:
        self.path, self.kind, self.encoding, self.size, self.progress = path, kind, encoding, size, progress
        with self._open() as stream:
            reader = _Reader(stream, kind)
            self.headers, self.ignored = reader.headers, reader.ignored
            self.empty = next(reader.records(), None) is None
        self.count = 0
        self.row_problems: tuple[ImportProblem, ...] = ()

    def _open(self) -> TextIO:
        return self.path.open(encoding=self.encoding, newline="")

    def records(self) -> Iterator[tuple[int, object]]:
        """(line, row) of every row; counts them and collects the lines with too many values."""
        with self._open() as stream:
            reader = _Reader(stream, self.kind)
            count = 0
            for count, record in enumerate(reader.records(), 1):
                yield record
                if self.progress and count % READ_STEP == 0:
                    self.progress("read", stream.buffer.tell(), self.size)
            self.count, self.row_problems = count, tuple(reader.extra)
            if self.progress:
                self.progress("read", self.size, self.size)

    def batches(self, size: int) -> Iterator[list]:
        batch: list = []
        for _, row in self.records():
            batch.append(row)
            if len(batch) == size:
                yield batch
                batch = []
        if batch:
            yield batch

    def locate(self, indexes: set[int]) -> dict[int, tuple[int, object]]:
        found = {}
        for index, record in enumerate(self.records()):
            if index in indexes:
                found[index] = record
        return found

    @property
    def rows(self) -> list:
        return [row for _, row in self.records()]

    @property
    def lines(self) -> list[int]:
        return [line for line, _ in self.records()]


def sniff_encoding(path: Path) -> str:
    """The encoding a file decodes in without error or binary bytes (decode()'s choice), read in
    chunks: a whole file is never held."""
    with path.open("rb") as fh:
        head = fh.read(4)
    candidates = _encodings_to_try(head)
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(CHUNK_BYTES):
                    if _BINARY.search(decoder.decode(chunk)):
                        break
                else:
                    if not _BINARY.search(decoder.decode(b"", final=True)):
                        return encoding
        except UnicodeDecodeError:
            continue
    raise CsvFileError("import.not_text")


def read_csv(path: str | Path, kind: str, progress: StageProgress | None = None) -> CsvTable | CsvFile:
    """A file to import: streamed from disk, or read whole when it is a pipe or device (which
    cannot be read twice), up to MAX_BYTES either way."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise CsvFileError("import.no_file") from None
    except OSError as exc:
        raise CsvFileError("import.unreadable", reason=exc.strerror or str(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise CsvFileError("import.is_directory")
    if not stat.S_ISREG(info.st_mode):
        text, encoding = decode(read_bytes(path))
        return parse(text, kind, encoding, progress)
    if info.st_size > MAX_BYTES:
        raise CsvFileError(
            "reliability.import_too_large", size=info.st_size // (1024 * 1024), max=MAX_BYTES // (1024 * 1024)
        )
    try:
        return CsvFile(path, kind, sniff_encoding(path), info.st_size, progress)
    except PermissionError as exc:
        raise CsvFileError("import.unreadable", reason=exc.strerror or str(exc)) from None


def _with_value_problems(
    table: CsvTable | CsvFile, refused: list[RowProblem], found_rows: dict[int, tuple[int, object]]
) -> list[RowProblem]:
    """Add every other bad value of the refused rows: db/grids/writes stops at the first one in each row
    (a row it did not refuse has none). Run only once a write has refused the batch."""
    seen = {(p.index, p.column) for p in refused}
    columns = [c for c in KINDS[table.kind][1] if c.field in table.headers]
    found = list(refused)
    for index in sorted({p.index for p in refused}):
        row = found_rows[index][1]
        for column in columns:
            if (index, column.field) in seen:
                continue
            try:
                column.check(getattr(row, column.argument), column.field)
            except FieldError as err:
                found.append(RowProblem(index, err.column, err.key, err.params))
    return found


def _problems(table: CsvTable | CsvFile, refused: list[RowProblem]) -> list[ImportProblem]:
    """The write's problems with every other bad value of their rows, by physical line and header."""
    wanted = {p.index for p in refused} | {p.params["first"] - 1 for p in refused if "first" in p.params}
    found_rows = table.locate(wanted)  # a streamed file is read once more, only when refused
    problems = []
    for problem in _with_value_problems(table, refused, found_rows):
        key, params = problem.key, dict(problem.params)
        if "first" in params:
            # db/grids/writes counts entries; an operator looking at the file counts lines.
            params["first"] = found_rows[params["first"] - 1][0]
            key = "import." + key.rsplit(".", 1)[-1]
        problems.append(
            ImportProblem(
                found_rows[problem.index][0], table.headers.get(problem.column, problem.column), key, params
            )
        )
    return problems


class _Refused(Exception):
    """Lines with too many values, found while streaming: roll back what was written."""


def write_table(
    table: CsvTable | CsvFile, *, actor: str, dry_run: bool = False, progress: StageProgress | None = None
) -> ImportResult:
    """Write every row or none; the database must be open (db.connection.open_database).

    Households are written a batch at a time as the file is read, in one transaction; grids and
    staff (thousands, not millions) are read whole first."""
    on_write = (lambda done, total: progress("write", done, total)) if progress else None
    # The trail gets one entry for the new rows (kind and count), and each changed row in full;
    # the entry commits with the rows or not at all.
    details: dict[str, object] = {"kind": table.kind}
    # Rows already known bad still go through the write's checks, so one run reports everything.
    quiet = dry_run or bool(table.row_problems)
    summary = nullcontext(details) if quiet else audit.inserts_summarised("import", details)
    problems: list[ImportProblem] = []
    try:
        with temp_on_disk(), database_proxy.atomic(), summary:
            if table.kind == "grids":
                outcome = writes.upsert_grids(table.rows, actor=actor, dry_run=quiet)
            elif table.kind == "households":
                outcome = upsert_household_batches(
                    table.batches(writes.BATCH), dry_run=quiet, progress=on_write
                )
            else:
                outcome = writes.upsert_staff(table.rows, actor=actor, dry_run=quiet, progress=on_write)
            if table.row_problems and not quiet:
                raise _Refused
            details.update(rows=table.count, created=outcome.created, updated=outcome.updated)
    except writes.BatchError as err:
        problems += _problems(table, err.problems)
    except _Refused:
        pass
    problems += table.row_problems
    if problems:
        order = {text: position for position, text in enumerate(table.headers.values())}
        problems.sort(key=lambda p: (p.line, order.get(p.column, len(order))))
        return ImportResult(table, None, tuple(problems))
    return ImportResult(table, outcome)


def import_csv(
    path: str | Path, kind: str, *, actor: str, dry_run: bool = False, progress: StageProgress | None = None
) -> ImportResult:
    """Read and write one file: the whole import, for callers that hold an open database."""
    return write_table(read_csv(path, kind, progress), actor=actor, dry_run=dry_run, progress=progress)
