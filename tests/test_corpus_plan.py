"""The shard plan: the last shards of a run are cut finer, so that no worker waits long
for the last one, and the cut shards still cover every document once, in order, with the
same ids and places as the whole shards they replace."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cleantext.corpus import sources
from cleantext.corpus.sources import Doc, Failure, Shard, balanced
from corpus_support import run_corpus, write_texts


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=60), st.integers(1, 8))
@example([1, 0], 1)  # a last item of weight 0 once made a run past the last
@example([5, 0, 0], 2)
def test_balanced_runs_cover_every_index_in_order(weights: list[int], parts: int) -> None:
    runs = balanced(weights, parts)
    assert 1 <= len(runs) <= parts
    assert runs[0][0] == 0 and runs[-1][1] == len(weights)
    assert all(a < b for a, b in runs)  # none empty
    assert all(runs[i][1] == runs[i + 1][0] for i in range(len(runs) - 1))  # no gap


def test_balanced_splits_equal_weights_evenly() -> None:
    assert balanced([7] * 20, 4) == [(0, 5), (5, 10), (10, 15), (15, 20)]
    assert [b - a for a, b in balanced([1] * 10, 4)] in ([3, 2, 3, 2], [2, 3, 2, 3])


def _read_all(shards: list[Shard]) -> list[tuple[str, str, str]]:
    out = []
    for shard in shards:
        for item in sources.read(shard):
            if isinstance(item, Doc):
                out.append((item.id, item.where, item.text))
            else:
                assert isinstance(item, Failure)
                out.append((item.id, item.where, item.reason))
    return out


def test_text_plan_cuts_only_its_last_shards(tmp_path: Path) -> None:
    """12 shards of 4 files: the first 4 stay whole, each of the last 8 becomes 4 shards of
    one file; every file once, in order, ids numbered without a gap."""
    folder = write_texts(tmp_path / "in", {f"doc-{i:03d}.txt": "word " * 200 for i in range(48)})
    shards = list(sources.plan(folder, "text", ["*.txt"], 1000, 4000))
    assert [s.docs for s in shards] == [4] * 4 + [1] * 32
    assert [s.id for s in shards] == [f"shard-{i:06d}" for i in range(36)]
    assert [f for s in shards for f in s.files] == [f"doc-{i:03d}.txt" for i in range(48)]
    assert all(s.size == 1000 for s in shards[4:])


def test_small_last_shards_stay_whole(tmp_path: Path) -> None:
    """A shard under half the size limit is not worth cutting (a docs-limited run of tiny
    documents, say): the plan is the one ``--shard-size`` asks for."""
    folder = write_texts(tmp_path / "in", {f"d{i}.txt": "a few words" for i in range(9)})
    shards = list(sources.plan(folder, "text", ["*.txt"], 3, 4_000_000))
    assert [s.docs for s in shards] == [3, 3, 3]


def _jsonl_input(path: Path) -> Path:
    lines = [json.dumps({"id": i, "text": f"line {i} " + "x" * (50 + 7 * i)}) for i in range(40)]
    lines[5] = ""  # a blank line: no document, but it keeps its number
    lines[9] = "{broken"  # an error record naming its line
    body = "\ufeff" + "\n".join(lines)  # a BOM, and no line end after the last line
    path.write_text(body, encoding="utf-8")
    return path


def test_jsonl_cut_shards_read_the_same_documents(tmp_path: Path) -> None:
    path = _jsonl_input(tmp_path / "in.jsonl")
    whole = list(sources.plan(path, "jsonl", [], 10**6, 10**9))
    assert len(whole) == 1
    cut = list(sources.plan(path, "jsonl", [], 10**6, path.stat().st_size // 2))
    assert len(cut) > 2
    assert cut[0].start == 0 and cut[-1].stop == path.stat().st_size
    assert all(a.stop == b.start for a, b in itertools.pairwise(cut))
    assert sum(s.docs for s in cut) == whole[0].docs == 40
    assert _read_all(cut) == _read_all(whole)
    assert ("in.jsonl:10", "in.jsonl:10") in [(i, w) for i, w, _ in _read_all(cut)]


def test_jsonl_piece_of_a_changed_file_stays_whole(tmp_path: Path) -> None:
    path = _jsonl_input(tmp_path / "in.jsonl")
    (piece,) = sources.plan(path, "jsonl", [], 10**6, 10**9)
    path.write_text("{}\n" * 10, encoding="utf-8")
    assert sources._cut(piece, 1) == [piece]


def test_parquet_cut_shards_read_the_same_rows(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "in.parquet"
    table = pa.table({"id": list(range(30)), "text": [f"row {i} " + "y" * 300 for i in range(30)]})
    pq.write_table(table, path, row_group_size=30)
    whole = list(sources.plan(path, "parquet", [], 10**6, 10**9))
    cut = list(sources.plan(path, "parquet", [], 10**6, 4000))
    assert len(whole) == 1 and len(cut) > 1
    assert cut[0].start == 0 and cut[-1].stop == 30
    assert _read_all(cut) == _read_all(whole)


def test_a_run_planned_the_old_way_is_not_resumed(tmp_path: Path) -> None:
    """Shard ids name different documents once the plan changes: resuming would skip
    the wrong ones, so the folder is refused, naming what changed."""
    folder = write_texts(tmp_path / "in", {"a.txt": "Some text.\n"})
    out = tmp_path / "out"
    assert run_corpus(folder, out, jobs=1).code == 0
    run_file = out / "_run.json"
    old = json.loads(run_file.read_text(encoding="utf-8"))
    del old["plan"]
    run_file.write_text(json.dumps(old), encoding="utf-8")
    again = run_corpus(folder, out, jobs=1)
    assert again.code == 2
    assert "other settings (plan)" in again.err
