"""An interrupted corpus run (the process group killed for real, mid-run) leaves only
complete shards, and rerunning the same command finishes the rest without redoing the
finished shards, giving the same output as a run that was never interrupted."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from cleantext.corpus import sinks
from corpus_support import corpus_args, outputs, run_corpus, write_texts
from support import SEEDS, cleantext_command

DOCS = 120


def make_corpus(folder: Path) -> None:
    """Many small documents: the seeds' paragraphs, each file a different mix."""
    paragraphs = [
        p for s in sorted(SEEDS.glob("*.txt")) for p in s.read_text("utf-8").split("\n\n") if p
    ]
    folder.mkdir()
    for i in range(DOCS):
        body = "\n\n".join(paragraphs[(i * 7 + k) % len(paragraphs)] for k in range(6))
        (folder / f"doc-{i:04d}.txt").write_text(f"Story {i}\n\n{body}\n", encoding="utf-8")


def ledger(out: Path) -> list[str]:
    path = out / "_shards.jsonl"
    if not path.exists():
        return []
    return [line for line in path.read_text("utf-8").splitlines() if _whole(line)]


def _whole(line: str) -> bool:
    """A complete ledger line, as the resume reads them (a torn one is redone)."""
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def test_killed_run_resumes_without_redoing_shards(tmp_path: Path) -> None:
    source = tmp_path / "in"
    make_corpus(source)
    reference = tmp_path / "reference"
    assert run_corpus(source, reference, jobs=2, shard_size=3).code == 0

    out = tmp_path / "out"
    proc = subprocess.Popen(
        [*cleantext_command(), *corpus_args(source, out, jobs=2, shard_size=3)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill reaches every worker
    )
    deadline = time.monotonic() + 60
    while len(ledger(out)) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = ledger(out)
    total = DOCS // 3
    assert 3 <= len(done_before) < total, "the run must be cut off part way"

    # only complete shards are visible: every shard file present parses to the end
    for name, data in outputs(out).items():
        records = [json.loads(line) for line in data.decode("utf-8").splitlines()]
        assert len(records) == 3, name

    resumed = run_corpus(source, out, jobs=2, shard_size=3)
    assert resumed.code == 0, resumed.err
    assert f"({len(done_before)} already done)" in resumed.err
    assert f"{DOCS} documents in {total} shards" in resumed.err
    assert not [p for p in out.rglob(".*") if "tmp" in p.name]  # temporaries swept
    assert outputs(out) == outputs(reference)
    assert len(ledger(out)) == total
    # the shards recorded before the kill were not redone: their lines come first, unchanged
    assert ledger(out)[: len(done_before)] == done_before


def test_resume_with_other_settings_is_refused(tmp_path: Path) -> None:
    source = write_texts(tmp_path / "in", {"a.txt": "He praised Openai.\n"})
    out = tmp_path / "out"
    assert run_corpus(source, out, jobs=1).code == 0
    again = run_corpus(source, out, jobs=1, unsafe=True)
    assert again.code == 2 and "other settings (unsafe)" in again.err
    same = run_corpus(source, out, jobs=1)
    assert same.code == 0 and "(1 already done)" in same.err


@pytest.mark.parametrize("jobs", [1, 2])
def test_interrupt_leaves_no_partial_shard(tmp_path: Path, jobs: int) -> None:
    """SIGINT (Ctrl-C) to the whole group: exit 130, finished shards only, no temporaries
    (with 2 jobs, shards a worker wrote that the main process had not committed yet)."""
    source = tmp_path / "in"
    make_corpus(source)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [*cleantext_command(), *corpus_args(source, out, jobs=jobs, shard_size=2)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while len(ledger(out)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert b"Traceback" not in err
    assert not [p for p in out.rglob(".*") if "tmp" in p.name]
    names = {json.loads(line)["id"] for line in ledger(out)}
    present = {p.stem for p in out.glob("shard-*.jsonl")}
    assert len(present - names) <= 1  # the one renamed just before the signal, not recorded
    resumed = run_corpus(source, out, jobs=jobs, shard_size=2)
    assert resumed.code == 0, resumed.err
    assert len(ledger(out)) == DOCS // 2


def test_a_shard_that_cannot_be_committed_stops_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shards are synced and renamed into place by the main process (``sinks.Committer``):
    a failure there is the run's write error, naming the file, and that shard is not
    recorded, so a rerun writes it."""
    source = write_texts(
        tmp_path / "in", {f"d{i}.txt": f"He praised Openai {i}.\n" for i in range(8)}
    )
    reference = tmp_path / "reference"
    assert run_corpus(source, reference, jobs=1, shard_size=2).code == 0
    real_replace = os.replace

    def full_disk(src: str, dst: str) -> None:
        if str(dst).endswith("shard-000002.jsonl"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", full_disk)
    out = tmp_path / "out"
    failed = run_corpus(source, out, jobs=1, shard_size=2)
    monkeypatch.undo()
    assert failed.code == 2, failed.err
    assert "shard-000002.jsonl" in failed.err and "No space left on device" in failed.err
    assert "shard-000002" not in {json.loads(line)["id"] for line in ledger(out)}
    assert not (out / "shard-000002.jsonl").exists()
    again = run_corpus(source, out, jobs=1, shard_size=2)
    assert again.code == 0, again.err
    assert outputs(out) == outputs(reference)
    assert not [p for p in out.rglob(".*") if "tmp" in p.name]


def test_ledger_lines_are_flushed_at_once_and_synced_once_a_second(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A killed run loses no line (each is in the file as soon as recorded); the disk is
    asked to sync at most once a second, and when the ledger closes."""
    synced: list[int] = []
    monkeypatch.setattr(os, "fsync", synced.append)
    book = sinks.Ledger(tmp_path)
    for n in range(5):
        book.record({"id": f"shard-{n:06d}", "docs": 1})
        assert len(ledger(tmp_path)) == n + 1  # read by another handle, before any sync
    assert synced == []  # all within the first second
    monkeypatch.setattr(sinks.Ledger, "SYNC_EVERY", 0.0)
    book.record({"id": "shard-000005", "docs": 1})
    assert len(synced) == 1
    book.close()
    assert len(synced) == 2
