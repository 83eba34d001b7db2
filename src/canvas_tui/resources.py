"""Where the built-in question banks and export templates live.

An installed wheel carries them inside the package (`canvas_tui/question_banks`,
`canvas_tui/templates`, force-included by hatchling). An editable install or a plain
checkout does not, so we fall back to the folders at the repository root.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent


def _data_dir(name: str) -> Path:
    installed = _PACKAGE / name
    if installed.is_dir():
        return installed
    return _CHECKOUT / name


def banks_dir() -> Path:
    """The folder holding the built-in banks (one sub-folder each)."""
    return _data_dir("question_banks")


def default_bank_dir() -> Path:
    """The folder of the default question bank."""
    return banks_dir() / "default"


def templates_dir() -> Path:
    """The folder of the built-in Jinja2 export templates."""
    return _data_dir("templates")
