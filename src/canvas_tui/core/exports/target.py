"""Where an export goes and in which format: the rules the export dialog (and any other
front end) applies before writing. Pure path logic plus one write; no UI.
"""

from __future__ import annotations

from pathlib import Path

from canvas_tui.core.errors import OutputError
from canvas_tui.core.exports.render import EXTENSIONS, check_output_path


def resolve_target(text: str, base: Path, workspace: Path | None) -> Path:
    """Where `text` points, relative to `base`; inside `workspace` or OutputError."""
    raw = Path(text.strip()).expanduser()
    target = (raw if raw.is_absolute() else base / raw).resolve()
    if workspace is not None and not target.is_relative_to(workspace.resolve()):
        raise OutputError(
            "exports stay inside the workshop folder",
            file=target,
            hint=f"choose a name inside {workspace}",
        )
    check_output_path(target)
    return target


def format_of_name(name: str) -> str | None:
    """The export format a file name's extension asks for (`bike.md` → "md"), or None."""
    suffix = Path(name.strip()).suffix.lower()
    if suffix == ".htm":
        return "html"
    for fmt, ext in EXTENSIONS.items():
        if suffix == ext:
            return fmt
    return None
