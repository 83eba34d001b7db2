"""Exports of a canvas: TOML (the source of truth) and JSON; Markdown and HTML via Jinja2."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import tomli_w

from canvas_tui.core.canvas import Canvas
from canvas_tui.core.errors import CanvasFileError, OutputError, toml_decode_problem

FORMATS: tuple[str, ...] = ("toml", "md", "html", "json")
EXTENSIONS: dict[str, str] = {"toml": ".toml", "md": ".md", "html": ".html", "json": ".json"}


def to_toml(canvas: Canvas) -> str:
    return tomli_w.dumps(canvas.to_dict(), multiline_strings=False)


def to_json(canvas: Canvas) -> str:
    return json.dumps(canvas.to_dict(), ensure_ascii=False, indent=2) + "\n"


def read_canvas(path: Path | str) -> Canvas:
    """Read a canvas TOML (or JSON) file, validating it against the schema."""
    path = Path(path)
    if not path.is_file():
        raise CanvasFileError(
            "canvas file not found" if not path.exists() else "is not a file", file=path
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CanvasFileError(f"cannot be read: {exc}", file=path) from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CanvasFileError(
                f"not valid JSON: {exc.msg}", file=path, line=exc.lineno
            ) from None
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            problem = toml_decode_problem(path, exc, text)
            raise CanvasFileError(
                problem.message, file=path, line=problem.line, hint=problem.hint
            ) from None
    return Canvas.from_dict(data, file=str(path))


def render(canvas: Canvas, fmt: str, *, template: Path | None = None) -> str:
    if fmt == "toml":
        return to_toml(canvas)
    if fmt == "json":
        return to_json(canvas)
    raise OutputError(f"format '{fmt}' is not available yet", hint="use one of: toml, json")
