"""Spacing: glued words, a missing space after a full stop, "self -sufficiency", double spaces.

``glued-words`` needs both halves to be English words and the whole not to be one
(so "offerEstablishing" is split but "easyJet", "iPhone" and "McDonald" are left alone).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleantext.checks.base import Context, Rule, RuleError, RuleSpec, option
from cleantext.lexicon import zipf
from cleantext.model import Edit

FIELDS = ("detect", "prefixes")
_LETTERS = frozenset(b"aA")
DETECTORS = ("glued-words", "missing-space", "hyphen-space", "double-space")


class Spacing(Rule):
    fields = FIELDS
    detectors = DETECTORS

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        prefixes = [re.escape(str(p)) for p in option(spec, "prefixes", list, [])]
        if self.detect == "hyphen-space" and not prefixes:
            raise RuleError(f"rule {spec.id}: hyphen-space needs 'prefixes'")
        self.hyphen = re.compile(
            r"(?<![\w-])(?:"
            + "|".join(prefixes or ["x"])
            # a suspended hyphen shares its stem with the next word: "anti- and
            # pro-government", "semi- or fully automatic"; it is not a stray space
            + r")( -|- )(?=[a-z])(?!(?:and|or|nor|to|through|versus|vs)\b)",
            re.IGNORECASE,
        )

    def run(self, ctx: Context) -> Iterator[Edit]:
        text = ctx.text
        if self.detect == "glued-words":
            yield from self._glued(ctx)
        elif self.detect == "missing-space":
            for m in self._missing(ctx):
                if "/" in text[max(0, m.start() - 40) : m.start()].rsplit(" ", 1)[-1]:
                    continue  # part of a URL or path
                yield self.spec.edit(text, m.start(2), m.start(2), " ")
        elif self.detect == "hyphen-space":
            shape = ctx.shape
            for hyphen in self._hyphen_candidates(shape):
                start = hyphen  # back to the start of the word before the hyphen
                while start > 0 and shape[start - 1] in _LETTERS:
                    start -= 1
                found = self.hyphen.match(text, start)
                if found is not None and found.start(1) == hyphen:
                    yield self.spec.edit(text, found.start(1), found.end(1), "-")
        elif "  " in text:
            for m in self._DOUBLE.finditer(text):
                yield self.spec.edit(text, m.start(), m.end(), " ")

    @staticmethod
    def _hyphen_candidates(shape: bytes) -> Iterator[int]:
        """Where a hyphen with a space on one side follows a word ("self -sufficient",
        "non- binding"): hyphens are found with memchr, far faster than a regex scan of
        the text trying its list of prefixes at every word."""
        pos = shape.find(b"-")
        while pos != -1:
            before = shape[pos - 1] if pos else 32
            after = shape[pos + 1] if pos + 1 < len(shape) else 32
            if before == 32 and after in _LETTERS and pos > 1 and shape[pos - 2] in _LETTERS:
                yield pos - 1  # "self -sufficient": the space and the hyphen
            elif after == 32 and before in _LETTERS and shape[pos + 2 : pos + 3] in (b"a", b"A"):
                yield pos  # "non- binding": the hyphen and the space
            pos = shape.find(b"-", pos + 1)

    _GLUED = re.compile(r"(?<![\w'’-])([a-z]{2,})([A-Z][a-z]{2,})(?![\w'’-])")
    _MISSING = re.compile(r"(?<![\w.])([a-z]{3,}[.!?])([A-Z][a-z]{2,})(?![\w.])")
    _DOUBLE = re.compile(r"(?<=[a-z,]) {2,}(?=[a-z])")

    def _missing(self, ctx: Context) -> Iterator[re.Match[str]]:
        """Sentence marks directly followed by a capital, found in the shape skeleton."""
        shape, text = ctx.shape, ctx.text
        for mark in (b".A", b"!A", b"?A"):
            pos = shape.find(mark)
            while pos != -1:
                start = pos
                while start > 0 and shape[start - 1 : start] == b"a":
                    start -= 1
                m = self._MISSING.match(text, start)
                if m is not None:
                    yield m
                pos = shape.find(mark, pos + 1)

    def _glued(self, ctx: Context) -> Iterator[Edit]:
        text = ctx.text
        shape = ctx.shape
        if b"aA" not in shape:
            return  # no lower-case letter is followed by a capital anywhere
        names = {n.lower() for n in ctx.glossary.canonical_names()} if ctx.glossary else set()
        for hint in re.finditer(rb"aA", shape):
            start = hint.start()
            while start > 0 and shape[start - 1 : start] == b"a":
                start -= 1
            m = self._GLUED.match(text, start)
            if m is None:
                continue
            left, right = m.group(1), m.group(2)
            whole = left + right
            if whole.lower() in names or zipf(whole) >= 1.5:
                continue
            if zipf(left) < 3.0 or zipf(right) < 3.0:
                continue
            second = right.lower() if zipf(right.lower()) >= 3.0 else right
            yield self.spec.edit(text, m.start(), m.end(), f"{left} {second}")


def build(spec: RuleSpec) -> Spacing:
    return Spacing(spec)
