"""Accepted edits as patches, and patches applied to a file that has moved on a little.

Two formats go out: diff-match-patch's character patch (``patch_toText``: exact, line-ending
agnostic, what `cleantext apply` reads best) and a unified diff (what people and ``patch(1)``
read). Both come back in: each hunk is located fuzzily (diff-match-patch's Bitap matcher,
near where the patch says it was), then applied only if the text it changes is still there
character for character. A hunk whose context has drifted applies; a hunk whose own text was
rewritten fails and is reported with its line, leaving that region untouched: the patch
never guesses what an editor meant.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from cleantext.errors import InputError
from cleantext.model import Edit
from cleantext.textops import LineIndex

EQUAL, DELETE, INSERT = 0, -1, 1
Op = tuple[int, str]

EXPORT_MARGIN = 16  # characters of context either side of a change, grown until unique
UNIFIED_CONTEXT = 64  # characters of a unified hunk's context kept for locating it
SPAN = 32  # a long hunk is located by its first and last SPAN characters (as dmp does)
MATCH_THRESHOLD = 0.35  # Bitap: 0 exact only, 1 anything; dmp's default 0.5 is loose
MATCH_DISTANCE = 2000  # how far from the expected place a match may be (characters)
MAX_CHANGE = 0.5  # share of a hunk's old text that may differ in the target


def _differ() -> diff_match_patch:
    differ = diff_match_patch()
    differ.Diff_Timeout = 2.0
    differ.Match_Threshold = MATCH_THRESHOLD
    differ.Match_Distance = MATCH_DISTANCE
    return differ


# --- export -------------------------------------------------------------------------------


def edit_ops(original: str, edits: Sequence[Edit]) -> list[Op]:
    """The applied edits as diff-match-patch operations against ``original``.

    >>> from cleantext.model import Confidence
    >>> e = Edit(4, 9, "quick", "slow", "demo", "term", "", Confidence.AUTO)
    >>> edit_ops("the quick fox", [e])
    [(0, 'the '), (-1, 'quick'), (1, 'slow'), (0, ' fox')]
    """
    ops: list[Op] = []
    pos = 0
    for edit in sorted((e for e in edits if e.applicable), key=lambda e: (e.start, e.end)):
        if edit.start > pos:
            ops.append((EQUAL, original[pos : edit.start]))
        if edit.original:
            ops.append((DELETE, edit.original))
        if edit.replacement:
            ops.append((INSERT, edit.replacement))
        pos = edit.end
    if pos < len(original):
        ops.append((EQUAL, original[pos:]))
    return ops


def dmp_patch(original: str, edits: Sequence[Edit]) -> str:
    """A diff-match-patch patch (``patch_toText``) of the applied edits.

    Each hunk carries context until it is unique in the text, plus a margin, so that it
    can be found again after the file has changed around it.
    """
    differ = _differ()
    differ.Patch_Margin = EXPORT_MARGIN
    differ.Match_MaxBits = 0  # no length limit: context grows until unique
    patches = differ.patch_make(original, edit_ops(original, edits))
    text: str = differ.patch_toText(patches)
    return text


def split_lines(text: str) -> list[str]:
    """Lines with their endings, cut at ``\\n`` only (``str.splitlines`` also cuts at
    U+2028 and friends, which a diff must keep inside a line).

    >>> split_lines("a\\r\\nb\\u2028c")
    ['a\\r\\n', 'b\\u2028c']
    """
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def unified_diff(original: str, cleaned: str, path: str = "-", context: int = 3) -> str:
    """A unified diff from ``original`` to ``cleaned``; line endings stay inside the lines.

    >>> print(unified_diff("a\\nb\\n", "a\\nc\\n", "x.txt"), end="")
    --- a/x.txt
    +++ b/x.txt
    @@ -1,2 +1,2 @@
     a
    -b
    +c
    """
    out: list[str] = []
    lines = difflib.unified_diff(
        split_lines(original), split_lines(cleaned), f"a/{path}", f"b/{path}", n=context
    )
    for line in lines:
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


# --- hunks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hunk:
    """One hunk of a patch: operations against the old text, and where it was.

    ``start`` is a character offset into the old text (diff-match-patch), or -1 when only
    the 1-based ``line`` (and ``column``) is known (a unified diff).
    """

    label: str
    ops: tuple[Op, ...]
    start: int
    line: int
    column: int = 0  # 0-based, where a unified hunk's trimmed context begins in ``line``

    @property
    def old(self) -> str:
        return "".join(text for op, text in self.ops if op != INSERT)

    @property
    def new(self) -> str:
        return "".join(text for op, text in self.ops if op != DELETE)

    def describe(self, width: int = 40) -> str:
        """The changes of the hunk, short: ``'Openai' -> 'OpenAI'``."""
        parts: list[str] = []
        i = 0
        ops = self.ops
        while i < len(ops):
            op, text = ops[i]
            if op == DELETE and i + 1 < len(ops) and ops[i + 1][0] == INSERT:
                parts.append(f"{_short(text, width)} -> {_short(ops[i + 1][1], width)}")
                i += 1
            elif op == DELETE:
                parts.append(f"delete {_short(text, width)}")
            elif op == INSERT:
                parts.append(f"insert {_short(text, width)}")
            i += 1
        return ", ".join(parts)


def _short(text: str, width: int) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


@dataclass(frozen=True)
class HunkResult:
    """What became of one hunk: applied or not, at which line of the target, and why not."""

    label: str
    applied: bool
    line: int
    text: str
    reason: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "hunk": self.label,
            "applied": self.applied,
            "line": self.line,
            "text": self.text,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ApplyReport:
    results: tuple[HunkResult, ...]

    @property
    def applied(self) -> list[HunkResult]:
        return [r for r in self.results if r.applied]

    @property
    def failed(self) -> list[HunkResult]:
        return [r for r in self.results if not r.applied]


# --- parsing ------------------------------------------------------------------------------

_UNIFIED_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_DMP_HEADER = re.compile(r"^@@ -(\d+),?(\d*) \+(\d+),?(\d*) @@$")


def is_unified(patch_text: str) -> bool:
    """A unified diff names its files (``---`` then ``+++``); a dmp patch never does."""
    lines = patch_text.split("\n")
    return any(a.startswith("--- ") and b.startswith("+++ ") for a, b in itertools.pairwise(lines))


def parse(patch_text: str, source: str = "patch") -> list[Hunk]:
    """Hunks of either format; a malformed patch is an InputError naming its line."""
    if is_unified(patch_text):
        return parse_unified(patch_text, source)
    return parse_dmp(patch_text, source)


def parse_dmp(patch_text: str, source: str = "patch") -> list[Hunk]:
    """A diff-match-patch patch (``patch_toText`` format)."""
    for number, line in enumerate(patch_text.split("\n"), 1):
        if line.startswith("@@") and not _DMP_HEADER.match(line):
            raise InputError(source, f"bad hunk header {line[:40]!r}", number)
        if line and line[0] not in "@ -+":
            raise InputError(source, f"not a patch line: {line[:40]!r}", number)
    if not patch_text.strip():
        return []  # the patch of a document with no edits: nothing to do
    try:
        patches = _differ().patch_fromText(patch_text)
    except ValueError as exc:
        raise InputError(source, f"not a diff-match-patch patch: {exc}") from None
    return [
        Hunk(str(n), tuple((int(op), str(text)) for op, text in p.diffs), int(p.start1), 0)
        for n, p in enumerate(patches, 1)
    ]


def parse_unified(patch_text: str, source: str = "patch") -> list[Hunk]:
    """A unified diff of one file; its hunks become character operations (the changed
    characters, not whole lines, are what must still be there) with trimmed context."""
    lines = patch_text.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    files = sum(
        1 for a, b in itertools.pairwise(lines) if a.startswith("--- ") and b.startswith("+++ ")
    )
    if files != 1:
        raise InputError(source, f"holds diffs of {files} files; apply takes one file's patch")
    hunks: list[Hunk] = []
    number = 1
    i = 0
    while i < len(lines):
        match = _UNIFIED_HEADER.match(lines[i])
        if not match:
            i += 1
            continue
        header_line = i + 1
        old_count = int(match.group(2)) if match.group(2) is not None else 1
        new_count = int(match.group(4)) if match.group(4) is not None else 1
        old, new, i = _hunk_body(lines, i + 1, old_count, new_count, source, header_line)
        # an empty old side names the line AFTER which the new lines go
        start_line = int(match.group(1)) + (1 if old_count == 0 else 0)
        hunks.extend(_unified_hunks(number, old, new, max(start_line, 1)))
        number += 1
    if not hunks:
        raise InputError(source, "no hunks in the diff")
    return hunks


def _hunk_body(
    lines: list[str], i: int, old_count: int, new_count: int, source: str, header: int
) -> tuple[list[str], list[str], int]:
    old: list[str] = []
    new: list[str] = []
    last = ""
    while i < len(lines) and (len(old) < old_count or len(new) < new_count):
        line = lines[i]
        tag, body = (line[:1], line[1:]) if line not in ("\n", "") else (" ", line)
        if tag == " ":
            old.append(body)
            new.append(body)
        elif tag == "-":
            old.append(body)
        elif tag == "+":
            new.append(body)
        elif tag == "\\":
            _strip_last_newline(old, new, last)
        else:
            raise InputError(source, f"unexpected line in hunk: {line[:40]!r}", i + 1)
        last = tag
        i += 1
    if i < len(lines) and lines[i].startswith("\\"):
        _strip_last_newline(old, new, last)
        i += 1
    if len(old) != old_count or len(new) != new_count:
        raise InputError(source, "hunk shorter than its header says", header)
    return old, new, i


def _strip_last_newline(old: list[str], new: list[str], tag: str) -> None:
    """``\\ No newline at end of file`` applies to the side(s) of the line before it."""
    if tag in (" ", "-") and old:
        old[-1] = old[-1].removesuffix("\n")
    if tag in (" ", "+") and new:
        new[-1] = new[-1].removesuffix("\n")


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def word_diff(before: str, after: str) -> list[Op]:
    """A diff in whole words, spaces and marks (``'Lee' -> 'Li'``, not ``'ee' -> 'i'``):
    each token is coded as one character for diff-match-patch, as its line mode does.

    >>> word_diff("Premier Lee Qiang", "Premier Li Qiang")
    [(0, 'Premier '), (-1, 'Lee'), (1, 'Li'), (0, ' Qiang')]
    """
    codes: dict[str, str] = {}
    tokens: list[str] = []

    def encode(text: str) -> str:
        out = []
        for token in _TOKEN.findall(text):
            if token not in codes:
                codes[token] = chr(0x10000 + len(tokens))
                tokens.append(token)
            out.append(codes[token])
        return "".join(out)

    differ = _differ()
    diffs = differ.diff_main(encode(before), encode(after), False)
    differ.diff_cleanupSemantic(diffs)
    ops: list[Op] = []
    for op, coded in diffs:
        text = "".join(tokens[ord(c) - 0x10000] for c in coded)
        if ops and ops[-1][0] == op:
            ops[-1] = (op, ops[-1][1] + text)
        else:
            ops.append((int(op), text))
    return ops


def _unified_hunks(number: int, old: list[str], new: list[str], line: int) -> list[Hunk]:
    """One unified hunk as character hunks: its changes, grouped where less than
    2 x ``UNIFIED_CONTEXT`` unchanged characters part them, each with that much context.
    Line diffs of long paragraphs put distant edits in one hunk; split, each one applies
    or fails on its own. Labelled ``N.K`` (the K-th group of hunk N) when split."""
    old_text = "".join(old)
    ops = word_diff(old_text, "".join(new))
    groups: list[tuple[int, list[Op]]] = []  # (offset of the group in the old text, ops)
    pos = 0
    current: list[Op] = []
    begin = 0
    for k, (op, text) in enumerate(ops):
        if op == EQUAL and (k == 0 or k == len(ops) - 1 or len(text) > 2 * UNIFIED_CONTEXT):
            head, tail = text[:UNIFIED_CONTEXT], text[-UNIFIED_CONTEXT:]
            if k > 0:
                current.append((EQUAL, head))
                groups.append((begin, current))
            current, begin = [(EQUAL, tail)], pos + len(text) - len(tail)
        else:
            current.append((op, text))
        pos += len(text) if op != INSERT else 0
    if len(current) > 1 or (current and current[0][0] != EQUAL):
        groups.append((begin, current))
    out: list[Hunk] = []
    for k, (offset, group) in enumerate(groups, 1):
        label = str(number) if len(groups) == 1 else f"{number}.{k}"
        before = old_text[:offset]
        column = len(before) - (before.rfind("\n") + 1)
        out.append(Hunk(label, tuple(group), -1, line + before.count("\n"), column))
    return out


# --- applying -----------------------------------------------------------------------------


def apply_patch(patch_text: str, target: str, source: str = "patch") -> tuple[str, ApplyReport]:
    """``target`` with every hunk that still fits applied, and what became of each hunk."""
    return apply_hunks(parse(patch_text, source), target)


def apply_hunks(hunks: Sequence[Hunk], target: str) -> tuple[str, ApplyReport]:
    """Apply hunks in order, each all or nothing; later hunks are looked for where earlier
    ones (and the drift they revealed) say they should be."""
    differ = _differ()
    text = target
    shift = 0  # length change of the hunks applied so far
    drift = 0  # how far the target had moved at the last hunk found (dmp hunks)
    line_shift = 0  # line count change of the hunks applied so far (unified hunks)
    results: list[HunkResult] = []
    for hunk in hunks:
        if hunk.start >= 0:
            expected = hunk.start + shift + drift
        else:
            expected = _line_offset(text, hunk.line + line_shift) + hunk.column
        located = _locate(differ, text, hunk.old, expected)
        if isinstance(located, str):
            at = min(max(expected + _first_change(hunk), 0), len(text))
            line = LineIndex(text).position(at)[0]
            results.append(HunkResult(hunk.label, False, line, hunk.describe(), located))
            continue
        start, end = located
        rebuilt = _rebuild(differ, hunk, text[start:end])
        if rebuilt is None:
            line = LineIndex(text).position(start + _first_change(hunk))[0]
            reason = "the text it changes is no longer there"
            results.append(HunkResult(hunk.label, False, line, hunk.describe(), reason))
            continue
        line = LineIndex(text).position(start + _first_change(hunk))[0]
        line_shift += rebuilt.count("\n") - text.count("\n", start, end)
        text = text[:start] + rebuilt + text[end:]
        if hunk.start >= 0:
            drift = start - (hunk.start + shift)
        shift += len(rebuilt) - (end - start)
        results.append(HunkResult(hunk.label, True, line, hunk.describe()))
    return text, ApplyReport(tuple(results))


def _line_offset(text: str, line: int) -> int:
    """Offset of the start of 1-based ``line`` in ``text`` (its end when it is shorter)."""
    pos = 0
    for _ in range(line - 1):
        nxt = text.find("\n", pos)
        if nxt == -1:
            return len(text)
        pos = nxt + 1
    return pos


def _first_change(hunk: Hunk) -> int:
    pos = 0
    for op, text in hunk.ops:
        if op != EQUAL:
            return pos
        pos += len(text)
    return pos


def _locate(differ: diff_match_patch, text: str, old: str, expected: int) -> tuple[int, int] | str:
    """Where ``old`` is in ``text`` near ``expected``: exactly if it can be, else fuzzily
    by its head and tail; a reason when it is nowhere close."""
    expected = min(max(expected, 0), len(text))
    if not old:
        return expected, expected
    exact = _nearest(text, old, expected)
    if exact is not None:
        return exact, exact + len(old)
    if len(old) <= SPAN:
        start = differ.match_main(text, old, expected)
        if start == -1:
            return "its context is not in the file"
        return start, min(start + len(old), len(text))
    start = differ.match_main(text, old[:SPAN], expected)
    if start == -1:
        return "its context is not in the file"
    tail = differ.match_main(text, old[-SPAN:], start + len(old) - SPAN)
    if tail == -1 or tail < start:
        return "the end of its context is not in the file"
    return start, min(tail + SPAN, len(text))


def _nearest(text: str, needle: str, expected: int) -> int | None:
    best: int | None = None
    pos = text.find(needle)
    while pos != -1:
        if best is None or abs(pos - expected) < abs(best - expected):
            best = pos
        pos = text.find(needle, pos + 1)
    return best


def _rebuild(differ: diff_match_patch, hunk: Hunk, found: str) -> str | None:
    """The hunk applied to ``found`` (the target's version of its old text), or None when
    a deleted piece is not there verbatim or the region differs too much."""
    old = hunk.old
    if found == old:
        return hunk.new
    diffs = differ.diff_main(old, found, False)
    if differ.diff_levenshtein(diffs) > MAX_CHANGE * max(len(old), 1):
        return None
    differ.diff_cleanupSemanticLossless(diffs)
    pieces: list[str] = []
    pos = 0  # in found
    index = 0  # in old
    for op, data in hunk.ops:
        if op == EQUAL:
            index += len(data)
            continue
        at = differ.diff_xIndex(diffs, index)
        if at < pos:
            return None
        if op == DELETE:
            until = differ.diff_xIndex(diffs, index + len(data))
            if found[at:until] != data:
                return None
            pieces.append(found[pos:at])
            pos = until
            index += len(data)
        else:
            pieces.append(found[pos:at])
            pieces.append(data)
            pos = at
    pieces.append(found[pos:])
    return "".join(pieces)
