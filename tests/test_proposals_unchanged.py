"""The optimised helpers of the checks find exactly what the plain regexes they replaced
found. Each reference regex is kept here, verbatim, and compared on generated text whose
alphabet is chosen to hit the boundaries: capitals, Latin-1 letters, hyphens, apostrophes,
digits, underscores, full stops, line breaks and non-Latin word characters ("Ω", "½").
"""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleantext.checks import names
from cleantext.lexicon import zipf

ALPHABET = "aAbBeEkKsSrRtTnNzZ ßéÉÀÞ-'’”“\"._@/,;:!?0_\n\tΩ½²()"
TEXT = st.text(alphabet=ALPHABET, max_size=80)
# words the text is made of, so that matches are frequent, and runs of letters joined to them
WORDS = st.lists(
    st.sampled_from(
        [
            *"Kratsios kratsios Paul Triolo Dr Annika Lindqvist-Oduya the Ångel".split(),
            *"common Common ab x".split(),
            *["-", " ", "  ", ". ", "\n", "’s", "_", "1"],
        ]
    ),
    max_size=14,
).map("".join)
SOURCE = st.one_of(TEXT, WORDS, st.tuples(WORDS, TEXT, WORDS).map("".join))
SETTINGS = settings(max_examples=400, deadline=None)


# -- names -------------------------------------------------------------------------------
REF_FULL_NAME = re.compile(
    r"(?=(?<![\w-])([A-Z][a-z]+) ([A-ZÀ-Þ][a-zß-ÿ]{3,}(?:-[A-ZÀ-Þ][a-zß-ÿ]+)?)(?![\w-]))"
)
REF_LOWERED = re.compile(r"(?<![\w-])[a-z]{5,}(?![\w-])")


@SETTINGS
@given(SOURCE)
@example("Dr Annika Lindqvist-Oduya met Paul Triolo.")
@example("-Paul Triolo, xPaul Triolo Paul Triolos Paul Triolo-")
def test_full_names_as_the_lookahead_regex(text: str) -> None:
    assert names.full_names(text) == REF_FULL_NAME.findall(text)


@SETTINGS
@given(SOURCE, st.sampled_from(["common", "kratsios", "the", "ångel", "ab-cd", "Common"]))
@example("uncommon common-law _common common", "common")
@example("common", "common")
def test_lower_word_in_as_the_set_of_lower_words(text: str, word: str) -> None:
    assert names.lower_word_in(text, word) == (word in set(REF_LOWERED.findall(text)))


@SETTINGS
@given(SOURCE, st.sampled_from(["Kratsios", "Paul", "common", "Ångel", "Lindqvist-Oduya"]))
def test_whole_words_as_the_boundary_regex(text: str, word: str) -> None:
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
    assert list(names._whole_words(text, word)) == [m.span() for m in pattern.finditer(text)]


@SETTINGS
@given(
    st.dictionaries(st.sampled_from(["Kratsios", "Kratzios", "Krazios", "Paul"]), st.integers(1, 5))
)
def test_pool_by_initial_as_the_flat_pool(counts: dict[str, int]) -> None:
    evidence = Counter(counts)
    flat = {w for w, n in evidence.items() if len(w) >= 5 and (n >= 3 or zipf(w) < 2.0)}
    pool = names._pool(evidence, 5)
    assert set().union(*pool.by_initial.values()) == flat
    evidence["Kratsooth"] = 4  # evidence changed in place: the pool follows
    assert "Kratsooth" in set().union(*names._pool(evidence, 5).by_initial.values())
