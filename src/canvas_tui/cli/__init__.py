"""The `canvas-tui` command line.

`canvas-tui` alone opens the terminal app; the subcommands are headless and scriptable.
This package must not import textual or rich at import time (a test checks it): the TUI is
imported inside the handlers that start it, so `run`, `export` and `bank` start fast.

Exit status: 0 success, 1 an internal error (a bug), 2 bad input (one line on stderr).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from collections.abc import Sequence

from canvas_tui.cli.common import _note
from canvas_tui.cli.parser import build_parser

__all__ = ["build_parser", "main"]

#: The commands that run until the user stops them (the app, `open`, `serve`).
ONGOING = frozenset({None, "open", "serve"})


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line `argv` (None: the program's own, ``sys.argv[1:]``); its exit
    status. The program's own `canvas-tui run` ends the process when it is done
    (`_end_now`); given `argv` (tests, other Python code) it returns."""
    status, command = _main(argv)
    if argv is None and command == "run":
        _end_now(status)  # returns when it cannot end now (see there)
    return status


def _end_now(status: int) -> None:
    """End the process with `status` now, skipping the interpreter's finalisation.

    `run` has written and closed its output (atomically) and is done; what is left is
    tearing down ~10^5 objects and ~190 modules (~5 ms of every run) and the atexit
    handlers (this package's gc.freeze). stdout and stderr are flushed first. Nothing is
    skipped (the interpreter ends as it always has, and says what it always says) when
    that flush fails (a reader that went away) or when another thread is running (it would
    be cut short: a normal exit waits for it)."""
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(status)


def _main(argv: Sequence[str] | None) -> tuple[int, str | None]:
    """The command's exit status, and the command (None: the app)."""
    # The meaning layer's matrices are tiny: OpenBLAS's thread pool, started when numpy is
    # imported, only burns CPU (~60 ms a process; 20 `serve` participants share 2 cores).
    # A value the user set wins. docs/performance.md.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # At exit nothing needs collecting: the process ends. Freezing what is left (the
    # compiled catalogue, numpy) before the interpreter's final collections spares them a
    # traversal of ~10^5 objects: the exit is ~10-35 ms faster (docs/performance.md).
    # Python never promised __del__ of objects alive at exit; files are flushed by `with`.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    words = list(sys.argv[1:] if argv is None else argv)
    # `canvas-tui run ...` needs only run's parser (the first word names the command:
    # the top level takes no positional arguments)
    parser = build_parser("run" if words[:1] == ["run"] else None)
    args = parser.parse_args(words)  # --version and --help end here, before the core loads
    from canvas_tui.core.errors import CanvasTuiError

    # A one-shot command (run, export, bank, sessions, diff, merge) builds ~10^5 objects
    # (modules, the compiled catalogue) and exits: the cyclic collector only costs time
    # there (~10-25 ms a run). The app and `serve` run for hours and keep it.
    one_shot = args.command not in ONGOING and gc.isenabled()
    if one_shot:
        gc.disable()
    try:
        return int(args.handler(args) or 0), args.command
    except CanvasTuiError as exc:
        _note(str(exc))
        return 2, args.command
    except BrokenPipeError:
        # The reader went away (`canvas-tui run x.toml | head`): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0, args.command
    except KeyboardInterrupt:
        return 130, args.command
    except Exception as exc:  # a bug: say so in one line, the traceback only on request
        if os.environ.get("CANVAS_TUI_DEBUG"):
            raise
        _note(
            f"internal error: {type(exc).__name__}: {exc} (set CANVAS_TUI_DEBUG=1 for the traceback)"
        )
        return 1, args.command
    finally:
        if one_shot:  # main() may be called again in the same process (tests)
            gc.enable()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
