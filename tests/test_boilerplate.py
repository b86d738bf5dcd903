"""The boilerplate line matcher: scan-led patterns kept out of the shared regex must claim
exactly the lines they claimed inside it, and pack order must still decide between rules."""

from __future__ import annotations

import pytest

from cleantext.checks.boilerplate import LineMatcher, _whole_line, required_literal


def matcher(patterns: list[tuple[int, str]]) -> LineMatcher:
    """Built the way ``Boilerplate._line_regex`` builds it."""
    parts, scans = [], []
    for index, pattern in patterns:
        literal = required_literal(pattern)
        if literal is None:
            parts.append(f"(?P<r{index}>(?:{pattern}))")
        else:
            scans.append((literal, _whole_line(f"(?:{pattern})"), index))
    return LineMatcher(_whole_line("|".join(parts)) if parts else None, scans)


def reference(patterns: list[tuple[int, str]], line: str) -> int | None:
    """The old single regex: first alternative (pack order) that matches."""
    body = "|".join(f"(?P<r{i}>(?:{p}))" for i, p in patterns)
    m = _whole_line(body).match(line)
    if m is None:
        return None
    return int(next(k for k, v in m.groupdict().items() if v is not None)[1:])


PATTERNS = [
    (0, r".{0,150}\bVote (?:in|on) (?:our|the|this) poll(?: below)?[.!]?"),
    (1, r"Share this(?: article| story| post)?:?(?: [\w |/,&-]{1,60})?"),
    (2, r".*Source links?"),
    (3, r"Like this:"),
]
LINES = [
    "Vote in our poll below.\n",
    "Who won the debate? VOTE IN OUR POLL!\n",
    "  Do you agree? Vote on the poll\r\n",
    "Share this article: Facebook | Twitter\n",
    "Share this: Vote in our poll\n",  # both rules 0 and 1: pack order says 0
    "Source link\n",
    "Read it at the Source links\n",
    "He said the vote was held in the poll station.\n",
    "Like this:\n",
    "Vote\n",
    "",
]


@pytest.mark.parametrize("line", LINES)
def test_line_matcher_agrees_with_one_shared_regex(line: str) -> None:
    assert matcher(PATTERNS).rule_of(line) == reference(PATTERNS, line)


def test_scan_led_pattern_without_a_sure_literal_stays_shared() -> None:
    assert required_literal(r".*(?:a|b)c") is None
    assert required_literal(r".{0,20}ab") is None  # too short to be worth a test
    assert required_literal(r"Read .* here") is None  # not scan-led
    assert required_literal(r".*xyz|abc") is None  # an alternative without it
