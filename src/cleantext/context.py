"""What every template is given: one plain mapping per document (see docs/templates.md).

Templates should need no offset arithmetic and no engine calls: the text comes already cut
into unchanged, deleted, inserted and flagged ``segments``; edits and proposals carry their
line and column; the figures, the per-rule summary, the decisions, the patches and the
``jsonl`` record are worked out here, once, in plain data that the sandbox lets through.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from cleantext import __version__, engine, patches
from cleantext.config import Config
from cleantext.document import Document
from cleantext.model import Confidence, Edit
from cleantext.records import document_record
from cleantext.stats import document_stats
from cleantext.textops import LineIndex

# Why a proposal was or was not applied by `fix`, by confidence and mode.
_REASONS = {
    ("auto", False): "auto: safe in bulk, applied by fix",
    ("auto", True): "auto: safe in bulk, applied by fix",
    ("review", False): "review: left for an editor (fix --unsafe applies it)",
    ("review", True): "review: applied by fix --unsafe",
    ("flag", False): "flag: no reliable repair, never applied",
    ("flag", True): "flag: no reliable repair, never applied",
}


def for_fix(
    doc: Document,
    config: Config,
    *,
    unsafe: bool = False,
    run: Mapping[str, Any] | None = None,
    doc_id: str | None = None,
) -> dict[str, Any]:
    """Run the engine as `fix` does (and `check`, for the proposals) and build the context."""
    proposals, cleaned, applied = engine.propose_and_fix(doc.text, config, unsafe, run)
    return build(
        doc,
        cleaned,
        proposals,
        applied,
        config,
        doc_id=doc_id,
        mode="fix --unsafe" if unsafe else "fix",
        unsafe=unsafe,
    )


def build(
    doc: Document,
    cleaned: str,
    proposals: Sequence[Edit],
    applied: Sequence[Edit],
    config: Config | None = None,
    *,
    doc_id: str | None = None,
    mode: str = "fix",
    unsafe: bool = False,
    decisions: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The template context of one document.

    ``applied`` are the edits that lead from ``doc.text`` to ``cleaned`` (offsets into the
    original). ``decisions`` is what an editor decided (`review`); without it, each
    proposal's decision is the one `fix` takes by its confidence.
    """
    original = doc.text
    index = LineIndex(original)
    applied = sorted(applied, key=lambda e: (e.start, e.end))
    status = proposal_status(proposals, applied, unsafe)
    ident = doc_id if doc_id is not None else document_id(doc.path)
    edit_dicts = [_located(e, index, n) for n, e in enumerate(applied, 1)]
    proposal_dicts = [
        {**_located(e, index, n), "status": s}
        for n, (e, s) in enumerate(zip(proposals, status, strict=True), 1)
    ]
    stats = document_stats(original, proposals, applied)
    glossary_digest = config.glossary.digest if config and config.glossary else ""
    rules_digest = config.rules_digest if config else ""
    return {
        "document": {
            "id": ident,
            "path": doc.path,
            "name": Path(doc.path).name,
            "text": cleaned,
            "original": original,
            "encoding": "utf-8",
            "bom": doc.bom,
            "newline": doc.newline,
            "newline_name": "CRLF" if doc.newline == "\r\n" else "LF",
            "changed": cleaned != original,
        },
        "text": cleaned,
        "original": original,
        "edits": edit_dicts,
        "edit_objects": applied,
        "proposals": proposal_dicts,
        "proposal_objects": list(proposals),
        "decisions": list(decisions)
        if decisions is not None
        else fix_decisions(proposal_dicts, unsafe),
        "stats": stats,
        "summary": summary(proposals, status, len(applied)),
        "segments": segments(original, applied, proposals, status),
        "engine": {
            "name": "cleantext",
            "version": __version__,
            "mode": mode,
            "glossary_digest": glossary_digest,
            "rules_digest": rules_digest,
        },
        "version": __version__,
        "glossary_digest": glossary_digest,
        "rules_digest": rules_digest,
        "record": document_record(ident, original, cleaned, proposals, applied, path=doc.path),
        "patch": Patches(original, cleaned, applied, doc.path),
    }


class Patches:
    """``patch.dmp`` and ``patch.unified``, worked out only when a template reads them (a
    report of a long document should not pay for two diffs it never shows)."""

    def __init__(self, original: str, cleaned: str, applied: Sequence[Edit], path: str) -> None:
        self._args = (original, cleaned, tuple(applied), path)

    @cached_property
    def dmp(self) -> str:
        original, _, applied, _ = self._args
        return patches.dmp_patch(original, applied)

    @cached_property
    def unified(self) -> str:
        original, cleaned, _, path = self._args
        return patches.unified_diff(original, cleaned, path)


def document_id(path: str) -> str:
    """A document's id: its file name without the extension (``<stdin>`` for stdin).

    >>> document_id("seeds/003_3ef1.txt")
    '003_3ef1'
    """
    return Path(path).stem if path not in ("-", "<stdin>") else "stdin"


def _located(edit: Edit, index: LineIndex, number: int) -> dict[str, Any]:
    line, column = index.position(edit.start)
    out: dict[str, Any] = {"index": number, "line": line, "column": column}
    out.update(edit.to_dict())
    out["title"] = f"{edit.rule} ({edit.confidence.value}): {edit.message}"
    return out


def proposal_status(proposals: Sequence[Edit], applied: Sequence[Edit], unsafe: bool) -> list[str]:
    """Per proposal: ``applied`` (its confidence lets `fix` apply it and an applied edit
    covers its span), ``skipped`` (allowed, but a clash or a later pass settled it
    otherwise), ``pending`` (review, left for an editor) or ``flag``."""
    allowed = engine.UNSAFE if unsafe else engine.SAFE
    out: list[str] = []
    for edit in proposals:
        if edit.confidence is Confidence.FLAG or edit.replacement is None:
            out.append("flag")
        elif edit.confidence not in allowed:
            out.append("pending")
        elif any(_touches(edit, a) for a in _near(applied, edit)):
            out.append("applied")
        else:
            out.append("skipped")
    return out


def _near(applied: Sequence[Edit], edit: Edit) -> Sequence[Edit]:
    """The applied edits (sorted, never overlapping, so their ends are sorted too) that
    start no later than ``edit`` ends and end no earlier than it starts."""
    first = bisect.bisect_left(applied, edit.start, key=lambda e: e.end)
    last = bisect.bisect_right(applied, edit.end, key=lambda e: e.start)
    return applied[first:last]


def _touches(a: Edit, b: Edit) -> bool:
    if a.overlaps(b):
        return True
    return a.start == b.start or (a.start == a.end == b.end) or (b.start == b.end == a.end)


def fix_decisions(proposals: Sequence[Mapping[str, Any]], unsafe: bool) -> list[dict[str, Any]]:
    """What `fix` decided for each proposal, and why (its confidence)."""
    return [
        {
            "index": p["index"],
            "rule": p["rule"],
            "confidence": p["confidence"],
            "decision": p["status"],
            "reason": _REASONS[(str(p["confidence"]), unsafe)],
        }
        for p in proposals
    ]


def summary(proposals: Sequence[Edit], status: Sequence[str], applied: int) -> dict[str, Any]:
    """Counts for the report's tables: per rule, per category, per confidence."""
    rules: dict[str, dict[str, Any]] = {}
    categories: dict[str, dict[str, Any]] = {}
    for edit, state in zip(proposals, status, strict=True):
        row = rules.setdefault(
            edit.rule,
            {"rule": edit.rule, "category": edit.category, "proposed": 0, "applied": 0}
            | {c.value: 0 for c in Confidence},
        )
        row["proposed"] += 1
        row[edit.confidence.value] += 1
        cat = categories.setdefault(
            edit.category, {"category": edit.category, "proposed": 0, "applied": 0}
        )
        cat["proposed"] += 1
        if state == "applied":
            row["applied"] += 1
            cat["applied"] += 1
    by_status = Counter(status)
    return {
        "rules": [rules[k] for k in sorted(rules)],
        "categories": [categories[k] for k in sorted(categories)],
        "confidence": {c.value: sum(1 for e in proposals if e.confidence is c) for c in Confidence},
        "status": {s: by_status.get(s, 0) for s in ("applied", "pending", "flag", "skipped")},
        "proposed": len(proposals),
        "applied": applied,
    }


def segments(
    original: str,
    applied: Sequence[Edit],
    proposals: Sequence[Edit] = (),
    status: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """The text cut for markup: ``same`` (unchanged), ``delete`` and ``insert`` (an applied
    edit: its original, then its replacement), ``flag`` and ``pending`` (a proposal left
    alone, over text that stays). Every segment but ``delete`` joined gives the cleaned
    text; every segment but ``insert`` gives the original.

    >>> from cleantext.model import Confidence
    >>> e = Edit(4, 9, "quick", "slow", "demo", "term", "why", Confidence.AUTO)
    >>> [(s["kind"], s["text"]) for s in segments("the quick fox", [e])]
    [('same', 'the '), ('delete', 'quick'), ('insert', 'slow'), ('same', ' fox')]
    """
    applied = sorted(applied, key=lambda e: (e.start, e.end))
    marks: list[tuple[int, int, str, int, Edit]] = [
        (e.start, e.end, "change", n, e) for n, e in enumerate(applied, 1)
    ]
    for n, (edit, state) in enumerate(zip(proposals, status, strict=True), 1):
        if state in ("flag", "pending") and not any(
            _clashes(edit, a) for a in _near(applied, edit)
        ):
            marks.append((edit.start, edit.end, state, n, edit))
    marks.sort(key=lambda m: (m[0], m[1], m[2] != "change"))
    out: list[dict[str, Any]] = []
    pos = 0
    for start, end, kind, number, edit in marks:
        if start < pos:  # never expected: applied edits do not overlap; skip, never garble
            continue
        if start > pos:
            out.append(_segment("same", original[pos:start]))
        if kind == "change":
            if edit.original:
                out.append(_segment("delete", edit.original, edit, edit=number))
            if edit.replacement:
                out.append(_segment("insert", edit.replacement, edit, edit=number))
        else:
            out.append(_segment(kind, edit.original, edit, proposal=number))
        pos = end
    if pos < len(original):
        out.append(_segment("same", original[pos:]))
    return out


def _clashes(a: Edit, b: Edit) -> bool:
    return a.overlaps(b) or (a.start < b.end and b.start < a.end)


def _segment(kind: str, text: str, source: Edit | None = None, **numbers: int) -> dict[str, Any]:
    """Every segment has every key (None where it does not apply), so templates under
    StrictUndefined can ask any of them."""
    out: dict[str, Any] = {
        "kind": kind,
        "text": text,
        "edit": None,
        "proposal": None,
        "rule": None,
        "category": None,
        "confidence": None,
        "message": None,
        "replacement": None,
        "title": None,
    }
    out.update(numbers)
    if source is not None:
        out.update(
            rule=source.rule,
            category=source.category,
            confidence=source.confidence.value,
            message=source.message,
            replacement=source.replacement,
            title=f"{source.rule} ({source.confidence.value}): {source.message}",
        )
    return out
