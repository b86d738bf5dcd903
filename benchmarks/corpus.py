"""A seeded, offline, news-like English corpus with known injected errors.

Layout: ``DIR/doc-00000.txt ...``, each file about ``file_kb`` KB (default 200 KB: the size
of a long article dump or a day's feed, small enough that tools which slow down on one huge
file are not penalised), plus ``DIR.manifest.json`` beside the folder (outside it, so that
no tool reads it) describing how it was made and what was injected. Generating again with
the same parameters reuses the files.

Text: a headline, a dateline, then paragraphs (one a line, blank line between) of 2-6
sentences. Words are drawn with their real frequencies from wordfreq's 20,000 most common
English words, never the same word twice in a row, with "a"/"an" agreeing with the next
word, commas between clauses, numbers ("12 percent", "$3.4 billion", "2019"), capitalised
names, and quoted speech ("...," the minister said.). It is word salad, but with English
word, sentence and paragraph statistics, which is what throughput depends on.

Errors: one word in ``1/rate`` (default 1 per 1,000 words) is replaced by one of the
injected misspellings (chosen uniformly), keeping a sentence-initial capital. The manifest
records how many of each were injected, and how often each correction occurs naturally, so
that recall can be read off any tool's output with ``count_words``.

Each file is generated from its own RNG seeded with ``(seed, index)``, so files can be
built in parallel and the corpus does not depend on the number of workers.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path

from benchmarks.glossaries import Pair, top_words

GENERATOR_VERSION = 3
VOCABULARY = 20_000
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def _list(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_SKIP = frozenset(_list("fuck fucking fucked shit bitch dick ass damn lol lmao omg"))

NAMES = _list(
    "Washington Beijing London Brussels Tokyo Moscow Paris Berlin Geneva Delhi Seoul Ottawa "
    "Canberra Nairobi Brazil Mexico Europe Asia Africa China Japan India Germany France Britain "
    "Congress Parliament Senate Smith Johnson Williams Brown Garcia Miller Davis Wilson Anderson "
    "Taylor Thomas Moore Martin Jackson Lee Harris Clark Lewis Walker Hall Allen Young King "
    "Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans "
    "Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson "
    "Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray Hughes "
    "Monday Tuesday Wednesday Thursday Friday January February March April June July August "
    "September October November December"
)
MONTHS = _list(
    "January February March April May June July August September October November December"
)
SPEAKERS = (
    "the minister",
    "the spokesman",
    "a spokeswoman",
    "the official",
    "the report",
    "an analyst",
    "the company",
    "the statement",
    "one resident",
    "the chairman",
)
CITIES = ("WASHINGTON", "LONDON", "BRUSSELS", "GENEVA", "TOKYO", "NAIROBI", "OTTAWA", "BERLIN")


@dataclass(frozen=True)
class Spec:
    """Everything that determines the corpus bytes."""

    size_mb: float
    seed: int = 1
    file_kb: int = 200
    rate: int = 1000  # one injected error per ``rate`` words
    injected: tuple[Pair, ...] = ()

    @property
    def files(self) -> int:
        return max(1, math.ceil(self.size_mb * 1000 / self.file_kb))

    def key(self) -> dict[str, object]:
        data = asdict(self)
        data["injected"] = [[p.wrong, p.right] for p in self.injected]
        data["generator"] = GENERATOR_VERSION
        data["wordfreq"] = version("wordfreq")
        return data


@dataclass
class Manifest:
    """What was generated: sizes, and the injected errors with their counts."""

    spec: dict[str, object]
    files: int = 0
    bytes: int = 0
    words: int = 0
    injected: dict[str, int] = field(default_factory=dict)  # wrong -> times injected
    right_counts: dict[str, int] = field(default_factory=dict)  # right -> count in corpus

    @property
    def injected_total(self) -> int:
        return sum(self.injected.values())

    @property
    def mb(self) -> float:
        return self.bytes / 1e6


@dataclass(frozen=True)
class _Vocabulary:
    words: tuple[str, ...]
    cum_weights: tuple[float, ...]


@cache
def _vocabulary() -> _Vocabulary:
    from wordfreq import word_frequency

    words: list[str] = []
    weights: list[float] = []
    for word in top_words(VOCABULARY):
        if not _WORD.fullmatch(word) or (len(word) == 1 and word not in "ai") or word in _SKIP:
            continue
        freq = float(word_frequency(word, "en"))
        if word == "i" or word.startswith("i'"):
            word = "I" + word[1:]
        words.append(word)
        weights.append(freq)
    total = 0.0
    cumulative: list[float] = []
    for weight in weights:
        total += weight
        cumulative.append(total)
    return _Vocabulary(tuple(words), tuple(cumulative))


def _stem(word: str) -> str:
    """What a doubled-word check compares: "It's" -> "it", "an" -> "a"."""
    stem = word.lower().split("'", 1)[0]
    return "a" if stem == "an" else stem


class _Writer:
    """Builds one file's text from its own RNG."""

    def __init__(self, rng: random.Random, spec: Spec) -> None:
        self.rng = rng
        self.spec = spec
        self.vocab = _vocabulary()
        self.buffer: list[str] = []
        self.words = 0
        self.injected: Counter[str] = Counter()
        self.gap = self._next_gap()

    def _next_gap(self) -> int:
        if not self.spec.injected:
            return 1 << 62
        return 1 + int(self.rng.expovariate(1 / self.spec.rate))

    def _draw(self, n: int) -> list[str]:
        if len(self.buffer) < n:
            v = self.vocab
            self.buffer.extend(self.rng.choices(v.words, cum_weights=v.cum_weights, k=4096 + n))
        out = self.buffer[-n:]
        del self.buffer[-n:]
        return out

    def _number(self) -> str:
        rng = self.rng
        kind = rng.randrange(6)
        if kind == 0:
            return str(rng.randrange(1950, 2026))
        if kind == 1:
            return f"{rng.randrange(1, 100)} percent"
        if kind == 2:
            unit = rng.choice(("million", "billion"))
            return f"${rng.randrange(1, 100)}.{rng.randrange(10)} {unit}"
        if kind == 3:
            return f"{rng.randrange(1, 1000)},{rng.randrange(1000):03d}"
        if kind == 4:
            return f"{rng.choice(MONTHS)} {rng.randrange(1, 29)}"
        return str(rng.randrange(2, 500))

    def _words(self, n: int) -> list[str]:
        rng = self.rng
        words = self._draw(n)
        if rng.random() < 0.3:
            words[rng.randrange(n)] = rng.choice(NAMES)
        if rng.random() < 0.25:
            words[rng.randrange(1, n)] = self._number()
        for i in range(1, n):  # no word twice in a row ("it it's", "a an", "$2 billion billion")
            while _stem(words[i].split()[0]) == _stem(words[i - 1].split()[-1]):
                words[i] = self._draw(1)[0]
        for i in range(n - 1):  # article agreement
            if words[i] in ("a", "an"):
                words[i] = "an" if words[i + 1][:1] in "aeiou" else "a"
        self.gap -= n
        while self.gap <= 0:  # inject errors at their positions in this run of words
            pos = n - 1 + self.gap
            pair = rng.choice(self.spec.injected)
            words[pos] = pair.wrong
            self.injected[pair.wrong] += 1
            self.gap += self._next_gap()
        self.words += n
        return words

    def sentence(self) -> str:
        rng = self.rng
        n = min(45, max(4, int(rng.gauss(20, 8))))
        words = self._words(n)
        for i in range(2, n - 2):  # a clause ends after a content word, not after "the"
            if len(words[i]) > 3 and rng.random() < 0.08:
                words[i] += ","
        words[0] = words[0][:1].upper() + words[0][1:]
        body = " ".join(words)
        if rng.random() < 0.1:
            return f'"{body}," {rng.choice(SPEAKERS)} said.'
        return body + ("?" if rng.random() < 0.03 else ".")

    def headline(self) -> str:
        words = self._words(self.rng.randrange(5, 11))
        return " ".join(w[:1].upper() + w[1:] for w in words)

    def document(self, target: int) -> str:
        rng = self.rng
        parts = [self.headline(), ""]
        size = len(parts[0])
        first = True
        while size < target:
            para = " ".join(self.sentence() for _ in range(rng.randrange(2, 7)))
            if first:
                date = f"{rng.choice(MONTHS)} {rng.randrange(1, 29)}"
                para = f"{rng.choice(CITIES)}, {date} - {para}"
                first = False
            parts += [para, ""]
            size += len(para) + 2
        return "\n".join(parts)


def _build_file(args: tuple[Spec, int, str]) -> tuple[int, int, dict[str, int]]:
    spec, index, folder = args
    writer = _Writer(random.Random(f"corpus:{spec.seed}:{index}"), spec)
    data = writer.document(spec.file_kb * 1000).encode("utf-8")
    (Path(folder) / f"doc-{index:05d}.txt").write_bytes(data)
    return len(data), writer.words, dict(writer.injected)


def corpus_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("doc-*.txt"))


def leading_files(folder: Path, mb: float) -> list[Path]:
    """The first corpus files adding up to about ``mb`` MB (the last one may go past it)."""
    chosen: list[Path] = []
    size = 0
    for path in corpus_files(folder):
        if size >= mb * 1e6:
            break
        chosen.append(path)
        size += path.stat().st_size
    return chosen


def manifest_path(folder: Path) -> Path:
    return folder.with_name(folder.name + ".manifest.json")


def load_manifest(folder: Path) -> Manifest | None:
    try:
        data = json.loads(manifest_path(folder).read_text(encoding="utf-8"))
        return Manifest(**data)
    except (OSError, ValueError, TypeError):
        return None


def generate(folder: Path, spec: Spec, jobs: int = 1) -> Manifest:
    """Write the corpus under ``folder`` (reused when its manifest matches ``spec``)."""
    key = json.loads(json.dumps(spec.key()))
    old = load_manifest(folder)
    if old is not None and old.spec == key and len(corpus_files(folder)) == old.files:
        return old
    folder.mkdir(parents=True, exist_ok=True)
    for stale in corpus_files(folder):
        stale.unlink()
    manifest_path(folder).unlink(missing_ok=True)
    tasks = [(spec, i, str(folder)) for i in range(spec.files)]
    manifest = Manifest(key, files=spec.files)
    injected: Counter[str] = Counter({p.wrong: 0 for p in spec.injected})
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(_build_file, tasks, chunksize=4))
    else:
        results = [_build_file(t) for t in tasks]
    for size, words, counts in results:
        manifest.bytes += size
        manifest.words += words
        injected.update(counts)
    manifest.injected = dict(injected)
    found = count_words(corpus_files(folder), [p.right for p in spec.injected])
    manifest.right_counts = dict(found)
    manifest_path(folder).write_text(json.dumps(asdict(manifest), indent=1), encoding="utf-8")
    return manifest


_LETTERS = bytes(b + 32 if 65 <= b <= 90 else (b if 97 <= b <= 122 else 32) for b in range(256))


def count_words(files: Iterable[Path], words: Sequence[str]) -> Counter[str]:
    """Whole-word, case-insensitive occurrences of each (lower-case, letters-only) word.

    Fast enough for a 100 MB corpus (bytes.translate and bytes.count, no regex).
    """
    return count_words_in((path.read_bytes() for path in files), words)


def count_words_in(texts: Iterable[bytes], words: Sequence[str]) -> Counter[str]:
    """``count_words`` over texts given as bytes (the ``text`` of corpus records, say)."""
    counts: Counter[str] = Counter({w: 0 for w in words})
    needles = [(w, f" {w} ".encode()) for w in words]
    for text in texts:
        data = b" " + text.translate(_LETTERS) + b" "
        for word, needle in needles:
            counts[word] += data.count(needle)
    return counts
