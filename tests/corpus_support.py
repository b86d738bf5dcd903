"""Helpers shared by the ``test_corpus_*`` modules: a `cleantext corpus` command line from
keyword options, the run itself, input folders, and reading the records a run wrote."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from support import SEEDS, Result, run, run_process


def corpus_args(source: Path, out: Path, **options: object) -> list[str]:
    """``corpus SOURCE OUT`` and ``options`` as flags, in order: ``shard_size=2`` is
    ``--shard-size 2``, ``unsafe=True`` is ``--unsafe``, False or None leaves one out.

    >>> corpus_args(Path("in"), Path("out"), jobs=1, keep_original=True, dask=None)
    ['corpus', 'in', 'out', '--jobs', '1', '--keep-original']
    """
    argv = ["corpus", str(source), str(out)]
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            argv.append(flag)
        elif value is not False and value is not None:
            argv += [flag, str(value)]
    return argv


def run_corpus(source: Path, out: Path, *, process: bool = False, **options: object) -> Result:
    """`cleantext corpus` in-process, or in a child process with ``process``."""
    argv = corpus_args(source, out, **options)
    return run_process(argv) if process else run(argv)


def write_texts(folder: Path, texts: dict[str, str]) -> Path:
    """A new input folder holding each text under its name."""
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def copy_seeds(folder: Path, copies: int = 1) -> Path:
    """A new input folder with ``copies`` copies of every seed article."""
    folder.mkdir()
    for copy in range(copies):
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, folder / f"{copy}-{seed.name}")
    return folder


def jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of one JSON Lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def read_records(out: Path) -> list[dict[str, Any]]:
    """Every record a run wrote to its JSON Lines shards, in shard order."""
    return [r for part in sorted(out.glob("shard-*.jsonl")) for r in jsonl(part)]


def outputs(out: Path) -> dict[str, bytes]:
    """The bytes of every shard a run wrote, by file name."""
    return {p.name: p.read_bytes() for p in sorted(out.glob("shard-*"))}
