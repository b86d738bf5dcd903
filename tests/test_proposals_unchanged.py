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

from cleantext.checks import names, repetition, spelling
from cleantext.checks.base import SENTENCE_END, WORD, Context, RuleSpec, title_case
from cleantext.checks.casing import Casing
from cleantext.checks.fragments import FUNCTION_WORDS, Fragments, capital_pattern
from cleantext.checks.grammar import Grammar
from cleantext.checks.punctuation import Punctuation
from cleantext.lexicon import zipf
from cleantext.model import Confidence

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


# -- spelling ----------------------------------------------------------------------------
REF_OPENING_WORD = re.compile(
    r"(?:^|(?<=[.!?] )|(?<=[.!?][\"”’] ))([A-Z][a-z]{3,}) (?:in|of|on|at|for|to|with|from|by)\b",
    re.MULTILINE,
)
REF_MIDSENTENCE = re.compile(r"(?<=[a-z,] )[A-Z][a-z]{3,}")
REF_CAPITALISED = re.compile(r"\b[A-Z][a-z]{3,}\b")
SENTENCES = st.lists(
    st.sampled_from(
        [
            *"Smred Geosus Tress Bank the geosus smred tress".split(),
            *[" in ", " of ", " to ", " by", ". ", "! ", "? ", ", ", '." ', ".” ", "’ "],
            *["\n", "\r\n", " ", "x", "@", "/", "-", "_", ".c", "é", "Ω"],
        ]
    ),
    max_size=16,
).map("".join)
SPELLING_TEXT = st.one_of(SENTENCES, st.tuples(SENTENCES, TEXT, SENTENCES).map("".join))


@SETTINGS
@given(SPELLING_TEXT)
@example("Smred in x. Tress of y.\nBank to z.” Geosus by")
def test_opening_word_as_the_lookbehind_regex(text: str) -> None:
    found = [m.span(1) for m in spelling.OPENING_WORD.finditer(text)]
    assert found == [m.span(1) for m in REF_OPENING_WORD.finditer(text)]


@SETTINGS
@given(SPELLING_TEXT)
def test_midsentence_names_as_the_lookbehind_regex(text: str) -> None:
    assert spelling.MIDSENTENCE_NAME.findall(text) == REF_MIDSENTENCE.findall(text)


@SETTINGS
@given(SPELLING_TEXT, st.sampled_from(["Smred", "Geosus", "Tress", "Bank"]))
def test_capitalised_count_as_the_counter(text: str, word: str) -> None:
    assert spelling.capitalised_count(text, word) == Counter(REF_CAPITALISED.findall(text))[word]


@SETTINGS
@given(SPELLING_TEXT, st.sets(st.sampled_from(["geosus", "smred", "tress", "geos", "smredx"])))
@example("geosus x.geosus geosus.com geosus-led geosus.", {"geosus", "geos"})
def test_lower_word_spans_as_the_alternation(text: str, chosen: set[str]) -> None:
    words = sorted(chosen)
    expected = []
    if words:
        pattern = "(?:" + "|".join(words) + ")"
        again = re.compile(spelling.LOWER_WORD.pattern.replace("[a-z]{4,}", pattern))
        expected = [m.span() for m in again.finditer(text)]
    assert spelling.lower_word_spans(text, words) == expected
    # past the limit the regex itself runs: the same spans
    padding = [f"zz{chr(97 + i)}{chr(97 + j)}" for i in range(8) for j in range(8)]
    more = sorted(set(words) | set(padding))
    assert len(more) > spelling.FIND_LIMIT
    assert spelling.lower_word_spans(text, more) == spelling.lower_word_spans(text, words)


# -- repetition --------------------------------------------------------------------------
REF_ANCHOR = re.compile(r"(?<=[a-z])(?:[,;:.!?”\")]| to )")
REF_LAST_WORD = re.compile(r"[\w-]+$")
PHRASES = st.lists(
    st.sampled_from(
        [
            *"for months pushing the open source model and from before at U.S. not".split(),
            *"Leadership maintaining American Σίσυφος ΣΑΣ".split(),
            *[" ", " ", " ", ", ", ". ", "; ", " to ", "” ", "\n", "-", "’s", "1", "_"],
        ]
    ),
    max_size=40,
).map("".join)


@SETTINGS
@given(st.one_of(PHRASES, TEXT))
def test_anchor_as_the_lookbehind_regex(text: str) -> None:
    anchor = repetition.Repetition._ANCHOR
    assert [m.span() for m in anchor.finditer(text)] == [
        m.span() for m in REF_ANCHOR.finditer(text)
    ]


@SETTINGS
@given(st.one_of(PHRASES, TEXT), st.data())
def test_last_word_start_as_the_search(text: str, data: st.DataObject) -> None:
    end = data.draw(st.integers(0, len(text)))
    limit = data.draw(st.sampled_from([1, 5, 30]))
    found = REF_LAST_WORD.search(text, max(0, end - limit), end)
    start = repetition.last_word_start(text[::-1], len(text), end, limit)
    # the helper is asked only at clause ends (after a lower-case letter), where the
    # search always finds the word; elsewhere it may answer where the search finds none
    if end and text[end - 1].islower() and text[end - 1].isascii():
        assert found is not None and start == found.start()


def reference_phrases(rule: repetition.Repetition, text: str) -> list[tuple[int, int]]:  # noqa: C901
    """The repeated-phrase detector as it was before it was made faster."""
    out: list[tuple[int, int]] = []
    last_end = -1
    for anchor in REF_ANCHOR.finditer(text):
        end = anchor.start()
        last = REF_LAST_WORD.search(text, max(0, end - 30), end)
        if last is None:
            continue
        reach = max(0, end - 14 * (rule.max_gap + 4))
        if last.group(0).lower() not in text[reach : last.start()].lower():
            continue
        words = list(WORD.finditer(text, max(0, end - 80), end))
        if not words or words[-1].end() != end:
            continue
        for n in (6, 5, 4, 3, 2):
            if len(words) < n:
                continue
            gram = [w.group(0).lower() for w in words[-n:]]
            first = words[-n].group(0)
            if not first[:1].islower() or " ".join(gram) in rule.exclude:
                continue
            if any(len(w) < 2 for w in gram):
                continue
            if not any(len(w) >= 4 and zipf(w) < 6.0 and w not in rule.exclude for w in gram):
                continue
            start = words[-n].start()
            earlier = rule._earlier(text, start, gram)
            if earlier is None or start <= last_end:
                continue
            before = [w.group(0).lower() for w in words[-n - 2 : -n]]
            if repetition.CONTRASTS & set(before):
                break
            cut = repetition._cut(text, words, n, earlier[0], anchor.group(0) == " to ")
            if cut is None or cut >= start or cut < earlier[1]:
                continue
            last_end = end
            out.append((cut, end))
            break
    return out


PHRASE_WORDS = st.lists(
    st.sampled_from(
        "for months pushing the open source model and from at to not U.S. Tariffs".split()
    ),
    min_size=1,
    max_size=6,
).map(" ".join)
# a phrase said twice a few words apart, the second time before a clause end
REPEATS = st.builds(
    lambda head, phrase, middle, mark, rest: f"{head}{phrase}{middle}{phrase}{mark}{rest}",
    PHRASES,
    PHRASE_WORDS,
    st.lists(
        st.sampled_from([", and", " and", ",", " by", ". And", " not", " then", " the", " very"]),
        max_size=9,
    ).map(lambda gap: "".join(gap) + " "),
    st.sampled_from([".", ",", " to install", "”", ";", "\n"]),
    PHRASES,
)

PHRASE_RULE = repetition.Repetition(
    RuleSpec(
        "t.phrase",
        "repetition",
        "",
        Confidence.REVIEW,
        "repetition",
        {"detect": "repeated-phrase", "exclude": ["open source"]},
    )
)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(REPEATS, PHRASES))
@example("pushing for months, and pushing for months.")
@example("the open source model and the open source model, for months, pushing for months to")
def test_repeated_phrases_as_before(text: str) -> None:
    found = [(e.start, e.end) for e in PHRASE_RULE._phrases(text)]
    assert found == reference_phrases(PHRASE_RULE, text)


# -- fragments and sentences -------------------------------------------------------------
REF_OPENING = re.compile(r"(?:(?<=[.!?] )|(?<=^))([A-Z][a-z]{2,}) (?=[a-z])", re.MULTILINE)
REF_PARTICIPLE = re.compile(
    r"(?:(?<=[.!?:] )|(?<=^))([A-Z][a-z]+ly [a-z]+ed)(?= (?:on|in|at|by|to|with|for|as)\b)"
    r"(?=[^,.!?\n]*[.!?])",
    re.MULTILINE,
)
REF_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]*[A-Z0-9])|\n+")
CLAUSES = st.lists(
    st.sampled_from(
        [
            *"Achieve Generally focused achieve The These Those By This In Its x".split(),
            *[" on ", " in ", " the ", " by ", ". ", "! ", "? ", ": ", ", ", '." ', ".” ", ")"],
            *["\n", "\n\n", "\r\n", " ", "  ", "\t", "“", "‘", "(", "1", "’", "_", "é", "ly"],
        ]
    ),
    max_size=24,
).map("".join)
CLAUSE_TEXT = st.one_of(CLAUSES, st.tuples(CLAUSES, TEXT, CLAUSES).map("".join))


@SETTINGS
@given(CLAUSE_TEXT)
@example("x. Achieve a goal.\nGenerally focused on clusters.")
def test_openings_as_the_lookbehind_regexes(text: str) -> None:
    for mine, ref in ((Fragments._OPENING, REF_OPENING), (Fragments._PARTICIPLE, REF_PARTICIPLE)):
        assert [m.span(1) for m in mine.finditer(text)] == [m.span(1) for m in ref.finditer(text)]


@SETTINGS
@given(CLAUSE_TEXT, st.data())
@example("One two. Three four.\nFive", None)
def test_sentence_end_as_the_lookbehind_regex(text: str, data: st.DataObject | None) -> None:
    start, end = 0, len(text)
    if data is not None:
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
    found = [m.span() for m in SENTENCE_END.finditer(text, start, end)]
    assert found == [m.span() for m in REF_SENTENCE_END.finditer(text, start, end)]


@SETTINGS
@given(
    CLAUSE_TEXT,
    st.lists(st.sampled_from([*FUNCTION_WORDS, "", "(x", "É"]), min_size=1, max_size=6),
)
@example("Amodei By warning. The x, The y", ["By", "The"])
def test_capital_pattern_as_the_lookbehind_regex(text: str, words: list[str]) -> None:
    ref = re.compile(r"(?<=[\w,’'”)] )(" + "|".join(re.escape(w) for w in words) + r")(?= [a-z])")
    mine = re.compile(capital_pattern(words))
    assert [m.span(1) for m in mine.finditer(text)] == [m.span(1) for m in ref.finditer(text)]


# -- casing and first names --------------------------------------------------------------
TIME_WORDS = ["last week", "Last month", "this year", "x"]
TIME_RULE = Casing(
    RuleSpec(
        "t.time",
        "casing",
        "",
        Confidence.AUTO,
        "style",
        {"detect": "midsentence-capital", "words": TIME_WORDS},
    )
)
LINES = st.lists(
    st.sampled_from(
        [
            *["Last week", "Last month", "This year", "X", "a report", "The Big Headline"],
            *[" ", ", ", "\n", "\r\n", "\r", "-", "s", ". ", "Week"],
        ]
    ),
    max_size=20,
).map("".join)


@SETTINGS
@given(st.one_of(LINES, st.tuples(LINES, TEXT).map("".join)))
@example("a report Last week.\nThe Big Headline Last Week\r\nx, Last month-long")
def test_time_words_in_one_scan_as_line_by_line(text: str) -> None:
    ref = re.compile(
        r"(?<=[a-z,] )(" + "|".join(re.escape(w[:1].upper() + w[1:]) for w in TIME_WORDS) + ")"
        r"(?![\w-])"
    )
    expected = []
    for line in Context(text).lines:
        if not title_case(text[line.start : line.end]):
            expected += [m.span() for m in ref.finditer(text, line.start, line.end)]
    assert TIME_RULE.one_scan
    assert [(e.start, e.end) for e in TIME_RULE._midsentence_once(Context(text))] == expected


@SETTINGS
@given(st.one_of(WORDS, TEXT), st.sampled_from(["Paul", "Dr", "É"]), st.sampled_from(["Triolo"]))
@example("Paul Triolo, xPaul Triolo, -Paul Triolo, Paul Triolos, Paul Triolo-", "Paul", "Triolo")
def test_first_name_pattern_as_the_lookbehind_regex(text: str, name: str, surname: str) -> None:
    ref = rf"(?<![\w-]){re.escape(name)}(?= {re.escape(surname)}(?![\w-]))"
    escaped = re.escape(name)
    mine = rf"{escaped}(?<![\w-]{escaped})(?= {re.escape(surname)}(?![\w-]))"
    assert [m.span() for m in re.finditer(mine, text)] == [m.span() for m in re.finditer(ref, text)]


# -- grammar and punctuation -------------------------------------------------------------
REF_ARTICLE = re.compile(r"(?<![\w.'’-])(a|an|A|An)( [\"“‘']?)([A-Za-z][a-z]+)(?![\w'’.-]*\.\w)")
REF_STRAY = re.compile(r"(?<=[a-z])\.(?= [a-z])")
ARTICLES = st.lists(
    st.sampled_from(
        [*"a an A An export European hour x.com Inc".split(), " ", ' "', " “", ".", "-", "’", "n"]
    ),
    max_size=16,
).map("".join)


@SETTINGS
@given(st.one_of(ARTICLES, TEXT, st.tuples(ARTICLES, TEXT).map("".join)))
@example('a export, an "hour", An European. x.a use an x.com')
def test_article_and_stray_period_as_the_lookbehind_regexes(text: str) -> None:
    for mine, ref in ((Grammar._ARTICLE, REF_ARTICLE), (Punctuation._STRAY, REF_STRAY)):
        assert [m.groups() + m.span() for m in mine.finditer(text)] == [
            m.groups() + m.span() for m in ref.finditer(text)
        ]
