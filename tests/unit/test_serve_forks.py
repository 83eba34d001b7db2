"""`canvas-tui serve`'s fork server (serve/forks.py): the protocol, and the real thing.

Pure parts: the request and reply messages, the fork server's loop on requests it must
refuse. Integration (slow, Linux): the real server with its fork server, two participants
who answer, each in a forked process of their own adopted by the server, and a server
killed with SIGKILL taking their apps with it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from canvas_tui.serve import forks
from canvas_tui.serve.config import ServeConfig

ALEX = "0123456789abcdef"


def test_a_request_names_a_participant_and_a_capped_size():
    data = forks.encode_request(ALEX, 10000, 0)
    assert forks.decode_request(data) == (ALEX, forks.MAX_WIDTH, 1)
    assert forks.decode_request(forks.encode_request(ALEX, 100, 30)) == (ALEX, 100, 30)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b"[]",
        b'{"width": 80}',
        b'{"participant": "../../etc", "width": 80, "height": 24}',
        b'{"participant": 7}',
        b'{"participant": "0123456789abcdef", "pad": "' + b"x" * 2000 + b'"}',
    ],
)
def test_a_request_that_is_not_one_is_refused(data):
    with pytest.raises(forks.ForkError):
        forks.decode_request(data)


def test_only_a_participant_id_can_be_requested():
    with pytest.raises(forks.ForkError):
        forks.encode_request("alex; rm -rf /", 80, 24)


def test_a_reply_is_a_process_id_or_the_fork_servers_words():
    assert forks.decode_reply(forks.encode_reply(4242)) == 4242
    with pytest.raises(forks.ForkError, match="says: cannot fork: no memory"):
        forks.decode_reply(forks.encode_reply(error="cannot fork:\nno memory"))
    with pytest.raises(forks.ForkError, match="ended"):
        forks.decode_reply(b"")  # the socket closed: the fork server is gone
    for bad in (b"{", b'{"pid": 1}', b'{"pid": true}', b'{"pid": "12"}', b"[]"):
        with pytest.raises(forks.ForkError):
            forks.decode_reply(bad)
    assert len(forks.encode_reply(error="x" * 5000)) < forks.MESSAGE_LIMIT


@pytest.mark.skipif(not hasattr(socket, "send_fds"), reason="needs SCM_RIGHTS")
def test_the_fork_server_refuses_bad_requests_and_stops_when_the_server_closes():
    ran: list[str] = []
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    result: list[int] = []
    loop = threading.Thread(
        target=lambda: result.append(forks.serve_forks(theirs, lambda *a: ran.append("x") or 0))
    )
    loop.start()
    try:
        ours.settimeout(10)
        assert ours.recv(forks.MESSAGE_LIMIT) == forks.READY
        # a request without its three descriptors: refused, nothing forked
        ours.send(forks.encode_request(ALEX, 80, 24))
        assert "3 descriptors" in json.loads(ours.recv(forks.MESSAGE_LIMIT))["error"]
        # descriptors with a request that is not one: refused, the descriptors closed
        read, write = os.pipe()
        socket.send_fds(ours, [b"nonsense"], [read, write, write])
        assert "not understood" in json.loads(ours.recv(forks.MESSAGE_LIMIT))["error"]
        os.close(read)
        os.close(write)
    finally:
        ours.close()  # the server stops: the loop ends
        loop.join(timeout=10)
    theirs.close()
    assert result == [0] and ran == []


def test_the_fork_server_command_is_fixed_and_follows_the_options(tmp_path):
    config = ServeConfig("127.0.0.1", 0, tmp_path, bank=tmp_path / "bank", workshop=True)
    assert config.fork_argv(7) == [
        sys.executable,
        "-m",
        "canvas_tui.serve.participant_app",
        "--workshop",
        str(tmp_path),
        "--fork-server",
        "7",
        "--room",
        "--bank",
        str(tmp_path / "bank"),
    ]


def test_plan_and_the_cli_turn_the_fork_server_on_unless_told(tmp_path):
    from canvas_tui.cli.parser import build_parser
    from canvas_tui.serve import plan

    assert plan(workspace=tmp_path).fork is True
    assert plan(workspace=tmp_path, fork=False).fork is False
    args = build_parser().parse_args(["serve", "--no-fork"])
    assert args.no_fork is True


# --------------------------------------------------------------------------- the server's side

#: A stand-in fork server: says READY on the socket it is given, then ends at the first
#: request (as a fork server killed between two joins).
FAKE_FORK_SERVER = """\
import socket, sys
control = socket.socket(fileno=int(sys.argv[sys.argv.index("--fork-server") + 1]))
control.send(b'{"ready": true}')
control.recv(1024)
"""


def _fake(tmp_path: Path, text: str) -> str:
    from tests.conftest import write

    fake = write(tmp_path / "fake-python", f"#!{sys.executable}\n{text}")
    fake.chmod(0o755)
    return str(fake)


@pytest.mark.skipif(not forks.available(), reason="the fork server needs Linux")
async def test_a_fork_server_that_cannot_start_hands_over_to_the_warm_processes(
    tmp_path, monkeypatch
):
    from canvas_tui.serve.process import ForkServer

    monkeypatch.setattr(forks, "become_subreaper", lambda: True)  # not the test runner
    config = ServeConfig("127.0.0.1", 0, tmp_path, python=_fake(tmp_path, "raise SystemExit(3)"))
    said: list[str] = []
    handed: list[bool] = []
    server = ForkServer(config, dict(os.environ), said.append, lambda: handed.append(True))
    try:
        server.start()
        await server._starting
        assert server.given_up and not server.ready and handed == [True]
        assert said == [
            "the fork server did not start: participants' apps start on their own (--warm)"
        ]
        assert await server.fork(ALEX, 80, 24) is None  # the join starts its app elsewhere
        assert server.starts == 1  # a start that failed is not tried again
    finally:
        await server.close()


@pytest.mark.skipif(not forks.available(), reason="the fork server needs Linux")
async def test_a_fork_server_that_ended_is_started_again_then_given_up(tmp_path, monkeypatch):
    from canvas_tui.serve import process
    from canvas_tui.serve.process import ForkServer

    monkeypatch.setattr(forks, "become_subreaper", lambda: True)  # not the test runner
    config = ServeConfig("127.0.0.1", 0, tmp_path, python=_fake(tmp_path, FAKE_FORK_SERVER))
    said: list[str] = []
    handed: list[bool] = []
    server = ForkServer(config, dict(os.environ), said.append, lambda: handed.append(True))
    try:
        for start in range(1, process.FORK_STARTS + 1):
            server.start()
            await server._starting
            assert server.ready and server.starts == start
            assert await server.fork(ALEX, 80, 24) is None  # it ends: this join starts elsewhere
            assert not server.ready
        server.start()
        assert server.given_up and handed == [True]
    finally:
        await server.close()
    assert said[0] == "participants' apps start from a fork server (start-up memory shared)"
    assert said[1].startswith("the fork server ended (") and "starting it again" in said[1]
    assert "the fork server is running again" in said
    assert said[-1] == (
        f"the fork server ended {process.FORK_STARTS} times: participants' apps start on "
        "their own (--warm)"
    )


# --------------------------------------------------------------------------- integration


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _argv(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_text().split("\0")


def _ppid(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _ended(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status


def _read_until(proc: subprocess.Popen[bytes], text: str, seconds: float) -> str:
    """All the server has printed, once it holds `text` (a bound on the wait, not a
    check of its length). Unbuffered: select() sees what is not read yet."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    seen: str = getattr(proc, "seen", "")
    deadline = time.monotonic() + seconds
    while text not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no {text!r} in: {seen}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 4096)
            assert chunk, f"serve ended: {seen}"
            seen += chunk.decode()
            proc.seen = seen  # type: ignore[attr-defined]
    return seen


def _session(workspace: Path, title: str) -> dict:
    for path in (workspace / "sessions").glob("*.json"):
        data = json.loads(path.read_text())
        if data.get("title") == title:
            return data
    return {}


async def _first_screen(http, port: int, name: str):
    """Join as `name`: the WebSocket, once the app's first screen came."""
    import aiohttp

    await http.post(f"http://127.0.0.1:{port}/join", data={"name": name})
    ws = await http.ws_connect(f"ws://127.0.0.1:{port}/ws?width=100&height=30")
    screen = b""
    while b"canvas-tui" not in screen:
        message = await ws.receive(timeout=60)
        assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
        if message.type == aiohttp.WSMsgType.BINARY:
            screen += message.data
    return ws


async def _type_answer(ws, name: str, answer: str, workspace: Path) -> None:
    """Answer the first question; wait until it is saved (keys sent again if the app
    was not ready to read them)."""
    deadline = time.monotonic() + 60
    while not _session(workspace, name).get("answers"):
        assert time.monotonic() < deadline, f"{name}'s answer was never saved"
        await ws.send_json(["stdin", answer])
        await ws.send_json(["stdin", "\r"])
        for _ in range(40):  # the app reads the keys; the file is saved after
            await asyncio.sleep(0.1)
            if _session(workspace, name).get("answers"):
                break


async def _answer(
    port: int, name: str, answer: str, workspace: Path, hold: asyncio.Event, saved: list[str]
) -> None:
    """Join as `name`, answer the first question, wait until it is saved, stay
    connected until `hold` is set."""
    import aiohttp

    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        ws = await _first_screen(http, port, name)
        async with ws:
            await _type_answer(ws, name, answer, workspace)
            saved.append(name)
            await asyncio.wait_for(hold.wait(), 60)


def _serve(workspace: Path, cwd: Path) -> tuple[subprocess.Popen[bytes], int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "canvas_tui", "serve", "--port", "0", "--workspace", str(workspace)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
        cwd=cwd,
    )
    banner = _read_until(proc, "Press Ctrl+C", 60)
    return proc, int(re.search(r"http://127\.0\.0\.1:(\d+)/", banner).group(1))


@pytest.mark.slow
@pytest.mark.skipif(not forks.available(), reason="the fork server needs Linux")
def test_participants_are_forked_adopted_kept_apart_and_end_with_the_server(tmp_path):
    import aiohttp

    workspace = tmp_path / "w"
    proc, port = _serve(workspace, tmp_path)
    apps: set[int] = set()
    try:
        _read_until(proc, "start from a fork server", 120)
        (zygote,) = _children(proc.pid)
        assert "--fork-server" in _argv(zygote)

        async def both() -> None:
            hold, saved = asyncio.Event(), []
            answers = asyncio.gather(
                _answer(port, "Alex", "Fresh pasta made every morning", workspace, hold, saved),
                _answer(port, "Sam", "Street tacos cooked to order", workspace, hold, saved),
            )
            while len(saved) < 2 and not answers.done():
                await asyncio.sleep(0.05)
            apps.update(_children(proc.pid) - {zygote})  # while both are connected
            hold.set()
            await answers

        asyncio.run(both())
        assert len(apps) == 2  # one process each
        for pid in apps:
            assert "--fork-server" in _argv(pid)  # forked from the fork server...
            assert _ppid(pid) == proc.pid  # ...and adopted by the server
        alex, sam = _session(workspace, "Alex"), _session(workspace, "Sam")
        alex_said, sam_said = json.dumps(alex["answers"]), json.dumps(sam["answers"])
        assert "Fresh pasta" in alex_said and "Street tacos" not in alex_said
        assert "Street tacos" in sam_said and "Fresh pasta" not in sam_said
        assert alex["id"] != sam["id"]
        folders = {p.name for p in (workspace / "exports").iterdir()}
        assert folders == {"alex", "sam"}  # each their own export folder

        # a third participant connected, the server is killed: their app and the fork
        # server end with it
        running: set[int] = set()
        forked: list[bool] = []

        async def reconnect() -> None:
            async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as h:
                await h.post(f"http://127.0.0.1:{port}/join", data={"name": "Kim"})
                async with h.ws_connect(f"ws://127.0.0.1:{port}/ws") as ws:
                    while (await ws.receive(timeout=60)).type != aiohttp.WSMsgType.BINARY:
                        pass
                    running.update(_children(proc.pid))
                    forked.extend("--fork-server" in _argv(p) for p in running - {zygote} - apps)
                    proc.send_signal(signal.SIGKILL)

        asyncio.run(reconnect())
        proc.wait(timeout=30)
        deadline = time.monotonic() + 30  # a bound on the wait, not a timing assertion
        while not all(_ended(pid) for pid in running) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert zygote in running and forked == [True]  # Kim's app, forked
        assert all(_ended(pid) for pid in running), f"still running after SIGKILL: {running}"
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


@pytest.mark.slow
@pytest.mark.skipif(not forks.available(), reason="the fork server needs Linux")
def test_a_fork_server_that_dies_leaves_participants_working_and_is_started_again(tmp_path):
    import aiohttp

    workspace = tmp_path / "w"
    proc, port = _serve(workspace, tmp_path)
    try:
        _read_until(proc, "start from a fork server", 120)
        (zygote,) = _children(proc.pid)

        async def room() -> tuple[list[str], list[str]]:
            jar = aiohttp.CookieJar
            async with (
                aiohttp.ClientSession(cookie_jar=jar(unsafe=True)) as alex,
                aiohttp.ClientSession(cookie_jar=jar(unsafe=True)) as sam,
                aiohttp.ClientSession(cookie_jar=jar(unsafe=True)) as kim,
            ):
                alex_ws = await _first_screen(alex, port, "Alex")
                os.kill(zygote, signal.SIGKILL)
                # Alex's app is the server's child, not the fork server's: it goes on
                await _type_answer(alex_ws, "Alex", "Fresh pasta every morning", workspace)
                # Sam joins: the app starts on its own; the fork server starts again
                sam_ws = await _first_screen(sam, port, "Sam")
                said = await asyncio.to_thread(_read_until, proc, "running again", 120)
                kim_ws = await _first_screen(kim, port, "Kim")
                argvs = [_argv(p) for p in _children(proc.pid)]
                for ws in (alex_ws, sam_ws, kim_ws):
                    await ws.close()
                return said.splitlines(), argvs

        said, argvs = asyncio.run(room())
        assert "Fresh pasta" in json.dumps(_session(workspace, "Alex")["answers"])
        assert [line for line in said if "fork server ended" in line]  # one line says so
        assert sum("--participant" in argv for argv in argvs) == 1  # Sam's, on its own
        assert sum("--fork-server" in argv for argv in argvs) == 3  # new server, Alex, Kim
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        proc.communicate()


@pytest.mark.skipif(not forks.available(), reason="the fork server needs Linux")
def test_with_the_fork_server_no_warm_process_waits_until_it_gives_up(tmp_path, monkeypatch):
    from canvas_tui.serve import make_server

    server = make_server(ServeConfig("127.0.0.1", 0, tmp_path, warm=3, fork=True))
    assert server.forks is not None and server.pool.size == 0  # it replaces the pool
    filled: list[int] = []
    monkeypatch.setattr(server.pool, "fill", lambda: filled.append(server.pool.size))
    server._warm_instead()  # what the fork server calls when it gives up
    assert filled == [3]
    assert make_server(ServeConfig("127.0.0.1", 0, tmp_path, warm=3)).forks is None  # --no-fork
