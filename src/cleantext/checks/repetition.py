"""Repetition: the same word, name or phrase said twice where the author meant it once.

Detectors (chosen with ``detect:``):
- ``doubled-word``: "the the"; legitimate doubles ("had had", "that that") are excluded.
- ``x-from-x``: "Deepseek from Deepseek", a pivot artefact of "X's model from X".
- ``repeated-phrase``: a phrase of two or more words, at least one of them a content word,
  said again a few words later in the same sentence ("for months, ... pushing for months").
- ``repeated-verb``: a past-tense verb repeated after a comma ("released X, released Y").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleantext.checks.base import (
    WORD,
    Context,
    RuleError,
    RuleSpec,
    only_fields,
    option,
    sentence_spans,
)
from cleantext.glossary import normalise_skeleton
from cleantext.lexicon import zipf
from cleantext.model import Edit

FIELDS = ("detect", "exclude", "max_gap")
DETECTORS = ("doubled-word", "x-from-x", "repeated-phrase", "repeated-verb")
CONJUNCTIONS = frozenset({"and", "or"})


class Repetition:
    def __init__(self, spec: RuleSpec) -> None:
        only_fields(spec, FIELDS)
        self.id = spec.id
        self.spec = spec
        self.detect: str = option(spec, "detect", str, required=True)
        if self.detect not in DETECTORS:
            raise RuleError(f"rule {spec.id}: detect must be one of {', '.join(DETECTORS)}")
        self.exclude = frozenset(str(w).lower() for w in option(spec, "exclude", list, []))
        self.max_gap: int = option(spec, "max_gap", int, 8)

    def run(self, ctx: Context) -> Iterator[Edit]:
        if self.detect == "doubled-word":
            yield from self._doubled(ctx)
        elif self.detect == "x-from-x":
            yield from self._x_from_x(ctx.text)
        else:
            for line in ctx.lines:
                for start, end in sentence_spans(ctx.text, line.start, line.end):
                    words = [
                        (m.start(), m.end(), m.group(0))
                        for m in WORD.finditer(ctx.text, start, end)
                    ]
                    if self.detect == "repeated-phrase":
                        yield from self._phrase(ctx.text, words)
                    else:
                        yield from self._verb(ctx.text, words)

    _DOUBLE = re.compile(r"(?<![\w'’-])([^\W\d_]+)([ \t]+)(?i:\1)(?![\w'’-])")
    _DOUBLE_FAST = re.compile(rb" ([a-z]+) \1 ")

    def _doubled(self, ctx: Context) -> Iterator[Edit]:
        """Candidates from the matcher's lowercased skeleton at bytes speed, then checked."""
        text = ctx.text
        haystack = b" " + normalise_skeleton(ctx.skeleton) + b" "
        pos = 0
        while True:
            hint = self._DOUBLE_FAST.search(haystack, pos)
            if hint is None:
                return
            pos = hint.end(1)  # the second word may begin the next pair
            start = hint.start(1) - 1  # the haystack has one byte of padding
            match = self._DOUBLE.match(text, start)
            if match is None or match.group(1).lower() in self.exclude:
                continue
            yield self.spec.edit(text, match.end(1), match.end(), "")

    _FROM = re.compile(r"(?<![\w-])([A-Z][\w-]+) from \1(?![\w-])")

    def _x_from_x(self, text: str) -> Iterator[Edit]:
        for match in self._FROM.finditer(text):
            yield self.spec.edit(text, match.end(1), match.end(), "")

    def _phrase(self, text: str, words: list[tuple[int, int, str]]) -> Iterator[Edit]:
        lower = [w[2].lower() for w in words]
        done = -1
        for n in (4, 3, 2):
            for i in range(len(words) - n):
                gram = lower[i : i + n]
                if not self._content_phrase(words[i][2], gram):
                    continue
                for j in range(i + n, min(len(words) - n + 1, i + n + self.max_gap + 1)):
                    if lower[j : j + n] != gram or j <= done:
                        continue
                    start = words[j - 1][1]
                    end = words[j + n - 1][1]
                    after = text[end : end + 1]
                    clause_end = after == "" or not (after.isalnum() or after == " ")
                    # the repeat must close its clause ("pushing for months to install",
                    # "... and maintaining American leadership”"); a repeat that goes on
                    # into a noun is a term used twice ("open source model ... open source AI")
                    if not clause_end and (j + n >= len(words) or lower[j + n] != "to"):
                        continue
                    if clause_end and j >= 2 and lower[j - 1] in CONJUNCTIONS:
                        start = words[j - 2][1]
                    done = j + n
                    yield self.spec.edit(text, start, end, "")
                    break

    def _content_phrase(self, first: str, gram: list[str]) -> bool:
        """Lower-case start (names repeat legitimately) and at least one content word."""
        if not first[:1].islower() or " ".join(gram) in self.exclude:
            return False
        if any(len(w) < 2 for w in gram):
            return False  # initials: "the U.S." is not a phrase
        return any(len(w) >= 4 and zipf(w) < 6.0 and w not in self.exclude for w in gram)

    def _verb(self, text: str, words: list[tuple[int, int, str]]) -> Iterator[Edit]:
        for i, (_, _, word) in enumerate(words):
            if not (word.islower() and word.endswith("ed") and len(word) >= 5):
                continue
            for j in range(i + 2, min(len(words), i + self.max_gap + 4)):
                if words[j][2] != word:
                    continue
                between = text[words[j - 1][1] : words[j][0]]
                if "," in between and j + 1 < len(words):
                    yield self.spec.edit(text, words[j][0], words[j + 1][0], "")
                break


def build(spec: RuleSpec) -> Repetition:
    return Repetition(spec)
