"""Names across the whole corpus: glossary mining finds the Kratsios variants of the seeds
by itself (no glossary row tells it), writes rows `glossary.load` accepts, and the
cleaning pass judges each document's names by the counts of the whole corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from cleantext import glossary
from cleantext.corpus import mining
from corpus_support import read_records, run_corpus, write_texts
from support import SEEDS, run

VARIANTS = {"Kratzios", "Krazios", "Kratsoos", "Kratsooth"}


def test_mining_recovers_the_kratsios_variants(tmp_path: Path) -> None:
    mined = tmp_path / "candidates.csv"
    result = run_corpus(
        SEEDS, tmp_path / "out", no_glossary=True, jobs=2, shard_size=1, mine_glossary=mined
    )
    assert result.code == 0, result.err
    entries = glossary.load([mined]).entries  # loadable as a glossary as it stands
    rows = {e.wrong: e for e in entries}
    assert set(rows) >= VARIANTS
    for variant in VARIANTS:
        assert rows[variant].right == "Kratsios"
        assert rows[variant].confidence == "review"
        assert "7 of " in rows[variant].note and "spell it Kratsios" in rows[variant].note
    assert "Kratsios" not in rows  # the canonical spelling is never a 'wrong'
    assert f"{len(entries)} candidate glossary rows" in result.err


def test_mining_leaves_out_names_the_glossary_knows(tmp_path: Path) -> None:
    """The bundled glossary has Kratsios as a canonical name: nothing to mine for it."""
    mined = tmp_path / "candidates.csv"
    result = run_corpus(SEEDS, tmp_path / "out", jobs=1, mine_glossary=mined)
    assert result.code == 0, result.err
    assert not VARIANTS & {e.wrong for e in glossary.load([mined]).entries}


def test_map_reduce_counts_sum_per_document_counts() -> None:
    texts = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    total = mining.NameCounts()
    for text in texts:
        total.add(mining.count_text(text))
    assert total.names["Kratsios"] == 7 and total.names["Kratzios"] == 3
    assert total.docs["Kratzios"] == 1 and total.documents == len(texts)
    assert mining.NameCounts.from_dict(json.loads(json.dumps(total.to_dict()))) == total


def test_names_are_resolved_across_the_corpus(tmp_path: Path) -> None:
    """One article spells the name 'Halvorsen' twice and 'Halvorson' once: alone, its
    majority wins. Four other articles spell it 'Halvorson': with the whole corpus as
    evidence, the article's 'Halvorsen' is the variant."""
    odd = (
        "Ingrid Halvorsen spoke first. Later Halvorsen said the plan was sound.\n\n"
        "Halvorson added that the vote would come next week.\n"
    )
    others = {
        f"b{i}.txt": f"Report {i}: Ingrid Halvorson met the committee. Halvorson left at noon.\n"
        for i in range(4)
    }
    source = write_texts(tmp_path / "in", {"a.txt": odd, **others})
    alone = tmp_path / "alone"
    shutil.copy(source / "a.txt", alone.with_suffix(".txt"))
    single = run_corpus(alone.with_suffix(".txt"), alone, jobs=1, unsafe=True, no_glossary=True)
    assert single.code == 0, single.err
    (record,) = read_records(alone)
    assert "Halvorsen spoke" in record["text"] and "Halvorson added" not in record["text"]

    out = tmp_path / "out"
    whole = run_corpus(source, out, jobs=2, shard_size=1, unsafe=True, no_glossary=True)
    assert whole.code == 0, whole.err
    records = {r["id"]: r for r in read_records(out)}
    assert "Halvorsen" not in records["a.txt"]["text"]
    assert records["a.txt"]["text"].count("Halvorson") == 3
    assert {"variant": "Halvorsen", "canonical": "Halvorson"} in records["a.txt"]["stats"][
        "name_variants"
    ]


def test_mined_rows_propose_in_context_for_review(tmp_path: Path) -> None:
    """The candidates file is a glossary an editor can use as it stands (`check` and the
    review app read it with --glossary): each mined row proposes, for review, in place."""
    mined = tmp_path / "candidates.csv"
    result = run_corpus(SEEDS, tmp_path / "out", no_glossary=True, jobs=1, mine_glossary=mined)
    assert result.code == 0, result.err
    article = next(p for p in SEEDS.glob("*.txt") if "Kratzios" in p.read_text("utf-8"))
    check = run(
        ["check", str(article), "--glossary", str(mined), "--rules", "none", "--format", "json"]
    )
    proposals = [json.loads(line) for line in check.text.splitlines()]
    mined_rules = {p["original"]: p for p in proposals if p["rule"].startswith("glossary.kra")}
    assert set(mined_rules) == VARIANTS
    assert all(p["replacement"] == "Kratsios" for p in mined_rules.values())
    assert all(p["confidence"] == "review" for p in mined_rules.values())
