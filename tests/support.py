"""Helpers shared by the test modules: where the data lives, and the CLI run in-process or
as a real subprocess, with bytes in and bytes out."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType

from cleantext.cli import main as cli_main

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
GOLD = DATA / "gold"
CLEAN = DATA / "clean"
SEEDS = ROOT / "seeds"

# Figures the suite reports at the end of a run (see conftest.pytest_terminal_summary).
REPORT: dict[str, list[str]] = {}


def report(section: str, line: str) -> None:
    """Keep a line for the end-of-run summary, and print it for ``pytest -s``."""
    REPORT.setdefault(section, []).append(line)
    print(line)


@dataclass(frozen=True)
class Result:
    """What a CLI run left behind: exit code, standard output (bytes) and standard error."""

    code: int
    out: bytes
    err: str
    argv: Sequence[str] = field(default=())

    @property
    def text(self) -> str:
        return self.out.decode("utf-8")


@contextlib.contextmanager
def _swapped_streams(stdin: bytes) -> Iterator[tuple[io.BytesIO, io.BytesIO]]:
    out_raw, err_raw = io.BytesIO(), io.BytesIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    wrappers = (
        io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"),
        io.TextIOWrapper(out_raw, encoding="utf-8", write_through=True),
        io.TextIOWrapper(err_raw, encoding="utf-8", write_through=True),
    )
    sys.stdin, sys.stdout, sys.stderr = wrappers
    try:
        yield out_raw, err_raw
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        for wrapper in wrappers:
            wrapper.flush()
            wrapper.detach()  # a collected wrapper would close the buffer we still read


def run(argv: Sequence[str], stdin: bytes = b"") -> Result:
    """``cleantext.cli.main(argv)`` in this process; argparse's exits become exit codes."""
    with _swapped_streams(stdin) as (out, err):
        try:
            code = cli_main(list(argv))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return Result(code, out.getvalue(), err.getvalue().decode("utf-8"), tuple(argv))


def cleantext_command() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m``."""
    script = Path(sys.executable).with_name("cleantext")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "cleantext.cli"]


def run_process(
    argv: Sequence[str],
    stdin: bytes = b"",
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Result:
    """The real command in a child process, as a user runs it (``env``: extra variables)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", **(env or {}))
    done = subprocess.run(
        [*cleantext_command(), *argv],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr.decode("utf-8"), tuple(argv))


def seed_names() -> list[str]:
    """Seeds that have gold corrections."""
    return sorted(p.stem for p in SEEDS.glob("*.txt") if (GOLD / f"{p.stem}.ref.txt").exists())


def words(text: str) -> int:
    return len(text.split())


@cache
def scorer() -> ModuleType:
    """The copied gold scorer, imported from its file (it is not a package module)."""
    spec = importlib.util.spec_from_file_location("gold_score", GOLD / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
