"""Corpus mode: the engine over many documents with flat memory, on a process pool or Dask.

Modules, one job each: ``sources`` (streaming readers and the shard plan), ``worker`` (one
shard in, one output shard out), ``quality`` (per-document figures and the keep/drop
filters), ``sinks`` (atomic shard writers and the manifest that makes runs resumable),
``mining`` (name evidence over the whole corpus and candidate glossary rows), ``pool`` and
``dask_run`` (where shards run), ``progress`` (the bar and the summary) and ``run`` (the two
passes that tie them together). Nothing here imports Dask or pyarrow at import time.
"""

DEFAULT_SHARD_DOCS = 1000  # documents per shard; here so that the CLI reads them cheaply
DEFAULT_SHARD_MB = 4.0  # input megabytes per shard at most
