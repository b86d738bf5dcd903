"""Load and save documents faithfully: UTF-8 with or without BOM, any line endings.

The text the rules see is exactly the decoded file (``\\r\\n`` kept), so offsets are
offsets into the file's own characters and saving the unchanged text gives the same bytes.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from cleantext.errors import InputError
from cleantext.textops import atomic_write_bytes


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded document and what is needed to write it back byte for byte."""

    text: str
    path: str = "-"
    bom: bool = False

    @property
    def newline(self) -> str:
        """The dominant line ending, for templates that add lines of their own."""
        crlf = self.text.count("\r\n")
        return "\r\n" if crlf and crlf >= self.text.count("\n") - crlf else "\n"

    def encode(self, text: str | None = None) -> bytes:
        body = (self.text if text is None else text).encode("utf-8")
        return (codecs.BOM_UTF8 + body) if self.bom else body


def decode(data: bytes, path: str) -> Document:
    """Decode UTF-8 bytes, keeping a BOM; reject binary and non-UTF-8 input with a position.

    >>> decode(b"\\xef\\xbb\\xbfhi\\r\\n", "x").bom
    True
    """
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    if b"\x00" in body[:8192] or b"\x00" in body:
        line = body[: body.index(b"\x00")].count(b"\n") + 1
        raise InputError(path, "binary file (NUL byte); only UTF-8 text is read", line)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        column = len(body[: exc.start].rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        raise InputError(
            path,
            f"not UTF-8 (byte 0x{body[exc.start]:02x}); convert the file to UTF-8",
            line,
            column,
        ) from None
    return Document(text=text, path=path, bom=bom)


def load(path: Path) -> Document:
    """Read a file as a Document; every failure becomes an InputError naming the file."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except IsADirectoryError:
        raise InputError(str(path), "is a directory") from None
    except OSError as exc:
        raise InputError(str(path), exc.strerror or "cannot be read") from None
    return decode(data, str(path))


def save(document: Document, text: str, path: Path | None = None) -> None:
    """Write ``text`` with the document's BOM, atomically."""
    atomic_write_bytes(Path(path or document.path), document.encode(text))
