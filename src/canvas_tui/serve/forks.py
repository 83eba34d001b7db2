"""The fork server ("zygote"): participants' app processes share their start-up memory.

Every participant's app imports Textual and the app, loads the bank and the catalogue and
builds the meaning layer's matchers: ~45 MB that is the same in every process. With the
fork server (Linux), one process does that once (``participant_app --fork-server FD``),
calls ``gc.freeze()`` (so the garbage collector never writes to, and so never un-shares,
the pages of what it inherited), and then forks one process per participant: the pages
stay shared between all of them until one writes to them (copy-on-write).

The protocol, over a Unix socket pair (``SOCK_SEQPACKET``: one message is one request)
made by the server, whose one end the fork server inherits as FD:

* the fork server, once prepared, sends ``READY``;
* the server sends a request (`encode_request`: the participant's id and the terminal
  size, JSON) with three file descriptors attached (``SCM_RIGHTS``): the read end of the
  app's input pipe and the write ends of its output and error pipes;
* the fork server forks (twice: `fork_participant`), answers the process id
  (`encode_reply`) or a one-line error, and closes its copies of the descriptors.

**Whose child.** The server makes itself a "child subreaper" (``PR_SET_CHILD_SUBREAPER``)
before starting the fork server, and the fork server forks twice, the middle process
exiting at once: the participant's process is adopted by the server. So the server waits
for it and gets its exit status as for any child, the fork server ending (or being
restarted) leaves the participants' apps running, and each app asks the kernel for
SIGTERM when the *server* dies (``PR_SET_PDEATHSIG``, set once adopted), even by
``kill -9``, as a process the server starts itself does.

Pure parts (the messages) and the fork server's own loop live here, with no UI import:
participant_app.py gives the loop the function that runs a participant's app. The
server's side (`ForkServer`, `ForkedProcess`) lives in process.py.

May import: the standard library, and canvas_tui.serve.participants (ids).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable
from functools import partial

from canvas_tui.serve.participants import valid_id

#: What the fork server sends once it has done the start-up work.
READY = b'{"ready": true}'
#: The largest request or reply (a participant id and two numbers: far less).
MESSAGE_LIMIT = 1024
#: The descriptors a request carries: the app's input (read end), output and errors (write ends).
FDS = 3
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
#: How long a forked process waits to be adopted by the server (its middle parent exits
#: at once; this is a bound, not a pace).
ADOPTION_SECONDS = 5.0
#: The largest terminal (process.MAX_WIDTH x MAX_HEIGHT; repeated so this module needs
#: no textual-serve).
MAX_WIDTH = 300
MAX_HEIGHT = 100


class ForkError(Exception):
    """A request or reply of the fork protocol that cannot be used, or a failed fork."""


def available() -> bool:
    """Whether this machine can run the fork server: Linux (fork, pidfd, prctl), a
    Python that passes descriptors over Unix sockets."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and hasattr(os, "pidfd_open")
        and hasattr(signal, "pidfd_send_signal")
        and hasattr(socket, "send_fds")
        and hasattr(socket, "SOCK_SEQPACKET")
        and _prctl_function() is not None
    )


def _prctl_function() -> Callable[..., int] | None:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def prctl(option: int, value: int) -> bool:
    """prctl(option, value); False where it failed or does not exist."""
    function = _prctl_function()
    return function is not None and function(option, value, 0, 0, 0) == 0


def become_subreaper() -> bool:
    """Have this process adopt its orphaned descendants (the fork server's children)."""
    return prctl(PR_SET_CHILD_SUBREAPER, 1)


def _cells(value: object, default: int, most: int) -> int:
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        number = default
    return max(1, min(most, number))


def encode_request(participant: str, width: int, height: int) -> bytes:
    """The server's request: fork an app for `participant` at width x height (capped)."""
    if not valid_id(participant):
        raise ForkError(f"not a participant id: {participant!r}")
    size = {"width": _cells(width, 80, MAX_WIDTH), "height": _cells(height, 24, MAX_HEIGHT)}
    return json.dumps({"participant": participant, **size}).encode()


def decode_request(data: bytes) -> tuple[str, int, int]:
    """(participant, width, height) from a request; ForkError when it is not one."""
    if len(data) > MESSAGE_LIMIT:
        raise ForkError("the request is too long")
    try:
        given = json.loads(data)
        participant = given["participant"]
        width = _cells(given.get("width"), 80, MAX_WIDTH)
        height = _cells(given.get("height"), 24, MAX_HEIGHT)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ForkError("the request is not understood") from None
    if not isinstance(participant, str) or not valid_id(participant):
        raise ForkError("the request names no participant")
    return participant, width, height


def encode_reply(pid: int | None = None, error: str | None = None) -> bytes:
    """The fork server's answer: the new process's id, or what went wrong (one line)."""
    if pid is not None:
        return json.dumps({"pid": pid}).encode()
    line = " ".join(str(error or "the fork failed").split())[:200]
    return json.dumps({"error": line}).encode()


def decode_reply(data: bytes) -> int:
    """The process id in a reply; ForkError with the fork server's words otherwise."""
    if not data:
        raise ForkError("the fork server ended")
    try:
        given = json.loads(data)
    except ValueError:
        raise ForkError("the fork server's reply is not understood") from None
    if isinstance(given, dict) and "error" in given:
        raise ForkError(f"the fork server says: {given['error']}")
    pid = given.get("pid") if isinstance(given, dict) else None
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 1:
        raise ForkError("the fork server's reply names no process")
    return pid


def close_all(fds: list[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


# --------------------------------------------------------------------------- the fork server


def freeze() -> None:
    """After the start-up work: collect what is garbage now, then move everything left
    into the collector's permanent generation, which it never scans (scanning writes to
    each object's header, un-sharing its page in every forked process)."""
    gc.collect()
    gc.freeze()


def serve_forks(control: socket.socket, run: Callable[[str, int, int], int]) -> int:
    """The fork server's loop: say READY, then fork a participant's app per request
    until the server closes its end (returns 0). `run(participant, width, height)` runs
    in the forked process and returns its exit code."""
    server = os.getppid()
    control.send(READY)
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(control, MESSAGE_LIMIT, FDS)
        except InterruptedError:
            continue
        except OSError:
            return 0
        if not data:
            close_all(fds)
            return 0  # the server closed its end: it is stopping
        try:
            if len(fds) != FDS:
                raise ForkError(f"a request carries {FDS} descriptors, not {len(fds)}")
            participant, width, height = decode_request(data)
            pid = fork_participant(fds, control, server, partial(run, participant, width, height))
            reply = encode_reply(pid)
        except (ForkError, OSError) as exc:
            reply = encode_reply(error=str(exc))
        finally:
            close_all(fds)
        try:
            control.send(reply)
        except OSError:
            return 0


def fork_participant(
    fds: list[int], control: socket.socket, server: int, run: Callable[[], int]
) -> int:
    """Fork the participant's process so that the server adopts it; its process id.

    The fork server forks a middle process, which forks the participant's process, writes
    its id on a pipe and exits at once: the participant's process, orphaned, is adopted
    by the nearest subreaper, the server."""
    read, write = os.pipe()
    middle = os.fork()
    if middle == 0:  # the middle process: fork, say the id, exit
        code = 1
        try:
            os.close(read)
            child = os.fork()
            if child == 0:
                os.close(write)
                _participant_process(fds, control, server, run)  # never returns
            os.write(write, str(child).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    said = b""
    try:
        while chunk := os.read(read, 64):
            said += chunk
    finally:
        os.close(read)
        os.waitpid(middle, 0)
    try:
        return int(said)
    except ValueError:
        raise ForkError("the forked process did not start") from None


def _participant_process(
    fds: list[int], control: socket.socket, server: int, run: Callable[[], int]
) -> None:
    """In the forked process: become the server's child that ends with it, take the
    pipes as its input, output and errors, run the app, exit (never returns)."""
    code = 1
    try:
        control.close()
        if adopted(server):
            stdin, stdout, stderr = fds
            os.dup2(stdin, 0)
            os.dup2(stdout, 1)
            os.dup2(stderr, 2)
            close_all([fd for fd in fds if fd > 2])
            signal.signal(signal.SIGINT, signal.default_int_handler)  # as an app started anew
            gc.enable()
            code = run()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        with contextlib.suppress(Exception):
            traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def adopted(server: int, seconds: float = ADOPTION_SECONDS) -> bool:
    """Wait until the server has adopted this process, then have the kernel send it
    SIGTERM when the server dies. False if the server is gone (or never adopts it).

    The death signal is set only once adopted: the kernel sends it when the *current*
    parent exits, and the middle process is about to."""
    ends = time.monotonic() + seconds
    while os.getppid() != server:
        if time.monotonic() > ends:
            return False
        time.sleep(0.001)
    prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    return os.getppid() == server  # the server died before the line above took effect
