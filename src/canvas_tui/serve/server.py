"""The web server of `canvas-tui serve`: textual-serve's Server with our page and guard.

Routes: `/` (the page, page.html), `/ws` (one participant's app over a WebSocket),
`/download/{key}` (exports as browser downloads), `/static/` (textual-serve's script,
stylesheet and font). Every request passes `_guard` (the join code, the Origin check).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import shlex
import signal
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from canvas_tui.core.errors import CanvasTuiError
from canvas_tui.serve import forks
from canvas_tui.serve.access import (
    FORBIDDEN,
    JoinThrottle,
    allowed_names,
    code_matches,
    cookie_name,
    host_allowed,
    origin_allowed,
    participant_cookie,
)
from canvas_tui.serve.config import ServeConfig, ServeError, banner
from canvas_tui.serve.participants import (
    NAME_LIMIT,
    Participant,
    Registry,
    new_token,
    participant_id,
)
from canvas_tui.serve.process import ForkServer, WarmPool, WorkshopAppService

#: The page template's folder (page.html ships inside the package, see pyproject.toml).
PAGE_FOLDER = Path(__file__).parent
PAGE = "page.html"
JOIN_PAGE = "join.html"
#: How long a browser keeps its participant cookie (a day: a workshop, and its morrow).
PARTICIPANT_COOKIE_SECONDS = 24 * 3600
NO_NAME = "Give your name first: open the workshop's link."
#: The most app processes running at once (each ~60-80 MB): beyond, a join waits.
MAX_APPS = 200
FULL = "The workshop has as many participants as this machine can serve: try again soon."
log = logging.getLogger("canvas-tui.serve")


WRONG_HOST = "This server does not answer to that name. Open the link the facilitator gave you."


class WorkshopServer(Server):
    def __init__(self, config: ServeConfig, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(
            command=shlex.join(config.app_argv("<participant>")),
            host=config.host,
            port=config.port,
            title="canvas-tui",
            public_url=config.public_url,
        )
        self.config = config
        #: The names a browser may send in Host (addresses are always accepted).
        self.names = allowed_names(config.host, config.public_url, [socket.gethostname()])
        self.throttle = JoinThrottle(clock)
        #: Every participant's app process still running: stopped on shutdown.
        self.services: set[WorkshopAppService] = set()
        #: Each participant's current app: a second tab or a reload takes over from it.
        self.current: dict[str, tuple[WorkshopAppService, web.WebSocketResponse]] = {}
        self.registry = Registry(config.workspace)
        environment = self._warm_environment()
        self.pool = WarmPool(config, config.warm, environment)
        #: The fork server (Linux): while it runs, no warm processes wait (it replaces
        #: them); if it cannot run, they do.
        self.forks: ForkServer | None = None
        if config.fork and forks.available():
            self.forks = ForkServer(config, environment, on_give_up=self._warm_instead)
            self.pool.size = 0

    def _warm_instead(self) -> None:
        """The fork server cannot run: warm processes (--warm N) serve the joins."""
        self.pool.size = max(0, self.config.warm)
        self.pool.fill()

    def _warm_environment(self) -> dict[str, str]:
        """A warm process's environment: as textual-serve builds it, at 80x24 (the real
        size comes with its participant)."""

        async def nothing(*_: Any) -> None:
            return None

        probe = WorkshopAppService(
            self.command,
            write_bytes=nothing,
            write_str=nothing,
            close=nothing,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        probe.config = self.config
        return probe._build_environment(80, 24)

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        aiohttp_jinja2.setup(
            app,
            loader=jinja2.FileSystemLoader(str(PAGE_FOLDER)),
            autoescape=jinja2.select_autoescape(["html"], default=True),
        )
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.post("/join", self.handle_join, name="join"),
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
        """Every request, page, script, download and WebSocket alike, passes here."""
        host = request.headers.get("Host")
        if not host_allowed(host, self.names):  # a rebound domain (DNS rebinding)
            return web.Response(status=421, text=WRONG_HOST)
        if not origin_allowed(request.headers.get("Origin"), host):
            return web.Response(status=403, text="cross-origin request refused")
        client = request.remote or "?"
        wait = self.throttle.wait(client)
        if wait > 0:
            seconds = math.ceil(wait)
            return web.Response(
                status=429,
                text=f"Too many wrong join codes: try again in {seconds} seconds.",
                headers={"Retry-After": str(seconds)},
            )
        given = request.query.get("code") or request.cookies.get(cookie_name(request.url.port))
        if not code_matches(given, self.config.code):
            if given:
                self.throttle.failed(client)
            return web.Response(status=403, text=FORBIDDEN)
        if given and self.config.code:
            self.throttle.succeeded(client)
        return await handler(request)

    def _participant(self, request: web.Request) -> tuple[str | None, Participant | None]:
        """The participant token in the request's cookie and who it stands for."""
        token = request.cookies.get(participant_cookie(request.url.port))
        if not token or len(token) > 100:
            return None, None
        return token, self.registry.get(participant_id(token))

    def _set_cookies(self, request: web.Request, response: web.StreamResponse, token: str) -> None:
        port = request.url.port
        if self.config.code:
            response.set_cookie(
                cookie_name(port), self.config.code, httponly=True, samesite="Strict", path="/"
            )
        response.set_cookie(
            participant_cookie(port),
            token,
            httponly=True,
            samesite="Strict",
            path="/",
            max_age=PARTICIPANT_COOKIE_SECONDS,
        )

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The app page for a participant who gave their name, else the name form."""
        token, participant = self._participant(request)
        token = token or new_token()
        if participant is None:
            return self._join_page(request, token)
        scheme = "wss" if request.secure else "ws"
        context = {
            "title": "canvas-tui workshop",
            "name": participant.name,
            "static": "/static/",
            "websocket_url": f"{scheme}://{request.host}/ws",
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
        }
        response = aiohttp_jinja2.render_template(PAGE, request, context)
        self._set_cookies(request, response, token)
        response.headers["Cache-Control"] = "no-store"
        return response

    def _join_page(
        self, request: web.Request, token: str, error: str = "", name: str = "", status: int = 200
    ) -> web.StreamResponse:
        context = {"title": "canvas-tui workshop", "error": error, "name": name}
        response = aiohttp_jinja2.render_template(JOIN_PAGE, request, context, status=status)
        self._set_cookies(request, response, token)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_join(self, request: web.Request) -> web.StreamResponse:
        """The name form's answer: record the name, then on to the app page."""
        token, _ = self._participant(request)
        token = token or new_token()
        form = await request.post()
        name = form.get("name")
        try:
            self.registry.join(participant_id(token), name if isinstance(name, str) else "")
        except CanvasTuiError as exc:
            typed = name[: NAME_LIMIT * 4] if isinstance(name, str) else ""
            return self._join_page(request, token, exc.message, typed, status=400)
        response = web.Response(status=303, headers={"Location": "/"})
        self._set_cookies(request, response, token)
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        _, participant = self._participant(request)
        if participant is None:
            raise web.HTTPForbidden(text=NO_NAME)
        earlier = self.current.get(participant.id)
        if earlier is None and len(self.services) >= MAX_APPS:
            raise web.HTTPServiceUnavailable(text=FULL)
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: WorkshopAppService | None = None
        try:
            await websocket.prepare(request)

            async def close() -> None:
                await websocket.close()

            service = WorkshopAppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            service.config = self.config
            service.participant = participant.id
            service.pool = self.pool
            service.forks = self.forks
            earlier = self.current.get(participant.id)  # again: another tab may have won
            if earlier is not None:  # a reload or a second tab: one app per participant,
                earlier_service, earlier_socket = earlier  # so the session's lock is free
                await earlier_service.stop()
                await earlier_socket.close(message=b"opened in another tab")
            self.current[participant.id] = (service, websocket)
            self.services.add(service)
            await service.start(width, height)
            try:
                await self._process_messages(websocket, service)
            finally:
                await service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one participant's failure never stops the room
            log.exception(error)
        finally:
            if service is not None:
                await service.stop()
                self.services.discard(service)
                if self.current.get(service.participant, (None,))[0] is service:
                    del self.current[service.participant]
        return websocket

    async def on_shutdown(self, app: web.Application) -> None:
        """Stop every participant's app (each is asked to quit, then ended)."""
        await self.pool.close()
        if self.forks is not None:
            await self.forks.close()
        services = list(self.services)
        self.services.clear()
        await asyncio.gather(*(service.stop() for service in services), return_exceptions=True)

    async def on_startup(self, app: web.Application) -> None:
        """Start the fork server, or the warm processes (the banner is printed once the
        port is bound)."""
        if self.forks is not None:
            self.forks.start()
        else:
            self.pool.fill()


def make_server(config: ServeConfig, clock: Callable[[], float] = time.monotonic) -> WorkshopServer:
    """The textual-serve server for this configuration (tests drive its aiohttp app)."""
    return WorkshopServer(config, clock)


async def run(config: ServeConfig, ready: Callable[[int], None] | None = None) -> None:
    """Serve until SIGINT or SIGTERM (raises `ServeError` when the port is taken)."""
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
