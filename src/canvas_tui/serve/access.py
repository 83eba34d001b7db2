"""Who may use a served workshop: join codes, the join cookie, Host and Origin checks,
and the throttle on wrong join codes.

Pure logic, no web framework: the server (server.py) applies these to every request.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

COOKIE = "canvas_tui_join"
PARTICIPANT_COOKIE = "canvas_tui_participant"
#: Join codes avoid look-alike characters (0/o, 1/l/i): they are read off a projector.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 10  # 31^10 ≈ 8.2e14 codes
#: The shortest `--code` accepted: with the throttle below, 31^8 codes take centuries.
MIN_CODE_LENGTH = 8
MAX_CODE_LENGTH = 64
_CODE_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
FORBIDDEN = (
    "This workshop needs its join code. Open the full link the facilitator gave you "
    "(it ends in /?code=...)."
)


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach: localhost, 127.0.0.0/8, ::1."""
    name = host.strip().strip("[]").lower()
    if name in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # any other name may resolve to a LAN address: treat it as one


def new_join_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def valid_code(code: str) -> bool:
    return MIN_CODE_LENGTH <= len(code) <= MAX_CODE_LENGTH and set(code) <= _CODE_CHARS


def code_matches(given: str | None, code: str | None) -> bool:
    """Whether a request may pass: no code needed, or the right one (constant time)."""
    if code is None:
        return True
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), code.encode("utf-8"))


def same_origin(origin: str | None, host: str | None) -> bool:
    """A WebSocket's Origin header names the host it was opened on (or there is none)."""
    if not origin:
        return True  # not a browser (curl, a test client): the join code still applies
    try:
        netloc = urlsplit(origin).netloc
    except ValueError:
        return False
    return bool(host) and netloc.lower() == (host or "").lower()


def cookie_name(port: int | None) -> str:
    """One cookie per port: cookies ignore ports, and two workshops may share a machine."""
    return f"{COOKIE}_{port}" if port else COOKIE


def participant_cookie(port: int | None) -> str:
    """The cookie that says who the participant is (a random token; one per port)."""
    return f"{PARTICIPANT_COOKIE}_{port}" if port else PARTICIPANT_COOKIE


# --------------------------------------------------------------------------- Host header


def host_name(host: str | None) -> str | None:
    """The name or address in a Host header (`Room.local:8000` → `room.local`), or None."""
    if not host:
        return None
    text = host.strip().lower()
    if text.startswith("["):  # [::1]:8000
        end = text.find("]")
        return text[1:end] if end > 0 else None
    if text.count(":") == 1:  # name:port (a bare IPv6 address has several colons)
        text = text.split(":", 1)[0]
    return text.rstrip(".") or None


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def allowed_names(bind: str, public_url: str | None, machine: Iterable[str] = ()) -> frozenset[str]:
    """The host names a participant's browser may use for this server.

    `bind` is the listening address, `public_url` the printed address if any, `machine` this
    machine's own names (its hostname): participants may type those. Addresses (IP
    literals) are always accepted by `host_allowed`, so they are not listed here.
    """
    names = {"localhost", "localhost.localdomain", "ip6-localhost"}
    bound = host_name(bind)
    if bound and not _is_ip(bound) and bound not in ("", "0.0.0.0", "::"):
        names.add(bound)
    if public_url:
        with contextlib.suppress(ValueError):
            public = urlsplit(public_url).hostname
            if public:
                names.add(public.lower().rstrip("."))
    if bind.strip() in ("0.0.0.0", "::", ""):
        for name in machine:
            if name:
                names.add(name.lower().rstrip("."))
                names.add(name.lower().rstrip(".") + ".local")  # mDNS (Bonjour/Avahi)
    return frozenset(names)


def host_allowed(host: str | None, names: frozenset[str]) -> bool:
    """Whether a request's Host header names this server (DNS rebinding defence).

    A page that rebinds its own domain to this machine's address still sends its own
    domain in Host, so a name is accepted only when it is one of `names`. An address
    typed as such (`192.168.1.20:8000`, `[::1]:8000`) cannot be a rebound name: accepted.
    """
    name = host_name(host)
    if name is None:
        return False
    return _is_ip(name) or name in names


def origin_allowed(origin: str | None, host: str | None) -> bool:
    """A request's Origin header, when a browser sends one, is this very server."""
    return same_origin(origin, host)


# --------------------------------------------------------------------------- the throttle


@dataclass
class _Record:
    failures: int = 0
    locked_until: float = 0.0
    last: float = 0.0


class JoinThrottle:
    """Slows down wrong join codes, per client address.

    The first `free` wrong codes cost nothing (a typo); each one after that locks the
    client out for `base` seconds, doubling up to `ceiling`. A locked client is refused
    without its code being looked at, so guesses during a lock-out are not even tried. A
    right code clears the record; a client quiet for `forget` seconds starts afresh. At
    most `capacity` clients are remembered (the oldest dropped first), so memory is bounded.
    `clock` is injected (tests pass a fake one; never a sleep).
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        free: int = 5,
        base: float = 1.0,
        ceiling: float = 300.0,
        forget: float = 3600.0,
        capacity: int = 10_000,
    ) -> None:
        self.clock = clock
        self.free = free
        self.base = base
        self.ceiling = ceiling
        self.forget = forget
        self.capacity = capacity
        self._records: OrderedDict[str, _Record] = OrderedDict()

    def _record(self, client: str) -> _Record | None:
        record = self._records.get(client)
        if record is not None and self.clock() - record.last > self.forget:
            del self._records[client]
            return None
        return record

    def wait(self, client: str) -> float:
        """Seconds this client must wait before its next join is looked at (0: none)."""
        record = self._record(client)
        if record is None:
            return 0.0
        return max(0.0, record.locked_until - self.clock())

    def failed(self, client: str) -> float:
        """Count a wrong code; returns the lock-out it earned, in seconds."""
        now = self.clock()
        record = self._record(client) or _Record()
        record.failures += 1
        record.last = now
        lock = 0.0
        if record.failures > self.free:
            lock = min(self.ceiling, self.base * 2 ** min(record.failures - self.free - 1, 30))
            record.locked_until = now + lock
        self._records[client] = record
        self._records.move_to_end(client)
        while len(self._records) > self.capacity:
            self._records.popitem(last=False)
        return lock

    def succeeded(self, client: str) -> None:
        self._records.pop(client, None)
