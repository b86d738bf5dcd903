"""Shards on a local process pool (``--jobs N``), or in this process for one job.

Work is handed out a few shards at a time (twice the number of workers in flight), so the
plan is read as the pool needs it and memory does not grow with the corpus; results come
back as shards finish, in whatever order. Workers live for the whole run (both passes) and
compile the config once, when the run starts (``run.resolve_config``).

Workers are forked from this process when it runs a single thread, as it does when a run
starts: they inherit its imports at no cost, where a fork server takes a fresh interpreter
and the imports again (0.2 s, a twentieth of a 2-job run over 500 MB). With another thread
alive (a test runner's, a Dask client's), forking could copy a lock held by that thread,
so a fork server that has imported the worker module is used instead.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import threading
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


PRELOAD = ["cleantext.corpus.worker", "cleantext.corpus.mining"]


def context() -> multiprocessing.context.BaseContext:
    """How worker processes start (see the module's docstring)."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    server = multiprocessing.get_context("forkserver")
    server.set_forkserver_preload(PRELOAD)
    return server


class Pool:
    """``map`` runs ``fn(item, *args)`` for every item and yields results as they finish."""

    def __init__(
        self,
        jobs: int,
        preload: Callable[[], object] | None = None,
        initializer: Callable[[Any], object] | None = None,
    ) -> None:
        self.jobs = jobs
        self.preload = preload  # run here before forking, so workers share what it built
        # run in each worker as it starts, given the pool's stop event, which is set when
        # the pool is left on Ctrl-C (the workers then drop what they are doing)
        self.initializer = initializer
        self._stop: Any = None
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
            interrupted = kind is not None and issubclass(kind, KeyboardInterrupt)
            if interrupted and self._stop is not None:
                self._stop.set()
            # after Ctrl-C the workers answer what is left at once (``worker.call``): waiting
            # for them lets the caller sweep their uncommitted shards with no one writing
            self._pool.shutdown(wait=kind is None or interrupted, cancel_futures=True)

    def _executor(self) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            ctx = context()
            if ctx.get_start_method() == "fork" and self.preload is not None:
                self.preload()
            if self.initializer is None:
                self._pool = cf.ProcessPoolExecutor(self.jobs, mp_context=ctx)
            else:
                self._stop = ctx.Event()  # only a worker's initializer can be handed it
                self._pool = cf.ProcessPoolExecutor(
                    self.jobs, mp_context=ctx, initializer=self.initializer, initargs=(self._stop,)
                )
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
