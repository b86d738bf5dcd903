"""Jinja2 output: bundled templates by name (``txt``, ``md``, ``html``, ``jsonl``, ``patch``
...), or a user's own file. Every template runs in Jinja2's sandbox; HTML templates
autoescape. A missing template or a template error is a ``ConfigError`` naming the file and
line, never a traceback.

This module holds the environment, the error handling and how output becomes bytes; what
a template is given (the context) is built by ``cleantext.context`` and documented in
docs/templates.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from cleantext.document import Document
from cleantext.errors import ConfigError

SUFFIX = ".j2"

# The file extension each bundled template's output gets; others use their own name.
OUTPUT_SUFFIXES = {
    "txt": ".txt",
    "md": ".md",
    "html": ".html",
    "jsonl": ".jsonl",
    "patch": ".patch",
    "unified": ".diff",
}


def bundled_dir() -> Path:
    return Path(str(resources.files("cleantext") / "templates"))


# bundled templates of reports that are not one document's (`eval`'s): loadable by name,
# but not offered for `render --template`
REPORTS = frozenset({"eval-html"})


def bundled_names() -> list[str]:
    """Names a user can pass to --template (``html`` for ``templates/html.j2``)."""
    return sorted(p.name[: -len(SUFFIX)] for p in bundled_dir().glob(f"*{SUFFIX}"))


def _autoescape(name: str | None) -> bool:
    stem = (name or "").removesuffix(SUFFIX)
    return stem.endswith((".html", ".htm", ".xml")) or stem in ("html", "eval-html")


@cache
def _environment(folder: str) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # JSON as written, not sorted and not \u-escaped (``tojson`` still escapes <, >, &, '
    # for HTML; ``json`` writes plain JSON on one line, for JSON Lines and other text).
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}
    env.filters["json"] = _json
    return env


def _json(value: Any) -> str:
    """The ``json`` filter: JSON on one line, non-ASCII kept except the characters some
    line readers (``str.splitlines``) take for line breaks, which are escaped.

    >>> print(_json({"a": "<é>\u2028"}))
    {"a": "<é>\\u2028"}
    """
    text = json.dumps(value, ensure_ascii=False)
    for char in _LINE_BREAKS:
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


# Line breaks to str.splitlines that JSON leaves raw (it escapes \n, \r and other controls).
_LINE_BREAKS = "\x85\u2028\u2029"


def get_template(name_or_path: str) -> jinja2.Template:
    """A bundled template by name, or a template file by path."""
    candidate = Path(name_or_path)
    if not is_bundled(name_or_path):
        if not candidate.is_file():
            raise ConfigError(name_or_path, "no such template file")
        folder, name = str(candidate.resolve().parent), candidate.name
    else:
        folder, name = str(bundled_dir()), name_or_path + SUFFIX
        if name_or_path not in bundled_names():
            known = ", ".join(n for n in bundled_names() if n not in REPORTS) or "none"
            raise ConfigError(
                name_or_path, f"unknown template (bundled: {known}; or a path to a file)"
            )
    try:
        return _environment(folder).get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(
            exc.filename or name_or_path, exc.message or str(exc), exc.lineno
        ) from None
    except jinja2.TemplateNotFound:
        raise ConfigError(name_or_path, "no such template") from None


def render(name_or_path: str, context: Mapping[str, Any]) -> str:
    """Render a template, turning every template error into a ConfigError with its line."""
    template = get_template(name_or_path)
    try:
        return template.render(**context)
    except jinja2.TemplateError as exc:
        raise ConfigError(
            template.filename or name_or_path,
            f"template error: {exc}",
            _template_line(exc),
        ) from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
        # a template is code: `{{ 1 / 0 }}` or `{{ x[9] }}` fails in Python, not in Jinja2
        raise ConfigError(
            template.filename or name_or_path,
            f"template error: {type(exc).__name__}: {exc}",
            _template_line(exc),
        ) from None


def _template_line(exc: BaseException) -> int | None:
    """The line of the template that failed, from the traceback Jinja2 rewrites."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(SUFFIX) or "template" in (
            tb.tb_frame.f_code.co_name or ""
        ):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def is_bundled(name_or_path: str) -> bool:
    """A bare name (no folder, not even ``./``, and no extension) names a bundled template.

    >>> is_bundled("html"), is_bundled("./html"), is_bundled("mine.j2")
    (True, False, False)
    """
    return not Path(name_or_path).suffix and not any(sep in name_or_path for sep in "/\\")


def output_suffix(name_or_path: str) -> str:
    """The extension of what a template writes: ``.html`` for ``html`` or ``report.html.j2``,
    ``.txt`` for a user file with no extension of its own (``mine.j2``).

    >>> output_suffix("unified"), output_suffix("eval-html"), output_suffix("a/report.md.j2")
    ('.diff', '.html', '.md')
    """
    if is_bundled(name_or_path):
        if name_or_path in OUTPUT_SUFFIXES:
            return OUTPUT_SUFFIXES[name_or_path]
        return ".html" if name_or_path.endswith("html") else f".{name_or_path}"
    name = Path(name_or_path).name.removesuffix(SUFFIX)
    return Path(name).suffix or ".txt"


def combines(name_or_path: str) -> bool:
    """Whether the outputs of several documents go into one file (JSON Lines: one line per
    document), rather than one file each."""
    return output_suffix(name_or_path) == ".jsonl"


def to_bytes(name_or_path: str, rendered: str, doc: Document) -> bytes:
    """Encode a rendering: a ``.txt`` output is the document again, so it gets the
    document's BOM (its line endings are already in the text); everything else is UTF-8."""
    if output_suffix(name_or_path) == ".txt":
        return doc.encode(rendered)
    return rendered.encode("utf-8")
