"""Import rules: what each core package may import, and that the UI toolkit stays out.

Three guards, none of them a hand-written list of modules, so a new module is covered the
moment it exists:

* each package under ``core/`` states its rule in its ``__init__`` docstring, second line
  ``May import: a, b, ...``; a static check (``ast``, every import statement of every module,
  also those inside functions and ``if TYPE_CHECKING:``) fails on an import of a canvas_tui
  module the rule does not name;
* ruff's banned-api (TID251, configured in pyproject.toml) refuses ``textual`` and ``rich``
  everywhere but the UI, the serve module, the UI tests and the benchmarks;
* a fresh process imports every module of the core and the CLI and checks that neither
  textual nor rich was loaded (what really loads, lazy imports included).
"""

from __future__ import annotations

import ast
import pkgutil
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

SRC = REPO / "src"
CORE = SRC / "canvas_tui" / "core"
RULE_PREFIX = "May import:"
#: What every module of the core may import besides its own package and its stated rule.
ALWAYS = ("canvas_tui", "canvas_tui.core")
#: What a core module outside the rule-bearing packages (errors.py, fsutil.py, workbench.py,
#: headless.py...) may import: the core and the resources, never the UI, the CLI or serve.
CORE_TOP = ("canvas_tui.core", "canvas_tui.resources")


@dataclass(frozen=True)
class Violation:
    module: str
    line: int
    imported: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.imported}"


def module_name(path: Path, src: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_rule(init: Path) -> tuple[str, ...] | None:
    """The modules a package may import, from the second line of its docstring."""
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")), clean=False) or ""
    lines = doc.splitlines()
    if len(lines) < 2 or not lines[1].startswith(RULE_PREFIX):
        return None
    return tuple(p.strip() for p in lines[1][len(RULE_PREFIX) :].split(",") if p.strip())


def imported_modules(path: Path, src: Path) -> list[tuple[int, str]]:
    """Every module an import statement in the file names (``from a import b``: a.b when b
    is a module, else a), relative imports resolved."""
    name = module_name(path, src)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                as_path = src.joinpath(*candidate.split("."))
                is_module = (
                    as_path.with_suffix(".py").is_file() or (as_path / "__init__.py").is_file()
                )
                found.append((node.lineno, candidate if is_module else base))
    return found


def _within(module: str, allowed: tuple[str, ...]) -> bool:
    return any(module == a or module.startswith(a + ".") for a in allowed)


def check_package(package_dir: Path, src: Path) -> list[Violation]:
    """Imports of the package's modules (sub-packages included) that its rule forbids."""
    rule = package_rule(package_dir / "__init__.py")
    assert rule is not None, f"{package_dir / '__init__.py'}: no '{RULE_PREFIX}' line"
    own = module_name(package_dir / "__init__.py", src)
    allowed = (own, *rule)
    root = own.split(".")[0]
    violations = []
    for path in sorted(package_dir.rglob("*.py")):
        for line, imported in imported_modules(path, src):
            if imported.split(".")[0] != root:
                continue  # stdlib and third-party imports: textual and rich are ruff's job
            if imported not in ALWAYS and not _within(imported, allowed):
                violations.append(Violation(module_name(path, src), line, imported))
    return violations


def rule_packages() -> list[Path]:
    return sorted(p.parent for p in CORE.glob("*/__init__.py"))


def test_every_core_package_states_what_it_may_import():
    packages = rule_packages()
    assert {p.name for p in packages} >= {"canvas", "exports", "inference", "interview", "team"}
    missing = [str(p) for p in packages if package_rule(p / "__init__.py") is None]
    assert missing == [], f"second docstring line must start with {RULE_PREFIX!r}"


@pytest.mark.parametrize("package", rule_packages(), ids=lambda p: p.name)
def test_core_package_imports_only_what_its_rule_allows(package: Path):
    assert [str(v) for v in check_package(package, SRC)] == []


def test_core_modules_outside_the_packages_import_only_the_core():
    violations = []
    for path in sorted(CORE.glob("*.py")):
        for line, imported in imported_modules(path, SRC):
            inside = imported in ALWAYS or _within(imported, CORE_TOP)
            if imported.startswith("canvas_tui") and not inside:
                violations.append(str(Violation(module_name(path, SRC), line, imported)))
    assert violations == []


def test_the_rule_check_catches_forbidden_imports_anywhere_in_a_module(tmp_path: Path):
    core = tmp_path / "canvas_tui" / "core"
    for folder in ("low", "high", "low/deep"):
        (core / folder).mkdir(parents=True)
    (tmp_path / "canvas_tui" / "__init__.py").write_text("")
    (core / "__init__.py").write_text("")
    (core / "errors.py").write_text("")
    (core / "high" / "__init__.py").write_text('"""High.\nMay import: canvas_tui.core.low\n"""\n')
    (core / "high" / "a.py").write_text("from canvas_tui.core.low import b\n")
    (core / "low" / "__init__.py").write_text('"""Low.\nMay import: canvas_tui.core.errors\n"""\n')
    (core / "low" / "b.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "import json\n"
        "from canvas_tui.core import errors\n"
        "from . import c\n"
        "if TYPE_CHECKING:\n"
        "    from canvas_tui.core.high import a\n"
        "def f():\n"
        "    from ..high.a import thing\n"
        "    import canvas_tui.ui.app\n"
    )
    (core / "low" / "c.py").write_text("")
    (core / "low" / "deep" / "__init__.py").write_text("from canvas_tui.core.high import a\n")

    assert check_package(core / "high", tmp_path) == []
    assert [str(v) for v in check_package(core / "low", tmp_path)] == [
        "canvas_tui.core.low.b:6 imports canvas_tui.core.high.a",
        "canvas_tui.core.low.b:8 imports canvas_tui.core.high.a",
        "canvas_tui.core.low.b:9 imports canvas_tui.ui.app",
        "canvas_tui.core.low.deep:1 imports canvas_tui.core.high.a",
    ]


def _ruff() -> str:
    found = Path(sys.executable).parent / "ruff"
    return str(found) if found.is_file() else (shutil.which("ruff") or "ruff")


@pytest.mark.parametrize(
    ("filename", "banned"),
    [
        ("src/canvas_tui/core/new_module.py", True),
        ("src/canvas_tui/core/canvas/new_module.py", True),
        ("src/canvas_tui/cli/new_command.py", True),
        ("src/canvas_tui/ui/widgets/new_widget.py", False),
    ],
)
def test_ruff_bans_textual_and_rich_outside_the_ui(filename: str, banned: bool):
    code = "import textual.widgets\nfrom rich.text import Text\n"
    result = subprocess.run(
        [_ruff(), "check", "--no-cache", "--select", "TID251", "--stdin-filename", filename, "-"],
        input=code,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    if banned:
        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stdout.count("TID251") == 2
    else:
        assert result.returncode == 0, result.stdout + result.stderr


def headless_modules() -> list[str]:
    """Every module of the core and the CLI, found on disk (new ones included)."""
    import canvas_tui.cli
    import canvas_tui.core

    names = ["canvas_tui.resources"]
    for package in (canvas_tui.core, canvas_tui.cli):
        names.append(package.__name__)
        names.extend(
            info.name
            for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + ".")
        )
    return names


CHECK = """
import sys
{imports}
leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print(",".join(leaked))
"""


def test_core_and_cli_modules_load_no_ui_toolkit():
    modules = headless_modules()
    assert "canvas_tui.core.team.merge" in modules and "canvas_tui.cli.parser" in modules
    code = CHECK.format(imports="\n".join(f"import {m}" for m in modules))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["bank", "check", "question_banks/default"],
        ["run", "tests/data/contract_answers.toml", "--format", "json"],
    ],
)
def test_headless_commands_never_import_textual(argv, tmp_path):
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['canvas-tui', *{argv!r}]\n"
        "from canvas_tui.cli import main\n"
        "status = main(sys.argv[1:])\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print('LEAKED=' + ','.join(leaked), file=sys.stderr)\n"
        "raise SystemExit(status)\n"
    )
    env = {"CANVAS_TUI_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "LEAKED=\n" in result.stderr or result.stderr.rstrip().endswith("LEAKED=")
