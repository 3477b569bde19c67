"""Worker processes for cold builds: each reads a share of the corpus, keeps those bodies, and
later renders the pages of the articles it read (plus a share of the list pages).

Keeping bodies where they were read is what makes parallelism pay in Python: only the small
metadata crosses between processes, never the text. Workers start from a fork server, so they
are safe to start from a process that runs threads (the preview server).
"""

from __future__ import annotations

import gc
import os
import signal
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.config import Config, TagConfig
from sitegen.errors import SitegenError, file_error, is_file_error
from sitegen.pool import collector_paused
from sitegen.read import (
    Article,
    Body,
    ReadResult,
    load_body,
    pack_body,
    read_article,
    unpack_body,
)
from sitegen.tags import LexiconTables, scan_packed, use_lexicon_tables
from sitegen.write import Staged, Stager

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    import jinja2

    from sitegen.images import ImageSizes
    from sitegen.model import Site
    from sitegen.render import Plan, Planner, Renderer

# The model and the renderer (jinja2) are not imported here: a build that only reads (`sitegen
# tags`) needs neither. The fork server imports them before it forks workers (`pool.PRELOAD`).


def read_files(
    root: Path,
    paths: Sequence[str],
    bodies: dict[str, bytes],
    tags: TagConfig,
    compress: bool = False,
) -> list[tuple[ReadResult, bytes]]:
    """Read files and scan them for tags; keep their bodies in `bodies` (compressed if
    `compress`: see `read.COMPRESS_BODIES_FROM`) and return the results without them (only
    small metadata crosses between processes)."""
    results = []
    real_root = os.path.realpath(root)  # once for the batch: see `read.read_file`
    for path in paths:
        result = read_article(path, root, real_root)
        scan = b""
        if result.article is not None and result.body is not None:
            body = result.body
            scan = scan_packed(result.article, body.paragraphs, tags, body.other_scripts)
            # Pages need only the HTML: the plain text, as big again, served the tag scan.
            bodies[result.article.source] = pack_body(result.body, compress)
        unread = ReadResult(
            result.article, None, result.problems, result.unreadable, result.timed_out
        )
        results.append((unread, scan))
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
        self.tags = TagConfig()
        self.plans: list[Plan] = []
        self.planning: Iterator[Plan] = iter(())
        self.planner: Planner | None = None
        self.renderer: Renderer | None = None
        self.stager: Stager | None = None
        self.env: jinja2.Environment | None = None  # made by `prepare`
        self.config: Config | None = None  # the site's, given by `start_reading`
        self.compress = False  # bodies kept compressed (`read.COMPRESS_BODIES_FROM`)

    def start_reading(
        self,
        root: Path,
        tags: TagConfig,
        bodies: dict[str, bytes],
        lexicon: LexiconTables | None,
        config: Config | None = None,
        compress: bool = False,
    ) -> None:
        """Sent once, before the files to read: each request then holds only paths, however
        long the site's tag settings (aliases, ignore lists), so the requests queued in a pipe
        stay small while the worker sends its answers back. `bodies` are those the build read
        itself while the workers started: this worker renders their pages. `lexicon`: the
        tagger's tables, which the build has made or loaded (45 ms less in each worker), or
        None where this worker made them (`make_lexicon`).
        `config`: the site's, for `prepare`, whose request is then small too. `compress`:
        whether to keep bodies compressed (`read.COMPRESS_BODIES_FROM`)."""
        self.root, self.tags, self.config, self.compress = root, tags, config, compress
        self.bodies.update(bodies)
        if lexicon is not None:
            use_lexicon_tables(lexicon)

    def make_lexicon(self) -> None:
        """Make the tagger's lexicon, or take the one forked with this worker: sent first,
        while the build lists the files to read."""
        from sitegen.tags import load_lexicon

        load_lexicon()

    def read(self, paths: list[str]) -> list[tuple[ReadResult, bytes]]:
        """Read a share of the corpus, with the collector off: the tagger's memo of parsed
        runs grows by tens of thousands of tuples, and the collector's passes over them took
        0.5 s of the read phase of a cold build of 10,000 name-heavy articles."""
        with collector_paused():
            return read_files(self.root, paths, self.bodies, self.tags, self.compress)

    def prepare(self) -> None:
        """Load and compile the templates while the build chooses tags and builds the site,
        when workers have nothing else to do: loading them at their first pages took 0.06 to
        0.15 s of each worker's rendering in cold builds of 10,000 articles. The request
        comes while the worker may still be answering a read (`WorkerPool.on_demand`'s
        `then`): it must be small, or both sides could wait on full pipes, so the config came
        before. Nothing is read after it, so the tagger's memos go."""
        from sitegen.render import preload_templates, site_environment
        from sitegen.tags import forget_parsed_runs

        forget_parsed_runs()  # the reading is done: the pages reuse that memory
        assert self.config is not None, "start_reading with the config first"
        self.env = site_environment(self.config)
        preload_templates(self.env)

    def related(
        self,
        orders: Sequence[tuple[int, ...]],
        weights: Sequence[int],
        tag_lists: Sequence[tuple[int, ...]],
        todo: Sequence[int],
    ) -> list[tuple[int, ...]]:
        """A share of the site's related articles (`model.related_ranks`)."""
        from sitegen.model import related_ranks

        return related_ranks(orders, weights, tag_lists, todo)

    def load_site(self, site: Site) -> None:
        from sitegen.render import Planner, site_renderer

        self.root = site.config.source  # bodies this worker did not read come from there
        self.planner = Planner(site)
        self.plans = []
        self.planning = self.planner.plans(with_deps=False)  # told what to render: no keys
        gc.freeze()  # the site and the bodies live to the end: the collector need not scan them
        self.renderer = site_renderer(site, self.body_of, self.env)

    def use_images(self, images: ImageSizes) -> None:
        """The sizes of the images the articles show (`images.image_sizes`), sent after the
        site where there are any."""
        from sitegen.render import site_renderer

        assert self.planner is not None, "load_site first"
        self.renderer = site_renderer(self.planner.site, self.body_of, self.env, images)

    def use_related(self, ranks: list[tuple[int, ...]]) -> None:
        """The site's related articles, sent after it (`Build.site_in_workers`)."""
        from sitegen.model import related_from_ranks

        assert self.planner is not None, "load_site first"
        related_from_ranks(self.planner.site, ranks)

    def plan(self, index: int) -> Plan:
        """The plan of page `index`, planned as the pages asked for need: the first chunks are
        articles, whose plans come first, and the lists' plans (0.08 s at 10,000 articles) are
        made while the other worker renders, not before either starts."""
        while len(self.plans) <= index:
            plan = next(self.planning, None)
            if plan is None:
                raise IndexError(f"page {index} asked for; the site has {len(self.plans)}")
            self.plans.append(plan)
        return self.plans[index]

    def body_of(self, article: Article) -> Body:
        """A body, given up once its page has it: the pages rendered meanwhile reuse the memory,
        where they took more. The site feed shows the newest few articles' bodies again: those
        come from their files."""
        packed = self.bodies.pop(article.source, None)
        return unpack_body(packed) if packed is not None else load_body(self.root, article)

    def use_stager(self, stager: Stager) -> None:
        """Sent once: a stager carries the previous manifest, too big to send every round."""
        self.stager = stager

    def render(self, indices: list[int], first_number: int) -> list[Staged]:
        assert self.planner and self.renderer and self.stager, "load_site and use_stager first"
        plans = [self.plan(i) for i in indices]
        with collector_paused():
            return render_pages(self.planner, plans, self.renderer, self.stager, first_number)


def worker_main(conn: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    # A worker forked from the program has its handlers, which turn SIGTERM into a clean stop
    # (`cli.stop_on_termination`): a worker the build terminates must stop where it stands.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    state = WorkerState()
    while True:
        try:
            message = conn.recv()
            if message is None:
                return
            conn.send(answer(state, *message))
        except (EOFError, BrokenPipeError, ConnectionResetError):
            return  # the build is gone (killed, say): nothing to answer, nobody to tell


def answer(state: WorkerState, method: str, args: tuple) -> tuple[str, object]:
    """What a call returned, or the error it raised, as the build reads it (`pool`)."""
    try:
        return ("ok", getattr(state, method)(*args))
    except SitegenError as exc:
        return ("user", (exc.detail, exc.path, exc.line))
    except Exception as exc:
        if is_file_error(exc):  # a full disk, say: the user's to fix, not a bug of ours
            error = file_error(exc)
            return ("user", (error.detail, error.path, error.line))
        return ("bug", traceback.format_exc())
