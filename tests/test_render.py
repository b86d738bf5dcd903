"""`cleantext render` and `fix --template`: the bundled templates on real files, the txt
round trip byte for byte (CRLF, BOM, no final newline), one JSONL line per document with the
record fields, the template context (segments rebuild both texts), user templates in the
sandbox, and every template problem as one line naming the file and line, exit 2."""

from __future__ import annotations

import codecs
import json
import random
from functools import cache
from pathlib import Path

import pytest

import support
from cleantext import config, context, document, engine, records
from cleantext.model import Confidence, Edit
from cleantext.textops import apply_edits

CLEAN = "The talks ended on Friday.\nBoth sides said they would meet again.\n"
GARBLED = "Openai released the the model.\nPremier Lee Qiang agreed, Xi Jinpeng said.\n"

# Files with no edits to make, in every shape a file can come in.
UNTOUCHED = {
    "lf": CLEAN.encode(),
    "crlf": CLEAN.replace("\n", "\r\n").encode(),
    "bom": codecs.BOM_UTF8 + CLEAN.encode(),
    "bom-crlf-no-final-newline": codecs.BOM_UTF8 + CLEAN.replace("\n", "\r\n").rstrip().encode(),
    "no-final-newline": CLEAN.rstrip("\n").encode(),
    "mixed-endings": b"The talks ended.\r\nBoth sides met.\nThey will meet again.\r",
    "empty": b"",
    "unicode-separators": "A line\u2028with a separator\u2029and more.\n".encode(),
}


@pytest.fixture(autouse=True)
def _own_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outputs (``--out o``) go to this test's own folder, never a folder another test shares."""
    monkeypatch.chdir(tmp_path)


@cache
def cfg() -> config.Config:
    return config.load(None, None, True)


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize("shape", sorted(UNTOUCHED))
def test_txt_of_a_document_with_no_edits_is_byte_identical(tmp_path: Path, shape: str) -> None:
    data = UNTOUCHED[shape]
    source = write(tmp_path / "in" / "doc.txt", data)
    assert engine.fix(document.load(source).text, cfg(), unsafe=True)[1] == []
    out = support.run(["render", str(source), "--template", "txt", "--unsafe"])
    assert out.code == 0, out.err
    assert out.out == data
    done = support.run(["render", str(tmp_path / "in"), "--template", "txt", "--out", "o"])
    assert done.code == 0, done.err
    assert Path("o/doc.txt").read_bytes() == data


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_txt_of_an_edited_document_is_fix_output_with_bom_and_endings(
    tmp_path: Path, newline: str
) -> None:
    data = codecs.BOM_UTF8 + GARBLED.replace("\n", newline).encode()
    source = write(tmp_path / "g.txt", data)
    rendered = support.run(["render", str(source), "--template", "txt"])
    fixed = support.run(["fix", str(source)])
    assert rendered.code == fixed.code == 0
    assert rendered.out == fixed.out != data
    assert rendered.out.startswith(codecs.BOM_UTF8)
    assert rendered.out.count(newline.encode()) == 2


def test_jsonl_writes_one_line_per_document_with_the_record_fields(tmp_path: Path) -> None:
    done = support.run(["render", str(support.SEEDS), "--template", "jsonl", "--out", "out"])
    assert done.code == 0, done.err
    lines = Path("out/documents.jsonl").read_text(encoding="utf-8").splitlines()
    seeds = sorted(support.SEEDS.glob("*.txt"))
    assert len(lines) == len(seeds)
    for line, seed in zip(lines, seeds, strict=True):
        record = json.loads(line)
        text = document.load(seed).text
        proposals = engine.propose(text, cfg())
        cleaned, applied = engine.fix(text, cfg())
        expected = records.document_record(
            seed.stem, text, cleaned, proposals, applied, path=str(seed)
        )
        assert list(record) == list(expected)
        assert record == json.loads(json.dumps(expected))
        replay = [Edit(**{**e, "confidence": Confidence(e["confidence"])}) for e in record["edits"]]
        assert apply_edits(record["original"], replay) == record["text"]
    stdout = support.run(["render", str(support.SEEDS), "--template", "jsonl"])
    assert stdout.code == 0 and len(stdout.text.splitlines()) == len(seeds)


def test_every_bundled_template_renders_every_seed(tmp_path: Path) -> None:
    names = ["txt", "md", "html", "jsonl", "patch", "unified"]
    for name in names:
        done = support.run(
            ["render", str(support.SEEDS), "--template", name, "--out", f"o-{name}", "--unsafe"]
        )
        assert done.code == 0, (name, done.err)
    suffixes = {p.suffix for name in names for p in Path(f"o-{name}").iterdir()}
    assert suffixes == {".txt", ".md", ".html", ".jsonl", ".patch", ".diff"}
    seed = support.SEEDS / "003_3ef16e2790e2e6b0.txt"
    text = document.load(seed).text
    _, applied = engine.fix(text, cfg(), unsafe=True)
    md = Path("o-md/003_3ef16e2790e2e6b0.md").read_text(encoding="utf-8")
    for edit in applied:
        if edit.original.strip() and edit.replacement and edit.replacement.strip():
            assert f"~~{edit.original}~~**{edit.replacement}**" in md
        assert f"`{edit.rule}`" in md


def test_fix_template_writes_what_render_writes(tmp_path: Path) -> None:
    args = [str(support.SEEDS), "--template", "html", "--unsafe"]
    assert support.run(["render", *args, "--out", "r"]).code == 0
    assert support.run(["fix", *args, "--out", "f"]).code == 0
    rendered = sorted(Path("r").iterdir())
    assert [p.name for p in rendered] == [p.name for p in sorted(Path("f").iterdir())]
    for path in rendered:
        assert path.read_bytes() == (Path("f") / path.name).read_bytes()
    clash = support.run(["fix", *args, "--write"])
    assert clash.code == 2 and "--template" in clash.err


def test_several_files_need_out_unless_the_template_combines(tmp_path: Path) -> None:
    done = support.run(["render", str(support.SEEDS), "--template", "html"])
    assert done.code == 2 and "--out" in done.err and done.out == b""


def test_html_escapes_the_document(tmp_path: Path) -> None:
    source = write(tmp_path / "x.txt", "<script>alert('Openai')</script> & more\n")
    done = support.run(["render", str(source), "--template", "html"])
    assert done.code == 0
    assert "<script>" not in done.text
    assert "&lt;script&gt;" in done.text


def test_user_html_templates_autoescape_and_txt_ones_do_not(tmp_path: Path) -> None:
    source = write(tmp_path / "x.txt", "a <b> & c\n")
    html = write(tmp_path / "mine.html.j2", "{{ text }}")
    txt = write(tmp_path / "mine.j2", "{{ text }}")
    as_html = support.run(["render", str(source), "--template", str(html), "--out", "o"])
    as_txt = support.run(["render", str(source), "--template", str(txt), "--out", "o"])
    assert as_html.code == as_txt.code == 0
    assert Path("o/x.html").read_text(encoding="utf-8") == "a &lt;b&gt; &amp; c\n"
    assert Path("o/x.txt").read_text(encoding="utf-8") == "a <b> & c\n"


def test_the_documented_custom_template_runs(tmp_path: Path) -> None:
    """The example in docs/templates.md, copied from the file so the two cannot drift."""
    doc = (support.ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    example = doc.split("```jinja\n", 1)[1].split("```", 1)[0]
    template = write(tmp_path / "changes.md.j2", example)
    source = write(tmp_path / "g.txt", GARBLED)
    done = support.run(["render", str(source), "--template", str(template)])
    assert done.code == 0, done.err
    text = document.load(source).text
    _, applied = engine.fix(text, cfg())
    assert applied
    for edit in applied:
        assert edit.rule in done.text
    assert "g.txt" in done.text


@pytest.mark.parametrize(
    ("body", "line", "says"),
    [
        ("ok\n{{ ''.__class__.__mro__ }}\n", 2, "unsafe"),
        ("ok\n{{ text.__len__() }}\n", 2, "unsafe"),
        ("ok\nfine\n{% if %}\n", 3, "Expected an expression"),
        ("{{ document.path }}\n{{ no_such_name.x }}\n", 2, "undefined"),
        ("{% for e in edits %}{{ e.nope }}{% endfor %}{{ 1 / 0 }}\n", 1, "division"),
    ],
)
def test_template_problems_are_one_line_with_file_and_line(
    tmp_path: Path, body: str, line: int, says: str
) -> None:
    template = write(tmp_path / "bad.j2", body)
    source = write(tmp_path / "x.txt", "text\n")
    done = support.run_process(["render", str(source), "--template", str(template)])
    assert done.code == 2, done.err
    assert done.err.count("\n") == 1 and "Traceback" not in done.err
    assert f"bad.j2:{line}:" in done.err and says in done.err


def test_an_unknown_template_lists_the_bundled_ones(tmp_path: Path) -> None:
    source = write(tmp_path / "x.txt", "text\n")
    done = support.run(["render", str(source), "--template", "pdf"])
    assert done.code == 2 and "unknown template" in done.err and "html" in done.err
    missing = support.run(["render", str(source), "--template", "nope/x.j2"])
    assert missing.code == 2 and "no such template file" in missing.err


# --- the context ----------------------------------------------------------------------------


@pytest.mark.parametrize("unsafe", [False, True])
@pytest.mark.parametrize("name", support.seed_names())
def test_segments_rebuild_both_texts_and_mark_every_applied_edit(name: str, unsafe: bool) -> None:
    doc = document.load(support.SEEDS / f"{name}.txt")
    ctx = context.for_fix(doc, cfg(), unsafe=unsafe)
    _, applied = engine.fix(doc.text, cfg(), unsafe=unsafe)
    segments = ctx["segments"]
    assert "".join(s["text"] for s in segments if s["kind"] != "delete") == ctx["text"]
    assert "".join(s["text"] for s in segments if s["kind"] != "insert") == doc.text
    marked = {s["edit"] for s in segments if s["kind"] in ("delete", "insert")}
    assert marked == set(range(1, len(applied) + 1))
    assert ctx["summary"]["applied"] == len(applied) == len(ctx["edits"])
    assert ctx["stats"]["by_confidence"] == ctx["summary"]["confidence"]
    glossary = cfg().glossary
    assert glossary is not None and ctx["glossary_digest"] == glossary.digest != ""
    assert ctx["rules_digest"] == cfg().rules_digest


def test_segments_of_random_edits_rebuild_the_texts() -> None:
    rng = random.Random(7)
    text = "".join(rng.choice("ab \n\r") for _ in range(400))
    for _ in range(50):
        cuts = sorted(rng.sample(range(len(text) + 1), 12))
        edits = [
            Edit(a, b, text[a:b], rng.choice(["", "X", "yz"]), "r", "term", "m", Confidence.AUTO)
            for a, b in zip(cuts[::2], cuts[1::2], strict=True)
        ]
        edits = [e for e in edits if e.applicable]
        segments = context.segments(text, edits)
        cleaned = apply_edits(text, edits)
        assert "".join(s["text"] for s in segments if s["kind"] != "delete") == cleaned
        assert "".join(s["text"] for s in segments if s["kind"] != "insert") == text


def test_decisions_say_what_fix_did_by_confidence() -> None:
    doc = document.load(support.SEEDS / "001_12627618fdde4a95.txt")
    safe = context.for_fix(doc, cfg(), unsafe=False)
    by_confidence = {(d["confidence"], d["decision"]) for d in safe["decisions"]}
    assert by_confidence == {("auto", "applied"), ("review", "pending"), ("flag", "flag")}
    bold = context.for_fix(doc, cfg(), unsafe=True)
    assert {d["decision"] for d in bold["decisions"] if d["confidence"] == "review"} <= {
        "applied",
        "skipped",
    }


def test_jsonl_lines_survive_any_line_reader(tmp_path: Path) -> None:
    body = "Openai said <so> & 'more'\u2028next\x85end\r\n"
    source = write(tmp_path / "x.txt", body)
    done = support.run(["render", str(source), "--template", "jsonl"])
    assert done.code == 0
    assert len(done.text.splitlines()) == 1
    record = json.loads(done.text)
    assert record["original"] == body and "<so> & 'more'" in done.text


def test_a_template_file_in_the_current_folder_is_named_with_dot_slash(tmp_path: Path) -> None:
    write(tmp_path / "html", "mine: {{ document.name }}")  # a file with a bundled name
    source = write(tmp_path / "x.txt", "text\n")
    mine = support.run(["render", str(source), "--template", "./html"])
    bundled = support.run(["render", str(source), "--template", "html"])
    assert mine.text == "mine: x.txt"
    assert bundled.text.startswith("<!DOCTYPE html>")
