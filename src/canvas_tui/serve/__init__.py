"""`canvas-tui serve`: the app in participants' browsers, for a workshop room.

Built on textual-serve (only process.py and server.py import it, and this package
imports them lazily): every browser that connects gets its own app process,
``python -m canvas_tui --workspace DIR``, with ``CANVAS_TUI_HOME=DIR`` and DIR as its
working folder, so each participant's session is saved in the workshop folder, ready for
``canvas-tui merge --workspace DIR``.

The modules, by job:

* ``access``: join codes, the join cookie, loopback and Origin checks (pure logic).
* ``config``: the options checked into a ``ServeConfig``; the join URLs and the banner.
* ``page.html``: the page (a Jinja template, rendered with autoescaping).
* ``process``: one participant's app process.
* ``server``: the aiohttp routes, the guard on every request, running until a signal.

What this package adds to textual-serve:

* **Binding.** 127.0.0.1 unless ``--host`` says otherwise.
* **Join code.** On any address that is not loopback a join code is required: generated
  (or ``--code``), printed inside the URL to give participants. A request without it — in
  the query (``/?code=…``) or in the cookie the page sets — gets 403. A WebSocket from a
  page of another origin gets 403 too, even on loopback, so a web page the facilitator
  happens to visit cannot start app processes.
* **Offline.** textual-serve's own page loads the Roboto Mono font from Google Fonts; ours
  uses the copy textual-serve ships in its static folder, so nothing comes from the
  internet (a test checks the page names no outside address).
* **URLs from the request.** The WebSocket address is built from the Host header, so the
  page works whatever address a participant typed (textual-serve's uses its own host
  setting, which is wrong for 0.0.0.0).

Participants cannot reach the facilitator's files through the app: the served command is
fixed (no shell), the working folder and data folder are the workshop folder, and the app
honours ``--workspace`` (its exports reach a served participant as browser downloads).

May import: the core, and (in process.py and server.py only) textual-serve and aiohttp.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from canvas_tui.serve.access import (
    COOKIE,
    code_matches,
    cookie_name,
    is_loopback,
    new_join_code,
    same_origin,
)
from canvas_tui.serve.config import (
    DEFAULT_WARM,
    ServeConfig,
    ServeError,
    banner,
    join_urls,
    plan,
)

if TYPE_CHECKING:
    from canvas_tui.serve.server import WorkshopServer


def make_server(config: ServeConfig, clock: Callable[[], float] | None = None) -> WorkshopServer:
    """The textual-serve server for this configuration (tests drive its aiohttp app).

    `clock` times the join throttle (`time.monotonic` by default; tests pass a fake).
    """
    from canvas_tui.serve.server import make_server as make

    return make(config) if clock is None else make(config, clock)


async def run(config: ServeConfig, ready: Callable[[int], None] | None = None) -> None:
    """Serve until SIGINT or SIGTERM (see server.run)."""
    from canvas_tui.serve.server import run as run_server

    await run_server(config, ready)


def serve(config: ServeConfig) -> int:
    asyncio.run(run(config))
    return 0


def serve_command(args: Any) -> int:
    """The `canvas-tui serve` handler: check the options, then serve until Ctrl+C."""
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        raise ServeError(
            "textual-serve is not installed",
            hint="pip install textual-serve (it is a dependency of canvas-tui)",
        ) from None
    config = plan(
        host=args.host,
        port=args.port,
        workspace=args.workspace,
        bank=args.bank or getattr(args, "global_bank", None),
        code=args.code,
        public_url=args.public_url,
        warm=DEFAULT_WARM if getattr(args, "warm", None) is None else int(args.warm),
    )
    return serve(config)


__all__: Sequence[str] = (
    "COOKIE",
    "ServeConfig",
    "ServeError",
    "banner",
    "code_matches",
    "cookie_name",
    "is_loopback",
    "join_urls",
    "make_server",
    "new_join_code",
    "plan",
    "run",
    "same_origin",
    "serve",
    "serve_command",
)
