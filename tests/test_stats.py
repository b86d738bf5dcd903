"""Per-document figures: the fast byte view gives exactly what the plain regex definitions
give, on generated text full of the characters that make the byte view hard (curly
apostrophes, non-ASCII letters, digits and numerals beyond ASCII), and on real articles."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import support
from cleantext import config, engine, stats

TEXT = st.text(
    alphabet=st.sampled_from(
        [*list("abcXYZ ' \n\t.,-_19"), "’", "é", "ß", "—", "“", "½", "٣", "日"]
    ),
    max_size=80,
)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_byte_view_gives_the_definitions_figures(text: str) -> None:
    assert stats.word_count(text) == stats._word_count_regex(text)
    assert stats.unknown_share(text) == stats._unknown_share_regex(text)


@pytest.mark.parametrize("name", support.seed_names())
def test_byte_view_gives_the_definitions_figures_on_seeds(name: str) -> None:
    text = (support.SEEDS / f"{name}.txt").read_text(encoding="utf-8")
    assert stats.word_count(text) == stats._word_count_regex(text)
    assert stats.unknown_share(text) == stats._unknown_share_regex(text)


def test_document_stats_counts_proposals_by_confidence_category_and_rule() -> None:
    text = (support.SEEDS / f"{support.seed_names()[1]}.txt").read_text(encoding="utf-8")
    proposals, _, applied = engine.propose_and_fix(text, config.load(), unsafe=True)
    figures = stats.document_stats(text, proposals, applied)
    assert figures["proposals"] == len(proposals) and figures["applied"] == len(applied)
    by_confidence = figures["by_confidence"]
    assert isinstance(by_confidence, dict) and sum(by_confidence.values()) == len(proposals)
    flags = by_confidence["flag"]
    assert figures["flags_per_1k_words"] == round(1000 * flags / figures["words"], 2)
