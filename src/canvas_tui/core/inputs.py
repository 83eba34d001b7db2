"""Reading input files a person hands us (answers, canvases, banks, sessions) safely.

Every input file is data from outside, possibly hostile or broken. These helpers turn
what would otherwise be a hang, a crash or an exhausted memory into one clear error of
the caller's type (`AnswersError`, `CanvasFileError`, `BankError`, `SessionError`):

* `read_input_text`: only a regular file (``/dev/zero`` or a FIFO would never end), at
  most `MAX_INPUT_BYTES`, UTF-8; a leading byte-order mark is accepted (and dropped).
* `parse_toml` / `parse_json`: syntax errors with their line; nesting deeper than
  `MAX_DEPTH`, integers beyond 64 bits, and floats that are not finite (``inf``, ``nan``,
  ``1e400``) refused with the key they sit under (and its line, for TOML).
"""

from __future__ import annotations

import json
import math
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from canvas_tui.core.errors import CanvasTuiError, toml_decode_problem

MAX_INPUT_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
MAX_INT = 2**63 - 1
BOM = "\ufeff"


def read_input_text(path: Path | str, error: type[CanvasTuiError], *, what: str = "file") -> str:
    """The text of an input file, or `error` with one clear line (`what`: "canvas file")."""
    path = Path(path)
    a = "an" if what[:1] in "aeiou" else "a"
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(f"{what} not found", file=path, hint="check the path") from None
    except OSError as exc:
        raise error(f"cannot be read: {exc.strerror or exc}", file=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"is a folder, not {a} {what}", file=path)
    if not stat.S_ISREG(info.st_mode):
        raise error(
            f"is not a regular file (a device or a pipe), not {a} {what}",
            file=path,
            hint="save the content to a file first",
        )
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise error(f"cannot be read: {exc.strerror or exc}", file=path) from None
    if len(data) > MAX_INPUT_BYTES:
        raise error(
            f"is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB: not {a} {what}",
            file=path,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(
            f"not UTF-8 text (byte {exc.start})", file=path, hint="save it as UTF-8"
        ) from None
    return text.removeprefix(BOM)


def parse_toml(text: str, path: Path | str, error: type[CanvasTuiError]) -> dict[str, Any]:
    """TOML text as data, or `error`: syntax errors with their line, then `check_data`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error.from_problems([toml_decode_problem(path, exc, text)]) from None
    except RecursionError:
        raise error(
            f"nested more than {MAX_DEPTH} levels deep", file=path, hint="flatten the file"
        ) from None
    except ValueError as exc:  # an integer with thousands of digits
        raise error(f"a value cannot be read: {exc}", file=path) from None
    check_data(data, path, error, text=text)
    return data


def parse_json(text: str, path: Path | str, error: type[CanvasTuiError]) -> Any:
    """JSON text as data, or `error`: syntax errors with their line, then `check_data`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"not valid JSON: {exc.msg}", file=path, line=exc.lineno) from None
    except RecursionError:
        raise error(
            f"nested more than {MAX_DEPTH} levels deep", file=path, hint="flatten the file"
        ) from None
    except ValueError as exc:  # an integer with thousands of digits
        raise error(f"a value cannot be read: {exc}", file=path) from None
    check_data(data, path, error)
    return data


def check_data(data: Any, path: Path | str, error: type[CanvasTuiError], *, text: str = "") -> None:
    """Refuse nesting deeper than MAX_DEPTH, 64-bit-overflowing integers, non-finite floats."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while stack:
        value, where = stack.pop()
        if len(where) > MAX_DEPTH:
            raise error(
                f"nested more than {MAX_DEPTH} levels deep (at {_dotted(where[:3])}…)",
                file=path,
                hint="flatten the file",
            )
        if isinstance(value, dict):
            stack.extend((v, (*where, str(k))) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*where, f"[{i}]")) for i, v in enumerate(value))
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int) and abs(value) > MAX_INT:
            raise error(
                f"'{_dotted(where)}' is a number too large to use",
                file=path,
                line=_line(text, where),
                hint="use a number below 2**63",
            )
        elif isinstance(value, float) and not math.isfinite(value):
            raise error(
                f"'{_dotted(where)}' is {value}, not a finite number",
                file=path,
                line=_line(text, where),
                hint="use an ordinary number",
            )


def _dotted(where: tuple[str, ...]) -> str:
    return ".".join(where).replace(".[", "[") or "(top)"


def _line(text: str, where: tuple[str, ...]) -> int | None:
    if not text or not where:
        return None
    from canvas_tui.core.tomlpos import TomlLines

    keys = [k for k in where if not k.startswith("[")]
    if not keys:
        return None
    lines = TomlLines(text)
    table = ".".join(keys[:-1])
    return lines.key(keys[-1], table) if table else lines.key(keys[-1])
