"""Punctuation: fullwidth marks in English text, stray full stops, unclosed quotations and
paragraphs that lost their final full stop.

``stray-period`` looks for ". " followed by a lower-case word: after a real word that is
not an abbreviation ("Inc.", "U.S.", "e.g."), a sentence cannot go on in lower case.
``unbalanced-quotes`` points at the end of the paragraph where an opened quotation should
have closed; a paragraph followed by one that opens with a quotation mark is left alone,
since news style leaves a quotation open across paragraphs that way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from cleantext.checks.base import Context, Line, Rule, RuleSpec, option
from cleantext.model import Edit

FIELDS = ("detect", "abbreviations")
DETECTORS = ("fullwidth", "stray-period", "unbalanced-quotes", "missing-final-period")

FULLWIDTH = {
    "【": "[",
    "】": "]",
    "（": "(",
    "）": ")",
    "［": "[",
    "］": "]",
    "｛": "{",
    "｝": "}",
    "「": "“",
    "」": "”",
    "『": "‘",
    "』": "’",
    "＂": '"',
    "＇": "'",
    "，": ",",
    "：": ":",
    "；": ";",
    "！": "!",
    "？": "?",
    "〔": "[",
    "〕": "]",
}
OPENERS = frozenset("([{“‘")


@cache
def _cjk() -> re.Pattern[str]:
    """Chinese, Japanese and Korean letters. Compiled on first use: its wide ranges take
    4 ms to compile, and only a fullwidth mark in the text needs it."""
    return re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


class Punctuation(Rule):
    fields = FIELDS
    detectors = DETECTORS

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        self.abbreviations = frozenset(
            str(a).lower().rstrip(".") for a in option(spec, "abbreviations", list, [])
        )

    def run(self, ctx: Context) -> Iterator[Edit]:
        if self.detect == "fullwidth":
            if not ctx.text.isascii() and any(mark in ctx.text for mark in FULLWIDTH):
                yield from self._fullwidth(ctx.text)
        elif self.detect == "stray-period":
            yield from self._stray(ctx.text)
        elif self.detect == "unbalanced-quotes":
            yield from self._quotes(ctx)
        else:
            yield from self._final_period(ctx)

    _WIDE = re.compile("[" + "".join(FULLWIDTH) + "]")

    def _fullwidth(self, text: str) -> Iterator[Edit]:
        for m in self._WIDE.finditer(text):
            if _beside_cjk(text, m.start(), m.end()):
                continue  # Chinese or Japanese quoted in the article: "写道：“我们”"
            mark = m.group(0)
            replacement = FULLWIDTH[mark]
            after = text[m.end() : m.end() + 1]
            # a closing mark glued to the next word needs the space the wide glyph implied
            if replacement not in OPENERS and after[:1].isalnum():
                replacement += " "
            elif replacement in OPENERS and text[m.start() - 1 : m.start()].isalpha():
                replacement = " " + replacement  # "Organization（FAO）" -> "Organization (FAO)"
            yield self.spec.edit(text, m.start(), m.end(), replacement)

    _STRAY = re.compile(r"\.(?<=[a-z]\.)(?= [a-z])")  # the stop first: a literal to skip to
    _TOKEN_BEFORE = re.compile(r"[\w.&'’-]*$")

    def _stray(self, text: str) -> Iterator[Edit]:
        for m in self._STRAY.finditer(text):
            token = self._TOKEN_BEFORE.search(text, max(0, m.start() - 30), m.start())
            word = token.group(0) if token else ""
            if len(word) < 3 or "." in word or word.lower() in self.abbreviations:
                continue
            nxt = text[m.end() + 1 : m.end() + 12].split(" ", 1)[0]
            if not nxt.isalpha() and "-" not in nxt:
                continue
            yield self.spec.edit(text, m.start(), m.end(), "")

    def _quotes(self, ctx: Context) -> Iterator[Edit]:
        """News style leaves a quotation open at a paragraph's end when the next paragraph
        goes on quoting (it opens with a quotation mark); the quotation must still close
        somewhere. A run of open paragraphs that never closes is flagged paragraph by
        paragraph, at the point where each should have closed."""
        text = ctx.text
        bodies = [
            (line.start, text[line.start : line.end])
            for line in ctx.lines
            if text[line.start : line.end].strip()
        ]
        chain: list[tuple[int, str]] = []
        for k, (start, body) in enumerate(bodies):
            if not _open_quote(body):
                if chain and _closes(body):
                    chain = []  # the quotation carried over and closed here
                yield from self._flag_chain(text, chain)
                chain = []
                continue
            chain.append((start, body))
            nxt = bodies[k + 1][1].lstrip() if k + 1 < len(bodies) else ""
            if not nxt.startswith(("“", '"')):
                yield from self._flag_chain(text, chain)
                chain = []
        yield from self._flag_chain(text, chain)

    def _flag_chain(self, text: str, chain: list[tuple[int, str]]) -> Iterator[Edit]:
        for start, body in chain:
            end = start + len(body.rstrip())
            yield self.spec.edit(text, end - 1, end, None)

    _SENTENCE_INSIDE = re.compile(r"[a-z][.!?][\"”’]? [A-Z]")

    def _final_period(self, ctx: Context) -> Iterator[Edit]:
        text = ctx.text
        for line in ctx.lines:
            body = text[line.start : line.end].rstrip()
            if not body or not body[-1].isalnum():
                continue
            if len(body.split()) < 12 or not self._SENTENCE_INSIDE.search(body):
                continue
            if _next_is_continuation(ctx, line):
                continue
            end = line.start + len(body)
            yield self.spec.edit(text, end, end, ".")


def _beside_cjk(text: str, start: int, end: int) -> bool:
    """Whether the nearest letter before or after ``text[start:end]`` is Chinese, Japanese
    or Korean, where fullwidth marks are the right ones.

    >>> _beside_cjk("写道：“我们”", 2, 3), _beside_cjk("【Text】The", 5, 6)
    (True, False)
    """
    before = next((c for c in reversed(text[max(0, start - 20) : start]) if c.isalpha()), "")
    after = next((c for c in text[end : end + 20] if c.isalpha()), "")
    cjk = _cjk()
    return bool(cjk.match(before) or cjk.match(after))


def _open_quote(body: str) -> bool:
    """Whether ``body`` opens a quotation it does not close (counted, not parsed)."""
    opened, closed = body.count("“"), body.count("”")
    if opened or closed:
        return opened > closed
    return body.count('"') % 2 == 1


def _closes(body: str) -> bool:
    """A paragraph that carries a quotation on and closes it: “... ,” he said."""
    return "”" in body or (body.count('"') % 2 == 0 and '"' in body)


def _next_is_continuation(ctx: Context, line: Line) -> bool:
    """A line that goes on in lower case on the next line was wrapped, not unfinished."""
    rest = ctx.text[line.stop : line.stop + 40].lstrip()
    return bool(rest) and rest[0].islower()


def build(spec: RuleSpec) -> Punctuation:
    return Punctuation(spec)
