"""The five real garbled articles against their gold corrections.

`cleantext fix --unsafe -` (stdin to stdout) must reproduce the certain and likely gold
edits (edit precision >= 0.98, recall >= 0.95, scored by the gold's own score.py, copied
into tests/data/gold) and must leave every `flag` span as it found it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import support
from cleantext import load_config
from cleantext.engine import fix as engine_fix
from cleantext.model import Edit

PRECISION = 0.98
RECALL = 0.95


scorer = support.scorer


@dataclass(frozen=True)
class Scored:
    name: str
    seed: str
    ref: str
    out: str
    tp: int
    fp: int
    fn: int
    missing: list[Any]
    wrong: list[Any]


@cache
def scored(name: str) -> Scored:
    """Run the real CLI on one seed through stdin and score its output like score.py does."""
    seed_bytes = (support.SEEDS / f"{name}.txt").read_bytes()
    result = support.run(["fix", "--unsafe", "-"], stdin=seed_bytes)
    assert result.code == 0, result.err
    seed = seed_bytes.decode("utf-8")
    ref = (support.GOLD / f"{name}.ref.txt").read_text(encoding="utf-8")
    out = result.text
    gold, system = scorer().edits(seed, ref), scorer().edits(seed, out)
    return Scored(
        name,
        seed,
        ref,
        out,
        len(gold & system),
        len(system - gold),
        len(gold - system),
        sorted(gold - system, key=str),
        sorted(system - gold, key=str),
    )


def gold_edits(name: str) -> list[dict[str, Any]]:
    path = support.GOLD / f"{name}.edits.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def ratio(hits: int, misses: int) -> float:
    return hits / (hits + misses) if hits + misses else 1.0


NAMES = support.seed_names()


def test_every_seed_has_gold() -> None:
    assert len(NAMES) == 5, f"expected the five seeds with gold, found {NAMES}"


@pytest.mark.parametrize("name", NAMES)
def test_seed_figures(name: str) -> None:
    """Per-file figures (reported); a file may miss an edit, the total is what is judged."""
    s = scored(name)
    support.report(
        "gold: fix --unsafe against the certain+likely gold edits",
        f"{name}: precision={ratio(s.tp, s.fp):.3f} recall={ratio(s.tp, s.fn):.3f} "
        f"tp={s.tp} fp={s.fp} fn={s.fn}"
        + (f" missing={s.missing}" if s.missing else "")
        + (f" wrong={s.wrong}" if s.wrong else ""),
    )
    assert s.tp > 0, f"{name}: no gold edit reproduced"


def test_total_precision_and_recall() -> None:
    tp = sum(scored(n).tp for n in NAMES)
    fp = sum(scored(n).fp for n in NAMES)
    fn = sum(scored(n).fn for n in NAMES)
    precision, recall = ratio(tp, fp), ratio(tp, fn)
    support.report(
        "gold: fix --unsafe against the certain+likely gold edits",
        f"TOTAL: precision={precision:.3f} recall={recall:.3f} tp={tp} fp={fp} fn={fn}",
    )
    assert precision >= PRECISION, [scored(n).wrong for n in NAMES]
    assert recall >= RECALL, [scored(n).missing for n in NAMES]


def test_score_script_agrees(tmp_path: Path) -> None:
    """The scorer run as a program, as the judge runs it, gives the same TOTAL figures."""
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    seeds.mkdir()
    out.mkdir()
    for name in NAMES:
        (seeds / f"{name}.txt").write_bytes((support.SEEDS / f"{name}.txt").read_bytes())
        (out / f"{name}.txt").write_text(scored(name).out, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(support.GOLD / "score.py"), str(seeds), str(out), str(support.GOLD)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    total = done.stdout.strip().splitlines()[-1]
    figures = dict(re.findall(r"(\w+)=([\d.]+)", total))
    assert float(figures["precision"]) >= PRECISION, total
    assert float(figures["recall"]) >= RECALL, total
    assert int(figures["tp"]) == sum(scored(n).tp for n in NAMES), total


def _shift(position: int, edits: list[Edit]) -> int:
    """Where an offset of the original lands after ``edits`` (all before it) are applied."""
    return position + sum(
        len(e.replacement or "") - (e.end - e.start) for e in edits if e.end <= position
    )


@pytest.mark.parametrize("name", NAMES)
def test_flag_spans_untouched(name: str) -> None:
    """No applied edit reaches inside a gold `flag` span, and each flag's text is still at
    its (shifted) place in the CLI's output; its count matches the reference's too."""
    s = scored(name)
    cleaned, applied = engine_fix(s.seed, load_config(), unsafe=True)
    assert cleaned == s.out, "the library and the CLI disagree"
    flags = [g for g in gold_edits(name) if g["certainty"] == "flag"]
    assert flags, f"{name}: gold has no flag spans"
    problems: list[tuple[str, str, object]] = []
    for flag in flags:
        start, end, original = flag["start"], flag["end"], flag["original"]
        assert s.seed[start:end] == original, f"gold {flag['id']} does not fit the seed"
        inside = [
            e
            for e in applied
            if (e.start < end and start < e.end and e.start != e.end)
            or (e.start == e.end and start < e.start < end)
        ]
        where = _shift(start, applied)
        if inside or s.out[where : where + len(original)] != original:
            problems.append((flag["id"], original, [(e.rule, e.original) for e in inside]))
        elif s.out.count(original) != s.ref.count(original):
            problems.append((flag["id"], original, "count differs from the reference"))
    assert not problems, f"{name}: flag spans changed: {problems}"
