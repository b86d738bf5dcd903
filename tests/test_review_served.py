"""`cleantext review --serve` in a browser: the real command serves the app on 127.0.0.1
(textual-serve), Debian's chromium loads it headless, and the page shows the article, takes
a decision key and saves the file. A screenshot is kept in tests/artefacts/.

The terminal in the page is drawn on a canvas by xterm.js, so the text is read from what
the page received over its websocket (the terminal output xterm.js draws), with the escape
sequences taken out.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import artefact, browser_page
from cleantext import config, engine
from cleantext.textops import apply_edits
from support import SEEDS, cleantext_command

SEED = "003_3ef16e2790e2e6b0.txt"
_ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[=>])"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """The real command in its own process group, killed as a group afterwards (the
    app process textual-serve starts would outlive its parent otherwise)."""
    article = tmp_path / "article.txt"
    shutil.copyfile(SEEDS / SEED, article)
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [*cleantext_command(), "review", "--serve", "--port", str(port), str(article)],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        (tmp_path / "serve.log").read_text(errors="replace")
                    ) from None
                time.sleep(0.2)
        yield port, article
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        log.close()


class Screen:
    """Everything the page's terminal received, as plain text."""

    def __init__(self) -> None:
        self.frames: list[str] = []

    def attach(self, socket_: Any) -> None:
        socket_.on("framereceived", self._received)

    def _received(self, payload: str | bytes) -> None:
        data = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        self.frames.append(data)

    @property
    def text(self) -> str:
        return _ESCAPES.sub("", "".join(self.frames))

    def wait(self, page: Any, ready: Callable[[str], bool], what: str) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if ready(self.text):
                return
            page.wait_for_timeout(200)
        raise AssertionError(f"timed out waiting for {what}; got {self.text[-2000:]!r}")


def test_served_app_in_headless_chromium(served: tuple[int, Path]) -> None:
    port, article = served
    original = article.read_text(encoding="utf-8")
    proposals = engine.propose(original, config.load(None, None))
    screen = Screen()
    with browser_page() as page:
        page.on("websocket", screen.attach)
        page.goto(f"http://127.0.0.1:{port}/")
        screen.wait(page, lambda t: "Shanghai hosted the annual" in t, "the article")
        screen.wait(page, lambda t: f"0/{len(proposals)} decided" in t, "the running count")
        page.wait_for_selector("body.-first-byte")
        page.wait_for_timeout(500)  # let xterm.js draw the frame it received
        page.screenshot(path=str(artefact("review-served.png")))
        page.locator(".textual-terminal").click()
        page.keyboard.press("y")
        screen.wait(page, lambda t: f"1/{len(proposals)} decided" in t, "the decision")
        page.keyboard.press("w")
        deadline = time.monotonic() + 30
        while article.read_text(encoding="utf-8") == original and time.monotonic() < deadline:
            page.wait_for_timeout(200)
    assert article.read_text(encoding="utf-8") == apply_edits(original, proposals[:1])
    assert artefact("review-served.png").stat().st_size > 10_000
