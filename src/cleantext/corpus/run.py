"""A corpus run: plan the shards, count names over the whole corpus, clean every shard.

Pass 1 (only when the rules look at names, or ``--mine-glossary`` asks): map-reduce of
name counts over every shard, written to ``OUT/_evidence.json`` (a resumed run reads it
back instead of counting again); mined glossary rows are written from it. Pass 2: every
shard not yet finished is cleaned with those counts as the run evidence, written
atomically by its worker, and recorded in the manifest by this process. The same
function runs on the process pool and on Dask, so both give the same output.
"""

from __future__ import annotations

import concurrent.futures as cf
import importlib
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from cleantext import __version__
from cleantext import config as config_mod
from cleantext.corpus import (
    DEFAULT_SHARD_DOCS,
    DEFAULT_SHARD_MB,
    mining,
    pool,
    progress,
    quality,
    sinks,
    sources,
    worker,
)
from cleantext.errors import InputError
from cleantext.textops import atomic_write_bytes


@dataclass(frozen=True)
class Request:
    """What the user asked for (the command line, parsed)."""

    source: Path
    out: Path
    fmt: str = "jsonl"
    input_format: str = "auto"
    text_field: str = "text"
    patterns: tuple[str, ...] = ("*.txt",)
    jobs: int = 1
    dask: str | None = None
    glossary: str | None = None
    rules: str | None = None
    use_glossary: bool = True
    unsafe: bool = False
    keep_original: bool = False
    filter: quality.Filter = field(default_factory=quality.Filter)
    rejected: Path | None = None
    mine: Path | None = None
    shard_docs: int = DEFAULT_SHARD_DOCS
    shard_mb: float = DEFAULT_SHARD_MB


@dataclass
class Outcome:
    """The run's figures (every shard of OUT, this run's and earlier ones') and speed."""

    figures: dict[str, Any]
    seconds: float
    skipped: int
    mined: int | None = None
    bytes_read: int = 0  # by this run (a resumed run skips the finished shards)


def _absolute(path: str | None) -> str | None:
    return None if path is None or path == "none" else str(Path(path).resolve())


def resolve_config(
    req: Request, runner: Any = None
) -> tuple[dict[str, Any], str | None, str | None]:
    """Check the config before any work starts (a bad glossary is exit 2, not a thousand
    failed shards) and pin the glossary and rules to absolute paths, so that workers
    running elsewhere (another folder, a Dask worker) load exactly the same ones.

    Given the process pool (one job is this process), every worker compiles the config
    here, at once, and keeps it for its shards; the main process only hands out shards and
    holds no compiled config. Without one (Dask) it is compiled in a short-lived child
    before any cluster starts (see ``worker.describe_config``); Dask workers compile it on
    their first shard.
    """
    glossary = req.glossary
    if glossary is None and req.use_glossary:
        found = config_mod.find_upwards(config_mod.GLOSSARY_NAME)
        glossary = str(found) if found is not None else None
    glossary = _absolute(glossary)
    rules = req.rules if req.rules == "none" else _absolute(req.rules)
    item = (glossary, rules, req.use_glossary)
    if runner is not None:
        # one description per worker: each warms up while the first answer is read
        answers = [info for _, info in runner.map(worker.describe_item, [item] * runner.jobs, ())]
        info = answers[0]
    else:
        with cf.ProcessPoolExecutor(1, mp_context=pool.context()) as child:
            info = child.submit(worker.describe_item, item).result()
    worker.raise_reported(info)
    return info, glossary, rules


def fingerprint(req: Request, kind: str, info: dict[str, Any]) -> dict[str, Any]:
    """Everything that decides the output bytes (not ``--jobs`` or ``--dask``: any way of
    running gives the same shards)."""
    return {
        "cleantext": __version__,
        "input": str(req.source.resolve()),
        "input_format": kind,
        "field": req.text_field,
        "glob": list(req.patterns),
        "format": req.fmt,
        "shard_docs": req.shard_docs,
        "shard_mb": req.shard_mb,
        "unsafe": req.unsafe,
        "keep_original": req.keep_original,
        "min_quality": req.filter.min_quality,
        "drop_flagged": req.filter.drop_flagged,
        "glossary": info["glossary"],
        "rules": info["rules"],
        "plan": sources.PLAN,  # how the input is cut into shards
    }


def _executor(req: Request) -> pool.Pool | Any:
    """Where shards run: a Dask cluster, or the process pool (this process for one job)."""
    if req.dask:
        from cleantext.corpus import dask_run

        return dask_run.Cluster(req.dask, req.jobs)
    return pool.Pool(req.jobs, preload=worker.preload, initializer=worker.join_pool)


def _input_bytes(req: Request, kind: str) -> int | None:
    """Total input size for the bar (None for a folder of files: listing it twice to know
    would cost more than the bar is worth)."""
    if kind == "text" and req.source.is_dir():
        return None
    suffixes = sources.JSONL_SUFFIXES if kind == "jsonl" else sources.PARQUET_SUFFIXES
    patterns = [f"*{s}" for s in suffixes] if kind != "text" else ["*"]
    return sum(p.stat().st_size for p in sources.walk(req.source, patterns, req.out))


def _require(module: str, why: str) -> None:
    """Parquet and Dask come with the ``corpus`` extra; say so instead of a traceback."""
    try:
        importlib.import_module(module)
    except ImportError:
        raise InputError(module, f"{why} needs {module}: pip install 'cleantext[corpus]'") from None


def execute(req: Request, stream: TextIO | None = None) -> Outcome:
    """Run (or resume) the corpus job ``req`` describes."""
    stream = stream or sys.stderr
    described = None
    if req.dask:
        _require("distributed", "--dask")
        described = resolve_config(req)  # a bad config is reported before a cluster starts
    kind = sources.detect_kind(req.source, req.input_format)
    if kind == "parquet" or req.fmt == "parquet":
        _require("pyarrow", "Parquet")
    if req.fmt == "files" and kind == "text" and req.source.resolve() == req.out.resolve():
        raise InputError(str(req.out), "the output folder must not be the input folder")
    try:
        with _executor(req) as runner:
            return _execute(req, kind, runner, stream, described or resolve_config(req, runner))
    except KeyboardInterrupt:
        # the workers are gone: a shard still a temporary was never committed, and a rerun
        # does it again (and would sweep it anyway)
        sinks.sweep(req.out)
        raise


def _execute(
    req: Request,
    kind: str,
    runner: Any,
    stream: TextIO,
    described: tuple[dict[str, Any], str | None, str | None],
) -> Outcome:
    info, glossary, rules = described
    done = sinks.prepare(req.out, fingerprint(req, kind, info))
    shard_bytes = max(1, int(req.shard_mb * 1e6))

    def plan() -> Iterator[sources.Shard]:
        return sources.plan(
            req.source,
            kind,
            req.patterns,
            req.shard_docs,
            shard_bytes,
            skip=req.out,
            text_field=req.text_field,
        )

    total = _input_bytes(req, kind)
    names_rule = bool(info["names_rule"])
    mined: int | None = None
    settings = worker.Settings(
        str(req.out.resolve()),
        req.fmt,
        req.text_field,
        glossary,
        rules,
        req.use_glossary,
        req.unsafe,
        req.keep_original,
        req.filter,
        evidence=names_rule,
        config_key=info["key"],
        defer_commit=not req.dask,
    )
    results = dict(done)
    if names_rule or req.mine is not None:
        counts = _name_counts(req, plan, runner, total, stream)
        if req.mine is not None:
            mined = _mine(req.mine, counts, info["canonical"])
    todo = (s for s in plan() if s.id not in done)
    ledger = sinks.Ledger(req.out)
    committer = sinks.Committer(ledger)
    try:
        with progress.Bar(total, "cleaning", stream) as bar:
            bar.advance(sum(int(d.get("docs", 0)) for d in done.values()), 0)
            work = runner.map(worker.call, todo, (worker.process_shard, settings))
            for shard, tally in work:
                worker.raise_reported(tally)
                committer.submit(tally.pop("staged", []), tally)
                results[shard.id] = tally
                bar.advance(int(tally["docs"]), shard.size)
            committer.close()  # the run is done when every shard is durable and recorded
            seconds = bar.seconds
    finally:
        committer.abandon()
        ledger.close()
    figures = progress.totals(results[k] for k in sorted(results))
    if req.rejected is not None:
        sinks.merge_rejected(req.out, req.rejected)
    fresh = sum(int(t.get("bytes", 0)) for k, t in results.items() if k not in done)
    return Outcome(figures, seconds, len(done), mined, fresh)


def _name_counts(
    req: Request,
    plan: Callable[[], Iterator[sources.Shard]],
    runner: Any,
    total: int | None,
    stream: TextIO,
) -> mining.NameCounts:
    """Pass 1, or its result from an earlier (interrupted) run of the same settings."""
    path = req.out / sinks.EVIDENCE_FILE
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        return mining.NameCounts.from_dict(data["counts"])
    counts = mining.NameCounts()
    with progress.Bar(total, "counting names", stream) as bar:
        for shard, part in runner.map(worker.call, plan(), (mining.count_shard, req.text_field)):
            worker.raise_reported(part)
            counts.add(mining.NameCounts.from_dict(part))
            bar.advance(int(part["documents"]), shard.size)
    data = {"names": mining.evidence(counts), "counts": counts.to_dict()}
    atomic_write_bytes(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return counts


def _mine(target: Path, counts: mining.NameCounts, canonical: list[str]) -> int:
    """Write the candidate glossary rows; names the glossary already has are left out."""
    known = [name.split()[-1] for name in canonical if name.split()]
    found = mining.candidates(counts, known)
    atomic_write_bytes(target, mining.glossary_csv(found).encode("utf-8"))
    return len(found)
