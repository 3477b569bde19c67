"""Helpers for tests of long-running commands: waiting on conditions, and clean builds."""

from __future__ import annotations

import dataclasses
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sitegen.build import build
from sitegen.config import load_config
from sitegen.write import MANIFEST, STAGING_PREFIX
from tests.conftest import read_tree

T = TypeVar("T")
TIMEOUT = 15.0


def wait_until(check: Callable[[], T], what: str, timeout: float = TIMEOUT) -> T:
    """Poll `check` until it returns something true; fail with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def output_tree(site: Path) -> dict[str, bytes] | None:
    """The site's output; None while a rebuild is moving files (try again)."""
    try:
        return read_tree(site / "public", skip=(MANIFEST, STAGING_PREFIX))
    except FileNotFoundError:
        return None


def clean_tree(site: Path) -> dict[str, bytes]:
    """What a clean build of the site's sources gives, built into a folder of its own."""
    config = load_config(site_dir=site)
    with tempfile.TemporaryDirectory() as folder:
        build(dataclasses.replace(config, output=Path(folder) / "public"))
        return read_tree(Path(folder) / "public", skip=(MANIFEST,))


class Command:
    """`sitegen ARGS` in a subprocess, with its output read line by line as it comes."""

    def __init__(self, site: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", *args],
            cwd=site,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[tuple[list[str], str]] = queue.Queue()
        self.unread: list[tuple[list[str], str]] = []  # (the stream's lines, a line)
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        for stream, seen in (
            (self.process.stdout, self.stdout),
            (self.process.stderr, self.stderr),
        ):
            threading.Thread(target=self._read, args=(stream, seen), daemon=True).start()

    def _read(self, stream, seen: list[str]) -> None:
        for line in stream:
            seen.append(line)
            self.lines.put((seen, line))

    def wait_for_line(self, needle: str, timeout: float = TIMEOUT) -> str:
        """The next line of stdout or of stderr containing `needle`.

        Lines of one stream before the one found are passed over; the other stream's are not:
        two reader threads may queue a stderr line before the stdout line printed first."""
        deadline = time.monotonic() + timeout
        while True:
            for i, (stream, line) in enumerate(self.unread):
                if needle in line:
                    earlier = [u for u in self.unread[:i] if u[0] is not stream]
                    self.unread = earlier + self.unread[i + 1 :]  # in the order they came
                    return line
            left = deadline - time.monotonic()
            if left <= 0 or (self.process.poll() is not None and self.lines.empty()):
                raise AssertionError(
                    f"no line with {needle!r}; output so far:\n{''.join(self.stdout + self.stderr)}"
                )
            try:
                self.unread.append(self.lines.get(timeout=min(left, 0.2)))
            except queue.Empty:
                continue

    def interrupt(self, timeout: float = TIMEOUT) -> int:
        """Ctrl-C, as a terminal sends it; the exit code."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(TIMEOUT)
