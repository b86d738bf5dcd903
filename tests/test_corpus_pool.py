"""How the process pool starts its workers: forked from this process when it runs one
thread (they inherit what ``preload`` built), from a fork server when another thread could
hold a lock the fork would copy."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from cleantext.corpus import pool

BUILT: dict[str, int] = {}


def _build() -> None:
    BUILT["by"] = os.getpid()


def _seen(item: int) -> dict[str, Any]:  # for the one-job pool, run in this process
    return {"item": item, "built_by": BUILT.get("by"), "pid": os.getpid()}


@pytest.fixture
def second_thread() -> Iterator[threading.Thread]:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    yield thread
    stop.set()
    thread.join()


def test_a_single_threaded_process_forks_its_workers() -> None:
    code = "from cleantext.corpus import pool; print(pool.context().get_start_method())"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "fork"


SHARED = """
import os, sys
from cleantext.corpus import pool
BUILT = {}
def build():
    BUILT["by"] = os.getpid()
def seen(item):
    return {"item": item, "built_by": BUILT.get("by"), "pid": os.getpid()}
with pool.Pool(2, preload=build) as runner:
    results = [r for _, r in runner.map(seen, range(6), ())]
assert BUILT["by"] == os.getpid(), BUILT
assert sorted(r["item"] for r in results) == list(range(6)), results
assert {r["built_by"] for r in results} == {os.getpid()}, results
assert os.getpid() not in {r["pid"] for r in results}, results
print("shared")
"""


def test_workers_share_what_preload_built() -> None:
    """In a fresh interpreter, which runs one thread whatever this test runner runs."""
    result = subprocess.run([sys.executable, "-c", SHARED], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "shared"


def test_another_thread_means_a_fork_server(second_thread: threading.Thread) -> None:
    assert pool.context().get_start_method() == "forkserver"
    BUILT.clear()
    with pool.Pool(2, preload=_build) as runner:
        results = [r for _, r in runner.map(dict, [[("a", 1)], [("b", 2)]], ())]
    assert sorted(results, key=str) == [{"a": 1}, {"b": 2}]
    assert BUILT == {}  # nothing to share with workers that did not fork from here


def test_one_job_runs_here_without_a_pool() -> None:
    BUILT.clear()
    with pool.Pool(1, preload=_build) as runner:
        results = [r for _, r in runner.map(_seen, [1, 2], ())]
    assert {r["pid"] for r in results} == {os.getpid()}
    assert BUILT == {}  # no workers, so nothing built ahead for them
