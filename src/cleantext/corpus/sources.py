"""Streaming readers and the shard plan: a folder of text files, JSON Lines, or Parquet.

A run is cut into shards (a few thousand documents or a few megabytes each) whose ids
depend only on the input and the shard size, so that a rerun finds the same shards and
skips the finished ones. A shard is a small description (files, a byte range of a JSON
Lines file, rows of a Parquet row group); the worker that runs it reads its documents
itself, one at a time, so neither the plan nor a worker ever holds the corpus.

A document that cannot be read (not UTF-8, not JSON, no text field) is yielded as a
``Failure`` naming the file and line or row, never raised: one bad document must not stop
a run over millions.
"""

from __future__ import annotations

import fnmatch
import json
import os
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cleantext import document
from cleantext.errors import InputError

KINDS = ("text", "jsonl", "parquet")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet", ".pq")
_CHUNK = 1 << 20
# The last TAIL_SHARDS shards of a run are cut into up to TAIL_PARTS parts each (see
# ``_finer_tail``). A change to how shards are cut changes their ids: PLAN is part of a
# run's fingerprint, so a folder planned the old way is not resumed the new way.
TAIL_SHARDS = 8
TAIL_PARTS = 4
PLAN = 2


@dataclass(frozen=True, slots=True)
class Shard:
    """One unit of work and of output. ``files`` (text) are relative to ``root``; a JSON
    Lines shard is the bytes ``start:stop`` of ``path`` (its first line numbered ``line``);
    a Parquet shard is rows ``start:stop`` of row group ``group`` of ``path``."""

    id: str
    kind: str
    root: str
    files: tuple[str, ...] = ()
    path: str = ""
    start: int = 0
    stop: int = 0
    line: int = 1
    group: int = 0
    size: int = 0  # input bytes, for MB/s
    docs: int = 0  # documents (or lines, or rows) it covers


@dataclass(frozen=True, slots=True)
class Doc:
    """A document as read: its id, text, every other input field, and where it came from.
    ``bom`` is kept for text files so that a cleaned copy keeps it."""

    id: str
    text: str
    where: str
    fields: dict[str, Any] = field(default_factory=dict)
    path: str | None = None
    bom: bool = False
    size: int = 0


@dataclass(frozen=True, slots=True)
class Failure:
    """A document that could not be read, and why; it becomes an error record."""

    id: str
    where: str
    reason: str


Item = Doc | Failure


def detect_kind(root: Path, requested: str = "auto") -> str:
    """What ``root`` holds: a named kind, or by suffix (a folder by the files in it)."""
    if requested != "auto":
        return requested
    if root.is_file():
        return _kind_of(root.name) or "text"
    for _, _, names in os.walk(root):
        kinds = {_kind_of(n) for n in names} - {None}
        if kinds == {"jsonl"} or kinds == {"parquet"}:
            return kinds.pop() or "text"
        if kinds:
            break
    return "text"


def _kind_of(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(PARQUET_SUFFIXES):
        return "parquet"
    return None


def walk(root: Path, patterns: Sequence[str], skip: Path | None = None) -> Iterator[Path]:
    """Files under ``root`` whose names match one of ``patterns``, in a fixed order (sorted
    folder by folder, so the listing streams), leaving out ``skip`` (the output folder)."""
    if root.is_file():
        yield root
        return
    skipped = skip.resolve() if skip is not None else None
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if skipped is None or (here / d).resolve() != skipped)
        for name in sorted(names):
            if any(fnmatch.fnmatch(name, p) for p in patterns):
                yield here / name


def plan(
    root: Path,
    kind: str,
    patterns: Sequence[str],
    shard_docs: int,
    shard_bytes: int,
    skip: Path | None = None,
    text_field: str = "text",
) -> Iterator[Shard]:
    """The shards of a run, in order, numbered from 0; lazily, as the input is listed.
    A Parquet file without the text column is an error here, before any work starts."""
    if kind not in KINDS:
        raise InputError(str(root), f"unknown input format {kind!r}")
    if not root.exists():
        raise InputError(str(root), "no such file or folder")
    if kind == "text":
        pieces = _text_shards(root, patterns, shard_docs, shard_bytes, skip)
    else:
        suffixes = JSONL_SUFFIXES if kind == "jsonl" else PARQUET_SUFFIXES
        files = walk(root, [f"*{s}" for s in suffixes], skip)
        if kind == "jsonl":
            pieces = (s for p in files for s in _jsonl_shards(root, p, shard_docs, shard_bytes))
        else:
            pieces = (
                s
                for p in files
                for s in _parquet_shards(root, p, shard_docs, shard_bytes, text_field)
            )
    for number, piece in enumerate(_finer_tail(pieces, shard_bytes)):
        yield _numbered(piece, number)


def _finer_tail(pieces: Iterator[Shard], shard_bytes: int) -> Iterator[Shard]:
    """The pieces, with the last ``TAIL_SHARDS`` of them cut into parts of at least a
    quarter of ``shard_bytes`` (``_cut``).

    A run ends when its last shard does: while one worker finishes it, the others have
    nothing left to do, for up to a whole shard's time. Small shards at the end shorten
    that wait to a fraction, without the cost of small shards everywhere (more files, more
    commits). Only the input and the shard size decide where the cuts fall, never
    ``--jobs``, so a run planned on one pool resumes on another. The plan streams still:
    it holds back ``TAIL_SHARDS`` descriptions, not documents.
    """
    held: deque[Shard] = deque()
    for piece in pieces:
        held.append(piece)
        if len(held) > TAIL_SHARDS:
            yield held.popleft()
    for piece in held:
        yield from _cut(piece, shard_bytes)


def _cut(piece: Shard, shard_bytes: int) -> list[Shard]:
    """``piece`` as up to ``TAIL_PARTS`` consecutive shards of similar size; whole, when it is
    too small to be worth cutting or its input cannot be read again (reading it reports
    that)."""
    parts = min(TAIL_PARTS, piece.docs, piece.size * TAIL_PARTS // max(1, shard_bytes))
    if parts < 2:
        return [piece]
    try:
        if piece.kind == "text":
            return _cut_text(piece, parts)
        if piece.kind == "jsonl":
            return _cut_jsonl(piece, parts)
    except OSError:
        return [piece]
    return _cut_rows(piece, parts)


def balanced(weights: Sequence[int], parts: int) -> list[tuple[int, int]]:
    """``weights`` cut into at most ``parts`` consecutive, non-empty runs of similar sums:
    each a ``(start, stop)`` index range, together covering every index in order. An item
    goes to the run its middle falls in, so equal weights split evenly."""
    total = sum(weights)
    runs: list[tuple[int, int]] = []
    start = acc = current = 0
    for i, weight in enumerate(weights):
        # by weight; all weights 0: by count. An item of weight 0 at the very end has its
        # middle at the total itself: it belongs to the last run, not to one past it
        by = (2 * acc + weight) * parts // (2 * total) if total else i * parts // len(weights)
        run = min(by, parts - 1)
        if run > current and i > start:
            runs.append((start, i))
            start, current = i, run
        acc += weight
    runs.append((start, len(weights)))
    return runs


def _cut_text(piece: Shard, parts: int) -> list[Shard]:
    sizes = [(Path(piece.root) / name).stat().st_size for name in piece.files]
    return [
        replace(piece, files=piece.files[a:b], size=sum(sizes[a:b]), docs=b - a)
        for a, b in balanced(sizes, parts)
    ]


def _cut_jsonl(piece: Shard, parts: int) -> list[Shard]:
    """Cut at line ends, as the plan does; each part keeps its first line's number."""
    with open(piece.path, "rb") as handle:
        handle.seek(piece.start)
        data = handle.read(piece.stop - piece.start)
    ends = [i + 1 for i in _newlines(data)]
    if not ends or ends[-1] != len(data):
        ends.append(len(data))  # a last line without its line end
    if len(data) != piece.size or len(ends) != piece.docs:
        return [piece]  # the file changed since it was planned: reading it will tell
    starts = [0, *ends[:-1]]
    out = []
    for a, b in balanced([e - s for s, e in zip(starts, ends, strict=True)], parts):
        lo, hi = piece.start + starts[a], piece.start + ends[b - 1]
        out.append(replace(piece, start=lo, stop=hi, line=piece.line + a, size=hi - lo, docs=b - a))
    return out


def _newlines(data: bytes) -> Iterator[int]:
    at = data.find(b"\n")
    while at != -1:
        yield at
        at = data.find(b"\n", at + 1)


def _cut_rows(piece: Shard, parts: int) -> list[Shard]:
    """Rows of one Parquet row group, cut evenly (the plan sizes them by the group's
    average row)."""
    per_row = piece.size // max(1, piece.docs)
    out = []
    for a, b in balanced([1] * piece.docs, parts):
        out.append(
            replace(
                piece,
                start=piece.start + a,
                stop=piece.start + b,
                size=per_row * (b - a),
                docs=b - a,
            )
        )
    return out


def _numbered(shard: Shard, number: int) -> Shard:
    return replace(shard, id=f"shard-{number:06d}")


def _text_shards(
    root: Path, patterns: Sequence[str], docs: int, limit: int, skip: Path | None
) -> Iterator[Shard]:
    base = root if root.is_dir() else root.parent
    files: list[str] = []
    size = 0
    for path in walk(root, list(patterns) or ["*.txt"], skip):
        files.append(path.relative_to(base).as_posix())
        size += path.stat().st_size
        if len(files) >= docs or size >= limit:
            yield Shard("", "text", str(base), tuple(files), size=size, docs=len(files))
            files, size = [], 0
    if files:
        yield Shard("", "text", str(base), tuple(files), size=size, docs=len(files))


def _jsonl_shards(root: Path, path: Path, docs: int, limit: int) -> Iterator[Shard]:
    """Byte ranges of whole lines: the file is scanned for line ends in 1 MB chunks."""
    base = str(root if root.is_dir() else root.parent)
    start, line, lines, pos = 0, 1, 0, 0
    last = b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            last = chunk[-1:]
            at = 0
            while (nl := chunk.find(b"\n", at)) != -1:
                at = nl + 1
                lines += 1
                end = pos + at
                if lines >= docs or end - start >= limit:
                    yield _jsonl_shard(base, path, start, end, line, lines)
                    start, line, lines = end, line + lines, 0
            pos += len(chunk)
    if pos > start:
        # a last line without its line end is a document too
        yield _jsonl_shard(base, path, start, pos, line, lines + (last != b"\n"))


def _jsonl_shard(base: str, path: Path, start: int, stop: int, line: int, docs: int) -> Shard:
    """Bytes ``start:stop`` of ``path``, ``docs`` lines from line number ``line``."""
    return Shard(
        "",
        "jsonl",
        base,
        path=str(path),
        start=start,
        stop=stop,
        line=line,
        size=stop - start,
        docs=docs,
    )


def _parquet_shards(
    root: Path, path: Path, docs: int, limit: int, text_field: str
) -> Iterator[Shard]:
    """Row ranges inside row groups (a shard never spans two groups)."""
    import pyarrow.parquet as pq

    base = str(root if root.is_dir() else root.parent)
    try:
        handle = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own error types for a damaged file
        raise InputError(str(path), f"not a readable Parquet file: {exc}") from None
    if text_field not in handle.schema_arrow.names:
        raise InputError(str(path), f"no column {text_field!r} (see --field)")
    meta = handle.metadata
    for group in range(meta.num_row_groups):
        info = meta.row_group(group)
        rows = info.num_rows
        per_row = max(1, info.total_byte_size // max(1, rows))
        step = max(1, min(docs, limit // per_row))
        for start in range(0, rows, step):
            stop = min(rows, start + step)
            yield Shard(
                "",
                "parquet",
                base,
                path=str(path),
                start=start,
                stop=stop,
                group=group,
                size=per_row * (stop - start),
                docs=stop - start,
            )


# --- reading one shard ------------------------------------------------------------------


def read(shard: Shard, text_field: str = "text") -> Iterator[Item]:
    """The documents of one shard, in order, each a Doc or a Failure."""
    if shard.kind == "text":
        return _read_text(shard)
    if shard.kind == "jsonl":
        return _read_jsonl(shard, text_field)
    return _read_parquet(shard, text_field)


def _read_text(shard: Shard) -> Iterator[Item]:
    for name in shard.files:
        path = Path(shard.root) / name
        try:
            doc = document.load(path)
        except InputError as exc:
            yield Failure(name, str(path), _reason(exc))
            continue
        yield Doc(name, doc.text, name, path=name, bom=doc.bom, size=path.stat().st_size)


def _reason(exc: InputError) -> str:
    where = "" if exc.line is None else f"line {exc.line}: "
    return where + exc.message


def _display(shard: Shard) -> str:
    path = Path(shard.path)
    try:
        return path.relative_to(shard.root).as_posix()
    except ValueError:
        return path.name


def _read_jsonl(shard: Shard, text_field: str) -> Iterator[Item]:
    name = _display(shard)
    with open(shard.path, "rb") as handle:
        handle.seek(shard.start)
        pos, number = shard.start, shard.line
        while pos < shard.stop:
            raw = handle.readline()
            if not raw:
                break
            pos += len(raw)
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if raw.strip():
                yield _jsonl_item(raw, name, number, text_field)
            number += 1


def _jsonl_item(raw: bytes, name: str, number: int, text_field: str) -> Item:
    where = f"{name}:{number}"
    try:
        row = json.loads(raw)
    except UnicodeDecodeError as exc:
        return Failure(where, where, f"not UTF-8 (byte 0x{raw[exc.start]:02x})")
    except ValueError as exc:
        return Failure(where, where, f"not valid JSON: {exc}")
    if not isinstance(row, dict):
        return Failure(where, where, f"a line is a JSON object, not {type(row).__name__}")
    return _row_item(row, where, text_field, len(raw))


def _row_item(row: dict[str, Any], where: str, text_field: str, size: int) -> Item:
    raw_id = row.get("id")
    doc_id = str(raw_id) if isinstance(raw_id, str | int) and raw_id != "" else where
    if text_field not in row:
        return Failure(doc_id, where, f"no field {text_field!r}")
    text = row[text_field]
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Failure(doc_id, where, f"field {text_field!r} is not UTF-8 (at {exc.start})")
    if not isinstance(text, str):
        kind = "null" if text is None else type(text).__name__
        return Failure(doc_id, where, f"field {text_field!r} is {kind}, not a string")
    fields = {k: v for k, v in row.items() if k != text_field}
    return Doc(doc_id, text, where, fields, size=size)


def _read_parquet(shard: Shard, text_field: str) -> Iterator[Item]:
    import pyarrow.parquet as pq

    name = _display(shard)
    handle = pq.ParquetFile(shard.path)
    if text_field not in handle.schema_arrow.names:
        raise InputError(shard.path, f"no column {text_field!r}")
    row = 0
    for batch in handle.iter_batches(batch_size=256, row_groups=[shard.group]):
        if row + batch.num_rows <= shard.start:
            row += batch.num_rows
            continue
        for values in batch.to_pylist():
            if shard.start <= row < shard.stop:
                where = f"{name}:row {shard_row(shard, row)}"
                text = values.get(text_field)
                size = len(text.encode("utf-8")) if isinstance(text, str) else 0
                yield _row_item(values, where, text_field, size)
            row += 1
        if row >= shard.stop:
            return


def shard_row(shard: Shard, row: int) -> str:
    """A row's place for messages: ``group/row`` within the file's row groups."""
    return f"{shard.group}/{row}"


def parquet_schema(shard: Shard, text_field: str) -> Any:
    """The input's Arrow schema without the text column: how carried fields are typed."""
    import pyarrow.parquet as pq

    schema = pq.ParquetFile(shard.path).schema_arrow
    return schema.remove(schema.get_field_index(text_field))
