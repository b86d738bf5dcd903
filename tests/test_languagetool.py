"""The LanguageTool backend against a protocol double of LanguageTool's HTTP API.

``FakeLanguageToolServer`` is a real HTTP server on 127.0.0.1 that answers ``GET
/v2/languages`` and ``POST /v2/check`` in LanguageTool's documented JSON, with offsets and
lengths in UTF-16 code units as LanguageTool's Java server counts them. Offline tests forbid
any connection beyond 127.0.0.1 and any start of a local LanguageTool (which would download
it). One test talks to a real server when ``CLEANTEXT_LANGUAGETOOL_URL`` is set.
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import language_tool_python.match
import language_tool_python.server
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleantext.checks.base import Check, Context
from cleantext.errors import CleantextError
from cleantext.languagetool import (
    ENV_VAR,
    GRAMMAR_OFF,
    LanguageToolCheck,
    LanguageToolUnavailableError,
    _client_counts_code_points,
    from_environment,
    split_text,
)
from cleantext.model import CATEGORIES, Confidence, Edit


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# (pattern, group, rule id, description, issue type, category id, category name,
#  message, short message, replacements); metadata as LanguageTool's English rules have it
FAKE_RULES: list[tuple[re.Pattern[str], int, str, str, str, str, str, str, str, list[str]]] = [
    (
        re.compile(r"\b([Aa]) (?=[aeiouAEIOU])"),
        1,
        "EN_A_VS_AN",
        "Use of 'a' vs. 'an'",
        "misspelling",
        "MISC",
        "Miscellaneous",
        "Use “an” instead of ‘a’ if the following word starts with a vowel sound.",
        "Wrong article",
        ["an"],
    ),
    (
        re.compile(r"\b([Tt]he the)\b"),
        1,
        "ENGLISH_WORD_REPEAT_RULE",
        "Word repetition (e.g. 'will will')",
        "duplication",
        "MISC",
        "Miscellaneous",
        "Possible typo: you repeated a word.",
        "Word repetition",
        ["the"],
    ),
    (
        re.compile(r"\b[Hh]e (go)\b"),
        1,
        "HE_VERB_AGR",
        "Agreement error: 'he' plus verb",
        "grammar",
        "GRAMMAR",
        "Grammar",
        "The pronoun ‘he’ is usually used with a third-person or a past tense verb.",
        "Grammatical problem",
        ["goes", "went"],
    ),
    (
        re.compile(r"\b(geosus|\U0001d4a2eosus)\b"),
        1,
        "MORFOLOGIK_RULE_EN_US",
        "Possible spelling mistake",
        "misspelling",
        "TYPOS",
        "Possible Typo",
        "Possible spelling mistake found.",
        "Spelling mistake",
        [],
    ),
    (
        re.compile(r"(?<=\S)(  +)(?=\S)"),
        1,
        "WHITESPACE_RULE",
        "Whitespace repetition (bad formatting)",
        "whitespace",
        "TYPOGRAPHY",
        "Typography",
        "Possible typo: you repeated a whitespace",
        "",
        [" "],
    ),
]

LANGUAGES = [
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "German (Germany)", "code": "de", "longCode": "de-DE"},
]


def fake_matches(text: str) -> list[dict[str, Any]]:
    """The matches LanguageTool would report for FAKE_RULES, offsets in UTF-16 units."""
    found: list[dict[str, Any]] = []
    for pattern, group, rule, description, issue, cat, cat_name, msg, short, reps in FAKE_RULES:
        for m in pattern.finditer(text):
            start, end = m.start(group), m.end(group)
            left, right = max(0, start - 40), min(len(text), end + 40)
            before = ("..." if left else "") + text[left:start]
            context = before + text[start:right] + ("..." if right < len(text) else "")
            match: dict[str, Any] = {
                "message": msg,
                "replacements": [{"value": r} for r in reps],
                "offset": utf16_len(text[:start]),
                "length": utf16_len(text[start:end]),
                "context": {
                    "text": context.replace("\n", " "),
                    "offset": utf16_len(before),
                    "length": utf16_len(text[start:end]),
                },
                "sentence": _sentence(text, start, end),
                "type": {"typeName": "Other"},
                "rule": {
                    "id": rule,
                    "description": description,
                    "issueType": issue,
                    "category": {"id": cat, "name": cat_name},
                },
                "ignoreForIncompleteSentence": False,
                "contextForSureMatch": 0,
            }
            if short:
                match["shortMessage"] = short
            found.append(match)
    return sorted(found, key=lambda m: int(m["offset"]))


def _sentence(text: str, start: int, end: int) -> str:
    opening = max((m.end() for m in re.finditer(r"[.!?]\s+|\n", text[:start])), default=0)
    closing = re.search(r"[.!?](?=\s|$)|\n", text[end:])
    stop = end + closing.end() if closing else len(text)
    return text[opening:stop].strip()


class FakeLanguageToolServer:
    """A protocol double of a LanguageTool HTTP server (API v2) on 127.0.0.1.

    Answers ``GET /v2/languages`` and ``POST /v2/check`` (form fields ``text`` and
    ``language``) as LanguageTool documents them; rejects texts longer than
    ``max_text_length`` UTF-16 units with 413 as LanguageTool does. ``speak_languagetool=False``
    makes it an ordinary web server that answers 404 with HTML.
    """

    def __init__(self, max_text_length: int | None = None, speak_languagetool: bool = True):
        self.max_text_length = max_text_length
        self.speak_languagetool = speak_languagetool
        self.requests: list[tuple[str, str]] = []
        self.checked: list[dict[str, str]] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> FakeLanguageToolServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def check_response(self, text: str, language: str) -> dict[str, Any]:
        name = next((x["name"] for x in LANGUAGES if x["longCode"] == language), language)
        lang = {"name": name, "code": language}
        return {
            "software": {
                "name": "LanguageTool",
                "version": "6.6",
                "buildDate": "2025-03-27 10:12:00 +0000",
                "apiVersion": 1,
                "premium": False,
                "status": "",
            },
            "warnings": {"incompleteResults": False},
            "language": {**lang, "detectedLanguage": {**lang, "confidence": 0.99}},
            "matches": fake_matches(text),
        }


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    @property
    def fake(self) -> FakeLanguageToolServer:
        fake: FakeLanguageToolServer = self.server.fake  # type: ignore[attr-defined]
        return fake

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: str, content_type: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        self.fake.requests.append(("GET", path))
        if path == "/v2/languages" and self.fake.speak_languagetool:
            self._send(200, json.dumps(LANGUAGES), "application/json")
        else:
            self._send(404, "<html><body>Not found</body></html>", "text/html")

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        self.fake.requests.append(("POST", path))
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8")
        if path != "/v2/check" or not self.fake.speak_languagetool:
            self._send(404, "<html><body>Not found</body></html>", "text/html")
            return
        form = {k: v[0] for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items()}
        if "text" not in form or "language" not in form:
            self._send(400, "Error: Missing 'text' or 'data' parameter", "text/plain")
            return
        self.fake.checked.append(form)
        text, limit = form["text"], self.fake.max_text_length
        if limit is not None and utf16_len(text) > limit:
            message = (
                f"Error: Your text exceeds the limit of {limit} characters (it's "
                f"{utf16_len(text)} characters). Please submit a shorter text."
            )
            self._send(413, message, "text/plain")
            return
        response = self.fake.check_response(text, form["language"])
        self._send(200, json.dumps(response), "application/json")


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """No connection beyond 127.0.0.1 and no local LanguageTool (download) at all."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("all_proxy", raising=False)
    violations: list[object] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1"):
            violations.append(address)
            raise ConnectionRefusedError(f"test forbids {address!r}")
        real_connect(self, address)

    def no_local_server(self: object) -> None:
        violations.append("start (and download) of a local LanguageTool")
        raise AssertionError("local LanguageTool started")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(
        language_tool_python.server.LanguageTool, "_start_local_server", no_local_server
    )
    yield violations
    assert violations == []


@pytest.fixture
def server(offline: list[object]) -> Iterator[FakeLanguageToolServer]:
    with FakeLanguageToolServer() as fake:
        yield fake


def by_rule(edits: list[Edit]) -> dict[str, Edit]:
    return {e.rule: e for e in edits}


def test_matches_become_edits(server: FakeLanguageToolServer) -> None:
    text = "He go to a office to read the the report on geosus.  Next sentence."
    check: Check = LanguageToolCheck(server.url)
    assert check.id == "languagetool"
    edits = list(check.run(Context(text)))
    for edit in edits:
        assert text[edit.start : edit.end] == edit.original
        assert edit.category in CATEGORIES
    found = by_rule(edits)
    assert set(found) == {
        "languagetool.HE_VERB_AGR",
        "languagetool.EN_A_VS_AN",
        "languagetool.ENGLISH_WORD_REPEAT_RULE",
        "languagetool.MORFOLOGIK_RULE_EN_US",
        "languagetool.WHITESPACE_RULE",
    }
    verb = found["languagetool.HE_VERB_AGR"]
    assert (verb.start, verb.end, verb.original, verb.replacement) == (3, 5, "go", "goes")
    assert verb.category == "grammar" and verb.confidence is Confidence.REVIEW
    assert verb.message.startswith("The pronoun ‘he’ is usually used")
    assert [(a.start, a.end, a.replacement, a.rule) for a in verb.alternatives] == [
        (3, 5, "went", "languagetool.HE_VERB_AGR")
    ]
    article = found["languagetool.EN_A_VS_AN"]
    assert (article.original, article.replacement, article.start) == ("a", "an", 9)
    assert article.category == "spelling"  # LanguageTool files a/an as issueType misspelling
    repeat = found["languagetool.ENGLISH_WORD_REPEAT_RULE"]
    assert (repeat.original, repeat.replacement, repeat.category) == (
        "the the",
        "the",
        "duplication",
    )
    typo = found["languagetool.MORFOLOGIK_RULE_EN_US"]
    assert (typo.original, typo.replacement, typo.category) == ("geosus", None, "spelling")
    assert typo.confidence is Confidence.FLAG and not typo.applicable
    space = found["languagetool.WHITESPACE_RULE"]
    assert (space.original, space.replacement, space.category) == ("  ", " ", "spacing")
    assert server.requests.count(("GET", "/v2/languages")) == 1
    assert server.checked == [{"language": "en-US", "text": text}]


@pytest.fixture(params=["client shifts offsets", "client passes offsets through"])
def client_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """language-tool-python >= 2.8.1 moves ``offset`` (not ``length``) to code points; older
    releases pass LanguageTool's UTF-16 offsets through. Both must give the same edits."""
    kind: str = request.param
    if kind == "client passes offsets through":
        monkeypatch.setattr(language_tool_python.match, "four_byte_char_positions", lambda t: [])
    monkeypatch.setattr(language_tool_python.match.Match, "PREVIOUS_MATCHES_TEXT", None)
    _client_counts_code_points.cache_clear()
    yield kind
    _client_counts_code_points.cache_clear()


def test_utf16_offsets_after_and_inside_non_bmp_characters(
    server: FakeLanguageToolServer, client_kind: str
) -> None:
    assert _client_counts_code_points() is (client_kind == "client shifts offsets")
    text = "\U0001f600 Fine. \U0001f389\U0001f389 He go to a office, \U0001d4a2eosus said.\n"
    edits = LanguageToolCheck(server.url).check_text(text)
    found = by_rule(edits)
    # LanguageTool counts each of the three emoji and the script G as two units
    assert fake_matches(text)[0]["offset"] == text.index("go") + 3
    assert found["languagetool.HE_VERB_AGR"].start == text.index("go")
    assert found["languagetool.HE_VERB_AGR"].original == "go"
    assert found["languagetool.EN_A_VS_AN"].original == "a"
    typo = found["languagetool.MORFOLOGIK_RULE_EN_US"]
    assert typo.original == "\U0001d4a2eosus"  # 7 UTF-16 units, 6 characters
    assert typo.start == text.index("\U0001d4a2")


def test_long_text_is_sent_in_pieces_at_paragraph_breaks(offline: list[object]) -> None:
    paragraph = "He go to a office \U0001f600 with the the papers. It rains today in town.\n\n"
    text = "Heading\n\n" + paragraph * 60
    with FakeLanguageToolServer(max_text_length=1000) as fake:
        edits = LanguageToolCheck(fake.url, chunk_limit=1000).check_text(text)
    sent = [form["text"] for form in fake.checked]
    assert len(sent) > 1
    assert "".join(sent) == text
    assert all(utf16_len(piece) <= 1000 for piece in sent)
    assert all(piece.endswith("\n\n") for piece in sent)
    expected = sorted(
        [(m.start(), "languagetool.HE_VERB_AGR") for m in re.finditer(r"(?<=He )go", text)]
        + [(m.start(), "languagetool.EN_A_VS_AN") for m in re.finditer(r"\ba(?= office)", text)]
        + [
            (m.start(), "languagetool.ENGLISH_WORD_REPEAT_RULE")
            for m in re.finditer("the the", text)
        ]
    )
    assert sorted((e.start, e.rule) for e in edits) == expected
    assert all(text[e.start : e.end] == e.original for e in edits)


def test_server_refusing_a_long_text_is_a_typed_error(offline: list[object]) -> None:
    with FakeLanguageToolServer(max_text_length=100) as fake:
        check = LanguageToolCheck(fake.url, chunk_limit=5000)
        with pytest.raises(LanguageToolUnavailableError) as caught:
            check.check_text("A long sentence about a office. " * 10)
    assert fake.url in str(caught.value)
    assert "exceeds the limit of 100 characters" in str(caught.value)


def test_unreachable_server_is_a_typed_error_with_the_url(offline: list[object]) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    check = LanguageToolCheck(url)
    with pytest.raises(LanguageToolUnavailableError) as caught:
        list(check.run(Context("He go to a office.")))
    assert isinstance(caught.value, CleantextError)
    message = str(caught.value)
    assert message.startswith(url)
    assert "cannot reach a LanguageTool server" in message
    assert "Traceback" not in message and "\n" not in message
    with pytest.raises(LanguageToolUnavailableError):
        check.connect()  # a failure is not cached: the next attempt asks again


def test_a_server_that_is_not_languagetool_is_a_typed_error(offline: list[object]) -> None:
    with (
        FakeLanguageToolServer(speak_languagetool=False) as fake,
        pytest.raises(LanguageToolUnavailableError) as caught,
    ):
        LanguageToolCheck(fake.url).connect()
    assert fake.url in str(caught.value)
    assert "did not answer as a LanguageTool server" in str(caught.value)


def test_an_unoffered_language_is_a_typed_error(server: FakeLanguageToolServer) -> None:
    with pytest.raises(LanguageToolUnavailableError, match="does not offer language 'xx-YY'"):
        LanguageToolCheck(server.url, language="xx-YY").connect()


def test_no_url_means_no_check_and_one_line_saying_so() -> None:
    assert from_environment(None, {}) is None
    assert from_environment("", {ENV_VAR: "  "}) is None
    assert "\n" not in GRAMMAR_OFF
    assert "--languagetool URL" in GRAMMAR_OFF and ENV_VAR in GRAMMAR_OFF


def test_url_from_flag_or_environment() -> None:
    from_env = from_environment(None, {ENV_VAR: "http://127.0.0.1:8081/v2"})
    assert from_env is not None and from_env.url == "http://127.0.0.1:8081/"
    flag = from_environment("localhost:8010", {ENV_VAR: "http://127.0.0.1:8081"})
    assert flag is not None and flag.url == "http://localhost:8010/"
    with pytest.raises(LanguageToolUnavailableError, match="not an http"):
        LanguageToolCheck("ftp://example.org/")


@given(
    st.text(alphabet=st.sampled_from(["a", "b", " ", "\n", ".", "\U0001f600"]), max_size=300),
    st.integers(min_value=2, max_value=60),
)
def test_pieces_cover_the_text_within_the_limit(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    covered = 0
    for offset, piece in pieces:
        assert text[offset : offset + len(piece)] == piece
        assert utf16_len(piece) <= limit
        assert not text[covered:offset].strip()  # only whitespace is ever left out
        covered = offset + len(piece)
    assert not text[covered:].strip()


@pytest.mark.skipif(
    not os.environ.get(ENV_VAR),
    reason=f"needs a running LanguageTool server: set {ENV_VAR}=URL to run it",
)
def test_real_languagetool_server() -> None:
    check = from_environment(None)
    assert check is not None
    text = "\U0001f600 This is an test. He go to school yesterday.\n"
    edits = check.check_text(text)
    assert edits, "a real LanguageTool finds 'an test' and 'He go'"
    for edit in edits:
        assert text[edit.start : edit.end] == edit.original
        assert edit.rule.startswith("languagetool.")
        assert edit.category in CATEGORIES
        assert edit.confidence in (Confidence.REVIEW, Confidence.FLAG)
    assert any(e.original == "an" and e.start == text.index("an test") for e in edits)
