"""The html change report of real seeds, opened in Debian's headless chromium: a screenshot
kept in tests/artefacts/, and DOM checks against the engine's own figures: every applied edit
is marked (its deletion and insertion, with rule and message on hover), the marked-up article
reads as the cleaned text, flags are marked, the summary counts are right, and the page asks
for nothing beyond its own file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import support
from browser import artefact, browser_page
from cleantext import config, document, engine

SEEDS = {"003_3ef16e2790e2e6b0": True, "001_12627618fdde4a95": False}  # seed -> --unsafe


def check_report(page: Any, text: str, unsafe: bool) -> None:
    cfg = config.load(None, None, True)
    proposals = engine.propose(text, cfg)
    cleaned, applied = engine.fix(text, cfg, unsafe=unsafe)
    assert applied, "a seed with no applied edit proves nothing"

    # every applied edit is marked, in order, with its own text and its rule on hover
    marks = page.eval_on_selector_all(
        "#text del, #text ins",
        """els => els.map(e => ({tag: e.tagName.toLowerCase(), edit: +e.dataset.edit,
             text: e.textContent, title: e.title, rule: e.dataset.rule,
             confidence: e.dataset.confidence}))""",
    )
    assert {m["edit"] for m in marks} == set(range(1, len(applied) + 1))
    for number, edit in enumerate(sorted(applied, key=lambda e: e.start), 1):
        mine = [m for m in marks if m["edit"] == number]
        expected: list[tuple[str, str]] = [("del", edit.original)] * bool(edit.original)
        expected += [("ins", edit.replacement or "")] * bool(edit.replacement)
        assert [(m["tag"], m["text"]) for m in mine] == expected
        for mark in mine:
            assert mark["rule"] == edit.rule and mark["confidence"] == edit.confidence.value
            assert edit.rule in mark["title"] and edit.message in mark["title"]

    # the article, deletions left out, reads exactly as the cleaned text (HTML reads CRLF as LF)
    reading = page.eval_on_selector(
        "#text",
        """el => { const c = el.cloneNode(true); c.querySelectorAll('del').forEach(d => d.remove());
                   return c.textContent; }""",
    )
    assert reading == cleaned.replace("\r\n", "\n")

    # flagged spans are marked: one mark per flag proposal that no applied edit overlaps
    flags = [p for p in proposals if p.confidence.value == "flag"]
    free = [f for f in flags if not any(f.overlaps(a) for a in applied)]
    flag_marks = page.eval_on_selector_all(
        "#text mark.flag", "els => els.map(e => [e.textContent, e.dataset.rule])"
    )
    assert sorted(map(tuple, flag_marks)) == sorted((f.original, f.rule) for f in free)
    if not unsafe:
        pending = [p for p in proposals if p.confidence.value == "review"]
        assert page.locator("#text mark.pending").count() == len(
            [p for p in pending if not any(p.overlaps(a) for a in applied)]
        )

    # summary counts
    by_confidence = Counter(p.confidence.value for p in proposals)
    for level in ("auto", "review", "flag"):
        assert page.inner_text(f"#count-{level}") == str(by_confidence[level])
    assert page.inner_text("#count-applied") == str(len(applied))
    assert page.inner_text("#count-proposals") == str(len(proposals))
    rows = page.eval_on_selector_all(
        "#by-rule tbody tr",
        """rows => rows.map(r => [r.dataset.rule,
             +r.querySelector('[data-col=proposed]').textContent])""",
    )
    assert dict(rows) == dict(Counter(p.rule for p in proposals))
    categories = page.eval_on_selector_all(
        "#by-category tbody tr",
        """rows => rows.map(r => [r.dataset.category,
             +r.querySelector('[data-col=proposed]').textContent])""",
    )
    assert dict(categories) == dict(Counter(p.category for p in proposals))
    assert page.locator("#edits tbody tr[data-edit]").count() == len(applied)


@pytest.mark.parametrize(("seed", "unsafe"), sorted(SEEDS.items()))
def test_html_report_of_a_seed_in_headless_chromium(
    tmp_path: Path, seed: str, unsafe: bool
) -> None:
    source = support.SEEDS / f"{seed}.txt"
    argv = ["render", str(source), "--template", "html", "--out", str(tmp_path)]
    done = support.run_process([*argv, "--unsafe"] if unsafe else argv)
    assert done.code == 0, done.err
    report = tmp_path / f"{seed}.html"
    requests: list[str] = []
    with browser_page() as page:
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        page.screenshot(path=str(artefact(f"report-{seed}.png")), full_page=True)
        check_report(page, document.load(source).text, unsafe)
        # the hover text is there for a person too: the first insertion's title names its rule
        first = page.locator("#text ins").first
        first.hover()
        assert first.get_attribute("title")
    assert requests == [report.as_uri()], "the report must need nothing but itself"
    assert artefact(f"report-{seed}.png").stat().st_size > 10_000
