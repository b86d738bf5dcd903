"""The review of one document as plain data, journaled at once (no Textual here).

Every decision is appended to a JSON Lines journal and fsynced before the screen moves on,
so a killed terminal loses nothing; a fresh ``open_review`` replays the journal (undo and
redo included) and lands exactly where the editor stopped. Each record carries the span,
the text it covered, the replacement chosen, the rule and a hash of the source, so that a
source edited since is handled by re-anchoring (``anchor.locate``), and what cannot be
placed is kept as stale: shown, never applied.

Saving goes through ``textops.apply_edits`` and ``document.save``, like ``fix --write``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from cleantext import document, engine
from cleantext.config import Config
from cleantext.errors import InputError
from cleantext.model import Confidence, Edit
from cleantext.review.anchor import Anchor, locate
from cleantext.textops import apply_edits, atomic_write_bytes

SCHEMA = 1
ACCEPT = "accept"
REJECT = "reject"
Key = tuple[int, int]


def text_hash(text: str) -> str:
    """A short fingerprint of a source text (what decisions were made against).

    >>> text_hash("abc")
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def state_path(source: Path, state_dir: Path | None = None) -> Path:
    """Where a document's journal lives: beside it (hidden), or under ``state_dir`` with a
    hash of the source's full path so that two ``notes.txt`` never share one journal.

    >>> state_path(Path("a/notes.txt")).name
    '.notes.txt.cleantext-review.jsonl'
    """
    if state_dir is None:
        return source.parent / f".{source.name}.cleantext-review.jsonl"
    tag = hashlib.sha256(str(source.resolve()).encode("utf-8")).hexdigest()[:10]
    return state_dir / f"{source.name}.{tag}.cleantext-review.jsonl"


@dataclass(frozen=True, slots=True)
class Decision:
    """An editor's answer to the proposal at ``key``: accept ``edit`` or reject it.

    ``edit`` is what would be applied: the proposal itself, one of its alternatives, or the
    proposal with a typed replacement (``typed``).
    """

    key: Key
    verdict: str
    edit: Edit
    typed: bool = False

    @property
    def accepted(self) -> bool:
        return self.verdict == ACCEPT


@dataclass(frozen=True)
class Filter:
    """Which proposals the editor walks through; None means any."""

    category: str | None = None
    rule: str | None = None
    confidence: str | None = None

    def matches(self, edit: Edit) -> bool:
        return (
            (self.category is None or edit.category == self.category)
            and (self.rule is None or edit.rule == self.rule)
            and (self.confidence is None or edit.confidence.value == self.confidence)
        )

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.category, self.rule, self.confidence))


class ConflictError(ValueError):
    """An accepted edit that would overlap another accepted one."""


Step = list[tuple[Key, "Decision | None", "Decision | None"]]  # (key, before, after)


class Journal:
    """Append-only JSON Lines, one fsync a record: what is on screen is on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def append(self, record: Mapping[str, Any]) -> None:
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("a", encoding="utf-8")
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def read(self) -> list[dict[str, Any]]:
        """Every record; a torn last line (killed mid-write) is ignored, any other broken
        line is an error naming the journal and the line."""
        try:
            lines = self.path.read_text(encoding="utf-8").split("\n")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(str(self.path), f"review state cannot be read: {exc}") from None
        records: list[dict[str, Any]] = []
        last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
        for number, line in enumerate(lines):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("not an object")
            except ValueError:
                if number == last:
                    break
                raise InputError(
                    str(self.path), "review state is damaged (not a JSON object)", number + 1
                ) from None
            records.append(record)
        return records


@dataclass
class ReviewState:
    """One document under review: its proposals, the decisions so far and their history."""

    doc: document.Document
    proposals: list[Edit]
    journal: Journal
    source: str = ""  # hash of doc.text, the text every key points into
    decisions: dict[Key, Decision] = field(default_factory=dict)
    undo_stack: list[Step] = field(default_factory=list)
    redo_stack: list[Step] = field(default_factory=list)
    stale: list[dict[str, Any]] = field(default_factory=list)
    backup: bool = True

    def __post_init__(self) -> None:
        self.source = self.source or text_hash(self.doc.text)
        self.proposals.sort(key=lambda e: (e.start, e.end, e.rule))
        self._index = {(e.start, e.end): i for i, e in enumerate(self.proposals)}

    # ---- reading ---------------------------------------------------------------------
    @property
    def name(self) -> str:
        return Path(self.doc.path).name

    def index_of(self, key: Key) -> int | None:
        return self._index.get(key)

    def decision(self, index: int) -> Decision | None:
        edit = self.proposals[index]
        return self.decisions.get((edit.start, edit.end))

    @property
    def decided(self) -> int:
        return sum(1 for key in self.decisions if key in self._index)

    @property
    def open(self) -> int:
        return len(self.proposals) - self.decided

    def accepted_edits(self) -> list[Edit]:
        """The edits a save applies: accepted decisions, flags answered with a typed fix
        raised to ``review`` (an editor vouched for them), in text order."""
        out = []
        for d in self.decisions.values():
            if not d.accepted or d.edit.replacement is None:
                continue
            edit = d.edit.with_alternatives(())
            if edit.confidence is Confidence.FLAG:
                edit = replace(edit, confidence=Confidence.REVIEW)
            out.append(edit)
        return sorted(out, key=lambda e: (e.start, e.end))

    # ---- deciding --------------------------------------------------------------------
    def decide(self, decisions: Sequence[Decision]) -> None:
        """Record ``decisions`` as one undoable step; journaled before they take effect."""
        if not decisions:
            return
        self._check_overlaps(decisions)
        self.journal.append(
            {
                "op": "decide",
                "v": SCHEMA,
                "source": self.source,
                "items": [self._record(d) for d in decisions],
            }
        )
        self._apply_step(decisions)
        self.redo_stack.clear()

    def undo(self) -> bool:
        if not self.undo_stack:
            return False
        self.journal.append({"op": "undo", "v": SCHEMA, "source": self.source})
        self._undo()
        return True

    def redo(self) -> bool:
        if not self.redo_stack:
            return False
        self.journal.append({"op": "redo", "v": SCHEMA, "source": self.source})
        self._redo()
        return True

    def _apply_step(self, decisions: Iterable[Decision]) -> None:
        step: Step = []
        for d in decisions:
            step.append((d.key, self.decisions.get(d.key), d))
            self.decisions[d.key] = d
        self.undo_stack.append(step)

    def _undo(self) -> None:
        step = self.undo_stack.pop()
        for key, before, _ in reversed(step):
            self._set(key, before)
        self.redo_stack.append(step)

    def _redo(self) -> None:
        step = self.redo_stack.pop()
        for key, _, after in step:
            self._set(key, after)
        self.undo_stack.append(step)

    def _set(self, key: Key, decision: Decision | None) -> None:
        if decision is None:
            self.decisions.pop(key, None)
        else:
            self.decisions[key] = decision

    def _check_overlaps(self, decisions: Sequence[Decision]) -> None:
        incoming = {d.key for d in decisions}
        accepted = [d.edit for k, d in self.decisions.items() if d.accepted and k not in incoming]
        for d in decisions:
            if not d.accepted:
                continue
            for other in accepted:
                if d.edit.overlaps(other):
                    raise ConflictError(
                        f"{d.edit.rule} overlaps the accepted {other.rule} at {other.start}"
                    )
            accepted.append(d.edit)

    def _record(self, d: Decision) -> dict[str, Any]:
        edit = d.edit.with_alternatives(())
        anchor = Anchor.of(self.doc.text, d.key[0], d.key[1])
        return {
            "key": list(d.key),
            "verdict": d.verdict,
            "typed": d.typed,
            "edit": edit.to_dict(),
            "before": anchor.before,
            "after": anchor.after,
            "original": anchor.original,
        }

    # ---- saving ----------------------------------------------------------------------
    def save(self, path: Path | None = None) -> tuple[str, list[Edit]]:
        """Write the cleaned document (see ``save``)."""
        return save(self, path)


def save(
    state: ReviewState, path: Path | None = None, *, backup: bool | None = None
) -> tuple[str, list[Edit]]:
    """Apply the accepted decisions to the source and write the result atomically, keeping
    the pre-review text as ``FILE.orig`` unless ``backup`` is off (default: the state's).

    Returns the cleaned text and the edits applied (offsets into the source), the same pair
    ``engine.fix`` returns, for templates and reports.
    """
    edits = state.accepted_edits()
    cleaned = apply_edits(state.doc.text, edits)
    target = Path(path or state.doc.path)
    keep = state.backup if backup is None else backup
    current = target.read_bytes() if target.exists() else None
    if keep and path is None and cleaned != state.doc.text:
        # the text the review started from, not the file now: a second save keeps the first
        # original instead of backing up its own output
        atomic_write_bytes(Path(str(target) + ".orig"), state.doc.encode())
    data = state.doc.encode(cleaned)
    if current != data:
        document.save(state.doc, cleaned, target)
    if path is None:
        state.journal.append(
            {"op": "save", "v": SCHEMA, "source": state.source, "written": text_hash(cleaned)}
        )
    return cleaned, edits


# ---- opening and replaying ---------------------------------------------------------------
Proposer = Callable[[str], list[Edit]]


def proposer(config: Config, run: Mapping[str, Any] | None = None) -> Proposer:
    """The proposals `check` would show for a text, under one compiled config."""
    return lambda text: engine.propose(text, config, run)


def open_review(
    path: Path,
    propose: Proposer,
    state_dir: Path | None = None,
    *,
    backup: bool = True,
) -> ReviewState:
    """Load a document, its proposals and its journal, and replay the journal.

    The text under review is the file as it is, unless the file is exactly what the last
    save wrote: then the review goes on against the text it started from (kept as
    ``FILE.orig``), or, without that backup, starts afresh from the saved file with only
    the decisions made after the save.
    """
    journal = Journal(state_path(path, state_dir))
    records = journal.read()
    doc = document.load(path)
    now = text_hash(doc.text)
    saves = [i for i, r in enumerate(records) if r.get("op") == "save"]
    if saves and records[saves[-1]].get("written") == now:
        last = records[saves[-1]]
        orig = Path(str(path) + ".orig")
        base = _load_if(orig, str(last.get("source")), str(path))
        if base is not None:
            doc = base
        else:
            records = records[saves[-1] + 1 :]
    state = ReviewState(doc, propose(doc.text), journal, backup=backup)
    replay(state, records)
    return state


def _load_if(path: Path, wanted: str, name: str) -> document.Document | None:
    if not path.exists():
        return None
    try:
        doc = document.load(path)
    except InputError:
        return None
    if text_hash(doc.text) != wanted:
        return None
    return document.Document(doc.text, name, doc.bom)


def replay(state: ReviewState, records: Iterable[Mapping[str, Any]]) -> None:
    """Rebuild decisions and history from journal records, re-anchoring any made against
    another version of the source; those that cannot be placed go to ``state.stale``."""
    added: list[Edit] = []
    for record in records:
        op = record.get("op")
        if op == "undo" and state.undo_stack:
            state._undo()
        elif op == "redo" and state.redo_stack:
            state._redo()
        elif op == "decide":
            step = []
            for item in record.get("items", []):
                decision = _placed(state, item, record.get("source") == state.source)
                if decision is None:
                    state.stale.append(dict(item))
                    continue
                if state.index_of(decision.key) is None:
                    added.append(_proposal_of(decision, item))
                step.append(decision)
            state._apply_step(step)
            state.redo_stack.clear()
    if added:
        state.proposals.extend(added)
        state.__post_init__()


def _placed(state: ReviewState, item: Mapping[str, Any], same_source: bool) -> Decision | None:
    """The decision of a journal item, moved onto the current text (None if it is gone)."""
    try:
        key = (int(item["key"][0]), int(item["key"][1]))
        edit = _edit_from(item["edit"])
        original = str(item.get("original", ""))
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    if same_source:
        delta = 0
    else:
        anchor = Anchor(key[0], original, str(item.get("before", "")), str(item.get("after", "")))
        found = locate(state.doc.text, anchor)
        if found is None:
            return None
        delta = found - key[0]
    key = (key[0] + delta, key[1] + delta)
    edit = replace(edit, start=edit.start + delta, end=edit.end + delta)
    if state.doc.text[edit.start : edit.end] != edit.original:
        return None
    return Decision(key, str(item.get("verdict", REJECT)), edit, bool(item.get("typed", False)))


def _edit_from(data: Mapping[str, Any]) -> Edit:
    replacement = data.get("replacement")
    return Edit(
        int(data["start"]),
        int(data["end"]),
        str(data["original"]),
        None if replacement is None else str(replacement),
        str(data["rule"]),
        str(data["category"]),
        str(data.get("message", "")),
        Confidence(str(data["confidence"])),
    )


def _proposal_of(decision: Decision, item: Mapping[str, Any]) -> Edit:
    """A proposal the engine no longer makes (a glossary row changed since) but an editor
    decided on: kept, so that the decision is neither lost nor applied unseen."""
    start, end = decision.key
    edit = decision.edit
    if (edit.start, edit.end) != decision.key:
        return Edit(
            start,
            end,
            str(item.get("original", "")),
            None,
            edit.rule,
            edit.category,
            edit.message,
            Confidence.FLAG,
        )
    return edit
