"""Shards on Dask: ``--dask local`` starts a ``distributed.LocalCluster`` on 127.0.0.1,
``--dask tcp://HOST:PORT`` uses a running scheduler.

Each shard is one partition of a ``dask.bag`` mapped with the same function the process
pool runs (it reads its own input and writes its own output shard, so the input and the
output folder must be reachable from every worker: a shared or network file system when
the cluster spans machines). Bags are submitted a few partitions at a time and collected
as they complete, so a corpus far larger than memory streams through the cluster with at
most a window of shards in flight, and the main process records each finished shard at
once (an interrupted run resumes like a pool run). One client (and, for ``local``, one
cluster) serves both passes of a run.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from types import TracebackType
from typing import Any, TypeVar

from cleantext.errors import CleantextError

T = TypeVar("T")


def _module(name: str) -> Any:
    """Dask's modules, typed loosely: its own annotations are partial."""
    return importlib.import_module(name)


def _client(address: str, jobs: int) -> Any:
    distributed = _module("distributed")
    if address == "local":
        cluster = distributed.LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        return distributed.Client(cluster)
    try:
        return distributed.Client(address, timeout="5s")
    except OSError as exc:
        raise CleantextError(address, f"no Dask scheduler answers there: {exc}") from None


class Cluster:
    """``map`` runs ``fn(item, *args)`` for every item on the cluster, as each finishes."""

    def __init__(self, address: str, jobs: int) -> None:
        self.address = address
        self.jobs = jobs
        self.client: Any = None

    def __enter__(self) -> Cluster:
        self.client = _client(self.address, self.jobs)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        cluster = getattr(self.client, "cluster", None)
        self.client.close()
        if cluster is not None:
            cluster.close()

    def map(
        self, fn: Callable[..., dict[str, Any]], items: Iterable[T], args: tuple[Any, ...]
    ) -> Iterator[tuple[T, dict[str, Any]]]:
        bags = _module("dask.bag")
        client = self.client
        workers = max(1, len(client.scheduler_info().get("workers", {})) or self.jobs)
        source = iter(items)
        pending: dict[Any, T] = {}
        finished = _module("distributed").as_completed()

        def submit(batch: list[T]) -> None:
            if not batch:
                return
            bag = bags.from_sequence(batch, npartitions=len(batch)).map(fn, *args)
            for future, item in zip(client.compute(bag.to_delayed()), batch, strict=True):
                pending[future] = item
                finished.add(future)

        try:
            submit(list(islice(source, 2 * workers)))
            for future in finished:
                item = pending.pop(future)
                (result,) = future.result()
                yield item, result
                submit(list(islice(source, 1)))
        finally:
            if pending:
                client.cancel(list(pending))
