"""Throughput of ``cleantext fix`` against glossary size, beside codespell and typos.

    make bench                                     # 100 MB corpus, the full run
    .venv/bin/python benchmarks/bench_fix.py         # the same
    .venv/bin/python benchmarks/bench_fix.py --quick # 5 MB smoke run
    (python -m benchmarks.bench_fix works too, from the repository root)

Steps: generate (or reuse) a seeded corpus with injected errors; write glossaries of 10,
1,000, 10,000 and 100,000 single-word entries (the injected errors are in all of them);
time ``cleantext fix CORPUS --out DIR --glossary G.csv`` once per size, one process, with
the bundled glossary and rule packs active (the default) and again with ``--rules none``
(glossary matcher only); time the same command on a one-paragraph file to separate the
fixed start-up cost (imports, loading the glossary, compiling rules); time codespell and
typos, detect and write, with the 10,000-entry dictionary on the same corpus; read recall
of the injected errors off every tool's output; print a table and write JSON.

MB are 10^6 bytes of UTF-8 input; MB/s is input size over wall-clock time of the whole
command (start-up included), one core.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pstats
import shutil
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

if not __package__:  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import corpus, glossaries, peers, report
from benchmarks.peers import Measurement
from benchmarks.report import Recall

SIZES = (10, 1_000, 10_000, 100_000)
PEER_ENTRIES = 10_000
QUICK_MB = 5.0
TARGET_RATIO = 1.5  # MB/s at 10 entries over MB/s at 100,000 must stay below this
TARGET_MBPS = 20.0  # bundled rules and 100,000 entries, one core
BUSY = 1.2  # wall clock over CPU time above which a run is marked as disturbed
TINY_TEXT = (
    "WASHINGTON, March 3 - The minister said on Monday that the dveices would be ready, "
    "and that officials had seen no reason to delay the launch.\n"
)


@dataclass
class Row:
    """One line of the report."""

    tool: str
    mode: str
    entries: int
    rules: str
    measurement: Measurement
    mb: float
    startup: Measurement | None = None
    recall: Recall | None = None
    findings: int | None = None
    edits: dict[str, int] = field(default_factory=dict)  # applied edits by rule id

    @property
    def mbps(self) -> float:
        return self.mb / self.measurement.wall_s

    @property
    def cpu_mbps(self) -> float:
        return self.mb / self.measurement.cpu_s if self.measurement.cpu_s else 0.0

    @property
    def busy(self) -> bool:
        """Wall clock well above CPU time: other load on the machine slowed this run.

        Some waiting is normal (``fix`` fsyncs every file it writes), hence the 1 s floor.
        """
        m = self.measurement
        return m.wall_s - m.cpu_s > max((BUSY - 1) * m.cpu_s, 1.0)

    @property
    def steady_mbps(self) -> float | None:
        """MB/s with the start-up cost (same command on one paragraph) taken off."""
        if self.startup is None:
            return None
        busy = self.measurement.wall_s - self.startup.wall_s
        return self.mb / busy if busy > 0 else None

    def label(self) -> str:
        return f"{self.tool} {self.mode}" + (f" rules={self.rules}" if self.rules else "")

    def to_dict(self) -> dict[str, object]:
        return {
            "tool": self.tool,
            "mode": self.mode,
            "entries": self.entries,
            "rules": self.rules,
            "mb": round(self.mb, 3),
            "mb_per_s": round(self.mbps, 3),
            "mb_per_cpu_s": round(self.cpu_mbps, 3),
            "steady_mb_per_s": round(s, 3) if (s := self.steady_mbps) else None,
            "startup_s": round(self.startup.wall_s, 3) if self.startup else None,
            "run": self.measurement.to_dict(),
            "recall": self.recall.to_dict() if self.recall else None,
            "findings": self.findings,
            "edits": self.edits,
        }


# --- cleantext ------------------------------------------------------------------------------


def cleantext_command(paths: Path, out: Path, gloss: Path, rules: str) -> list[str]:
    command = [
        *peers.cleantext_base(),
        "fix",
        str(paths),
        "--out",
        str(out),
        "--glossary",
        str(gloss),
    ]
    command += ["--format", "json"]  # applied edits as JSON Lines, for the edit counts
    if rules == "none":
        command += ["--rules", "none"]
    return command


def edits_by_rule(stdout: Path) -> dict[str, int]:
    counts: Counter[str] = Counter()
    with stdout.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                counts[str(json.loads(line)["rule"])] += 1
    return dict(counts.most_common())


@dataclass(frozen=True)
class Settings:
    """What every run shares."""

    corpus_dir: Path
    work: Path
    manifest: corpus.Manifest
    pairs: tuple[glossaries.Pair, ...]  # the injected errors
    repeat: int = 1
    keep: bool = False
    timeout: float | None = None  # per command


def _fastest(runs: Sequence[Measurement]) -> Measurement:
    return min(runs, key=lambda m: m.wall_s)


def run_cleantext(s: Settings, tiny_dir: Path, gloss: Path, entries: int, rules: str) -> Row:
    """``cleantext fix`` on the corpus (fastest of ``repeat``) and on one paragraph."""
    name = f"cleantext-{entries}-{rules}"
    out, tiny_out = s.work / name, s.work / "tiny-out"
    logs = s.work / "logs"
    starts: list[Measurement] = []
    runs: list[Measurement] = []
    for _ in range(s.repeat):
        for folder in (out, tiny_out):
            if folder.exists():
                shutil.rmtree(folder)
        tiny_cmd = cleantext_command(tiny_dir, tiny_out, gloss, rules)
        starts.append(peers.timed(tiny_cmd, logs, name + "-tiny", timeout=s.timeout))
        command = cleantext_command(s.corpus_dir, out, gloss, rules)
        runs.append(peers.timed(command, logs, name, timeout=s.timeout))
    row = Row("cleantext", "fix", entries, rules, _fastest(runs), s.manifest.mb)
    row.startup = _fastest(starts)
    row.edits = edits_by_rule(runs[-1].stdout)
    row.recall = report.output_recall(out, s.manifest, s.pairs, s.keep)
    return row


def run_peers(s: Settings, files: dict[str, Path], entries: int) -> list[Row]:
    """codespell and typos, detect and write, each the fastest of ``repeat`` runs."""
    rows: list[Row] = []
    for runs in peers.run_all(s.corpus_dir, files, entries, s.work, s.repeat, s.timeout):
        run = runs[-1]
        best = _fastest([r.measurement for r in runs])
        row = Row(run.tool, run.mode, entries, "", best, s.manifest.mb)
        row.findings = run.findings
        row.recall = report.output_recall(run.folder, s.manifest, s.pairs, s.keep)
        rows.append(row)
        print(f"  {row.label():32} {row.entries:>7} entries  {row.mbps:7.2f} MB/s", flush=True)
    return rows


# --- report ---------------------------------------------------------------------------------


def _fmt(value: float | None, spec: str = ".2f") -> str:
    return "-" if value is None else format(value, spec)


def table(rows: Sequence[Row]) -> str:
    head = (
        f"{'tool':<10} {'mode':<7} {'rules':<8} {'entries':>8} {'MB/s':>7} {'MB/cpu-s':>9}"
        f" {'steady':>7} {'wall s':>7} {'start s':>7} {'peak MB':>8} {'recall':>7}"
        f" {'found':>7} {'edits':>7}"
    )
    lines = [head, "-" * len(head)]
    busy = False
    for r in rows:
        recall = r.recall.recall if r.recall else None
        edits = sum(r.edits.values()) if r.tool == "cleantext" else None
        mark = "*" if r.busy else " "
        busy = busy or r.busy
        lines.append(
            f"{r.tool:<10} {r.mode:<7} {r.rules or '-':<8} {r.entries:>8,} {r.mbps:>6.2f}{mark}"
            f" {r.cpu_mbps:>9.2f} {_fmt(r.steady_mbps):>7} {r.measurement.wall_s:>7.1f}"
            f" {_fmt(r.startup.wall_s if r.startup else None):>7}"
            f" {r.measurement.peak_rss_mb:>8.0f} {_fmt(recall, '.4f'):>7}"
            f" {_fmt(r.findings, ',d'):>7} {_fmt(edits, ',d'):>7}"
        )
    if busy:
        lines.append(
            f"* wall clock over {BUSY:g}x CPU time (and 1 s more): the machine was busy, "
            "MB/cpu-s is the better figure"
        )
    return "\n".join(lines)


def _find(rows: Sequence[Row], tool: str, mode: str, entries: int, rules: str = "") -> Row | None:
    for r in rows:
        if (r.tool, r.mode, r.entries, r.rules) == (tool, mode, entries, rules):
            return r
    return None


def verdicts(rows: Sequence[Row], sizes: Sequence[int]) -> dict[str, object]:
    """Ratios and the issue's two targets, on wall clock and (``_cpu``) on CPU time."""
    out: dict[str, object] = {}
    small, large = min(sizes), max(sizes)
    full = small <= 10 and large >= 100_000
    for rules in ("bundled", "none"):
        a = _find(rows, "cleantext", "fix", small, rules)
        b = _find(rows, "cleantext", "fix", large, rules)
        if a and b:
            key = f"slowdown_{small}_to_{large}_rules_{rules}"
            out[key] = round(a.mbps / b.mbps, 3)
            out[key + "_cpu"] = round(a.cpu_mbps / b.cpu_mbps, 3)
            if full and rules == "bundled":
                out["target_slowdown_below_1.5x"] = a.mbps / b.mbps < TARGET_RATIO
                out["target_slowdown_below_1.5x_cpu"] = a.cpu_mbps / b.cpu_mbps < TARGET_RATIO
    top = _find(rows, "cleantext", "fix", large, "bundled")
    if top is not None and large >= 100_000:
        out["target_20_mb_per_s_at_100k"] = top.mbps >= TARGET_MBPS
        out["target_20_mb_per_s_at_100k_cpu"] = top.cpu_mbps >= TARGET_MBPS
    mine = _find(rows, "cleantext", "fix", PEER_ENTRIES, "bundled")
    for tool in ("codespell", "typos"):
        for mode in ("detect", "write"):
            peer = _find(rows, tool, mode, PEER_ENTRIES)
            if mine and peer:
                key = f"cleantext_{PEER_ENTRIES}_vs_{tool}_{mode}"
                out[key] = round(mine.mbps / peer.mbps, 2)
                out[key + "_cpu"] = round(mine.cpu_mbps / peer.cpu_mbps, 2)
    return out


def summary(verdict: dict[str, object]) -> str:
    lines = []
    for key, value in verdict.items():
        shown = ("PASS" if value else "FAIL") if isinstance(value, bool) else f"{value}x"
        lines.append(f"  {key:<50} {shown}")
    return "\n".join(lines)


# --- profile --------------------------------------------------------------------------------


def profile_fix(corpus_dir: Path, gloss: Path, work: Path, mb: float, top: int = 25) -> str:
    """cProfile of ``cleantext fix`` (bundled rules) on the first ``mb`` MB of the corpus."""
    sample = work / "profile-in"
    out = work / "profile-out"
    for folder in (sample, out):
        if folder.exists():
            shutil.rmtree(folder)
    sample.mkdir(parents=True)
    total = 0
    for path in corpus.leading_files(corpus_dir, mb):
        shutil.copy(path, sample / path.name)
        total += path.stat().st_size
    prof = work / "fix.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "cleantext.cli"]
    command += ["fix", str(sample), "--out", str(out), "--glossary", str(gloss)]
    run = peers.timed(command, work / "logs", "profile")
    buffer = io.StringIO()
    stats = pstats.Stats(str(prof), stream=buffer)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    shutil.rmtree(sample)
    shutil.rmtree(out, ignore_errors=True)
    head = (
        f"cProfile of fix --glossary {gloss.name} on {total / 1e6:.1f} MB"
        f" ({run.wall_s:.1f} s under the profiler), {prof}"
    )
    return head + "\n" + buffer.getvalue()


# --- main -----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/bench_fix.py",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    report.add_corpus_options(parser, 100.0, QUICK_MB, "results-SIZEmb.json")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="glossary sizes for cleantext, comma-separated (default %(default)s)",
    )
    parser.add_argument("--rules", default="bundled,none", help="rule modes: bundled,none")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="generator processes")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per measurement, the fastest is kept"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=1800.0,
        help="seconds before one command is killed (default %(default)g)",
    )
    parser.add_argument(
        "--profile-mb",
        type=float,
        default=0.0,
        help="also cProfile fix (bundled rules) on this many MB of the corpus",
    )
    parser.add_argument(
        "--profile-entries", type=int, help="glossary size to profile with (default: largest)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    size = QUICK_MB if args.quick else args.size_mb
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    rule_modes = [m.strip() for m in args.rules.split(",") if m.strip()]
    out: Path = args.out.resolve()
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)

    pairs_all = glossaries.misspellings(max([*sizes, PEER_ENTRIES]), args.seed)
    injected = pairs_all[: glossaries.INJECTED]
    corpus_dir, manifest = report.make_corpus(
        out, size, args.seed, args.file_kb, args.rate, injected, args.jobs
    )
    gloss_dir = out / f"glossaries-seed{args.seed}"
    csvs = {
        n: glossaries.write_cleantext(gloss_dir / f"glossary-{n}.csv", pairs_all[:n]) for n in sizes
    }
    peer_files = glossaries.write_peers(gloss_dir, pairs_all[:PEER_ENTRIES])
    tiny = work / "tiny"
    tiny.mkdir(exist_ok=True)
    (tiny / "tiny.txt").write_text(TINY_TEXT, encoding="utf-8")

    settings = Settings(
        corpus_dir, work, manifest, injected, args.repeat, args.keep_output, args.timeout
    )
    rows: list[Row] = []
    for rules in rule_modes:
        for n in sizes:
            row = run_cleantext(settings, tiny, csvs[n], n, rules)
            rows.append(row)
            print(f"  {row.label():32} {n:>7} entries  {row.mbps:7.2f} MB/s", flush=True)
    if not args.no_peers:
        rows += run_peers(settings, peer_files, PEER_ENTRIES)

    verdict = verdicts(rows, sizes)
    env = report.environment()
    text = report.report_text(
        env,
        f"{manifest.mb:.1f} MB in {manifest.files} files, one process each,"
        f" fastest of {args.repeat}",
        table(rows),
        summary(verdict),
    )
    report.publish_text(text, out / f"report-{size:g}mb.txt")
    results = {
        "environment": env,
        "corpus": report.corpus_summary(corpus_dir, manifest) | {"spec": manifest.spec},
        "glossaries": {str(n): str(p) for n, p in csvs.items()},
        "rows": [r.to_dict() for r in rows],
        "verdict": verdict,
    }
    if args.profile_mb > 0:
        entries = args.profile_entries or max(sizes)
        gloss = csvs.get(entries) or glossaries.write_cleantext(
            gloss_dir / f"glossary-{entries}.csv", glossaries.misspellings(entries, args.seed)
        )
        profile = profile_fix(corpus_dir, gloss, work, args.profile_mb)
        print()
        print(profile)
        results["profile"] = profile
    report.publish_json(results, args.json or out / f"results-{size:g}mb.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
