"""Repetition: the same word, name or phrase said twice where the author meant it once.

Detectors (chosen with ``detect:``):
- ``doubled-word``: "the the"; legitimate doubles ("had had", "that that") are excluded,
  and words that can double correctly now and then (``review``: "the plan he worked on on
  Friday") are proposed for review only.
- ``x-from-x``: "Deepseek from Deepseek", a pivot artefact of "X's model from X".
- ``repeated-phrase``: a phrase of two or more words, at least one of them a content word,
  said again a few words later in the same sentence ("for months, ... pushing for months").
- ``repeated-verb``: a past-tense verb repeated after a comma ("released X, released Y").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleantext.checks.base import WORD, Context, Rule, RuleSpec, option, sentence_spans
from cleantext.lexicon import zipf
from cleantext.model import Confidence, Edit

FIELDS = ("detect", "exclude", "review", "max_gap")
DETECTORS = ("doubled-word", "x-from-x", "repeated-phrase", "repeated-verb", "repeated-sentence")
CONJUNCTIONS = frozenset({"and", "or"})
CONTRASTS = frozenset({"not", "than", "but", "nor", "versus", "vs"})
PREPOSITIONS = frozenset(
    "from at in on by for to of with before after until since during within".split()
)
_FILE_SUFFIX = re.compile(r"\.\w")
_CODE_SIGNS = re.compile(r">>>|[=\[\]{}<>|/\\]")


class Repetition(Rule):
    fields = FIELDS
    detectors = DETECTORS

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        self.exclude = frozenset(str(w).lower() for w in option(spec, "exclude", list, []))
        self.review = frozenset(str(w).lower() for w in option(spec, "review", list, []))
        self.max_gap: int = option(spec, "max_gap", int, 8)

    def run(self, ctx: Context) -> Iterator[Edit]:
        if self.detect == "doubled-word":
            yield from self._doubled(ctx)
        elif self.detect == "x-from-x":
            yield from self._x_from_x(ctx.text)
        elif self.detect == "repeated-phrase":
            yield from self._phrases(ctx.text)
        elif self.detect == "repeated-sentence":
            yield from self._sentences(ctx)
        else:
            yield from self._verbs(ctx.text)

    _DOUBLE = re.compile(r"(?<![\w'’-])([^\W\d_]+)([ \t]+)(?i:\1)(?![\w'’-])")
    _DOUBLE_FAST = re.compile(rb" ([a-z]++) \1 ")  # possessive: no backtracking into a word

    def _doubled(self, ctx: Context) -> Iterator[Edit]:
        """Candidates from the matcher's lowercased skeleton at bytes speed, then checked."""
        text = ctx.text
        haystack = b" " + ctx.normalised + b" "
        code_lines: dict[int, bool] = {}
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
            first, second = match.group(1), text[match.end(2) : match.end()]
            if second[:1].isupper() or _FILE_SUFFIX.match(text, match.end()):
                continue  # a name ("Walla Walla", "Sirhan Sirhan") or a file ("name name.xpm")
            if first not in (second, second[:1].upper() + second[1:]):
                continue  # only "the the" and "The the": "the URL url" names a parameter
            line_start = text.rfind("\n", 0, start) + 1
            if line_start not in code_lines:  # once a line: a long line has many pairs
                line_end = text.find("\n", match.end())
                line = text[line_start : line_end if line_end != -1 else len(text)]
                code_lines[line_start] = _CODE_SIGNS.search(line) is not None
            # in code, a table or a grammar ("root root 312 Aug", "unchanged<TAB>unchanged",
            # "[parameter parameter ...]") a doubled word is data; only an editor can tell
            doubtful = (
                first.lower() in self.review or match.group(2) != " " or code_lines[line_start]
            )
            level = Confidence.REVIEW if doubtful else None
            yield self.spec.edit(text, match.end(1), match.end(), "", confidence=level)

    def _sentences(self, ctx: Context) -> Iterator[Edit]:
        """A sentence of six words or more said again word for word later in the document:
        the second time goes, with the space before it."""
        text = ctx.text
        seen: set[str] = set()
        for line in ctx.lines:
            for start, end in sentence_spans(text, line.start, line.end):
                sentence = text[start:end].strip()
                if len(sentence.split()) < 6:
                    continue
                key = " ".join(sentence.lower().split())
                if key not in seen:
                    seen.add(key)
                    continue
                begin = start
                while begin > line.start and text[begin - 1] in " \t":
                    begin -= 1
                if begin == line.start and end < line.end:
                    end = min(line.end, end + 1)  # a repeat that opens a line takes its space
                yield self.spec.edit(text, begin, start + len(text[start:end].rstrip()), "")

    def _x_from_x(self, text: str) -> Iterator[Edit]:
        """Around each " from ": the capitalised word before it said again after it."""
        pos = text.find(" from ")
        while pos != -1:
            before = _LAST_WORD.search(text, max(0, pos - 40), pos)
            after = _FIRST_WORD.match(text, pos + 6)
            if (
                before
                and after
                and before.group(0) == after.group(0)
                and before.group(0)[:1].isupper()
            ):
                yield self.spec.edit(text, pos, after.end(), "")
            pos = text.find(" from ", pos + 6)

    # The repeat must close its clause ("pushing for months to install", "... and
    # maintaining American leadership”"): a repeat that runs on into a noun is a term used
    # twice ("open source model ... open source AI"), so only clause ends are anchors.
    # The mark first and the letter before it checked behind: the scan skips to marks and
    # spaces instead of trying a lookbehind everywhere (``(?<=[a-z])(?:[,;:.!?”\")]| to )``).
    _ANCHOR = re.compile(r"[,;:.!?”\")](?<=[a-z].)| to (?<=[a-z] to )")

    def _phrases(self, text: str) -> Iterator[Edit]:
        last_end = -1
        backwards = text[::-1]  # the clause's last word is read backwards from its end
        rare: dict[str, bool] = {}  # zipf(word) < 6.0, once per distinct word
        sigma = "Σ" in text
        for anchor in self._ANCHOR.finditer(text):
            end = anchor.start()
            words = self._clause_end(text, backwards, end, sigma)
            if words is None:
                continue
            tail = words[-8:]  # the longest phrase and the two words before it
            lows = [w.group(0).lower() for w in tail]
            k = len(tail)
            for n in (6, 5, 4, 3, 2):
                if k < n:
                    continue
                gram = lows[k - n :]
                if not self._content_phrase(tail[k - n].group(0), gram, rare):
                    continue
                start = words[-n].start()
                earlier = self._earlier(text, start, gram)
                if earlier is None or start <= last_end:
                    continue
                before = lows[max(0, k - n - 2) : k - n]
                if CONTRASTS & set(before):
                    break  # "at the hand, not at the magnet": a contrast says it twice
                cut = _cut(text, words, n, earlier[0], anchor.group(0) == " to ")
                if cut is None or cut >= start or cut < earlier[1]:
                    continue
                last_end = end
                yield self.spec.edit(text, cut, end, "")
                break

    def _clause_end(
        self, text: str, backwards: str, end: int, sigma: bool
    ) -> list[re.Match[str]] | None:
        """The words before the clause end ``end``, or None when no phrase ending there can
        have been said shortly before (most clause ends): cheap tests first."""
        size = len(text)
        start = last_word_start(backwards, size, end, 30)
        if start is None:
            return None
        reach = max(0, end - 14 * (self.max_gap + 4))
        if text[start:end].lower() not in text[reach:start].lower():
            return None  # the clause's last word was not said just before: no repeat
        words = list(WORD.finditer(text, max(0, end - 80), end))
        if len(words) < 2 or words[-1].end() != end:
            return None  # no phrase of two words ends here
        # every phrase ends with the last two words: unless they were said shortly before,
        # no phrase was (lowercasing a slice is lowercasing each character, except for a
        # capital sigma, whose final form depends on its neighbours)
        pair = words[-2].group(0).lower() + " " + words[-1].group(0).lower()
        region = text[max(0, end - 80 - 14 * (6 + self.max_gap)) : words[-2].start()]
        if not sigma and pair not in region.lower():
            return None
        return words

    def _earlier(self, text: str, start: int, gram: list[str]) -> tuple[int, int] | None:
        """Span of an earlier occurrence of ``gram`` in the same sentence, a few words back."""
        phrase = " ".join(gram)
        window_start = max(0, start - 14 * (len(gram) + self.max_gap))
        window = text[window_start:start].lower()
        found = window.rfind(phrase)
        while found != -1:
            end = found + len(phrase)
            bounded = (found == 0 or not window[found - 1].isalnum()) and (
                end == len(window) or not window[end].isalnum()
            )
            between = text[window_start + end : start]  # original case: "U.S. " goes on
            if bounded:
                if _SENTENCE_BREAK.search(between) or len(between.split()) > self.max_gap:
                    return None
                return window_start + found, window_start + end
            found = window.rfind(phrase, 0, found)
        return None

    _VERB = re.compile(r", ([a-z]{3,}ed) (?=[\w“\"])")

    def _verbs(self, text: str) -> Iterator[Edit]:
        for m in self._VERB.finditer(text):
            word = m.group(1)
            window = text[max(0, m.start() - 120) : m.start()]
            found = re.search(rf"(?<![\w-]){word}(?![\w-])", window)
            if found is None or _SENTENCE_BREAK.search(window[found.end() :]):
                continue
            gap = len(WORD.findall(window[found.end() :]))
            if gap <= self.max_gap + 3:
                yield self.spec.edit(text, m.start(1), m.end(), "")

    def _content_phrase(self, first: str, gram: list[str], rare: dict[str, bool]) -> bool:
        """Lower-case start (names repeat legitimately) and at least one content word
        (``rare`` remembers which words are, for the document)."""
        if not first[:1].islower() or " ".join(gram) in self.exclude:
            return False
        if any(len(w) < 2 for w in gram):
            return False  # initials: "the U.S." is not a phrase
        for w in gram:
            if len(w) < 4 or w in self.exclude:
                continue
            content = rare.get(w)
            if content is None:
                content = rare[w] = zipf(w) < 6.0
            if content:
                return True
        return False


def _cut(
    text: str, words: list[re.Match[str]], n: int, earlier: int, before_to: bool
) -> int | None:
    """Where the deletion of the last ``n`` words starts, or None when it must not happen.

    "and <repeat>" and "from <repeat>" (after "before <phrase>") lose the joining word too;
    a repeat that is neither joined so nor a prepositional phrase is an object ("were
    copying the open source model"), and deleting it would break the sentence.
    """
    if len(words) <= n:
        return None
    previous = words[-n - 1].group(0).lower()
    joined = previous in CONJUNCTIONS or (
        previous in PREPOSITIONS and _word_before(text, earlier) in PREPOSITIONS
    )
    if joined and len(words) > n + 1 and not before_to:
        return words[-n - 2].end()
    return words[-n - 1].end() if words[-n].group(0).lower() in PREPOSITIONS else None


def _word_before(text: str, pos: int) -> str:
    found = re.search(r"([A-Za-z]+)\W*$", text[max(0, pos - 30) : pos])
    return found.group(1).lower() if found else ""


_LAST_WORD = re.compile(r"[\w-]+$")
_RUN = re.compile(r"[\w-]+")


def last_word_start(backwards: str, size: int, end: int, limit: int) -> int | None:
    r"""Where ``_LAST_WORD.search(text, max(0, end - limit), end)`` would start, from
    ``backwards`` (``text[::-1]``, of length ``size``): the run of ``[\w-]`` that ends at
    ``end``, read backwards in one match instead of a search trying every start.

    >>> text = "said so, pro-growth"
    >>> back = text[::-1]
    >>> last_word_start(back, len(text), len(text), 30), last_word_start(back, 19, 7, 30)
    (9, 5)
    """
    found = _RUN.match(backwards, size - end, size - max(0, end - limit))
    return None if found is None else end - (found.end() - found.start())


_FIRST_WORD = re.compile(r"[\w-]+(?![\w-])")
_SENTENCE_BREAK = re.compile(r"(?<!\b[A-Z])[.!?][\"”’)]?\s|\n")  # "U.S. " goes on


def build(spec: RuleSpec) -> Repetition:
    return Repetition(spec)
