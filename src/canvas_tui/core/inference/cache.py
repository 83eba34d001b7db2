"""The compiled catalogue cache: start-up work done once, not in every process.

Reading the catalogue TOML (~130 KB) and compiling its phrases into the matcher's token
tables (`matching.compiled_for`) costs ~90 ms, in every `canvas-tui run`, every first
frame of the app and every `serve` participant. `load_catalogue` is wrapped by
`cached_catalogue`: the first load stores the parsed catalogue together with its compiled
matcher in the user's cache folder; later loads read that back (~2 ms to unpickle).

Where: `$CANVAS_TUI_CACHE` when set (empty or ``off`` turns the cache off), else the
platform's per-user cache folder (`$XDG_CACHE_HOME/canvas-tui`, `~/.cache/canvas-tui` on
Linux; platformdirs elsewhere). One file per catalogue: ``catalogue-<key>.bin``.

Keyed by content, never by time: the key hashes the catalogue files given (their paths and
bytes), the package version, the Python version and the source of this package's modules
(a changed matcher never reads an old table). The entry lists every other file the load
depended on (included files, the default bank's catalogue and roles) with their digests;
a changed one is a miss. A miss rebuilds and rewrites the entry atomically.

The format, and why: a header line of JSON (format number, key, dependencies, the body's
length and SHA-256) and a body that is a pickle of the catalogue and its `Compiled`, in
which every `matcher.Matcher` is replaced by its packed tables (`_Pickler.persistent_id`,
`Matcher.pack`, matcher_pack.py: its ~8,000 phrases, ~14,000 word forms, typo index and known words as a
few strings and byte strings of ints, decoded on first use). What used to cost was not
pickle's machine but the ~150,000 objects it rebuilt; packed, the entry rebuilds a few
thousand (the catalogue's own dataclasses, the distinct payloads). The rest stays a
pickle because it is a graph of the inference's own classes that its modules own and
change. It is made safe by three checks, so a corrupt, truncated, foreign or hand-made
file is ignored and rebuilt, never trusted:

* the body is unpickled only when its length and SHA-256 match the header and the header's
  key matches the one computed now (truncation and corruption never reach the unpickler);
* the unpickler resolves only classes defined in `canvas_tui.core.inference` modules,
  named by the module that defines them (a class named by a module it has moved out of,
  as in an old entry, is refused even if that module imports it), and plain value types
  (sets, containers, compiled regular expressions: `_PLAIN`); anything else (a function,
  `os`, `builtins.eval`) refuses the whole file. So even a crafted file cannot run code:
  the worst it can do is build our own dataclasses with odd values, and the result is
  checked to be the catalogue for these files before it is used;
* a packed matcher (the unpickler's `persistent_load`) is only plain strings, bytes, ints
  and containers, and `Matcher.unpack` checks it whole before anything is used (types,
  sizes, every phrase's words, every index into a Python sequence): one that does not
  hold together refuses the file; what it does not check can only match oddly, never
  fail later (docs/performance.md, "The packed matcher").

The folder is the user's own; anyone who can write there can already change the user's
shell start-up files, so a signature with a key kept in the same folder would add nothing.

Every failure (no folder, a read-only one, a full disk, a file another version wrote) is a
miss or a skipped write: the cache only ever makes a load faster, never makes it fail.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import importlib
import io
import json
import os
import pickle
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from canvas_tui.core.inference.catalogue import Catalogue

#: Bumped when the file layout changes or a class the body names moves to another module
#: (the key changes with it; the source digest would change too, this makes it explicit).
#: 2: matching.py split into reading, answer_reader, negation, customers... (issue 14).
#: 3: matchers stored packed (persistent_load), not as pickled objects.
#: 4: text.py split into text (words, tokens), matcher (Phrase, Hit, Matcher) and
#:    matcher_pack (the packed form) (issue 14).
FORMAT = 4
MAGIC = b"canvas-tui compiled catalogue\n"
PREFIX = "catalogue-"
SUFFIX = ".bin"
#: Entries kept in the folder; the least recently written beyond this are removed.
KEEP = 16
ENV = "CANVAS_TUI_CACHE"
#: the modules whose classes a cache file may name: the inference's own
_OWN_MODULE = re.compile(r"canvas_tui\.core\.inference\.[a-z_][a-z0-9_]*")
#: the matcher's modules: its `Matcher` (and their private classes) are only read back
#: packed
_MATCHER_MODULES = frozenset(
    {
        "canvas_tui.core.inference.text",
        "canvas_tui.core.inference.matcher",
        "canvas_tui.core.inference.matcher_pack",
    }
)
#: besides them: containers and plain values, and compiled regular expressions (all they
#: can do when called is build a value; nothing that calls, imports or reaches a file)
_PLAIN = frozenset({
    *(("builtins", n) for n in ("set", "frozenset", "list", "dict", "tuple", "bytearray")),
    *(("builtins", n) for n in ("str", "bytes", "int", "float", "complex", "bool", "range")),
    *(("collections", n) for n in ("OrderedDict", "defaultdict", "deque", "Counter")),
    ("re", "_compile"),
})  # fmt: skip

#: What happened, for tests and benchmarks: hits, misses, stores, rejected (a file that
#: was there but not usable), write_errors.
stats: dict[str, int] = {"hits": 0, "misses": 0, "stores": 0, "rejected": 0, "write_errors": 0}
#: The same for the follow-up conditions' compiled `Mentions` (`cached_mentions`).
mention_stats: dict[str, int] = {"hits": 0, "misses": 0, "stores": 0, "rejected": 0}


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    override = os.environ.get(ENV)
    if override is not None:
        override = override.strip()
        if override.lower() in ("", "off", "0", "no", "false"):
            return None
        return Path(override).expanduser()
    if sys.platform.startswith("linux") and not hasattr(sys, "getandroidapilevel"):
        # platformdirs' XDG rule, without its ~13 ms import on the start-up path
        base = os.environ.get("XDG_CACHE_HOME", "").strip()
        if base:
            return Path(base) / "canvas-tui"
        try:
            return Path.home() / ".cache" / "canvas-tui"
        except RuntimeError:  # no home folder to be found: no cache
            return None
    try:
        from platformdirs import user_cache_path
    except ImportError:  # pragma: no cover - a dependency
        return None
    return user_cache_path("canvas-tui", appauthor=False)


@functools.cache
def _code_digest() -> str:
    """The package version, Python's version and the bytes of the inference's modules."""
    from canvas_tui import __version__

    digest = hashlib.sha256(
        f"{FORMAT}|{__version__}|{sys.version}|{sys.implementation.name}|{sys.byteorder}".encode()
    )
    folder = Path(__file__).resolve().parent
    for module in sorted(folder.glob("*.py")):
        digest.update(module.name.encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def entry_key(paths: tuple[Path, ...]) -> str:
    """The key of the catalogue made of `paths` (OSError when one cannot be read)."""
    digest = hashlib.sha256(_code_digest().encode())
    for path in paths:
        digest.update(b"\0" + os.fsencode(str(path)) + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def entry_path(folder: Path, key: str, prefix: str = PREFIX) -> Path:
    return folder / f"{prefix}{key[:40]}{SUFFIX}"


# --------------------------------------------------------------------------- reading


class _SafeUnpickler(pickle.Unpickler):
    """Resolves only our own inference classes and plain value types (`_PLAIN`)."""

    #: modules outside the inference whose classes this reader may also name
    extra_modules: frozenset[str] = frozenset()

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _PLAIN:
            return super().find_class(module, name)
        own = bool(_OWN_MODULE.fullmatch(module)) or module in self.extra_modules
        if module in _MATCHER_MODULES and (name == "Matcher" or name.startswith("_")):
            own = False  # a matcher comes packed (`persistent_load`), never as an object
        if own and name.isidentifier():
            found = sys.modules.get(module)
            if found is None:  # one of our own modules, not imported yet
                try:
                    found = importlib.import_module(module)
                except ImportError:
                    raise pickle.UnpicklingError(f"no module {module}") from None
            obj = getattr(found, name, None)
            if isinstance(obj, type) and obj.__module__ == module:
                return obj
        raise pickle.UnpicklingError(f"refused: {module}.{name}")

    def persistent_load(self, pid: Any) -> Any:
        """A matcher's packed tables (`_Pickler`): read back by `Matcher.unpack`, which
        checks them whole; nothing else is named this way."""
        from canvas_tui.core.inference.matcher import Matcher

        try:
            return Matcher.unpack(pid)
        except (ValueError, TypeError) as error:
            raise pickle.UnpicklingError(f"refused: {error}") from None


class _Pickler(pickle.Pickler):
    """Pickles every `Matcher` as its packed tables (`Matcher.pack`): ~8,000 phrases,
    ~14,000 word forms and the typo index become a few strings and byte strings, so
    reading the entry back builds a few thousand objects instead of ~150,000."""

    def persistent_id(self, obj: Any) -> Any:
        from canvas_tui.core.inference.matcher import Matcher

        if type(obj) is Matcher:
            return obj.pack()
        return None


def _dumps(obj: object) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buffer.getvalue()


def _parse(data: bytes, key: str) -> tuple[dict[str, Any], bytes] | None:
    """The header and body of an entry whose header and body check out, else None."""
    if not data.startswith(MAGIC):
        return None
    end = data.find(b"\n", len(MAGIC))
    if end < 0:
        return None
    try:
        header = json.loads(data[len(MAGIC) : end])
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != key:
        return None
    body = data[end + 1 :]
    if (
        header.get("length") != len(body)
        or header.get("sha256") != hashlib.sha256(body).hexdigest()
    ):
        return None
    deps = header.get("deps")
    if not isinstance(deps, list):
        return None
    for dep in deps:
        if not (isinstance(dep, list) and len(dep) == 2 and all(isinstance(d, str) for d in dep)):
            return None
        try:
            if _file_digest(Path(dep[0])) != dep[1]:
                return None
        except OSError:
            return None
    return header, body


def read_entry(folder: Path, paths: tuple[Path, ...], key: str) -> Catalogue | None:
    """The cached catalogue for `paths`, or None (missing, stale, corrupt or foreign)."""
    from canvas_tui.core.inference import matching  # the classes the body names
    from canvas_tui.core.inference.catalogue import Catalogue

    try:
        data = entry_path(folder, key).read_bytes()
    except OSError:
        return None
    parsed = _parse(data, key)
    if parsed is None:
        stats["rejected"] += 1
        return None
    enabled = gc.isenabled()
    gc.disable()  # tens of thousands of small objects: collecting midway only costs time
    try:
        catalogue = _SafeUnpickler(io.BytesIO(parsed[1])).load()
    except Exception:  # a refused class, a broken stream: rebuild
        stats["rejected"] += 1
        return None
    finally:
        if enabled:
            gc.enable()
    if (
        not isinstance(catalogue, Catalogue)
        or catalogue.sources != tuple(str(p) for p in paths)
        or type(getattr(catalogue, "_compiled", None)) is not matching.Compiled
    ):
        stats["rejected"] += 1
        return None
    return catalogue


# --------------------------------------------------------------------------- writing


def _dependencies(paths: tuple[Path, ...]) -> list[list[str]]:
    """Files besides `paths` the load read: their includes, the default catalogue (the
    language rules a replacing catalogue borrows) with its includes, the roles file."""
    from canvas_tui.core.inference.catalogue import included_files
    from canvas_tui.resources import default_bank_dir

    default = default_bank_dir()
    files = included_files(*paths, default / "activities.toml") | {(default / "roles.toml")}
    given = {str(p) for p in paths}
    deps = []
    for path in sorted(str(f) for f in files):
        if path in given:
            continue
        with contextlib.suppress(OSError):
            deps.append([path, _file_digest(Path(path))])
    return deps


def write_entry(folder: Path, paths: tuple[Path, ...], key: str, catalogue: Catalogue) -> bool:
    """Compile the catalogue (if not yet) and store it; False when it cannot be written."""
    from canvas_tui.core.errors import CanvasTuiError
    from canvas_tui.core.fsutil import atomic_write_bytes
    from canvas_tui.core.inference.matching import compiled_for

    try:  # a folder that cannot take the entry: skip the work of making one (~60 ms)
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(folder)
    except OSError:
        stats["write_errors"] += 1
        return False
    try:
        compiled_for(catalogue)
        body = _dumps(catalogue)
        header = {
            "format": FORMAT,
            "key": key,
            "deps": _dependencies(paths),
            "length": len(body),
            "sha256": hashlib.sha256(body).hexdigest(),
        }
        data = MAGIC + json.dumps(header).encode() + b"\n" + body
        atomic_write_bytes(entry_path(folder, key), data, mode=0o600)
    except (OSError, CanvasTuiError, pickle.PicklingError, TypeError, AttributeError, ValueError):
        stats["write_errors"] += 1
        return False
    stats["stores"] += 1
    _prune(folder)
    return True


def _prune(folder: Path, prefix: str = PREFIX) -> None:
    with contextlib.suppress(OSError):
        entries = sorted(
            folder.glob(f"{prefix}*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in entries[KEEP:]:
            with contextlib.suppress(OSError):
                old.unlink()


# --------------------------------------------------------------------------- the hook


def cached_catalogue(load: Callable[..., Catalogue]) -> Callable[..., Catalogue]:
    """Wrap `load_catalogue`: the same result, from the cache when it holds it.

    A load that raises (a bad catalogue) is never cached: every problem is reported
    again next time. The cached catalogue comes back compiled (`matching.compiled_for`
    finds the matcher on it)."""

    @functools.wraps(load)
    def cached(*paths: Path) -> Catalogue:
        folder = cache_dir() if paths else None
        if folder is None:
            return load(*paths)
        resolved = tuple(Path(p) for p in paths)
        try:
            key = entry_key(resolved)
        except OSError:  # a missing file: the loader says which, and how to fix it
            return load(*paths)
        catalogue = read_entry(folder, resolved, key)
        if catalogue is not None:
            stats["hits"] += 1
            return catalogue
        stats["misses"] += 1
        catalogue = load(*paths)
        write_entry(folder, resolved, key, catalogue)
        return catalogue

    cached.uncached = load  # type: ignore[attr-defined]  # a function attribute: the undecorated loader, for tests
    return cached


# --------------------------------------------------------------------------- follow-ups

MENTIONS_PREFIX = "mentions-"
_MENTIONS_MODULE = "canvas_tui.core.interview.mentions"


class _MentionsUnpickler(_SafeUnpickler):
    """Also resolves `Mentions` and its markers (core/interview/mentions.py)."""

    extra_modules = frozenset({_MENTIONS_MODULE})


@functools.cache
def _mentions_digest() -> str:
    """What a compiled `Mentions` depends on besides its words: the matcher's code
    (`_code_digest`), mentions.py itself and the default bank's files (its catalogue's
    ``[language]`` table: negators, ignored phrases, fillers, irregular forms)."""
    from canvas_tui.resources import default_bank_dir

    digest = hashlib.sha256(_code_digest().encode())
    module = sys.modules.get(_MENTIONS_MODULE)
    source = Path(module.__file__) if module and module.__file__ else None
    if source is None:  # pragma: no cover - the caller imports it first
        source = Path(__file__).resolve().parent.parent / "interview" / "mentions.py"
    digest.update(source.read_bytes())
    folder = default_bank_dir()
    for path in sorted(folder.glob("*.toml")):
        digest.update(b"\0" + path.name.encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def mentions_key(words: tuple[tuple[str, ...], ...]) -> str:
    """The key of the compiled `Mentions` of these conditions' words (OSError when the
    default bank cannot be read)."""
    digest = hashlib.sha256(_mentions_digest().encode())
    digest.update(json.dumps(words).encode())
    return digest.hexdigest()


def cached_mentions(
    words: tuple[tuple[str, ...], ...],
    build: Callable[[], dict[tuple[str, ...], Any]],
    kind: type,
) -> dict[tuple[str, ...], Any]:
    """The compiled `Mentions` of each words tuple: from the cache when it holds exactly
    these, else `build()` (then stored). Keyed by the words themselves, so a bank whose
    question files change their ``ask_if.mentions`` gets a new entry, and by what the
    matcher depends on (`_mentions_digest`). Checked like a catalogue entry (header,
    length, SHA-256, restricted classes), and the result must map exactly these words to
    `kind` (`Mentions`: passed in, as the inference imports nothing of the interview);
    anything else is a miss. Failures never fail the caller."""
    folder = cache_dir()
    if folder is None or not words:
        return build()
    try:
        key = mentions_key(words)
    except OSError:
        return build()
    try:
        data = entry_path(folder, key, MENTIONS_PREFIX).read_bytes()
    except OSError:
        data = b""
    parsed = _parse(data, key) if data else None
    if data and parsed is None:  # there, but stale, truncated, corrupt or foreign
        mention_stats["rejected"] += 1
    elif parsed is not None:
        enabled = gc.isenabled()
        gc.disable()
        try:
            found = _MentionsUnpickler(io.BytesIO(parsed[1])).load()
        except Exception:  # a refused class, a broken stream: rebuild
            found = None
        finally:
            if enabled:
                gc.enable()
        if (
            isinstance(found, dict)
            and set(found) == set(words)
            and all(type(m) is kind for m in found.values())
        ):
            mention_stats["hits"] += 1
            return found
        mention_stats["rejected"] += 1
    mention_stats["misses"] += 1
    built = build()
    _store_mentions(folder, key, built)
    return built


def _store_mentions(folder: Path, key: str, built: dict[tuple[str, ...], Any]) -> None:
    from canvas_tui.core.errors import CanvasTuiError
    from canvas_tui.core.fsutil import atomic_write_bytes

    try:
        folder.mkdir(parents=True, exist_ok=True)
        body = _dumps(built)
        header = {
            "format": FORMAT,
            "key": key,
            "deps": [],
            "length": len(body),
            "sha256": hashlib.sha256(body).hexdigest(),
        }
        data = MAGIC + json.dumps(header).encode() + b"\n" + body
        atomic_write_bytes(entry_path(folder, key, MENTIONS_PREFIX), data, mode=0o600)
    except (OSError, CanvasTuiError, pickle.PicklingError, TypeError, AttributeError, ValueError):
        stats["write_errors"] += 1
        return
    mention_stats["stores"] += 1
    _prune(folder, MENTIONS_PREFIX)
