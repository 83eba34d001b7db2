"""The checked configuration of `canvas-tui serve`, and what to tell the room.

`plan()` turns the command-line options into a `ServeConfig` (or raises `ServeError`);
`join_urls()` and `banner()` say where participants join.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from canvas_tui.core.errors import CanvasTuiError
from canvas_tui.serve.access import (
    MAX_CODE_LENGTH,
    MIN_CODE_LENGTH,
    is_loopback,
    new_join_code,
    valid_code,
)

#: App processes started ahead of participants by default (each ~60 MB while it waits).
DEFAULT_WARM = 2
MAX_WARM = 100


class ServeError(CanvasTuiError):
    """`serve` cannot start: a bad address, port, code, folder or bank."""


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def join_urls(host: str, port: int, code: str | None, public_url: str | None = None) -> list[str]:
    """The addresses to give participants (the join code included)."""
    suffix = f"/?code={code}" if code else "/"
    if public_url:
        return [public_url.rstrip("/") + suffix]
    if host in ("0.0.0.0", "::", ""):
        addresses = lan_addresses()
        urls = [f"http://{_url_host(a)}:{port}{suffix}" for a in addresses]
        return urls or [f"http://{socket.gethostname()}:{port}{suffix}"]
    return [f"http://{_url_host(host)}:{port}{suffix}"]


#: Interfaces of containers and virtual machines: their addresses come last (a room's
#: laptops reach the machine on its Wi-Fi or Ethernet address, not on docker0).
_VIRTUAL = ("docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "lxc", "podman", "cni", "tun")


def lan_addresses() -> list[str]:
    """This machine's own IPv4 addresses that other machines can reach, read from its
    network interfaces (ifaddr: no DNS, no traffic; the hostname may resolve to 127.0.1.1):
    not loopback, not link-local; physical interfaces first."""
    try:
        import ifaddr

        found = [
            (adapter.nice_name or adapter.name, str(ip.ip))
            for adapter in ifaddr.get_adapters()
            for ip in adapter.ips
            if ip.is_IPv4
        ]
    except Exception:  # an interface the library cannot read: fall back to the hostname
        try:
            found = [("", a) for a in socket.gethostbyname_ex(socket.gethostname())[2]]
        except OSError:
            return []
    return usable_addresses(found)


def usable_addresses(found: list[tuple[str, str]]) -> list[str]:
    """(interface, address) pairs → the addresses to print, best first, each once."""
    ranked: dict[str, tuple[int, str]] = {}
    for interface, text in found:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            continue
        if address.is_loopback or address.is_link_local or address.is_unspecified:
            continue
        virtual = interface.lower().startswith(_VIRTUAL)
        rank = (1 if virtual else 0, interface)
        ranked[text] = min(ranked[text], rank) if text in ranked else rank
    return sorted(ranked, key=lambda a: (ranked[a], ipaddress.ip_address(a)))


def qr_code(text: str) -> str:
    """`text` as a QR code drawn with block characters, for a phone to scan off a
    terminal or a projector (segno: a maintained QR library with no dependencies)."""
    import io

    import segno

    out = io.StringIO()
    segno.make(text, error="l").terminal(out=out, compact=True, border=2)
    return out.getvalue()


@dataclass(frozen=True)
class ServeConfig:
    host: str
    port: int
    workspace: Path
    bank: Path | None = None
    code: str | None = None
    public_url: str | None = None
    python: str = sys.executable
    warm: int = 0  # app processes started ahead of participants (process.WarmPool)
    workshop: bool = False  # --workshop: participants follow the room (DIR/room.json)
    fork: bool = False  # participants' apps forked from one prepared process (forks.py)

    def app_argv(self, participant: str) -> list[str]:
        """The command a participant's connection runs (`participant`: their id, 16 hex
        digits): no shell, so nothing can be injected."""
        argv = [self.python, "-m", "canvas_tui.serve.participant_app"]
        argv += ["--workshop", str(self.workspace), "--participant", participant]
        if self.workshop:
            argv.append("--room")
        if self.bank is not None:
            argv += ["--bank", str(self.bank)]
        return argv

    def warm_argv(self) -> list[str]:
        """The command of a warm process: ready, waiting to be told its participant."""
        argv = [self.python, "-m", "canvas_tui.serve.participant_app"]
        argv += ["--workshop", str(self.workspace), "--wait"]
        if self.workshop:
            argv.append("--room")
        if self.bank is not None:
            argv += ["--bank", str(self.bank)]
        return argv

    def fork_argv(self, fd: int) -> list[str]:
        """The command of the fork server (forks.py): ready, forking an app per request
        that comes on the socket `fd` it inherits."""
        argv = [self.python, "-m", "canvas_tui.serve.participant_app"]
        argv += ["--workshop", str(self.workspace), "--fork-server", str(fd)]
        if self.workshop:
            argv.append("--room")
        if self.bank is not None:
            argv += ["--bank", str(self.bank)]
        return argv

    def app_environment(self, base: dict[str, str]) -> dict[str, str]:
        env = dict(base)
        env["CANVAS_TUI_HOME"] = str(self.workspace)
        env["CANVAS_TUI_SERVED"] = "1"
        env.pop("CANVAS_TUI_DEBUG", None)  # no tracebacks in participants' browsers
        return env

    def urls(self, port: int | None = None) -> list[str]:
        return join_urls(self.host, port or self.port, self.code, self.public_url)


def plan(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workspace: str | Path | None = None,
    bank: str | Path | None = None,
    code: str | None = None,
    public_url: str | None = None,
    warm: int = DEFAULT_WARM,
    environ: dict[str, str] | None = None,
    workshop: bool = False,
    fork: bool = True,
) -> ServeConfig:
    """Check the options and decide the configuration (raises `ServeError`)."""
    environ = dict(os.environ if environ is None else environ)
    if not 0 <= port <= 65535:
        raise ServeError(f"port {port} is not a port number", hint="use 1024-65535, e.g. 8000")
    if not 0 <= warm <= MAX_WARM:
        raise ServeError(
            f"--warm {warm}: give 0 to {MAX_WARM} app processes to start ahead",
            hint="about the number of participants expected at once, e.g. --warm 20",
        )
    if not host.strip():
        raise ServeError("--host is empty", hint="e.g. --host 0.0.0.0 for every address")
    if code is not None and not valid_code(code):
        raise ServeError(
            f"the join code must be {MIN_CODE_LENGTH} to {MAX_CODE_LENGTH} letters, digits, "
            "'-' or '_'",
            hint="or leave --code out to get a generated one",
        )
    if code is None and not is_loopback(host):
        code = new_join_code()
    folder = Path(workspace or environ.get("CANVAS_TUI_HOME") or "workshop").expanduser()
    folder = folder.resolve()
    if folder.exists() and not folder.is_dir():
        raise ServeError("the workshop folder is a file", file=folder)
    try:
        (folder / "sessions").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ServeError(
            f"cannot create the workshop folder: {exc.strerror or exc}", file=folder
        ) from None
    bank_path = None
    if bank:
        from canvas_tui.core.interview.bank_loader import load_bank

        bank_path = Path(bank).expanduser().resolve()
        load_bank(bank_path)  # refuse a broken bank now, not in every participant's browser
    if workshop:
        open_room(folder, bank_path)
    return ServeConfig(
        host.strip(),
        port,
        folder,
        bank_path,
        code,
        public_url,
        warm=warm,
        workshop=workshop,
        fork=fork,
    )


def open_room(folder: Path, bank: Path | None) -> None:
    """`--workshop`: the room file, made from the bank's sets when there is none yet (a
    room already there, from an earlier sitting, carries on); a broken one is refused."""
    from canvas_tui.core.interview.bank_loader import load_bank, load_default_bank
    from canvas_tui.core.room import ROOM_FILE, RoomError, new_room, read_room, write_room

    path = folder / ROOM_FILE
    if path.exists():
        try:
            read_room(path)
        except (RoomError, OSError) as exc:
            message = exc.message if isinstance(exc, RoomError) else str(exc.strerror)
            raise ServeError(
                f"the room file cannot be used: {message}",
                file=path,
                hint="delete it to start the room afresh",
            ) from None
        return
    sets = (load_bank(bank) if bank is not None else load_default_bank()).sets
    write_room(path, new_room(sets))


def banner(config: ServeConfig, port: int, *, qr: bool = True) -> str:
    """What `serve` prints once listening: where to join (with a QR code of the first
    address when participants join from other devices), the code, the folder."""
    urls = config.urls(port)
    lines = ["canvas-tui serve: the workshop is open.", "", "Participants join at:"]
    lines += [f"  {url}" for url in urls]
    if qr and urls and not is_loopback(config.host):
        lines += ["", f"Scan to join ({urls[0]}):", qr_code(urls[0]).rstrip("\n")]
    if config.host in ("0.0.0.0", "::", "") and not config.public_url:
        local = join_urls("127.0.0.1", port, config.code)[0]
        lines += ["", f"On this machine: {local}"]
    if config.code:
        lines += ["", f"Join code: {config.code} (required: a link without it gets 403)"]
    lines += [
        "",
        f"Sessions are saved in: {config.workspace}",
        f"Participants' exports: {config.workspace / 'exports'} (a folder each)",
        *(
            [f"Facilitator: canvas-tui room {config.workspace} (timer, progress, end the set)"]
            if config.workshop
            else []
        ),
        f"Afterwards: canvas-tui sessions --home {config.workspace}",
        f"            canvas-tui merge --workspace {config.workspace} -o team.md",
        "",
        "Press Ctrl+C to stop.",
    ]
    return "\n".join(lines) + "\n"
