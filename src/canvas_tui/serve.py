"""`canvas-tui serve`: the app in participants' browsers, for a workshop room.

Built on textual-serve (the only module that imports it): every browser that connects
gets its own app process, ``python -m canvas_tui --workspace DIR``, with
``CANVAS_TUI_HOME=DIR`` and DIR as its working folder, so each participant's session is
saved in the workshop folder, ready for ``canvas-tui merge --workspace DIR``.

What this module adds to textual-serve:

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
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import os
import secrets
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from canvas_tui.core.errors import CanvasTuiError

COOKIE = "canvas_tui_join"
#: Join codes avoid look-alike characters (0/o, 1/l/i): they are read off a projector.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 8  # 31^8 ≈ 8.5e11 codes
_CODE_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
FORBIDDEN = (
    "This workshop needs its join code. Open the full link the facilitator gave you "
    "(it ends in /?code=...)."
)


class ServeError(CanvasTuiError):
    """`serve` cannot start: a bad address, port, code, folder or bank."""


# --------------------------------------------------------------------------- pure logic


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach: localhost, 127.0.0.0/8, ::1."""
    name = host.strip().strip("[]").lower()
    if name in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # any other name may resolve to a LAN address: treat it as one


def new_join_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def valid_code(code: str) -> bool:
    return 4 <= len(code) <= 64 and set(code) <= _CODE_CHARS


def code_matches(given: str | None, code: str | None) -> bool:
    """Whether a request may pass: no code needed, or the right one (constant time)."""
    if code is None:
        return True
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), code.encode("utf-8"))


def same_origin(origin: str | None, host: str | None) -> bool:
    """A WebSocket's Origin header names the host it was opened on (or there is none)."""
    if not origin:
        return True  # not a browser (curl, a test client): the join code still applies
    from urllib.parse import urlsplit

    try:
        netloc = urlsplit(origin).netloc
    except ValueError:
        return False
    return bool(host) and netloc.lower() == (host or "").lower()


def cookie_name(port: int | None) -> str:
    """One cookie per port: cookies ignore ports, and two workshops may share a machine."""
    return f"{COOKIE}_{port}" if port else COOKIE


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def join_urls(host: str, port: int, code: str | None, public_url: str | None = None) -> list[str]:
    """The addresses to give participants (the join code included)."""
    suffix = f"/?code={code}" if code else "/"
    if public_url:
        return [public_url.rstrip("/") + suffix]
    if host in ("0.0.0.0", "::", ""):
        addresses = _lan_addresses()
        urls = [f"http://{_url_host(a)}:{port}{suffix}" for a in addresses]
        return urls or [f"http://{socket.gethostname()}:{port}{suffix}"]
    return [f"http://{_url_host(host)}:{port}{suffix}"]


def _lan_addresses() -> list[str]:
    """This machine's own non-loopback IPv4 addresses (no network traffic)."""
    try:
        _, _, addresses = socket.gethostbyname_ex(socket.gethostname())
    except OSError:
        return []
    return sorted({a for a in addresses if not ipaddress.ip_address(a).is_loopback})


@dataclass(frozen=True)
class ServeConfig:
    host: str
    port: int
    workspace: Path
    bank: Path | None = None
    code: str | None = None
    public_url: str | None = None
    python: str = sys.executable

    @property
    def app_argv(self) -> list[str]:
        """The command each connection runs: no shell, so nothing can be injected."""
        argv = [self.python, "-m", "canvas_tui", "--workspace", str(self.workspace)]
        if self.bank is not None:
            argv += ["--bank", str(self.bank)]
        return argv

    def app_environment(self, base: dict[str, str]) -> dict[str, str]:
        env = dict(base)
        env["CANVAS_TUI_HOME"] = str(self.workspace)
        env["CANVAS_TUI_SERVED"] = "1"
        env.pop("CANVAS_TUI_DEBUG", None)  # no tracebacks in participants' browsers
        return env

    def urls(self, port: int | None = None) -> list[str]:
        return join_urls(self.host, port or self.port, self.code, self.public_url)


def plan(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workspace: str | Path | None = None,
    bank: str | Path | None = None,
    code: str | None = None,
    public_url: str | None = None,
    environ: dict[str, str] | None = None,
) -> ServeConfig:
    """Check the options and decide the configuration (raises `ServeError`)."""
    environ = dict(os.environ if environ is None else environ)
    if not 0 <= port <= 65535:
        raise ServeError(f"port {port} is not a port number", hint="use 1024-65535, e.g. 8000")
    if not host.strip():
        raise ServeError("--host is empty", hint="e.g. --host 0.0.0.0 for every address")
    if code is not None and not valid_code(code):
        raise ServeError(
            "the join code must be 4 to 64 letters, digits, '-' or '_'",
            hint="or leave --code out to get a generated one",
        )
    if code is None and not is_loopback(host):
        code = new_join_code()
    folder = Path(workspace or environ.get("CANVAS_TUI_HOME") or "workshop").expanduser()
    folder = folder.resolve()
    if folder.exists() and not folder.is_dir():
        raise ServeError("the workshop folder is a file", file=folder)
    try:
        (folder / "sessions").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ServeError(
            f"cannot create the workshop folder: {exc.strerror or exc}", file=folder
        ) from None
    bank_path = None
    if bank:
        from canvas_tui.core.interview.bank_loader import load_bank

        bank_path = Path(bank).expanduser().resolve()
        load_bank(bank_path)  # refuse a broken bank now, not in every participant's browser
    return ServeConfig(host.strip(), port, folder, bank_path, code, public_url)


# --------------------------------------------------------------------------- the page

PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>{{ title }}</title>
    <link rel="stylesheet" href="{{ static }}css/xterm.css" />
    <link rel="preload" href="{{ static }}fonts/RobotoMono-VariableFont_wght.ttf"
          as="font" type="font/ttf" crossorigin />
    <style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ static }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
        font-weight: 100 700;
        font-style: normal;
      }
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ static }}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
        font-weight: 100 700;
        font-style: italic;
      }
      html, body { margin: 0; height: 100%; background: #0c181f; }
      body { font-family: "Roboto Mono", Menlo, monospace; color: rgba(255, 255, 255, 0.95); }
      .textual-terminal { width: 100vw; height: 100vh; opacity: 0;
        transition: opacity 0.3s ease-out; }
      body.-first-byte .textual-terminal { opacity: 1; }
      .dialog { position: absolute; inset: 0; display: flex; align-items: center;
        justify-content: center; z-index: 10; background: #0c181f; }
      .dialog .box { max-width: 36rem; padding: 2rem; background: #12232d; text-align: center; }
      body.-first-byte .intro { display: none; }
      .closed { display: none; }
      body.-closed .closed { display: flex; }
      button { padding: 1rem 2rem; margin-top: 1rem; background: #5e0ba7; color: #fff;
        border: none; font: inherit; cursor: pointer; }
      button:hover { background: #ac5af4; }
      #start { display: none; }
      #start.-delay { display: inline-block; }
      .font-probe { position: absolute; visibility: hidden; }
    </style>
    <script src="{{ static }}js/textual.js"></script>
    <script>
      function startAgain() {
        const url = new URL(window.location.href);
        url.searchParams.delete("delay");
        window.location.href = url.pathname + "?" + url.searchParams.toString();
      }
    </script>
  </head>
  <body>
    <span class="font-probe">canvas-tui</span>
    <div class="dialog intro"><div class="box">
      <p>{{ title }}</p><p>Starting your session…</p>
      <button type="button" onclick="startAgain()" id="start">Start</button>
    </div></div>
    <div class="dialog closed"><div class="box">
      <p>Session ended. Your answers are saved in the workshop folder.</p>
      <button type="button" onclick="startAgain()">Start a new session</button>
    </div></div>
    <div id="terminal" class="textual-terminal"
         data-session-websocket-url="{{ websocket_url }}"
         data-font-size="{{ font_size }}"></div>
  </body>
</html>
"""


# --------------------------------------------------------------------------- the server


def _server_classes() -> tuple[type, type]:
    """Subclasses of textual-serve's Server and AppService (imported only here)."""
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    class WorkshopAppService(AppService):
        """One participant's app process: fixed argv, no shell, in the workshop folder."""

        config: ServeConfig

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            return self.config.app_environment(super()._build_environment(width, height))

        async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
            env = self._build_environment(width=width, height=height)
            self._process = process = await asyncio.create_subprocess_exec(
                *self.config.app_argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=env,
                cwd=str(self.config.workspace),
            )
            self._stdin = process.stdin
            return process

        async def stop(self) -> None:
            """Ask the app to quit; if it has not ended within seconds, end it."""
            try:
                await super().stop()
            finally:
                await self._reap()

        async def _reap(self) -> None:
            process = self._process
            if process is None or process.returncode is not None:
                return
            with contextlib.suppress(Exception):
                process.stdin.close()
            for ending in (None, process.terminate, process.kill):
                if ending is not None:
                    with contextlib.suppress(ProcessLookupError):
                        ending()
                try:
                    await asyncio.wait_for(process.wait(), 5)
                    return
                except TimeoutError:
                    continue

    class WorkshopServer(Server):
        def __init__(self, config: ServeConfig) -> None:
            import shlex

            super().__init__(
                command=shlex.join(config.app_argv),
                host=config.host,
                port=config.port,
                title="canvas-tui",
                public_url=config.public_url,
            )
            self.config = config

        async def _make_app(self) -> web.Application:
            import aiohttp_jinja2
            import jinja2

            app = web.Application(middlewares=[self._guard])
            aiohttp_jinja2.setup(
                app, loader=jinja2.DictLoader({"page.html": PAGE}), autoescape=True
            )
            app.add_routes(
                [
                    web.get("/", self.handle_index, name="index"),
                    web.get("/ws", self.handle_websocket, name="websocket"),
                    web.get("/download/{key}", self.handle_download, name="download"),
                    web.static("/static", self.statics_path, show_index=False, name="static"),
                ]
            )
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

        @web.middleware
        async def _guard(self, request: web.Request, handler: Callable[..., Any]) -> Any:
            given = request.query.get("code") or request.cookies.get(cookie_name(request.url.port))
            if not code_matches(given, self.config.code):
                return web.Response(status=403, text=FORBIDDEN)
            if request.path == "/ws" and not same_origin(
                request.headers.get("Origin"), request.host
            ):
                return web.Response(status=403, text="cross-origin connection refused")
            return await handler(request)

        async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
            import aiohttp_jinja2

            scheme = "wss" if request.secure else "ws"
            context = {
                "title": "canvas-tui workshop",
                "static": "/static/",
                "websocket_url": f"{scheme}://{request.host}/ws",
                "font_size": to_int(request.query.get("fontsize", "16"), 16),
            }
            response = aiohttp_jinja2.render_template("page.html", request, context)
            if self.config.code:
                response.set_cookie(
                    cookie_name(request.url.port),
                    self.config.code,
                    httponly=True,
                    samesite="Strict",
                    path="/",
                )
            response.headers["Cache-Control"] = "no-store"
            return response

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            service: Any = None
            try:
                await websocket.prepare(request)
                service = WorkshopAppService(
                    self.command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                service.config = self.config
                await service.start(width, height)
                try:
                    await self._process_messages(websocket, service)
                finally:
                    await service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:  # one participant's failure never stops the room
                import logging

                logging.getLogger("canvas-tui.serve").exception(error)
            finally:
                if service is not None:
                    await service.stop()
            return websocket

        async def on_startup(self, app: web.Application) -> None:
            pass  # the banner is printed once the port is bound (see serve())

    return WorkshopServer, WorkshopAppService


def make_server(config: ServeConfig) -> Any:
    """The textual-serve server for this configuration (tests drive its aiohttp app)."""
    server_class, _ = _server_classes()
    return server_class(config)


def banner(config: ServeConfig, port: int) -> str:
    lines = ["canvas-tui serve: the workshop is open.", "", "Participants join at:"]
    lines += [f"  {url}" for url in config.urls(port)]
    if config.host in ("0.0.0.0", "::", "") and not config.public_url:
        local = join_urls("127.0.0.1", port, config.code)[0]
        lines += ["", f"On this machine: {local}"]
    if config.code:
        lines += ["", f"Join code: {config.code} (required: a link without it gets 403)"]
    lines += [
        "",
        f"Sessions are saved in: {config.workspace}",
        f"Afterwards: canvas-tui sessions --home {config.workspace}",
        f"            canvas-tui merge --workspace {config.workspace} -o team.md",
        "",
        "Press Ctrl+C to stop.",
    ]
    return "\n".join(lines) + "\n"


async def _serve(config: ServeConfig, ready: Callable[[int], None] | None = None) -> None:
    from aiohttp import web

    server = make_server(config)
    app = await server._make_app()
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, config.host, config.port)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        raise ServeError(
            f"cannot listen on {config.host}:{config.port}: {exc.strerror or exc}",
            hint="is another server using that port? try --port 8001",
        ) from None
    port = config.port
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            port = int(address[1])
            break
    sys.stdout.write(banner(config, port))
    sys.stdout.flush()
    if ready is not None:
        ready(port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        sys.stdout.write("canvas-tui serve: stopping; every session is saved.\n")
        sys.stdout.flush()
        await runner.cleanup()


def serve(config: ServeConfig) -> int:
    asyncio.run(_serve(config))
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
    "same_origin",
    "serve",
    "serve_command",
)
