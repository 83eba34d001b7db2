"""Errors are types: each carries the file, the line (when known) and a hint at the fix.

The CLI turns any `CanvasTuiError` into one line on stderr and exit status 2, never a
traceback. `str(error)` is that line: ``path:line: problem (hint)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file. Several make up a report (`bank check`)."""

    file: str
    message: str
    line: int | None = None
    hint: str = ""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class CanvasTuiError(Exception):
    """Base class of every error the user can cause with a file or an argument."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        hint: str = "",
        problems: list[Problem] | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.hint = hint
        self.problems: list[Problem] = list(problems or [])
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.file is None:
            where = ""
        elif self.line is None:
            where = f"{self.file}: "
        else:
            where = f"{self.file}:{self.line}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return _one_line(text)

    @classmethod
    def from_problems(cls, problems: list[Problem]) -> CanvasTuiError:
        """One error standing for a list of problems; its text is the first one's."""
        first = problems[0]
        extra = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        err = cls(first.message + extra, file=first.file, line=first.line, hint=first.hint)
        err.problems = list(problems)
        return err


class BankError(CanvasTuiError):
    """A question bank or activity catalogue that cannot be used."""


class AnswersError(CanvasTuiError):
    """An answers file for the headless run that cannot be used."""


class CanvasFileError(CanvasTuiError):
    """A canvas TOML/JSON file that cannot be read back."""


class TemplateError(CanvasTuiError):
    """An export template with a syntax error or an undefined variable."""


class SessionError(CanvasTuiError):
    """A saved session that cannot be read or written."""


class OutputError(CanvasTuiError):
    """A result that cannot be written where the user asked."""


def _one_line(text: str) -> str:
    """Errors are printed as one line: fold any line breaks a message picked up."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_EOF = re.compile(r"\s*\(at end of document\)\s*$")


def toml_decode_problem(path: str | Path, exc: Exception, text: str = "") -> Problem:
    """Turn a `tomllib.TOMLDecodeError` into a Problem with the line it names."""
    message = str(exc)
    line: int | None = None
    match = _TOML_POSITION.search(message)
    if match:
        line = int(match.group(1))
        message = message[: match.start()]
    elif _TOML_EOF.search(message):
        message = _TOML_EOF.sub("", message)
        line = max(1, text.count("\n") + (0 if text.endswith("\n") else 1)) if text else None
    if text.startswith("\ufeff"):
        return Problem(
            file=str(path),
            line=1,
            message="the file starts with a UTF-8 byte-order mark (BOM), which TOML does "
            "not allow here",
            hint="save it as UTF-8 without BOM",
        )
    return Problem(
        file=str(path),
        line=line,
        message=f"not valid TOML: {message[:1].lower()}{message[1:]}",
        hint="check quotes, brackets and '=' on that line; strings need double quotes",
    )
