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
import socket
import sys
from asyncio.subprocess import Process
from collections.abc import Callable
from typing import Any

from textual_serve.app_service import AppService

from canvas_tui.serve import forks
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


async def spawn(
    config: ServeConfig, argv: list[str], env: dict[str, str], **options: Any
) -> Process:
    """Start an app process: no shell, in the workshop folder, ending with the server
    (`options`: more of create_subprocess_exec's, e.g. the fork server's pass_fds)."""
    pipes: dict[str, Any] = {
        "stdin": asyncio.subprocess.PIPE,
        "stdout": asyncio.subprocess.PIPE,
        "stderr": asyncio.subprocess.PIPE,
    }
    return await asyncio.create_subprocess_exec(
        *argv,
        **{**pipes, **options},
        env=env,
        cwd=str(config.workspace),
        preexec_fn=_die_with_parent(),
    )


async def end(process: Process | ForkedProcess) -> None:
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


class _WritePipe(asyncio.streams.FlowControlMixin, asyncio.Protocol):
    """The protocol under a StreamWriter on a pipe (as asyncio.subprocess has)."""

    def __init__(self) -> None:
        super().__init__()
        self._closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        if not self._closed.done():
            self._closed.set_result(None)

    def _get_close_waiter(self, stream: asyncio.StreamWriter) -> asyncio.Future[None]:
        return self._closed


async def _reader(fd: int) -> asyncio.StreamReader:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**16, loop=loop)
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader, loop=loop), os.fdopen(fd, "rb", buffering=0)
    )
    return reader


async def _writer(fd: int) -> asyncio.StreamWriter:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.connect_write_pipe(
        _WritePipe, os.fdopen(fd, "wb", buffering=0)
    )
    return asyncio.StreamWriter(transport, protocol, None, loop)


class ForkedProcess:
    """A participant's app forked by the fork server and adopted by the server: what
    textual-serve uses of asyncio.subprocess.Process (pid, the three streams, wait,
    terminate, kill, returncode). Its end is seen through a pidfd; signals go through
    the pidfd too, so they never reach another process that got the same id."""

    def __init__(
        self,
        pid: int,
        stdin: asyncio.StreamWriter,
        stdout: asyncio.StreamReader,
        stderr: asyncio.StreamReader,
    ) -> None:
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.returncode: int | None = None
        self._ended = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._pidfd: int | None = os.pidfd_open(pid)
        self._loop.add_reader(self._pidfd, self._reap)  # readable once the process ended

    def _reap(self) -> None:
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:  # not the server's child (no subreaper): ended all the same
            pid, status = self.pid, -1
        if pid == 0:
            return
        self.returncode = os.waitstatus_to_exitcode(status) if status >= 0 else 255
        if self._pidfd is not None:
            self._loop.remove_reader(self._pidfd)
            os.close(self._pidfd)
            self._pidfd = None
        self._ended.set()

    async def wait(self) -> int:
        await self._ended.wait()
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, number: int) -> None:
        if self._pidfd is None:
            raise ProcessLookupError(self.pid)
        signal.pidfd_send_signal(self._pidfd, number)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


#: How long the fork server may take to answer a request (a fork: milliseconds), and how
#: many times it is started before participants' apps start on their own for good.
FORK_SECONDS = 20
FORK_STARTS = 3


class ForkServer:
    """The server's side of the fork server (forks.py): starts it, asks it for a
    participant's app, starts it again if it ended (FORK_STARTS starts in all; a start
    that fails is not tried again: the warm processes take over, `on_give_up`), says each
    of these in one line (`say`)."""

    def __init__(
        self,
        config: ServeConfig,
        environment: dict[str, str],
        say: Callable[[str], None] | None = None,
        on_give_up: Callable[[], None] | None = None,
    ) -> None:
        self.config = config
        self.environment = environment
        self.say = say or _say
        self.on_give_up = on_give_up
        self.process: Process | None = None
        self.control: socket.socket | None = None
        self.starts = 0
        self.closed = False
        self.given_up = False
        self._starting: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    @property
    def ready(self) -> bool:
        return self.control is not None and not self.closed

    def start(self) -> None:
        """Start the fork server in the background (no-op while one starts or runs)."""
        if self.closed or self.given_up or self.ready:
            return
        if self._starting is not None and not self._starting.done():
            return
        if self.starts >= FORK_STARTS:
            self._give_up(f"the fork server ended {self.starts} times")
            return
        self.starts += 1
        self._starting = asyncio.ensure_future(self._start())

    async def _start(self) -> None:
        if not forks.become_subreaper():
            self._give_up("this system cannot adopt forked processes")
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            with theirs:
                self.process = await spawn(
                    self.config,
                    self.config.fork_argv(theirs.fileno()),
                    self.environment,
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=None,  # its errors go where the server's do
                    pass_fds=(theirs.fileno(),),
                )
            ours.setblocking(False)
            said = await asyncio.wait_for(
                asyncio.get_running_loop().sock_recv(ours, forks.MESSAGE_LIMIT), WARM_SECONDS
            )
        except (OSError, TimeoutError) as exc:
            said = str(exc).encode()
        if said != forks.READY or self.closed:
            ours.close()
            await self._end_process()
            if not self.closed:
                self._give_up("the fork server did not start")
            return
        self.control = ours
        if self.starts == 1:
            self.say("participants' apps start from a fork server (start-up memory shared)")
        else:
            self.say("the fork server is running again")

    def _give_up(self, why: str) -> None:
        if self.given_up:
            return
        self.given_up = True
        self.say(f"{why}: participants' apps start on their own (--warm)")
        if self.on_give_up is not None:
            self.on_give_up()

    async def fork(self, participant: str, width: int, height: int) -> ForkedProcess | None:
        """A new app process for `participant`, or None (no fork server ready: the caller
        starts one another way). A fork server that fails is ended and started again."""
        if not self.ready:
            self.start()
            return None
        async with self._lock:
            control = self.control
            if control is None:
                return None
            ends: list[int] = []
            ours: list[int] = []
            try:
                (in_read, in_write), (out_read, out_write), (err_read, err_write) = (
                    _pipe(),
                    _pipe(),
                    _pipe(),
                )
                ends, ours = [in_read, out_write, err_write], [in_write, out_read, err_read]
                request = forks.encode_request(participant, width, height)
                _send(control, request, ends)
                reply = await asyncio.wait_for(
                    asyncio.get_running_loop().sock_recv(control, forks.MESSAGE_LIMIT),
                    FORK_SECONDS,
                )
                pid = forks.decode_reply(reply)
            except (OSError, TimeoutError, forks.ForkError) as exc:
                forks.close_all(ends + ours)
                if isinstance(exc, forks.ForkError) and "says" in str(exc):
                    self.say(f"the fork server could not start an app: {exc}")
                    return None  # it is still running: this join starts on its own
                self.say(f"the fork server ended ({exc or type(exc).__name__}); starting it again")
                await self._restart()
                return None
            forks.close_all(ends)
            try:
                return ForkedProcess(
                    pid, await _writer(in_write), await _reader(out_read), await _reader(err_read)
                )
            except OSError:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                return None

    async def _restart(self) -> None:
        if self.control is not None:
            self.control.close()
            self.control = None
        await self._end_process()
        self.start()

    async def _end_process(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            await end(process)

    async def close(self) -> None:
        """The server stops: close the socket (the fork server then exits), end it."""
        self.closed = True
        if self._starting is not None:
            self._starting.cancel()
            with contextlib.suppress(BaseException):
                await self._starting
        if self.control is not None:
            self.control.close()
            self.control = None
        await self._end_process()


def _pipe() -> tuple[int, int]:
    return os.pipe()  # both ends close-on-exec: no other process started inherits them


def _send(control: socket.socket, request: bytes, fds: list[int]) -> None:
    """One request with its descriptors (a small message: a full socket buffer means
    the fork server is stuck, which the caller treats as its end)."""
    sent = socket.send_fds(control, [request], fds)
    if sent != len(request):
        raise OSError("the request was cut short")


def _say(text: str) -> None:
    sys.stdout.write(f"canvas-tui serve: {text}\n")
    sys.stdout.flush()


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
    forks: ForkServer | None = None  # where a forked one comes from, first

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        width, height = terminal_size(width, height)
        return self.config.app_environment(super()._build_environment(width, height))

    async def start(self, width: int, height: int) -> None:
        await super().start(*terminal_size(width, height))

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*terminal_size(width, height))

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        process: Any = None
        if self.forks is not None:
            process = await self.forks.fork(self.participant, *terminal_size(width, height))
        warm = self.pool.take() if self.pool is not None and process is None else None
        if process is not None:
            self._process = process
        elif warm is not None and warm.stdin is not None:
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
