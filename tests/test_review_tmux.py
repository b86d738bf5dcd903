"""The review app in a real terminal: started inside tmux on a seed, keys sent with
``send-keys``, the screen read with ``capture-pane``; a decision survives the terminal being
killed, and saving writes the file. tmux comes from Debian (``make deps`` installs it)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cleantext import config, engine
from cleantext.textops import apply_edits
from support import SEEDS, cleantext_command

SEED = "003_3ef16e2790e2e6b0.txt"


class Tmux:
    """One private tmux server (its own socket), killed whatever happens."""

    def __init__(self, folder: Path) -> None:
        tmux = shutil.which("tmux")
        if tmux is None:
            raise AssertionError("tmux is not installed: apt-get install -y tmux (make deps)")
        self.base = [tmux, "-L", f"cleantext-review-{os.getpid()}"]
        self.folder = folder

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            [*self.base, *args], capture_output=True, text=True, timeout=30, check=True
        )
        return done.stdout

    def start(self, *argv: str) -> None:
        """A new session running cleantext; retried for a moment, since a server just
        killed may still hold its socket."""
        command = shlex.join([*cleantext_command(), *argv])
        args = ("new-session", "-d", "-x", "100", "-y", "30", "-c", str(self.folder), command)
        for _ in range(20):
            try:
                self(*args)
                return
            except subprocess.CalledProcessError:
                time.sleep(0.25)
        self(*args)

    def screen(self) -> str:
        return self("capture-pane", "-p")

    def wait(self, ready: Callable[[str], bool], what: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        text = ""
        while time.monotonic() < end:
            try:
                text = self.screen()
            except subprocess.CalledProcessError:
                text = ""
            if ready(text):
                return text
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; screen:\n{text}")

    def kill(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, timeout=30, check=False)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    server = Tmux(tmp_path)
    try:
        yield server
    finally:
        server.kill()


def test_decide_kill_resume_and_save_in_a_real_terminal(tmux: Tmux, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    shutil.copyfile(SEEDS / SEED, article)
    original = article.read_text(encoding="utf-8")
    proposals = engine.propose(original, config.load(None, None))
    first = proposals[0]
    assert first.replacement is not None
    total = len(proposals)

    tmux.start("review", "article.txt")
    tmux.wait(lambda s: f"0/{total} decided" in s and "Shanghai hosted" in s, "the first screen")
    tmux("send-keys", "y")
    tmux.wait(lambda s: f"1/{total} decided" in s, "the decision to be counted")
    # the terminal dies without the app being asked to stop
    tmux.kill()
    tmux.start("review", "article.txt")
    tmux.wait(lambda s: f"1/{total} decided" in s, "the resumed review")
    tmux("send-keys", "w")
    tmux.wait(lambda _: article.read_text(encoding="utf-8") != original, "the file to be saved")
    tmux("send-keys", "q")
    assert article.read_text(encoding="utf-8") == apply_edits(original, [first])
    assert (tmp_path / "article.txt.orig").read_text(encoding="utf-8") == original


def test_the_review_reads_the_glossary_beside_the_file_from_any_folder(
    tmux: Tmux, tmp_path: Path
) -> None:
    """The glossary `g` teaches (found from the file's folder upwards) is the one the
    review reads, even when the command is started elsewhere."""
    project = tmp_path / "project"
    elsewhere = tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    shutil.copyfile(SEEDS / SEED, project / "article.txt")
    (project / "glossary.csv").write_text(
        "wrong,right,case,when,unless,confidence,note\n"
        "Shanghai hosted,Shanghai held,exact,,,auto,\n",
        encoding="utf-8",
    )
    tmux.folder = elsewhere
    tmux.start("review", str(project / "article.txt"))
    tmux.wait(lambda s: "glossary.shanghai-hosted" in s, "the project's row as first proposal")
    tmux("send-keys", "q")
