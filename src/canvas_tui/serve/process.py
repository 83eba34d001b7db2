"""One participant's app process: a fixed command, no shell, in the workshop folder.

A subclass of textual-serve's `AppService` (pinned exactly in pyproject.toml). What it
adds: the terminal size a browser asks for is capped (`MAX_WIDTH` x `MAX_HEIGHT`: a page
asking for 10000x10000 cells would cost the server ~400 MB), and the process ends with the
server: on Linux the kernel sends it SIGTERM when the server dies, even by `kill -9`
(`PR_SET_PDEATHSIG`); everywhere, the server stops every process it started when it
shuts down (server.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import signal
import sys
from asyncio.subprocess import Process
from collections.abc import Callable
from typing import Any

from textual_serve.app_service import AppService

from canvas_tui.serve.config import ServeConfig

#: The largest terminal a participant's browser gets, in cells (a 4K screen at a small
#: font is about 300 x 100).
MAX_WIDTH = 300
MAX_HEIGHT = 100
PR_SET_PDEATHSIG = 1
#: What a warm process prints once ready (before textual-serve's own start line), and
#: how long it may take to get there.
WARM_READY = b"__CANVAS_TUI_WARM__\n"
WARM_SECONDS = 120
#: How long an app may take to quit when asked, before it is terminated (then killed).
QUIT_SECONDS = 5


def terminal_size(width: Any, height: Any) -> tuple[int, int]:
    """The size to give the app: whole cells, at least 1x1, at most MAX_WIDTH x MAX_HEIGHT."""

    def cells(value: Any, default: int, most: int) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError, OverflowError):
            number = default
        return max(1, min(most, number))

    return cells(width, 80, MAX_WIDTH), cells(height, 24, MAX_HEIGHT)


def _die_with_parent() -> Callable[[], None] | None:
    """A pre-exec hook that has the kernel end the child when the server dies (Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def hook() -> None:  # runs in the child between fork and exec: no allocation-heavy work
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the server died before the line above took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return hook


async def spawn(config: ServeConfig, argv: list[str], env: dict[str, str]) -> Process:
    """Start an app process: no shell, in the workshop folder, ending with the server."""
    return await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=str(config.workspace),
        preexec_fn=_die_with_parent(),
    )


async def end(process: Process) -> None:
    """Close its input (an app quits), then terminate, then kill: each waited for."""
    if process.returncode is not None:
        return
    with contextlib.suppress(Exception):
        if process.stdin is not None:
            process.stdin.close()
    for ending in (None, process.terminate, process.kill):
        if ending is not None:
            with contextlib.suppress(ProcessLookupError):
                ending()
        try:
            await asyncio.wait_for(process.wait(), QUIT_SECONDS)
            return
        except TimeoutError:
            continue


class WarmPool:
    """App processes started ahead of the participants who will use them.

    A warm process (``participant_app --wait``) has imported the app, loaded the bank and
    catalogue and run the inference once, then waits for one line on its input: which
    participant it serves, and the terminal size. Taking one makes a join cost only the
    building of that participant's screen; the pool then starts a replacement. `size` 0
    turns it off (every join starts a process of its own).
    """

    def __init__(self, config: ServeConfig, size: int, environment: dict[str, str]) -> None:
        self.config = config
        self.size = max(0, size)
        self.environment = environment
        self.ready: list[Process] = []
        self.starting = 0
        self.closed = False
        self.last_take = float("-inf")
        self._tasks: set[asyncio.Task[None]] = set()

    #: At most this many processes start at once, and none within REFILL_DELAY seconds of
    #: a join: replacements must not take the CPU from participants joining right now.
    AT_ONCE = 2
    REFILL_DELAY = 10.0

    def fill(self) -> None:
        """Start processes in the background until `size` are ready or starting."""
        while (
            not self.closed
            and self.starting < self.AT_ONCE
            and len(self.ready) + self.starting < self.size
        ):
            self.starting += 1
            task = asyncio.ensure_future(self._start_one())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _start_one(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while (wait := self.last_take + self.REFILL_DELAY - loop.time()) > 0:
                await asyncio.sleep(wait)
            process = await spawn(self.config, self.config.warm_argv(), self.environment)
            try:  # ready once it has done its start-up work and says so
                assert process.stdout is not None
                said = await asyncio.wait_for(process.stdout.readline(), WARM_SECONDS)
            except (TimeoutError, ValueError):
                said = b""
            if said != WARM_READY or self.closed:
                await end(process)  # a failed start is not retried until the next join
                return
        except OSError:
            return
        finally:
            self.starting -= 1
        self.ready.append(process)
        self.fill()

    def take(self) -> Process | None:
        """A ready process that is still running, or None (the pool refills itself)."""
        self.last_take = asyncio.get_running_loop().time()
        while self.ready:
            process = self.ready.pop(0)
            if process.returncode is None:
                self.fill()
                return process
        self.fill()
        return None

    async def close(self) -> None:
        self.closed = True
        for task in list(self._tasks):
            task.cancel()
        ready, self.ready = self.ready, []
        await asyncio.gather(*(end(p) for p in ready), return_exceptions=True)


def assignment(participant: str, width: int, height: int) -> bytes:
    """The line a warm process waits for (participant_app.read_assignment reads it)."""
    width, height = terminal_size(width, height)
    return (
        json.dumps({"participant": participant, "width": width, "height": height}) + "\n"
    ).encode()


class WorkshopAppService(AppService):
    """One participant's app process: fixed argv, no shell, in the workshop folder."""

    config: ServeConfig
    participant: str  # the participant's id (participants.participant_id)
    pool: WarmPool | None = None  # where a ready process may come from

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        width, height = terminal_size(width, height)
        return self.config.app_environment(super()._build_environment(width, height))

    async def start(self, width: int, height: int) -> None:
        await super().start(*terminal_size(width, height))

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*terminal_size(width, height))

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        warm = self.pool.take() if self.pool is not None else None
        if warm is not None and warm.stdin is not None:
            warm.stdin.write(assignment(self.participant, width, height))
            self._process = process = warm
        else:
            env = self._build_environment(width=width, height=height)
            self._process = process = await spawn(
                self.config, self.config.app_argv(self.participant), env
            )
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def stop(self) -> None:
        """Ask the app to quit; if it has not ended within seconds, end it."""
        try:
            await asyncio.wait_for(super().stop(), QUIT_SECONDS)
        except TimeoutError:
            pass  # ended below
        finally:
            await self._reap()

    async def _reap(self) -> None:
        if self._process is not None:
            await end(self._process)
