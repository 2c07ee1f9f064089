"""Running a ``workbench`` command with its stderr on a pseudo-terminal, as a user at a terminal would see it."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_on_terminal(*args, env: dict[str, str], timeout: float = 300) -> tuple[int, str, str]:
    """Run ``python -m workbench ARGS`` with stderr on a 100-column pseudo-terminal and stdout on a pipe;
    returns (exit code, stdout, stderr as the terminal received it)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "workbench", *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    out_fd = proc.stdout.fileno()
    streams = {master: b"", out_fd: b""}
    open_fds = set(streams)
    while open_fds:  # read both, so that neither fills up and blocks the command
        ready, _, _ = select.select(list(open_fds), [], [], timeout)
        if not ready:
            proc.kill()
            raise AssertionError(f"{args}: no output for {timeout} s")
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the terminal side is closed: the command has ended
                chunk = b""
            if chunk:
                streams[fd] += chunk
            else:
                open_fds.discard(fd)
    code = proc.wait(timeout=60)
    proc.stdout.close()
    os.close(master)
    return code, streams[out_fd].decode("utf-8"), streams[master].decode("utf-8", "replace")
