"""One shard in, one output shard out: what a pool process or a Dask worker runs.

The glossary and rules are compiled once per process (``compiled`` is cached on the
settings that name them), and so is the run's name evidence (read from the output folder,
where the first pass left it), so a task carries only its shard's description and the
settings, never texts or compiled rules. A document that fails to read or to clean becomes
an error record with its id and reason; the shard goes on.
"""

from __future__ import annotations

import json
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from cleantext import config as config_mod
from cleantext import engine, lexicon
from cleantext.corpus import quality, sources
from cleantext.corpus.sinks import EVIDENCE_FILE, ShardWriter
from cleantext.errors import CleantextError, ConfigError, InputError, WriteError
from cleantext.model import Edit
from cleantext.records import document_record


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs besides its shard; plain data, cheap to send."""

    out: str
    fmt: str = "jsonl"
    text_field: str = "text"
    glossary: str | None = None  # an extra glossary, already resolved to an absolute path
    rules: str | None = None
    use_glossary: bool = True
    unsafe: bool = False
    keep_original: bool = False
    filter: quality.Filter = field(default_factory=quality.Filter)
    evidence: bool = False  # read the corpus-wide name counts from OUT/_evidence.json
    config_key: str = ""  # digests of glossary and rules: a changed file is compiled anew
    # leave the shard's files closed but not synced nor in place, for the run's main process
    # to commit (``sinks.Committer``); a Dask worker, perhaps on another machine, commits its own
    defer_commit: bool = False


def preload() -> None:
    """What every worker needs whatever the config, built once in the process the workers
    fork from, so that they share its pages: the lexicon's token set (0.09 s and 13 MB a
    process, which the two workers of a 2-job run otherwise each built on their first
    shard, their tables competing for the one L3 cache)."""
    lexicon.known_tokens()


def compiled(
    glossary: str | None, rules: str | None, use_glossary: bool, key: str = ""
) -> config_mod.Config:
    """The config, compiled once per process (a pool worker, a Dask worker, or the main
    process with one job, where ``describe_config`` compiled it already).

    Cached on the files' names, sizes and modification times, so a second run in the same
    process after a glossary was edited compiles it anew; ``key`` (the digests the run
    was planned with) catches an edit that kept both size and time.
    """
    stamp = _stamp(glossary, rules, use_glossary)
    cfg = _compiled(glossary, rules, use_glossary, stamp)
    if key and key != config_key(cfg):
        _compiled.cache_clear()
        cfg = _compiled(glossary, rules, use_glossary, stamp)
    return cfg


Stamp = tuple[tuple[str, int, int], ...]


def _stamp(glossary: str | None, rules: str | None, use_glossary: bool) -> Stamp:
    files = config_mod.glossary_files(glossary, use_glossary) + config_mod.pack_files(rules)
    out = []
    for path in files:
        try:
            info = path.stat()
        except OSError:  # gone: loading says so, with the file's name
            out.append((str(path), -1, -1))
        else:
            out.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(out)


@lru_cache(maxsize=4)
def _compiled(
    glossary: str | None, rules: str | None, use_glossary: bool, stamp: Stamp
) -> config_mod.Config:
    return config_mod.load(glossary, rules, use_glossary)


def config_key(cfg: config_mod.Config) -> str:
    """The digests of a config's glossary and rules, as ``Settings.config_key`` holds them."""
    return f"{cfg.glossary.digest if cfg.glossary is not None else None}:{cfg.rules_digest}"


def describe_item(item: tuple[str | None, str | None, bool]) -> dict[str, Any]:
    """``describe_config`` for ``Pool.map`` and Dask, which pass one item."""
    return describe_config(*item)


def describe_config(glossary: str | None, rules: str | None, use_glossary: bool) -> dict[str, Any]:
    """What the main process needs to know of the config, as plain data: its digests,
    whether a rule looks at names, the glossary's canonical names; or the error that
    loading it raised (as fields: the error type's constructor does not survive pickling).

    Run in a child process when the work runs elsewhere, so that the main process, which
    only hands out shards, does not hold a compiled config (a hundred megabytes and more
    with the bundled rules) beside the workers' own.
    """
    try:
        cfg = compiled(glossary, rules, use_glossary)
    except CleantextError as exc:
        return {"error": [type(exc).__name__, exc.path, exc.message, exc.line, exc.column]}
    return {
        "glossary": cfg.glossary.digest if cfg.glossary is not None else None,
        "rules": cfg.rules_digest,
        "key": config_key(cfg),
        "names_rule": any(r.spec.kind == "names" for r in cfg.rules),
        "canonical": cfg.glossary.canonical_names() if cfg.glossary is not None else [],
    }


_stop: Any = None  # in a worker of the local pool: the pool's stop event (``join_pool``)


class StoppedError(Exception):
    """The pool's stop event was set: the shard is dropped (see ``call``)."""


def join_pool(stop: Any) -> None:
    """The local pool's initializer. Ctrl-C is left to the main process, which sets
    ``stop`` (a multiprocessing Event): an interrupt landing in a worker could cut it
    anywhere, even between two tasks, where it dies with a traceback."""
    global _stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _stop = stop


def stopping() -> bool:
    return _stop is not None and bool(_stop.is_set())


def call(item: Any, fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """``fn(item, *args)`` in a worker, with an input or write error (a Parquet file without
    the text column, a full disk) reported as plain data: cleantext's error types do not
    survive pickling, and a pool would report a broken worker instead of the file.

    Once the pool is stopping, a worker drops the shard it is on (``process_shard``
    removes what it wrote) and answers every call left in its queue at once, without work,
    so the main process, which waits for it, stops in an instant and then sweeps what no
    one will commit."""
    if stopping():
        return {"interrupted": True}
    try:
        return fn(item, *args)
    except CleantextError as exc:
        return {"error": [type(exc).__name__, exc.path, exc.message, exc.line, exc.column]}
    except StoppedError:
        return {"interrupted": True}


def raise_reported(info: dict[str, Any]) -> None:
    """Raise again, in the main process, an error or an interrupt a worker reported as data."""
    if info.get("interrupted"):
        raise KeyboardInterrupt
    if "error" not in info:
        return
    kind, path, message, line, column = info["error"]
    error = {"InputError": InputError, "WriteError": WriteError}.get(kind, ConfigError)
    raise error(path, message, line, column)


def evidence(out: str) -> dict[str, Any] | None:
    """The run evidence the first pass wrote: name counts over the whole corpus."""
    path = Path(out) / EVIDENCE_FILE
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    return _evidence(str(path), stamp)


@lru_cache(maxsize=2)
def _evidence(path: str, stamp: int) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {"names": Counter(data["names"])}


def clean(
    text: str, cfg: config_mod.Config, unsafe: bool, run: Mapping[str, Any] | None
) -> tuple[str, list[Edit], list[Edit]]:
    """Cleaned text, every proposal (for the figures) and the applied edits: one
    detection serves both (``engine.propose_and_fix``)."""
    proposals, cleaned, applied = engine.propose_and_fix(text, cfg, unsafe, run)
    return cleaned, proposals, applied


def record(
    doc: sources.Doc,
    cleaned: str,
    proposals: list[Edit],
    applied: list[Edit],
    settings: Settings,
) -> dict[str, Any]:
    """The jsonl template's record (``records.document_record``) plus the quality figure
    in ``stats`` and the input's other fields, carried through untouched."""
    raw_id = doc.fields.get("id")
    own_id = isinstance(raw_id, str | int) and raw_id != ""  # the input's id, its own type
    ident: str | int = raw_id if own_id and isinstance(raw_id, str | int) else doc.id
    out = document_record(
        ident,
        doc.text,
        cleaned,
        proposals,
        applied,
        path=doc.path,
        keep_original=settings.keep_original,
    )
    out["stats"]["quality"] = quality.score(out["stats"], settings.unsafe)
    for key, value in doc.fields.items():
        if key == "id" and own_id:
            continue
        out[key if key not in out else f"input_{key}"] = value
    return out


def error_record(failure: sources.Failure) -> dict[str, Any]:
    return {"id": failure.id, "where": failure.where, "reason": "error", "error": failure.reason}


@dataclass
class Tally:
    """What one shard did, summed by the main process into the run's summary."""

    docs: int = 0
    kept: int = 0
    rejected: int = 0
    failed: int = 0
    bytes: int = 0
    applied: int = 0
    rules: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)  # the first few, for the summary

    def as_dict(self, shard: sources.Shard, seconds: float) -> dict[str, Any]:
        return {
            "id": shard.id,
            "docs": self.docs,
            "kept": self.kept,
            "rejected": self.rejected,
            "failed": self.failed,
            "bytes": self.bytes,
            "applied": self.applied,
            "rules": dict(self.rules),
            "failures": self.failures[:5],
            "seconds": round(seconds, 3),
        }


def process_shard(shard: sources.Shard, settings: Settings) -> dict[str, Any]:
    """Clean every document of ``shard`` and write its output shard; return its tally."""
    began = time.perf_counter()
    cfg = compiled(settings.glossary, settings.rules, settings.use_glossary, settings.config_key)
    run = evidence(settings.out) if settings.evidence else None
    carried: Any = None
    if shard.kind == "parquet" and settings.fmt == "parquet":
        carried = sources.parquet_schema(shard, settings.text_field)
    elif shard.kind == "jsonl":
        carried = "fields"
    writer = ShardWriter(
        Path(settings.out),
        shard.id,
        settings.fmt,
        carried,
        with_path=shard.kind == "text",
        with_original=settings.keep_original,
    )
    tally = Tally()
    try:
        for item in sources.read(shard, settings.text_field):
            if stopping():
                raise StoppedError
            tally.docs += 1
            _one(item, cfg, run, settings, writer, tally)
        staged = writer.commit(defer=settings.defer_commit)
    except BaseException:
        writer.abort()
        raise
    out = tally.as_dict(shard, time.perf_counter() - began)
    if staged:
        out["staged"] = staged
    return out


def _one(
    item: sources.Item,
    cfg: config_mod.Config,
    run: Mapping[str, Any] | None,
    settings: Settings,
    writer: ShardWriter,
    tally: Tally,
) -> None:
    if isinstance(item, sources.Failure):
        _fail(item, writer, tally)
        return
    tally.bytes += item.size
    try:
        cleaned, proposals, applied = clean(item.text, cfg, settings.unsafe, run)
        rec = record(item, cleaned, proposals, applied, settings)
    except Exception as exc:  # a rule that broke on this document: record it, go on
        _fail(sources.Failure(item.id, item.where, f"{type(exc).__name__}: {exc}"), writer, tally)
        return
    stats = rec["stats"]
    reason = settings.filter.reason(stats, stats["quality"])
    if reason is not None:
        tally.rejected += 1
        writer.reject({**rec, "reason": reason})
        return
    tally.kept += 1
    tally.applied += len(applied)
    tally.rules.update(_rule_ids(applied))
    if settings.fmt == "files":
        name = item.path if item.path is not None else f"{item.id}.txt"
        writer.keep(rec, _encode(cleaned, item.bom), name)
    else:
        writer.keep(rec)


def _fail(failure: sources.Failure, writer: ShardWriter, tally: Tally) -> None:
    tally.failed += 1
    tally.failures.append(f"{failure.where}: {failure.reason}")
    writer.reject(error_record(failure))


def _rule_ids(applied: Iterable[Edit]) -> Iterator[str]:
    """Each applied edit counted once per rule that made it (a net edit names several)."""
    for edit in applied:
        yield from edit.rule.split("+")


def _encode(text: str, bom: bool) -> bytes:
    body = text.encode("utf-8")
    return b"\xef\xbb\xbf" + body if bom else body
