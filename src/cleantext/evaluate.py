"""How much better the text got: sacrebleu's chrF, BLEU and TER of the original and of the
cleaned text against a human reference, edit-level precision, recall and F0.5 against the
gold corrections, and flag coverage (how many gold ``flag`` spans some proposal points at).

Edits are scored exactly the way the gold's own ``score.py`` scores them (token-level diffs,
line-aligned, adjacent changes joined), so that `cleantext eval` and the judge agree on
precision and recall. A whole document is one sacrebleu segment, as in ``score.py``: a
per-document figure is a sentence-level score of the whole text, the corpus figure takes
every document as one segment. Pure functions over plain data: no files, no engine.
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from cleantext.errors import InputError
from cleantext.model import Confidence, Edit

TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
CERTAINTIES = ("certain", "likely", "flag")
GOLD_FIELDS = ("start", "end", "original", "certainty")
METRICS = ("chrf", "bleu", "ter")
LOWER_IS_BETTER = frozenset({"ter"})

# An edit as score.py keys it: (line, first token, last token, replacement) inside a changed
# line, or ("del" | "ins", line, text) for a whole line deleted or inserted.
EditKey = tuple[int | str, ...]


# --- gold edits -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldEdit:
    """One line of a ``NAME.edits.jsonl`` gold file (offsets into the original)."""

    id: str
    start: int
    end: int
    original: str
    replacement: str | None
    category: str
    certainty: str
    line: int

    @property
    def repairable(self) -> bool:
        """``certain`` and ``likely`` edits are what `fix --unsafe` should make."""
        return self.certainty != "flag"


def parse_gold(data: str, original: str, path: str) -> list[GoldEdit]:
    """Gold edits from JSON Lines, each checked against the original it points into; a line
    that is not JSON, lacks a field or does not fit the text is an error naming that line.

    Offsets may count a CRLF file's line ends as one character (the text as Python's
    universal newlines read it, as the gold's tools do): such a file is mapped back onto
    the original's own offsets, so that gold spans and proposals share one coordinate.

    >>> parse_gold('{"start": 0, "end": 2, "original": "Hi", "certainty": "flag"}', "Hi", "g")
    ... # doctest: +NORMALIZE_WHITESPACE
    [GoldEdit(id='g:1', start=0, end=2, original='Hi', replacement=None, category='',
              certainty='flag', line=1)]
    >>> line = '{"start": 3, "end": 5, "original": "Yo", "certainty": "flag"}'
    >>> [(g.start, g.end) for g in parse_gold(line, "Hi\\r\\nYo", "g")]
    [(4, 6)]
    """
    edits = _read_gold(data, path)
    misfit = _misfit(edits, original)
    if misfit is None:
        return edits
    if "\r" in original and _misfit(edits, universal(original)) is None:
        back = _back_offsets(original)
        return [_moved(e, back(e.start), back(e.end), original) for e in edits]
    held = original[misfit.start : misfit.end]
    raise InputError(
        path,
        f"gold edit {misfit.id} does not fit the text: {misfit.start}:{misfit.end} holds "
        f"{held!r}, not {misfit.original!r}",
        misfit.line,
    )


def _read_gold(data: str, path: str) -> list[GoldEdit]:
    out: list[GoldEdit] = []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not JSON: {exc.msg}", number, exc.colno) from None
        if not isinstance(item, dict) or any(k not in item for k in GOLD_FIELDS):
            raise InputError(path, f"a gold edit needs {', '.join(GOLD_FIELDS)}", number)
        out.append(_gold_edit(item, path, number))
    return out


def _misfit(edits: Sequence[GoldEdit], text: str) -> GoldEdit | None:
    return next((e for e in edits if text[e.start : e.end] != e.original), None)


def _moved(edit: GoldEdit, start: int, end: int, text: str) -> GoldEdit:
    return replace(edit, start=start, end=end, original=text[start:end])


def universal(text: str) -> str:
    """Line ends as Python's universal newlines read them (as score.py reads its files).

    >>> universal("a\\r\\nb\\rc\\n")
    'a\\nb\\nc\\n'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _back_offsets(text: str) -> Callable[[int], int]:
    """Offset in ``universal(text)`` -> offset in ``text`` (each CRLF is one character
    there; a span starting or ending at such a line end covers the whole CRLF)."""
    dropped = [i for i, ch in enumerate(text) if ch == "\r" and text[i + 1 : i + 2] == "\n"]
    at = [i - k for k, i in enumerate(dropped)]  # where each dropped CR's LF lands
    return lambda pos: pos + bisect.bisect_left(at, pos)


def _gold_edit(item: dict[str, Any], path: str, number: int) -> GoldEdit:
    start, end, certainty = item["start"], item["end"], item["certainty"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
        raise InputError(path, f"bad span {start!r}:{end!r}", number)
    if certainty not in CERTAINTIES:
        raise InputError(path, f"certainty must be one of {', '.join(CERTAINTIES)}", number)
    replacement = item.get("replacement")
    if certainty != "flag" and not isinstance(replacement, str):
        raise InputError(path, f"a {certainty} edit needs a replacement string", number)
    return GoldEdit(
        id=str(item.get("id", f"{path}:{number}")),
        start=start,
        end=end,
        original=str(item["original"]),
        replacement=replacement if isinstance(replacement, str) else None,
        category=str(item.get("category", "")),
        certainty=certainty,
        line=number,
    )


def reference_from_gold(original: str, gold: Sequence[GoldEdit], path: str) -> str:
    """The reference a gold file implies: its certain and likely edits applied (the gold's
    own rule: applying them yields ``NAME.ref.txt``), for a folder with no ``.ref.txt``.

    >>> g = parse_gold('{"start": 0, "end": 1, "original": "a", "replacement": "A",'
    ...                ' "certainty": "certain"}', "a b", "g")
    >>> reference_from_gold("a b", g, "g")
    'A b'
    """
    pieces: list[str] = []
    at = 0
    for edit in sorted((g for g in gold if g.repairable), key=lambda g: (g.start, g.end)):
        if edit.start < at:
            raise InputError(path, f"gold edit {edit.id} overlaps the one before it", edit.line)
        pieces += [original[at : edit.start], edit.replacement or ""]
        at = edit.end
    pieces.append(original[at:])
    return "".join(pieces)


# --- edit-level scoring (score.py's method) ---------------------------------------------


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def token_edits(key: int, a_text: str, b_text: str) -> set[EditKey]:
    """Token-level edits between two paired lines; a single space between two changes
    joins them into one edit, as an editor would count "Open AI's" -> "OpenAI's".

    >>> sorted(token_edits(0, "the the cat", "the cat"))
    [(0, 0, 2, '')]
    >>> sorted(token_edits(0, "Helo wrold now", "Hello world now"))
    [(0, 0, 3, 'Hello world')]
    """
    a, b = tokens(a_text), tokens(b_text)
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    merged: list[list[int]] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            continue
        prev = merged[-1] if merged else None
        if prev and prev[1] == i1 - 1 and a[i1 - 1] == " " and ops[k - 1][0] == "equal":
            prev[1], prev[3] = i2, j2
        else:
            merged.append([i1, i2, j1, j2])
    out: set[EditKey] = set()
    for i1, i2, j1, j2 in merged:
        rep = norm("".join(b[j1:j2]))
        if rep == "" and all(t.isspace() for t in a[i1:i2]):
            continue  # a whitespace-only change is not an edit worth scoring
        out.add((key, i1, i2, rep))
    return out


def diff_edits(original: str, new: str) -> set[EditKey]:
    """Line-aligned edits from ``original`` to ``new``: deleted lines, inserted lines and
    token edits inside changed lines (the lines of a changed block are paired in order by
    similarity above 0.5; unpaired ones are deletions or insertions).

    >>> sorted(diff_edits("Hello wrold.\\nSource link\\nBye.", "Hello world.\\nBye."), key=str)
    [('del', 1, 'Source link'), (0, 2, 3, 'world')]
    """
    a, b = original.split("\n"), new.split("\n")
    out: set[EditKey] = set()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            out |= _block_edits(a, b, i1, i2, j1, j2)
    return out


def _block_edits(a: list[str], b: list[str], i1: int, i2: int, j1: int, j2: int) -> set[EditKey]:
    out: set[EditKey] = set()
    pairs: list[tuple[int, int]] = []
    j = j1
    for i in range(i1, i2):
        best, best_j = 0.5, None
        for jj in range(j, j2):
            ratio = difflib.SequenceMatcher(a=a[i], b=b[jj], autojunk=False).ratio()
            if ratio > best:
                best, best_j = ratio, jj
        if best_j is not None:
            out |= {("ins", i, norm(b[jj])) for jj in range(j, best_j) if b[jj].strip()}
            pairs.append((i, best_j))
            j = best_j + 1
        elif a[i].strip():
            out.add(("del", i, norm(a[i])))
    out |= {("ins", i2, norm(b[jj])) for jj in range(j, j2) if b[jj].strip()}
    for i, jj in pairs:
        out |= token_edits(i, a[i], b[jj])
    return out


@dataclass(frozen=True)
class EditScore:
    """Edit-level counts against the gold; ratios follow score.py (1.0 when undefined)."""

    tp: int
    fp: int
    fn: int
    missing: tuple[EditKey, ...] = field(default=(), compare=False)
    wrong: tuple[EditKey, ...] = field(default=(), compare=False)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f05(self) -> float:
        """F0.5: precision weighs twice recall, as in grammatical error correction (a wrong
        change costs an editor more than a missed one)."""
        p, r = self.precision, self.recall
        return 1.25 * p * r / (0.25 * p + r) if p + r else 0.0

    def __add__(self, other: EditScore) -> EditScore:
        return EditScore(
            self.tp + other.tp,
            self.fp + other.fp,
            self.fn + other.fn,
            self.missing + other.missing,
            self.wrong + other.wrong,
        )


def score_edits(original: str, reference: str, output: str) -> EditScore:
    """System edits (original -> output) against gold edits (original -> reference).

    >>> s = score_edits("Helo there wrold.", "Hello there world.", "Hello there wrold!")
    >>> (s.tp, s.fp, s.fn)
    (1, 1, 1)
    """
    gold, system = diff_edits(original, reference), diff_edits(original, output)
    return EditScore(
        len(gold & system),
        len(system - gold),
        len(gold - system),
        tuple(sorted(gold - system, key=str)),
        tuple(sorted(system - gold, key=str)),
    )


def describe(original: str, key: EditKey) -> dict[str, object]:
    """A scored edit as a reader wants it: 1-based line, the original text, the new text.

    >>> describe("a\\nHelo there", (1, 0, 1, "Hello"))
    {'line': 2, 'original': 'Helo', 'replacement': 'Hello'}
    """
    if key[0] in ("del", "ins"):
        _, line, text = key
        kind = str(key[0])
        return {
            "line": int(line) + 1,
            "original": text if kind == "del" else "",
            "replacement": "" if kind == "del" else text,
        }
    line, first, last, rep = key
    lines = original.split("\n")
    words = tokens(lines[int(line)]) if int(line) < len(lines) else []
    return {
        "line": int(line) + 1,
        "original": "".join(words[int(first) : int(last)]),
        "replacement": rep,
    }


# --- flags ------------------------------------------------------------------------------


def points_at(edit: Edit, start: int, end: int) -> bool:
    """A proposal points at a span when they share a character; an empty span (or an empty
    proposal) counts when it lies inside or at an edge of the other."""
    if start == end or edit.start == edit.end:
        return edit.start <= end and start <= edit.end
    return edit.start < end and start < edit.end


def flag_coverage(gold: Iterable[GoldEdit], proposals: Sequence[Edit]) -> tuple[int, int]:
    """(gold flag spans that some proposal points at, gold flag spans).

    >>> from cleantext.model import Confidence
    >>> p = [Edit(4, 9, "geous", None, "spelling.non-word", "spelling", "", Confidence.FLAG)]
    >>> g = parse_gold('{"start": 4, "end": 9, "original": "geous", "certainty": "flag"}\\n'
    ...                '{"start": 0, "end": 3, "original": "The", "certainty": "flag"}',
    ...                "The geous", "g")
    >>> flag_coverage(g, p)
    (1, 2)
    """
    flags = [g for g in gold if g.certainty == "flag"]
    covered = sum(1 for g in flags if any(points_at(e, g.start, g.end) for e in proposals))
    return covered, len(flags)


def flags_touched(gold: Iterable[GoldEdit], applied: Sequence[Edit]) -> list[str]:
    """Ids of gold flag spans that an applied edit changed: harm, since a flag is damage no
    tool can repair reliably (an edit ending at the span's edge leaves it whole)."""
    out = []
    for g in gold:
        if g.certainty != "flag":
            continue
        for e in applied:
            inside = (
                e.start < g.end and g.start < e.end
                if e.start != e.end
                else g.start < e.start < g.end
            )
            if inside:
                out.append(g.id)
                break
    return out


# --- sacrebleu figures ------------------------------------------------------------------


@cache
def _metrics() -> dict[str, Any]:
    """sacrebleu metric objects, built once: sentence-level BLEU needs effective order (a
    short text has no 4-gram match and would score 0); corpus BLEU keeps the default."""
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.metrics.ter import TER

    return {
        "chrf": CHRF(),
        "bleu_sentence": BLEU(effective_order=True),
        "bleu": BLEU(),
        "ter": TER(),
    }


def signatures() -> dict[str, str]:
    """sacrebleu's signature of each metric's settings, to report beside the figures."""
    m = _metrics()
    return {
        "chrf": str(m["chrf"].get_signature()),
        "bleu": str(m["bleu"].get_signature()),
        "bleu_sentence": str(m["bleu_sentence"].get_signature()),
        "ter": str(m["ter"].get_signature()),
    }


@dataclass(frozen=True)
class SegmentScores:
    """One hypothesis against its reference; TER's counts are kept so that the corpus TER
    is their sum (sacrebleu's corpus TER, without a second slow shift search)."""

    chrf: float
    bleu: float
    ter: float
    ter_edits: float
    ter_ref_length: float


def segment_scores(hypothesis: str, reference: str) -> SegmentScores:
    m = _metrics()
    ter = m["ter"].sentence_score(hypothesis, [reference])
    return SegmentScores(
        chrf=m["chrf"].sentence_score(hypothesis, [reference]).score,
        bleu=m["bleu_sentence"].sentence_score(hypothesis, [reference]).score,
        ter=ter.score,
        ter_edits=float(ter.num_edits),
        ter_ref_length=float(ter.ref_length),
    )


def corpus_scores(
    hypotheses: Sequence[str], references: Sequence[str], segments: Sequence[SegmentScores]
) -> dict[str, float]:
    """Corpus chrF and BLEU from sacrebleu; corpus TER from the segments' edit counts,
    which is how sacrebleu sums TER over a corpus."""
    m = _metrics()
    edits = sum(s.ter_edits for s in segments)
    length = sum(s.ter_ref_length for s in segments)
    ter = 100.0 * edits / length if length > 0 else (100.0 if edits > 0 else 0.0)
    return {
        "chrf": m["chrf"].corpus_score(list(hypotheses), [list(references)]).score,
        "bleu": m["bleu"].corpus_score(list(hypotheses), [list(references)]).score,
        "ter": ter,
    }


def change(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """after - before for each metric (for TER, lower is better: a negative change)."""
    return {k: after[k] - before[k] for k in before}


# --- reports ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentInput:
    """Everything one document's evaluation needs, already computed by the caller."""

    name: str
    original: str
    cleaned: str
    reference: str
    gold: tuple[GoldEdit, ...] | None
    proposals: tuple[Edit, ...]
    applied: tuple[Edit, ...]
    path: str = ""


@dataclass(frozen=True)
class DocumentResult:
    doc: DocumentInput
    before: SegmentScores
    after: SegmentScores
    edits: EditScore
    flags: tuple[int, int] | None
    touched: tuple[str, ...]


def evaluate_document(doc: DocumentInput) -> DocumentResult:
    """Figures for one document. Texts are compared with universal newlines, as score.py
    reads them: a CRLF article scored against an LF reference loses nothing for its line
    ends. Flags are matched in the original's own offsets."""
    original, cleaned, reference = (
        universal(t) for t in (doc.original, doc.cleaned, doc.reference)
    )
    before = segment_scores(original, reference)
    after = before if cleaned == original else segment_scores(cleaned, reference)
    gold = doc.gold
    return DocumentResult(
        doc,
        before,
        after,
        score_edits(original, reference, cleaned),
        flag_coverage(gold, doc.proposals) if gold is not None else None,
        tuple(flags_touched(gold, doc.applied)) if gold is not None else (),
    )


def _figures(scores: SegmentScores | dict[str, float]) -> dict[str, float]:
    if isinstance(scores, SegmentScores):
        scores = {"chrf": scores.chrf, "bleu": scores.bleu, "ter": scores.ter}
    return {k: round(scores[k], 4) for k in METRICS}


def _edit_figures(score: EditScore) -> dict[str, object]:
    return {
        "tp": score.tp,
        "fp": score.fp,
        "fn": score.fn,
        "precision": round(score.precision, 4),
        "recall": round(score.recall, 4),
        "f0.5": round(score.f05, 4),
    }


def _flag_figures(flags: tuple[int, int] | None) -> dict[str, object] | None:
    if flags is None:
        return None
    covered, total = flags
    return {
        "covered": covered,
        "total": total,
        "share": round(covered / total, 4) if total else 1.0,
    }


def _document_report(result: DocumentResult) -> dict[str, object]:
    doc = result.doc
    by_confidence = {c.value: 0 for c in Confidence}
    for edit in doc.proposals:
        by_confidence[edit.confidence.value] += 1
    before, after = _figures(result.before), _figures(result.after)
    return {
        "name": doc.name,
        "path": doc.path,
        "before": before,
        "after": after,
        "change": {k: round(v, 4) for k, v in change(before, after).items()},
        "edits": _edit_figures(result.edits),
        "flags": _flag_figures(result.flags),
        "flags_touched": list(result.touched),
        "proposals": len(doc.proposals),
        "by_confidence": by_confidence,
        "applied": len(doc.applied),
        "missing": [describe(universal(doc.original), k) for k in result.edits.missing],
        "wrong": [describe(universal(doc.original), k) for k in result.edits.wrong],
    }


def evaluate(docs: Sequence[DocumentInput], **about: object) -> dict[str, Any]:
    """The whole report as plain data (JSON and templates): per-document figures, the
    corpus figures, edit scores, flag coverage and the metric signatures. ``about`` is
    copied in as is (mode, engine version, glossary and rules digests...)."""
    results = [evaluate_document(d) for d in docs]
    before = corpus_scores(
        [d.original for d in docs], [d.reference for d in docs], [r.before for r in results]
    )
    after = corpus_scores(
        [d.cleaned for d in docs], [d.reference for d in docs], [r.after for r in results]
    )
    total = sum((r.edits for r in results), EditScore(0, 0, 0))
    with_gold = [r.flags for r in results if r.flags is not None]
    flags = (sum(c for c, _ in with_gold), sum(t for _, t in with_gold)) if with_gold else None
    before_shown, after_shown = _figures(before), _figures(after)
    return {
        **about,
        "signatures": signatures(),
        "documents": [_document_report(r) for r in results],
        "corpus": {
            "documents": len(docs),
            "before": before_shown,
            "after": after_shown,
            "change": {k: round(v, 4) for k, v in change(before_shown, after_shown).items()},
            "edits": _edit_figures(total),
            "flags": _flag_figures(flags),
            "flags_touched": sum(len(r.touched) for r in results),
            "proposals": sum(len(d.proposals) for d in docs),
            "applied": sum(len(d.applied) for d in docs),
        },
    }


# --- the table --------------------------------------------------------------------------

_LABELS = {"chrf": "chrF", "bleu": "BLEU", "ter": "TER"}


def _metric_cells(row: dict[str, Any]) -> list[str]:
    cells = []
    for metric in METRICS:
        cells += [
            f"{row['before'][metric]:.2f}",
            f"{row['after'][metric]:.2f}",
            f"{row['change'][metric]:+.2f}",
        ]
    return cells


def _edit_cells(row: dict[str, Any]) -> list[str]:
    e = row["edits"]
    flags = row["flags"]
    shown = f"{flags['covered']}/{flags['total']}" if flags else "-"
    return [
        str(e["tp"]),
        str(e["fp"]),
        str(e["fn"]),
        f"{e['precision']:.2f}",
        f"{e['recall']:.2f}",
        f"{e['f0.5']:.2f}",
        shown,
    ]


def _grid(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns padded to fit; a rule under the header and above the last (total) row."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    rule = "  ".join("-" * w for w in widths)

    def line(row: list[str]) -> str:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        return "  ".join(cells).rstrip()

    return [line(header), rule, *(line(r) for r in rows[:-1]), rule, line(rows[-1])]


def format_table(report: dict[str, Any]) -> str:
    """The report as a terminal reads it: a metrics row per document and a corpus row
    (before, after, change; 2 decimals), an edits row per document and a total, then the
    corpus edit and flag lines and the metric signatures."""
    docs: list[dict[str, Any]] = report["documents"]
    corpus: dict[str, Any] = report["corpus"]
    header = ["document"]
    for metric in METRICS:
        label = _LABELS[metric]
        header += [f"{label} before", "after", "change"]
    rows = [[d["name"], *_metric_cells(d)] for d in docs] + [["corpus", *_metric_cells(corpus)]]
    edit_header = ["document", "tp", "fp", "fn", "precision", "recall", "F0.5", "flags"]
    edit_rows = [[d["name"], *_edit_cells(d)] for d in docs] + [["total", *_edit_cells(corpus)]]
    e = corpus["edits"]
    lines = [*_grid(header, rows), "", *_grid(edit_header, edit_rows), ""]
    lines.append(
        f"edits ({report.get('mode', 'fix')}): precision {e['precision']:.2f} "
        f"(tp {e['tp']}, fp {e['fp']}), recall {e['recall']:.2f} (fn {e['fn']}), "
        f"F0.5 {e['f0.5']:.2f}"
    )
    flags = corpus["flags"]
    if flags:
        lines.append(
            f"flag coverage: {flags['share']:.2f} ({flags['covered']} of {flags['total']} "
            f"gold flag spans have a proposal); flag spans changed by an applied edit: "
            f"{corpus['flags_touched']}"
        )
    else:
        lines.append("flag coverage: - (no NAME.edits.jsonl gold files)")
    lines.append(
        f"chrF {corpus['before']['chrf']:.2f} -> {corpus['after']['chrf']:.2f}, "
        f"TER {corpus['before']['ter']:.2f} -> {corpus['after']['ter']:.2f} "
        f"(TER: lower is better)"
    )
    for metric, signature in report["signatures"].items():
        lines.append(f"{metric}: {signature}")
    return "\n".join(lines) + "\n"


# --- the chart of the html report -------------------------------------------------------


def axis(values: Sequence[float], metric: str) -> tuple[float, float]:
    """The value range a bar chart shows: chrF and BLEU run up to 100 from the nearest ten
    below the lowest bar (scores near 100 would otherwise look alike), TER from 0 up to the
    next multiple of 5 above the highest.

    >>> axis([98.5, 100.0], "chrf"), axis([27.7, 0.0], "ter"), axis([], "ter")
    ((90.0, 100.0), (0.0, 30.0), (0.0, 5.0))
    """
    if metric in LOWER_IS_BETTER:
        top = max(values, default=0.0)
        return 0.0, max(5.0, 5.0 * -(-top // 5))
    low = min(values, default=0.0)
    return min(90.0, 10.0 * (low // 10)), 100.0


def bar_chart(
    report: dict[str, Any], metric: str, width: int = 720, height: int = 240
) -> dict[str, Any]:
    """Geometry of an SVG chart of one metric, before and after, per document and for the
    corpus: plain numbers so that the template only draws (pixels, labels, ticks)."""
    rows = [*report["documents"], {"name": "corpus", **report["corpus"]}]
    values = [row[when][metric] for row in rows for when in ("before", "after")]
    low, high = axis(values, metric)
    left, bottom, top = 48, 56, 12
    plot_h = height - bottom - top
    group = (width - left - 8) / max(len(rows), 1)
    bar = min(28.0, group / 3)

    def y(value: float) -> float:
        clipped = min(max(value, low), high)
        return top + plot_h * (high - clipped) / (high - low)

    bars = []
    for n, row in enumerate(rows):
        for k, when in enumerate(("before", "after")):
            value = row[when][metric]
            x = left + n * group + group / 2 - bar + k * bar
            bars.append(
                {
                    "doc": row["name"],
                    "when": when,
                    "value": value,
                    "x": round(x, 1),
                    "y": round(y(value), 1),
                    "width": round(bar - 2, 1),
                    "height": round(top + plot_h - y(value), 1),
                }
            )
    step = (high - low) / 5
    ticks = [{"value": low + i * step, "y": round(y(low + i * step), 1)} for i in range(6)]
    labels = [
        {"doc": row["name"], "x": round(left + n * group + group / 2, 1), "y": height - bottom + 14}
        for n, row in enumerate(rows)
    ]
    return {
        "metric": metric,
        "label": _LABELS[metric],
        "lower_is_better": metric in LOWER_IS_BETTER,
        "width": width,
        "height": height,
        "left": left,
        "plot_bottom": top + plot_h,
        "ticks": ticks,
        "bars": bars,
        "labels": labels,
    }
