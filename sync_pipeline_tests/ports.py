"""Free TCP ports on the loopback interface, for servers a test starts.

A port the kernel hands out for `bind(0)` comes from the ephemeral range, which it also takes the
source ports of outgoing connections from: between the test's pick and its server's bind, any
client on the machine may take it (CI saw a demo fail with "Address already in use"). Ports are
picked below that range instead, at random, so only another test's pick can meet them.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

LOWEST = 10_000
PORT_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_PICK = random.SystemRandom()  # not the global generator, which a test may have seeded


def free_ports(count: int) -> list[int]:
    """`count` different ports free at this moment (all held open together, so none repeats)."""
    below = _ephemeral_start()
    sockets: list[socket.socket] = []
    try:
        while len(sockets) < count:
            sock = socket.socket()
            try:
                sock.bind(("127.0.0.1", _PICK.randrange(LOWEST, below)))
            except OSError:  # in use: try another
                sock.close()
                continue
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_port() -> int:
    (port,) = free_ports(1)
    return port


def _ephemeral_start() -> int:
    try:
        return max(LOWEST + 1_000, int(PORT_RANGE.read_text().split()[0]))
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default
