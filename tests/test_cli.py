"""The command line: exit codes, output formats, writing modes, faithful bytes, and one-line
errors for every bad input. Most runs call ``cleantext.cli.main`` in-process; the error
cases also run the installed command in a subprocess, to see what a user sees."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import support

GARBLED = "Openai released the the model.\nPremier Lee Qiang agreed, Xi Jinpeng said.\n"
FIXED = "OpenAI released the model.\nPremier Li Qiang agreed, Xi Jinping said.\n"
CLEAN = "The talks ended on Friday.\nBoth sides said they would meet again.\n"
KEYS = {
    "file",
    "start",
    "end",
    "line",
    "column",
    "original",
    "replacement",
    "rule",
    "category",
    "confidence",
    "message",
}


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, computed the obvious way."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def records(result: support.Result) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.text.splitlines() if line.strip()]


# -- check: exit codes and formats -----------------------------------------------------------


def test_check_exit_codes(tmp_path: Path) -> None:
    clean = write(tmp_path / "clean.txt", CLEAN)
    garbled = write(tmp_path / "garbled.txt", GARBLED)
    assert support.run(["check", str(clean)]).code == 0
    assert support.run(["check", str(clean)]).out == b""
    assert support.run(["check", str(garbled)]).code == 1
    assert support.run(["check", str(clean), str(garbled)]).code == 1
    assert support.run(["check", str(tmp_path / "missing.txt")]).code == 2


def test_check_text_format_is_file_line_column(tmp_path: Path) -> None:
    garbled = write(tmp_path / "garbled.txt", GARBLED)
    result = support.run(["check", str(garbled)])
    lines = result.text.splitlines()
    assert len(lines) >= 4
    expected = {
        position(GARBLED, GARBLED.index(word))
        for word in ["Openai", " the model", "Lee Qiang", "Xi Jinpeng"]
    }
    seen = set()
    for line in lines:
        m = re.match(
            rf"^{re.escape(str(garbled))}:(\d+):(\d+): (\S+) \[(auto|review|flag)\] ", line
        )
        assert m, line
        seen.add((int(m.group(1)), int(m.group(2))))
        assert "->" in line or "no fix known" in line
    assert expected <= seen


def test_check_json_lines(tmp_path: Path) -> None:
    text = "“Quote” 中文 😀 first line.\r\n" + GARBLED
    garbled = write(tmp_path / "garbled.txt", text)
    result = support.run(["check", "--format", "json", str(garbled)])
    assert result.code == 1
    found = records(result)
    assert len(found) >= 4
    for record in found:
        assert KEYS <= set(record) <= KEYS | {"alternatives"}, record
        start, end = record["start"], record["end"]
        assert isinstance(start, int) and isinstance(end, int)
        assert text[start:end] == record["original"]
        assert (record["line"], record["column"]) == position(text, start)
        assert record["file"] == str(garbled)
        assert record["confidence"] in ("auto", "review", "flag")


def test_json_offsets_with_a_bom(tmp_path: Path) -> None:
    """Offsets count characters of the decoded text: the BOM is not one of them."""
    path = write(tmp_path / "bom.txt", codecs.BOM_UTF8 + GARBLED.encode())
    [first, *_] = records(support.run(["check", "--format", "json", str(path)]))
    assert (first["start"], first["original"]) == (0, "Openai")


# -- fix: stdin, stdout, --diff, --write, --out ---------------------------------------------------


def test_fix_stdin_to_stdout() -> None:
    result = support.run(["fix", "-"], stdin=GARBLED.encode())
    assert (result.code, result.text, result.err) == (0, FIXED, "")


def test_fix_file_to_stdout_leaves_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", GARBLED)
    result = support.run(["fix", str(path)])
    assert (result.code, result.text) == (0, FIXED)
    assert path.read_text(encoding="utf-8") == GARBLED


def test_fix_several_files_needs_a_mode(tmp_path: Path) -> None:
    a, b = write(tmp_path / "a.txt", GARBLED), write(tmp_path / "b.txt", GARBLED)
    result = support.run(["fix", str(a), str(b)])
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1


def test_fix_diff_exit_codes(tmp_path: Path) -> None:
    garbled = write(tmp_path / "garbled.txt", GARBLED)
    clean = write(tmp_path / "clean.txt", CLEAN)
    pending = support.run(["fix", "--diff", str(garbled)])
    assert pending.code == 1
    assert "-Openai released the the model." in pending.text
    assert "+OpenAI released the model." in pending.text
    assert garbled.read_text(encoding="utf-8") == GARBLED, "--diff wrote the file"
    nothing = support.run(["fix", "--diff", str(clean)])
    assert (nothing.code, nothing.out) == (0, b"")


def test_fix_write_is_atomic_and_keeps_a_backup(tmp_path: Path) -> None:
    garbled = write(tmp_path / "garbled.txt", GARBLED)
    clean = write(tmp_path / "clean.txt", CLEAN)
    garbled.chmod(0o640)
    result = support.run(["fix", "--write", str(tmp_path)])
    assert result.code == 0, result.err
    assert garbled.read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "garbled.txt.orig").read_text(encoding="utf-8") == GARBLED
    assert garbled.stat().st_mode & 0o777 == 0o640
    assert clean.read_text(encoding="utf-8") == CLEAN
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "clean.txt",
        "garbled.txt",
        "garbled.txt.orig",
    ], "a temporary file was left behind, or an unchanged file was rewritten"


def test_fix_write_no_backup(tmp_path: Path) -> None:
    garbled = write(tmp_path / "garbled.txt", GARBLED)
    assert support.run(["fix", "--write", "--no-backup", str(garbled)]).code == 0
    assert garbled.read_text(encoding="utf-8") == FIXED
    assert [p.name for p in tmp_path.iterdir()] == ["garbled.txt"]


def test_fix_out_mirrors_folders(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write(src / "a.txt", GARBLED)
    write(src / "deep" / "b.txt", CLEAN)
    result = support.run(["fix", "--out", str(out), str(src)])
    assert result.code == 0, result.err
    assert (out / "a.txt").read_text(encoding="utf-8") == FIXED
    assert (out / "deep" / "b.txt").read_text(encoding="utf-8") == CLEAN
    assert (src / "a.txt").read_text(encoding="utf-8") == GARBLED


def test_fix_out_single_file(tmp_path: Path) -> None:
    path = write(tmp_path / "in" / "a.txt", GARBLED)
    assert support.run(["fix", "--out", str(tmp_path / "out"), str(path)]).code == 0
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == FIXED


def test_folders_walked_for_txt_and_glob(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", GARBLED)
    write(tmp_path / "sub" / "b.txt", GARBLED)
    write(tmp_path / "c.md", GARBLED)
    write(tmp_path / "d.csv", GARBLED)

    def files(*extra: str) -> set[str]:
        found = records(support.run(["check", "--format", "json", *extra, str(tmp_path)]))
        return {Path(str(r["file"])).name for r in found}

    assert files() == {"a.txt", "b.txt"}
    assert files("--glob", "*.md") == {"c.md"}
    assert files("--glob", "*.md", "--glob", "*.txt") == {"a.txt", "b.txt", "c.md"}


# -- bytes kept: BOM, CRLF, no final newline ---------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        codecs.BOM_UTF8 + GARBLED.encode(),
        GARBLED.replace("\n", "\r\n").encode(),
        GARBLED.rstrip("\n").encode(),
        codecs.BOM_UTF8 + GARBLED.replace("\n", "\r\n").rstrip("\r\n").encode(),
        GARBLED.replace("\n", "\r").encode(),
    ],
    ids=["bom", "crlf", "no-final-newline", "bom-crlf-no-final-newline", "cr"],
)
def test_encoding_and_line_endings_round_trip(tmp_path: Path, raw: bytes) -> None:
    def expected(body: bytes) -> bytes:
        fixed = FIXED.encode()
        if b"\r\n" in body:
            fixed = fixed.replace(b"\n", b"\r\n")
        elif b"\r" in body:
            fixed = fixed.replace(b"\n", b"\r")
        if not body.endswith((b"\n", b"\r")):
            fixed = fixed.rstrip(b"\r\n")
        return (codecs.BOM_UTF8 if body.startswith(codecs.BOM_UTF8) else b"") + fixed

    path = write(tmp_path / "doc.txt", raw)
    assert support.run(["fix", "-"], stdin=raw).out == expected(raw)
    assert support.run(["fix", str(path)]).out == expected(raw)
    assert support.run(["fix", "--write", str(path)]).code == 0
    assert path.read_bytes() == expected(raw)
    assert (tmp_path / "doc.txt.orig").read_bytes() == raw


@pytest.mark.parametrize(
    "raw",
    [
        CLEAN.replace("\n", "\r\n").encode(),
        codecs.BOM_UTF8 + CLEAN.encode(),
        CLEAN.rstrip("\n").encode(),
        b"\r\n\r\n" + CLEAN.replace("\n", "\r\n").encode() + b"\r\n\r\n",
        "Mixed\r\nline\nendings\r\n “curly” 中文 😀\n".encode(),
    ],
)
def test_clean_bytes_unchanged(tmp_path: Path, raw: bytes) -> None:
    path = write(tmp_path / "clean.txt", raw)
    assert support.run(["fix", "-"], stdin=raw).out == raw
    assert support.run(["fix", "--write", str(path)]).code == 0
    assert path.read_bytes() == raw
    assert not (tmp_path / "clean.txt.orig").exists()


# -- switching the glossary and the packs ---------------------------------------------------------


def test_no_glossary_and_no_rules(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", GARBLED)
    no_glossary = support.run(["fix", "--no-glossary", str(path)]).text
    assert "Openai" in no_glossary and "Lee Qiang" in no_glossary
    assert "the the" not in no_glossary  # the packs still run
    no_rules = support.run(["fix", "--rules", "none", str(path)]).text
    assert "the the" in no_rules  # no packs
    assert "Li Qiang" in no_rules and "Xi Jinping" in no_rules  # the glossary runs
    neither = support.run(["fix", "--rules", "none", "--no-glossary", str(path)])
    assert neither.text == GARBLED
    assert support.run(["check", "--rules", "none", "--no-glossary", str(path)]).code == 0


def test_extra_glossary_and_rules_folder(tmp_path: Path) -> None:
    glossary = write(
        tmp_path / "mine.csv",
        "wrong,right,case,when,unless,confidence,note\ncolour,color,preserve,,,auto,US spelling\n",
    )
    rules = tmp_path / "rules"
    write(
        rules / "mine.yaml",
        "- id: mine.towards\n  kind: substitution\n  confidence: auto\n"
        "  message: US usage\n  swap: {towards: toward}\n"
        "  examples: {flag: [{text: towards it, fixed: toward it}], keep: [toward it]}\n",
    )
    path = write(tmp_path / "a.txt", "Colour walked towards the the door.\n")
    result = support.run(["fix", "--glossary", str(glossary), "--rules", str(rules), str(path)])
    # the user's pack replaces the bundled packs ("the the" stays); the glossary adds a row
    assert result.text == "Color walked toward the the door.\n"


def test_project_glossary_found_upwards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path / "glossary.csv",
        "wrong,right,case,when,unless,confidence,note\ncolour,color,preserve,,,auto,\n",
    )
    deep = tmp_path / "a" / "b"
    path = write(deep / "doc.txt", "The colour of Lee Qiang's speech in Beijing.\n")
    monkeypatch.chdir(deep)
    assert support.run(["fix", str(path)]).text == "The color of Li Qiang's speech in Beijing.\n"


# -- bad input: one line naming the file, exit 2, no traceback ------------------------------------


def bad_glossary(tmp_path: Path, body: str) -> list[str]:
    path = write(tmp_path / "bad.csv", body)
    return ["--glossary", str(path)]


def bad_pack(tmp_path: Path, body: str) -> list[str]:
    write(tmp_path / "rules" / "bad.yaml", body)
    return ["--rules", str(tmp_path / "rules")]


HEADER = "wrong,right,case,when,unless,confidence,note\n"
PACK = "- id: demo.rule\n  message: m\n  examples: {{flag: [x], keep: [y]}}\n{}"
Case = tuple[Callable[[Path], list[str]], str, int | None, str]
CASES: dict[str, Case] = {
    # name: (argv after the command, file named in the message, its line or None, a word)
    "missing path": (lambda d: [str(d / "nope.txt")], "nope.txt", None, "no such"),
    "binary file": (
        lambda d: [str(write(d / "bin.txt", b"PK\x03\x04\x00\x00binary"))],
        "bin.txt",
        None,
        "binary",
    ),
    "non-UTF-8 file": (
        lambda d: [str(write(d / "latin1.txt", b"ok\nfine\ncaf\xe9 au lait\n"))],
        "latin1.txt",
        3,
        "UTF-8",
    ),
    "broken CSV row": (
        lambda d: [*bad_glossary(d, HEADER + 'foo,bar\nfoo2,"bar\n'), str(d / "ok.txt")],
        "bad.csv",
        3,
        "CSV",
    ),
    "wrong header": (
        lambda d: [*bad_glossary(d, "wrong,right\nfoo,bar\n"), str(d / "ok.txt")],
        "bad.csv",
        1,
        "header",
    ),
    "bad regex in a pack": (
        lambda d: [
            *bad_pack(d, PACK.format("  kind: substitution\n  swap: {'(unclosed': x}\n")),
            str(d / "ok.txt"),
        ],
        "bad.yaml",
        1,
        "demo.rule",
    ),
    "broken YAML in a pack": (
        lambda d: [*bad_pack(d, PACK.format("  kind: [substitution\n")), str(d / "ok.txt")],
        "bad.yaml",
        5,  # where the parser found the list unclosed: the end of the file
        "not valid YAML",
    ),
    "unknown kind in a pack": (
        lambda d: [*bad_pack(d, PACK.format("  kind: teleport\n")), str(d / "ok.txt")],
        "bad.yaml",
        1,
        "teleport",
    ),
}


def assert_one_line_error(result: support.Result, name: str, line: int | None, word: str) -> None:
    assert result.code == 2, (result.code, result.err)
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    message = lines[0]
    assert name in message and word.lower() in message.lower(), message
    if line is not None:
        assert re.search(rf"{re.escape(name)}:{line}\b", message), message
    assert result.out == b""


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("command", ["check", "fix"])
def test_bad_input_in_process(tmp_path: Path, case: str, command: str) -> None:
    make, name, line, word = CASES[case]
    write(tmp_path / "ok.txt", GARBLED)
    result = support.run([command, *make(tmp_path)])
    assert_one_line_error(result, name, line, word)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_subprocess(tmp_path: Path, case: str) -> None:
    make, name, line, word = CASES[case]
    write(tmp_path / "ok.txt", GARBLED)
    result = support.run_process(["check", *make(tmp_path)], cwd=tmp_path)
    assert_one_line_error(result, name, line, word)


@pytest.mark.parametrize(
    "argv",
    [["check", "--bogus", "x.txt"], ["fix", "--write", "--out", "d", "-"], ["frobnicate"], []],
)
def test_usage_errors(argv: list[str], tmp_path: Path) -> None:
    for result in (support.run(argv), support.run_process(argv, cwd=tmp_path)):
        assert result.code == 2, result
        assert "Traceback" not in result.err
        assert len(result.err.strip().splitlines()) == 1, result.err
        assert result.err.startswith("cleantext")


def test_usage_error_hint_names_the_command() -> None:
    result = support.run(["check", "--bogus", "x.txt"])
    assert "'cleantext check --help'" in result.err, result.err


def test_real_command_end_to_end(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", GARBLED)
    result = support.run_process(["fix", "-"], stdin=path.read_bytes(), cwd=tmp_path)
    assert (result.code, result.text) == (0, FIXED)
    listing = support.run_process(["check", "--format", "json", "a.txt"], cwd=tmp_path)
    assert listing.code == 1 and all(r["file"] == "a.txt" for r in records(listing))


@pytest.fixture
def failing_rename(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rename fails as on a full disk: the last step of an atomic write."""

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", fail)


@pytest.mark.usefixtures("failing_rename")
def test_write_interrupted_leaves_the_file_whole(tmp_path: Path) -> None:
    """A failure at the rename (disk full, a crash) leaves the old file and no debris."""
    garbled = write(tmp_path / "garbled.txt", GARBLED)
    result = support.run(["fix", "--write", "--no-backup", str(garbled)])
    assert result.code != 0
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1
    assert garbled.read_text(encoding="utf-8") == GARBLED
    assert [p.name for p in tmp_path.iterdir()] == ["garbled.txt"]


@pytest.mark.usefixtures("failing_rename")
def test_write_failure_is_an_input_output_error(tmp_path: Path) -> None:
    garbled = write(tmp_path / "garbled.txt", GARBLED)
    result = support.run(["fix", "--write", str(garbled)])
    assert_one_line_error(result, str(garbled), None, "space")


def test_out_folder_that_cannot_be_made_is_one_line_error(tmp_path: Path) -> None:
    """--out over an existing file: the writes happen behind the engine (WriteBehind), and
    their failure still reaches the user as one line and exit 2, not a thread's traceback."""
    write(tmp_path / "in" / "a.txt", GARBLED)
    blocker = write(tmp_path / "out", "a file where the output folder should go")
    result = support.run(["fix", str(tmp_path / "in"), "--out", str(blocker)])
    assert result.code == 2, result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "out" in result.err and "Traceback" not in result.err
    assert blocker.read_text() == "a file where the output folder should go"


def test_out_writes_every_file_in_order_of_input(tmp_path: Path) -> None:
    """Many files through the write-behind thread: every one lands, each with its own text."""
    for n in range(30):
        write(tmp_path / "in" / f"d{n:02}" / "a.txt", f"Openai said {n}.\n")
    result = support.run(["fix", str(tmp_path / "in"), "--out", str(tmp_path / "out")])
    assert result.code == 0, result.err
    for n in range(30):
        text = (tmp_path / "out" / f"d{n:02}" / "a.txt").read_text()
        assert text == f"OpenAI said {n}.\n"


def test_python_dash_m_runs_the_same_command_line(tmp_path: Path) -> None:
    """``python -m cleantext fix -`` cleans stdin like the installed script does."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "cleantext", "fix", "-"],
        input=GARBLED.encode(),
        capture_output=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == FIXED


def test_file_named_twice_is_fixed_once_and_its_backup_is_the_original(tmp_path: Path) -> None:
    """Writes happen behind the engine: a file reached twice (by name and through its
    folder) must still end up fixed, with its untouched text in FILE.orig."""
    path = write(tmp_path / "docs" / "a.txt", GARBLED)
    result = support.run(["fix", "--write", str(path), str(tmp_path / "docs"), str(path)])
    assert result.code == 0, result.err
    assert path.read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "docs" / "a.txt.orig").read_text(encoding="utf-8") == GARBLED


def test_check_reports_a_file_reached_twice_once(tmp_path: Path) -> None:
    path = write(tmp_path / "docs" / "a.txt", GARBLED)
    once = support.run(["check", str(path)])
    twice = support.run(["check", str(path), str(tmp_path / "docs")])
    assert once.code == twice.code == 1
    assert twice.out == once.out
