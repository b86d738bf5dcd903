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
import time
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson

from cleantext.errors import InputError, WriteError
from cleantext.textops import atomic_write_bytes

if TYPE_CHECKING:
    from concurrent.futures import Future

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

    def close(self) -> tuple[str, str]:
        """Written out and closed, but neither synced nor in place: ``commit_staged`` does
        both, elsewhere. Its temporary and final names."""
        try:
            self.handle.close()
        except OSError as exc:
            self.abort()
            raise WriteError(str(self.target), f"cannot be written: {exc.strerror}") from None
        return str(self.temp), str(self.target)

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

    def commit(self, defer: bool = False) -> list[tuple[str, str]]:
        """Everything of the shard synced and renamed into place: rejected first, the shard
        last. With ``defer``, the files are only closed, and their (temporary, final) names
        returned in that order, for ``commit_staged`` in the run's main process."""
        if self.fmt == "parquet":
            self._flush_parquet()
            self._parquet.close()
        if self.fmt == "jsonl" and self._main is None:
            self._main = _Staged(self.out / f"{self.shard_id}.jsonl")  # an empty shard
        staged = [s for s in (self._rejected, self._main) if s is not None]
        if defer:
            return [s.close() for s in staged]
        for done in staged:
            done.commit()
        return []

    def abort(self) -> None:
        for staged in (self._main, self._rejected):
            if staged is not None:
                staged.abort()


def commit_staged(staged: Sequence[Sequence[str]]) -> None:
    """Sync each (temporary, final) file and rename it into place, in the order given."""
    for temp, target in staged:
        try:
            handle = os.open(temp, os.O_RDONLY)
            try:
                os.fsync(handle)  # the file's pages, whichever process wrote them
            finally:
                os.close(handle)
            os.replace(temp, target)
        except OSError as exc:
            raise WriteError(target, f"cannot be written: {exc.strerror}") from None


def discard_staged(staged: Sequence[Sequence[str]]) -> None:
    for temp, _ in staged:
        with contextlib.suppress(OSError):
            os.unlink(temp)


class Committer:
    """Makes finished shards durable and records them, on a thread of its own.

    Syncing a shard took a tenth of the time to clean it, all of it waiting on the disk,
    and more when two workers synced at once (their files share the file system's
    journal): two processes cleaning side by side took 6% longer a shard with the syncs
    and 2% without. Here the wait overlaps the cleaning of the next shards. A shard is
    recorded only once synced and in place, so the ledger still never names a shard a crash
    could lose; a shard written but not yet committed is a temporary, swept and redone.
    """

    def __init__(self, ledger: Ledger, depth: int = 16) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._ledger = ledger
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="cleantext-commit")
        self._queued: deque[tuple[Future[None], list[list[str]]]] = deque()
        self._depth = depth  # shards written and not yet committed, at most

    def submit(self, staged: Sequence[Sequence[str]], summary: dict[str, Any]) -> None:
        """Commit ``staged`` (see ``ShardWriter.commit``), then record ``summary``; raises
        the WriteError of an earlier commit that failed."""
        while self._queued and (self._queued[0][0].done() or len(self._queued) >= self._depth):
            self._queued.popleft()[0].result()
        pairs = [list(p) for p in staged]
        self._queued.append((self._thread.submit(self._commit, pairs, summary), pairs))

    def _commit(self, staged: list[list[str]], summary: dict[str, Any]) -> None:
        commit_staged(staged)
        self._ledger.record(summary)

    def close(self) -> None:
        """Wait until every shard submitted is committed and recorded."""
        while self._queued:
            self._queued.popleft()[0].result()
        self._thread.shutdown()

    def abandon(self) -> None:
        """On an interruption or an error: the commit under way finishes, the queued ones
        are dropped with their temporaries (a rerun does those shards again)."""
        for future, staged in self._queued:
            if future.cancel():
                discard_staged(staged)
        self._queued.clear()
        self._thread.shutdown(wait=True, cancel_futures=True)


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
    """Appends one line per finished shard (the shard already synced and in place).

    Each line is flushed at once, so a killed run loses none; it is synced at most once a
    second (group commit), so a crash of the machine loses at most the last second's lines,
    whose shards are then redone. Syncing after every line cost a journal commit a shard,
    which also waits for the workers' pending writes: 1 to 2% of a glossary-only run
    (measured interleaved, 4 runs each of 1 and 2 jobs)."""

    SYNC_EVERY = 1.0  # seconds

    def __init__(self, out: Path) -> None:
        self.path = out / SHARDS_FILE
        self._repair()
        self.handle = self.path.open("a", encoding="utf-8")
        self._synced = time.monotonic()

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
        if time.monotonic() - self._synced >= self.SYNC_EVERY:
            self.sync()

    def sync(self) -> None:
        os.fsync(self.handle.fileno())
        self._synced = time.monotonic()

    def close(self) -> None:
        # the lines are flushed already: a failed last sync can only make a machine crash
        # redo the last shards, and must not hide the error a run may be ending on
        with contextlib.suppress(OSError):
            self.sync()
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
