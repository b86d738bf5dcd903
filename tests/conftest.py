"""Test set-up: the tests folder on the import path (for ``support``), every test run from
a scratch folder (so no glossary.csv or rules/ of the machine's folders leaks in), a cache
folder of the run's own, and the suite's figures printed at the end of the run."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import support


def pytest_configure(config: pytest.Config) -> None:
    """A cache folder of the run's own (inherited by every child process), so the suite
    never writes to the user's cache and starts from an empty one."""
    os.environ["CLEANTEXT_CACHE_DIR"] = tempfile.mkdtemp(prefix="cleantext-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.get("CLEANTEXT_CACHE_DIR", ""), ignore_errors=True)


@pytest.fixture(autouse=True)
def _scratch_cwd(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path_factory.getbasetemp())


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for section, lines in support.REPORT.items():
        terminalreporter.write_sep("-", section)
        for line in lines:
            terminalreporter.write_line(line)
