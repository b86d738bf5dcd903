"""Timing a command (wall clock, CPU, peak memory) and running the peer spell-fixers.

``timed`` runs one command under GNU time (or a tiny Python launcher when GNU time is not
installed) and reaps it with ``os.wait4``: wall clock measured here, user and system CPU
seconds of that command alone (``RUSAGE_CHILDREN`` would mix in every earlier child), and
its peak resident set size as reported by the wrapper (see ``_wrap`` for why the command is
not started straight from the benchmark process).

Peers, run one core each on the same corpus and a 10,000-entry dictionary:
- codespell: ``codespell -D dict.txt DIR`` (``-D`` alone replaces its builtin dictionary),
  and with ``-w`` on a copy of the corpus;
- typos: ``typos --isolated --config cfg.toml --threads 1 --no-ignore DIR``, and with
  ``--write-changes`` on a copy. typos' builtin dictionary cannot be switched off; the
  entries are added with ``[default.extend-words]``. ``--isolated`` keeps it from picking
  up a config file of the project it runs in, ``--no-ignore`` from skipping a corpus that
  sits in a git-ignored folder, ``--threads 1`` makes the figure per core.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path


class ToolMissingError(RuntimeError):
    """A peer tool is not installed (``pip install -e '.[bench]'`` installs both)."""


@dataclass(frozen=True)
class Measurement:
    """One process: what ran, how long, how much CPU and memory, and where its output is."""

    command: tuple[str, ...]
    wall_s: float
    user_s: float
    sys_s: float
    peak_rss_mb: float
    returncode: int
    stdout: Path
    stderr: Path
    steal_s: float | None = None  # the machine's, during the run (``Steal``)

    @property
    def cpu_s(self) -> float:
        return self.user_s + self.sys_s

    def lines(self, marker: str) -> int:
        """Lines of stdout and stderr containing ``marker`` (one a finding, for the peers)."""
        needle = marker.encode()
        total = 0
        for path in (self.stdout, self.stderr):
            with path.open("rb") as handle:
                total += sum(1 for line in handle if needle in line)
        return total

    def to_dict(self) -> dict[str, object]:
        return {
            "command": list(self.command),
            "wall_s": round(self.wall_s, 3),
            "user_s": round(self.user_s, 3),
            "sys_s": round(self.sys_s, 3),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "returncode": self.returncode,
            "steal_s": self.steal_s,
        }


class Steal:
    """CPU time the hypervisor gave to other work while a run wanted it (the ``steal``
    column of /proc/stat, summed over the machine's CPUs), in seconds; None off Linux.

    On a virtual machine the host does the disk writes of its guests on host cores that
    also run the guest's virtual CPUs: a run that keeps every virtual CPU busy pays for its
    own writes in stolen time, one that leaves a CPU idle does not. With 2 cores that is a
    2-job run against a 1-job run, so the report shows it beside each run."""

    def __init__(self) -> None:
        self._start = self.now()

    @staticmethod
    def now() -> float | None:
        try:
            with open("/proc/stat", encoding="ascii") as handle:
                fields = handle.readline().split()
        except OSError:
            return None
        if len(fields) < 9 or fields[0] != "cpu":
            return None
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")

    def seconds(self) -> float | None:
        end = self.now()
        if end is None or self._start is None:
            return None
        return round(end - self._start, 2)


def settle(inputs: Path | None = None) -> None:
    """What every timed run starts from (not timed): nothing left for the kernel to write
    back from an earlier step (a copy of the corpus, an earlier run's output), which would
    land on the run being timed; and its input in the page cache, read once, since a
    kernel may page out files nobody read lately (this machine's does) and a run should
    not time the disk for the tool that happens to read a file first."""
    os.sync()
    if inputs is None:
        return
    files = [inputs] if inputs.is_file() else sorted(p for p in inputs.rglob("*") if p.is_file())
    for path in files:
        with contextlib.suppress(OSError), path.open("rb") as handle:
            while handle.read(1 << 20):
                pass


_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as handle:
    handle.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


@cache
def _gnu_time() -> str | None:
    """GNU time, if installed: it reports its child's peak RSS with ``-f %M``."""
    path = shutil.which("time") or "/usr/bin/time"
    if not Path(path).is_file():
        return None
    try:
        done = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return path if "GNU" in done.stdout + done.stderr else None


def _wrap(command: Sequence[str], rss_file: Path) -> list[str]:
    """``command`` under a small parent that records its peak RSS (in KB) to ``rss_file``.

    The command cannot be started straight from this process: a forked child's peak RSS
    includes the parent's memory it held before exec (Linux keeps the high-water mark across
    exec), and the benchmark process is large (word lists). GNU time is small; without it a
    minimal Python launcher is used (peak RSS then has a floor of about 10 MB).
    """
    gnu = _gnu_time()
    if gnu is not None:
        return [gnu, "-f", "%M", "-o", str(rss_file), *command]
    return [sys.executable, "-S", "-c", _LAUNCHER, str(rss_file), *command]


def _read_rss_mb(rss_file: Path) -> float:
    try:
        last = rss_file.read_text(encoding="utf-8").split()[-1]
        kb = int(last)
    except (OSError, IndexError, ValueError):
        return float("nan")
    # Linux reports kilobytes; macOS's ru_maxrss (launcher) is in bytes.
    return kb / (1024 * 1024) if sys.platform == "darwin" and _gnu_time() is None else kb / 1024


def timed(
    command: Sequence[str],
    log_dir: Path,
    name: str,
    ok: Sequence[int] = (0,),
    cwd: Path | None = None,
    timeout: float | None = None,
) -> Measurement:
    """Run ``command`` once with output to ``log_dir/name.{out,err}``; fail on other codes.

    Wall clock is measured here; CPU time comes from ``os.wait4`` on the wrapper (it includes
    the command, which the wrapper reaps), peak RSS from the wrapper's report. After
    ``timeout`` seconds the command's process group (its own session) is killed and
    ``TimeoutError`` raised, so that a hung tool cannot hang the benchmark.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / f"{name}.out", log_dir / f"{name}.err"
    rss_file = log_dir / f"{name}.rss"
    rss_file.unlink(missing_ok=True)
    with out_path.open("wb") as out, err_path.open("wb") as err:
        steal = Steal()
        start = time.perf_counter()
        proc = subprocess.Popen(
            _wrap(command, rss_file), stdout=out, stderr=err, cwd=cwd, start_new_session=True
        )
        fired = threading.Event()
        timer = threading.Timer(timeout, _kill_group, (proc.pid, fired)) if timeout else None
        if timer is not None:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if timer is not None:
            timer.cancel()
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if fired.is_set():
        raise TimeoutError(f"{' '.join(command)} killed after {timeout:g} s")
    if code not in ok:
        tail = err_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(command)} exited {code}:\n{tail}")
    return Measurement(
        tuple(command),
        wall,
        usage.ru_utime,
        usage.ru_stime,
        _read_rss_mb(rss_file),
        code,
        out_path,
        err_path,
        steal.seconds(),
    )


def _kill_group(pid: int, fired: threading.Event) -> None:
    fired.set()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def find_tool(name: str) -> str:
    """The tool beside the running interpreter (the project's venv), else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise ToolMissingError(
            f"{name} not found; install the bench extra: pip install -e '.[bench]'"
        )
    return found


def cleantext_base() -> list[str]:
    """How to start cleantext: its console script, else ``python -m cleantext.cli``."""
    try:
        return [find_tool("cleantext")]
    except ToolMissingError:
        return [sys.executable, "-m", "cleantext.cli"]


def tool_version(name: str) -> str:
    try:
        done = subprocess.run(
            [find_tool(name), "--version"], capture_output=True, text=True, check=False
        )
    except (ToolMissingError, OSError):
        return "missing"
    lines = (done.stdout or done.stderr).strip().splitlines()
    first = lines[0] if lines else "?"
    return first if name in first else f"{name} {first}"


def fresh_copy(source: Path, target: Path) -> Path:
    """A copy of the corpus for a tool that rewrites files in place (not timed)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return target


@dataclass(frozen=True)
class PeerRun:
    """One peer run: ``mode`` is ``detect`` or ``write``; ``folder`` holds the output."""

    tool: str
    mode: str
    entries: int
    measurement: Measurement
    findings: int | None  # reported errors (typos --write-changes reports none)
    folder: Path | None


def codespell(
    corpus: Path,
    dictionary: Path,
    entries: int,
    work: Path,
    write: bool,
    timeout: float | None = None,
) -> PeerRun:
    """codespell with only our dictionary; ``write`` fixes a copy of the corpus in place."""
    target = fresh_copy(corpus, work / "codespell-write") if write else corpus
    settle(target)
    command = [find_tool("codespell"), "-D", str(dictionary)]
    command += ["-w", str(target)] if write else [str(target)]
    mode = "write" if write else "detect"
    result = timed(command, work / "logs", f"codespell-{mode}", ok=(0, 65), timeout=timeout)
    return PeerRun(
        "codespell", mode, entries, result, result.lines("==>"), target if write else None
    )


def typos(
    corpus: Path,
    config: Path,
    entries: int,
    work: Path,
    write: bool,
    timeout: float | None = None,
) -> PeerRun:
    """typos with our entries added to its builtin dictionary, on one thread."""
    target = fresh_copy(corpus, work / "typos-write") if write else corpus
    settle(target)
    command = [find_tool("typos"), "--isolated", "--config", str(config), "--threads", "1"]
    command += ["--no-ignore", "--format", "brief", "--color", "never"]
    command += ["--write-changes", str(target)] if write else [str(target)]
    mode = "write" if write else "detect"
    result = timed(command, work / "logs", f"typos-{mode}", ok=(0, 2), timeout=timeout)
    findings = None if write else result.lines("` should be `")
    return PeerRun("typos", mode, entries, result, findings, target if write else None)


MODES = (("codespell", False), ("codespell", True), ("typos", False), ("typos", True))


def run_all(
    corpus: Path,
    files: dict[str, Path],
    entries: int,
    work: Path,
    repeat: int = 1,
    timeout: float | None = None,
) -> Iterator[list[PeerRun]]:
    """Each peer, detect then write (``MODES``), ``repeat`` runs each, with its dictionary
    from ``files`` (by tool); a peer that is not installed is skipped with a note."""
    for tool, write in MODES:
        runner = codespell if tool == "codespell" else typos
        try:
            runs = [
                runner(corpus, files[tool], entries, work, write, timeout) for _ in range(repeat)
            ]
        except ToolMissingError as exc:
            print(f"skipped: {exc}", file=sys.stderr)
            continue
        yield runs
