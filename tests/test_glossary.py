"""glossary.csv: parsing with positioned errors, the compiled matcher, case modes, context
conditions, and the bundled rows' safety on ordinary English."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from cleantext import check_text, engine, fix_text
from cleantext import config as config_mod
from cleantext.checks import Context
from cleantext.checks.substitution import GlossaryTerms
from cleantext.config import Config
from cleantext.errors import ConfigError
from cleantext.glossary import Glossary, load, parse
from cleantext.lexicon import zipf
from cleantext.model import Confidence, Edit

HEADER = "wrong,right,case,when,unless,confidence,note\n"


def glossary(rows: str) -> Glossary:
    return Glossary(parse(HEADER + rows, "test.csv"))


def found(g: Glossary, text: str) -> list[str]:
    return [text[h.start : h.end] for h in g.find(text)]


def term_edits(g: Glossary, text: str) -> list[Edit]:
    """What the glossary rows propose for ``text`` (conditions and case rules applied)."""
    return list(GlossaryTerms().run(Context(text, g)))


def replaced(g: Glossary, text: str) -> list[tuple[str, str | None]]:
    return [(e.original, e.replacement) for e in term_edits(g, text)]


def config_error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse(text, "bad.csv")
    assert caught.value.path == "bad.csv"
    assert str(caught.value).startswith("bad.csv:")
    return caught.value


# -- parsing -------------------------------------------------------------------------------


def test_comments_and_blank_lines_skipped_with_true_line_numbers() -> None:
    entries = parse(
        "# a comment before the header\n\n"
        + HEADER
        + "  # an indented comment\n\nfoo,bar,preserve,,,auto,a note\n",
        "g.csv",
    )
    assert [(e.wrong, e.right, e.line, e.note) for e in entries] == [("foo", "bar", 6, "a note")]


def test_defaults() -> None:
    [term, name] = parse(HEADER + "foo,bar\n,Kratsios\n", "g.csv")
    assert (term.case, term.confidence, term.when, term.unless) == (
        "preserve",
        Confidence.AUTO,
        None,
        None,
    )
    assert name.is_name and name.case == "exact"


@pytest.mark.parametrize("text", ["", "# only a comment\n\n"])
def test_header_required(text: str) -> None:
    error = config_error(text)
    assert error.line == 1 and "header" in error.message


def test_wrong_header_has_line_and_column() -> None:
    error = config_error("# glossary\nwrong,right,case\nfoo,bar,preserve\n")
    assert (error.line, error.column) == (2, 1)
    assert "wrong,right,case,when,unless,confidence,note" in error.message


@pytest.mark.parametrize(
    ("row", "line"),
    [('foo,"bar\n', 2), ('foo,bar\nx,"unterminated\n,Kratsios\n', 3)],
)
def test_broken_csv_row(row: str, line: int) -> None:
    error = config_error(HEADER + row)
    assert "CSV" in error.message
    assert error.line is not None and error.line >= line


def test_too_many_columns() -> None:
    error = config_error(HEADER + "foo,bar,preserve,,,auto,note,extra\n")
    assert (error.line, error.column) == (2, 8)


@pytest.mark.parametrize(
    ("row", "column", "word"),
    [
        ("foo,bar,preserve,(unclosed,,auto,\n", 4, "when"),
        ("foo,bar,preserve,,[a-,auto,\n", 5, "unless"),
        ("foo,bar,sometimes,,,auto,\n", 3, "case"),
        ("foo,bar,preserve,,,always,\n", 6, "confidence"),
        ("foo,,preserve,,,auto,\n", 2, "right"),
        ("foo,foo,preserve,,,auto,\n", 1, "itself"),
    ],
)
def test_bad_cell_names_line_and_column(row: str, column: int, word: str) -> None:
    error = config_error(HEADER + "# fine so far\n" + row)
    assert (error.line, error.column) == (3, column)
    assert word in error.message


def test_duplicate_row_names_the_first() -> None:
    error = config_error(HEADER + "foo,bar\nbaz,qux\nFOO,bar\n")
    assert (error.line, error.column) == (4, 1)
    assert "line 2" in error.message


def test_load_keeps_a_bom_out_and_reports_non_utf8(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(b"\xef\xbb\xbf" + HEADER.encode() + b"foo,bar\n")
    assert [e.wrong for e in load([good]).entries] == ["foo"]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(HEADER.encode() + b"caf\xe9,cafe\n")
    with pytest.raises(ConfigError) as caught:
        load([bad])
    assert caught.value.path == str(bad) and caught.value.line == 2


def test_later_glossary_overrides_earlier(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(HEADER + "foo,bar\n", encoding="utf-8")
    second.write_text(HEADER + "Foo,baz\n", encoding="utf-8")
    [entry] = load([first, second]).entries
    assert entry.right == "baz"


# -- matching ------------------------------------------------------------------------------


def test_matches_across_line_breaks_and_runs_of_spaces() -> None:
    g = glossary("open force,open-source\nLee Qiang,Li Qiang,exact\n")
    text = "an open\nforce model; an open   force model; Lee\r\n  Qiang spoke; Lee\tQiang too"
    assert found(g, text) == ["open\nforce", "open   force", "Lee\r\n  Qiang", "Lee\tQiang"]
    assert [r for _, r in replaced(g, text)] == ["open-source"] * 2 + ["Li Qiang"] * 2


@pytest.mark.parametrize(
    "text",
    ["reopen force", "open forces", "open-force", "open_force", "open force2", "xopen force"],
)
def test_no_hits_inside_words(text: str) -> None:
    assert found(glossary("open force,open-source\n"), text) == []


def test_hits_beside_punctuation() -> None:
    g = glossary("open force,open-source\n")
    text = "(open force), “open force”, open force’s, open force."
    assert found(g, text) == ["open force"] * 4


@pytest.mark.parametrize("text", ["Łfoo", "fooŁ", "Łopen force", "ŚHPC"])
def test_no_hits_inside_words_with_letters_beyond_latin1(text: str) -> None:
    g = glossary("foo,bar\nopen force,open-source\nHPC,HTC,exact\n")
    assert found(g, text) == []


def test_preserve_keeps_the_capitalisation_pattern() -> None:
    g = glossary("hopeful thinking,wishful thinking,preserve\n")
    text = "Hopeful thinking. It is hopeful thinking. HOPEFUL THINKING!"
    assert replaced(g, text) == [
        ("Hopeful thinking", "Wishful thinking"),
        ("hopeful thinking", "wishful thinking"),
        ("HOPEFUL THINKING", "WISHFUL THINKING"),
    ]


def test_exact_matches_exactly_and_writes_right_verbatim() -> None:
    g = glossary("Lee Qiang,Li Qiang,exact\ngpt oss,gpt-oss,exact\n")
    assert replaced(g, "lee qiang and LEE QIANG and Lee Qiang") == [("Lee Qiang", "Li Qiang")]
    assert replaced(g, "the gpt oss model") == [("gpt oss", "gpt-oss")]


def test_offsets_after_non_ascii_text() -> None:
    """Curly quotes, CJK, accents and an astral emoji before the hit: offsets are Python
    character offsets into the text, not byte offsets."""
    g = glossary("Lee Qiang,Li Qiang,exact\nhopeful thinking,wishful thinking\n")
    text = "“中文新闻” — café 😀 naïve ‘quote’ 北京: Lee Qiang said “hopeful thinking”…"
    edits = term_edits(g, text)
    assert [text[e.start : e.end] for e in edits] == ["Lee Qiang", "hopeful thinking"]
    assert all(text[e.start : e.end] == e.original for e in edits)
    assert engine.fix(text, Config(g, [], []))[0] == (
        "“中文新闻” — café 😀 naïve ‘quote’ 北京: Li Qiang said “wishful thinking”…"
    )


def test_when_and_unless_are_document_conditions() -> None:
    g = glossary(r"colour,color,preserve,(?i)\bAmerican\b,(?i)\bBritish\b,auto," + "\n")
    assert replaced(g, "The colour is red.") == []
    assert replaced(g, "American colour.") == [("colour", "color")]
    assert replaced(g, "American and British colour.") == []


def test_confidence_carried_to_the_edit() -> None:
    g = glossary("foo,bar,preserve,,,review,\n")
    [edit] = term_edits(g, "a foo here")
    assert edit.confidence is Confidence.REVIEW and edit.rule == "glossary.foo"


# -- the bundled glossary on real text -------------------------------------------------------

AI_ARTICLE = (
    "Shanghai hosted the World Artificial Intelligence Conference, where Chinese firms showed "
    "new chips. The premier proposed a global body for Amnesty International, and analysts "
    "said the models of Amnesty International could rival American ones."
)
RIGHTS_REPORT = (
    "Amnesty International said on Tuesday that security forces had detained dozens of "
    "activists. The human rights group said prisoners were held without charge, and "
    "Amnesty International urged the authorities to release them."
)
AI_ARTICLE_CITING_AMNESTY = (
    "Amnesty International has warned that facial recognition systems powered by "
    "artificial intelligence and cheap chips are used to track protesters."
)


@cache
def bundled() -> config_mod.Config:
    return config_mod.load(rules="none")


def glossary_edits(text: str) -> list[Edit]:
    return [e for e in check_text(text, config=bundled()) if e.rule.startswith("glossary.")]


def test_amnesty_international_in_an_ai_article_becomes_ai() -> None:
    fixed = fix_text(AI_ARTICLE, config=bundled())
    assert "Amnesty International" not in fixed
    assert "a global body for AI, and" in fixed and "the models of AI could" in fixed


AMNESTY_TECH = [
    "Amnesty International’s Algorithmic Accountability Lab studies how artificial "
    "intelligence is used by governments, and its researchers examined AI chips.",
    "Amnesty International found Pegasus spyware on the phones, which use chips made in China.",
]


@pytest.mark.parametrize("text", [RIGHTS_REPORT, AI_ARTICLE_CITING_AMNESTY, *AMNESTY_TECH])
def test_amnesty_international_as_the_rights_group_is_left_alone(text: str) -> None:
    assert glossary_edits(text) == []
    assert fix_text(text) == text  # the bundled rules too
    assert fix_text(text, unsafe=True) == text


def test_open_force_both_directions() -> None:
    pivot = "OpenAI entered the open force ecosystem with its open force models."
    assert fix_text(pivot, config=bundled()) == (
        "OpenAI entered the open-source ecosystem with its open-source models."
    )
    english = (
        "Police denied using open force against the crowd. Open-source software and "
        "economic models were discussed at the same meeting."
    )
    assert glossary_edits(english) == []


ORDINARY = [
    "More than 1.4 billion Indians live in the world's most populous country.",
    "The Cleveland Indians traded their best pitcher, and trade talks with Japan resumed.",
    "Indians that are scheduled to travel to the trade fair were delayed by the strike.",
    "She opened a bank account, and her account of the meeting was widely shared.",
    "The AI account of the battle, generated by a chatbot, was full of errors.",
    "Lee said the talks went well. Spike Lee and Lee Hsien Loong attended; so did Robert E. Lee's "
    "biographer. Lee Jae-myung met Li Qiang in Beijing.",
    "Analysts were hopeful that the deal would hold, and the premier was hopeful too.",
    "Anthropic principle aside, anthropic pressure on reefs is rising.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_sentences_untouched(text: str) -> None:
    autos = [e for e in glossary_edits(text) if e.confidence is Confidence.AUTO]
    assert autos == []
    assert fix_text(text) == text  # the bundled rules too
    assert not [e for e in check_text(text) if e.confidence is Confidence.AUTO]


def test_lee_qiang_is_fixed_in_its_own_context() -> None:
    text = "Chinese Premier Lee Qiang opened the conference in Shanghai."
    assert fix_text(text, config=bundled()) == (
        "Chinese Premier Li Qiang opened the conference in Shanghai."
    )


def test_bundled_rows_that_are_ordinary_english_are_guarded() -> None:
    """A row whose wrong side is made of common English words must carry a `when` or
    `unless` condition, or stay at review: it will run on all of Reuters."""
    glossary_ = bundled().glossary
    assert glossary_ is not None
    unguarded = [
        e.wrong
        for e in glossary_.entries
        if e.wrong
        and e.confidence is Confidence.AUTO
        and e.when is None
        and e.unless is None
        and min(zipf(w) for w in re.findall(r"[A-Za-z]+", e.wrong)) >= 3.0
    ]
    assert unguarded == []


def test_bundled_glossary_covers_the_seeds_domain() -> None:
    glossary_ = bundled().glossary
    assert glossary_ is not None
    wrong = {e.wrong for e in glossary_.entries}
    names = set(glossary_.canonical_names())
    assert {"Amnesty International", "AI account", "open force", "hopeful thinking"} <= wrong
    assert {"Kratsios", "Li Qiang", "Paul Triolo", "OpenAI", "DeepSeek", "Anthropic"} <= names
    assert {"gpt-oss", "HTC"} <= names
