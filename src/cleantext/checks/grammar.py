"""Grammar: slips with one obvious repair that pivot translation leaves behind.

- ``article``: "a" before a vowel sound ("a "export tax"") and "an" before a consonant;
  words that start with a vowel letter but a consonant sound ("a one-off", "a European",
  "a university") and acronyms are left alone.
- ``resumptive-pronoun``: "Pablo Triolo He is a partner": a pronoun repeating the name
  that opens the sentence.
- ``possessive``: a brand directly before a person the glossary knows ("OpenAI Sam
  Altman"), where the pivot dropped the possessive "'s".
- ``external``: matches from a LanguageTool server (see ``cleantext.languagetool``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleantext.checks.base import Context, Rule, RuleSpec
from cleantext.lexicon import zipf
from cleantext.model import Edit

FIELDS = ("detect",)
DETECTORS = ("article", "resumptive-pronoun", "possessive")

# a "you" sound: "a unanimous jury", "a Ugandan runner", "a usage fee", "a ukulele"
CONSONANT_SOUND = re.compile(
    r"(?i)(one\b|once\b|eu|ew|uni|use|usu|ur[aeiou]|ut[aeiou]|uk|"
    r"ubiq|ura|ouija|onesie|unan|ugand|usa(?:ge|bl)|uvul)"
)
VOWEL_SOUND = re.compile(
    r"(?i)([aeio]|u(?!ni|se|su|r[aeiou]|t[aeiou]|k|biq|ra)|hour|honest|"
    r"honou?r|heir)"
)


class Grammar(Rule):
    fields = FIELDS
    detectors = DETECTORS

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)

    def run(self, ctx: Context) -> Iterator[Edit]:
        if self.detect == "article":
            yield from self._article(ctx.text)
        elif self.detect == "resumptive-pronoun":
            yield from self._pronoun(ctx.text)
        else:
            yield from self._possessive(ctx)

    # the article's letter first and the boundary before it checked behind, so the scan
    # skips to a and A (``(?<![\w.'’-])(a|an|A|An)...``: a space must follow, so "a" and
    # "an" never both fit and the order they are tried in does not matter)
    _ARTICLE = re.compile(r"([aA](?<![\w.'’-][aA])n?)( [\"“‘']?)([A-Za-z][a-z]+)(?![\w'’.-]*\.\w)")

    def _article(self, text: str) -> Iterator[Edit]:
        for m in self._ARTICLE.finditer(text):
            article, word = m.group(1), m.group(3)
            if article[0] == "A" and not _sentence_start(text, m.start()):
                continue  # "Class A shares", "Plan A": a label, not the article
            vowel = bool(VOWEL_SOUND.match(word)) and not CONSONANT_SOUND.match(word)
            if article.lower() == "a" and vowel and word[0] != "h":
                yield self.spec.edit(text, m.start(1), m.end(1), article + "n")
            elif (
                article.lower() == "an"
                and not vowel
                and word[0].lower() not in "hu"
                and word.islower()
            ):
                yield self.spec.edit(text, m.start(1), m.end(1), article[0])

    _PRONOUN = re.compile(
        r"(?m)^((?:[A-Z][a-z]+ ){1,3}?[A-Z][a-z]+)( (?:He|She|They|It))(?= (?:is|was|has|had|are|"
        r"were|will|would|can|could|said|says)\b)"
    )

    def _pronoun(self, text: str) -> Iterator[Edit]:
        for m in self._PRONOUN.finditer(text):
            if any(zipf(word) >= 5.0 for word in m.group(1).split()):
                continue  # "The", "But", "When": a sentence opening, not a name
            yield self.spec.edit(text, m.start(2), m.end(2), "")

    def _possessive(self, ctx: Context) -> Iterator[Edit]:
        """A brand hit directly followed by a person hit, both from the glossary's names."""
        text = ctx.text
        people: dict[int, str] = {}
        brands = []
        for hit in ctx.glossary_hits:
            if not hit.entry.is_name:
                continue
            words = hit.entry.right.split()
            if len(words) >= 2 and all(w.istitle() for w in words):
                people[hit.start] = hit.entry.right
            elif len(words) == 1:
                brands.append(hit)
        mark = "’s" if ctx.curly else "'s"
        for hit in brands:
            # any run of spaces: a double space is its own (review) fix, and "OpenAI  Sam
            # Altman" must get its possessive in the same pass, or a second run adds it
            after = hit.end
            while text[after : after + 1] in (" ", "\t") and after < len(text):
                after += 1
            if after > hit.end and after in people:
                yield self.spec.edit(text, hit.end, hit.end, mark)


def _sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos].rstrip(" \"“‘'")
    return not before or before[-1] in ".!?\n:"


def build(spec: RuleSpec) -> Grammar:
    return Grammar(spec)
