"""The same corpus through a real Dask cluster on 127.0.0.1 (started by `--dask local`,
and a LocalCluster of 2 workers reached by its tcp:// address) and through a real process
pool gives byte for byte the output of `--jobs 1`."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from corpus_support import copy_seeds, outputs, run_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = copy_seeds(tmp_path_factory.mktemp("dask") / "in", copies=3)
    (folder / "bad.txt").write_bytes(b"broken \xff\n")
    return folder


@pytest.fixture(scope="module")
def reference(corpus: Path) -> dict[str, bytes]:
    out = corpus.parent / "jobs1"
    result = run_corpus(corpus, out, jobs=1, shard_size=4, unsafe=True)
    assert result.code == 1, result.err  # bad.txt failed, the rest went through
    return outputs(out)


def test_dask_local_cluster_matches_one_job(corpus: Path, reference: dict[str, bytes]) -> None:
    out = corpus.parent / "dask-local"
    result = run_corpus(corpus, out, dask="local", jobs=2, shard_size=4, unsafe=True)
    assert result.code == 1, result.err
    assert "16 documents in 4 shards" in result.err and "1 failed" in result.err
    assert outputs(out) == reference
    assert len(list((out / "_rejected").glob("shard-*.jsonl"))) == 1


def test_existing_cluster_by_address_matches_one_job(
    corpus: Path, reference: dict[str, bytes]
) -> None:
    import distributed

    cluster_type: Any = distributed.LocalCluster  # distributed's annotations are partial
    with cluster_type(
        n_workers=2,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        out = corpus.parent / "dask-tcp"
        result = run_corpus(corpus, out, dask=address, shard_size=4, unsafe=True)
    assert result.code == 1, result.err
    assert outputs(out) == reference


def test_process_pool_matches_one_job(corpus: Path, reference: dict[str, bytes]) -> None:
    out = corpus.parent / "pool"
    result = run_corpus(corpus, out, jobs=2, shard_size=4, unsafe=True)
    assert result.code == 1, result.err
    assert outputs(out) == reference


def test_unreachable_scheduler_is_an_input_error(corpus: Path) -> None:
    result = run_corpus(corpus, corpus.parent / "nowhere", dask="tcp://127.0.0.1:9", shard_size=4)
    assert result.code == 2 and "tcp://127.0.0.1:9" in result.err
    assert result.err.count("\n") == 1
