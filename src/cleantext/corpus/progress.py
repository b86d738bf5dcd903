"""The progress bar (documents/s and MB/s, on a terminal only) and the end-of-run summary.

The bar is rich's, on standard error, and only when standard error is a terminal: a run
under a scheduler or in a pipe writes nothing but its summary. It advances per shard (the
unit that is finished and recorded).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any, TextIO


class Bar:
    """Documents and bytes done; rich's live bar on a terminal, nothing otherwise."""

    def __init__(self, total_bytes: int | None, label: str, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.docs = 0
        self.bytes = 0
        self.began = time.perf_counter()
        self._progress: Any = None
        self._task: Any = None
        self.total = total_bytes
        self.label = label

    def __enter__(self) -> Bar:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[docs]} docs  {task.fields[rate]}"),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task(
                self.label, total=self.total, docs=0, rate="", start=True
            )
        return self

    def advance(self, docs: int, size: int) -> None:
        self.docs += docs
        self.bytes += size
        if self._progress is not None:
            elapsed = max(1e-9, time.perf_counter() - self.began)
            rate = f"{self.docs / elapsed:,.0f} docs/s  {self.bytes / 1e6 / elapsed:,.1f} MB/s"
            self._progress.update(self._task, advance=size, docs=f"{self.docs:,}", rate=rate)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.__exit__(kind, value, trace)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.began


def totals(shards: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The run's figures summed over its shards' tallies (this run's and earlier ones')."""
    out: dict[str, Any] = {"shards": 0, "docs": 0, "kept": 0, "rejected": 0, "failed": 0}
    out.update({"bytes": 0, "applied": 0})
    rules: Counter[str] = Counter()
    failures: list[str] = []
    for shard in shards:
        out["shards"] += 1
        for key in ("docs", "kept", "rejected", "failed", "bytes", "applied"):
            out[key] += int(shard.get(key, 0))
        rules.update(shard.get("rules", {}))
        failures.extend(shard.get("failures", []))
    out["rules"] = dict(sorted(rules.items(), key=lambda kv: (-kv[1], kv[0])))
    out["failures"] = failures
    return out


def summary(
    figures: Mapping[str, Any], seconds: float, skipped: int, this_run: int = -1, top: int = 20
) -> str:
    """The lines printed at the end: counts, speed, edits per rule, the first failures.
    ``this_run`` is the bytes this run read (a resumed run did not read the earlier
    shards); by default, all of them."""
    mb = (figures["bytes"] if this_run < 0 else this_run) / 1e6
    lines = [
        f"cleantext corpus: {figures['docs']:,} documents in {figures['shards']:,} shards "
        f"({skipped:,} already done): {figures['kept']:,} kept, {figures['rejected']:,} "
        f"rejected, {figures['failed']:,} failed; {figures['applied']:,} edits applied",
    ]
    if seconds > 0:
        lines.append(f"  {mb:,.1f} MB in {seconds:.1f} s ({mb / seconds:,.1f} MB/s this run)")
    rules: dict[str, int] = figures["rules"]
    if rules:
        lines.append("  edits per rule:")
        width = max(len(r) for r in list(rules)[:top])
        lines += [f"    {r:<{width}}  {n:>9,}" for r, n in list(rules.items())[:top]]
        if len(rules) > top:
            lines.append(f"    ... and {len(rules) - top} more rules")
    failures: list[str] = figures["failures"]
    if failures:
        lines.append(f"  {figures['failed']:,} documents failed (see OUT/_rejected/), first:")
        lines += [f"    {f}" for f in failures[:5]]
    return "\n".join(lines)
