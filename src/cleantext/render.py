"""Jinja2 output: bundled templates by name (``txt``, ``md``, ``html``, ``jsonl``, ``patch``
...), or a user's own file. Every template runs in Jinja2's sandbox; HTML templates
autoescape. A missing template or a template error is a ``ConfigError`` naming the file and
line, never a traceback.

This module holds the environment and the error handling; what a template is given (the
context) is built by the callers and documented in README.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from cleantext.errors import ConfigError

SUFFIX = ".j2"


def bundled_dir() -> Path:
    return Path(str(resources.files("cleantext") / "templates"))


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
    return env


def get_template(name_or_path: str) -> jinja2.Template:
    """A bundled template by name, or a template file by path."""
    candidate = Path(name_or_path)
    if candidate.suffix or candidate.parent != Path("."):
        if not candidate.is_file():
            raise ConfigError(name_or_path, "no such template file")
        folder, name = str(candidate.resolve().parent), candidate.name
    else:
        folder, name = str(bundled_dir()), name_or_path + SUFFIX
        if name_or_path not in bundled_names():
            known = ", ".join(bundled_names()) or "none"
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
