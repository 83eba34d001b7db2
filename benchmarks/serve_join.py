"""N participants join a served workshop at once: time to first screen, memory each.

A benchmark (it prints, never asserts). Starts the real ``canvas-tui serve`` on loopback
(a free port, a fresh workshop folder), then N scripted clients (aiohttp, no browser) do
what a browser does, all at the same moment: load the page, give a name (POST /join),
open the WebSocket at 100x30, and wait for the app's first screen (the header's
"canvas-tui" in the terminal output). Prints the time from the start of the join to that
first screen (p50, p95, max), the wall time for all, and the memory of the participants'
app processes once all are up: resident (VmRSS) and proportional (Pss, shared pages
split between the processes that share them), per participant, Linux /proc.

Bounded: at most 50 clients, and every wait has a deadline (--timeout, at most 600 s);
a client that does not get its first screen in time is reported as failed.

    python benchmarks/serve_join.py                # 20 participants, forked (Linux)
    python benchmarks/serve_join.py --no-fork --warm 20   # 20 processes started ahead
    python benchmarks/serve_join.py --no-fork      # each a new process
    python benchmarks/serve_join.py --clients 5
    python benchmarks/serve_join.py --workshop     # serve --workshop (a room's first screen)

Issue 15's target on 2 cores: 20 joins within 10 s p95, <= 60 MB per participant.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

MAX_CLIENTS = 50
MAX_TIMEOUT = 600.0
FIRST_SCREEN = b"canvas-tui"
#: With --workshop the room's countdown takes the header's place, so "canvas-tui" never
#: comes: a room's first screen is the one with the answer box.
WORKSHOP_FIRST_SCREEN = b"Your answer"


def first_screen_marker(workshop: bool) -> bytes:
    """What the app's first screen holds (in the terminal output's bytes)."""
    return WORKSHOP_FIRST_SCREEN if workshop else FIRST_SCREEN


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, Pss) of one process in MB; NaN where /proc does not say."""
    rss = pss = float("nan")
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) / 1024
    return rss, pss


def start_server(
    workspace: Path, timeout: float, warm: int, *, workshop: bool = False, fork: bool = True
) -> tuple[subprocess.Popen[str], int]:
    """`canvas-tui serve` on a free loopback port (with `--workshop` for a room; without
    its fork server with `fork=False`)."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "canvas_tui",
            "serve",
            "--port",
            "0",
            "--workspace",
            str(workspace),
            "--warm",
            str(warm),
            *(["--workshop"] if workshop else []),
            *([] if fork else ["--no-fork"]),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    banner = ""
    deadline = time.monotonic() + timeout
    while "Press Ctrl+C" not in banner:
        line = proc.stdout.readline()
        if not line or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit(
                f"serve did not start: {banner}{proc.stderr.read() if proc.stderr else ''}"
            )
        banner += line
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", banner)
    assert match, banner
    return proc, int(match.group(1))


class Room:
    """What the clients report: first-screen times and failures."""

    def __init__(self, clients: int) -> None:
        self.clients = clients
        self.times: list[float] = []
        self.failures: list[str] = []
        self.changed = asyncio.Event()

    def report(self, elapsed: float | None = None, failure: str | None = None) -> None:
        if failure is not None:
            self.failures.append(failure)
        elif elapsed is not None:
            self.times.append(elapsed)
        self.changed.set()

    @property
    def settled(self) -> bool:
        return len(self.times) + len(self.failures) >= self.clients


async def join(
    port: int,
    number: int,
    room: Room,
    go: asyncio.Event,
    hold: asyncio.Event,
    until: bytes = FIRST_SCREEN,
) -> None:
    """One participant: reports the seconds from the start of its join to its first
    screen, then stays connected until the memory is measured."""
    base = f"http://127.0.0.1:{port}"
    jar = aiohttp.CookieJar(unsafe=True)
    try:
        async with aiohttp.ClientSession(cookie_jar=jar) as http:
            await go.wait()
            start = time.perf_counter()
            async with http.get(f"{base}/") as page:
                await page.read()
            async with http.post(f"{base}/join", data={"name": f"Participant {number}"}) as page:
                await page.read()
            async with http.ws_connect(f"ws://127.0.0.1:{port}/ws?width=100&height=30") as ws:
                screen = b""
                while until not in screen:
                    message = await ws.receive()
                    if message.type == aiohttp.WSMsgType.BINARY:
                        screen += message.data
                    elif message.type != aiohttp.WSMsgType.TEXT:
                        raise RuntimeError(f"connection ended: {message.type.name}")
                room.report(time.perf_counter() - start)
                await hold.wait()
    except Exception as exc:  # a benchmark reports a failed client, it does not stop
        room.report(failure=f"{type(exc).__name__}: {exc}")


def command_line(pid: int) -> list[str]:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_text().split("\0")
    return []


def fork_servers(server: int) -> set[int]:
    """The server's fork server (a child run with --fork-server), if it has one. Call
    before participants join: the apps it forks have the same command line."""
    return {pid for pid in children(server) if "--fork-server" in command_line(pid)}


def participant_apps(server: int, before: set[int], zygotes: set[int]) -> list[int]:
    """The processes serving participants: forked by the fork server, started on their
    own (--participant), or warm ones that were waiting before the join (`before`); not
    the fork server, not warm replacements started since."""
    found = []
    for pid in children(server):
        argv = command_line(pid)
        if pid in zygotes:
            continue
        if pid in before or "--participant" in argv or "--fork-server" in argv:
            found.append(pid)
    return found


def ready(server: int, warm: int, fork: bool) -> bool:
    """Whether the server is ready for the room: its fork server (when `fork`) or
    `warm` warm processes wait (state S: start-up work done, reading their input)."""
    if fork:
        zygotes = fork_servers(server)
        return bool(zygotes) and all(_state(pid) == "S" for pid in zygotes)
    return warm_ready(server, warm)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "?"


def warm_ready(server: int, count: int) -> bool:
    """Whether `count` warm processes of the server wait for their participant (each has
    imported the app and then blocks reading its input: state S, a few seconds of CPU
    done). Judged by their CPU time no longer growing."""
    apps = children(server)
    if len(apps) < count:
        return False
    ticks = []
    for pid in apps:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return False
        ticks.append((fields[0], int(fields[11]) + int(fields[12])))
    return all(state == "S" for state, _ in ticks)


async def wait_until_ready(server: int, warm: int, fork: bool, timeout: float) -> None:
    """As a facilitator would: the server started before the room joins (its fork
    server, or its warm processes, settled for three looks in a row)."""
    if not (warm or fork):
        return
    deadline = time.monotonic() + timeout
    settled = 0
    while settled < 3 and time.monotonic() < deadline:
        settled = settled + 1 if ready(server, warm, fork) else 0
        await asyncio.sleep(0.5)


def memory_lines(memory: list[tuple[float, float]], zygotes: list[tuple[float, float]]) -> str:
    """The memory per participant; with a fork server, its own PSS too (the pages it
    shares with the participants' apps are split between all of them: the honest
    figure per participant counts its share)."""
    rss = [m[0] for m in memory]
    pss = [m[1] for m in memory]
    text = (
        f"  per participant: PSS median {statistics.median(pss):.1f} MB, "
        f"RSS median {statistics.median(rss):.1f} MB "
        f"({len(memory)} app processes, PSS total {sum(pss):.0f} MB)"
    )
    if zygotes:
        own = sum(m[1] for m in zygotes)
        text += (
            f"\n  fork server: PSS {own:.1f} MB; (apps + fork server) / participants: "
            f"{(sum(pss) + own) / len(memory):.1f} MB"
        )
    return text


async def run(
    clients: int, timeout: float, warm: int, fork: bool = True, workshop: bool = False
) -> int:
    memory: list[tuple[float, float]] = []
    zygote_memory: list[tuple[float, float]] = []
    room = Room(clients)
    with tempfile.TemporaryDirectory(prefix="serve-join-") as folder:
        server, port = start_server(
            Path(folder) / "workshop", timeout, warm, fork=fork, workshop=workshop
        )
        await wait_until_ready(server.pid, warm, fork, timeout)
        # the memory of the processes that serve the participants (not of replacements
        # a warm pool starts afterwards, not of the fork server itself)
        zygotes = fork_servers(server.pid)
        before = set(children(server.pid)) - zygotes
        go, hold = asyncio.Event(), asyncio.Event()
        until = first_screen_marker(workshop)
        tasks = [
            asyncio.create_task(join(port, i + 1, room, go, hold, until)) for i in range(clients)
        ]
        try:
            await asyncio.sleep(0.2)  # every client ready: then all join at once
            wall = time.perf_counter()
            go.set()
            deadline = time.monotonic() + timeout
            while not room.settled and time.monotonic() < deadline:
                room.changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(room.changed.wait(), deadline - time.monotonic())
            wall = time.perf_counter() - wall
            memory = [memory_mb(pid) for pid in participant_apps(server.pid, before, zygotes)]
            zygote_memory = [memory_mb(pid) for pid in zygotes]
        finally:
            hold.set()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    late = clients - len(room.times) - len(room.failures)
    print(
        f"serve_join: {clients} participants joining at once on loopback "
        f"({os.cpu_count()} CPUs, --warm {warm}{'' if fork else ' --no-fork'}"
        f"{' --workshop' if workshop else ''}; "
        f"{'a fork server' if zygotes else 'no fork server'}; "
        f"load average {os.getloadavg()[0]:.1f})"
    )
    if room.times:
        times = sorted(room.times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(
            f"  first screen: p50 {statistics.median(times):.2f} s, p95 {p95:.2f} s, "
            f"max {times[-1]:.2f} s ({len(times)} of {clients}; all settled after {wall:.2f} s)"
        )
    if room.failures or late:
        print(f"  failed: {len(room.failures)}, no first screen within {timeout:.0f} s: {late}")
        for failure in sorted(set(room.failures))[:5]:
            print(f"    {failure}")
    if memory:
        print(memory_lines(memory, zygote_memory))
    return 0 if len(room.times) == clients else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help=f"at most {MAX_CLIENTS}")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds, at most 600")
    parser.add_argument(
        "--warm", type=int, default=0, help="serve --warm N: app processes started ahead (0-50)"
    )
    parser.add_argument(
        "--no-fork", action="store_true", help="serve --no-fork: no fork server (warm or cold)"
    )
    parser.add_argument(
        "--workshop", action="store_true", help="serve --workshop: a room (its first screen)"
    )
    args = parser.parse_args(argv)
    clients = max(1, min(MAX_CLIENTS, args.clients))
    timeout = max(1.0, min(MAX_TIMEOUT, args.timeout))
    warm = max(0, min(MAX_CLIENTS, args.warm))
    return asyncio.run(run(clients, timeout, warm, fork=not args.no_fork, workshop=args.workshop))


if __name__ == "__main__":
    sys.exit(main())
