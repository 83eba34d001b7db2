"""Question banks, the loader: a folder of TOML files, read and validated into the model.

A bank folder holds

* ``bank.toml`` (optional): ``id``, ``name``, ``description``, ``sets`` (the set files in
  order) and a ``[catalogue]`` table (``files``, ``extends_default``);
* one TOML file per question set (``id``, ``title``, ``guides``, ``guiding_question``,
  ``intro``, ``minutes`` and ``[[questions]]``);
* ``activities.toml``: the activity catalogue (see ``catalogue.py``).

Every problem is reported with the file, the line where it can be found and a hint at the
fix. `check_bank` returns them all; `load_bank` raises a `BankError` carrying them all.
docs/banks.md documents the format for facilitators; `bank.py` holds the model and
`bank_sets.py` reads one question-set file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from canvas_tui.core.errors import BankError, Problem
from canvas_tui.core.interview.bank import Bank
from canvas_tui.core.interview.bank_safety import check_sets
from canvas_tui.core.interview.bank_sets import (
    Collector,
    check_references,
    is_string,
    load_set,
    read_toml,
    unknown_keys,
)
from canvas_tui.core.tomlpos import TomlLines

if TYPE_CHECKING:
    from canvas_tui.core.inference.catalogue import Catalogue

MANIFEST = "bank.toml"
CATALOGUE = "activities.toml"
#: Data files a bank folder may hold beside its sets (a copy of the default bank does):
#: never read as question sets.
DATA_FILES = frozenset({"roles.toml", "meanings.toml", "splits.toml"})
MANIFEST_KEYS = {"id", "name", "description", "version", "language", "sets", "catalogue"}
CATALOGUE_KEYS = {"files", "extends_default"}


def _set_files(
    folder: Path, manifest: dict[str, Any], pos: TomlLines | None, out: Collector
) -> list[Path]:
    listed = manifest.get("sets")
    if listed is None:
        # every *.toml but the manifest and the catalogue files with what they include
        from canvas_tui.core.inference.catalogue import included_files

        raw = manifest.get("catalogue")
        names = raw.get("files") if isinstance(raw, dict) else None
        names = names if isinstance(names, list) and all(map(is_string, names)) else [CATALOGUE]
        skip = included_files(*(folder / n for n in names)) | {(folder / MANIFEST).resolve()}
        return sorted(
            p
            for p in folder.glob("*.toml")
            if p.resolve() not in skip
            and p.name not in (CATALOGUE, *DATA_FILES)
            and not p.name.startswith(".")
        )
    if not isinstance(listed, list) or not all(is_string(item) for item in listed):
        out.add(
            folder / MANIFEST,
            "'sets' must be a list of file names",
            pos.key("sets") if pos else None,
            'e.g. sets = ["value_proposition.toml", "channels.toml"]',
        )
        return []
    files = []
    for name in listed:
        path = folder / name
        if not path.is_file():
            out.add(
                folder / MANIFEST,
                f"set file '{name}' does not exist",
                pos.key("sets") if pos else None,
                f"create {path} or remove it from 'sets'",
            )
        else:
            files.append(path)
    return files


def _catalogue_files(
    folder: Path, manifest: dict[str, Any], pos: TomlLines | None, out: Collector
) -> tuple[tuple[Path, ...], bool]:
    raw = manifest.get("catalogue", {})
    if not isinstance(raw, dict):
        out.add(
            folder / MANIFEST,
            "'catalogue' must be a table",
            pos.key("catalogue") if pos else None,
            '[catalogue]\nfiles = ["activities.toml"]',
        )
        return (), False
    unknown_keys(
        raw,
        CATALOGUE_KEYS,
        out,
        folder / MANIFEST,
        lambda k: pos.key(k, "catalogue") if pos else None,
    )
    names = raw.get("files")
    if names is None:
        names = [CATALOGUE] if (folder / CATALOGUE).is_file() else []
    if not isinstance(names, list) or not all(is_string(n) for n in names):
        out.add(
            folder / MANIFEST,
            "'catalogue.files' must be a list of file names",
            pos.key("files", "catalogue") if pos else None,
        )
        return (), False
    files = []
    for name in names:
        path = folder / name
        if path.is_file():
            files.append(path)
        else:
            out.add(
                folder / MANIFEST,
                f"catalogue file '{name}' does not exist",
                pos.key("files", "catalogue") if pos else None,
                f"create {path} or remove it from 'files'",
            )
    extends = raw.get("extends_default", not files)
    if not isinstance(extends, bool):
        out.add(
            folder / MANIFEST,
            "'extends_default' must be true or false",
            pos.key("extends_default", "catalogue") if pos else None,
        )
        extends = True
    return tuple(files), extends


def _load(folder: Path) -> tuple[Bank | None, list[Problem]]:
    bank, problems, _ = _read_bank(folder)
    return bank, problems


def _read_bank(folder: Path) -> tuple[Bank | None, list[Problem], tuple[Path, ...] | None]:
    """The bank (None when it has problems), every problem, and the catalogue files it
    uses (None when not known: no folder, or a broken manifest)."""
    out = Collector()
    folder = Path(folder)
    if not folder.exists():
        out.add(
            folder,
            "question bank folder does not exist",
            hint="pass the folder that holds the set files, e.g. --bank my_bank/",
        )
        return None, out.problems, None
    if not folder.is_dir():
        out.add(
            folder, "is a file, not a question bank folder", hint="pass the folder that holds it"
        )
        return None, out.problems, None
    manifest: dict[str, Any] = {}
    pos: TomlLines | None = None
    if (folder / MANIFEST).is_file():
        read = read_toml(folder / MANIFEST, out)
        if read is not None:
            manifest, pos = read
            unknown_keys(
                manifest,
                MANIFEST_KEYS,
                out,
                folder / MANIFEST,
                lambda k: pos.key(k) or pos.table(k),
            )
    files = _set_files(folder, manifest, pos, out)
    if not files and not out.problems:
        out.add(
            folder,
            "no question set files (*.toml) in this folder",
            hint="copy the default bank with 'canvas-tui bank new DIR' and edit it",
        )
    loaded = [load_set(path, out) for path in files]
    sets = [qset for qset in loaded if qset is not None]
    # A set file that could not be read at all (not TOML) hides its questions: follow-ups
    # of other sets pointing into an unknown set are then not reported as missing.
    check_references(sets, out, unreadable=len(sets) < len(loaded))
    out.problems.extend(check_sets(sets))  # values that would hang or crash (bank_safety)
    before = len(out.problems)
    catalogue_files, extends = _catalogue_files(folder, manifest, pos, out)
    catalogues = _catalogue_paths(catalogue_files, extends) if len(out.problems) == before else None
    bank_id = manifest.get("id", folder.name)
    if not is_string(bank_id):
        out.add(folder / MANIFEST, "'id' must be a string", pos.key("id") if pos else None)
        bank_id = folder.name
    if out.problems:
        return None, out.problems, catalogues
    bank = Bank(
        id=bank_id,
        name=str(manifest.get("name", bank_id)),
        description=str(manifest.get("description", "")),
        path=folder.resolve(),
        sets=tuple(sets),
        catalogue_files=catalogue_files,
        extends_default=extends,
    )
    return bank, [], catalogues


def check_bank(folder: Path | str) -> list[Problem]:
    """Every problem in the bank folder (questions and catalogue); empty when it is fine."""
    from canvas_tui.core.inference.catalogue import check_catalogue

    _, problems, catalogues = _read_bank(Path(folder))
    if catalogues is not None:  # also when a set has problems: every mistake is reported
        problems = list(problems) + list(check_catalogue(*catalogues))
    return problems


def load_bank(folder: Path | str) -> Bank:
    """Load and validate a bank; raise `BankError` listing every problem."""
    bank, problems = _load(Path(folder))
    if bank is None:
        raise BankError.from_problems(problems)
    return bank


def load_default_bank() -> Bank:
    from canvas_tui.resources import default_bank_dir

    return load_bank(default_bank_dir())


def catalogue_paths(bank: Bank) -> tuple[Path, ...]:
    """The catalogue files of a bank, the default catalogue first when it extends it."""
    return _catalogue_paths(bank.catalogue_files, bank.extends_default)


def _catalogue_paths(catalogue_files: tuple[Path, ...], extends: bool) -> tuple[Path, ...]:
    from canvas_tui.resources import default_bank_dir

    default = (default_bank_dir() / CATALOGUE).resolve()
    files = tuple(p.resolve() for p in catalogue_files)
    if extends and default not in files:
        return (default, *files)
    return files or (default,)


def check_bank_catalogue(bank: Bank) -> list[Problem]:
    """Every problem in the catalogue files the bank uses."""
    from canvas_tui.core.inference.catalogue import check_catalogue

    return list(check_catalogue(*catalogue_paths(bank)))


def load_bank_catalogue(bank: Bank) -> Catalogue:
    """The activity catalogue this bank uses (default, extended or replaced)."""
    from canvas_tui.core.inference.catalogue import default_catalogue, load_catalogue
    from canvas_tui.resources import default_bank_dir

    paths = catalogue_paths(bank)
    default = default_bank_dir() / "activities.toml"
    if [Path(p).resolve() for p in paths] == [default.resolve()]:
        # the default bank: the one in-process copy the follow-up matcher also reads
        return default_catalogue()
    return load_catalogue(*paths)
