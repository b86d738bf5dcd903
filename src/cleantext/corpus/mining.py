"""Names across the whole corpus: map-reduce counts, then canonical spellings.

Map (one shard, on the pool or a Dask worker): how often each capitalised word occurs
(``checks.names.count_names``, the counting the names rule itself uses), and for the
words that could be names (not English, five letters or more) in how many documents they
occur and in how many they also occur in lower case (then they are a common word that
opened a sentence, not a name). Reduce: sum. The result is small (counts of words, never
texts) and is both the run evidence of the cleaning pass (so that "Kratzios" in one
article is judged by how the whole corpus spells the name) and the material of
``--mine-glossary``: near-spellings of a better-attested name become candidate glossary
rows for an editor to review.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cleantext.checks.names import _same_name, count_names
from cleantext.corpus import sources
from cleantext.lexicon import zipf

MIN_LENGTH = 5  # the names rule's default: shorter words are too often other words
SIMILARITY = 0.85  # the names rule's Jaro-Winkler threshold
HEADER = ("wrong", "right", "case", "when", "unless", "confidence", "note")


@dataclass
class NameCounts:
    """Mentions of each capitalised word; documents and lower-case documents of the words
    that could be names. Adding two is the reduce step."""

    names: Counter[str] = field(default_factory=Counter)
    docs: Counter[str] = field(default_factory=Counter)
    lower: Counter[str] = field(default_factory=Counter)
    documents: int = 0
    bytes: int = 0

    def add(self, other: NameCounts) -> NameCounts:
        self.names.update(other.names)
        self.docs.update(other.docs)
        self.lower.update(other.lower)
        self.documents += other.documents
        self.bytes += other.bytes
        return self

    def to_dict(self) -> dict[str, Any]:
        return {
            "names": dict(sorted(self.names.items())),
            "docs": dict(sorted(self.docs.items())),
            "lower": dict(sorted(self.lower.items())),
            "documents": self.documents,
            "bytes": self.bytes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NameCounts:
        return cls(
            Counter(data["names"]),
            Counter(data["docs"]),
            Counter(data["lower"]),
            int(data["documents"]),
            int(data["bytes"]),
        )


def could_be_name(word: str) -> bool:
    """Long enough, and not an English word (wordfreq does not know it, or barely)."""
    return len(word) >= MIN_LENGTH and zipf(word) < 2.0


def count_text(text: str) -> NameCounts:
    """The map step for one document."""
    names = count_names(text)
    counts = NameCounts(names, documents=1)
    for word in names:
        if could_be_name(word):
            counts.docs[word] += 1
            lower = word.lower()
            if lower in text and re.search(rf"(?<![\w-]){re.escape(lower)}(?![\w-])", text):
                counts.lower[word] += 1
    return counts


def count_shard(shard: sources.Shard, text_field: str) -> dict[str, Any]:
    """The map step for one shard (documents that cannot be read are left to the second
    pass, which records them)."""
    total = NameCounts()
    for item in sources.read(shard, text_field):
        if isinstance(item, sources.Doc):
            total.add(count_text(item.text))
            total.bytes += item.size
    return total.to_dict()


def evidence(counts: NameCounts) -> dict[str, int]:
    """What the cleaning pass gets: the counts the names rule can use, which keeps the
    evidence (and the rule's work with it in every document) small however many
    capitalised words the corpus has. Left out, without changing any proposal:
    - a word written once in the whole corpus: in its own document it is judged by that
      document's count (1, the same), and elsewhere one mention never outweighs a rival;
    - an English word (Zipf 2 or more) written fewer than 3 times: the rule neither
      corrects it nor takes it as a canonical spelling below 3 mentions.
    """
    return {w: n for w, n in sorted(counts.names.items()) if n > 1 and (n >= 3 or zipf(w) < 2.0)}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One mined glossary row: ``wrong`` is a rarer near-spelling of ``right``."""

    wrong: str
    right: str
    wrong_count: int
    right_count: int
    wrong_docs: int
    total: int

    def note(self) -> str:
        docs = f"{self.wrong_docs} doc{'s' if self.wrong_docs != 1 else ''}"
        return (
            f"mined: {self.wrong} {self.wrong_count}x in {docs}; "
            f"{self.right_count} of {self.total} mentions spell it {self.right}"
        )


def candidates(counts: NameCounts, known: Iterable[str] = ()) -> list[Candidate]:
    """Near-spellings of a name the corpus writes at least twice as often another way
    (the names rule's strong evidence), skipping names the glossary already knows."""
    # imported here: only --mine-glossary needs it, and rapidfuzz takes 15 ms to import
    from rapidfuzz import process
    from rapidfuzz.distance import JaroWinkler

    names = counts.names
    taken = [k for k in known if len(k) >= MIN_LENGTH]
    pool = sorted(w for w, n in names.items() if len(w) >= MIN_LENGTH and (n >= 3 or zipf(w) < 2.0))
    by_initial: dict[str, list[str]] = {}
    for word in pool:
        by_initial.setdefault(word[0], []).append(word)
    found: list[Candidate] = []
    for word in sorted(counts.docs):
        if counts.lower.get(word, 0) or word in taken:
            continue
        if any(_same_name(word, k, SIMILARITY) for k in taken):
            continue  # the glossary's canonical name covers it already
        choices = by_initial.get(word[0], [])
        near = process.extract(
            word, choices, scorer=JaroWinkler.similarity, score_cutoff=SIMILARITY, limit=None
        )
        rivals = [w for w, _, _ in near if w != word and _same_name(word, w, SIMILARITY)]
        if not rivals:
            continue
        best = max(rivals, key=lambda w: (names[w], w))
        mine, theirs = names[word], names[best]
        if theirs < 2 or theirs < 2 * mine:
            continue
        total = sum(names[w] for w in {word, *rivals})
        found.append(Candidate(word, best, mine, theirs, counts.docs[word], total))
    return found


def glossary_csv(found: Iterable[Candidate]) -> str:
    """Candidate rows as glossary CSV (``review`` confidence: an editor decides)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for c in found:
        writer.writerow([c.wrong, c.right, "exact", "", "", "review", c.note()])
    return buffer.getvalue()
