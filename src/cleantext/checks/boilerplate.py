"""Boilerplate: whole lines of web furniture removed with the blank lines that go with them.

A furniture line is deleted together with the blank lines after it, so the paragraphs
around it close up as the author wrote them; a block of furniture at the end of the
document is deleted from the end of the last real line, so no trailing blank lines stay.
To know where the real text ends, every boilerplate rule of a run sees the lines its
sibling rules claim (``Context.shared``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cleantext.checks.base import (
    Context,
    Line,
    RuleSpec,
    compile_regex,
    only_fields,
    option,
)
from cleantext.model import Confidence, Edit

FIELDS = ("lines", "inline", "repeated", "max_words", "first_confidence")
SHARED_KEY = "boilerplate.lines"


@dataclass(frozen=True, slots=True)
class Claim:
    line: int
    rule: Boilerplate
    confidence: Confidence
    message: str | None


class Boilerplate:
    def __init__(self, spec: RuleSpec) -> None:
        only_fields(spec, FIELDS)
        self.id = spec.id
        self.spec = spec
        flags = re.IGNORECASE
        lines = [str(p) for p in option(spec, "lines", list, [])]
        self.lines = (
            compile_regex(spec, "|".join(f"(?:{p})" for p in lines), flags) if lines else None
        )
        inline = [str(p) for p in option(spec, "inline", list, [])]
        self.inline = (
            compile_regex(spec, r"[ \t]*(?:" + "|".join(f"(?:{p})" for p in inline) + ")", flags)
            if inline
            else None
        )
        self.repeated: bool = option(spec, "repeated", bool, False)
        self.max_words: int = option(spec, "max_words", int, 12)
        first = option(spec, "first_confidence", str)
        self.first_confidence = Confidence(first) if first else None
        self.siblings: list[Boilerplate] = [self]

    # -- which lines are furniture -------------------------------------------------------
    def claims(self, ctx: Context) -> Iterator[Claim]:
        seen: dict[str, int] = {}
        previous = ""
        for index, line in enumerate(ctx.lines):
            body = line.text(ctx.text).strip()
            if not body:
                continue
            if self.lines is not None and self.lines.fullmatch(body):
                yield Claim(index, self, self.spec.confidence, None)
            elif self.repeated and _caption_sized(body, self.max_words):
                key = body.casefold()
                if key in seen:
                    # a caption printed twice in a row is certain; a repeat further down
                    # may be a refrain or a recurring label, so it needs an eye
                    level = self.spec.confidence if key == previous else Confidence.REVIEW
                    yield Claim(index, self, level, f"'{body}' repeats line {seen[key] + 1}")
                else:
                    seen[key] = index
            previous = body.casefold()

    def _all_claims(self, ctx: Context) -> dict[int, Claim]:
        cached = ctx.shared.get(SHARED_KEY)
        if cached is None:
            cached = {}
            for rule in self.siblings:
                for claim in rule.claims(ctx):
                    cached.setdefault(claim.line, claim)
            ctx.shared[SHARED_KEY] = cached
        return cached

    # -- edits ---------------------------------------------------------------------------
    def run(self, ctx: Context) -> Iterator[Edit]:
        claims = self._all_claims(ctx)
        lines = ctx.lines
        text = ctx.text
        tail = _tail_start(lines, text, claims)
        for index, claim in sorted(claims.items()):
            if claim.rule is not self:
                continue
            line = lines[index]
            if index >= tail:
                start = _end_of_previous_content(lines, text, index, claims)
                end = line.end
            else:
                start = line.start
                end = _start_of_next_content(lines, text, index)
            yield self.spec.edit(
                text, start, end, "", message=claim.message, confidence=claim.confidence
            )
        if self.inline is not None:
            yield from self._inline(ctx, claims)

    def _inline(self, ctx: Context, claims: dict[int, Claim]) -> Iterator[Edit]:
        assert self.inline is not None
        for index, line in enumerate(ctx.lines):
            if index in claims:
                continue
            for match in self.inline.finditer(ctx.text, line.start, line.end):
                yield self.spec.edit(ctx.text, match.start(), match.end(), "")


def _caption_sized(body: str, max_words: int) -> bool:
    """Short, with letters, and not a sentence: what a repeated caption or label looks like."""
    return (
        len(body.split()) <= max_words
        and any(c.isalpha() for c in body)
        and not body.endswith((".", "?", "!", ":", ";", ","))
    )


def _blank(line: Line, text: str) -> bool:
    return not text[line.start : line.end].strip()


def _tail_start(lines: list[Line], text: str, claims: dict[int, Claim]) -> int:
    """Index of the first line of the trailing block of furniture and blank lines."""
    index = len(lines)
    while index > 0 and (index - 1 in claims or _blank(lines[index - 1], text)):
        index -= 1
    return index


def _end_of_previous_content(
    lines: list[Line], text: str, index: int, claims: dict[int, Claim]
) -> int:
    """Delete from the end of the line before (the previous furniture line's own edit ends
    there), so that the document ends on its last real line."""
    prev = index - 1
    while prev >= 0 and _blank(lines[prev], text):
        prev -= 1
    return lines[prev].end if prev >= 0 else lines[index].start


def _start_of_next_content(lines: list[Line], text: str, index: int) -> int:
    nxt = index + 1
    while nxt < len(lines) and _blank(lines[nxt], text):
        nxt += 1
    return lines[nxt].start if nxt < len(lines) else lines[-1].stop


def build(spec: RuleSpec) -> Boilerplate:
    return Boilerplate(spec)


def link(rules: list[Boilerplate]) -> None:
    """Let every boilerplate rule of a run see the others' lines (called by config)."""
    for rule in rules:
        rule.siblings = list(rules)
