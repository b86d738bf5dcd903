#!/usr/bin/env python3
# ruff: noqa
# mypy: ignore-errors
# fmt: off
# (the three lines above are the only change to the shared scorer: it is copied here so
# that the suite is self-contained, and it is judged as it is, not as project code)
"""Score a repair run: original, system output and reference, file by file.

usage: python score.py ORIG_DIR OUT_DIR REF_DIR [--json]
(e.g. python ../shared/gold/score.py seeds out ../shared/gold)

For every NAME.txt in ORIG_DIR with REF_DIR/NAME.ref.txt (or NAME.txt) and OUT_DIR/NAME.txt:
- edits are token-level diffs original->reference (gold) and original->output (system),
  adjacent changes merged; an edit is (first token, last token, replacement, normalised);
- precision = system edits that are gold edits / system edits; recall = / gold edits;
- chrF, BLEU and TER of output and of the untouched original against the reference.
Prints one line per file and a TOTAL line; the last line is the figure for bars.
"""
from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path

TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def token_edits(key, a_text: str, b_text: str) -> set[tuple]:
    """Token-level edits between two lines; a single space between two changes joins them."""
    a, b = tokens(a_text), tokens(b_text)
    ops = [op for op in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()]
    merged: list[list] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            continue
        prev = merged[-1] if merged else None
        if prev and prev[1] == i1 - 1 and a[i1 - 1] == " " and ops[k - 1][0] == "equal":
            prev[1], prev[3] = i2, j2
        else:
            merged.append([i1, i2, j1, j2])
    out = set()
    for i1, i2, j1, j2 in merged:
        rep = norm("".join(b[j1:j2]))
        if rep == "" and all(t.isspace() for t in a[i1:i2]):
            continue  # whitespace-only change: not an edit worth scoring
        out.add((key, i1, i2, rep))
    return out


def edits(orig: str, new: str) -> set[tuple]:
    """Line-aligned edits: deleted lines, inserted lines, token edits inside changed lines."""
    a, b = orig.split("\n"), new.split("\n")
    out: set[tuple] = set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        # pair lines of the block in order by similarity; unpaired ones are deletions/insertions
        pairs, j = [], j1
        for i in range(i1, i2):
            best, best_j = 0.5, None
            for jj in range(j, j2):
                ratio = difflib.SequenceMatcher(a=a[i], b=b[jj], autojunk=False).ratio()
                if ratio > best:
                    best, best_j = ratio, jj
            if best_j is not None:
                for jj in range(j, best_j):
                    if b[jj].strip():
                        out.add(("ins", i, norm(b[jj])))
                pairs.append((i, best_j))
                j = best_j + 1
            elif a[i].strip():
                out.add(("del", i, norm(a[i])))
        for jj in range(j, j2):
            if b[jj].strip():
                out.add(("ins", i2, norm(b[jj])))
        for i, jj in pairs:
            out |= token_edits(i, a[i], b[jj])
    return out


def main(argv: list[str]) -> int:
    import sacrebleu

    orig_dir, out_dir, ref_dir = (Path(p) for p in argv[1:4])
    as_json = "--json" in argv
    tp = fp = fn = 0
    hyp_all, src_all, ref_all = [], [], []
    rows = []
    for orig_path in sorted(orig_dir.glob("*.txt")):
        name = orig_path.name
        ref_path = ref_dir / (orig_path.stem + ".ref.txt")
        if not ref_path.exists():
            ref_path = ref_dir / name
        out_path = out_dir / name
        if not ref_path.exists():
            continue
        orig = orig_path.read_text(encoding="utf-8")
        ref = ref_path.read_text(encoding="utf-8")
        out = out_path.read_text(encoding="utf-8") if out_path.exists() else orig
        gold, sys_ = edits(orig, ref), edits(orig, out)
        t, f, n = len(gold & sys_), len(sys_ - gold), len(gold - sys_)
        tp, fp, fn = tp + t, fp + f, fn + n
        chrf = sacrebleu.sentence_chrf(out, [ref]).score
        chrf0 = sacrebleu.sentence_chrf(orig, [ref]).score
        rows.append({"file": name, "tp": t, "fp": f, "fn": n, "chrf_before": round(chrf0, 2),
                     "chrf_after": round(chrf, 2), "missing": sorted(gold - sys_, key=str)[:50],
                     "wrong": sorted(sys_ - gold, key=str)[:50], "exists": out_path.exists()})
        hyp_all.append(out)
        src_all.append(orig)
        ref_all.append(ref)
    if not rows:
        print("no files scored")
        return 2
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    chrf_b = sacrebleu.corpus_chrf(src_all, [ref_all]).score
    chrf_a = sacrebleu.corpus_chrf(hyp_all, [ref_all]).score
    ter_b = sacrebleu.corpus_ter(src_all, [ref_all]).score
    ter_a = sacrebleu.corpus_ter(hyp_all, [ref_all]).score
    total = {"precision": round(p, 3), "recall": round(r, 3), "tp": tp, "fp": fp, "fn": fn,
             "chrf_before": round(chrf_b, 2), "chrf_after": round(chrf_a, 2),
             "ter_before": round(ter_b, 2), "ter_after": round(ter_a, 2)}
    if as_json:
        print(json.dumps({"files": rows, "total": total}, indent=1))
    else:
        for row in rows:
            print(f"{row['file']}: tp={row['tp']} fp={row['fp']} fn={row['fn']} "
                  f"chrF {row['chrf_before']} -> {row['chrf_after']}" + ("" if row["exists"] else " (no output)"))
    print("TOTAL " + " ".join(f"{k}={v}" for k, v in total.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
