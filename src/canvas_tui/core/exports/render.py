"""Exports of a canvas: TOML (the source of truth), JSON, Markdown and HTML.

TOML and JSON are `Canvas.to_dict()` written out. Markdown and HTML are Jinja2 templates
(``templates/canvas.md.j2``, ``templates/canvas.html.j2``) rendered from the context of
`export_context.template_context`. A person's own template (``--template FILE``) gets
the same context and filters, in Jinja2's immutable sandbox.

User text is data, never template source: it reaches a template only as a value. Every
``{{ … }}`` output is escaped for the output's language by default (`finalize`):

* HTML (``.html``/``.htm`` templates, or ``--format html``): HTML autoescape, line breaks
  become ``<br>``, control characters become visible stand-ins;
* Markdown (``.md``/``.markdown`` templates): `md_inline` — Markdown and HTML
  punctuation is escaped, line breaks become ``<br>``, so a table cell stays one cell;
* anything else: the value as it is.

The escaping itself is in `escaping.py`.

Jinja2 is imported inside the functions that need it: the headless CLI starts fast.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli_w

from canvas_tui.core.canvas.model import Canvas
from canvas_tui.core.errors import (
    CanvasFileError,
    OutputError,
    TemplateError,
)
from canvas_tui.core.exports.context import ATTRIBUTION, bar, template_context
from canvas_tui.core.exports.escaping import (
    MdText,
    finalize_html,
    finalize_md,
    finalize_raw,
    html_text,
    md_inline,
    md_lines,
    oneline,
    text_lines,
    visible,
)
from canvas_tui.core.formatting import percent, slugify
from canvas_tui.core.inputs import parse_json, parse_toml, read_input_text

if TYPE_CHECKING:
    from jinja2 import Environment, Template

FORMATS: tuple[str, ...] = ("toml", "md", "html", "json")
EXTENSIONS: dict[str, str] = {"toml": ".toml", "md": ".md", "html": ".html", "json": ".json"}

#: The built-in template of each templated format, in ``templates/``.
BUILTIN_TEMPLATES: dict[str, str] = {"md": "canvas.md.j2", "html": "canvas.html.j2"}

# --------------------------------------------------------------------------- TOML / JSON


#: Characters TOML and JSON may hold raw but a terminal or an editor may act on or hide:
#: DEL, the C1 controls (U+009B is CSI), line/paragraph separators, bidi overrides.
_INVISIBLE = {
    c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F))
}
_INVISIBLE.update({c: f"\\u{c:04x}" for c in range(0x2066, 0x206A)})


def to_toml(canvas: Canvas) -> str:
    """The canvas-tui/1 TOML. Every string is a basic string (never a bare key or a
    multi-line string), so any non-ASCII character stands inside one and may be written as
    a \\uXXXX escape: invisible and terminal-control characters are, the rest stay UTF-8."""
    return tomli_w.dumps(canvas.to_dict(), multiline_strings=False).translate(_INVISIBLE)


def to_json(canvas: Canvas) -> str:
    """The same structure as the TOML, as UTF-8 JSON (escaped like the TOML)."""
    text = json.dumps(canvas.to_dict(), ensure_ascii=False, indent=2)
    return text.translate(_INVISIBLE) + "\n"


def read_canvas(path: Path | str) -> Canvas:
    """Read a canvas TOML (or JSON) file, validating it against the schema."""
    path = Path(path)
    text = read_input_text(path, CanvasFileError, what="canvas file")
    if path.suffix.lower() == ".json":
        data = parse_json(text, path, CanvasFileError)
    else:
        data = parse_toml(text, path, CanvasFileError)
    try:
        return Canvas.from_dict(data, file=str(path))
    except CanvasFileError as exc:
        if exc.line is None and path.suffix.lower() != ".json":
            line = _schema_error_line(text, exc.message)
            if line is not None:
                raise CanvasFileError(
                    exc.message, file=exc.file, line=line, hint=exc.hint
                ) from None
        raise


_ARRAY_PATH = re.compile(r"^(\w+)\[(\d+)\](?:\.(\w+))?")


def _schema_error_line(text: str, message: str) -> int | None:
    """The line a schema problem (``key_activities[2].score: …``) points at, if found."""
    from canvas_tui.core.tomlpos import TomlLines

    path = message.split(": ", 1)[0]
    if path == message or " " in path:
        return None
    lines = TomlLines(text)
    array = _ARRAY_PATH.match(path)
    if array:
        name, index, key = array.group(1), int(array.group(2)), array.group(3)
        return lines.key_in_array(name, index, key) if key else lines.table(name, index)
    table, _, key = path.rpartition(".")
    if not table:
        return lines.table(key) or lines.key(key)
    return lines.key(key, table) or lines.table(path)


# --------------------------------------------------------------------------- file names

#: Names Windows will not create, whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(10)}


def check_output_path(path: Path | str) -> None:
    """Fail early, and clearly, when `path` cannot be an output file.

    Catches what the atomic write would report less plainly: the path is a folder, or a
    file stands where one of its folders should be. Other problems (permissions, a full
    disk) are reported by the write itself.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError("is a folder", file=target, hint="give a file name, not a folder")
    if not target.parent.exists() and not any(
        p.exists() and not p.is_dir() for p in target.parents
    ):
        raise OutputError(
            f"the folder {target.parent} does not exist",
            file=target,
            hint="create the folder first, or choose an existing one",
        )
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(
                    f"cannot write here: {parent} is a file, not a folder",
                    file=target,
                    hint="choose another output path",
                )
            return


def default_filename(canvas: Canvas, fmt: str) -> str:
    """A file name for the export dialog: the title's slug plus the format's extension."""
    if fmt not in EXTENSIONS:
        raise OutputError(f"unknown format '{fmt}'", hint=f"use one of: {', '.join(FORMATS)}")
    slug = slugify(canvas.title) or "canvas"
    if slug in _RESERVED:  # names Windows will not create
        slug += "-canvas"
    return slug + EXTENSIONS[fmt]


# --------------------------------------------------------------------------- Jinja


def _mode_for(name: str, fmt: str | None = None) -> str:
    """Which escaping a template gets: "html", "md" or "raw", from its name and format."""
    stem = name.lower()
    for suffix in (".j2", ".jinja2", ".jinja"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    if stem.endswith((".html", ".htm", ".xhtml", ".xml", ".svg")) or fmt == "html":
        return "html"
    if stem.endswith((".md", ".markdown")):
        return "md"
    return "raw"


_FINALIZE: dict[str, Callable[[Any], Any]] = {
    "html": finalize_html,
    "md": finalize_md,
    "raw": finalize_raw,
}


def _filters() -> dict[str, Callable[..., Any]]:
    return {
        "md": md_inline,
        "md_lines": md_lines,
        "html_text": html_text,
        "visible": visible,
        "oneline": oneline,
        "text_lines": text_lines,
        "percent": percent,
        "bar": bar,
        "slugify": slugify,
    }


def _environment(search_path: tuple[str, ...], mode: str) -> Environment:
    """A sandboxed environment: the same for the built-in and the user's templates."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class BoundedSandbox(ImmutableSandboxedEnvironment):
        """The sandbox, with every operator and call checked against the value bound."""

        intercepted_binops = frozenset({"*", "**", "%", "+", "//"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def wrap_str_format(self, value: Any) -> Any:
            wrapped = super().wrap_str_format(value)
            if wrapped is not None and re.search(r"\d{7,}", value.__self__):
                raise TemplateLimit("a format width in the template is too large")
            return wrapped

        def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            _check_call_args(args, kwargs)
            return super().call(__context, __obj, *args, **kwargs)

    env = BoundedSandbox(
        loader=FileSystemLoader(list(search_path), encoding="utf-8"),
        undefined=StrictUndefined,
        autoescape=mode == "html",
        finalize=_FINALIZE[mode],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(_filters())
    for name, fn in list(env.filters.items()):  # center(10**10), indent(10**10)…
        env.filters[name] = _bounded_filter(fn)
    return env


def _bounded_filter(fn: Callable[..., Any]) -> Callable[..., Any]:
    import functools as _functools

    @_functools.wraps(fn)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_call_args(args[1:], kwargs)
        return fn(*args, **kwargs)

    return bounded


@functools.lru_cache(maxsize=8)
def _builtin_template(name: str, folder: str) -> Template:
    return _environment((folder,), _mode_for(name)).get_template(name)


_TEMPLATE_FRAMES = ("top-level template code", "template")


def _template_problem(exc: BaseException, fallback: Path) -> tuple[str, int | None]:
    """The template file and line a Jinja error happened at (innermost template frame)."""
    from jinja2 import TemplateSyntaxError

    if isinstance(exc, TemplateSyntaxError):
        return exc.filename or str(fallback), exc.lineno
    where: tuple[str, int | None] = (str(fallback), None)
    tb = exc.__traceback__
    while tb is not None:
        # Jinja rewrites the frames of template code to carry the template's file and line
        # ("top-level template code", "template" for a macro, "block 'name'").
        code = tb.tb_frame.f_code
        if code.co_name in _TEMPLATE_FRAMES or code.co_name.startswith("block "):
            where = (code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return where


def _describe(exc: BaseException) -> str:
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateNotFound

    if isinstance(exc, TemplateNotFound):
        return f"template not found: {exc.name}"
    if isinstance(exc, TemplateSyntaxError):
        return f"template syntax error: {exc.message}"
    if isinstance(exc, UndefinedError):
        return f"undefined in template: {exc.message}"
    if isinstance(exc, SecurityError):
        return f"not allowed in a template (sandbox): {exc}"
    if isinstance(exc, TemplateLimit):
        return f"template stopped: {exc}"
    return f"template failed: {type(exc).__name__}: {exc}"


def render_template(canvas: Canvas, template: Path | str, *, fmt: str | None = None) -> str:
    """Render a person's own Jinja2 template, sandboxed, with the built-ins' context.

    The template's folder and the built-in templates folder are both on the search path,
    so ``{% include %}`` of a neighbour and ``{% extends "canvas.md.j2" %}`` work.
    Any problem raises `TemplateError` naming the file and the line.
    """
    from canvas_tui.resources import templates_dir

    path = Path(template)
    if not path.is_file():
        raise TemplateError(
            "template file not found" if not path.exists() else "template is not a file",
            file=path,
        )
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"template cannot be read: {exc}", file=path) from None
    folder = path.resolve().parent
    env = _environment((str(folder), str(templates_dir())), _mode_for(path.name, fmt))
    try:
        # Compiled under its real name, so errors and tracebacks name the user's file.
        code = env.compile(source, name=path.name, filename=str(path))
        compiled = env.template_class.from_code(env, code, env.make_globals(None), None)
    except Exception as exc:
        raise _template_error(exc, path) from None
    try:
        return _bounded_render(compiled, template_context(canvas), str(path))
    except Exception as exc:  # anything a user's template does wrong is bad input
        raise _template_error(exc, path) from None


#: Bounds on a person's own template (issue 12): the text it writes, the size of any one
#: value it makes (``'a' * 10**10``), and the lines of template code it runs (nested
#: ``range(100000)`` loops) — counted, not timed, so the same template always gives the
#: same answer.
MAX_TEMPLATE_OUTPUT = 10_000_000  # characters
MAX_TEMPLATE_VALUE = 1_000_000  # characters (or items) in one value, digits of a number
MAX_TEMPLATE_STEPS = 20_000_000  # lines of compiled template code


class TemplateLimit(Exception):
    """A person's template went over one of the bounds above."""


def _bounded_render(compiled: Template, context: dict[str, Any], filename: str) -> str:
    """Render `compiled`, stopping it (TemplateLimit) past the output or step bound."""
    import sys

    steps = 0

    def local(frame: Any, event: str, arg: Any) -> Any:
        nonlocal steps
        if event == "line":
            steps += 1
            if steps > MAX_TEMPLATE_STEPS:
                raise TemplateLimit(
                    f"the template runs too long (over {MAX_TEMPLATE_STEPS:,} steps)"
                )
        return local

    def trace(frame: Any, event: str, arg: Any) -> Any:
        # Only frames of the template's own code are counted: cheap everywhere else.
        return local if frame.f_code.co_filename == filename else None

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        parts: list[str] = []
        size = 0
        for chunk in compiled.generate(context):
            size += len(chunk)
            if size > MAX_TEMPLATE_OUTPUT:
                raise TemplateLimit(
                    f"the template writes more than {MAX_TEMPLATE_OUTPUT:,} characters"
                )
            parts.append(chunk)
        return "".join(parts)
    finally:
        sys.settrace(previous)


def _sized(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value.bit_length() * 30 // 100  # about its digits
    if isinstance(value, str | bytes | list | tuple):
        return len(value)
    return 0


def _check_binop(op: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be huge, before it is computed."""
    if op == "*" and isinstance(left, str | list | tuple) and isinstance(right, int):
        estimate = len(left) * right
    elif op == "*" and isinstance(right, str | list | tuple) and isinstance(left, int):
        estimate = len(right) * left
    elif op == "**" and isinstance(left, int) and isinstance(right, int):
        estimate = int(abs(right) * max(1, abs(left)).bit_length() * 0.3)
    elif op == "%" and isinstance(left, str):
        widths = [int(w) for w in re.findall(r"%[-+ #0]*(\d+)", left)]
        estimate = max(widths, default=0)
    else:
        estimate = max(_sized(left), _sized(right))
    if estimate > MAX_TEMPLATE_VALUE:
        raise TemplateLimit(
            f"a value in the template would be too large (about {estimate:,}; "
            f"at most {MAX_TEMPLATE_VALUE:,})"
        )


def _check_call_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and value > MAX_TEMPLATE_VALUE:
            raise TemplateLimit(
                f"the number {value:,} is too large for the template (at most "
                f"{MAX_TEMPLATE_VALUE:,})"
            )
        if isinstance(value, str) and re.search(r"\d{7,}", value) and "{" in value:
            raise TemplateLimit("a format width in the template is too large")


def _template_error(exc: BaseException, path: Path) -> TemplateError:
    file, line = _template_problem(exc, path)
    if file in ("<template>", "") or file is None:
        file = str(path)
    message = " ".join(_describe(exc).split())  # one line, always
    return TemplateError(message, file=file, line=line)


def to_markdown(canvas: Canvas) -> str:
    return _render_builtin(canvas, "md")


def to_html(canvas: Canvas) -> str:
    return _render_builtin(canvas, "html")


def _render_builtin(canvas: Canvas, fmt: str, *, canvas_only: bool = False) -> str:
    from canvas_tui.resources import templates_dir

    template = _builtin_template(BUILTIN_TEMPLATES[fmt], str(templates_dir()))
    return template.render({**template_context(canvas), "canvas_only": canvas_only})


def render(
    canvas: Canvas, fmt: str, *, template: Path | None = None, canvas_only: bool = False
) -> str:
    """The canvas as text in `fmt`, or through the person's own `template` when given.

    `canvas_only` (HTML): the nine blocks on one landscape page, without the details and
    the answers after them: a sheet to print and hand out."""
    if canvas_only and (fmt != "html" or template is not None):
        raise OutputError("only the built-in HTML export has a canvas-only page")
    if template is not None:
        return render_template(canvas, template, fmt=fmt)
    if fmt == "toml":
        return to_toml(canvas)
    if fmt == "json":
        return to_json(canvas)
    if fmt in BUILTIN_TEMPLATES:
        return _render_builtin(canvas, fmt, canvas_only=canvas_only)
    raise OutputError(f"unknown format '{fmt}'", hint=f"use one of: {', '.join(FORMATS)}")


__all__ = [
    "ATTRIBUTION",
    "BUILTIN_TEMPLATES",
    "EXTENSIONS",
    "FORMATS",
    "MdText",
    "check_output_path",
    "default_filename",
    "html_text",
    "md_inline",
    "md_lines",
    "oneline",
    "read_canvas",
    "render",
    "render_template",
    "slugify",
    "template_context",
    "text_lines",
    "to_html",
    "to_json",
    "to_markdown",
    "to_toml",
    "visible",
]
