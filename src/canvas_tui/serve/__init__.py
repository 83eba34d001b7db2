"""`canvas-tui serve`: the app in participants' browsers, for a workshop room.

Built on textual-serve (only process.py and server.py import it, and this package
imports them lazily). A participant opens the link, gives their name, and gets an app
process of their own, ``python -m canvas_tui.serve.participant_app``, on their own canvas
in the workshop folder DIR (``DIR/sessions/``, ready for ``canvas-tui merge --workspace
DIR``); their exports go to ``DIR/exports/<their name>/``.

The modules, by job:

* ``access``: join codes, cookies, Host and Origin checks, the wrong-code throttle (pure).
* ``config``: the options checked into a ``ServeConfig``; join URLs from the network
  interfaces, the QR code, the banner.
* ``participants``: who joined (name, export folder, sessions); export file names.
* ``page.html``, ``join.html``: the pages (Jinja templates, rendered with autoescaping).
* ``process``: a participant's app process (capped size, ends with the server), the
  server's side of the fork server, and the pool of warm processes started ahead (where
  the fork server cannot run).
* ``forks``: the fork server (Linux): the start-up work done once, an app forked per
  participant, sharing that memory; its protocol (pure) and its loop.
* ``participant_app``: the app a participant runs (imports the terminal UI).
* ``server``: the aiohttp routes, the guard on every request, running until a signal.

With ``--workshop`` the participants' apps follow the room (``--room``): one timer and
"end the set" from the facilitator's ``canvas-tui room DIR``, through ``DIR/room.json``
(core/room; docs/facilitators.md, "One room, one timer").

What this package adds to textual-serve:

* **Binding.** 127.0.0.1 unless ``--host`` says otherwise.
* **Join code.** On any address that is not loopback a join code (8+ characters) is
  required: generated (or ``--code``), printed inside the URL to give participants. A
  request without it — in the query (``/?code=…``) or in the cookie the page sets — gets
  403; wrong codes are throttled per client address.
* **Host and Origin.** Every request must name this server in Host (421 otherwise: DNS
  rebinding) and, when it has an Origin, come from it (403).
* **Offline.** textual-serve's own page loads the Roboto Mono font from Google Fonts; ours
  uses the copy textual-serve ships in its static folder, so nothing comes from the
  internet (a test checks the page names no outside address).
* **URLs from the request.** The WebSocket address is built from the Host header, so the
  page works whatever address a participant typed.

Participants cannot reach the facilitator's files or each other's: the served command is
fixed (no shell), an export name is a file name in the participant's own folder, and the
participant's app never shows the server's paths. docs/facilitators.md tells the room.

May import: the core, and (in process.py and server.py) textual-serve and aiohttp; the
terminal UI only in participant_app.py (the process each participant runs, and the fork
server).
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
        workshop=bool(getattr(args, "workshop", False)),
        fork=not getattr(args, "no_fork", False),
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
