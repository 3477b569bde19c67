"""How long from saving an article to `sitegen serve` serving the rebuilt page.

    python bench/serve_latency.py                 # 1,000 and 10,000 articles, 7 saves each
    python bench/serve_latency.py --sizes 1000 --runs 11

For each size it generates a deterministic corpus, starts `sitegen serve --port 0` on it as a
user would, and then, several times: saves one article with new text, waits for the server's
live-reload event (what an open page waits for), fetches the article page and checks it shows
the new text. The time from just before the save to the page arriving is one run; the report is
the median (and the spread) of the runs, plus the rebuild time the server itself printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import queue
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

WORD_TEXT = (
    "the of and to in a that for on with as said by at from was were is its has have had will "
    "after before over under new more than about into during talks plan report government "
    "officials minister agreement meeting trade security economy energy market prices oil gas "
    "water border region capital city council parliament vote election court law policy budget "
    "health schools workers union strike farmers port ships flights support sanctions aid deal"
)
WORDS = WORD_TEXT.split()
PLACE_TEXT = "China Cuba Russia Iran Brazil India Japan Germany France Mexico Kenya Peru"
PLACES = PLACE_TEXT.split()
PROBE = "Latency probe article"
PROBE_DATE = dt.date(2026, 2, 6)
TIMEOUT = 120.0


def generate(folder: Path, count: int, seed: int = 1) -> None:
    """`count` articles in the corpus format; the same count and seed give the same bytes."""
    rng = random.Random(seed)
    articles = folder / "articles"
    articles.mkdir(parents=True)
    start = dt.date(2018, 1, 1)
    for index in range(count):
        date = start + dt.timedelta(days=index * 3 // 4 % 3000)
        title = f"{rng.choice(PLACES)} and {rng.choice(PLACES)} {rng.choice(WORDS)} {index}"
        if index == count // 2:
            date, title = PROBE_DATE, PROBE
        paragraphs = [
            " ".join(
                " ".join(rng.choices(WORDS, k=rng.randint(8, 20))).capitalize() + "."
                for _ in range(rng.randint(2, 4))
            )
            for _ in range(rng.randint(4, 10))
        ]
        name = f"{index:05d}_{rng.getrandbits(64):016x}.txt"
        text = f" date {date.isoformat()} {title}\n\nBy Staff\n\n" + "\n\n".join(paragraphs)
        (articles / name).write_text(text + "\n", encoding="utf-8")


def probe_file(site: Path) -> Path:
    for path in sorted((site / "articles").iterdir()):
        if PROBE in path.read_text(encoding="utf-8").split("\n", 1)[0]:
            return path
    raise SystemExit("the probe article is missing")


class Server:
    """`sitegen serve --port 0` in a subprocess, with its output lines as they come."""

    def __init__(self, site: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", "--port", "0"],
            cwd=site,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        line = self.wait_for("Serving")
        self.url = urlsplit(line.split(" at ")[1].split()[0])

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, needle: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if needle in line:
                return line
        raise SystemExit(f"sitegen serve never printed {needle!r}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Events:
    """The live-reload stream, as the script in a served page reads it."""

    def __init__(self, host: str, port: int) -> None:
        self.sock = socket.create_connection((host, port), timeout=TIMEOUT)
        self.sock.sendall(b"GET /.sitegen/live HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self.buffer = b""
        self._until(b"\r\n\r\n")

    def _until(self, end: bytes) -> bytes:
        while end not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise SystemExit("the event stream closed")
            self.buffer += chunk
        found, self.buffer = self.buffer.split(end, 1)
        return found

    def next_state(self) -> dict:
        while True:
            event = self._until(b"\n\n")
            if event.startswith(b"data: "):
                return json.loads(event[6:])


def fetch(host: str, port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    connection.request("GET", path)
    body = connection.getresponse().read()
    connection.close()
    return body


def measure(count: int, runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as folder:
        site = Path(folder)
        generate(site, count)
        probe = probe_file(site)
        original = probe.read_text(encoding="utf-8")
        page = PROBE_DATE.strftime("/%Y/%m/%d/") + "latency-probe-article/"
        server = Server(site)
        host, port = server.url.hostname or "127.0.0.1", server.url.port or 0
        try:
            events = Events(host, port)
            generation = events.next_state()["generation"]
            latencies, rebuilds = [], []
            for run in range(runs):
                marker = f"Probe edit number {run} at {time.time_ns()}"
                time.sleep(0.3)  # let the previous save's events settle
                started = time.perf_counter()
                probe.write_text(original + f"\n{marker}\n", encoding="utf-8")
                while True:
                    state = events.next_state()
                    if state["ok"] and state["generation"] > generation:
                        generation = state["generation"]
                        break
                body = fetch(host, port, page)
                latencies.append(time.perf_counter() - started)
                if marker.encode() not in body:
                    raise SystemExit(f"run {run}: the served page does not show the edit")
                line = server.wait_for(f"{probe.name} (modified)")
                rebuilds.append(float(re.findall(r"in ([0-9.]+) s", line)[-1]))
        finally:
            server.stop()
    return {
        "median": statistics.median(latencies),
        "min": min(latencies),
        "max": max(latencies),
        "rebuild": statistics.median(rebuilds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"{'articles':>8}  {'save->served median':>19}  {'min':>7}  {'max':>7}  rebuild median")
    for count in args.sizes:
        result = measure(count, args.runs)
        print(
            f"{count:>8}  {result['median'] * 1000:>16.0f} ms  {result['min'] * 1000:>4.0f} ms"
            f"  {result['max'] * 1000:>4.0f} ms  {result['rebuild'] * 1000:.0f} ms"
            f" ({args.runs} runs)"
        )


if __name__ == "__main__":
    main()
