"""One participant's app process: a fixed command, no shell, in the workshop folder.

A subclass of textual-serve's `AppService` (pinned exactly in pyproject.toml).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from textual_serve.app_service import AppService

from canvas_tui.serve.config import ServeConfig


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
            if process.stdin is not None:
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
