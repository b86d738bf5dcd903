"""Shards on a local process pool (``--jobs N``), or in this process for one job.

Work is handed out a few shards at a time (twice the number of workers in flight), so the
plan is read as the pool needs it and memory does not grow with the corpus; results come
back as shards finish, in whatever order. Workers start from a fork server that has
imported the worker module once: each worker then compiles the config once for all its
shards.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run(
    fn: Callable[..., dict[str, Any]], items: Iterable[T], args: tuple[Any, ...], jobs: int
) -> Iterator[tuple[T, dict[str, Any]]]:
    """``fn(item, *args)`` for every item, as each finishes."""
    if jobs <= 1:
        for item in items:
            yield item, fn(item, *args)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["cleantext.corpus.worker", "cleantext.corpus.mining"])
    pool = cf.ProcessPoolExecutor(jobs, mp_context=context)
    pending: dict[cf.Future[dict[str, Any]], T] = {}
    source = iter(items)
    try:
        while True:
            for item in source:
                pending[pool.submit(fn, item, *args)] = item
                if len(pending) >= 2 * jobs:
                    break
            if not pending:
                break
            done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: str(pending[f])):
                item = pending.pop(future)
                yield item, future.result()
        pool.shutdown(wait=True)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
