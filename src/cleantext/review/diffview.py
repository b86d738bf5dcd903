"""The diff of one proposal in its context, word by word, from diff-match-patch.

Words (and the spaces and marks between them) are mapped to single characters before
diffing, the way diff-match-patch's ``diff_linesToChars`` does for lines, so the diff never
splits a word ("Openai" -> "OpenAI" is one word out, one word in, not two letters).
"""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch

from cleantext.model import Edit

EQUAL, DELETE, INSERT = 0, -1, 1
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)

Diff = list[tuple[int, str]]
Key = tuple[int, int]
FLAGGED = 2  # a span with no known repair: shown, not diffed


def _encode(text: str, table: dict[str, str], tokens: list[str]) -> str:
    out = []
    for token in _TOKEN.findall(text):
        code = table.get(token)
        if code is None:
            code = chr(0xE000 + len(tokens)) if len(tokens) < 6400 else chr(0xF0000 + len(tokens))
            table[token] = code
            tokens.append(token)
        out.append(code)
    return "".join(out)


def word_diff(before: str, after: str) -> Diff:
    """(op, text) pieces turning ``before`` into ``after``, whole words at a time.

    >>> word_diff("He praised Openai today", "He praised OpenAI today")
    [(0, 'He praised '), (-1, 'Openai'), (1, 'OpenAI'), (0, ' today')]
    >>> word_diff("same", "same")
    [(0, 'same')]
    """
    table: dict[str, str] = {}
    tokens: list[str] = []
    a = _encode(before, table, tokens)
    b = _encode(after, table, tokens)
    decode = {code: token for token, code in table.items()}
    differ = diff_match_patch()
    diffs = differ.diff_main(a, b, False)
    differ.diff_cleanupSemantic(diffs)
    out: Diff = []
    for op, chunk in diffs:
        text = "".join(decode[c] for c in chunk)
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        elif text:
            out.append((op, text))
    return out


def context_window(text: str, start: int, end: int, lines: int = 1, limit: int = 160) -> Key:
    """Offsets of the span widened by ``lines`` lines either side, each side cut to at most
    ``limit`` characters at a word boundary (paragraphs here are often one long line).

    >>> context_window("one\\ntwo three\\nfour", 8, 13)
    (0, 18)
    >>> context_window("a " * 200, 200, 201, limit=10)
    (190, 209)
    """
    left = text.rfind("\n", 0, start) + 1
    for _ in range(lines):
        if left > 0:
            left = text.rfind("\n", 0, left - 1) + 1
    if start - left > limit:
        left = start - limit
        if not text[left - 1].isspace():
            space = text.find(" ", left, start)
            left = space + 1 if space != -1 else left
    right = text.find("\n", end)
    right = len(text) if right == -1 else right
    for _ in range(lines):
        if right < len(text):
            nxt = text.find("\n", right + 1)
            right = len(text) if nxt == -1 else nxt
    if right - end > limit:
        right = end + limit
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    return left, right


def proposal_diff(text: str, edit: Edit, replacement: str | None = None) -> Diff:
    """The word diff of applying ``edit`` (or ``replacement`` at its span) to its context.

    >>> from cleantext.model import Confidence
    >>> e = Edit(11, 17, "Openai", "OpenAI", "r", "casing", "", Confidence.AUTO)
    >>> proposal_diff("He praised Openai today.", e)
    [(0, 'He praised '), (-1, 'Openai'), (1, 'OpenAI'), (0, ' today.')]
    """
    new = edit.replacement if replacement is None else replacement
    left, right = context_window(text, edit.start, edit.end, lines=0, limit=90)
    before = text[left:right]
    if new is None:
        pieces = [(EQUAL, text[left : edit.start]), (FLAGGED, edit.original)]
        return [p for p in [*pieces, (EQUAL, text[edit.end : right])] if p[1]]
    after = text[left : edit.start] + new + text[edit.end : right]
    return word_diff(before, after)
