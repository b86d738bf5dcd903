"""Typed errors carrying where the problem is; only the CLI prints them and picks exit 2."""

from __future__ import annotations


class CleantextError(Exception):
    """A problem with the user's input or configuration, reported as one line."""

    def __init__(
        self, path: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class InputError(CleantextError):
    """A document that cannot be read faithfully (missing, binary, not UTF-8)."""


class ConfigError(CleantextError):
    """A glossary or rule pack that cannot be loaded; names the file, line and rule."""


class WriteError(CleantextError):
    """An output that could not be written (disk full, no permission); the original stays."""
