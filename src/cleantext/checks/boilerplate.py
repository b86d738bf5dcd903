"""Boilerplate: whole lines of web furniture removed with the blank lines that go with them.

A furniture line is deleted together with the blank lines after it, so the paragraphs
around it close up as the author wrote them; a block of furniture at the end of the
document is deleted from the end of the last real line, so no trailing blank lines stay.
To know where the real text ends, every boilerplate rule of a run sees the lines its
sibling rules claim (``Context.shared``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from cleantext.checks.base import (
    Context,
    Rule,
    RuleSpec,
    compile_regex,
    option,
)
from cleantext.model import Confidence, Edit

FIELDS = ("lines", "inline", "repeated", "max_words")
SHARED_KEY = "boilerplate.lines"
MAX_LINE = 400  # longest line (with its break) that can be furniture


@dataclass(frozen=True, slots=True)
class Claim:
    line: int  # offset of the line's first character
    rule: Boilerplate
    confidence: Confidence
    message: str | None


class Boilerplate(Rule):
    document_scope = True  # looks at the whole document (counts, its end)
    level_sensitive = True  # which lines it claims depends on the rules a run may apply

    fields = FIELDS

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        self.patterns = [str(p) for p in option(spec, "lines", list, [])]
        for pattern in self.patterns:
            compile_regex(spec, pattern)
        inline = [str(p) for p in option(spec, "inline", list, [])]
        # one literal-led regex each: CPython scans for a literal prefix at memchr speed
        self.inline = [compile_regex(spec, p) for p in inline]
        self.repeated: bool = option(spec, "repeated", bool, False)
        self.max_words: int = option(spec, "max_words", int, 12)
        self.siblings: list[Boilerplate] = [self]
        self._combined: dict[tuple[Confidence, ...] | None, LineMatcher] = {}

    # -- which lines are furniture -------------------------------------------------------
    def _line_regex(self, levels: frozenset[Confidence] | None) -> LineMatcher:
        """The line patterns of every sibling rule that can reach ``levels``, in one
        multiline regex with a group per rule (a safe fix leaves the review-only ones out:
        each pattern costs a scan). A pattern that opens with a scan (``.{0,150}\\bVote``)
        is kept apart and tried only on lines holding the literal after the scan: in the
        shared regex it cost nine tenths of the time of every line tried."""
        key = None if levels is None else tuple(sorted(levels))
        if key not in self._combined:
            parts: list[str] = []
            scans: list[tuple[str, re.Pattern[str], int]] = []
            for i, rule in enumerate(self.siblings):
                if not rule.patterns or not rule._reaches(levels):
                    continue
                plain = []
                for pattern in rule.patterns:
                    literal = required_literal(pattern)
                    if literal is None:
                        plain.append(pattern)
                    else:
                        scans.append((literal, _whole_line(f"(?:{pattern})"), i))
                if plain:
                    parts.append(f"(?P<r{i}>" + "|".join(f"(?:{p})" for p in plain) + ")")
            self._combined[key] = LineMatcher(
                _whole_line("|".join(parts)) if parts else None, scans
            )
        return self._combined[key]

    def _reaches(self, levels: frozenset[Confidence] | None) -> bool:
        top = self.spec.confidence.rank
        return levels is None or any(level.rank <= top for level in levels)

    def _all_claims(self, ctx: Context) -> dict[int, Claim]:
        """Line start offset -> claim, for every sibling rule, computed once per document."""
        cached: dict[int, Claim] | None = ctx.shared.get(SHARED_KEY)
        if cached is not None:
            return cached
        cached = {}
        text = ctx.text
        matcher = self._line_regex(ctx.levels)
        if matcher:
            pos = 0
            for line, size in _short_lines(text):
                if line is not None and not line.isspace():
                    index = matcher.rule_of(line)
                    if index is not None:
                        rule = self.siblings[index]
                        cached.setdefault(pos, Claim(pos, rule, rule.spec.confidence, None))
                pos += size
        for rule in self.siblings:
            if rule.repeated and rule._reaches(ctx.levels):
                for start, claim in rule._repeats(ctx):
                    # a caption printed twice in a row is certain furniture, while the
                    # caption pattern alone only needs an eye: the surer claim wins
                    held = cached.get(start)
                    if held is None or claim.confidence.rank > held.confidence.rank:
                        cached[start] = claim
        ctx.shared[SHARED_KEY] = cached
        return cached

    def _repeats(self, ctx: Context) -> Iterator[tuple[int, Claim]]:
        """Caption-sized lines printed more than once; counted at C speed first."""
        text = ctx.text
        # only lines short enough to be furniture are counted (a paragraph never repeats as
        # a caption): casefolding and hashing the paragraphs took most of this check's time
        short = [line for line in text.splitlines() if len(line) <= MAX_LINE]
        counts = Counter(map(str.strip, map(str.casefold, short)))
        twice = {
            key
            for key, n in counts.items()
            if n > 1 and key and _caption_sized(key, self.max_words)
        }
        if not twice:
            return
        seen: dict[str, int] = {}
        previous = ""
        number = 0
        for line in ctx.lines:
            number += 1
            body = text[line.start : line.end].strip()
            if not body:
                continue
            key = body.casefold()
            if key in twice:
                if key in seen:
                    # a caption printed twice in a row is certain; a repeat further down
                    # may be a refrain or a recurring label, and a line laid out like code
                    # or a listing ("...    blah" twice in a doctest) needs an eye too
                    raw = text[line.start : line.end]
                    certain = key == previous and not _laid_out(raw)
                    level = self.spec.confidence if certain else Confidence.REVIEW
                    yield (
                        line.start,
                        Claim(line.start, self, level, f"'{body}' repeats line {seen[key]}"),
                    )
                else:
                    seen[key] = number
            previous = key

    # -- edits ---------------------------------------------------------------------------
    def run(self, ctx: Context) -> Iterator[Edit]:
        claims = self._all_claims(ctx)
        text = ctx.text
        if claims:
            tail = _tail_start(text, claims)
            for start, claim in sorted(claims.items()):
                if claim.rule is not self:
                    continue
                end_of_text = _line_end(text, start)
                if start >= tail:
                    begin = _end_of_previous_content(text, start)
                    yield self.spec.edit(
                        text,
                        begin,
                        end_of_text,
                        "",
                        message=claim.message,
                        confidence=claim.confidence,
                    )
                else:
                    yield self.spec.edit(
                        text,
                        start,
                        _start_of_next_content(text, end_of_text),
                        "",
                        message=claim.message,
                        confidence=claim.confidence,
                    )
        for pattern in self.inline:
            for m in pattern.finditer(text):
                if _line_start(text, m.start()) in claims:
                    continue
                begin = m.start()
                while begin > 0 and text[begin - 1] in " \t":
                    begin -= 1
                yield self.spec.edit(text, begin, m.end(), "")


def _whole_line(body: str) -> re.Pattern[str]:
    return re.compile(rf"(?i)[ \t]*(?:{body})[ \t]*(?:\r\n|\n|\r)?\Z")


@dataclass(frozen=True, slots=True)
class LineMatcher:
    """Which sibling rule claims a line: the shared regex, then the scan-led patterns."""

    regex: re.Pattern[str] | None
    scans: list[tuple[str, re.Pattern[str], int]]  # (casefolded literal, regex, rule index)

    def __bool__(self) -> bool:
        return self.regex is not None or bool(self.scans)

    def rule_of(self, line: str) -> int | None:
        """The index of the first rule (in pack order) whose pattern covers ``line``."""
        found: int | None = None
        if self.regex is not None:
            m = self.regex.match(line)
            if m is not None:
                group = next(k for k, v in m.groupdict().items() if v is not None)
                found = int(group[1:])
        if self.scans:
            folded = None
            for literal, regex, index in self.scans:
                if found is not None and index >= found:
                    continue
                folded = folded if folded is not None else line.casefold()
                if literal in folded and regex.match(line):
                    found = index
        return found


_SCAN_LEAD = re.compile(r"\.(?:\*|\+|\{\d*,?\d*\})\??(?:\\b)?")


def required_literal(pattern: str) -> str | None:
    r"""The literal every match of a scan-led pattern holds (casefolded), or None.

    Only patterns that open with a scan (``.*``, ``.{0,150}``) and have no top-level
    alternative qualify; the literal is the run of letters, digits and spaces right after
    the scan, without a last character that a quantifier makes optional.

    >>> required_literal(r".{0,150}\bVote (?:in|on) our poll"), required_literal("Vote.*")
    ('vote ', None)
    >>> required_literal(r".*polls? here"), required_literal(r".*ab|x")
    ('poll', None)
    """
    lead = _SCAN_LEAD.match(pattern)
    if lead is None or _top_level_bar(pattern):
        return None
    chars: list[str] = []
    for ch in pattern[lead.end() :]:
        if ch.isascii() and (ch.isalnum() or ch == " "):
            chars.append(ch)
            continue
        if ch in "?*{":
            chars = chars[:-1]  # "s?": the character before the quantifier may be absent
        break
    literal = "".join(chars)
    return literal.casefold() if len(literal.strip()) >= 3 else None


def _top_level_bar(pattern: str) -> bool:
    """Whether ``pattern`` has a ``|`` outside every group and class."""
    depth = 0
    in_class = escaped = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
    return False


_LAYOUT = re.compile(r"^[ \t]|\S(?: {2,}|\t)\S|^(?:>>>|\.\.\.|#|\$) ")


def _laid_out(line: str) -> bool:
    """Indented, aligned in columns, or a prompt: code or a listing, not a caption.

    >>> _laid_out("AI Photo: VCG"), _laid_out("...    blah"), _laid_out("    blah")
    (False, True, True)
    """
    return bool(_LAYOUT.search(line))


def _caption_sized(body: str, max_words: int) -> bool:
    """Short, with letters, and not a sentence: what a repeated caption or label looks like."""
    return (
        len(body.split()) <= max_words
        and any(c.isalpha() for c in body)
        and not body.endswith((".", "?", "!", ":", ";", ","))
    )


def _short_lines(text: str) -> Iterator[tuple[str | None, int]]:
    r"""Each physical line's length with its break (\n, \r\n, or a lone \r in old Mac
    files; str.splitlines would also split at form feeds and U+2028), and the line itself
    when it is short enough to be furniture (None for the rest, most of a text: only short
    lines are copied out).

    >>> list(_short_lines("Like this:\n" + "x" * 500 + "\n"))
    [('Like this:\n', 11), (None, 501), ('', 0)]
    """
    mark = "\n" if "\n" in text or "\r" not in text else "\r"
    parts = text.split(mark)
    last = len(parts) - 1
    for i, part in enumerate(parts):
        size = len(part) + (i < last)
        yield (part + mark if i < last else part) if size <= MAX_LINE else None, size


def _line_start(text: str, pos: int) -> int:
    return max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1


def _line_end(text: str, start: int) -> int:
    """End of the line's text, before its line break."""
    end = len(text)
    for mark in ("\n", "\r"):
        found = text.find(mark, start)
        if found != -1:
            end = min(end, found)
    return end


def _tail_start(text: str, claims: dict[int, Claim]) -> int:
    """Offset of the first line of the trailing block of furniture (past the end if none)."""
    tail = len(text) + 1
    pos = len(text)
    while True:
        content_end = len(text[:pos].rstrip())
        start = _line_start(text, content_end)
        if content_end == 0 or start not in claims:
            return tail
        tail = pos = start


def _end_of_previous_content(text: str, start: int) -> int:
    """Delete from the end of the text before (blank lines included), so that the document
    ends on its last real line; an earlier furniture line's own edit ends there too."""
    return len(text[:start].rstrip())


def _start_of_next_content(text: str, end: int) -> int:
    """Just after the line break and the blank lines that follow the line."""
    rest = text[end:]
    stripped = rest.lstrip()
    if not stripped:
        return len(text)
    skipped = rest[: len(rest) - len(stripped)]
    # keep the indentation of the next line: cut back to just after the last line break
    cut = max(skipped.rfind("\n"), skipped.rfind("\r")) + 1
    return end + cut


def build(spec: RuleSpec) -> Boilerplate:
    return Boilerplate(spec)


def link(rules: list[Boilerplate]) -> None:
    """Let every boilerplate rule of a run see the others' lines (called by config)."""
    shared: dict[tuple[Confidence, ...] | None, LineMatcher] = {}
    for rule in rules:
        rule.siblings = list(rules)
        rule._combined = shared
