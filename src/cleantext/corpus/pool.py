"""Shards on a local process pool (``--jobs N``), or in this process for one job.

Work is handed out a few shards at a time (twice the number of workers in flight), so the
plan is read as the pool needs it and memory does not grow with the corpus; results come
back as shards finish, in whatever order. Workers start from a fork server that has
imported the worker module once, and live for the whole run (both passes): each compiles
the config once, on its first shard.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Pool:
    """``map`` runs ``fn(item, *args)`` for every item and yields results as they finish."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: cf.ProcessPoolExecutor | None = None

    def __enter__(self) -> Pool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=kind is None, cancel_futures=True)

    def _executor(self) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["cleantext.corpus.worker", "cleantext.corpus.mining"])
            self._pool = cf.ProcessPoolExecutor(self.jobs, mp_context=context)
        return self._pool

    def map(
        self, fn: Callable[..., dict[str, Any]], items: Iterable[T], args: tuple[Any, ...]
    ) -> Iterator[tuple[T, dict[str, Any]]]:
        if self.jobs <= 1:
            for item in items:
                yield item, fn(item, *args)
            return
        pool = self._executor()
        pending: dict[cf.Future[dict[str, Any]], T] = {}
        source = iter(items)
        try:
            while True:
                for item in source:
                    pending[pool.submit(fn, item, *args)] = item
                    if len(pending) >= 2 * self.jobs:
                        break
                if not pending:
                    return
                done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: str(pending[f])):
                    item = pending.pop(future)
                    yield item, future.result()
        finally:
            for future in pending:
                future.cancel()
