"""Casing: the canonical spelling of the glossary's names and brands, and time words that
picked up a capital in mid-sentence ("a report Last week").

A name is never corrected from a lower-case word that the word list knows, however rare
("the anthropic principle", "a moonshot AI project"): pivot translation damages a name's
inner capitals ("Openai", "Deepseek"), while lower case is how English writes the ordinary
word. A glossary row with context conditions handles the lower-case exceptions ("anthropic
Dario Amodei"). Names inside a web address, e-mail address or handle ("openai.com",
"@deepseek_ai") are left alone too: domains are lower case by convention.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from cleantext.checks.base import Context, Rule, RuleError, RuleSpec, option, title_case
from cleantext.lexicon import zipf
from cleantext.model import Confidence, Edit

FIELDS = ("detect", "words")
DETECTORS = ("glossary-names", "midsentence-capital")


class Casing(Rule):
    fields = FIELDS
    detectors = DETECTORS

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        if self.detect == "midsentence-capital" and not option(spec, "words", list, []):
            raise RuleError(f"rule {spec.id}: midsentence-capital needs 'words'")
        phrases = [str(w) for w in option(spec, "words", list, [])]
        self.phrases = [w[:1].upper() + w[1:] for w in phrases]
        self.capital = re.compile(midsentence_pattern(self.phrases or ["X"]))
        # a phrase that spans lines could match differently in one scan of the whole text
        self.one_scan = not any("\n" in w or "\r" in w for w in self.phrases)

    def run(self, ctx: Context) -> Iterator[Edit]:
        if self.detect == "glossary-names":
            yield from self._names(ctx)
        else:
            yield from self._midsentence(ctx)

    def _names(self, ctx: Context) -> Iterator[Edit]:
        text = ctx.text
        for hit in ctx.glossary_hits:
            entry = hit.entry
            if not entry.is_name:
                continue
            matched = text[hit.start : hit.end]
            canonical = entry.right
            if matched == canonical or " ".join(matched.split()) == canonical:
                continue
            if matched.isupper() and len(matched) > 3:
                continue  # an all-caps headline or label
            if _ordinary_word(matched, canonical) or _in_address(text, hit.start, hit.end):
                continue
            confidence = Confidence.AUTO if zipf(matched) < 2.0 else Confidence.REVIEW
            confidence = min(confidence, entry.confidence, key=lambda c: c.rank)
            yield self.spec.edit(
                text,
                hit.start,
                hit.end,
                canonical,
                message=f"'{matched}' is written '{canonical}'",
                confidence=confidence,
            )

    def _midsentence(self, ctx: Context) -> Iterator[Edit]:
        text = ctx.text
        if not any(phrase in text for phrase in self.phrases):
            return
        if self.one_scan:
            yield from self._midsentence_once(ctx)
            return
        for line in ctx.lines:
            body = text[line.start : line.end]
            if title_case(body):
                continue
            for m in self.capital.finditer(text, line.start, line.end):
                word = m.group(1)
                yield self.spec.edit(text, m.start(), m.end(), word[:1].lower() + word[1:])

    def _midsentence_once(self, ctx: Context) -> Iterator[Edit]:
        """One scan of the whole text instead of one a line: no phrase holds a line break,
        so a match never spans lines and the context it checks (a letter and a space
        behind, no word character ahead) reads the same either way; each line with a
        match is then asked whether it is a headline, once."""
        text = ctx.text
        lines = ctx.lines
        starts = [line.start for line in lines]
        headline: dict[int, bool] = {}
        for m in self.capital.finditer(text):
            k = bisect.bisect_right(starts, m.start()) - 1
            line = lines[k]
            if m.end() > line.end:
                continue  # not inside one line's text (never happens without line breaks)
            if k not in headline:
                headline[k] = title_case(text[line.start : line.end])
            if headline[k]:
                continue
            word = m.group(1)
            yield self.spec.edit(text, m.start(), m.end(), word[:1].lower() + word[1:])


def midsentence_pattern(phrases: list[str]) -> str:
    r"""``(?<=[a-z,] )(Phrase|...)(?![\w-])``, with each phrase's first character ahead of
    the lookbehind, so that the scan skips to those characters (same matches).

    >>> re.findall(midsentence_pattern(["Last week"]), "a report Last week. Last week")
    ['Last week']
    """
    if not all(phrases):
        return r"(?<=[a-z,] )(" + "|".join(re.escape(p) for p in phrases) + r")(?![\w-])"
    alternatives = [
        re.escape(p[0]) + r"(?<=[a-z,] " + re.escape(p[0]) + ")" + re.escape(p[1:]) for p in phrases
    ]
    return "(" + "|".join(alternatives) + r")(?![\w-])"


def _ordinary_word(matched: str, canonical: str) -> bool:
    """A lower-case word of the match that the word list knows, where the name has capitals.

    >>> _ordinary_word("anthropic", "Anthropic"), _ordinary_word("Openai", "OpenAI")
    (True, False)
    """
    pairs = zip(matched.split(), canonical.split(), strict=False)
    return any(m.islower() and not c.islower() and zipf(m) > 0 for m, c in pairs)


_ADDRESS_CHARS = frozenset("./@_")


def _in_address(text: str, start: int, end: int) -> bool:
    """Part of a URL, domain, e-mail address or handle ("openai.com", "@Openai")."""
    before = text[start - 1 : start]
    after = text[end : end + 2]
    return before in _ADDRESS_CHARS or (
        len(after) == 2 and after[0] in _ADDRESS_CHARS and after[1].isalnum()
    )


def build(spec: RuleSpec) -> Casing:
    return Casing(spec)
