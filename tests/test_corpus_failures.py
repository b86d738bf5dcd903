"""Nothing lost at scale: poisoned documents become error records while the rest of the
corpus finishes, and the quality filters send dropped documents, with the reason, to a
separate output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cleantext import config, engine
from corpus_support import jsonl, read_records, run_corpus, write_texts
from support import SEEDS


def test_poisoned_text_files_become_error_records(tmp_path: Path) -> None:
    source = tmp_path / "in"
    shutil.copytree(SEEDS, source)
    (source / "002_bad.txt").write_bytes(b"Fine start.\nthen \xff\xfe broken bytes\n")
    (source / "003_binary.txt").write_bytes(b"\x00\x01\x02 binary")
    out = tmp_path / "out"
    result = run_corpus(
        source,
        out,
        process=True,
        jobs=2,
        shard_size=2,
        rules="none",
        rejected=tmp_path / "rejected.jsonl",
    )
    assert result.code == 1, result.err  # finished, with failures
    assert "7 documents" in result.err and "2 failed" in result.err
    assert "Traceback" not in result.err
    good = read_records(out)
    assert sorted(r["id"] for r in good) == sorted(p.name for p in SEEDS.glob("*.txt"))
    errors = {r["id"]: r for r in jsonl(tmp_path / "rejected.jsonl")}
    assert set(errors) == {"002_bad.txt", "003_binary.txt"}
    assert errors["002_bad.txt"]["reason"] == "error"
    assert "line 2" in errors["002_bad.txt"]["error"] and "UTF-8" in errors["002_bad.txt"]["error"]
    assert "binary" in errors["003_binary.txt"]["error"]


def test_poisoned_jsonl_lines_name_their_line(tmp_path: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    body = [json.dumps({"id": i, "text": t}) for i, t in enumerate(texts[:2])]
    body += ['{"id": 7, "text": 42}', "{broken json", '{"id": 8}', b"\xff".decode("latin-1")]
    body += [json.dumps({"id": 9, "text": texts[2]})]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(body) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_corpus(source, out, jobs=1, rules="none")
    assert result.code == 1
    assert [r["id"] for r in read_records(out)] == [0, 1, 9]
    errors = jsonl(out / "_rejected" / "shard-000000.jsonl")
    assert [e["where"] for e in errors] == ["in.jsonl:3", "in.jsonl:4", "in.jsonl:5", "in.jsonl:6"]
    assert "int, not a string" in errors[0]["error"]
    assert "not valid JSON" in errors[1]["error"]
    assert "no field 'text'" in errors[2]["error"]
    assert "4 failed" in result.err


def test_filters_drop_damaged_documents_with_a_reason(tmp_path: Path) -> None:
    clean = (
        "The minister said on Monday that the plan would go ahead as agreed.\n\n"
        "Officials in the capital expect the first results by the end of the year.\n"
    )
    source = write_texts(tmp_path / "in", {"clean.txt": clean})
    for p in SEEDS.glob("*.txt"):
        shutil.copy(p, source / p.name)
    out = tmp_path / "out"
    result = run_corpus(source, out, jobs=1, drop_flagged=True, rejected=tmp_path / "dropped.jsonl")
    assert result.code == 0, result.err
    cfg = config.load()
    flagged = {
        p.name
        for p in source.glob("*.txt")
        if any(e.confidence == "flag" for e in engine.propose(p.read_text("utf-8"), cfg))
    }
    assert flagged and "clean.txt" not in flagged
    dropped = {r["id"]: r for r in jsonl(tmp_path / "dropped.jsonl")}
    assert set(dropped) == flagged
    assert all("flagged span" in r["reason"] for r in dropped.values())
    assert all(r["text"] and r["stats"]["by_confidence"]["flag"] for r in dropped.values())
    assert {r["id"] for r in read_records(out)} == {p.name for p in source.glob("*.txt")} - flagged

    out2 = tmp_path / "out2"
    result = run_corpus(source, out2, jobs=1, min_quality=0.99)
    assert result.code == 0, result.err
    rejected = jsonl(out2 / "_rejected" / "shard-000000.jsonl")
    kept_ids = {r["id"] for r in read_records(out2)}
    assert "clean.txt" in kept_ids
    assert all(r["stats"]["quality"] < 0.99 for r in rejected)
    assert all(r["reason"] == f"quality {r['stats']['quality']:g} < 0.99" for r in rejected)
    assert len(rejected) + len(kept_ids) == 6


def test_parquet_without_the_text_column_is_an_input_error(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": [1], "body": ["He praised Openai."]}), source)
    result = run_corpus(source, tmp_path / "out", jobs=2)
    assert result.code == 2
    assert result.err == f"cleantext: {source}: no column 'text' (see --field)\n"
    result = run_corpus(source, tmp_path / "ok", jobs=2, field="body")
    assert result.code == 0, result.err
    assert "OpenAI" in read_records(tmp_path / "ok")[0]["text"]


@pytest.mark.parametrize(("jobs", "dask"), [(1, None), (2, None), (1, "local")])
def test_broken_glossary_is_one_line_error_however_the_run_is_spread(
    tmp_path: Path, jobs: int, dask: str | None
) -> None:
    """The config is described in this process (one job), on the pool's workers (--jobs
    2) or in a child before any cluster starts (--dask): its error reaches the user the
    same way, one line with the file and line, exit 2, and no output folder half made."""
    source = write_texts(tmp_path / "in", {"a.txt": "Openai said so.\n"})
    gloss = tmp_path / "g.csv"
    gloss.write_text('wrong,right,case,when,unless,confidence,note\n"open,x\n', encoding="utf-8")
    result = run_corpus(source, tmp_path / "out", glossary=gloss, jobs=jobs, dask=dask)
    assert result.code == 2, result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "g.csv:" in result.err and "Traceback" not in result.err
    assert not list((tmp_path / "out").glob("shard-*"))
