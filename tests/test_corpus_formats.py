"""`cleantext corpus` inputs and outputs: JSON Lines and Parquet round trips keep every
other field, a folder of files comes back byte for byte where nothing changed, records
have the jsonl template's shape, and the fast quality figures equal ``stats``'s."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from cleantext import config, engine, records
from cleantext.corpus.worker import clean
from corpus_support import read_records, run_corpus, write_texts
from support import SEEDS

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def test_jsonl_round_trip_keeps_other_fields(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    rows: list[dict[str, Any]] = [
        {"id": f"doc-{i}", "url": f"https://example.org/{i}", "meta": {"n": [i, None]}, "body": t}
        for i, t in enumerate(SEED_TEXTS)
    ]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    result = run_corpus(source, out, field="body", jobs=1, shard_size=2, keep_original=True)
    assert result.code == 0, result.err
    got = read_records(out)
    assert [g["id"] for g in got] == [r["id"] for r in rows]
    assert len(list(out.glob("shard-*.jsonl"))) == 3
    cfg = config.load()
    for row, record in zip(rows, got, strict=True):
        assert record["url"] == row["url"] and record["meta"] == row["meta"]
        assert "body" not in record  # the text field is the record's text
        assert record["original"] == row["body"]
        # a record's edits replay on the original to give its text (ftfy's explain check)
        replayed = row["body"]
        for edit in sorted(record["edits"], key=lambda e: e["start"], reverse=True):
            assert replayed[edit["start"] : edit["end"]] == edit["original"]
            replayed = replayed[: edit["start"]] + edit["replacement"] + replayed[edit["end"] :]
        assert replayed == record["text"]
        assert record["text"] == engine.fix(row["body"], cfg)[0]
    assert sum(len(r["edits"]) for r in got) > 0


def test_record_has_the_jsonl_template_shape(tmp_path: Path) -> None:
    """The corpus record is ``records.document_record`` plus the quality figure."""
    text = SEED_TEXTS[1]
    source = write_texts(tmp_path / "in", {"x.txt": text})
    result = run_corpus(source, tmp_path / "out", jobs=1, keep_original=True, rules="none")
    assert result.code == 0, result.err
    cfg_none = config.load(rules="none")
    cleaned, proposals, applied = clean(text, cfg_none, False, None)
    expected = records.document_record("x.txt", text, cleaned, proposals, applied, path="x.txt")
    (got,) = read_records(tmp_path / "out")
    assert list(got) == list(expected)
    figures = dict(got["stats"])
    assert 0.0 <= figures.pop("quality") <= 1.0
    assert figures == expected["stats"]
    assert {k: v for k, v in got.items() if k != "stats"} == {
        k: v for k, v in expected.items() if k != "stats"
    }


def test_parquet_round_trip_keeps_columns_and_types(tmp_path: Path) -> None:
    table = pa.table(
        {
            "id": pa.array(range(len(SEED_TEXTS)), type=pa.int64()),
            "text": SEED_TEXTS,
            "lang": ["en"] * len(SEED_TEXTS),
            "score": pa.array([0.5 + i for i in range(len(SEED_TEXTS))], type=pa.float32()),
            "tags": [["news", str(i)] for i in range(len(SEED_TEXTS))],
        }
    )
    source = tmp_path / "in.parquet"
    pq.write_table(table, source, row_group_size=2)  # three row groups: shards stay inside
    out = tmp_path / "out"
    result = run_corpus(source, out, format="parquet", jobs=2, rules="none", shard_size=1)
    assert result.code == 0, result.err
    assert len(list(out.glob("shard-*.parquet"))) == len(SEED_TEXTS)
    back = pq.read_table(out).sort_by("id")  # the folder reads back as one dataset
    for name in ("id", "lang", "score", "tags"):
        assert back.schema.field(name).type == table.schema.field(name).type
        assert back.column(name).to_pylist() == table.column(name).to_pylist()
    cfg = config.load(rules="none")
    assert back.column("text").to_pylist() == [engine.fix(t, cfg)[0] for t in SEED_TEXTS]
    figures = [json.loads(s) for s in back.column("stats").to_pylist()]
    assert back.column("quality").to_pylist() == [f["quality"] for f in figures]


def test_folder_to_files_round_trips_bytes(tmp_path: Path) -> None:
    source = tmp_path / "in"
    (source / "sub").mkdir(parents=True)
    clean_text = "A plain sentence with nothing to fix.\r\nAnd a second line.\r\n"
    (source / "sub" / "clean.txt").write_bytes(b"\xef\xbb\xbf" + clean_text.encode())
    (source / "garbled.txt").write_text("He praised Openai\u2019s model.\n", encoding="utf-8")
    (source / "notes.md").write_text("not picked: wrong suffix\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_corpus(source, out, format="files", jobs=1)
    assert result.code == 0, result.err
    assert (out / "sub" / "clean.txt").read_bytes() == (source / "sub" / "clean.txt").read_bytes()
    assert (out / "garbled.txt").read_text(encoding="utf-8") == "He praised OpenAI\u2019s model.\n"
    assert not (out / "notes.md").exists()


def test_bad_arguments_are_one_line_errors(tmp_path: Path) -> None:
    result = run_corpus(tmp_path / "missing", tmp_path / "out", jobs=1)
    assert result.code == 2 and result.err.count("\n") == 1 and "missing" in result.err
    result = run_corpus(SEEDS, tmp_path / "o", min_quality=2)
    assert result.code == 2 and "between 0 and 1" in result.err
    write_texts(tmp_path / "full", {"keep.txt": "mine"})
    result = run_corpus(SEEDS, tmp_path / "full", jobs=1)
    assert result.code == 2 and "not empty" in result.err
    assert (tmp_path / "full" / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_parquet_shards_share_one_schema_even_when_one_is_empty(tmp_path: Path) -> None:
    """A shard whose documents were all dropped still has the run's columns, so the
    output folder reads back as one dataset."""
    source = write_texts(
        tmp_path / "in",
        {
            "a.txt": "He praised Openai.\n",
            "b.txt": "The plan went ahead as agreed.\n",
            "c.txt": "Geosus smred the gesterodes.\n",
        },
    )
    out = tmp_path / "out"
    result = run_corpus(
        source, out, format="parquet", jobs=1, shard_size=1, keep_original=True, drop_flagged=True
    )
    assert result.code == 0, result.err
    assert len(list(out.glob("shard-*.parquet"))) == 3
    assert len(list((out / "_rejected").glob("shard-*.jsonl"))) >= 1
    back = pq.read_table(out)
    assert {"id", "path", "text", "original", "quality"} <= set(back.schema.names)
    assert "OpenAI" in " ".join(back.column("text").to_pylist())


def test_jsonl_to_files_names_files_by_id(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    rows = [{"id": "../up/x", "text": "He praised Openai.\n"}, {"id": 7, "text": "Fine.\n"}]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    result = run_corpus(source, out, format="files", jobs=1)
    assert result.code == 0, result.err
    assert (out / "up" / "x.txt").read_text(encoding="utf-8") == "He praised OpenAI.\n"
    assert (out / "7.txt").read_text(encoding="utf-8") == "Fine.\n"
    assert not (tmp_path / "up").exists()  # an id never writes outside OUT


def test_jsonl_ids_keep_their_type_and_odd_ids_are_carried(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    rows = [
        {"id": 41, "text": "Fine."},
        {"id": "a-1", "text": "Fine."},
        {"id": {"shard": 3}, "text": "Fine."},
        {"text": "Fine.", "stats": "theirs"},
    ]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    assert run_corpus(source, out, jobs=1, rules="none").code == 0
    got = read_records(out)
    assert [r["id"] for r in got] == [41, "a-1", "in.jsonl:3", "in.jsonl:4"]
    assert got[2]["input_id"] == {"shard": 3}
    assert got[3]["input_stats"] == "theirs" and isinstance(got[3]["stats"], dict)


def test_glossary_edited_between_two_runs_in_one_process_is_compiled_anew(tmp_path: Path) -> None:
    """One job compiles the config in the main process and reuses it for its shards; a
    second run in the same process after the glossary changed must use the new rows."""
    source = write_texts(tmp_path / "in", {"a.txt": "The geosus plan.\n"})
    gloss = tmp_path / "g.csv"
    header = "wrong,right,case,when,unless,confidence,note\n"
    gloss.write_text(header + "geosus,census,,,,auto,\n", encoding="utf-8")
    first = run_corpus(source, tmp_path / "out1", jobs=1, glossary=gloss, rules="none")
    assert first.code == 0, first.err
    gloss.write_text(header + "geosus,genesis,,,,auto,\n", encoding="utf-8")
    second = run_corpus(source, tmp_path / "out2", jobs=1, glossary=gloss, rules="none")
    assert second.code == 0, second.err
    assert [r["text"] for r in read_records(tmp_path / "out1")] == ["The census plan.\n"]
    assert [r["text"] for r in read_records(tmp_path / "out2")] == ["The genesis plan.\n"]
