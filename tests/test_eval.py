"""`cleantext eval`: sacrebleu figures before and after, edit precision/recall scored the way
the gold's score.py scores them (checked by running score.py itself on `fix --unsafe`
output), flag coverage, clear errors, and the html report read back in headless chromium.

Each real run is cached per module: the seeds take ~12 s (sacrebleu's TER on the longest,
most damaged seed), the invented garbled set ~3 s.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import support
from browser import artefact, browser_page
from cleantext import evaluate
from cleantext.model import Confidence, Edit

GARBLED = support.DATA / "garbled"
GARBLED_NAMES = sorted(p.name[:-4] for p in GARBLED.glob("*.txt") if ".ref." not in p.name)


def _scratch(name: str) -> Path:
    """A folder of this module's own under pytest's base temp (the tests' cwd)."""
    path = Path.cwd() / "test_eval" / name
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def _inputs_only(source: Path, names: list[str], where: Path) -> Path:
    """The garbled articles without their references beside them (score.py and `fix`
    would take a NAME.ref.txt for one more input)."""
    for name in names:
        shutil.copyfile(source / f"{name}.txt", where / f"{name}.txt")
    return where


@cache
def score_py(corpus: str) -> dict[str, Any]:
    """score.py, run as a program on what `fix --unsafe --out` wrote: the judge's figures."""
    if corpus == "seeds":
        orig, ref = support.SEEDS, support.GOLD
    else:
        orig, ref = _inputs_only(GARBLED, GARBLED_NAMES, _scratch("garbled-in")), GARBLED
    out = _scratch(f"{corpus}-out")
    fixed = support.run(["fix", "--unsafe", "--out", str(out), str(orig)])
    assert fixed.code == 0, fixed.err
    done = subprocess.run(
        [sys.executable, str(support.GOLD / "score.py"), str(orig), str(out), str(ref), "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.rstrip().rindex("\n}")
    result: dict[str, Any] = json.loads(done.stdout[: last + 2])
    return result


@cache
def eval_json(corpus: str, *extra: str) -> dict[str, Any]:
    """`cleantext eval --format json --out FILE` on the seeds or the garbled set."""
    paths = {"seeds": (support.SEEDS, support.GOLD), "garbled": (GARBLED, GARBLED)}[corpus]
    target = _scratch(f"json-{corpus}-{len(extra)}") / "report.json"
    argv = ["eval", str(paths[0]), "--ref", str(paths[1]), "--format", "json"]
    done = support.run([*argv, *extra, "--out", str(target)])
    assert done.code == 0, done.err
    assert done.out == b"", "with --out nothing goes to stdout"
    report: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
    return report


@cache
def seeds_table() -> support.Result:
    """The command of the issue, as a user types it (a real process)."""
    return support.run_process(["eval", str(support.SEEDS), "--ref", str(support.GOLD)])


def _number(pattern: str, text: str) -> float:
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not in:\n{text}"
    return float(found.group(1))


def test_table_prints_before_after_and_edit_scores() -> None:
    """`cleantext eval seeds/ --ref tests/data/gold/`: a row per seed and a corpus row, then
    the edit and flag lines; the figures are the judge's (score.py's TOTAL)."""
    result = seeds_table()
    assert result.code == 0, result.err
    text = result.text
    for line in text.splitlines():
        support.report("eval: cleantext eval seeds/ --ref tests/data/gold/", line)
    assert "chrF before" in text and "TER before" in text and "BLEU before" in text
    for name in support.seed_names():
        assert re.search(rf"^{name}\s+\d+\.\d\d\s", text, re.M), name
    total = score_py("seeds")["total"]
    corpus = re.search(r"^corpus\s+(.*)$", text, re.M)
    assert corpus, text
    cells = [float(c) for c in corpus.group(1).split()]
    assert cells[0] == total["chrf_before"] and cells[1] == total["chrf_after"]
    assert cells[6] == total["ter_before"] and cells[7] == total["ter_after"]
    assert _number(r"\(tp (\d+),", text) == total["tp"]
    assert _number(r"fp (\d+)\)", text) == total["fp"]
    assert _number(r"\(fn (\d+)\)", text) == total["fn"]
    assert _number(r"precision (\d\.\d\d)", text) == round(total["precision"], 2)
    assert _number(r"recall (\d\.\d\d)", text) == round(total["recall"], 2)
    share = _number(r"flag coverage: (\d\.\d\d)", text)
    assert 0 < share <= 1, "the engine points at some gold flags on the seeds"


@pytest.mark.parametrize("corpus", ["seeds", "garbled"])
def test_json_agrees_with_score_py(corpus: str) -> None:
    """Per document and in total: tp, fp, fn, precision, recall and chrF as score.py gives
    them for the same `fix --unsafe` output (the garbled set has false positives and misses,
    so agreement there is not agreement on zeros)."""
    judge, report = score_py(corpus), eval_json(corpus)
    mine = {f"{d['name']}.txt": d for d in report["documents"]}
    assert sorted(mine) == sorted(f["file"] for f in judge["files"])
    for row in judge["files"]:
        doc = mine[row["file"]]
        assert (doc["edits"]["tp"], doc["edits"]["fp"], doc["edits"]["fn"]) == (
            row["tp"],
            row["fp"],
            row["fn"],
        ), row["file"]
        assert round(doc["before"]["chrf"], 2) == row["chrf_before"]
        assert round(doc["after"]["chrf"], 2) == row["chrf_after"]
        assert (len(doc["missing"]), len(doc["wrong"])) == (row["fn"], row["fp"])
    total, corpus_row = judge["total"], report["corpus"]
    edits = corpus_row["edits"]
    assert (edits["tp"], edits["fp"], edits["fn"]) == (total["tp"], total["fp"], total["fn"])
    assert round(edits["precision"], 3) == total["precision"]
    assert round(edits["recall"], 3) == total["recall"]
    for metric in ("chrf", "ter"):
        assert round(corpus_row["before"][metric], 2) == total[f"{metric}_before"]
        assert round(corpus_row["after"][metric], 2) == total[f"{metric}_after"]
    support.report(
        "eval: agreement with score.py",
        f"{corpus}: tp={edits['tp']} fp={edits['fp']} fn={edits['fn']} "
        f"precision={edits['precision']:.3f} recall={edits['recall']:.3f} F0.5={edits['f0.5']:.3f}"
        f" flag coverage={corpus_row['flags']['covered']}/{corpus_row['flags']['total']}",
    )


def test_report_carries_signatures_and_mode() -> None:
    report = eval_json("garbled")
    assert report["mode"] == "fix --unsafe"
    assert report["signatures"]["chrf"].startswith("nrefs:1|")
    assert "eff:yes" in report["signatures"]["bleu_sentence"]
    assert "tok:tercom" in report["signatures"]["ter"]
    assert report["rules"] and report["glossary"]
    names = [d["name"] for d in report["documents"]]
    assert names == GARBLED_NAMES, "references beside the articles are not inputs"


def test_safe_mode_scores_auto_edits_only() -> None:
    unsafe, safe = eval_json("garbled"), eval_json("garbled", "--safe")
    assert safe["mode"] == "fix"
    assert safe["corpus"]["applied"] < unsafe["corpus"]["applied"]
    assert safe["corpus"]["edits"]["tp"] <= unsafe["corpus"]["edits"]["tp"]
    assert safe["corpus"]["before"] == unsafe["corpus"]["before"]


def test_corpus_figures_are_sacrebleus() -> None:
    """Corpus TER summed from per-document counts equals sacrebleu's own corpus TER."""
    from sacrebleu.metrics.ter import TER

    originals = [(GARBLED / f"{n}.txt").read_text(encoding="utf-8") for n in GARBLED_NAMES]
    refs = [(GARBLED / f"{n}.ref.txt").read_text(encoding="utf-8") for n in GARBLED_NAMES]
    segments = [evaluate.segment_scores(o, r) for o, r in zip(originals, refs, strict=True)]
    mine = evaluate.corpus_scores(originals, refs, segments)
    assert mine["ter"] == pytest.approx(TER().corpus_score(originals, [refs]).score, abs=1e-9)
    assert mine["chrf"] == pytest.approx(eval_json("garbled")["corpus"]["before"]["chrf"], 1e-4)


def test_hyp_outputs_equal_to_references_score_perfectly() -> None:
    """--hyp scores given outputs: the references themselves are a perfect run, the
    untouched originals an empty one (no edit, every gold edit missed)."""
    names = GARBLED_NAMES[:3]
    articles = _inputs_only(GARBLED, names, _scratch("hyp-in"))
    perfect, untouched = _scratch("hyp-ref"), _scratch("hyp-orig")
    for name in names:
        shutil.copyfile(GARBLED / f"{name}.ref.txt", perfect / f"{name}.txt")
        shutil.copyfile(GARBLED / f"{name}.txt", untouched / f"{name}.txt")
    base = ["eval", str(articles), "--ref", str(GARBLED), "--format", "json", "--hyp"]
    best = json.loads(support.run([*base, str(perfect)]).text)
    none = json.loads(support.run([*base, str(untouched)]).text)
    assert best["mode"] == "hyp"
    gold = sum(
        len(
            evaluate.diff_edits(
                (GARBLED / f"{n}.txt").read_text(encoding="utf-8"),
                (GARBLED / f"{n}.ref.txt").read_text(encoding="utf-8"),
            )
        )
        for n in names
    )
    assert best["corpus"]["edits"]["tp"] == gold > 0
    assert (best["corpus"]["edits"]["fp"], best["corpus"]["edits"]["fn"]) == (0, 0)
    assert best["corpus"]["after"]["chrf"] == 100.0 and best["corpus"]["after"]["ter"] == 0.0
    assert (none["corpus"]["edits"]["tp"], none["corpus"]["edits"]["fp"]) == (0, 0)
    assert none["corpus"]["edits"]["fn"] == gold
    assert none["corpus"]["after"] == none["corpus"]["before"]
    assert set(none["corpus"]["change"].values()) == {0.0}


def test_gold_edits_alone_rebuild_the_reference() -> None:
    """Applying a gold file's certain and likely edits gives NAME.ref.txt (the gold's rule),
    so a folder with only NAME.edits.jsonl evaluates the same as one with both."""
    for folder, names in ((support.GOLD, support.seed_names()), (GARBLED, GARBLED_NAMES)):
        for name in names:
            source = support.SEEDS if folder == support.GOLD else GARBLED
            original = (source / f"{name}.txt").read_text(encoding="utf-8")
            path = folder / f"{name}.edits.jsonl"
            gold = evaluate.parse_gold(path.read_text(encoding="utf-8"), original, str(path))
            rebuilt = evaluate.reference_from_gold(original, gold, str(path))
            assert rebuilt == (folder / f"{name}.ref.txt").read_text(encoding="utf-8"), name
    name = GARBLED_NAMES[0]
    articles = _inputs_only(GARBLED, [name], _scratch("gold-only-in"))
    only_gold = _scratch("gold-only-ref")
    shutil.copyfile(GARBLED / f"{name}.edits.jsonl", only_gold / f"{name}.edits.jsonl")
    with_ref = json.loads(
        support.run(["eval", str(articles), "--ref", str(GARBLED), "--format", "json"]).text
    )
    without = json.loads(
        support.run(["eval", str(articles), "--ref", str(only_gold), "--format", "json"]).text
    )
    assert without["documents"] == with_ref["documents"]


def test_crlf_article_with_bom_scores_like_its_lf_twin() -> None:
    """Line ends are compared as score.py reads them: a CRLF copy (with a BOM) of an
    article, against the LF reference and gold offsets, gets the same figures."""
    name = GARBLED_NAMES[1]
    lf = _inputs_only(GARBLED, [name], _scratch("lf"))
    crlf = _scratch("crlf")
    text = (GARBLED / f"{name}.txt").read_text(encoding="utf-8")
    (crlf / f"{name}.txt").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    reports = [
        json.loads(support.run(["eval", str(d), "--ref", str(GARBLED), "--format", "json"]).text)
        for d in (lf, crlf)
    ]
    twin, mine = (r["documents"][0] for r in reports)
    for key in ("before", "after", "edits", "flags", "missing", "wrong"):
        assert mine[key] == twin[key], key
    assert mine["edits"]["tp"] > 0 and mine["flags"]["covered"] > 0


def test_missing_reference_is_a_one_line_error() -> None:
    where = _scratch("missing")
    (where / "article.txt").write_text("Openai said so.\n", encoding="utf-8")
    refs = _scratch("missing-ref")
    result = support.run(["eval", str(where), "--ref", str(refs)])
    assert result.code == 2
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "article.ref.txt" in result.err and "no reference" in result.err
    nowhere = support.run(["eval", str(where), "--ref", str(where / "nope")])
    assert nowhere.code == 2 and "no such reference folder" in nowhere.err


def test_bad_gold_file_names_file_and_line() -> None:
    where = _scratch("badgold")
    (where / "a.txt").write_text("Openai said so.\n", encoding="utf-8")
    gold = where / "a.edits.jsonl"
    good = {"start": 0, "end": 6, "original": "Openai", "replacement": "OpenAI"}
    wrong = {"start": 7, "end": 11, "original": "sa1d", "certainty": "flag"}
    gold.write_text(
        json.dumps(good | {"certainty": "certain"}) + "\n" + json.dumps(wrong) + "\n",
        encoding="utf-8",
    )
    result = support.run(["eval", str(where / "a.txt"), "--ref", str(where)])
    assert result.code == 2, result.err
    assert f"{gold}:2: gold edit" in result.err and "does not fit" in result.err
    gold.write_text("{not json\n", encoding="utf-8")
    result = support.run(["eval", str(where / "a.txt"), "--ref", str(where)])
    assert result.code == 2 and f"{gold}:1:" in result.err and "not JSON" in result.err


def test_stdin_is_refused() -> None:
    result = support.run(["eval", "-", "--ref", "."], stdin=b"text")
    assert result.code == 2 and "not stdin" in result.err


def test_f05_weighs_precision_twice() -> None:
    score = evaluate.EditScore(tp=3, fp=1, fn=2)
    p, r = 3 / 4, 3 / 5
    assert score.f05 == pytest.approx((1 + 0.25) * p * r / (0.25 * p + r))
    assert evaluate.EditScore(3, 0, 3).f05 > evaluate.EditScore(3, 3, 0).f05
    assert evaluate.EditScore(0, 0, 0).precision == 1.0  # score.py's convention


def _edit(start: int, end: int) -> Edit:
    return Edit(start, end, "x" * (end - start), None, "t.t", "spelling", "", Confidence.FLAG)


def test_points_at_edges_and_insertions() -> None:
    assert evaluate.points_at(_edit(2, 5), 4, 8)
    assert not evaluate.points_at(_edit(2, 5), 5, 8), "touching is not pointing"
    assert evaluate.points_at(_edit(6, 6), 5, 8), "an insertion inside the span"
    assert evaluate.points_at(_edit(3, 7), 5, 5), "a span around an empty gold point"
    assert not evaluate.points_at(_edit(0, 2), 5, 5)


def test_chart_bars_follow_the_figures() -> None:
    """Taller bar for a better chrF, shorter for a better TER; all inside the plot."""
    report = eval_json("garbled")
    for metric in evaluate.METRICS:
        chart = evaluate.bar_chart(report, metric)
        assert len(chart["bars"]) == 2 * (len(report["documents"]) + 1)
        for bar in chart["bars"]:
            assert bar["y"] + bar["height"] == pytest.approx(chart["plot_bottom"], abs=0.11)
            assert bar["y"] >= 0 and bar["x"] + bar["width"] <= chart["width"]
        by = {(b["doc"], b["when"]): b for b in chart["bars"]}
        for doc in report["documents"]:
            before, after = by[(doc["name"], "before")], by[(doc["name"], "after")]
            if doc["after"][metric] != doc["before"][metric]:
                assert (after["height"] > before["height"]) == (
                    doc["after"][metric] > doc["before"][metric]
                )


def test_html_report_in_chromium() -> None:
    """The html report opened offline in Debian's headless chromium: every figure shown in
    the tables, cards and chart bars is the JSON report's, and nothing is fetched."""
    report = eval_json("garbled")
    page_file = _scratch("html") / "eval.html"
    done = support.run(
        ["eval", str(GARBLED), "--ref", str(GARBLED), "--format", "html", "--out", str(page_file)]
    )
    assert done.code == 0, done.err
    html = page_file.read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and "<img" not in html
    requests: list[str] = []
    with browser_page(1280, 1800) as page:
        page.on("request", lambda request: requests.append(request.url))
        page.goto(page_file.as_uri())
        page.screenshot(path=str(artefact("eval-report.png")), full_page=True)
        shown = page.evaluate(
            """() => [...document.querySelectorAll('[data-figure]')].map(el => [
                el.closest('tr') ? el.closest('tr').dataset.doc : '',
                el.dataset.figure, el.textContent.trim()])"""
        )
        bars = page.evaluate(
            """() => [...document.querySelectorAll('figure[data-chart] rect')].map(r => [
                r.closest('figure').dataset.chart, r.dataset.doc, r.dataset.when,
                Number(r.dataset.value), r.getBBox().height])"""
        )
        mode = page.locator("[data-about=mode]").text_content()
    assert requests == [page_file.as_uri()], requests
    assert mode == report["mode"]
    rows = {d["name"]: d for d in report["documents"]} | {"corpus": report["corpus"]}
    checked = 0
    for doc, figure, text in shown:
        expected = _lookup(rows[doc], figure) if doc else _lookup(report, figure)
        assert text == _shown(figure, expected), (doc, figure)
        checked += 1
    assert checked >= 12 * len(report["documents"]), "every document row carries its figures"
    assert len(bars) == 3 * 2 * (len(report["documents"]) + 1)
    floor = {m: evaluate.bar_chart(report, m)["ticks"][0]["value"] for m in evaluate.METRICS}
    for metric, doc, when, value, height in bars:
        assert value == rows[doc][when][metric], (metric, doc, when)
        assert (height > 0) == (value > floor[metric]), (metric, doc, when, height)


def _lookup(data: Any, dotted: str) -> Any:
    """report["edits"]["f0.5"] for 'edits.f0.5' (a key may hold a dot itself)."""
    head, _, rest = dotted.partition(".")
    if dotted in data:
        return data[dotted]
    return _lookup(data[head], rest) if rest else data[head]


def _shown(figure: str, value: Any) -> str:
    if figure.startswith("change."):
        return f"{value:+.2f}"
    if figure == "flags":
        return f"{value['covered']}/{value['total']}" if value else "-"
    if figure == "flags_touched":
        return str(len(value)) if isinstance(value, list) else str(value)
    if figure == "corpus.flags.share" and value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
