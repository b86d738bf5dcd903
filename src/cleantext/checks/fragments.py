"""Fragments: visible signs that a sentence lost its shape in translation, flagged only.

Detectors (``detect:``):
- ``capitalised-function-word``: a function word with a capital in mid-sentence, followed
  by a lower-case word ("Dario Amodei By warning", "computing systems The most advanced",
  "the Action Plan This was revealed"): a sentence break the pivot lost or invented.
  Title-case lines (headlines) and a following capital ("the band The Who") are left alone.
- ``heading-adjective``: a short heading line that ends in an adjective ("The issue of
  national technical"): a heading whose noun was lost.
- ``bare-verb-opening``: a sentence that opens with a bare verb outside a quotation
  ("... development of AI. Achieve a common development."): news prose has no commands.

Parts of speech come from lemminflect's bundled lexicon (no model, no download): a word is
an adjective or a verb here only when that is the only reading the lexicon has for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from cleantext import lemmas
from cleantext.checks.base import Context, Rule, RuleSpec, option, title_case
from cleantext.model import Edit

FIELDS = ("detect", "words")
DETECTORS = (
    "capitalised-function-word",
    "heading-adjective",
    "bare-verb-opening",
    "postposed-adjective",
)
TIME_NOUNS = frozenset("year month week day decade season quarter period era".split())
TAKES_IN = frozenset(
    "rich poor high low short deficient abundant involved interested active successful fluent "
    "proficient strong weak common rare prevalent popular famous notorious important key "
    "instrumental critical central unique widespread dominant absent present available "
    "experienced skilled expert engaged invested included interested located based born "
    "trapped stuck caught lost".split()
)
FUNCTION_WORDS = (
    "By The This That These Those He She It They We In On At Of For With And But Or As While "
    "When After Before Because Although If Which Who Whose From Into Over Under Than Its Their"
).split()


@cache
def _readings(word: str) -> frozenset[str]:
    """The parts of speech lemminflect knows for ``word`` (empty when it knows none)."""
    return lemmas.readings(word)


class Fragments(Rule):
    fields = FIELDS
    detectors = DETECTORS

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        words = [str(w) for w in option(spec, "words", list, FUNCTION_WORDS)]
        self.words = frozenset(words)
        self.capital = re.compile(capital_pattern(words))

    def run(self, ctx: Context) -> Iterator[Edit]:
        if self.detect == "capitalised-function-word":
            yield from self._capitals(ctx)
        elif self.detect == "heading-adjective":
            yield from self._headings(ctx)
        elif self.detect == "bare-verb-opening":
            yield from self._bare_verbs(ctx)
        else:
            yield from self._postposed(ctx)

    def _capitals(self, ctx: Context) -> Iterator[Edit]:
        text = ctx.text
        headline: dict[int, bool] = {}  # line start -> title case, once a line
        for m in self.capital.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            if line_start not in headline:
                line_end = text.find("\n", m.end())
                line = text[line_start : line_end if line_end != -1 else len(text)]
                headline[line_start] = title_case(line)
            if headline[line_start]:
                continue
            before = text[max(line_start, m.start() - 30) : m.start()]
            if re.search(r"[.!?:;][\"”’)]* $", before):
                continue  # a sentence or clause ended just before: 'logic.” This approach'
            previous = before.split()[-1] if before.split() else ""
            if previous in self.words:
                continue  # a title in the text: "the band The Who"
            yield self.spec.edit(text, m.start() - 1, m.end(), None)

    _HEADING = re.compile(r"(?m)^[ \t]*([A-Z][^.!?:;\n]{3,60}?) ([a-z]{4,})[ \t]*\r?$")

    def _headings(self, ctx: Context) -> Iterator[Edit]:
        text = ctx.text
        for m in self._HEADING.finditer(text):
            words = m.group(0).split()
            if not 3 <= len(words) <= 9:
                continue
            last = m.group(2)
            if _readings(last) == frozenset({"ADJ"}):
                yield self.spec.edit(text, m.start(2), m.end(2), None)

    # the capital first and what is before it checked behind (``(?<![^\n]X)`` is ``^`` of
    # MULTILINE mode): the scan skips to capitals instead of trying lookbehinds everywhere
    _OPENING = re.compile(r"([A-Z](?:(?<=[.!?] [A-Z])|(?<![^\n][A-Z]))[a-z]{2,}) (?=[a-z])")

    _PARTICIPLE = re.compile(
        r"([A-Z](?:(?<=[.!?:] [A-Z])|(?<![^\n][A-Z]))[a-z]+ly [a-z]+ed)"
        r"(?= (?:on|in|at|by|to|with|for|as)\b)(?=[^,.!?\n]*[.!?])"
    )

    def _bare_verbs(self, ctx: Context) -> Iterator[Edit]:
        text = ctx.text
        for m in self._OPENING.finditer(text):
            word = m.group(1)
            if _readings(word) != frozenset({"VERB"}) or _inflected(word):
                continue
            if _inside_quotation(text, m.start()):
                continue
            yield self.spec.edit(text, m.start(1), m.end(1), None)
        # "Generally focused on computing clusters." : an adverb and a participle, and no
        # comma before the full stop, so no subject ever comes
        for m in self._PARTICIPLE.finditer(text):
            if not _inside_quotation(text, m.start()):
                yield self.spec.edit(text, m.start(1), m.end(1), None)

    _POSTPOSED = re.compile(r"\b(?:[Aa]n?|[Tt]he) ([a-z]{3,}) ([a-z]{4,}) in\b")

    def _postposed(self, ctx: Context) -> Iterator[Edit]:
        """A noun followed by an adjective, "a year tense in": Arabic word order kept."""
        text = ctx.text
        for m in self._POSTPOSED.finditer(text):
            noun, adjective = m.group(1), m.group(2)
            if adjective in TAKES_IN or _readings(noun) != frozenset({"NOUN"}):
                continue
            readings = _readings(adjective)
            if "ADJ" not in readings or "ADV" in readings:
                continue  # "a day late in paying": an adverb after a noun is English
            if noun not in TIME_NOUNS and readings != frozenset({"ADJ"}):
                continue  # "the company chief in": a noun that can also be an adjective
            yield self.spec.edit(text, m.start(1), m.end(2), None)


def capital_pattern(words: list[str]) -> str:
    r"""A function word with a capital after a word (or ``,’'”)``) and a space, followed by
    a space and a lower-case letter: ``(?<=[\w,’'”)] )(By|The|...)(?= [a-z])``, written
    with each word's first letter ahead of the lookbehind, so the scan skips to those
    letters instead of trying the lookbehind at every place (same matches).

    >>> re.findall(capital_pattern(["By", "The"]), "Amodei By warning. The x, The y")
    ['By', 'The']
    """
    if not all(words):
        return r"(?<=[\w,’'”)] )(" + "|".join(re.escape(w) for w in words) + r")(?= [a-z])"
    alternatives = [
        re.escape(w[0]) + r"(?<=[\w,’'”)] " + re.escape(w[0]) + ")" + re.escape(w[1:])
        for w in words
    ]
    return "(" + "|".join(alternatives) + r")(?= [a-z])"


@cache
def _inflected(word: str) -> bool:
    """Past forms, participles and third persons are not commands."""
    return word.lower() not in lemmas.verb_lemmas(word)


def _inside_quotation(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def build(spec: RuleSpec) -> Fragments:
    return Fragments(spec)
