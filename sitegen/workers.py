"""Worker processes for cold builds: each reads a share of the corpus, keeps those bodies, and
later renders the pages of the articles it read (plus a share of the list pages).

Keeping bodies where they were read is what makes parallelism pay in Python: only the small
metadata crosses between processes, never the text. Workers start from a fork server, so they
are safe to start from a process that runs threads (the preview server).
"""

from __future__ import annotations

import gc
import signal
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.config import TagConfig
from sitegen.errors import SitegenError, file_error, is_file_error
from sitegen.model import Site
from sitegen.read import Article, Body, ReadResult, kept_body, pack_body, read_article
from sitegen.render import Plan, Planner, Renderer, site_renderer
from sitegen.tags import scan_packed
from sitegen.write import Staged, Stager

if TYPE_CHECKING:
    from multiprocessing.connection import Connection


class WorkerError(Exception):
    """An unexpected error inside a worker, with the worker's traceback."""


def read_files(
    root: Path, paths: Sequence[str], bodies: dict[str, bytes], tags: TagConfig
) -> list[tuple[ReadResult, bytes]]:
    """Read files and scan them for tags; keep their bodies in `bodies` and return the
    results without them (only small metadata crosses between processes)."""
    results = []
    for path in paths:
        result = read_article(path, root)
        scan = b""
        if result.article is not None and result.body is not None:
            scan = scan_packed(result.article, result.body.paragraphs, tags)
            # Pages need only the HTML: the plain text, as big again, served the tag scan.
            bodies[result.article.source] = pack_body(result.body)
        results.append((ReadResult(result.article, None, result.problems), scan))
    return results


def render_pages(
    planner: Planner, plans: Sequence[Plan], renderer: Renderer, stager: Stager, first_number: int
) -> list[Staged]:
    return [
        stager.stage(renderer.render(planner.build(plan)), first_number + i)
        for i, plan in enumerate(plans)
    ]


class WorkerState:
    """What one worker process holds between calls."""

    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}  # source -> its body, packed (read.pack_body)
        self.root = Path()
        self.plans: list[Plan] = []
        self.planner: Planner | None = None
        self.renderer: Renderer | None = None
        self.stager: Stager | None = None

    def read(self, root: Path, paths: list[str], tags: TagConfig) -> list[tuple[ReadResult, bytes]]:
        self.root = root
        return read_files(root, paths, self.bodies, tags)

    def load_site(self, site: Site) -> int:
        self.root = site.config.source  # bodies this worker did not read come from there
        self.planner = Planner(site)
        self.plans = list(self.planner.plans(with_deps=False))  # told what to render: no keys
        gc.freeze()  # the site and the bodies live to the end: the collector need not scan them
        self.renderer = site_renderer(site, self.body_of)
        return len(self.plans)

    def body_of(self, article: Article) -> Body:
        return kept_body(self.bodies, self.root, article)

    def use_stager(self, stager: Stager) -> None:
        """Sent once: a stager carries the previous manifest, too big to send every round."""
        self.stager = stager

    def render(self, indices: list[int], first_number: int) -> list[Staged]:
        assert self.planner and self.renderer and self.stager, "load_site and use_stager first"
        plans = [self.plans[i] for i in indices]
        return render_pages(self.planner, plans, self.renderer, self.stager, first_number)


def worker_main(conn: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    state = WorkerState()
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        method, args = message
        try:
            conn.send(("ok", getattr(state, method)(*args)))
        except SitegenError as exc:
            conn.send(("user", (exc.detail, exc.path, exc.line)))
        except Exception as exc:
            if is_file_error(exc):  # a full disk, say: the user's to fix, not a bug of ours
                error = file_error(exc)
                conn.send(("user", (error.detail, error.path, error.line)))
            else:
                conn.send(("bug", traceback.format_exc()))


class WorkerPool:
    """A fixed set of worker processes, called in lockstep: one call to each, then all answers."""

    def __init__(self, count: int) -> None:
        import multiprocessing  # only large builds need it: keep small rebuilds' start quick

        # Not forked from the build: a copy of a process holding 100,000 paths and their stats
        # (or, started late, the whole model) counts all of it again in each worker. A fork
        # server is also safe in a process that runs threads (the preview server).
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["sitegen.workers"])
        self.connections: list[Connection] = []
        self.processes = []
        for _ in range(count):
            parent, child = context.Pipe()
            process = context.Process(target=worker_main, args=(child,), daemon=True)
            process.start()
            child.close()
            self.connections.append(parent)
            self.processes.append(process)

    def __len__(self) -> int:
        return len(self.connections)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def rounds(
        self, method: str, rounds: Sequence[Sequence[tuple[Any, ...]]], ahead: int = 2
    ) -> Iterator[list[Any]]:
        """Call `method` round after round (`rounds[r][i]` for worker i), yielding each round's
        answers. The next rounds wait queued in the workers' pipes while this process reads an
        answer, so a worker never idles waiting for it. Requests are small (paths or page
        numbers), so the queued ones always fit in a pipe's buffer."""
        for r in range(min(ahead, len(rounds))):
            self.send_each(method, rounds[r])
        for r in range(len(rounds)):
            answers = self.receive_each(len(rounds[r]))
            if r + ahead < len(rounds):
                self.send_each(method, rounds[r + ahead])
            yield answers

    def send_all(self, method: str, args: tuple[Any, ...]) -> None:
        """Start `method` with the same arguments on every worker, pickled once: the whole
        site takes 0.15 s to pickle at 10,000 articles, while the workers wait for it."""
        from multiprocessing.reduction import ForkingPickler

        message = bytes(ForkingPickler.dumps((method, args)))
        for conn in self.connections:
            conn.send_bytes(message)

    def send_each(self, method: str, args: Sequence[tuple[Any, ...]]) -> None:
        """Start `method` on every worker; the caller works meanwhile, then `receive_each`."""
        for conn, arg in zip(self.connections, args, strict=False):
            conn.send((method, arg))

    def receive_each(self, count: int | None = None) -> list[Any]:
        answers = [conn.recv() for conn in self.connections[:count]]
        for kind, value in answers:
            if kind == "user":
                raise SitegenError(*value)
            if kind == "bug":
                raise WorkerError(value)
        return [value for _, value in answers]

    def terminate(self) -> None:
        """Stop at once (an error or Ctrl-C): no worker may write anything more."""
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.join(timeout=5)
        for conn in self.connections:
            conn.close()
        self.processes, self.connections = [], []

    def close(self) -> None:
        for conn in self.connections:
            try:
                conn.send(None)
                conn.close()
            except OSError:
                pass
        for process in self.processes:
            process.join(timeout=2)
            if process.is_alive():
                process.terminate()
