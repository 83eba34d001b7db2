"""A room rehearsal on loopback: `serve --workshop`, N participants join and answer, merge.

A benchmark (it prints, never asserts): issue 15's rehearsal. Starts the real
``canvas-tui serve --workshop`` on loopback (a free port, a fresh workshop folder, or
--workspace DIR kept afterwards), waits for its fork server (or warm processes), then N
scripted clients
(serve_join.py's: aiohttp, no browser) join at once: the page, a name (POST /join), the
WebSocket at 100x30, the first screen. Each then answers the bank's required questions
by typing over the WebSocket as the page does (textual-serve's JSON message
``["stdin", "<keys>"]``: the text, then ``"\\r"`` for Enter; ``"\\x04"``, Ctrl+D, is Skip
in a browser) and skips the optional ones. Which question is being asked is read from
the participant's session file in DIR/sessions/ (saved after every answer) with the
core's Interview; each keystroke waits for the file to change, with a deadline. Then each
reviews (F3, ``"\x1bOR"``): keeps its first three suggested activities (``a``, Down), and
the fourth too, or drops it (``x``) for odd participants, so the merge counts everybody
(an unreviewed suggestion does not count); --no-review leaves that out.

Meanwhile the facilitator runs the room as ``canvas-tui room DIR`` does (core.room,
writing DIR/room.json): once everybody has joined it starts the room's timer, pauses it,
gives 5 more minutes and resumes; once everybody has answered the first part's required
questions it ends that part ("end the set") and waits until nobody has a question of it
left (each app moves on by itself; a scripted participant sends no key for a question of
an ended part). Printed: how many still had questions of the part open, how many moved on.

The answers come from a small set of restaurant-like businesses (a trattoria, a café,
a food truck, a caterer), so the merge has agreements and splits. Once every session
holds its answers: ``canvas-tui merge --workspace DIR --format json`` is run and timed.

Prints: join (first screen) p50/p95, the time until every answer (and review) is saved, memory per
participant (PSS, while all are connected), the merge's time and consensus summary.
With --capture, the facilitator view (``canvas-tui room DIR``) is captured with
/work/shared/tools/tmux-drive while the participants are still connected.

Bounded: at most 50 clients, every wait has a deadline (--timeout, at most 600 s).

    python benchmarks/room_rehearsal.py --warm 20 --workspace /tmp/room --capture
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).parent))
from canvas_tui.core import room as rooms
from canvas_tui.core.interview.bank_loader import load_default_bank
from canvas_tui.core.interview.engine import Interview
from serve_join import (
    children,
    first_screen_marker,
    fork_servers,
    memory_lines,
    memory_mb,
    participant_apps,
    start_server,
    wait_until_ready,
)

MAX_CLIENTS = 50
MAX_TIMEOUT = 600.0
REVIEW = True  # --no-review: only the answers
TMUX_DRIVE = "/work/shared/tools/tmux-drive"
SKIP = "\x04"  # Ctrl+D: Skip in a browser (participant_app.BROWSER_KEYS)
ENTER = "\r"
#: The first screen of a participant in a room (serve_join.first_screen_marker).
FIRST_SCREEN = first_screen_marker(workshop=True)

#: A few restaurant-like businesses: the required questions' answers for each.
BUSINESSES: dict[str, dict[str, str]] = {
    "trattoria": {
        "value_proposition.offer": "Fresh pasta made every morning by our chef, with seasonal "
        "vegetables from two local farms.",
        "value_proposition.customers": "Families at the weekend and office workers from the "
        "business park at lunch.",
        "channels.reach": "Google Maps and word of mouth; guests book a table online or walk "
        "into the restaurant.",
        "relationships.style": "Regulars are greeted by name and we keep a loyalty stamp card.",
        "revenue.model": "Per dish, plus drinks and a lunch set menu; gift vouchers at Christmas.",
    },
    "cafe": {
        "value_proposition.offer": "Specialty coffee roasted in house and cakes baked every "
        "morning, in a quiet café to work in.",
        "value_proposition.customers": "Students and remote workers on weekdays, neighbours "
        "at the weekend.",
        "channels.reach": "People walk past the café, find us on Instagram, and buy at the "
        "counter.",
        "relationships.style": "Baristas know the regulars' orders; a coffee card gives the "
        "tenth cup free.",
        "revenue.model": "Per cup and per cake at the counter, plus bags of beans to take home.",
    },
    "foodtruck": {
        "value_proposition.offer": "Street tacos cooked to order at markets and festivals, "
        "cheap and fast.",
        "value_proposition.customers": "Festival crowds and office workers at the weekly "
        "street market.",
        "channels.reach": "We post where the truck will be on Instagram and people queue at "
        "the window; we also deliver through a delivery app.",
        "relationships.style": "Quick and friendly at the window; followers get the week's "
        "locations first.",
        "revenue.model": "Per taco and per drink, paid by card at the truck; a fee for private "
        "events.",
    },
    "caterer": {
        "value_proposition.offer": "Catering for company lunches and weddings: menus planned "
        "with the client, cooked in our kitchen.",
        "value_proposition.customers": "Companies ordering lunches and couples planning a wedding.",
        "channels.reach": "Referrals from event planners and our website; we deliver the food "
        "and serve on site.",
        "relationships.style": "An account manager for each corporate client; tastings "
        "before every wedding contract.",
        "revenue.model": "Per guest on a quote, with a deposit when the contract is signed.",
    },
}
#: Who answers as which business (20 participants: 8, 6, 4, 2).
MIX = ["trattoria"] * 8 + ["cafe"] * 6 + ["foodtruck"] * 4 + ["caterer"] * 2


#: Each participant's session file once found (name -> path): a poll reads one file.
SESSION_FILES: dict[str, Path] = {}


def session_of(workspace: Path, name: str) -> dict | None:
    """The session file whose title is `name` (the participant's), or None."""
    known = SESSION_FILES.get(name)
    for path in [known] if known else (workspace / "sessions").glob("*.json"):
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(path.read_text())
            if data.get("title") == name:
                SESSION_FILES[name] = path
                return data
    return None


class Participant:
    def __init__(self, number: int, business: str) -> None:
        self.number = number
        self.name = f"Participant {number}"
        self.business = business
        self.first_screen: float | None = None
        self.answered_at: float | None = None
        self.reviewed_at: float | None = None
        self.failure: str | None = None
        self.keys = 0


async def read_screen(ws: aiohttp.ClientWebSocketResponse, until: bytes, deadline: float) -> None:
    screen = b""
    while until not in screen:
        message = await asyncio.wait_for(ws.receive(), max(0.1, deadline - time.monotonic()))
        if message.type == aiohttp.WSMsgType.BINARY:
            screen += message.data[-4096:]
        elif message.type != aiohttp.WSMsgType.TEXT:
            raise RuntimeError(f"connection ended: {message.type.name}")


async def drain(ws: aiohttp.ClientWebSocketResponse, stop: asyncio.Event) -> None:
    """Read (and drop) the app's output, so its process never blocks on a full pipe."""
    while not stop.is_set():
        message = await ws.receive()
        if message.type not in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
            return


async def answer_all(
    ws: aiohttp.ClientWebSocketResponse,
    p: Participant,
    workspace: Path,
    bank: object,
    deadline: float,
) -> None:
    """Type the answers to the required questions, skip the others, until all are saved."""
    answers = BUSINESSES[p.business]
    last: tuple[int, int] | None = None
    while time.monotonic() < deadline:
        data = session_of(workspace, p.name)
        if data is None:
            await asyncio.sleep(0.2)
            continue
        interview = Interview.replay(bank, data.get("answers", {}), data.get("skipped", []))  # type: ignore[arg-type]
        if not interview.unanswered_required():
            return
        question = interview.current
        if question is None:
            raise RuntimeError("no question asked, yet required ones unanswered")
        state = (len(interview.answers), len(interview.skipped))
        if state == last:  # the keys sent have not been saved yet: wait for the file
            await asyncio.sleep(0.2)
            continue
        if question.set_id in ended_sets(workspace):  # the app is moving on: no key now
            await asyncio.sleep(0.2)
            continue
        last = state
        if question.required:
            text = answers.get(question.id) or f"{p.business}: our answer to {question.id}"
            if p.number % 3 == 0:  # a little variety between participants of one business
                text += " We are a small team of four."
            await ws.send_json(["stdin", text])
            await asyncio.sleep(0.05)
            await ws.send_json(["stdin", ENTER])
        else:
            await ws.send_json(["stdin", SKIP])
        p.keys += 1
        # if nothing changes within 20 s, send the keys again (the app was not ready)
        waited = time.monotonic() + 20
        while time.monotonic() < min(waited, deadline):
            await asyncio.sleep(0.2)
            now = session_of(workspace, p.name)
            if now and (len(now.get("answers", {})), len(now.get("skipped", []))) != state:
                break
        else:
            last = None
    raise TimeoutError("answers not all saved before the deadline")


def ended_sets(workspace: Path) -> tuple[str, ...]:
    """The sets the facilitator ended (room.json): a participant sends no key for a
    question of one (the app skips it on its next look at the room)."""
    try:
        return rooms.read_room(workspace / rooms.ROOM_FILE).ended
    except (rooms.RoomError, OSError):
        return ()


class Facilitator:
    """What the facilitator did to the room while the participants worked, and what
    came of it (printed at the end)."""

    def __init__(self) -> None:
        self.steps: list[str] = []
        self.still_in_set = 0  # participants with questions left in the set when it ended
        self.moved_on = 0  # participants with none left afterwards
        self.working = 0  # participants still working (not failed) when the part ended
        self.moved_after: float | None = None  # seconds from "end the set" to all moved on
        self.failure: str | None = None


def left_in_set(workspace: Path, p: Participant, bank: object, set_id: str) -> int | None:
    """How many questions of set `set_id` are still open for `p` (None: no session yet)."""
    data = session_of(workspace, p.name)
    if data is None:
        return None
    interview = Interview.replay(bank, data.get("answers", {}), data.get("skipped", []))  # type: ignore[arg-type]
    return sum(1 for q in interview.pending() if q.set_id == set_id)


def answered(workspace: Path, p: Participant, ids: list[str]) -> bool:
    data = session_of(workspace, p.name) or {}
    return all(data.get("answers", {}).get(qid) for qid in ids)


async def facilitate(
    workspace: Path, people: list[Participant], bank: object, deadline: float, f: Facilitator
) -> None:
    """The facilitator, as `canvas-tui room DIR` does it (core.room, room.json): once
    everyone has joined, start the room's timer, pause it, give 5 more minutes, resume;
    once everyone has answered the first part's required questions, end that part and
    wait until nobody has a question of it left (the apps move on by themselves)."""
    path = workspace / rooms.ROOM_FILE

    def change(rule: object, said: str) -> None:
        room = rooms.read_room(path)
        rooms.write_room(path, rule(room))  # type: ignore[operator]
        f.steps.append(said)

    async def until(test: object) -> bool:
        while time.monotonic() < deadline:
            if test():  # type: ignore[operator]
                return True
            await asyncio.sleep(0.25)
        return False

    try:
        if not await until(lambda: all(p.first_screen or p.failure for p in people)):
            raise TimeoutError("not everybody joined")
        change(lambda r: rooms.start(r, time.time()), "started")
        await asyncio.sleep(3)
        change(lambda r: rooms.pause(r, time.time()), "paused")
        change(lambda r: rooms.extend(r, 300.0), "+5 min")
        await asyncio.sleep(2)
        change(lambda r: rooms.start(r, time.time()), "resumed")
        first = bank.sets[0]  # type: ignore[attr-defined]
        required = [q.id for q in first.questions if q.required]
        working = [p for p in people if not p.failure]
        f.working = len(working)
        if not await until(lambda: all(answered(workspace, p, required) for p in working)):
            raise TimeoutError(f"not everybody answered {required}")
        f.still_in_set = sum(1 for p in working if left_in_set(workspace, p, bank, first.id))
        ended = time.perf_counter()
        change(lambda r: rooms.end_set(r, time.time()), f"ended part 1 ({first.title})")

        def moved() -> bool:
            f.moved_on = sum(1 for p in working if left_in_set(workspace, p, bank, first.id) == 0)
            return f.moved_on == len(working)

        if await until(moved):
            f.moved_after = time.perf_counter() - ended
    except Exception as exc:  # a benchmark reports, it does not stop
        f.failure = f"{type(exc).__name__}: {exc}"


#: The review, as keys: F3 opens the review of the suggested activities, then per row a key (a keep, x drop)
#: and Down. Everybody keeps their first three; odd participants drop the fourth.
OPEN_REVIEW = "\x1bOR"  # F3: Review
DOWN = "\x1b[B"


async def review(
    ws: aiohttp.ClientWebSocketResponse, p: Participant, workspace: Path, deadline: float
) -> None:
    """Keep (or drop) the first suggested activities; wait until the decisions are saved."""
    keys = ["a", "a", "a", "x" if p.number % 2 else "a"]
    await ws.send_json(["stdin", OPEN_REVIEW])
    await asyncio.sleep(2.0)
    for key in keys:
        await ws.send_json(["stdin", key])
        await asyncio.sleep(0.4)
        await ws.send_json(["stdin", DOWN])
        await asyncio.sleep(0.4)
    while time.monotonic() < deadline:
        data = session_of(workspace, p.name) or {}
        decided = data.get("decisions", {}).get("activities", {})
        if sum(1 for d in decided.values() if d.get("status") != "suggested") >= len(keys):
            return
        await asyncio.sleep(0.3)
    raise TimeoutError("review decisions not saved before the deadline")


async def participant(
    port: int,
    p: Participant,
    workspace: Path,
    bank: object,
    go: asyncio.Event,
    hold: asyncio.Event,
    start: list[float],
    deadline: float,
) -> None:
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            await go.wait()
            begin = time.perf_counter()
            async with http.get(f"{base}/") as page:
                await page.read()
            async with http.post(f"{base}/join", data={"name": p.name}) as page:
                await page.read()
            async with http.ws_connect(f"ws://127.0.0.1:{port}/ws?width=100&height=30") as ws:
                await read_screen(ws, FIRST_SCREEN, deadline)
                p.first_screen = time.perf_counter() - begin
                stop = asyncio.Event()
                reader = asyncio.create_task(drain(ws, stop))
                try:
                    await answer_all(ws, p, workspace, bank, deadline)
                    p.answered_at = time.perf_counter() - start[0]
                    if REVIEW:
                        await review(ws, p, workspace, deadline)
                    p.reviewed_at = time.perf_counter() - start[0]
                    await asyncio.wait_for(hold.wait(), max(0.1, deadline - time.monotonic()))
                finally:
                    stop.set()
                    reader.cancel()
    except Exception as exc:  # a benchmark reports a failed participant, it does not stop
        p.failure = f"{type(exc).__name__}: {exc}"


def capture_room(workspace: Path, python_bin: Path) -> str:
    if not Path(TMUX_DRIVE).exists() or not shutil.which("tmux"):
        return "(no tmux-drive here)"
    room = python_bin.parent / "canvas-tui"
    try:
        done = subprocess.run(
            [
                TMUX_DRIVE,
                "--size",
                "110x32",
                "--wait",
                "3",
                str(room),
                "room",
                str(workspace),
                "::",
                "q",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout
    except subprocess.TimeoutExpired:
        return "(tmux-drive timed out)"


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


async def run(
    clients: int, timeout: float, warm: int, workspace: Path, capture: bool, fork: bool = True
) -> int:
    bank = load_default_bank()
    people = [Participant(i + 1, MIX[i % len(MIX)]) for i in range(clients)]
    server, port = start_server(workspace, timeout, warm, workshop=True, fork=fork)
    memory: list[tuple[float, float]] = []
    zygote_memory: list[tuple[float, float]] = []
    zygotes: set[int] = set()
    facilitator = Facilitator()
    screen = ""
    try:
        await wait_until_ready(server.pid, warm, fork, timeout)
        zygotes = fork_servers(server.pid)
        before = set(children(server.pid)) - zygotes
        go, hold = asyncio.Event(), asyncio.Event()
        start = [0.0]
        deadline = time.monotonic() + timeout
        tasks = [
            asyncio.create_task(participant(port, p, workspace, bank, go, hold, start, deadline))
            for p in people
        ]
        tasks.append(
            asyncio.create_task(facilitate(workspace, people, bank, deadline, facilitator))
        )
        await asyncio.sleep(0.2)
        start[0] = time.perf_counter()
        go.set()
        while time.monotonic() < deadline and not all(
            p.reviewed_at is not None or p.failure for p in people
        ):
            await asyncio.sleep(0.25)
        all_saved = time.perf_counter() - start[0]
        memory = [memory_mb(pid) for pid in participant_apps(server.pid, before, zygotes)]
        zygote_memory = [memory_mb(pid) for pid in zygotes]
        if capture:  # the facilitator's view, participants still connected
            screen = await asyncio.to_thread(capture_room, workspace, Path(sys.executable))
        hold.set()
        await asyncio.wait_for(
            asyncio.gather(*tasks, return_exceptions=True), max(5.0, deadline - time.monotonic())
        )
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    merged, merge_time = merge_workspace(workspace, timeout)

    joined = [p.first_screen for p in people if p.first_screen is not None]
    saved = [p for p in people if p.answered_at is not None]
    print(
        f"room_rehearsal: {clients} participants, serve --workshop --warm {warm}"
        f"{'' if fork else ' --no-fork'} ({'a fork server' if zygotes else 'no fork server'}) "
        "on loopback "
        f"({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})"
    )
    if joined:
        print(
            f"  join (first screen): p50 {statistics.median(joined):.2f} s, "
            f"p95 {percentile(joined, 0.95):.2f} s, max {max(joined):.2f} s "
            f"({len(joined)} of {clients})"
        )
    print(
        f"  answers saved: {len(saved)} of {clients} participants "
        f"({len(BUSINESSES['cafe'])} required questions each, optional ones skipped); "
        f"all saved {max((p.answered_at or 0.0) for p in saved) if saved else all_saved:.1f} s after the join started"
        + (
            f"; median participant {statistics.median(p.answered_at for p in saved):.1f} s"  # type: ignore[misc]
            if saved
            else ""
        )
    )
    reviewed = [p.reviewed_at for p in people if p.reviewed_at is not None]
    if REVIEW and reviewed:
        print(
            f"  review saved (F3, 4 activities kept or dropped): {len(reviewed)} of {clients}; "
            f"all {max(reviewed):.1f} s after the join started"
        )
    working = facilitator.working
    print(
        f"  the room (as canvas-tui room does it): timer {', '.join(facilitator.steps) or '-'}; "
        + (
            f"{facilitator.still_in_set} of {working} still had part 1 questions open when it "
            f"ended; {facilitator.moved_on} of {working} moved on"
            + (
                f" (all within {facilitator.moved_after:.1f} s)"
                if facilitator.moved_after is not None
                else ""
            )
            if any(s.startswith("ended") for s in facilitator.steps)
            else "part 1 not ended"
        )
    )
    if facilitator.failure:
        print(f"    facilitator: {facilitator.failure}")
    failures = [p for p in people if p.failure]
    for p in failures[:5]:
        print(f"    {p.name} ({p.business}): {p.failure}")
    if memory:
        print(memory_lines(memory, zygote_memory))
    print(f"  merge --workspace: {merge_time:.2f} s, exit {merged.returncode}")
    if merged.returncode != 0:
        print(f"    {merged.stderr.strip()[:300]}")
    else:
        summarise(json.loads(merged.stdout))
    if screen:
        print("  facilitator view (canvas-tui room, 110x32):")
        print(screen)
    moved = facilitator.moved_after is not None and not facilitator.failure
    return 0 if len(saved) == len(reviewed) == clients and merged.returncode == 0 and moved else 1


def summarise(team: dict) -> None:
    """The merge's consensus and where the room agrees and splits."""
    info = team.get("merge", {})
    consensus = team.get("key_activities", [])
    counted = info.get("participants_counted", "?")
    print(
        f"    {team.get('meta', {}).get('title', '?')}: {info.get('participants_count', '?')} "
        f"participants, {counted} counted ({len(info.get('unreviewed', []))} never reviewed "
        f"their suggestions)"
    )
    kept = [a for a in consensus if a.get("status") == "accepted"] if counted else []
    print(f"    consensus activities: {len(kept)}")
    for activity in kept[:6]:
        print(f"      {activity.get('priority') or '-'} {activity.get('name')}")
    kinds: dict[str, int] = {}
    for item in info.get("disagreements", []):
        kinds[item.get("kind", "?")] = kinds.get(item.get("kind", "?"), 0) + 1
    print(f"    disagreements: {sum(kinds.values())} {dict(sorted(kinds.items()))}")
    print(f"    strategic splits: {len(info.get('splits', []))}")
    votes = info.get("business_type", {}).get("dominant_votes", {})
    print(
        "    dominant business type: "
        + ", ".join(f"{kind} {len(names)}" for kind, names in sorted(votes.items()))
    )
    focus: dict[str, int] = {}
    for person in info.get("participants", []):
        for activity in person.get("focus") or []:
            focus[activity] = focus.get(activity, 0) + 1
    top = sorted(focus.items(), key=lambda item: (-item[1], item[0]))[:6]
    print(
        "    inferred top three, most shared: "
        + ", ".join(f"{activity} {count}" for activity, count in top)
    )
    shared = [
        (len(entry.get("participants", [])), block)
        for block, entries in info.get("blocks", {}).items()
        for entry in entries
    ]
    print(
        f"    canvas block items: {len(shared)}, "
        f"of which given by more than one participant: {sum(1 for n, _ in shared if n > 1)}"
    )


def merge_workspace(
    workspace: Path, timeout: float
) -> tuple[subprocess.CompletedProcess[str], float]:
    """`canvas-tui merge --workspace DIR --format json`, and how long it took (seconds)."""
    begin = time.perf_counter()
    merged = subprocess.run(
        [
            sys.executable,
            "-m",
            "canvas_tui",
            "merge",
            "--workspace",
            str(workspace),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return merged, time.perf_counter() - begin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help=f"at most {MAX_CLIENTS}")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds, at most 600")
    parser.add_argument("--warm", type=int, default=20, help="serve --warm N (0-50)")
    parser.add_argument("--workspace", help="the workshop folder (kept); default a temporary one")
    parser.add_argument("--capture", action="store_true", help="capture `canvas-tui room DIR`")
    parser.add_argument("--no-review", action="store_true", help="answer only, no review")
    parser.add_argument("--no-fork", action="store_true", help="serve --no-fork (no fork server)")
    parser.add_argument("--merge-only", metavar="DIR", help="only merge DIR's sessions, summarised")
    args = parser.parse_args(argv)
    global REVIEW
    REVIEW = not args.no_review
    if args.merge_only:
        merged, seconds = merge_workspace(Path(args.merge_only), MAX_TIMEOUT)
        print(f"  merge --workspace: {seconds:.2f} s, exit {merged.returncode}")
        if merged.returncode == 0:
            summarise(json.loads(merged.stdout))
        return merged.returncode
    clients = max(1, min(MAX_CLIENTS, args.clients))
    timeout = max(1.0, min(MAX_TIMEOUT, args.timeout))
    warm = max(0, min(MAX_CLIENTS, args.warm))
    if args.workspace:
        folder = Path(args.workspace)
        if folder.exists() and any(folder.iterdir()):
            parser.error(f"{folder}: give an empty or new folder")
        return asyncio.run(run(clients, timeout, warm, folder, args.capture, not args.no_fork))
    with tempfile.TemporaryDirectory(prefix="room-rehearsal-") as temp:
        return asyncio.run(
            run(clients, timeout, warm, Path(temp) / "workshop", args.capture, not args.no_fork)
        )


if __name__ == "__main__":
    sys.exit(main())
