"""Snapshots of the review app at 80x24 (pytest-textual-snapshot): a fixed document, a fixed
terminal size, no clock on screen. Update with ``pytest --snapshot-update`` after checking
the new SVG by eye."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cleantext import config
from cleantext.review.app import create_app

TEXT = (
    "Chinese Prime Minister Lee Qiang praised Openai at the conference.\n"
    "\n"
    "The open force ecosystem grew fast, and Lee Qiang said the the plan was hopeful thinking.\n"
    "Smred in the banning of chips, the year tense in Shanghai ended.\n"
)

SnapCompare = Callable[..., bool]


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_main_screen(snap_compare: SnapCompare, article: Path) -> None:
    """Proves the 80x24 layout: the document list with open/done counts, the running count
    on top, the proposals highlighted in place by confidence (the current one in cyan),
    the rule, category, confidence, message and word diff of the current proposal, and the
    key bindings in the footer, all fitting the smallest terminal an editor may use."""
    app = create_app([article], config.load(None, None))
    assert snap_compare(app, terminal_size=(80, 24))


def test_main_screen_after_decisions(snap_compare: SnapCompare, article: Path) -> None:
    """Proves that decisions show in place: the accepted 'Li Qiang' replaces the struck
    original, the rejected 'Openai' is struck through, the counts read 2 done, and the
    panel moved on to the next open proposal ('open force')."""
    app = create_app([article], config.load(None, None))
    assert snap_compare(app, press=["y", "n"], terminal_size=(80, 24))


def test_help_screen(snap_compare: SnapCompare, article: Path) -> None:
    """Proves that ? opens the help over the review: every key with what it does, and the
    highlight colours shown in their own colours, readable at 80x24."""
    app = create_app([article], config.load(None, None))
    assert snap_compare(app, press=["question_mark"], terminal_size=(80, 24))
