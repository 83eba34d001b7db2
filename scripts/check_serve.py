#!/usr/bin/env python3
"""Check `canvas-tui serve` in a real headless browser (Chromium from the OS packages).

    python scripts/check_serve.py [--chromium PATH] [--screenshot FILE] [--require-answer]

What it does, with nothing from the internet:

1. starts ``canvas-tui serve`` on 127.0.0.1 (a free port) with a join code and a fresh
   workshop folder, and checks that a request without the code gets 403;
2. starts headless Chromium and drives it over the DevTools protocol (a small WebSocket
   client on aiohttp, which textual-serve already needs: no Playwright);
3. opens the join URL, gives a name in the join form, and waits until the app's first
   screen arrives (the page marks ``-first-byte``; the terminal output is read from the
   WebSocket frames) with the keyboard focus on the app;
4. types an answer and Enter, and waits for a session file in the workshop folder
   holding that answer;
5. reloads the page and waits for that answer on screen again, in the same session
   (a reload resumes the participant's canvas);
6. checks that every request the page made went to the server (no fonts, scripts or
   styles from outside).

Step 4 needs the real interview screen. While the app is still the placeholder (no
question to answer), the step is reported as skipped unless ``--require-answer``.

Exit status 0 when every check passed, 1 when one failed (the reason on stderr), 2 when
Chromium cannot be found. Chromium on Debian: ``apt-get install -y chromium``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ANSWER = "We roast specialty coffee for offices in Leeds"
CODE = "check-serve-code"
PLACEHOLDER = "interview screens are coming"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--window-size=1280,800",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
)
ANSI = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b."
)


class CheckFailed(Exception):
    pass


def find_chromium(given: str | None = None) -> str | None:
    if given:
        return given if Path(given).exists() or shutil.which(given) else None
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def log(message: str) -> None:
    print(f"check_serve: {message}", flush=True)


# --------------------------------------------------------------------------- the server


def start_server(workspace: Path) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "CANVAS_TUI_HOME": str(workspace), "PYTHONUNBUFFERED": "1"}
    env.pop("CANVAS_TUI_DEBUG", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "canvas_tui",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--code",
            CODE,
            "--workspace",
            str(workspace),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,  # its own process group: stopped as a whole at the end
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    seen = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        match = re.search(r"(http://127\.0\.0\.1:\d+/\?code=\S+)", line)
        if match:
            return proc, match.group(1)
    stop_process(proc)
    raise CheckFailed("the server printed no join URL:\n" + "".join(seen))


def stop_process(proc: subprocess.Popen[Any], sig: int = signal.SIGINT) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


# --------------------------------------------------------------------------- the browser


class DevTools:
    """The smallest DevTools-protocol client that does the job (aiohttp WebSocket)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.pending: dict[int, asyncio.Future[Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.dialogs: list[str] = []
        self.tasks: set[asyncio.Task[Any]] = set()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self.pending:
                future = self.pending.pop(data["id"])
                if "error" in data:
                    future.set_exception(CheckFailed(f"DevTools: {data['error']}"))
                else:
                    future.set_result(data.get("result", {}))
            elif "method" in data:
                self.events.append(data)
                if data["method"] == "Page.javascriptDialogOpening":
                    # "Leave site?" (the page asks before closing while the app runs): yes
                    self.dialogs.append(data["params"].get("type", ""))
                    self.tasks.add(
                        asyncio.create_task(self.send("Page.handleJavaScriptDialog", accept=True))
                    )

    async def send(self, method: str, **params: Any) -> Any:
        """A DevTools call; while the page is between two documents (a reload, a form
        sent) it is tried again, for up to 5 s: that is "not yet", not a failure."""
        for attempt in range(25):
            try:
                return await self._send_once(method, **params)
            except CheckFailed as error:
                if not navigating(error) or attempt == 24:
                    raise
                await asyncio.sleep(0.2)
        raise AssertionError("unreachable")

    async def _send_once(self, method: str, **params: Any) -> Any:
        call_id = next(self.ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.pending[call_id] = future
        await self.ws.send_str(json.dumps({"id": call_id, "method": method, "params": params}))
        return await asyncio.wait_for(future, 30)

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def terminal_text(self, since: int = 0) -> str:
        """Everything the app has written to the terminal so far (after event number
        `since`), escape codes removed."""
        chunks = []
        for event in self.events[since:]:
            if event["method"] != "Network.webSocketFrameReceived":
                continue
            frame = event["params"]["response"]
            if frame.get("opcode") == 2:
                chunks.append(base64.b64decode(frame["payloadData"]))
        return ANSI.sub(b"", b"".join(chunks)).decode("utf-8", "replace")

    def request_urls(self) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e["method"] == "Network.requestWillBeSent"
        ]


def start_chromium(binary: str, profile: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


async def devtools_port(profile: Path, browser: subprocess.Popen[bytes]) -> int:
    marker = profile / "DevToolsActivePort"
    for _ in range(300):
        if browser.poll() is not None:
            raise CheckFailed(f"Chromium exited at once (status {browser.returncode})")
        if marker.is_file():
            lines = marker.read_text().split()
            if lines:
                return int(lines[0])
        await asyncio.sleep(0.1)
    raise CheckFailed("Chromium did not open its DevTools port")


#: What DevTools answers while the page is between two documents (a navigation, a form
#: sent, a reload): not a failure, only "not yet".
NAVIGATING = (
    "Not attached to an active page",
    "Execution context was destroyed",
    "Cannot find context",
    "Inspected target navigated or closed",
)


def navigating(error: CheckFailed) -> bool:
    return any(text in str(error) for text in NAVIGATING)


async def wait_for(predicate: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if asyncio.iscoroutine(value):
                value = await value
        except CheckFailed as error:
            if not navigating(error):
                raise
            value = None
        if value:
            return value
        await asyncio.sleep(0.2)
    raise CheckFailed(f"timed out after {timeout:.0f}s waiting for {what}")


def sessions_with(workspace: Path, text: str) -> list[Path]:
    found = []
    for path in sorted((workspace / "sessions").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if any(text in str(v) for v in (data.get("answers") or {}).values()):
            found.append(path)
    return found


async def press(tools: DevTools, text: str | None = None, key: str | None = None) -> None:
    if text:
        await tools.send("Input.insertText", text=text)
    if key == "Enter":
        for kind in ("keyDown", "keyUp"):
            await tools.send(
                "Input.dispatchKeyEvent",
                type=kind,
                key="Enter",
                code="Enter",
                windowsVirtualKeyCode=13,
                nativeVirtualKeyCode=13,
                **({"text": "\r"} if kind == "keyDown" else {}),
            )


async def drive(
    binary: str, url: str, workspace: Path, screenshot: Path | None, require_answer: bool
) -> list[str]:
    import aiohttp

    results: list[str] = []
    with tempfile.TemporaryDirectory(prefix="canvas-chromium-") as profile_dir:
        profile = Path(profile_dir)
        browser = start_chromium(binary, profile)
        try:
            port = await devtools_port(profile, browser)
            async with aiohttp.ClientSession() as http:
                async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
                    targets = await response.json()
                page = next(t for t in targets if t.get("type") == "page")
                async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                    tools = DevTools(ws)
                    await tools.send("Network.enable")
                    await tools.send("Page.enable")
                    await tools.send("Runtime.enable")
                    await tools.send("Page.navigate", url=url)
                    await wait_for(
                        lambda: tools.evaluate("Boolean(document.querySelector('#name'))"),
                        40,
                        "the join form (a participant's name)",
                    )
                    try:  # the form is sent: the page navigates while this answers
                        await tools.evaluate(
                            "document.querySelector('#name').value = 'Checker';"
                            "document.querySelector('form').submit()"
                        )
                    except CheckFailed as error:
                        if not navigating(error):
                            raise
                    results.append("joined with a name")
                    await wait_for(
                        lambda: tools.evaluate(
                            "document.body && document.body.classList.contains('-first-byte')"
                        ),
                        90,
                        "the app's first screen in the page",
                    )
                    results.append("page loaded and the app's first screen arrived")
                    await wait_for(
                        lambda: len(tools.terminal_text().strip()) > 20, 40, "terminal text"
                    )
                    screen = tools.terminal_text()
                    if "canvas-tui" not in screen and "Canvas" not in screen:
                        raise CheckFailed(f"the screen does not look like canvas-tui: {screen!r}")
                    results.append("the terminal shows canvas-tui")
                    await asyncio.sleep(1.0)  # let the first screen settle and take focus
                    await wait_for(  # nobody clicked or pressed Tab: the page did it
                        lambda: tools.evaluate(
                            "document.activeElement && document.activeElement.classList"
                            ".contains('xterm-helper-textarea')"
                        ),
                        15,
                        "the keyboard focus on the app after loading",
                    )
                    results.append("the app has the keyboard focus on load")
                    await tools.evaluate(
                        "(document.querySelector('.xterm-helper-textarea') || {focus(){}}).focus()"
                    )
                    if PLACEHOLDER in screen:
                        message = "answer step skipped: the app is still the placeholder"
                        if require_answer:
                            raise CheckFailed(message)
                        results.append(message)
                    else:
                        for _attempt in range(3):
                            await press(tools, text=ANSWER, key="Enter")
                            try:
                                files = await wait_for(
                                    lambda: sessions_with(workspace, ANSWER),
                                    20,
                                    "a session file holding the answer",
                                )
                                break
                            except CheckFailed:
                                continue  # e.g. a title prompt came first: answer again
                        else:
                            raise CheckFailed(
                                "no session file in the workshop folder holds the answer; "
                                f"screen: {tools.terminal_text()[-600:]!r}"
                            )
                        results.append(f"answer saved in {files[0]}")
                        # a reload brings the participant back to the same canvas
                        before = len(tools.events)
                        await tools.send("Page.reload")
                        await wait_for(
                            lambda: ANSWER[:20] in tools.terminal_text(before),
                            90,
                            "the earlier answer on screen after a reload",
                        )
                        sessions = sorted((workspace / "sessions").glob("*.json"))
                        if len(sessions) != 1:
                            raise CheckFailed(f"a reload made a new session: {sessions}")
                        results.append("a reload brings the participant back to their canvas")
                        if "beforeunload" in tools.dialogs:
                            results.append("the page asked before leaving while the app ran")
                    if screenshot is not None:
                        shot = await tools.send("Page.captureScreenshot", format="png")
                        screenshot.write_bytes(base64.b64decode(shot["data"]))
                        results.append(f"screenshot: {screenshot}")
                    origin = url.split("/?", 1)[0]
                    outside = [
                        u
                        for u in tools.request_urls()
                        if not (u.startswith(origin) or u.startswith(("data:", "blob:")))
                        and u != "about:blank"
                    ]
                    if outside:
                        raise CheckFailed(f"the page loaded from outside: {outside}")
                    results.append(
                        f"{len(tools.request_urls())} requests, all to the server (offline-safe)"
                    )
                    with _quiet():
                        await tools.send("Browser.close")
                    tools.reader.cancel()
        finally:
            stop_process(browser, signal.SIGTERM)  # type: ignore[arg-type]
    return results


class _quiet:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chromium", help="the browser binary (default: found on PATH)")
    parser.add_argument("--screenshot", type=Path, help="save a PNG of the page here")
    parser.add_argument(
        "--require-answer",
        action="store_true",
        help="fail (instead of skipping) when no question can be answered",
    )
    args = parser.parse_args(argv)
    binary = find_chromium(args.chromium)
    if binary is None:
        print("check_serve: Chromium not found (apt-get install -y chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="canvas-workshop-") as folder:
        workspace = Path(folder)
        server, url = start_server(workspace)
        try:
            log(f"server at {url}")
            bare = url.split("?", 1)[0]
            status = http_status(bare)
            if status != 403:
                raise CheckFailed(f"a request without the join code got {status}, not 403")
            log("without the join code: 403")
            for line in asyncio.run(
                drive(binary, url, workspace, args.screenshot, args.require_answer)
            ):
                log(line)
        except CheckFailed as exc:
            print(f"check_serve: FAILED: {exc}", file=sys.stderr)
            return 1
        finally:
            stop_process(server)
    log("OK")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
