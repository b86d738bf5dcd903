"""Grammar through a LanguageTool server: optional, and never downloaded.

The user names a running server (``--languagetool URL`` or ``CLEANTEXT_LANGUAGETOOL_URL``);
without one, :func:`from_environment` returns ``None`` and the caller prints
:data:`GRAMMAR_OFF` once. The client is language-tool-python (the ``grammar`` extra), used
only with ``remote_server``: on that path it sends ``GET /v2/languages`` once and
``POST /v2/check`` per request, and it never starts or downloads a local LanguageTool (its
local-server branch, which downloads, is only taken without ``remote_server``). A missing
package, an unreachable server or an answer that is not LanguageTool's raises
:class:`LanguageToolUnavailableError` with the URL, never a ``requests`` traceback.

Each LanguageTool match becomes an :class:`~cleantext.model.Edit`: rule
``languagetool.<RULE_ID>``, LanguageTool's message, the first replacement (further ones as
alternatives), confidence ``review`` (``flag`` when LanguageTool offers no replacement).

Offsets. LanguageTool documents ``offset`` and ``length`` as "characters", but they are
Java string indices (``RuleMatch.getFromPos()``), i.e. UTF-16 code units: each character
outside the Basic Multilingual Plane (emoji, mathematical letters) counts twice.
Recent language-tool-python (3.4.0 here) shifts ``offset`` back to code points itself but
leaves ``length`` in UTF-16 units; releases before its fix (2024) shift nothing. Which kind is
installed is found once by a probe (:func:`_client_counts_code_points`), and spans are then
converted here exactly. Text without such characters needs neither.

Long documents are sent in pieces of at most :data:`CHUNK_LIMIT` UTF-16 units (the public
server's limit per request is 20,000 characters), cut at paragraph breaks where possible,
and the matches are shifted back to document offsets.
"""

from __future__ import annotations

import functools
import os
import re
import threading
import urllib.parse
from bisect import bisect_left
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cleantext.errors import CleantextError
from cleantext.model import Confidence, Edit

if TYPE_CHECKING:
    from language_tool_python import LanguageTool, Match

    from cleantext.checks.base import Context

ENV_VAR = "CLEANTEXT_LANGUAGETOOL_URL"
GRAMMAR_OFF = (
    "grammar checking through LanguageTool is off: name a running LanguageTool server with "
    f"--languagetool URL or {ENV_VAR}=URL (e.g. http://localhost:8081)"
)
"""The one line to print when :func:`from_environment` returns ``None``."""

DEFAULT_LANGUAGE = "en-US"
CHUNK_LIMIT = 20_000
"""Most UTF-16 units sent in one request."""
MAX_ALTERNATIVES = 5
"""Replacements after the first that become alternative edits (spelling lists run to 20+)."""


class LanguageToolUnavailableError(CleantextError):
    """The LanguageTool server the user named cannot be used; ``path`` is its URL."""


def from_environment(
    url: str | None, environ: Mapping[str, str] | None = None
) -> LanguageToolCheck | None:
    """The check for ``url`` (``--languagetool``), else for ``$CLEANTEXT_LANGUAGETOOL_URL``.

    Returns ``None`` when neither is set: grammar checking is off and the caller says so once
    with :data:`GRAMMAR_OFF`. Nothing is contacted here; call :meth:`LanguageToolCheck.connect`
    to fail early on an unreachable server.

    >>> from_environment(None, {}) is None
    True
    >>> from_environment(None, {ENV_VAR: "localhost:8081/v2/"}).url
    'http://localhost:8081/'
    """
    env = os.environ if environ is None else environ
    chosen = (url or env.get(ENV_VAR) or "").strip()
    if not chosen:
        return None
    return LanguageToolCheck(chosen)


class LanguageToolCheck:
    """A check (``id``, ``run(ctx)``) whose edits come from a LanguageTool server."""

    id: str = "languagetool"
    confidence = Confidence.REVIEW

    def __init__(
        self,
        url: str,
        *,
        language: str = DEFAULT_LANGUAGE,
        chunk_limit: int = CHUNK_LIMIT,
        max_alternatives: int = MAX_ALTERNATIVES,
    ) -> None:
        if chunk_limit < 1:
            raise ValueError("chunk_limit must be positive")
        self.url = base_url(url)
        self.language = language
        self.chunk_limit = chunk_limit
        self.max_alternatives = max_alternatives

    def __repr__(self) -> str:
        return f"LanguageToolCheck({self.url!r}, language={self.language!r})"

    def connect(self) -> None:
        """Reach the server now (``GET /v2/languages``); raises LanguageToolUnavailableError."""
        _client(self.url, self.language)

    def run(self, ctx: Context) -> list[Edit]:
        return self.check_text(ctx.text)

    def check_text(self, text: str) -> list[Edit]:
        """Edits for ``text``, offsets in characters of ``text``."""
        client = _client(self.url, self.language)
        edits: list[Edit] = []
        for base, chunk in split_text(text, self.chunk_limit):
            units = _Utf16(chunk)
            for match in _check(client, self.url, chunk):
                span = units.span(match)
                if span is None:
                    _log_skipped(match)
                    continue
                edits.append(self._edit(text, base + span[0], base + span[1], match))
        return edits

    def _edit(self, text: str, start: int, end: int, match: Match) -> Edit:
        replacements = list(match.replacements)
        original = text[start:end]
        rule = f"languagetool.{match.rule_id}"
        category = category_for(match.rule_id, match.category, match.rule_issue_type)
        message = str(match.message)

        def edit(replacement: str | None, confidence: Confidence) -> Edit:
            return Edit(start, end, original, replacement, rule, category, message, confidence)

        if not replacements:
            return edit(None, Confidence.FLAG)
        first = edit(replacements[0], self.confidence)
        others = replacements[1 : 1 + self.max_alternatives]
        if not others:
            return first
        return first.with_alternatives(tuple(edit(r, self.confidence) for r in others))


def _log_skipped(match: Match) -> None:
    # logging imported here: every check and fix imports this module (the CLI needs
    # from_environment and GRAMMAR_OFF), and logging takes 6 ms to import
    import logging

    logging.getLogger(__name__).debug("LanguageTool match outside its text skipped: %r", match)


def category_for(rule_id: str, category_id: str, issue_type: str) -> str:
    """cleantext's category for a LanguageTool rule, its category id and its ITS issue type.

    >>> category_for("MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling")
    'spelling'
    >>> category_for("WHITESPACE_RULE", "TYPOGRAPHY", "whitespace")
    'spacing'
    >>> category_for("ENGLISH_WORD_REPEAT_RULE", "MISC", "duplication")
    'duplication'
    >>> category_for("COMMA_COMPOUND_SENTENCE", "PUNCTUATION", "typographical")
    'punctuation'
    >>> category_for("HE_VERB_AGR", "GRAMMAR", "grammar")
    'grammar'
    """
    issue = (issue_type or "").lower()
    category = (category_id or "").upper()
    if issue == "misspelling" or category == "TYPOS":
        return "spelling"
    if issue == "whitespace" or "WHITESPACE" in rule_id:
        return "spacing"
    if issue == "duplication" or "WORD_REPEAT" in rule_id:
        return "duplication"
    if category in ("PUNCTUATION", "TYPOGRAPHY"):
        return "punctuation"
    if category == "CASING":
        return "casing"
    return "grammar"


def base_url(url: str) -> str:
    """The server's root URL as the client wants it (it appends ``v2/`` itself).

    >>> base_url("http://localhost:8081/v2/")
    'http://localhost:8081/'
    >>> base_url("https://example.org/api")
    'https://example.org/api/'
    """
    raw = url.strip()
    if "://" not in raw:
        raw = "http://" + raw
    parts = urllib.parse.urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LanguageToolUnavailableError(url, "not an http(s) URL of a LanguageTool server")
    path = parts.path.rstrip("/")
    if path.endswith("/v2"):
        path = path[:-3]
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path + "/", "", ""))


_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r]*\n\s*")
_LINE_BREAK = re.compile(r"\n\s*")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+")
_SPACE = re.compile(r"\s+")


def split_text(text: str, limit: int = CHUNK_LIMIT) -> list[tuple[int, str]]:
    """``(offset, piece)`` pairs covering ``text``, each piece at most ``limit`` UTF-16 units.

    Pieces end after a paragraph break where one fits, else after a line break, a sentence or
    a space; only a single longer word is cut. Pieces of nothing but whitespace are dropped.

    >>> split_text("One.\\n\\nTwo.\\n\\nThree.", 12)
    [(0, 'One.\\n\\nTwo.\\n\\n'), (12, 'Three.')]
    """
    pieces: list[tuple[int, str]] = []
    start, n = 0, len(text)
    while start < n:
        end = min(n, start + limit)
        excess = _utf16_len(text, start, end) - limit
        while excess > 0:
            # a character is one or two UTF-16 units: dropping half the excess (rounded up)
            # in characters never drops more than needed, so a piece is never empty
            end -= (excess + 1) // 2
            excess = _utf16_len(text, start, end) - limit
        end = max(end, start + 1)
        if end < n:
            end = _cut(text, start, end)
        piece = text[start:end]
        if piece.strip():
            pieces.append((start, piece))
        start = end
    return pieces


def _cut(text: str, start: int, end: int) -> int:
    """Where to end a piece that may not reach beyond ``end``."""
    for pattern in (_PARAGRAPH_BREAK, _LINE_BREAK, _SENTENCE_BREAK, _SPACE):
        last = -1
        for m in pattern.finditer(text, start, end):
            last = m.end()
        if last > start:
            return last
    return end


def _utf16_len(text: str, start: int, end: int) -> int:
    return len(text[start:end].encode("utf-16-le")) // 2


class _Utf16:
    """Converts LanguageTool's UTF-16 offsets into character offsets of one piece of text."""

    def __init__(self, text: str) -> None:
        self.size = len(text)
        wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
        # the UTF-16 index of each wide character: its code point index + wide ones before it
        self.wide = wide
        self.wide_units = [i + k for k, i in enumerate(wide)]

    def to_units(self, index: int) -> int:
        return index + bisect_left(self.wide, index)

    def to_chars(self, unit: int) -> int:
        """A UTF-16 offset as characters (one inside a surrogate pair rounds up)."""
        return unit - bisect_left(self.wide_units, unit)

    def span(self, match: Match) -> tuple[int, int] | None:
        offset, length = int(match.offset), int(match.error_length)
        if not self.wide:
            start, end = offset, offset + length
        else:
            start = offset if _client_counts_code_points() else self.to_chars(offset)
            end = self.to_chars(self.to_units(start) + length)
        if 0 <= start <= end <= self.size:
            return start, end
        return None


@functools.cache
def _client_counts_code_points() -> bool:
    """Whether the installed language-tool-python already turns ``offset`` into code points.

    Asked of its own ``Match`` with a synthetic match after one emoji: releases with the fix
    move offset 3 of ``"😀 a"`` to 2; earlier ones leave it at 3.
    """
    from language_tool_python import Match

    probe: dict[str, Any] = {
        "message": "probe",
        "shortMessage": "",
        "replacements": [],
        "offset": 3,
        "length": 1,
        "context": {"text": "\U0001f600 a", "offset": 3, "length": 1},
        "sentence": "\U0001f600 a",
        "type": {"typeName": "Other"},
        "rule": {
            "id": "PROBE",
            "description": "probe",
            "issueType": "other",
            "category": {"id": "MISC", "name": "Miscellaneous"},
        },
    }
    with _LOCK:
        try:
            return int(Match(probe, "\U0001f600 a").offset) == 2
        except Exception:  # an unexpected Match: assume it passes offsets through
            return False


# language-tool-python's Match keeps the last text in class attributes to shift offsets:
# one request and its Match objects at a time.
_LOCK = threading.Lock()


@functools.cache
def _client(url: str, language: str) -> LanguageTool:
    """One client per server and language for the whole run (failures are not cached)."""
    try:
        import language_tool_python
    except ImportError:
        raise LanguageToolUnavailableError(
            url,
            "language-tool-python is not installed; install cleantext[grammar] "
            "(pip install 'cleantext[grammar]') to use a LanguageTool server",
        ) from None
    try:
        return language_tool_python.LanguageTool(language, remote_server=url)
    except ValueError as exc:
        if "unsupported language" in str(exc):
            raise LanguageToolUnavailableError(
                url, f"the server does not offer language {language!r}"
            ) from None
        raise _unavailable(url, exc) from None
    except Exception as exc:  # the client wraps network errors in its own types, not all
        raise _unavailable(url, exc) from None


def _check(client: LanguageTool, url: str, text: str) -> list[Match]:
    try:
        with _LOCK:
            return list(client.check(text))
    except Exception as exc:
        raise _unavailable(url, exc, checking=True) from None


def _unavailable(
    url: str, exc: BaseException, checking: bool = False
) -> LanguageToolUnavailableError:
    """One line for a failed request: the network error if there was one, else the answer."""
    network = _network_cause(exc)
    cause = exc if network is None else network
    reason = " ".join(str(cause).split()) or type(cause).__name__
    if len(reason) > 200:
        reason = reason[:197] + "..."
    if network is not None and not checking:
        what = "cannot reach a LanguageTool server"
        hint = "; start one or correct --languagetool / " + ENV_VAR
    elif network is not None:
        what, hint = "the LanguageTool server stopped answering", ""
    elif checking:
        what, hint = "the LanguageTool server refused the text", ""
    else:
        what, hint = "the server did not answer as a LanguageTool server does", ""
    return LanguageToolUnavailableError(url, f"{what} ({type(cause).__name__}: {reason}){hint}")


def _network_cause(exc: BaseException) -> OSError | None:
    """The innermost network error behind ``exc`` (requests' errors wrap the socket's).

    requests' JSONDecodeError is an OSError too, but it means the server answered."""
    found: OSError | None = None
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and not isinstance(current, ValueError):
            found = current
        current = current.__cause__ or current.__context__
    return found
