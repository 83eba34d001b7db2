"""Who may use a served workshop: join codes, the join cookie, Origin checks.

Pure logic, no web framework: the server (server.py) applies these to every request.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

COOKIE = "canvas_tui_join"
#: Join codes avoid look-alike characters (0/o, 1/l/i): they are read off a projector.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 8  # 31^8 ≈ 8.5e11 codes
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
    return 4 <= len(code) <= 64 and set(code) <= _CODE_CHARS


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
