"""Output shards written atomically, and the manifest that makes a run resumable.

Every shard is written to a hidden temporary name in the output folder and renamed into
place when complete (after an fsync), so an interrupted run leaves finished shards and
stray temporaries, never a half-written shard under its real name. The main process then
appends the shard's summary to ``_shards.jsonl``; a rerun skips every shard listed there
and sweeps the temporaries. ``_run.json`` holds the settings' fingerprint: resuming with
other settings would mix two runs in one folder, so it is refused.

Layout of OUT: ``shard-000000.jsonl`` (or ``.parquet``; or the cleaned files themselves
for ``--format files``), ``_rejected/shard-000000.jsonl`` (dropped and failed documents,
with the reason), ``_run.json``, ``_shards.jsonl``, ``_evidence.json``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from cleantext.errors import InputError, WriteError
from cleantext.textops import atomic_write_bytes

RUN_FILE = "_run.json"
SHARDS_FILE = "_shards.jsonl"
EVIDENCE_FILE = "_evidence.json"
REJECTED_DIR = "_rejected"
FORMATS = ("jsonl", "parquet", "files")
PARQUET_BATCH = 256
_TEMP = ".tmp-"


# orjson encodes a record (its text is most of it) five times faster than json, which
# took a tenth of a corpus run; dates still go through str(), as they did with json.
_ORJSON = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


def dumps(record: dict[str, Any]) -> bytes:
    """One JSON line's bytes (no newline); values JSON does not know (dates from Parquet)
    become strings."""
    try:
        return orjson.dumps(record, default=str, option=_ORJSON)
    except TypeError:  # an integer beyond 64 bits: json writes it
        return json.dumps(record, ensure_ascii=False, default=str).encode("utf-8")


class _Staged:
    """A file written under a temporary name beside its target, renamed in on commit."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.temp = target.with_name(f".{target.name}{_TEMP}{os.getpid()}")
        target.parent.mkdir(parents=True, exist_ok=True)
        self.handle: IO[bytes] = open(self.temp, "wb")  # noqa: SIM115

    def line(self, data: bytes) -> None:
        self.handle.write(data)
        self.handle.write(b"\n")

    def commit(self) -> None:
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.replace(self.temp, self.target)
        except OSError as exc:
            self.abort()
            raise WriteError(str(self.target), f"cannot be written: {exc.strerror}") from None

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.temp)


class ShardWriter:
    """Where one shard's records go: kept ones to the format's shard file, rejected and
    failed ones to ``_rejected/``; nothing is visible under a real name before ``commit``."""

    def __init__(
        self,
        out: Path,
        shard_id: str,
        fmt: str,
        carried: Any = None,
        with_path: bool = False,
        with_original: bool = False,
    ) -> None:
        self.out = out
        self.shard_id = shard_id
        self.fmt = fmt
        self.carried = carried  # Arrow schema of carried Parquet columns, if any
        self.columns = (with_path, with_original)  # the optional record keys, for Parquet
        self._main: _Staged | None = None
        self._rejected: _Staged | None = None
        self._batch: list[dict[str, Any]] = []
        self._parquet: Any = None
        self._files: list[tuple[Path, bytes]] = []

    def keep(self, record: dict[str, Any], data: bytes | None = None, name: str = "") -> None:
        """A kept record; for ``files``, ``data`` is the cleaned document's bytes."""
        if self.fmt == "files":
            atomic_write_bytes(_safe_target(self.out, name), data or b"")
            return
        if self.fmt == "jsonl":
            if self._main is None:
                self._main = _Staged(self.out / f"{self.shard_id}.jsonl")
            self._main.line(dumps(record))
            return
        self._batch.append(record)
        if len(self._batch) >= PARQUET_BATCH:
            self._flush_parquet()

    def reject(self, record: dict[str, Any]) -> None:
        if self._rejected is None:
            self._rejected = _Staged(self.out / REJECTED_DIR / f"{self.shard_id}.jsonl")
        self._rejected.line(dumps(record))

    def _flush_parquet(self) -> None:
        import pyarrow.parquet as pq

        from cleantext.corpus.arrow import to_table

        if not self._batch and self._parquet is not None:
            return
        table = to_table(self._batch, self.carried, *self.columns)
        self._batch = []
        if self._parquet is None:
            self._main = _Staged(self.out / f"{self.shard_id}.parquet")
            self._parquet = pq.ParquetWriter(self._main.handle, table.schema)
        self._parquet.write_table(table)

    def commit(self) -> None:
        """Everything of the shard renamed into place: rejected first, the shard last."""
        if self.fmt == "parquet":
            self._flush_parquet()
            self._parquet.close()
        if self.fmt == "jsonl" and self._main is None:
            self._main = _Staged(self.out / f"{self.shard_id}.jsonl")  # an empty shard
        if self._rejected is not None:
            self._rejected.commit()
        if self._main is not None:
            self._main.commit()

    def abort(self) -> None:
        for staged in (self._main, self._rejected):
            if staged is not None:
                staged.abort()


_UNSAFE = re.compile(r"[^\w.\-]+")


def _safe_target(out: Path, name: str) -> Path:
    """``name`` under ``out``: relative paths kept, anything that could climb out (``..``,
    absolute paths) replaced, so no input id writes outside the output folder."""
    parts = [p for p in Path(name).parts if p not in ("", ".", "..", "/")]
    clean = [_UNSAFE.sub("_", p).strip("._") or "_" for p in parts] or ["_"]
    target = out.joinpath(*clean)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


# --- the manifest ---------------------------------------------------------------------------


def prepare(out: Path, fingerprint: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Make ``out`` ready for a run and return the shards already finished there.

    A new folder gets ``_run.json``; a folder of an earlier run with the same settings is
    resumed (its temporaries swept); one made with other settings is refused.
    """
    out.mkdir(parents=True, exist_ok=True)
    run_file = out / RUN_FILE
    if run_file.exists():
        try:
            previous = json.loads(run_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = None
        if previous != fingerprint:
            changed = _changed(previous, fingerprint)
            raise InputError(
                str(out),
                f"holds a run with other settings ({changed}); use another output folder "
                "or delete this one",
            )
    else:
        if any(out.iterdir()):
            raise InputError(str(out), "is not empty and holds no cleantext corpus run")
        atomic_write_bytes(run_file, (json.dumps(fingerprint, indent=1) + "\n").encode())
    sweep(out)
    return finished(out)


def _changed(previous: Any, current: dict[str, Any]) -> str:
    if not isinstance(previous, dict):
        return f"unreadable {RUN_FILE}"
    keys = sorted(k for k in set(previous) | set(current) if previous.get(k) != current.get(k))
    return ", ".join(keys) or "?"


def sweep(out: Path) -> None:
    """Remove temporaries an interrupted run left behind."""
    for folder in (out, out / REJECTED_DIR):
        if folder.is_dir():
            for stale in folder.glob(f".*{_TEMP}*"):
                with contextlib.suppress(OSError):
                    stale.unlink()


def finished(out: Path) -> dict[str, dict[str, Any]]:
    """Summaries of the shards recorded as done (a torn last line is ignored)."""
    path = out / SHARDS_FILE
    done: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return done
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                done[entry["id"]] = entry
    return done


class Ledger:
    """Appends one line per finished shard, synced, so a crash loses at most the shard
    that was being recorded (which is then redone)."""

    def __init__(self, out: Path) -> None:
        self.path = out / SHARDS_FILE
        self._repair()
        self.handle = self.path.open("a", encoding="utf-8")

    def _repair(self) -> None:
        """A line torn by a crash would glue onto the next one: end it first."""
        if self.path.exists() and self.path.stat().st_size:
            with self.path.open("rb") as handle:
                handle.seek(-1, os.SEEK_END)
                last = handle.read(1)
            if last != b"\n":
                with self.path.open("ab") as handle:
                    handle.write(b"\n")

    def record(self, summary: dict[str, Any]) -> None:
        self.handle.write(json.dumps(summary, sort_keys=True) + "\n")
        self.handle.flush()
        os.fsync(self.handle.fileno())

    def close(self) -> None:
        self.handle.close()


def shard_files(out: Path) -> Iterator[Path]:
    """The finished output shards, in order (for reading a run back)."""
    yield from sorted(p for p in out.glob("shard-*") if p.is_file())


def merge_rejected(out: Path, target: Path) -> int:
    """Every rejected shard concatenated into ``target`` (atomically); lines written."""
    lines = 0
    staged = _Staged(target)
    try:
        for part in sorted((out / REJECTED_DIR).glob("shard-*.jsonl")):
            with part.open("rb") as handle:
                for line in handle:
                    staged.handle.write(line)
                    lines += 1
        staged.commit()
    except BaseException:
        staged.abort()
        raise
    return lines
