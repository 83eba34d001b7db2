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
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from textual_serve.app_service import AppService

from canvas_tui.serve.config import ServeConfig

#: The largest terminal a participant's browser gets, in cells (a 4K screen at a small
#: font is about 300 x 100).
MAX_WIDTH = 300
MAX_HEIGHT = 100
PR_SET_PDEATHSIG = 1
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


class WorkshopAppService(AppService):
    """One participant's app process: fixed argv, no shell, in the workshop folder."""

    config: ServeConfig
    participant: str  # the participant's id (participants.participant_id)

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        width, height = terminal_size(width, height)
        return self.config.app_environment(super()._build_environment(width, height))

    async def start(self, width: int, height: int) -> None:
        await super().start(*terminal_size(width, height))

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*terminal_size(width, height))

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        env = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.config.app_argv(self.participant),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
            cwd=str(self.config.workspace),
            preexec_fn=_die_with_parent(),
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
        process = self._process
        if process is None or process.returncode is not None:
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
