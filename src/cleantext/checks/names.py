"""Names: spellings of a known person or brand that drifted in translation.

Two kinds of evidence, both from rapidfuzz (chosen over jellyfish for its C++ speed and
its batch ``process`` API):
- a capitalised word that is not English and is a near-spelling of a canonical surname in
  the glossary ("Kratzios", "Krazios", "Kratsooth" for Kratsios): Jaro-Winkler similarity,
  the same first letter, and an edit distance of at most a third of the name;
- a full name whose first name disagrees with a canonical full name that the same
  document also spells right ("Pablo Triolo" beside "Paul Triolo"): full names teach
  first names, and the document itself is the evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache

from cleantext.checks.base import Context, Rule, RuleSpec, option
from cleantext.lexicon import zipf
from cleantext.model import Confidence, Edit

FIELDS = ("similarity", "min_length")
TITLES = frozenset(
    [
        "President",
        "Premier",
        "Minister",
        "Director",
        "Secretary",
        "Senator",
        "Governor",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Professor",
        "Prof",
        "Judge",
        "General",
        "Chairman",
        "Chairwoman",
        "Chief",
        "Sir",
        "Lady",
        "Lord",
        "King",
        "Queen",
        "Prince",
        "Princess",
        "Rep",
        "Sen",
        "Gov",
        "Ambassador",
        "Commissioner",
        "Mayor",
        "Justice",
        "Officer",
        "Deputy",
        "Vice",
        "Analyst",
        "Economist",
        "Dean",
        "Coach",
        "Captain",
        "Colonel",
        "Sergeant",
        "Spokesman",
        "Spokeswoman",
        "Envoy",
        "Chancellor",
        "Speaker",
    ]
)
# the capital first and the boundary checked behind it: a pattern that opens with a class
# lets the regex engine skip to candidates, one that opens with a lookbehind tries every place
CAPITALISED = re.compile(r"[A-ZÀ-Þ](?<![\w-][A-ZÀ-Þ])[a-zß-ÿ]+(?:-[A-ZÀ-Þ][a-zß-ÿ]+)?(?![\w-])")
# the first name's capital is consumed and the rest looked at ahead, so that "Dr Annika
# Lindqvist-Oduya" yields both pairs (matches overlap) while the scan skips to capitals
FULL_NAME = re.compile(
    r"[A-Z](?<![\w-][A-Z])(?=([a-z]+) ([A-ZÀ-Þ][a-zß-ÿ]{3,}(?:-[A-ZÀ-Þ][a-zß-ÿ]+)?)(?![\w-]))"
)


def count_names(text: str) -> Counter[str]:
    """Capitalised words and how often they occur: the evidence for canonical spellings,
    summed over all the documents of a run by the CLI (``Context.run["names"]``)."""
    return Counter(CAPITALISED.findall(text))


def full_names(text: str) -> list[tuple[str, str]]:
    r"""(first name, surname) of every capitalised pair: what the lookahead regex
    ``(?=(?<![\w-])([A-Z][a-z]+) ([A-ZÀ-Þ][a-zß-ÿ]{3,}(?:-...)?)(?![\w-]))`` finds with
    ``findall``, from a scan that only stops at capitals.

    >>> full_names("Dr Annika Lindqvist-Oduya met Paul Triolo.")
    [('Dr', 'Annika'), ('Annika', 'Lindqvist-Oduya'), ('Paul', 'Triolo')]
    """
    return [(m[0] + m[1], m[2]) for m in FULL_NAME.finditer(text)]


def lower_word_in(text: str, word: str) -> bool:
    r"""Whether ``word`` occurs as one of the whole lower-case words of five letters or
    more that ``(?<![\w-])[a-z]{5,}(?![\w-])`` finds: asked for the few words that matter
    instead of collecting every such word of the text.

    >>> lower_word_in("a common noun; Common", "common"), lower_word_in("uncommon", "common")
    (True, False)
    """
    if len(word) < 5 or not (word.isascii() and word.isalpha() and word.islower()):
        return False
    return next(_whole_words(text, word), None) is not None


class _Views:
    """What the names rule reads from one document, found once for all its parts."""

    def __init__(self, text: str) -> None:
        self.here = count_names(text)
        self.full = full_names(text)
        self.lowered: dict[str, bool] = {}

    def is_lowered(self, text: str, word: str) -> bool:
        """``word`` (lowercased) written in lower case elsewhere: a common noun."""
        low = word.lower()
        found = self.lowered.get(low)
        if found is None:
            found = self.lowered[low] = lower_word_in(text, low)
        return found


def _views(ctx: Context) -> _Views:
    views = ctx.shared.get("names.views")
    if not isinstance(views, _Views):
        views = ctx.shared["names.views"] = _Views(ctx.text)
    return views


class _Pool:
    """The well-attested spellings of a run's evidence (``Context.run["names"]``), by
    initial: built once per evidence, not once per document (a run's evidence can hold
    hundreds of thousands of names). A copy of the counts it was built from is kept, so
    evidence changed in place is noticed and the pool rebuilt."""

    def __init__(self, counts: Counter[str], min_length: int) -> None:
        self.counts = counts
        self.snapshot = dict(counts)
        self.min_length = min_length
        self.by_initial: dict[str, set[str]] = {}
        for w, n in self.snapshot.items():
            if len(w) >= min_length and (n >= 3 or zipf(w) < 2.0):
                self.by_initial.setdefault(w[0], set()).add(w)

    def fits(self, counts: Counter[str], min_length: int) -> bool:
        return (
            counts is self.counts
            and min_length == self.min_length
            and len(counts) == len(self.snapshot)
            and counts == self.snapshot
        )


_POOLS: list[_Pool] = []  # the last pool built: runs reuse one evidence for all documents


def _pool(counts: Counter[str], min_length: int) -> _Pool:
    for pool in _POOLS:
        if pool.fits(counts, min_length):
            return pool
    pool = _Pool(counts, min_length)
    _POOLS[:] = [pool]
    return pool


GENDERED_ENDINGS = (
    ("skaya", "ski"),
    ("skaya", "sky"),
    ("ska", "ski"),
    ("ska", "sky"),
    ("ova", "ov"),
    ("eva", "ev"),
    ("ina", "in"),
    ("aya", "y"),
    ("a", ""),
    ("a", "i"),
    ("a", "o"),
    ("a", "y"),
)


def _family_stems(name: str) -> set[str]:
    """The family names a form may belong to: "Tsikhanouskaya" and "Tsikhanouski",
    "Zelenska" and "Zelensky", "Petrova" and "Petrov" share one."""
    stems = {name}
    for feminine, masculine in GENDERED_ENDINGS:
        if feminine and name.endswith(feminine):
            stems.add(name[: -len(feminine)] + masculine)
    return stems


def _family_plural(text: str, word: str) -> bool:
    return all(
        text[max(0, start - 4) : start].lower() == "the " for start, _ in _whole_words(text, word)
    )


@cache
def _metrics() -> tuple[Callable[[str, str], int], Callable[[str, str], float]]:
    """rapidfuzz's Levenshtein distance and Jaro-Winkler similarity, imported on first use:
    rapidfuzz takes 15 ms to import, which every command paid at start-up, and only a
    document with a candidate name needs it."""
    from rapidfuzz.distance import JaroWinkler, Levenshtein

    return Levenshtein.distance, JaroWinkler.similarity


def _jaro_winkler(a: str, b: str) -> float:
    return _metrics()[1](a, b)


def same_name(a: str, b: str, similarity: float) -> bool:
    """Two spellings of one name: same initial, close by Jaro-Winkler and edit distance.
    Gendered or plural forms of one family name ("Kowalski"/"Kowalska", "Petrov"/"Petrova")
    are different people, not a typo."""
    if a[0] != b[0] or min(len(a), len(b)) < 5:
        return False
    if _family_stems(a) & _family_stems(b):
        return False
    levenshtein, jaro_winkler = _metrics()
    distance = levenshtein(a, b)
    prefix = len(common_prefix(a, b))
    close = distance <= max(1, len(b) // 3) or (prefix >= 5 and distance <= 3)
    return close and jaro_winkler(a, b) >= similarity


class Names(Rule):
    document_scope = True  # looks at the whole document (counts, its end)

    fields = FIELDS

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        self.similarity: float = float(option(spec, "similarity", (int, float), 0.85))
        self.min_length: int = option(spec, "min_length", int, 5)

    def run(self, ctx: Context) -> Iterator[Edit]:
        surnames: set[str] = set()
        if ctx.glossary is not None:
            full_names = [n.right for n in ctx.glossary.names if len(n.right.split()) >= 2]
            surnames = {n.split()[-1] for n in full_names} | {
                n.right for n in ctx.glossary.names if n.right.isalpha() and n.right.istitle()
            }
            surnames = {s for s in surnames if len(s) >= self.min_length}
            yield from self._variants(ctx, surnames)
            yield from self._first_names(ctx, full_names)
        yield from self._attested_variants(ctx, surnames)
        yield from self._attested_first_names(ctx)

    # -- evidence from the document itself (and from the other documents of the run) ------
    def _attested_variants(self, ctx: Context, known: set[str]) -> Iterator[Edit]:
        """Near-spellings of a name the document (or run) writes more often another way:
        "Kratzios" (3) beside "Kratsios" (7 in this run)."""
        text = ctx.text
        views = _views(ctx)
        here = views.here
        evidence = ctx.run.get("names")
        counts = evidence or here
        candidates = [
            w
            for w in here
            if len(w) >= self.min_length
            and w not in known
            and zipf(w) < 2.0
            and not views.is_lowered(text, w)  # a common noun that opened a sentence
        ]
        if not candidates:
            return
        # any well-attested spelling may be the canonical one, English word or not
        if evidence:
            attested = _pool(evidence, self.min_length).by_initial
        else:
            attested = _Pool(here, self.min_length).by_initial
        full = Counter(surname for _, surname in views.full)

        def weight(name: str) -> float:
            # a spelling used in a full name ("Michael Kratsios") counts half as much again
            return counts.get(name, here.get(name, 0)) + 0.5 * full.get(name, 0)

        for word in sorted(candidates):
            if self._closest(word, known) is not None:
                continue  # the glossary's name is the canonical one: proposed above
            # a rival shares the initial (same_name asks for it): only that part of the pool
            near = attested.get(word[0], set()) | {c for c in candidates if c[0] == word[0]}
            rivals = [w for w in sorted(near) if w != word and same_name(word, w, self.similarity)]
            if not rivals:
                continue
            best = max(rivals, key=lambda w: (weight(w), w))
            if word == best + "s" and _family_plural(text, word):
                continue  # "the Bidens": the family, not a misspelt "Biden"
            mine, theirs = weight(word), weight(best)
            if theirs <= mine:
                continue  # this spelling is the best attested (or tied): it stays
            total = sum(counts.get(w, here.get(w, 0)) for w in {word, *rivals})
            message = f"'{word}': {counts.get(best, 0)} of {total} mentions spell it {best}"
            strong = theirs >= 2 and theirs >= 2 * mine
            for start, end in _whole_words(text, word):
                # weak evidence is a flag, its suggestion shown but never applied
                yield self.spec.edit(
                    text,
                    start,
                    end,
                    best,
                    message=message,
                    confidence=Confidence.REVIEW if strong else Confidence.FLAG,
                )

    def _attested_first_names(self, ctx: Context) -> Iterator[Edit]:
        """Full names teach first names: "Pablo Triolo" once beside "Paul Triolo" three
        times is the same person with the first name garbled."""
        text = ctx.text
        pairs: dict[str, dict[str, int]] = {}
        for first, surname in _views(ctx).full:
            if first in TITLES or zipf(first) >= 5.5 or zipf(surname) >= 3.0:
                continue
            pairs.setdefault(surname, {}).setdefault(first, 0)
            pairs[surname][first] += 1
        for surname, firsts in pairs.items():
            if len(firsts) < 2:
                continue
            best = max(firsts, key=lambda f: (firsts[f], f))
            for other, n in firsts.items():
                if other == best or firsts[best] < 2 * n:
                    continue
                if _jaro_winkler(other, best) < 0.8:
                    continue  # "Hunter Biden" beside "Joe Biden": a relative, not a typo
                # the name first and the boundary before it checked behind: the scan
                # skips to the name's text (``(?<![\w-])Name(?= Surname(?![\w-]))``)
                name = re.escape(other)
                pattern = rf"{name}(?<![\w-]{name})(?= {re.escape(surname)}(?![\w-]))"
                for m in re.finditer(pattern, text):
                    yield self.spec.edit(
                        text,
                        m.start(),
                        m.end(),
                        best,
                        message=f"'{other} {surname}' is {best} {surname} "
                        f"{firsts[best]} times in this document",
                    )

    def _variants(self, ctx: Context, surnames: set[str]) -> Iterator[Edit]:
        text = ctx.text
        views = _views(ctx)
        for word in sorted(set(views.here) - surnames):
            if len(word) < self.min_length or zipf(word) >= 2.0 or views.is_lowered(text, word):
                continue  # short, an English word, or a common noun that opened a sentence
            best = self._closest(word, surnames)
            if best is None:
                continue
            count = sum(1 for _ in _whole_words(text, best))
            spans = list(_whole_words(text, word))
            message = (
                f"'{word}': {count} of {count + len(spans)} mentions spell it {best}, "
                "the glossary's spelling"
            )
            for start, end in spans:
                yield self.spec.edit(text, start, end, best, message=message)

    def _closest(self, word: str, surnames: set[str]) -> str | None:
        best, score = None, 0.0
        for name in surnames:
            if not same_name(word, name, self.similarity):
                continue  # includes "Zelenska" beside "Zelensky": a family, not a typo
            similarity = _jaro_winkler(word, name)
            if similarity > score:
                best, score = name, similarity
        return best

    def _first_names(self, ctx: Context, full_names: list[str]) -> Iterator[Edit]:
        text = ctx.text
        present = {
            hit.entry.right
            for hit in ctx.glossary_hits
            if hit.entry.is_name and text[hit.start : hit.end] == hit.entry.right
        }
        for full in full_names:
            if full not in present:
                continue
            *given, surname = full.split()
            first = " ".join(given)
            pos = text.find(" " + surname)
            while pos != -1:
                after = pos + 1 + len(surname)
                before = _WORD_BEFORE.search(text, max(0, pos - 30), pos)
                if before and (after == len(text) or not text[after].isalnum()):
                    other = before.group(0)
                    if self._other_first_name(other, first):
                        yield self.spec.edit(
                            text,
                            before.start(),
                            before.end(),
                            first,
                            message=f"'{other} {surname}' is {full} elsewhere in this document",
                        )
                pos = text.find(" " + surname, after)

    @staticmethod
    def _other_first_name(other: str, first: str) -> bool:
        """A different given name that is a variant of ``first``, not a title or relative."""
        if other == first or other in TITLES or zipf(other) >= 5.5:
            return False  # same name, a title, or an ordinary word before the surname
        # "Hunter Biden" is not "Joe Biden": a relative, not a typo
        return other[0] == first[0] or _jaro_winkler(other, first) >= 0.75


_WORD_BEFORE = re.compile(r"(?<![\w-])[A-Z][a-z]+$")


def common_prefix(a: str, b: str) -> str:
    """The shared beginning of two words.

    >>> common_prefix("Kratsooth", "Kratsios")
    'Krats'
    """
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


_same_name = same_name  # the name it had before it was public


def build(spec: RuleSpec) -> Names:
    return Names(spec)


def _whole_words(text: str, word: str) -> Iterator[tuple[int, int]]:
    r"""Spans of ``word`` not inside a longer word or hyphenated compound: what the regex
    ``(?<![\w-])word(?![\w-])`` finds, with str.find doing the scanning (a megabyte-long
    document has many variants to count, and a lookbehind regex scans it slowly).

    >>> list(_whole_words("Kratsios, Kratsios-led, aKratsios Kratsios", "Kratsios"))
    [(0, 8), (34, 42)]
    """
    pos = text.find(word)
    while pos != -1:
        end = pos + len(word)
        before = text[pos - 1] if pos else " "
        after = text[end] if end < len(text) else " "
        if not (_word_char(before) or _word_char(after)):
            yield pos, end
        pos = text.find(word, pos + 1)


def _word_char(char: str) -> bool:
    return char.isalnum() or char in "_-"
