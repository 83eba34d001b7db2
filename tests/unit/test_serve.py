"""`canvas-tui serve`: binding, join code, offline page, one process per participant.

The browser check (scripts/check_serve.py) runs only where Chromium is installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from aiohttp import WSMsgType, WSServerHandshakeError, test_utils

from canvas_tui import serve
from canvas_tui.cli import main
from canvas_tui.core.errors import CanvasTuiError
from canvas_tui.serve import (
    COOKIE,
    ServeConfig,
    access,
    code_matches,
    cookie_name,
    is_loopback,
    join_urls,
    new_join_code,
    plan,
    same_origin,
)
from canvas_tui.serve.participants import Registry
from tests.conftest import REPO, write


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.3.4.5", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("10.0.0.5", False),
        ("workshop.local", False),  # a name might resolve to a LAN address
        ("", False),
    ],
)
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_join_codes_are_readable_and_random():
    codes = {new_join_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"[a-z2-9]{10}", c) for c in codes)
    assert not any(set(c) & set("01ilo") for c in codes)


def test_code_matches():
    assert code_matches(None, None) and code_matches("anything", None)
    assert code_matches("abcd2345", "abcd2345")
    assert not code_matches(None, "abcd2345")
    assert not code_matches("", "abcd2345")
    assert not code_matches("abcd234", "abcd2345")
    assert not code_matches("ABCD2345", "abcd2345")


def test_one_cookie_per_port():
    assert cookie_name(8000) != cookie_name(8001)
    assert cookie_name(8000).startswith(COOKIE) and cookie_name(None) == COOKIE


def test_same_origin():
    assert same_origin(None, "127.0.0.1:8000")
    assert same_origin("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert same_origin("http://Room.local:8000", "room.local:8000")
    assert not same_origin("http://evil.example", "127.0.0.1:8000")
    assert not same_origin("http://127.0.0.1:9999", "127.0.0.1:8000")
    assert not same_origin("null", "127.0.0.1:8000")


def test_plan_binds_loopback_without_a_code(tmp_path):
    config = plan(workspace=tmp_path / "w")
    assert config.host == "127.0.0.1" and config.code is None
    assert (tmp_path / "w" / "sessions").is_dir()
    assert join_urls(config.host, 8000, config.code) == ["http://127.0.0.1:8000/"]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "workshop.local", "::"])
def test_plan_requires_a_code_off_loopback(tmp_path, host):
    config = plan(host=host, workspace=tmp_path)
    assert config.code is not None and len(config.code) == 10
    assert all(url.endswith(f"/?code={config.code}") for url in config.urls(8000))


def test_plan_keeps_a_given_code_and_checks_it(tmp_path):
    assert plan(code="room-4242", workspace=tmp_path).code == "room-4242"  # also on loopback
    assert plan(code="abcd2345", workspace=tmp_path).code == "abcd2345"  # 8: the shortest
    for bad in ("abc", "room-42", "abcd234", "has space", "x" * 65, "naïve"):
        with pytest.raises(CanvasTuiError, match="join code must be"):
            plan(code=bad, workspace=tmp_path)


def test_plan_errors(tmp_path):
    with pytest.raises(CanvasTuiError, match="not a port number"):
        plan(port=70000, workspace=tmp_path)
    blocker = write(tmp_path / "file", "x")
    with pytest.raises(CanvasTuiError, match="workshop folder is a file"):
        plan(workspace=blocker)
    with pytest.raises(CanvasTuiError, match="question bank folder does not exist"):
        plan(workspace=tmp_path, bank=tmp_path / "no-bank")


def test_plan_workspace_defaults_to_canvas_tui_home(tmp_path):
    config = plan(environ={"CANVAS_TUI_HOME": str(tmp_path / "home")})
    assert config.workspace == (tmp_path / "home").resolve()


def test_urls():
    assert join_urls("::1", 8000, None) == ["http://[::1]:8000/"]
    assert join_urls("10.0.0.5", 80, "abc") == ["http://10.0.0.5:80/?code=abc"]
    assert join_urls("0.0.0.0", 8000, "c", "https://room.example/") == [
        "https://room.example/?code=c"
    ]


def test_urls_on_every_address(monkeypatch):
    monkeypatch.setattr(serve.config, "lan_addresses", lambda: ["192.168.1.20", "10.0.0.5"])
    assert join_urls("0.0.0.0", 8000, "c") == [
        "http://192.168.1.20:8000/?code=c",
        "http://10.0.0.5:8000/?code=c",
    ]


def test_app_command_and_environment(tmp_path):
    bank = REPO / "question_banks" / "default"
    config = plan(workspace=tmp_path / "w", bank=bank)
    argv = config.app_argv("0123456789abcdef")
    assert argv[:3] == [sys.executable, "-m", "canvas_tui.serve.participant_app"]
    assert argv[3:] == [
        "--workshop",
        str(tmp_path / "w"),
        "--participant",
        "0123456789abcdef",
        "--bank",
        str(bank.resolve()),
    ]
    env = config.app_environment(
        {"PATH": "/bin", "CANVAS_TUI_HOME": "/elsewhere", "CANVAS_TUI_DEBUG": "1"}
    )
    assert env["CANVAS_TUI_HOME"] == str(tmp_path / "w") and env["PATH"] == "/bin"
    assert "CANVAS_TUI_DEBUG" not in env


def test_the_participant_app_accepts_what_serve_runs(tmp_path, capsys):
    from canvas_tui.serve import participant_app

    config = plan(workspace=tmp_path, bank=REPO / "question_banks" / "default")
    # an unknown participant: the app refuses with one line, after parsing the arguments
    assert participant_app.main(config.app_argv("0123456789abcdef")[3:]) == 2
    assert (
        capsys.readouterr().err == "canvas-tui: no participant 0123456789abcdef in this workshop\n"
    )


def test_banner_names_urls_code_and_folder(tmp_path):
    config = plan(host="0.0.0.0", workspace=tmp_path, public_url="http://room:8000")
    text = serve.banner(config, 8000)
    assert f"http://room:8000/?code={config.code}" in text
    assert f"Join code: {config.code}" in text and str(tmp_path) in text
    assert "canvas-tui merge --workspace" in text
    assert f"Participants' exports: {tmp_path / 'exports'}" in text
    every = plan(host="0.0.0.0", workspace=tmp_path)
    assert f"On this machine: http://127.0.0.1:8000/?code={every.code}" in serve.banner(every, 8000)


def test_cli_serve_refuses_bad_options(capsys, tmp_path):
    code = main(["serve", "--port", "-1", "--workspace", str(tmp_path)])
    _, err = capsys.readouterr()
    assert code == 2 and "not a port number" in err
    code = main(["serve", "--code", "x", "--workspace", str(tmp_path)])
    _, err = capsys.readouterr()
    assert code == 2 and "join code must be 8 to 64" in err
    code = main(["serve", "--code", "abcd", "--host", "0.0.0.0", "--workspace", str(tmp_path)])
    _, err = capsys.readouterr()
    assert code == 2 and "join code must be 8 to 64" in err and err.count("\n") == 1


# --------------------------------------------------------------------------- the web app


async def client_for(config: ServeConfig, clock=None) -> test_utils.TestClient:
    server = serve.make_server(config, clock)
    app = await server._make_app()
    client = test_utils.TestClient(test_utils.TestServer(app))
    client.workshop_server = server  # the tests look at its bookkeeping
    await client.start_server()
    return client


async def join(client: test_utils.TestClient, name: str = "Alex", code: str = "") -> str:
    """Give a name as the join form does; returns the app page."""
    query = f"?code={code}" if code else ""
    form = await client.get(f"/{query}")
    assert form.status == 200 and 'action="/join"' in await form.text()
    page = await client.post("/join", data={"name": name})
    assert page.status == 200
    return await page.text()


async def test_join_code_guards_every_route(tmp_path):
    client = await client_for(ServeConfig("0.0.0.0", 0, tmp_path, code="room-code-1"))
    try:
        for path in ("/", "/static/js/textual.js", "/download/x", "/?code=wrong"):
            response = await client.get(path)
            assert response.status == 403, path
            assert "join code" in await response.text()
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect("/ws")
        assert refused.value.status == 403
        page = await client.get("/?code=room-code-1")
        assert page.status == 200 and 'action="/join"' in await page.text()  # the name form
        cookie = page.cookies[cookie_name(client.port)]
        assert (
            cookie.value == "room-code-1" and cookie["httponly"] and cookie["samesite"] == "Strict"
        )
        # the cookie lets the page load its script, font and stylesheet
        for path in (
            "/static/js/textual.js",
            "/static/css/xterm.css",
            "/static/fonts/RobotoMono-VariableFont_wght.ttf",
        ):
            assert (await client.get(path)).status == 200, path
    finally:
        await client.close()


async def test_page_works_offline(tmp_path):
    client = await client_for(ServeConfig("127.0.0.1", 0, tmp_path))
    try:
        form = await (await client.get("/")).text()
        await join(client)
        host = f"localhost:{client.port}"
        response = await client.get("/", headers={"Host": host})
        html = await response.text()
        assert response.status == 200
        assert f'data-session-websocket-url="ws://{host}/ws"' in html  # from the request
        for page in (html, form):
            addresses = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", page) + re.findall(
                r"url\(\s*['\"]?([^'\")]+)", page
            )
            assert addresses and all(a.startswith("/static/") for a in addresses), addresses
            assert "googleapis" not in page
        assert "http://" not in html.replace("ws://localhost", "")
        script = await (await client.get("/static/js/textual.js")).text()
        css = await (await client.get("/static/css/xterm.css")).text()
        for text in (script, css):  # nothing they load at run time comes from outside
            assert "@import" not in text and "fonts.googleapis" not in text
        assert (await client.get("/static/")).status in (403, 404)  # no folder listing
    finally:
        await client.close()


async def test_the_page_template_escapes_what_it_is_given(tmp_path):
    import aiohttp_jinja2

    app = await serve.make_server(ServeConfig("127.0.0.1", 0, tmp_path))._make_app()
    html = (
        aiohttp_jinja2.get_env(app)
        .get_template("page.html")
        .render(
            title="<script>x</script>",
            name="<i>Al</i>",
            static="/static/",
            websocket_url='w"><b',
            font_size=16,
        )
    )
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert 'w"><b' not in html and "w&#34;&gt;&lt;b" in html
    assert "<i>Al</i>" not in html and "&lt;i&gt;Al&lt;/i&gt;" in html


async def test_cross_origin_websocket_is_refused_even_on_loopback(tmp_path):
    client = await client_for(ServeConfig("127.0.0.1", 0, tmp_path))
    try:
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect("/ws", headers={"Origin": "http://evil.example"})
        assert refused.value.status == 403
    finally:
        await client.close()


FAKE_APP = """\
import json, os, sys
payload = json.dumps({"cwd": os.getcwd(), "home": os.environ.get("CANVAS_TUI_HOME"),
                      "argv": sys.argv[1:], "driver": os.environ.get("TEXTUAL_DRIVER"),
                      "size": [os.environ.get("COLUMNS"), os.environ.get("ROWS")]}).encode()
sys.stdout.buffer.write(b"__GANGLION__\\n")
sys.stdout.buffer.write(b"D" + len(payload).to_bytes(4, "big") + payload)
sys.stdout.buffer.flush()
sys.stdin.buffer.read()
"""


@pytest.mark.slow
async def test_each_connection_runs_the_app_in_the_workshop_folder(tmp_path):
    fake = write(tmp_path / "fake-python", f"#!{sys.executable}\n{FAKE_APP}")
    fake.chmod(0o755)
    workspace = tmp_path / "workshop"
    workspace.mkdir()
    config = ServeConfig("127.0.0.1", 0, workspace, code="room-code-1", python=str(fake))
    client = await client_for(config)
    try:
        await join(client, "Alex", code="room-code-1")
        (participant,) = Registry(workspace).all()
        # a browser asking for a 10000x10000 terminal gets the largest allowed
        async with client.ws_connect("/ws?width=10000&height=10000") as ws:
            message = await ws.receive(timeout=20)
            assert message.type == WSMsgType.BINARY
            seen = json.loads(message.data)
        assert seen == {
            "cwd": str(workspace),
            "home": str(workspace),
            "argv": [
                "-m",
                "canvas_tui.serve.participant_app",
                "--workshop",
                str(workspace),
                "--participant",
                participant.id,
            ],
            "driver": "textual.drivers.web_driver:WebDriver",
            "size": ["300", "100"],
        }
    finally:
        await client.close()


async def first_screen(client: test_utils.TestClient, until: bytes = b"canvas-tui") -> bytes:
    async with client.ws_connect("/ws?width=100&height=30") as ws:
        screen = b""
        while until not in screen:
            message = await ws.receive(timeout=30)
            if message.type != WSMsgType.BINARY:
                assert message.type == WSMsgType.TEXT, message
                continue
            screen += message.data
    return screen


@pytest.mark.slow
async def test_the_real_app_answers_over_the_websocket_and_a_reload_resumes(tmp_path):
    client = await client_for(ServeConfig("127.0.0.1", 0, tmp_path))
    try:
        await join(client, "Alex Martin")
        await first_screen(client)
        (participant,) = Registry(tmp_path).all()
        sessions = sorted((tmp_path / "sessions").glob("*.json"))
        assert len(sessions) == 1 and participant.sessions == [sessions[0].stem]
        assert json.loads(sessions[0].read_text())["title"] == "Alex Martin"
        assert (tmp_path / "exports" / "alex-martin").is_dir()
        await first_screen(client)  # a reload: back to the same canvas, not a new one
        assert sorted((tmp_path / "sessions").glob("*.json")) == sessions
        assert Registry(tmp_path).all()[0].sessions == participant.sessions
    finally:
        await client.close()


def _chromium() -> str | None:
    return next(
        (p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))),
        None,
    )


@pytest.mark.slow
@pytest.mark.skipif(
    _chromium() is None, reason="Chromium is not installed (apt-get install chromium)"
)
def test_in_a_real_headless_browser(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "check_serve.py"),
            "--screenshot",
            str(tmp_path / "page.png"),
        ],
        capture_output=True,
        text=True,
        timeout=400,  # a bound for a loaded machine; the steps have their own
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check_serve: OK" in result.stdout
    assert "all to the server (offline-safe)" in result.stdout
    assert Path(tmp_path / "page.png").stat().st_size > 1000


async def test_a_busy_port_is_a_one_line_error(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(CanvasTuiError, match=f"cannot listen on 127.0.0.1:{port}"):
            await serve.run(ServeConfig("127.0.0.1", port, tmp_path))


@pytest.mark.slow
def test_the_serve_command_starts_prints_and_stops_cleanly(tmp_path):
    import signal
    import time
    import urllib.request

    workshop = tmp_path / "workshop"
    env = {**os.environ, "CANVAS_TUI_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "canvas_tui",
            "serve",
            "--port",
            "0",
            "--warm",
            "0",
            "--workspace",
            str(workshop),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            lines.append(proc.stdout.readline())
            if "Press Ctrl+C to stop." in lines[-1]:
                break
        banner = "".join(lines)
        url = re.search(r"http://127\.0\.0\.1:\d+/", banner).group(0)
        assert f"Sessions are saved in: {workshop}" in banner and "code" not in url
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200 and b'action="/join"' in response.read()  # the name
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "stopping; every session is saved" in out
    assert (workshop / "sessions").is_dir()


# --------------------------------------------------------------------------- Host, Origin


@pytest.mark.parametrize(
    ("host", "name"),
    [
        ("127.0.0.1:8000", "127.0.0.1"),
        ("Room.Local:8000", "room.local"),
        ("localhost.", "localhost"),
        ("[::1]:8000", "::1"),
        ("[fe80::1]", "fe80::1"),
        ("", None),
        (None, None),
    ],
)
def test_host_name(host, name):
    assert access.host_name(host) == name


def test_host_allowed_accepts_addresses_and_the_servers_own_names():
    loop = access.allowed_names("127.0.0.1", None, ["atelier"])
    assert access.host_allowed("127.0.0.1:8000", loop)
    assert access.host_allowed("localhost:8000", loop) and access.host_allowed("[::1]:80", loop)
    assert access.host_allowed("192.168.1.20:8000", loop)  # an address cannot be rebound
    assert not access.host_allowed("atelier:8000", loop)  # the hostname: only on a LAN bind
    assert not access.host_allowed("evil.example:8000", loop)
    assert not access.host_allowed("127.0.0.1.evil.example", loop)
    assert not access.host_allowed("", loop) and not access.host_allowed(None, loop)
    lan = access.allowed_names("0.0.0.0", "https://Room.Example/", ["atelier"])
    for host in ("atelier:8000", "ATELIER.local:8000", "room.example", "10.0.0.5:8000"):
        assert access.host_allowed(host, lan), host
    assert not access.host_allowed("evil.example", lan)
    named = access.allowed_names("workshop.lan", None, ["atelier"])
    assert access.host_allowed("workshop.lan:8000", named)
    assert not access.host_allowed("atelier:8000", named)


async def test_a_rebound_domain_is_refused_on_every_route(tmp_path):
    """DNS rebinding: evil.example resolves to 127.0.0.1, the browser sends its name."""
    client = await client_for(ServeConfig("127.0.0.1", 0, tmp_path))
    try:
        for path in ("/", "/static/js/textual.js", "/download/x"):
            response = await client.get(path, headers={"Host": "evil.example:8000"})
            assert response.status == 421, path
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect(
                "/ws", headers={"Host": "evil.example:8000", "Origin": "http://evil.example:8000"}
            )
        assert refused.value.status == 421
        assert (await client.get("/", headers={"Host": "localhost:1"})).status == 200
    finally:
        await client.close()


async def test_a_request_from_another_origin_is_refused(tmp_path):
    client = await client_for(ServeConfig("127.0.0.1", 0, tmp_path))
    try:
        response = await client.get("/", headers={"Origin": "http://evil.example"})
        assert response.status == 403
        same = f"http://127.0.0.1:{client.port}"
        assert (await client.get("/", headers={"Origin": same})).status == 200
    finally:
        await client.close()


# --------------------------------------------------------------------------- the throttle


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_throttle_locks_out_after_free_failures_doubling_up_to_a_ceiling():
    clock = FakeClock()
    throttle = access.JoinThrottle(clock, free=3, base=1.0, ceiling=8.0)
    assert [throttle.failed("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert throttle.wait("a") == 0.0
    assert throttle.failed("a") == 1.0 and throttle.wait("a") == 1.0
    assert throttle.wait("b") == 0.0  # per client
    clock.now += 1.0
    assert throttle.wait("a") == 0.0
    assert [throttle.failed("a") for _ in range(4)] == [2.0, 4.0, 8.0, 8.0]
    clock.now += 5.0
    assert throttle.wait("a") == 3.0
    throttle.succeeded("a")
    assert throttle.wait("a") == 0.0 and throttle.failed("a") == 0.0  # cleared


def test_throttle_forgets_quiet_clients_and_is_bounded():
    clock = FakeClock()
    throttle = access.JoinThrottle(clock, free=0, forget=60.0, capacity=100)
    throttle.failed("a")
    clock.now += 61
    assert throttle.wait("a") == 0.0 and throttle.failed("a") == 1.0  # afresh
    for i in range(1000):
        throttle.failed(f"10.0.{i // 256}.{i % 256}")
    assert len(throttle._records) == 100


async def test_wrong_codes_are_throttled_per_client(tmp_path):
    clock = FakeClock()
    client = await client_for(ServeConfig("0.0.0.0", 0, tmp_path, code="room-code-1"), clock)
    try:
        for _ in range(5):  # typos are free
            assert (await client.get("/?code=wrong-code")).status == 403
        assert (await client.get("/?code=wrong-code")).status == 403  # the sixth locks
        refused = await client.get("/?code=room-code-1")  # even the right code, for now
        assert refused.status == 429 and refused.headers["Retry-After"] == "1"
        with pytest.raises(WSServerHandshakeError) as locked:
            await client.ws_connect("/ws?code=room-code-1")
        assert locked.value.status == 429
        clock.now += 1.0
        assert (await client.get("/?code=room-code-1")).status == 200
        assert (await client.get("/?code=wrong-code")).status == 403  # cleared by success
        assert (await client.get("/")).status == 200  # the cookie carries the right code
    finally:
        await client.close()


# --------------------------------------------------------------------------- app processes


def test_terminal_size_is_capped():
    from canvas_tui.serve.process import MAX_HEIGHT, MAX_WIDTH, terminal_size

    assert (MAX_WIDTH, MAX_HEIGHT) == (300, 100)
    assert terminal_size(10000, 10000) == (300, 100)
    assert terminal_size(120, 40) == (120, 40)
    assert terminal_size(0, -5) == (1, 1)
    assert terminal_size("x", None) == (80, 24)
    assert terminal_size(10**400, 1e308) == (300, 100)


async def test_a_resize_is_capped_too(tmp_path):
    from canvas_tui.serve.process import WorkshopAppService

    sent = []

    class Recording(WorkshopAppService):
        async def send_meta(self, data):
            sent.append(data)
            return True

    async def nothing(*_):
        return None

    service = Recording(
        "x", write_bytes=nothing, write_str=nothing, close=nothing, download_manager=None
    )
    await service.set_terminal_size(10000, 5000)
    await service.set_terminal_size(100, 30)
    assert [(m["width"], m["height"]) for m in sent] == [(300, 100), (100, 30)]


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _ended(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status  # a zombie has ended (its parent is gone)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_app_processes_end_with_the_server(tmp_path, how):
    import asyncio
    import signal
    import time

    import aiohttp

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "canvas_tui",
            "serve",
            "--port",
            "0",
            "--workspace",
            str(tmp_path / "w"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        banner = ""
        while "Press Ctrl+C" not in banner:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            banner += line
        url = re.search(r"http://127\.0\.0\.1:(\d+)/", banner)
        port = int(url.group(1))

        async def join_and_wait() -> set[int]:
            jar = aiohttp.CookieJar(unsafe=True)
            async with aiohttp.ClientSession(cookie_jar=jar) as http:
                await http.post(f"http://127.0.0.1:{port}/join", data={"name": "Alex"})
                async with http.ws_connect(f"ws://127.0.0.1:{port}/ws") as ws:
                    while (await ws.receive(timeout=30)).type != WSMsgType.BINARY:
                        pass
                    apps = _children(proc.pid)
                    proc.send_signal(getattr(signal, how))
                    return apps

        apps = asyncio.run(join_and_wait())
        assert apps, "the server started no app process"
        proc.wait(timeout=30)
        deadline = time.monotonic() + 30  # a bound on the wait, not a timing assertion
        while not all(_ended(pid) for pid in apps) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(_ended(pid) for pid in apps), f"still running after {how}: {apps}"
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


# --------------------------------------------------------------------------- participants


@pytest.mark.parametrize(
    "name",
    [
        "sessions/20261202-172016-same-bistro.json",
        "../sessions/x.json",
        "/etc/passwd",
        "a\\b.toml",
        "..",
        ".",
        ".lock",
        "a\x1b[2J.md",
        "c:x.md",
        "x" * 121,
        "",
        "   ",
    ],
)
def test_an_export_name_is_a_name_not_a_path(name):
    from canvas_tui.serve.participants import export_name

    with pytest.raises(CanvasTuiError):
        export_name(name)


def test_export_names_that_are_fine():
    from canvas_tui.serve.participants import export_name

    assert export_name(" My canvas.md ") == "My canvas.md"
    assert export_name("café-crème.html") == "café-crème.html"


def test_registry_names_folders_and_records(tmp_path):
    from canvas_tui.serve.participants import participant_id

    registry = Registry(tmp_path)
    a = registry.join(participant_id("t1"), "  Alex \x1b]0;x\x07 Martin ")
    assert a.name == "Alex ]0;x Martin" and a.folder == "alex-0-x-martin"
    b = registry.join(participant_id("t2"), "Alex")
    c = registry.join(participant_id("t3"), "alex")
    assert (b.folder, c.folder) == ("alex", "alex-2")  # a second Alex gets a folder of their own
    assert (b.canvas_title, c.canvas_title) == ("Alex", "alex (2)")  # merge tells them apart
    assert a.canvas_title == a.name
    again = registry.join(participant_id("t2"), "Alexandra")  # a new name, the same folder
    assert again.folder == "alex" and registry.get(participant_id("t2")).name == "Alexandra"
    registry.add_session(b.id, "s1")
    registry.add_session(b.id, "s1")
    assert registry.get(b.id).sessions == ["s1"]
    assert participant_id("t1") != participant_id("t2") and "t1" not in a.id
    for bad in ("", "x" * 41):
        with pytest.raises(CanvasTuiError):
            registry.join(participant_id("t4"), bad)
    assert registry.get(participant_id("t4")) is None
    with pytest.raises(ValueError):
        registry.path("../../etc")


def test_a_tampered_record_cannot_point_outside_the_exports(tmp_path):
    from canvas_tui.serve.participants import participant_id

    registry = Registry(tmp_path)
    pid = participant_id("t")
    registry.join(pid, "Alex")
    path = registry.path(pid)
    data = json.loads(path.read_text())
    data["folder"] = "../sessions"
    path.write_text(json.dumps(data))
    assert registry.get(pid) is None
    path.write_text("[[[")
    assert registry.get(pid) is None


async def test_a_participant_gives_a_name_before_the_app_starts(tmp_path):
    client = await client_for(ServeConfig("127.0.0.1", 0, tmp_path))
    try:
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect("/ws")  # no name yet: no app process
        assert refused.value.status == 403
        await client.get("/")
        empty = await client.post("/join", data={"name": "  "})
        assert empty.status == 400 and "give your name" in await empty.text()
        page = await client.post("/join", data={"name": "<b>Zoë</b>"})
        html = await page.text()
        assert page.status == 200 and "data-session-websocket-url" in html
        assert "&lt;b&gt;Zoë&lt;/b&gt;" in html and "<b>Zoë" not in html
        cookie = page.history[0].cookies[access.participant_cookie(client.port)]
        assert cookie["httponly"] and cookie["samesite"] == "Strict"
        (participant,) = Registry(tmp_path).all()
        assert participant.name == "<b>Zoë</b>" and participant.folder == "b-zoe-b"
        assert (
            cookie.value not in (tmp_path / "participants" / f"{participant.id}.json").read_text()
        )
    finally:
        await client.close()


@pytest.mark.slow
async def test_a_second_tab_takes_over_from_the_first(tmp_path, monkeypatch):
    from canvas_tui.serve import process

    monkeypatch.setattr(process, "QUIT_SECONDS", 0.2)  # the fake app ignores "quit"
    fake = write(tmp_path / "fake-python", f"#!{sys.executable}\n{FAKE_APP}")
    fake.chmod(0o755)
    config = ServeConfig("127.0.0.1", 0, tmp_path, python=str(fake))
    client = await client_for(config)
    try:
        await join(client, "Alex")
        async with client.ws_connect("/ws") as first:
            assert (await first.receive(timeout=20)).type == WSMsgType.BINARY
            async with client.ws_connect("/ws") as second:
                assert (await second.receive(timeout=20)).type == WSMsgType.BINARY
                while (await first.receive(timeout=20)).type not in (
                    WSMsgType.CLOSE,
                    WSMsgType.CLOSED,
                ):
                    pass  # the first tab's app is stopped: one app per participant
                server = client.workshop_server
                assert len(server.current) == 1 and len(server.services) == 1
    finally:
        await client.close()


# --------------------------------------------------------------------------- join URLs, QR


def test_addresses_come_from_the_interfaces_physical_first(monkeypatch):
    from types import SimpleNamespace

    import ifaddr

    def adapter(name, *ips):
        return SimpleNamespace(
            name=name, nice_name=name, ips=[SimpleNamespace(ip=ip, is_IPv4=True) for ip in ips]
        )

    monkeypatch.setattr(
        ifaddr,
        "get_adapters",
        lambda: [
            adapter("lo", "127.0.0.1"),
            adapter("docker0", "172.17.0.1"),
            adapter("wlan0", "192.168.1.20", "169.254.7.7"),
        ],
    )
    # the hostname resolving to 127.0.1.1 (as on Debian) does not matter any more
    monkeypatch.setattr(serve.config.socket, "gethostbyname_ex", lambda n: (n, [], ["127.0.1.1"]))
    assert serve.config.lan_addresses() == ["192.168.1.20", "172.17.0.1"]
    assert join_urls("0.0.0.0", 8000, "c")[0] == "http://192.168.1.20:8000/?code=c"


def test_usable_addresses():
    from canvas_tui.serve.config import usable_addresses

    found = [("eth0", "10.0.0.5"), ("eth0", "10.0.0.5"), ("lo", "::1"), ("x", "nonsense")]
    assert usable_addresses([*found, ("vboxnet0", "192.168.56.1")]) == [
        "10.0.0.5",
        "192.168.56.1",
    ]
    assert usable_addresses([("lo", "127.0.0.1"), ("eth0", "169.254.1.1")]) == []


def test_the_banner_has_a_qr_code_of_the_first_url_off_loopback(tmp_path, monkeypatch):
    monkeypatch.setattr(serve.config, "lan_addresses", lambda: ["192.168.1.20", "10.0.0.5"])
    config = plan(host="0.0.0.0", workspace=tmp_path, code="abcd2345")
    text = serve.banner(config, 8000)
    url = "http://192.168.1.20:8000/?code=abcd2345"
    assert f"Scan to join ({url}):" in text
    qr = text.split(f"Scan to join ({url}):\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(qr) > 10 and len({len(line) for line in qr}) == 1  # a square of blocks
    assert set("".join(qr)) <= set("█▀▄ ")
    import segno

    side = segno.make(url, error="l").symbol_size(border=2)[0]
    assert len(qr[0]) == side  # the code of that very URL (its size depends on the text)
    assert "Scan to join" not in serve.banner(plan(workspace=tmp_path), 8000)  # loopback


# --------------------------------------------------------------------------- warm processes


def test_read_assignment():
    from canvas_tui.serve.participant_app import read_assignment
    from canvas_tui.serve.process import assignment

    def through_a_pipe(data: bytes, then: bytes = b"") -> tuple[object, bytes]:
        read, write = os.pipe()
        os.write(write, data + then)
        os.close(write)
        try:
            try:
                result: object = read_assignment(read)
            except CanvasTuiError as exc:
                result = exc.message
            rest = os.read(read, 1000)
        finally:
            os.close(read)
        return result, rest

    line = assignment("0123456789abcdef", 10000, 50)
    # the line only: what the app's driver reads next stays in the pipe
    assert through_a_pipe(line, b"DRIVER") == (("0123456789abcdef", 300, 50), b"DRIVER")
    assert "no participant" in through_a_pipe(b'{"participant": "../x"}\n')[0]
    assert "not understood" in through_a_pipe(b"[[[\n")[0]
    assert "too long" in through_a_pipe(b"x" * 600)[0]
    assert "ended before" in through_a_pipe(b"")[0]


WARM_FAKE_APP = """\
import json, os, sys
os.write(1, b"__CANVAS_TUI_WARM__\\n")
line = b""
while not line.endswith(b"\\n"):
    line += os.read(0, 1)
payload = json.dumps({"argv": sys.argv[1:], "line": json.loads(line)}).encode()
sys.stdout.buffer.write(b"__GANGLION__\\n")
sys.stdout.buffer.write(b"D" + len(payload).to_bytes(4, "big") + payload)
sys.stdout.buffer.flush()
sys.stdin.buffer.read()
"""


async def _ready(pool, count: int) -> None:
    import asyncio

    for _ in range(600):  # a bound on the wait (30 s), not a timing assertion
        if len(pool.ready) >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the pool has {len(pool.ready)} ready processes, not {count}")


@pytest.mark.slow
async def test_a_join_takes_a_warm_process_and_the_pool_refills(tmp_path, monkeypatch):
    from canvas_tui.serve import process

    monkeypatch.setattr(process, "QUIT_SECONDS", 0.2)  # the fake app ignores "quit"
    monkeypatch.setattr(process.WarmPool, "REFILL_DELAY", 0.0)
    fake = write(tmp_path / "fake-python", f"#!{sys.executable}\n{WARM_FAKE_APP}")
    fake.chmod(0o755)
    config = ServeConfig("127.0.0.1", 0, tmp_path, python=str(fake), warm=1)
    client = await client_for(config)
    pool = client.workshop_server.pool
    try:
        await _ready(pool, 1)
        warm_pid = pool.ready[0].pid
        await join(client, "Alex")
        (participant,) = Registry(tmp_path).all()
        async with client.ws_connect("/ws?width=120&height=500") as ws:
            message = await ws.receive(timeout=20)
            seen = json.loads(message.data)
            (service,) = client.workshop_server.services
            assert service.pid == warm_pid
        assert seen == {
            "argv": [
                "-m",
                "canvas_tui.serve.participant_app",
                "--workshop",
                str(tmp_path),
                "--wait",
            ],
            "line": {"participant": participant.id, "width": 120, "height": 100},
        }
        await _ready(pool, 1)  # a replacement was started
        assert pool.ready[0].pid != warm_pid
    finally:
        await client.close()
    assert pool.closed and not pool.ready


@pytest.mark.slow
async def test_the_real_app_starts_warm(tmp_path):
    client = await client_for(ServeConfig("127.0.0.1", 0, tmp_path, warm=1))
    try:
        await _ready(client.workshop_server.pool, 1)
        await join(client, "Robin")
        await first_screen(client)
        (session,) = (tmp_path / "sessions").glob("*.json")
        assert json.loads(session.read_text())["title"] == "Robin"
    finally:
        await client.close()


def test_plan_checks_warm(tmp_path):
    assert plan(workspace=tmp_path).warm == 2
    assert plan(workspace=tmp_path, warm=0).warm == 0
    with pytest.raises(CanvasTuiError, match="--warm 101"):
        plan(workspace=tmp_path, warm=101)


@pytest.mark.slow
async def test_a_warm_process_that_fails_to_start_is_not_used(tmp_path, monkeypatch):
    from canvas_tui.serve import process

    monkeypatch.setattr(process, "QUIT_SECONDS", 0.2)
    broken_when_warm = 'import sys\nif "--wait" in sys.argv: sys.exit(1)\n' + FAKE_APP
    fake = write(tmp_path / "fake-python", f"#!{sys.executable}\n{broken_when_warm}")
    fake.chmod(0o755)
    client = await client_for(ServeConfig("127.0.0.1", 0, tmp_path, python=str(fake), warm=1))
    pool = client.workshop_server.pool
    try:
        import asyncio

        for _ in range(600):  # bounded: until the failed start is noticed
            if pool.starting == 0:
                break
            await asyncio.sleep(0.05)
        assert pool.ready == [] and pool.starting == 0
        await join(client, "Alex")
        async with client.ws_connect("/ws") as ws:  # a process of its own instead
            seen = json.loads((await ws.receive(timeout=20)).data)
        assert "--participant" in seen["argv"]
    finally:
        await client.close()


def test_cli_serve_warm_option(capsys, tmp_path):
    from canvas_tui.cli import build_parser

    assert build_parser().parse_args(["serve", "--warm", "20"]).warm == 20
    assert build_parser().parse_args(["serve"]).warm is None  # plan's default: 2
    code = main(["serve", "--warm", "-1", "--workspace", str(tmp_path)])
    assert code == 2 and "--warm -1: give 0 to 100" in capsys.readouterr().err


def test_the_registry_is_bounded(tmp_path, monkeypatch):
    from canvas_tui.serve import participants
    from canvas_tui.serve.participants import participant_id

    monkeypatch.setattr(participants, "MAX_PARTICIPANTS", 3)
    registry = Registry(tmp_path)
    for i in range(3):
        registry.join(participant_id(f"t{i}"), f"P{i}")
    with pytest.raises(CanvasTuiError, match="workshop is full"):
        registry.join(participant_id("t-late"), "Late")
    assert registry.join(participant_id("t1"), "P1 again").name == "P1 again"  # known: fine


async def test_app_processes_are_bounded(tmp_path, monkeypatch):
    from canvas_tui.serve import server as server_module

    monkeypatch.setattr(server_module, "MAX_APPS", 0)
    client = await client_for(ServeConfig("127.0.0.1", 0, tmp_path))
    try:
        await join(client, "Alex")
        with pytest.raises(WSServerHandshakeError) as full:
            await client.ws_connect("/ws")
        assert full.value.status == 503 and not client.workshop_server.services
    finally:
        await client.close()
