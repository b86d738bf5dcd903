"""What the corpus benchmarks (``bench_fix``, ``bench_corpus``) share: their common options,
the generated corpus, recall of the injected errors, the versions and machine a run was made
on, and the written report (text beside the JSON results).

Recall is read off a tool's output by counting words (``corpus.count_words_in``): the
injected misspellings still there, and how much each correction's count grew over the
input's (the manifest records how often the right words occur naturally).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import corpus, glossaries, peers

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out"


def add_corpus_options(
    parser: argparse.ArgumentParser, size_mb: float, quick_mb: float, json_name: str
) -> None:
    """The options of every corpus benchmark: corpus size and make-up, folders, peers."""
    parser.add_argument(
        "--size-mb", type=float, default=size_mb, help=f"corpus size (default {size_mb:g})"
    )
    parser.add_argument("--quick", action="store_true", help=f"{quick_mb:g} MB smoke run")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="work folder (git-ignored)")
    parser.add_argument("--json", type=Path, help=f"results file (default OUT/{json_name})")
    parser.add_argument("--no-peers", action="store_true", help="skip codespell and typos")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=int, default=1000, help="one injected error per N words")
    parser.add_argument("--file-kb", type=int, default=200, help="size of each corpus file")
    parser.add_argument("--keep-output", action="store_true", help="keep the tools' outputs")


def make_corpus(
    out: Path,
    size_mb: float,
    seed: int,
    file_kb: int,
    rate: int,
    injected: Sequence[glossaries.Pair],
    jobs: int,
) -> tuple[Path, corpus.Manifest]:
    """Generate (or reuse) the seeded corpus under ``out``, saying what it holds."""
    spec = corpus.Spec(size_mb, seed, file_kb, rate, tuple(injected))
    folder = out / f"corpus-{size_mb:g}mb-seed{seed}"
    print(f"corpus: {folder} ({spec.files} files of ~{file_kb} KB)", flush=True)
    began = time.perf_counter()
    manifest = corpus.generate(folder, spec, jobs)
    print(
        f"  {manifest.mb:.1f} MB, {manifest.words:,} words, {manifest.injected_total:,} "
        f"injected errors ({len(injected)} kinds) in {time.perf_counter() - began:.0f} s",
        flush=True,
    )
    return folder, manifest


def corpus_summary(folder: Path, manifest: corpus.Manifest) -> dict[str, object]:
    """The corpus as the JSON results describe it."""
    return {
        "folder": str(folder),
        "files": manifest.files,
        "mb": round(manifest.mb, 3),
        "words": manifest.words,
        "injected": manifest.injected,
    }


# --- recall ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recall:
    """Injected errors left in a tool's output, and corrections that appeared."""

    injected: int
    remaining: int
    corrected: int  # growth of the right words' counts over the input's

    @property
    def fixed(self) -> int:
        return self.injected - self.remaining

    @property
    def recall(self) -> float:
        return self.fixed / self.injected if self.injected else 1.0

    def to_dict(self) -> dict[str, object]:
        return {
            "injected": self.injected,
            "remaining": self.remaining,
            "corrected": self.corrected,
            "recall": round(self.recall, 4),
        }


def recall_in(
    texts: Iterable[bytes], manifest: corpus.Manifest, pairs: Sequence[glossaries.Pair]
) -> Recall:
    """Recall of the injected ``pairs`` over a tool's output texts."""
    counts = corpus.count_words_in(texts, [p.wrong for p in pairs] + [p.right for p in pairs])
    remaining = sum(counts[p.wrong] for p in pairs)
    corrected = sum(max(0, counts[p.right] - manifest.right_counts.get(p.right, 0)) for p in pairs)
    return Recall(manifest.injected_total, remaining, corrected)


def measure_recall(
    folder: Path, manifest: corpus.Manifest, pairs: Sequence[glossaries.Pair]
) -> Recall:
    """Recall over the ``*.txt`` files a tool wrote under ``folder``."""
    files = sorted(folder.rglob("*.txt"))
    return recall_in((path.read_bytes() for path in files), manifest, pairs)


def output_recall(
    folder: Path | None,
    manifest: corpus.Manifest,
    pairs: Sequence[glossaries.Pair],
    keep: bool,
) -> Recall | None:
    """Recall over a tool's rewritten copy of the corpus, which is then removed unless
    ``keep``; None for a run that wrote nothing (a peer's detect run)."""
    if folder is None:
        return None
    recall = measure_recall(folder, manifest, pairs)
    if not keep:
        shutil.rmtree(folder)
    return recall


# --- the report -----------------------------------------------------------------------------


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=HERE, capture_output=True, text=True, check=False, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def environment() -> dict[str, object]:
    from importlib.metadata import version

    return {
        "commit": _git("rev-parse", "--short", "HEAD"),
        "src_modified": bool(_git("status", "--porcelain", "--", "src")),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "cleantext": version("cleantext"),
        "codespell": peers.tool_version("codespell"),
        "typos": peers.tool_version("typos"),
    }


def report_text(env: dict[str, object], details: str, *sections: str) -> str:
    """The report: a first line with the versions compared (and whether ``src`` had changes
    not yet committed) and ``details`` of the run, then each section (table, verdicts)."""
    head = (
        f"cleantext {env['cleantext']} at {env['commit'] or '?'}"
        f"{' (src modified)' if env['src_modified'] else ''}, {env['codespell']}, {env['typos']};"
        f" {details}"
    )
    return "\n\n".join([head, *sections]) + "\n"


def publish_text(text: str, path: Path) -> None:
    """Print the report and keep it in ``path``."""
    print()
    print(text)
    path.write_text(text, encoding="utf-8")


def publish_json(results: dict[str, object], path: Path) -> None:
    """Write the results as JSON, and say where."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"\nresults: {path}")
