"""Do no harm: plain `fix` (auto edits only) changes nothing in clean English.

Three kinds of clean text: the licences under /usr/share/common-licenses, the docstrings of
the Python standard library, and tests/data/clean/news.txt, news paragraphs written to hold
exactly the words the glossary and the rules target (Indians, account, Lee, open force,
hopeful, anthropic, Amnesty International, "had had", "per cent ... per cent", captions,
U.S., e.g., Inc., quotations across paragraphs, Joe and Hunter Biden, Trump and Truman),
each used correctly. On the news, review and flag proposals are counted too: an editor's
time is the cost of a false alarm.
"""

from __future__ import annotations

import ast
import json
import sysconfig
from collections import Counter
from pathlib import Path

import pytest

import support

LICENCES = Path("/usr/share/common-licenses")
NEWS = support.CLEAN / "news.txt"
MAX_REVIEW_PER_10K = 5.0


def auto_proposals(result: support.Result) -> list[dict[str, object]]:
    records = [json.loads(line) for line in result.text.splitlines() if line.strip()]
    return [r for r in records if r["confidence"] == "auto" and r["replacement"] != r["original"]]


def describe(records: list[dict[str, object]], limit: int = 20) -> str:
    return "\n".join(
        f"{r['file']}:{r['line']}:{r['column']} {r['rule']} {r['original']!r} -> "
        f"{r['replacement']!r}"
        for r in records[:limit]
    )


def assert_untouched(path: Path) -> None:
    """`fix` prints the file unchanged and `check` finds no auto edit in it."""
    fixed = support.run(["fix", str(path)])
    assert fixed.code == 0, fixed.err
    found = support.run(["check", "--format", "json", str(path)])
    assert found.code in (0, 1), found.err
    autos = auto_proposals(found)
    assert not autos, f"auto edits on clean text:\n{describe(autos)}"
    assert fixed.out == path.read_bytes(), "fix changed clean text"


# -- licences ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["GPL-3", "Apache-2.0", "MPL-2.0"])
def test_licence_untouched(name: str) -> None:
    path = LICENCES / name
    if not path.is_file():
        pytest.skip(f"{path} is not installed on this machine (Debian's base-files ships it)")
    assert_untouched(path)


# -- standard library docstrings -----------------------------------------------------------

# Most of the standard library by breadth: every top-level module and package except the
# test suites and the IDLE and tkinter GUIs (whose docstrings are mostly option lists).
SKIP_PARTS = frozenset({"test", "tests", "idlelib", "site-packages", "__pycache__"})


def stdlib_sources() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    return sorted(
        p for p in root.rglob("*.py") if not SKIP_PARTS & set(p.relative_to(root).parts[:-1])
    )


def docstrings(path: Path) -> list[str]:
    """Every docstring of a module: the module's, its classes' and its functions'."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError, ValueError):
        return []  # a few stdlib files are templates or in another encoding
    nodes = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    found = (ast.get_docstring(n) for n in ast.walk(tree) if isinstance(n, nodes))
    return [d for d in found if d and d.strip()]


@pytest.fixture(scope="module")
def stdlib_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One file per docstring, so that each is a document of its own, as a user's would be."""
    root = tmp_path_factory.mktemp("stdlib-docstrings")
    base = Path(sysconfig.get_paths()["stdlib"])
    count = 0
    for source in stdlib_sources():
        stem = "_".join(source.relative_to(base).with_suffix("").parts)
        for index, doc in enumerate(docstrings(source)):
            (root / f"{stem}.{index:04d}.txt").write_text(doc + "\n", encoding="utf-8")
            count += 1
    assert count > 3000, f"only {count} docstrings found: is the standard library source here?"
    return root


def test_stdlib_docstrings_no_auto_edits(stdlib_docs: Path) -> None:
    found = support.run(["check", "--format", "json", str(stdlib_docs)])
    assert found.code in (0, 1), found.err
    autos = auto_proposals(found)
    files = len(list(stdlib_docs.iterdir()))
    support.report(
        "clean text: auto edits",
        f"stdlib docstrings: {files} docstrings, "
        f"{sum(support.words(p.read_text('utf-8')) for p in stdlib_docs.iterdir())} words, "
        f"{len(autos)} auto edits",
    )
    assert not autos, f"{len(autos)} auto edits on stdlib docstrings:\n{describe(autos)}"


def test_stdlib_docstrings_fix_diff_is_empty(stdlib_docs: Path) -> None:
    result = support.run(["fix", "--diff", str(stdlib_docs)])
    assert result.code == 0, result.text[:3000] or result.err
    assert result.out == b""


# -- clean news ----------------------------------------------------------------------------


def paragraphs() -> list[str]:
    return [p for p in NEWS.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def test_news_is_substantial() -> None:
    """The fixture must stay a fair sample: enough paragraphs and the words it is about."""
    text = NEWS.read_text(encoding="utf-8")
    assert len(paragraphs()) >= 25
    for needle in [
        "Indians",
        "account",
        "Lee",
        "open force",
        "hopeful",
        "anthropic",
        "Amnesty International",
        "Photo: Reuters",
        "Source: Reuters",
        "had had",
        "U.S.",
        "e.g.",
        "Inc.",
        "Hunter Biden",
        "Truman",
    ]:
        assert needle in text, needle


def test_news_untouched() -> None:
    assert_untouched(NEWS)


def test_news_paragraphs_untouched_one_by_one(tmp_path: Path) -> None:
    """Each paragraph alone too: a document-level condition (`when`) must not be what keeps
    a row quiet, since a short article has fewer words to tell it its context."""
    for index, paragraph in enumerate(paragraphs()):
        (tmp_path / f"p{index:02d}.txt").write_text(paragraph + "\n", encoding="utf-8")
    found = support.run(["check", "--format", "json", str(tmp_path)])
    autos = auto_proposals(found)
    assert not autos, f"auto edits on clean paragraphs:\n{describe(autos)}"
    fixed = support.run(["fix", "--diff", str(tmp_path)])
    assert (fixed.code, fixed.out) == (0, b""), fixed.text


def test_news_review_and_flag_rate() -> None:
    """Review and flag proposals per 10,000 words of clean news, with the rules that fire."""
    found = support.run(["check", "--format", "json", str(NEWS)])
    records = [json.loads(line) for line in found.text.splitlines() if line.strip()]
    others = [r for r in records if r["confidence"] in ("review", "flag")]
    total_words = support.words(NEWS.read_text(encoding="utf-8"))
    rate = len(others) * 10_000 / total_words
    by_rule = Counter(str(r["rule"]) for r in others)
    support.report(
        "clean text: review+flag proposals on tests/data/clean/news.txt",
        f"{len(others)} in {total_words} words = {rate:.1f} per 10,000 words; "
        f"rules: {dict(by_rule) or 'none'}",
    )
    for record in others:
        support.report(
            "clean text: review+flag proposals on tests/data/clean/news.txt",
            f"  {record['rule']} [{record['confidence']}] line {record['line']}: "
            f"{record['original']!r} -> {record['replacement']!r}",
        )
    assert rate < MAX_REVIEW_PER_10K, f"{rate:.1f} per 10,000 words: {dict(by_rule)}"
