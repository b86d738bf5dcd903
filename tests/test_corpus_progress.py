"""Progress: on a real terminal (a pseudo-terminal) the run shows a bar with documents/s
and MB/s; in a pipe it prints only the final summary, with edits per rule."""

from __future__ import annotations

import os
import pty
import select
import subprocess
from pathlib import Path

from corpus_support import copy_seeds, corpus_args, run_corpus
from support import cleantext_command


def test_bar_on_a_terminal(tmp_path: Path) -> None:
    source = copy_seeds(tmp_path / "in", copies=4)
    leader, follower = pty.openpty()
    env = dict(os.environ, COLUMNS="120", LINES="30", TERM="xterm-256color")
    argv = corpus_args(source, tmp_path / "out", jobs=1, shard_size=1, rules="none")
    proc = subprocess.Popen(
        [*cleantext_command(), *argv],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process has ended
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=60)
    os.close(leader)
    screen = seen.decode("utf-8", "replace")
    assert proc.returncode == 0, screen
    assert "docs/s" in screen and "MB/s" in screen and "cleaning" in screen
    assert "20 documents in 20 shards" in screen


def test_quiet_in_a_pipe_with_a_summary(tmp_path: Path) -> None:
    source = copy_seeds(tmp_path / "in")
    result = run_corpus(source, tmp_path / "out", process=True, jobs=1)
    assert result.code == 0, result.err
    assert result.out == b""
    assert "docs/s" not in result.err and "\x1b[" not in result.err
    lines = result.err.splitlines()
    assert lines[0].startswith("cleantext corpus: 5 documents in 1 shards (0 already done)")
    assert "  edits per rule:" in lines
    rules = lines[lines.index("  edits per rule:") + 1 :]
    assert rules and all(line.startswith("    ") for line in rules)
    assert any("web.source-link" in line for line in rules)
