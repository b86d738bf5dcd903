"""Throughput, scaling, memory and recall of ``cleantext corpus`` beside codespell and typos.

    .venv/bin/python benchmarks/bench_corpus.py          # 500 MB corpus, the full run
    .venv/bin/python benchmarks/bench_corpus.py --quick  # 20 MB smoke run
    .venv/bin/python benchmarks/bench_corpus.py --repeat 5  # 5 runs of each cleantext row
    (python -m benchmarks.bench_corpus works too, from the repository root)

Steps: generate (or reuse) a seeded corpus of ``--size-mb`` with one injected misspelling
per ``--rate`` words (``benchmarks/corpus.py``); write the 10,000-entry single-word
glossary for every tool (``benchmarks/glossaries.py``); then, in the same run, on the same
corpus:

- ``cleantext corpus CORPUS OUT --glossary glossary-10000.csv --rules none`` (the glossary
  alone) with ``--jobs 1`` and ``--jobs 2``, JSON Lines out (every record with its edits
  and quality figures);
- the same with the bundled rule packs (the default) on the first ``--bundled-mb`` of the
  corpus (the full rules run below 1 MB/s: the whole corpus would take a quarter of an
  hour);
- each cleantext row ``--repeat`` times (default 3, 1 with ``--quick``), the job counts
  interleaved and in turn reversed (1 job, 2 jobs, 2 jobs, 1 job, ...) so that the
  machine's drift in speed hits both alike, after the lexicon's cache file was built; the
  row is the run of median wall clock (wall, CPU), its peak memory the highest of the runs,
  and the spread (min and max MB/s) goes beside it; every run's output is deleted when it
  ends but the last, which gives the recall;
- the glossary-only runs once more with their output in a memory-backed folder
  (``--memory-dir``, /dev/shm by default): on a virtual machine the host writes the
  guest's disk on the cores that run it, and a run that keeps every core busy pays for its
  own writes in CPU the host takes away (its "steal", reported for every run); a run with
  an idle core does not. Both pairs of rows show how much of the scaling is cleantext's;
- ``codespell -D dict`` (detect) and ``codespell -D dict -w`` (write), one process;
- ``typos --config cfg --threads 1`` (detect) and with ``--write-changes``.

Before every timed run (not timed): ``os.sync()``, so no earlier step's writes (a copy of
the corpus, the last run's output) land on it, and its input is read once into the page
cache, so no tool pays for the disk a kernel that pages out idle files would charge the
first reader (``peers.settle``).

cleantext runs several processes, so its peak memory is the sum of the resident set sizes
of its whole process tree, sampled every 50 ms with psutil (the peers' comes from GNU time,
see ``peers.timed``). Recall is read off each tool's output: injected misspellings left,
against the manifest's count (for cleantext, in the ``text`` of its records).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

if not __package__:  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil  # type: ignore[import-untyped]

from benchmarks import corpus, glossaries, peers, report
from benchmarks.report import Recall

ENTRIES = 10_000
QUICK_MB = 20.0
TARGET_CODESPELL = 10.0  # cleantext over codespell, throughput
TARGET_SCALING = 1.8  # 2 jobs over 1 job
TARGET_PEAK_MB = 500.0  # whole process tree


@dataclass(frozen=True)
class TreeRun:
    """One command and every process it started: wall clock, CPU, peak summed RSS."""

    command: tuple[str, ...]
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    processes: int
    returncode: int
    stderr: Path
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after
    peak_pss_mb: float = 0.0  # proportional set size: shared pages counted once in all
    steal_s: float | None = None  # the machine's stolen CPU time during the run

    def to_dict(self) -> dict[str, object]:
        return {
            "command": list(self.command),
            "wall_s": round(self.wall_s, 3),
            "cpu_s": round(self.cpu_s, 3),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "peak_pss_mb": round(self.peak_pss_mb, 1),
            "processes": self.processes,
            "returncode": self.returncode,
            "load_before_after": [round(x, 2) for x in self.load],
            "steal_s": self.steal_s,
        }


def _tree(root: psutil.Process) -> Iterator[psutil.Process]:
    yield root
    try:
        yield from root.children(recursive=True)
    except psutil.Error:
        return


def tree_timed(
    command: Sequence[str], log_dir: Path, name: str, interval: float = 0.25, pss_every: int = 4
) -> TreeRun:
    """Run ``command``, sampling its process tree: RSS summed over every live process at
    each sample (the peak is the largest sum), CPU as each process's last-seen user+system
    time summed over every process seen; PSS (which reads every process's smaps, half a
    millisecond each) only every ``pss_every`` samples.

    The sampler shares the machine with the workers: at one sample every 50 ms, listing the
    tree and reading smaps took a tenth of a core, and with both cores busy the 2-job run
    measured 26 MB/s where the bare command did 32. Memory is flat after the first shard,
    so a quarter-second sample still sees its peak."""
    log_dir.mkdir(parents=True, exist_ok=True)
    err_path = log_dir / f"{name}.err"
    cpu: dict[int, float] = {}
    peak = peak_pss = 0.0
    load_before = os.getloadavg()[0]
    with (log_dir / f"{name}.out").open("wb") as out, err_path.open("wb") as err:
        steal = peers.Steal()
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, start_new_session=True)
        root = psutil.Process(proc.pid)
        samples = 0
        while proc.poll() is None:
            total = pss = 0.0
            with_pss = samples % pss_every == 0
            samples += 1
            for p in _tree(root):
                try:
                    with p.oneshot():
                        total += p.memory_info().rss
                        times = p.cpu_times()
                        cpu[p.pid] = times.user + times.system
                    if with_pss:
                        pss += getattr(p.memory_full_info(), "pss", 0.0)
                except psutil.Error:
                    continue
            peak = max(peak, total)
            peak_pss = max(peak_pss, pss)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=interval)  # back at once when it ends: the wall stays exact
        wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        tail = err_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(command)} exited {proc.returncode}:\n{tail}")
    return TreeRun(
        tuple(command),
        wall,
        sum(cpu.values()),
        peak / 2**20,
        len(cpu),
        proc.returncode,
        err_path,
        (load_before, os.getloadavg()[0]),
        peak_pss / 2**20,
        steal.seconds(),
    )


# The bundled-rules runs read a slice of some 25 MB: in the default 4 MB shards that is 7
# shards, and two workers finish the 7th one alone (25 / 16 shard-times: a 1.56x ceiling
# on the 2-job ratio, which the first runs hit). 1 MB shards measure the workers instead.
BUNDLED_SHARD_MB = 1.0


def cleantext_corpus(source: Path, out: Path, gloss: Path, rules: str, jobs: int) -> list[str]:
    command = [*peers.cleantext_base(), "corpus", str(source), str(out), "--glossary", str(gloss)]
    command += ["--jobs", str(jobs)]
    if rules == "none":
        command += ["--rules", "none"]
    else:
        command += ["--shard-mb", str(BUNDLED_SHARD_MB)]
    return command


def record_texts(out: Path) -> Iterator[bytes]:
    """The cleaned text of every record of a corpus run's JSON Lines shards."""
    for part in sorted(out.glob("shard-*.jsonl")):
        with part.open("rb") as handle:
            for line in handle:
                yield json.loads(line)["text"].encode("utf-8")


def records_recall(
    out: Path, manifest: corpus.Manifest, pairs: Sequence[glossaries.Pair]
) -> Recall:
    return report.recall_in(record_texts(out), manifest, pairs)


def edits_by_rule(out: Path) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for line in (out / "_shards.jsonl").read_text(encoding="utf-8").splitlines():
        counts.update(json.loads(line).get("rules", {}))
    return dict(counts.most_common())


@dataclass
class Row:
    """One line of the report."""

    tool: str
    mode: str
    jobs: int
    mb: float
    wall_s: float
    cpu_s: float
    peak_mb: float
    recall: Recall | None = None
    findings: int | None = None
    edits: dict[str, int] = field(default_factory=dict)
    run: dict[str, object] = field(default_factory=dict)
    # every run of a repeated row, in the order they ran (``run`` is the median one)
    runs: list[dict[str, object]] = field(default_factory=list)
    runs_mbps: list[float] = field(default_factory=list)

    @property
    def mbps(self) -> float:
        return self.mb / self.wall_s

    @property
    def per_core(self) -> float:
        return self.mbps / self.jobs

    def all_runs(self) -> list[dict[str, object]]:
        return self.runs or [self.run]

    def to_dict(self) -> dict[str, object]:
        spread: dict[str, object] = {}
        if self.runs_mbps:
            spread = {
                "repeat": len(self.runs_mbps),
                "mb_per_s_min": round(min(self.runs_mbps), 3),
                "mb_per_s_max": round(max(self.runs_mbps), 3),
                "mb_per_s_runs": [round(x, 3) for x in self.runs_mbps],
            }
        return {
            "tool": self.tool,
            "mode": self.mode,
            "jobs": self.jobs,
            "mb": round(self.mb, 3),
            "mb_per_s": round(self.mbps, 3),
            "mb_per_s_per_job": round(self.per_core, 3),
            "mb_per_cpu_s": round(self.mb / self.cpu_s, 3) if self.cpu_s else None,
            "peak_rss_mb": round(self.peak_mb, 1),
            "recall": self.recall.to_dict() if self.recall else None,
            "findings": self.findings,
            "edits": self.edits,
            "run": self.run,
            **spread,
            **({"runs": self.runs} if self.runs else {}),
        }


MEMORY = "glossary, out in RAM"


def run_cleantext(
    source: Path,
    work: Path,
    gloss: Path,
    rules: str,
    jobs: int,
    mb: float,
    log_suffix: str = "",
    out_root: Path | None = None,
) -> tuple[Row, Path]:
    """One timed ``cleantext corpus`` run; its output goes under ``out_root`` (default
    ``work``: the disk), its logs under ``work``."""
    in_memory = out_root is not None
    name = f"corpus-{rules}-{jobs}job" + ("-ram" if in_memory else "")
    out = (out_root or work) / name
    if out.exists():
        shutil.rmtree(out)
    command = cleantext_corpus(source, out, gloss, rules, jobs)
    peers.settle(source)
    result = tree_timed(command, work / "logs", name + log_suffix)
    mode = MEMORY if in_memory else "glossary only" if rules == "none" else "bundled rules"
    row = Row("cleantext", mode, jobs, mb, result.wall_s, result.cpu_s, result.peak_rss_mb)
    row.edits = edits_by_rule(out)
    row.run = result.to_dict()
    steal = f", steal {result.steal_s:.2f} s" if result.steal_s is not None else ""
    print(
        f"  cleantext corpus {mode:20} jobs={jobs}{log_suffix:>6}  {row.mbps:7.2f} MB/s  "
        f"peak {row.peak_mb:5.0f} MB RSS, {result.peak_pss_mb:5.0f} MB PSS "
        f"({result.processes} processes; load "
        f"{result.load[0]:.1f} -> {result.load[1]:.1f}{steal})",
        flush=True,
    )
    return row, out


def median_row(runs: Sequence[Row]) -> Row:
    """The run of median wall clock (of an even count, the faster of the middle two) as the
    row: its wall and CPU, with the peak memory the highest of all ``runs`` and every run's
    MB/s and figures beside it."""
    middle = sorted(runs, key=lambda r: r.wall_s)[(len(runs) - 1) // 2]
    if len(runs) == 1:
        return middle
    if any(r.edits != middle.edits for r in runs):
        print(f"  warning: the edits differ between the runs of {middle.mode}", flush=True)
    return dataclasses.replace(
        middle,
        peak_mb=max(r.peak_mb for r in runs),
        runs=[r.run for r in runs],
        runs_mbps=[r.mbps for r in runs],
    )


def warm_cache() -> None:
    """Build the lexicon's cache file (``lexicon.known_tokens``) before any timed run, so
    that every run reads it back as every run after a user's first does: otherwise the
    first timed run alone would build it (0.1 s)."""
    code = "from cleantext import lexicon; lexicon.known_tokens()"
    subprocess.run([sys.executable, "-c", code], check=True)


def run_interleaved(
    source: Path,
    work: Path,
    gloss: Path,
    rules: str,
    jobs: Sequence[int],
    mb: float,
    repeat: int,
    keep: bool,
    recall: Callable[[Path], Recall] | None = None,
    out_root: Path | None = None,
) -> list[Row]:
    """``repeat`` runs of each job count, interleaved and in turn reversed (1, 2, 2, 1, 1,
    2, ...: a steady drift in the machine's speed then favours neither), one row each (see
    ``median_row``). Each run's output is deleted as soon as it ends, but the last run's of
    each job count, which gives the row's ``recall`` and is then deleted unless ``keep``: a
    run of the whole corpus writes more than the corpus."""
    runs: dict[int, list[Row]] = {n: [] for n in jobs}
    last: dict[int, Recall | None] = {}
    for i in range(repeat):
        for n in jobs if i % 2 == 0 else jobs[::-1]:
            suffix = f"-run{i + 1}" if repeat > 1 else ""
            row, folder = run_cleantext(source, work, gloss, rules, n, mb, suffix, out_root)
            runs[n].append(row)
            if i == repeat - 1:
                last[n] = recall(folder) if recall else None
                if keep:
                    continue
            shutil.rmtree(folder)
    rows = [median_row(runs[n]) for n in jobs]
    for row in rows:
        row.recall = last[row.jobs]
    return rows


def run_peers(
    corpus_dir: Path,
    work: Path,
    files: dict[str, Path],
    mb: float,
    manifest: corpus.Manifest,
    pairs: Sequence[glossaries.Pair],
    keep: bool,
) -> list[Row]:
    rows: list[Row] = []
    for (done,) in peers.run_all(corpus_dir, files, ENTRIES, work):
        m = done.measurement
        row = Row(done.tool, done.mode, 1, mb, m.wall_s, m.cpu_s, m.peak_rss_mb)
        row.findings = done.findings
        row.run = m.to_dict()
        row.recall = report.output_recall(done.folder, manifest, pairs, keep)
        rows.append(row)
        print(f"  {done.tool} {done.mode:6}  {row.mbps:7.2f} MB/s", flush=True)
    return rows


def table(rows: Sequence[Row]) -> str:
    head = (
        f"| {'tool':<9} | {'mode':<20} | jobs | {'MB':>7} | {'MB/s':>7} | {'MB/s/job':>8} |"
        f" {'MB/cpu-s':>8} | {'peak MB':>7} | {'recall':>6} | {'found':>7} |"
    )
    lines = [head, "|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|"]
    for r in rows:
        recall = f"{r.recall.recall:.4f}" if r.recall else "-"
        cpu = f"{r.mb / r.cpu_s:8.2f}" if r.cpu_s else f"{'-':>8}"
        found = f"{r.findings:>7,}" if r.findings is not None else f"{'-':>7}"
        lines.append(
            f"| {r.tool:<9} | {r.mode:<20} | {r.jobs:>4} | {r.mb:7.1f} | {r.mbps:7.2f} |"
            f" {r.per_core:8.2f} | {cpu} | {r.peak_mb:7.0f} | {recall:>6} | {found} |"
        )
    return "\n".join(lines)


def _find(rows: Sequence[Row], tool: str, mode: str, jobs: int = 1) -> Row | None:
    return next((r for r in rows if (r.tool, r.mode, r.jobs) == (tool, mode, jobs)), None)


def _target(
    ratio: float, target: float, digits: int = 2, **extra: float | None
) -> dict[str, object]:
    """A ratio against its target: the figure, ``extra`` figures beside it, and whether it is
    met."""
    return {"ratio": round(ratio, digits), **extra, "target": target, "met": ratio >= target}


def verdicts(rows: Sequence[Row]) -> dict[str, object]:
    """Each target with the measured figure and whether it is met."""
    out: dict[str, object] = {}
    one = _find(rows, "cleantext", "glossary only", 1)
    two = _find(rows, "cleantext", "glossary only", 2)
    bundled_one = _find(rows, "cleantext", "bundled rules", 1)
    bundled_two = _find(rows, "cleantext", "bundled rules", 2)
    best = max((r for r in (one, two) if r), key=lambda r: r.mbps, default=None)
    for mode in ("detect", "write"):
        peer = _find(rows, "codespell", mode)
        if best and peer:
            out[f"cleantext / codespell {mode}"] = _target(
                best.mbps / peer.mbps,
                TARGET_CODESPELL,
                per_core_ratio=round(one.mbps / peer.mbps, 2) if one else None,
                bundled_ratio=round(bundled_one.mbps / peer.mbps, 2) if bundled_one else None,
            )
        typo = _find(rows, "typos", mode)
        if one and typo:
            out[f"cleantext per core / typos {mode}"] = _target(
                one.per_core / typo.mbps,
                1.0,
                bundled_ratio=round(bundled_one.mbps / typo.mbps, 2) if bundled_one else None,
            )
    ram_one, ram_two = _find(rows, "cleantext", MEMORY, 1), _find(rows, "cleantext", MEMORY, 2)
    for label, a, b in (
        ("glossary only", one, two),
        (MEMORY, ram_one, ram_two),
        ("bundled rules", bundled_one, bundled_two),
    ):
        if a and b:
            # the medians' ratio; beside it the lowest and highest ratio of a 2-job run over
            # the 1-job run just before it
            pairs = [y / x for x, y in zip(a.runs_mbps, b.runs_mbps, strict=False)]
            pair_range = (
                {"pair_min": round(min(pairs), 3), "pair_max": round(max(pairs), 3)}
                if pairs
                else {}
            )
            out[f"2 jobs / 1 job ({label})"] = _target(
                b.mbps / a.mbps, TARGET_SCALING, digits=3, **pair_range
            )
    mine = [r for r in rows if r.tool == "cleantext"]
    if mine:
        peak = max(r.peak_mb for r in mine)
        pss = max(float(str(x.get("peak_pss_mb", 0.0))) for r in mine for x in r.all_runs())
        out["peak memory MB (whole tree)"] = {
            "value": round(peak, 1),
            "pss": round(pss, 1),
            "target": TARGET_PEAK_MB,
            "met": peak < TARGET_PEAK_MB,
        }
        recalls = [r.recall.recall for r in mine if r.recall]
        if recalls:
            out["recall of injected errors"] = {
                "value": min(recalls),
                "target": 1.0,
                "met": min(recalls) >= 1.0,
            }
    return out


def repeats(rows: Sequence[Row], repeat: int) -> str:
    """How the cleantext rows were taken, and each repeated row's spread of MB/s."""
    lines = [
        f"cleantext rows: {repeat} run{'s' if repeat > 1 else ''} each"
        + (
            ", job counts interleaved (1 job, 2 jobs, 2 jobs, 1 job, ...); each row is the run of"
            " median wall clock (of an even count, the faster of the middle two): its wall,"
            " CPU and MB/s; its peak MB is the highest of the runs"
            if repeat > 1
            else ""
        )
    ]
    for r in rows:
        if r.runs_mbps:
            runs = ", ".join(f"{x:.2f}" for x in r.runs_mbps)
            steals = [x.get("steal_s") for x in r.all_runs()]
            stolen = (
                "; CPU stolen by the host: " + ", ".join(f"{x:.2f}" for x in steals) + " s"
                if all(isinstance(x, float | int) for x in steals)
                else ""
            )
            lines.append(
                f"- {r.mode}, jobs={r.jobs}: median {r.mbps:.2f} MB/s, min"
                f" {min(r.runs_mbps):.2f}, max {max(r.runs_mbps):.2f} (in order: {runs}{stolen})"
            )
    return "\n".join(lines)


def summary(verdict: dict[str, object]) -> str:
    lines = []
    for name, v in verdict.items():
        assert isinstance(v, dict)
        figure = v.get("ratio", v.get("value"))
        extra = ", ".join(
            f"{k} {x}" for k, x in v.items() if k not in ("ratio", "value", "target", "met")
        )
        lines.append(
            f"- {name}: {figure} (target {v['target']}): {'met' if v['met'] else 'NOT met'}"
            + (f"; {extra}" if extra else "")
        )
    return "\n".join(lines)


def memory_folder(root: Path, mb: float) -> Path | None:
    """A fresh folder under ``root`` for the in-RAM runs, or None (with a note) when
    ``root`` cannot take one run's output (about the corpus's size) twice over."""
    try:
        free = shutil.disk_usage(root).free / 1e6
    except OSError as exc:
        print(f"  skipped the in-RAM runs: {root}: {exc.strerror}", flush=True)
        return None
    if free < 2 * mb:
        print(f"  skipped the in-RAM runs: {root} has {free:.0f} MB free", flush=True)
        return None
    return Path(tempfile.mkdtemp(prefix="cleantext-bench-", dir=root))


def slice_of(corpus_dir: Path, work: Path, mb: float) -> tuple[Path, float]:
    """The first files of the corpus adding up to about ``mb`` (symbolic links)."""
    folder = work / f"slice-{mb:g}mb"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    size = 0
    for path in corpus.leading_files(corpus_dir, mb):
        (folder / path.name).symlink_to(path)
        size += path.stat().st_size
    return folder, size / 1e6


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench_corpus", description="cleantext corpus beside codespell and typos"
    )
    report.add_corpus_options(parser, 500.0, QUICK_MB, "corpus-results-SIZEmb.json")
    parser.add_argument(
        "--bundled-mb",
        type=float,
        default=25.0,
        help="MB of the corpus for the bundled-rules runs (0: skip them; default 25)",
    )
    parser.add_argument("--jobs", default="1,2", help="job counts to time (default 1,2)")
    parser.add_argument(
        "--memory-dir",
        type=lambda value: Path(value) if value else None,
        default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None,
        help="a memory-backed folder (tmpfs) for the glossary-only runs once more with their"
        " output in RAM, which separates cleantext's scaling from the disk's; '' skips them"
        " (default: /dev/shm where there is one)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        help="runs of each cleantext row, job counts interleaved; the row is the median run"
        " (default 3, with --quick 1)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    size = QUICK_MB if args.quick else args.size_mb
    bundled_mb = min(args.bundled_mb, size) if not args.quick else min(args.bundled_mb, 5.0)
    jobs = list(dict.fromkeys(int(j) for j in args.jobs.split(",") if j.strip()))
    repeat: int = args.repeat if args.repeat is not None else 1 if args.quick else 3
    if repeat < 1:
        raise SystemExit("bench_corpus: --repeat must be at least 1")
    out: Path = args.out.resolve()
    work = out / "corpus-work"
    work.mkdir(parents=True, exist_ok=True)

    pairs = glossaries.misspellings(ENTRIES, args.seed)
    injected = pairs[: glossaries.INJECTED]
    corpus_dir, manifest = report.make_corpus(
        out, size, args.seed, args.file_kb, args.rate, injected, os.cpu_count() or 1
    )
    gloss_dir = out / f"glossaries-seed{args.seed}"
    gloss = glossaries.write_cleantext(gloss_dir / f"glossary-{ENTRIES}.csv", pairs)
    peer_files = glossaries.write_peers(gloss_dir, pairs)

    warm_cache()
    ram = memory_folder(args.memory_dir, manifest.mb) if args.memory_dir else None
    rows = run_interleaved(
        corpus_dir,
        work,
        gloss,
        "none",
        jobs,
        manifest.mb,
        repeat,
        args.keep_output,
        lambda folder: records_recall(folder, manifest, injected),
    )
    if ram is not None:
        try:
            rows += run_interleaved(
                corpus_dir, work, gloss, "none", jobs, manifest.mb, repeat, False, None, ram
            )
        finally:
            shutil.rmtree(ram, ignore_errors=True)
    if bundled_mb > 0:
        part, part_mb = slice_of(corpus_dir, work, bundled_mb)
        rows += run_interleaved(
            part, work, gloss, "bundled", jobs, part_mb, repeat, args.keep_output
        )
        shutil.rmtree(part)
    if not args.no_peers:
        rows += run_peers(
            corpus_dir, work, peer_files, manifest.mb, manifest, injected, args.keep_output
        )

    verdict = verdicts(rows)
    env = report.environment()
    text = report.report_text(
        env,
        f"{manifest.mb:.1f} MB in {manifest.files} files, {manifest.injected_total:,} injected"
        f" errors; {ENTRIES:,}-entry glossary for every tool; {os.cpu_count()} cores",
        table(rows),
        repeats(rows, repeat),
        summary(verdict),
    )
    report.publish_text(text, out / f"corpus-report-{size:g}mb.txt")
    results: dict[str, object] = {
        "environment": env,
        "corpus": report.corpus_summary(corpus_dir, manifest),
        "glossary": str(gloss),
        "repeat": repeat,
        "rows": [r.to_dict() for r in rows],
        "verdict": verdict,
    }
    report.publish_json(results, args.json or out / f"corpus-results-{size:g}mb.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
