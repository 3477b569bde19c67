"""One build: read -> model -> render -> write, and the report of what it did.

A build does only the work that changed: a source whose stat signature matches the cache is not
read again, and a page whose key (a digest of everything its template sees) matches the key of
the file already written is not rendered again. Large cold builds read and render in worker
processes, one per core; the output is the same bytes whichever way it was made.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import gc
import hashlib
import importlib
import itertools
import marshal
import os
import re
import string
import sys
import time
from collections import defaultdict, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from sitegen import BUILTIN_TEMPLATES
from sitegen.cache import (
    SOURCES_FILE,
    BuildCache,
    CacheMemory,
    Skipped,
    SourceEntry,
    check_cache_folder,
    forget_page_keys,
    load_cache,
    load_lexicon_tables,
    load_state,
    pages_file,
    pages_fingerprint,
    save_cache,
    save_lexicon_tables,
    save_state,
    sources_file,
    template_digest,
    vouch_for_output,
    vouched_for,
)
from sitegen.config import Config
from sitegen.errors import Problem, SitegenError, file_error, is_file_error
from sitegen.pool import collector_paused
from sitegen.read import (
    COMPRESS_BODIES_FROM,
    Article,
    Body,
    ReadResult,
    SourceFile,
    display,
    find_sources,
    from_site_top,
    is_article_name,
    is_local_url,
    kept_body,
    line_in_file,
    line_of,
    origin,
    path_id,
    tag_key,
    text_of,
)
from sitegen.write import (
    MANIFEST,
    UNLINKABLE,
    WEB_FILES,
    Output,
    OutputCheck,
    Writer,
    WriteReport,
    image_stamps,
    is_published_name,
    one_file_elsewhere,
    one_file_message,
    output_check,
    output_lock,
    static_files,
    static_sources,
)

if TYPE_CHECKING:
    from sitegen.images import ImageSizes
    from sitegen.model import Site, Tag
    from sitegen.pool import Call, Sending, WorkerPool
    from sitegen.render import Plan, Planner, Renderer
    from sitegen.tags import Tagging

# The model, renderer, tagger and workers (jinja2, multiprocessing) are imported
# where they are first needed: a rebuild with nothing changed needs none of them, and their
# imports would be most of its time.

T = TypeVar("T")
TagNames = dict[str, tuple[str, ...]]  # article id -> tag names, best first
Tags = tuple[Mapping[str, tuple[str, ...]], TagNames, dict[str, int]]  # picked, kept, spread
Progress = Callable[[Iterable[T], int, str], Iterable[T]]
PARALLEL_MIN_FILES = 600  # below this, starting workers costs more than it saves
# Pages to render for workers started after the model to pay: the same 0.95 s either way for
# 2,300 pages (a template changed on a cached corpus of 1,000 articles), and 1.3-1.5 s against
# 0.7-0.8 s for the 1,234 pages of a cold build of 500 articles, which started them.
LATE_POOL_MIN_PAGES = 3000
FEW_CHANGES = 50  # articles changed in place; more, and planning every page costs no more
CHUNK = 250  # pages per worker call: the progress bar moves once per chunk
KEYS_SLICE = 2000  # page keys made between two looks at whether the build stopped
PLAN_SLICE = 2000  # pages a cold build plans in one side job (25-40 ms)
READ_CHUNK = 100  # files per worker call: the last one read is all one core may wait for
# Peak memory of cold builds of `bench/generate.py`'s corpus, as the processes' proportional
# set sizes summed (what a control group is charged, pages shared after the fork once): each
# worker added 45 MB at 10,000 articles and 387 MB at 100,000 (its copy of the site and of the
# list items it made, its share of the bodies), the build itself held 165 and 1,021 MB (`-j`
# 2 and 4). Rounded up, for longer articles than those and for what else the system needs.
WORKER_BYTES = 30 << 20
WORKER_BYTES_PER_ARTICLE = 5 << 10
BUILD_BYTES = 100 << 20
BUILD_BYTES_PER_ARTICLE = 10 << 10
MEMORY_SHARE = 0.8  # of the memory available: the rest for the files' page cache, and others
FIRST_READS = 10  # files read here at a time while the workers start: how late it sees them ready
FUTURE_DAYS = 1  # an article dated tomorrow is tomorrow's edition, or another time zone's
RACY_NS = 2_000_000_000  # coarsest common mtime granularity (FAT, some network mounts)
MOVES_SHOWN = 10  # articles named in the notices of moved addresses; the rest are counted
READ_AGAIN = (-1, -1, -1, -1)  # the stat of a cache entry whose file must be read again
# How long a file skipped for its Markdown's CPU time stays skipped though unchanged: its time
# measures the machine and the moment, so it is tried again; read at every build, one such
# file cost its budget, seconds, in every build, one with nothing to do among them.
RETRY_SLOW = 24 * 3600 * 10**9  # ns


def no_progress(items: Iterable[T], total: int, label: str) -> Iterable[T]:
    return items


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """`items` in slices of `size`: the unit of work sent to a worker."""
    return [items[i : i + size] for i in range(0, len(items), size)]


def tapered(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """`chunked`, with the last two chunks' worth in fifths: a worker's last calls are what
    another may wait for at the end (each keeps two queued, see `WorkerPool.on_demand`)."""
    cut = max(0, len(items) - 2 * size)
    return chunked(items[:cut], size) + chunked(items[cut:], max(1, size // 5))


class SideWork:
    """Runs a build's side jobs (the next build's page keys and shape, the sitemap, the cached
    site), then takes the page keys from `later` into `keys`, in a thread, while this
    process's own thread hands chunks to the workers and takes their answers.

    Done between two answers, each job held back the workers' next chunks for as long as it
    took: a worker keeps two chunks queued (`WorkerPool.on_demand`, 0.1 s of work), and at
    100,000 articles single jobs took 0.3-0.6 s, 1.5 s of each worker's time in all. The
    thread holds the GIL while it works, but the other thread waits for the workers in a call
    that releases it, and takes it back within the interpreter's switch interval (5 ms).
    Leaving the block waits for the thread; an exception it raised is raised there (unless
    the block is already raising one), and a block left by an exception stops it between two
    jobs."""

    def __init__(self, jobs: list[Callable[[], None]], later: Iterator[str], keys: list[str]):
        import threading

        self.jobs, self.later, self.keys = jobs, later, keys
        self.stopping = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self.work, name="sitegen side work", daemon=True)

    def work(self) -> None:
        try:
            while self.jobs and not self.stopping.is_set():
                self.jobs.pop(0)()
            while not self.stopping.is_set():
                count = len(self.keys)
                self.keys.extend(itertools.islice(self.later, KEYS_SLICE))
                if len(self.keys) - count < KEYS_SLICE:
                    break
        except BaseException as error:  # raised in the build's thread by `__exit__`
            self.error = error

    def __enter__(self) -> SideWork:
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            self.stopping.set()
        self.thread.join()
        if self.error is not None and kind is None:
            raise self.error


@dataclass(frozen=True)
class Corpus:
    """The articles to publish, as read (or taken from the cache)."""

    articles: list[Article]  # published ones, with unique ids, in file order
    scans: dict[str, bytes]  # article id -> its tag candidates, packed (see `tags.scan_packed`)
    drafts_skipped: int

    def tagging(self, config: Config) -> Tagging:
        from sitegen.tags import choose

        return choose(self.articles, self.scans, config.tags)

    def kept_tags(
        self, picked: Mapping[str, tuple[str, ...]], spread: Mapping[str, int], config: Config
    ) -> TagNames:
        """The tags the site shows: `picked` less the names too few articles were given, with
        bare surnames merged into full names (as `tags.choose` does)."""
        from sitegen.tags import drop_rare_names, front_matter_tags, short_names_merged, tagger_for

        tagger = tagger_for(config.tags)
        front = {a.id: front_matter_tags(tagger, a) for a in self.articles}
        chosen = drop_rare_names(picked, front.get, self.scans, spread, config.tags)[0]
        return short_names_merged(chosen, front.values(), spread, config.tags)[0]


@dataclass(frozen=True)
class BuildReport:
    articles: int
    drafts_skipped: int
    read: int  # files read (not taken from the cache)
    rendered: int  # pages rendered (not skipped as unchanged)
    written: int
    unchanged: int
    removed: int
    problems: tuple[Problem, ...]
    notices: tuple[str, ...]
    seconds: float
    phases: tuple[tuple[str, float], ...] = ()  # where the time went, for `build -v`
    # The source files listed, relative to the source folder: `watch` tells by them a file
    # saved by renaming another over it (an editor's atomic save) from a new one.
    sources: tuple[str, ...] = ()
    # The same for the layouts folder: the templates and static assets read, as found (the
    # built-in ones among them, which no event names).
    layout_files: tuple[Path, ...] = ()
    workers: int = 0  # worker processes that read or rendered; 0: this process alone
    cores: int = 1  # the workers `--jobs` asked for, or the cores there were to use
    memory_capped: bool = False  # fewer workers than cores: the memory held no more
    # Pages published at another address than in the last build (a new title, a new day):
    # (old URL, new URL), from the site's top. `serve` sends a page open at the old one there.
    moves: tuple[tuple[str, str], ...] = ()

    def summary(self) -> str:
        warnings = len(self.problems)
        return (
            f"{self.articles} article{'s' * (self.articles != 1)}: "
            f"{self.written} written, {self.unchanged} unchanged, {self.removed} removed, "
            f"{warnings} warning{'s' * (warnings != 1)} in {self.seconds:.2f} s"
        )


def default_jobs() -> int:
    from sitegen.pool import available_cores

    return available_cores()


def workers_memory_allows(articles: int, available: int | None) -> int:
    """How many workers the memory `available` (bytes; None: unknown) holds beside the build,
    for a corpus of `articles`. Each worker holds the whole site, so a worker per core on a
    machine of many cores and little memory (a CI runner, a container given `--memory`) would
    make the kernel swap or kill the build: 16 workers at 100,000 articles want about 7 GB.
    At least one."""
    if available is None:
        return sys.maxsize
    room = available * MEMORY_SHARE - (BUILD_BYTES + articles * BUILD_BYTES_PER_ARTICLE)
    return max(1, int(room // (WORKER_BYTES + articles * WORKER_BYTES_PER_ARTICLE)))


class Build:
    """The state of one build run; `run()` does the work."""

    def __init__(
        self,
        config: Config,
        drafts: bool,
        strict: bool,
        progress: Progress,
        jobs: int | None,
        memory: CacheMemory | None = None,
    ):
        self.config = config
        self.memory = memory  # the last build's cache, in a process that builds again
        self.moves: list[tuple[str, str]] = []  # `BuildReport.moves`
        self.drafts = drafts
        self.strict = strict
        self.progress = progress
        # `--jobs` as given; else one a core, fewer where memory is short (`workers_for`).
        self.jobs_given = jobs is not None
        self.jobs = max(1, jobs) if jobs is not None else default_jobs()
        self.cores = self.jobs  # the workers wanted, before memory had its say
        self.memory_capped = False
        # Read as the build starts, before it holds a model or cache, or forks any worker:
        # what `workers_memory_allows` counts them against. Read again later, it would count
        # the build's own memory twice, and the workers about to be dismissed.
        self.memory_at_start: int | None = None
        if self.jobs > 1 and not self.jobs_given:
            from sitegen.pool import available_memory

            self.memory_at_start = available_memory()
        self.problems: list[Problem] = []
        self.foreign: list[Problem] = []  # files of the user's where outputs go (`finish`)
        self.bodies: dict[str, bytes] = {}  # bodies read in this process, packed, by source
        self.pool: WorkerPool | None = None
        self.owner: dict[str, int] = {}  # source -> the worker holding its body
        self.read_count = 0
        self.read_here = 0  # of those, read by this process while the workers started
        self.unreadable = False  # a file could not be read (`ReadResult.unreadable`)
        self.compress_bodies = False  # bodies kept compressed (`read.COMPRESS_BODIES_FROM`)
        self.fork_workers = False  # a cold build forks its workers (`can_fork_workers`)
        self.making_lexicon = False  # forked workers were asked to (`fork_pool`)
        self.lexicon_kept = False  # the build cache holds the tagger's tables
        self.lexicon_looked_up = False  # `take_lexicon_tables` ran
        self.output_check: OutputCheck | None = None  # started by `run` where a manifest is
        self.keys_forgotten = False  # see `forget_page_keys`
        self.last_read: dict[str, SourceEntry] = {}
        self.rescans_unchanged = True  # every file read again scanned as its cache entry had
        self.places_unchanged = True  # ... and has the date and slug its cache entry had
        self.site_reused = False  # the site is the last build's (`reused_site`)
        self.site_sending: Sending | None = None  # the site on its way to the workers
        self.related_due = False  # its related articles are still to be sent, once it was
        self.planning: Iterator[Plan] = iter(())  # a cold build's pages still to plan
        self.preparing = False  # the workers were sent `prepare`: its answers are due
        self.renders = True  # false when only reading (`read_site`): no templates to prepare
        # Work for after rendering that this process does while workers render, if any do.
        self.side_jobs: list[Callable[[], None]] = []
        self.record: tuple | None = None  # this build's site as `model.site_record` made it
        self.phases: list[tuple[str, float]] = []
        self.lap_start = time.perf_counter()

    def lap(self, phase: str) -> None:
        """Note the time since the previous lap under `phase` (shown by `build -v`)."""
        now = time.perf_counter()
        self.phases.append((phase, now - self.lap_start))
        self.lap_start = now

    # --- reading -------------------------------------------------------------------------------

    def find_sources(self) -> list[SourceFile]:
        root = self.config.source
        if not root.is_dir():
            raise SitegenError("the source folder does not exist", display(root))
        files, problems = find_sources(root)
        self.problems = [*self.config.warnings, *problems]  # the config's first, as it is read
        return files

    def read_corpus(self, cache: BuildCache, files: list[SourceFile]) -> Corpus:
        """Every article, from the cache where the file is unchanged, else read from disk."""
        entries: dict[str, SourceEntry] = {}
        articles: list[Article] = []
        scans: dict[str, bytes] = {}  # source -> tag candidates, packed
        to_read: list[SourceFile] = []
        skipped: dict[str, Skipped] = {}  # files that gave no article (`BuildCache.skipped`)
        # The reader's warnings by file, kept and read alike: shown in the files' order, as a
        # clean build shows them. (Those kept, added as found, came before those read.)
        said: dict[str, Sequence[Problem]] = {}
        started_ns = time.time_ns()
        for file in files:
            cached = cache.sources.get(file.rel)
            if cached is not None and cached.stat == file.stat:
                entries[file.rel] = cached
                articles.append(cached.article)
                scans[file.rel] = cached.scan
                if cached.problems:
                    said[file.rel] = self.kept_warnings(file.rel, cached.problems)
            elif (
                (skip := cache.skipped.get(file.rel)) is not None
                and skip[0] == file.stat
                and (not skip[2] or started_ns < skip[2])
            ):
                skipped[file.rel] = skip
                said[file.rel] = self.kept_warnings(file.rel, skip[1])
            else:
                to_read.append(file)
        self.read_count = len(to_read)
        if to_read:  # scanned for tags: the tagger's tables are wanted
            self.take_lexicon_tables()
        results = self.read_files(to_read, len(files))
        for file, (result, scan) in zip(to_read, results, strict=True):
            if result.problems:
                said[file.rel] = result.problems
            warned = tuple((p.message, p.line) for p in result.problems)  # kept to show again
            if result.article is None:
                if result.unreadable:  # read again next time, whatever else changed
                    self.unreadable = True
                    continue
                fresh = file.stat[0] >= started_ns - RACY_NS  # see below
                retry = started_ns + RETRY_SLOW if result.timed_out else 0
                skipped[file.rel] = (READ_AGAIN if fresh else file.stat, warned, retry)
                continue
            before = cache.sources.get(file.rel)
            if before is None or (before.scan, before.article.tags) != (scan, result.article.tags):
                self.rescans_unchanged = False
            if before is None or (before.article.date, before.article.slug) != (
                result.article.date,
                result.article.slug,
            ):
                self.places_unchanged = False
            articles.append(result.article)
            scans[result.article.source] = scan
            # The stat is the one taken before reading: if the file changed meanwhile, the next
            # build sees another stat and reads it again. A file changed in the last moments
            # could change again within the timestamp granularity, keeping its stat: it waits
            # until older ("racy git" rule), kept with a stat no file has, for what this build
            # chose from it. Its warnings are kept with it, to be shown again.
            stat = file.stat
            if file.stat[0] >= started_ns - RACY_NS:
                stat = READ_AGAIN
            entries[result.article.source] = SourceEntry(stat, result.article, scan, None, warned)
        if said:
            self.problems.extend(p for file in files for p in said.get(file.rel, ()))
        cache.sources_changed = (
            bool(to_read) or len(entries) != len(cache.sources) or skipped != cache.skipped
        )
        cache.skipped = skipped
        self.last_read = cache.sources  # what the last build chose tags from
        cache.sources = entries
        published = [a for a in articles if self.drafts or not a.draft]
        published.sort(key=lambda a: a.source)
        published = self.unique_ids(published)
        by_id = {a.id: scans[a.source] for a in published}
        self.lap("read")
        return Corpus(published, by_id, len(articles) - len(published))

    def take_lexicon_tables(self) -> None:
        """The tagger's tables from the build cache, if a build kept them (`keep_lexicon`):
        looked up once, by the first step that needs the tagger (reading, choosing tags)."""
        from sitegen.tags import use_lexicon_tables

        if self.lexicon_looked_up:
            return
        self.lexicon_looked_up = True
        tables = load_lexicon_tables(self.config)
        if tables is not None:
            use_lexicon_tables(tables)
            self.lexicon_kept = True

    def keep_lexicon(self) -> None:
        """Keep the tagger's tables in the build cache, if this build made them."""
        tags = sys.modules.get("sitegen.tags")  # not imported: no tagger was needed
        made = tags.lexicon_tables_made() if tags else None
        if made is not None and not self.lexicon_kept:
            save_lexicon_tables(self.config, made)
            self.lexicon_kept = True

    def same_scans(self, corpus: Corpus, cache: BuildCache) -> bool:
        """Whether tag choice would repeat the last build's: the same articles from the same
        files, and every file read again gave the scan and front-matter tags its cache entry
        held (an edit of the text that names no one new). Tag choice is a pure function of
        those. The same ids are not enough: two files with one id can trade places (the
        published one turned draft, the draft published)."""
        if not self.rescans_unchanged or set(cache.chosen) != {a.id for a in corpus.articles}:
            return False
        read = self.last_read_by_id
        return all(
            [source for source, _ in read.get(a.id, ())] == [a.source] for a in corpus.articles
        )

    def reused_site(self, corpus: Corpus, cache: BuildCache) -> Site | None:
        """The last build's site (`model.site_record`), made of this build's articles, when
        nothing it is built from changed: the same articles from the same files, with the
        same tags (`same_scans`), dates and slugs. Their other fields (title, summary, text)
        the site holds only as the articles themselves, so an edit of those (a fixed typo, a
        new paragraph) leaves it as it was. None otherwise: then the site is built."""
        if not cache.site_record or not self.places_unchanged:
            return None
        if not self.same_scans(corpus, cache):
            return None
        from sitegen.model import site_from_record

        try:
            record = marshal.loads(cache.site_record)
            return site_from_record(record, corpus.articles, self.config, self.statics[0])
        except (KeyError, TypeError, ValueError, IndexError, EOFError):  # of another shape
            return None

    @functools.cached_property
    def last_read_by_id(self) -> dict[str, list[tuple[str, SourceEntry]]]:
        """The last build's cache entries (`last_read`) by article id, with their files."""
        read: dict[str, list[tuple[str, SourceEntry]]] = defaultdict(list)
        for source, entry in self.last_read.items():
            read[entry.article.id].append((source, entry))
        return dict(read)

    def choose_or_reuse_tags(self, corpus: Corpus, cache: BuildCache) -> Tags:
        """Each article's tags (picked, and kept: see `tags.drop_rare_names`), and how many
        articles name each name: from the last build's choice where a few articles changed
        (`tags.choose_again`), else afresh."""
        from sitegen.tags import choose_again

        read = self.last_read_by_id
        # Two files that had one id: which gave what is not known.
        if cache.chosen and cache.spread and all(len(files) == 1 for files in read.values()):
            old = {i: (entry.article, entry.scan) for i, [(_, entry)] in read.items()}
            again = choose_again(
                corpus.articles, corpus.scans, self.config.tags, cache.chosen, cache.spread, old
            )
            if again is not None:
                picked, spread = again
                return picked, corpus.kept_tags(picked, spread, self.config), spread
        tagging = corpus.tagging(self.config)
        return tagging.picked, dict(tagging.chosen), dict(tagging.spread)

    def build_site(self, corpus: Corpus, cache: BuildCache) -> Site:
        """The site from the articles and their tags (chosen again where needed), with the
        notices of moved addresses; the cache takes what the next build compares."""
        from sitegen.model import build_site

        if self.same_scans(corpus, cache):
            tags = cache.chosen | cache.kept
        else:
            self.take_lexicon_tables()
            picked, tags, cache.spread = self.choose_or_reuse_tags(corpus, cache)
            cache.chosen = dict(picked)
            cache.kept = {i: names for i, names in tags.items() if picked[i] != names}
            self.lap("choose tags")
        if self.pool is None:
            site, model_problems = build_site(
                self.config, corpus.articles, tags, cache.related, self.static_owners
            )
        else:
            site, model_problems = self.site_in_workers(corpus, tags, cache)
        self.lap("model")
        cache.related = site.related_memo()
        cache.notices.extend(
            self.moved_addresses(site.articles, site.urls, cache.urls, set(site.moved))
        )
        cache.notices.extend(moved_tags(site.tags, cache.urls))
        urls = dict(site.urls) | tag_addresses(site.tags)
        before = cache.urls
        self.moves = [(before[k], url) for k, url in urls.items() if before.get(k, url) != url]
        cache.urls = urls
        cache.site_problems = [replace(p, path=self.shown(p.path)) for p in model_problems]
        return site

    def site_in_workers(
        self, corpus: Corpus, tags: Mapping[str, tuple[str, ...]], cache: BuildCache
    ) -> tuple[Site, list[Problem]]:
        """The site, its related articles scored by the workers (`score_in_workers`) while
        this process builds the rest and pickles it for them, but for the related articles:
        those go after it, as ranks (`related_ranks_of`). The workers took the site only once
        scored and pickled, 0.2-0.3 s later at 10,000 articles."""
        from sitegen.model import site_before_related
        from sitegen.pool import pickled_call

        site, problems, finish = site_before_related(
            self.config,
            corpus.articles,
            tags,
            cache.related,
            self.score_in_workers,
            self.static_owners,
        )
        # Its related articles still empty; 5.7 MB at 10,000 articles, which each worker takes
        # as soon as it has scored its share, while this process waits for the other.
        assert self.pool is not None
        self.site_sending = self.pool.send_all_soon(pickled_call("load_site", (site,)))
        finish()
        return site, problems

    def score_in_workers(
        self,
        orders: Sequence[tuple[int, ...]],
        weights: Sequence[int],
        tag_lists: Sequence[tuple[int, ...]],
        todo: Sequence[int],
    ) -> Callable[[], list[tuple[int, ...]]]:
        """A `model.Scorer`: the workers, idle while this process builds the site, score a
        share of the articles each (a third of a second at 10,000 articles, done here)."""
        assert self.pool is not None
        n = len(self.pool)
        # Dealt in turn, not in halves: articles of the same years share the same big tags, and
        # the newer half took twice as long as the older one (0.31 against 0.14 s).
        shares = [todo[i::n] for i in range(n)]
        self.pool.send_each("related", [(orders, weights, tag_lists, s) for s in shares])

        def scored() -> list[tuple[int, ...]]:
            self.take_prepared()
            answers = self.pool.receive_each()  # type: ignore[union-attr]
            return [answers[i % n][i // n] for i in range(len(todo))]

        return scored

    def take_prepared(self) -> None:
        """Take the workers' answers to `prepare`, if they are due."""
        if self.preparing and self.pool is not None:
            self.pool.receive_each()
        self.preparing = False

    def moved_back(self, article: Article, old: str, new: str) -> bool:
        """Whether the article moved back to its own address from one it was moved aside to
        (its slug and "-2", "-3"...), rather than to the address of a new title."""
        from sitegen.model import permalink

        pattern = self.config.permalink
        before, _, after = permalink(article, pattern, f"{article.slug}-\0").partition("\0")
        aside_before = old.startswith(before) and old.endswith(after)
        number = old[len(before) : len(old) - len(after)] if aside_before else ""
        return number.isdigit() and new == permalink(article, pattern)

    def moved_addresses(
        self,
        articles: Sequence[Article],
        urls: Mapping[str, str],
        before: Mapping[str, str],
        aside: Collection[str] = (),
    ) -> list[str]:
        """Notices for the articles published at another address than in the last build into
        this folder (a new title makes a new slug): every link to the old one now fails.
        `aside`: the ids of articles moved off their own address (`model.assign_urls`)."""
        moves = [
            (article, before[article.id], urls[article.id])
            for article in articles
            if before.get(article.id, urls[article.id]) != urls[article.id]
        ]
        notices = [
            f"{self.shown(article.source)}: its address moved from {old} to {new}; links to the "
            f"old one now fail ({self.why_moved(article, old, new, article.id in aside)})"
            for article, old, new in moves
        ]
        return first_of(notices, "articles")

    def why_moved(self, article: Article, old: str, new: str, aside: bool) -> str:
        back = self.moved_back(article, old, new)
        return moved_why(article, aside, back, has_slug(old, article, self.config.permalink))

    def read_files(
        self, files: Sequence[SourceFile], corpus: int
    ) -> list[tuple[ReadResult, bytes]]:
        """Read `files` of a corpus of `corpus` files (each worker will hold all of it)."""
        root, tags = self.config.source, self.config.tags
        self.compress_bodies = len(files) >= COMPRESS_BODIES_FROM  # wherever they are read
        if self.jobs > 1 and len(files) >= PARALLEL_MIN_FILES:
            self.jobs = self.workers_for(corpus)
            if self.pool is not None and len(self.pool) > self.jobs > 1:
                # Forked before the files were counted: given no file yet, only the lexicon.
                self.pool.keep(self.jobs)
        if self.jobs == 1 or len(files) < PARALLEL_MIN_FILES:
            from sitegen.workers import read_files

            if self.pool is not None:  # forked for files that were fewer than they looked
                self.pool.terminate()  # they hold nothing yet: no need to wait for the lexicon
                self.pool = None

            chunks = chunked([file.full for file in files], CHUNK)
            results = []
            for chunk in self.progress(chunks, len(chunks), "Reading"):
                results.extend(read_files(root, chunk, self.bodies, tags, self.compress_bodies))
            return results
        here, bodies = self.read_while_pool_starts(files)
        assert self.pool is not None
        files = files[len(here) :]
        # In chunks, each to whichever worker is free, so the progress bar moves and no core
        # idles while another still has a share to read.
        chunks = tapered(files, READ_CHUNK)
        dealt = iter(range(len(chunks)))

        def next_chunk(worker: int) -> Call | None:
            i = next(dealt, None)
            return None if i is None else (i, ([file.full for file in chunks[i]],))

        from sitegen.tags import derives, lexicon_tables_in_use

        # Made or loaded here, workers need not make it again; forked ones made their own.
        lexicon = None if self.fork_workers else lexicon_tables_in_use()
        starts = [
            (root, tags, share, lexicon, self.config, self.compress_bodies) for share in bodies
        ]
        self.pool.send_each("start_reading", starts)
        self.pool.receive_each()

        # Then each loads its templates, while the others read on and this process chooses
        # tags. Not under --strict: a warning still to come would stop the build, which then
        # writes nothing, not even compiled templates into the cache folder.
        then = None
        if not self.strict and self.renders:
            then = ("prepare", ())  # small: it may wait in a pipe beside a read's answer
            self.preparing = True
        answers: list[list[tuple[ReadResult, bytes]]] = [[] for _ in chunks]
        read_by: list[int] = [0] * len(chunks)
        for n, (i, worker, answer) in enumerate(
            self.progress(
                self.pool.on_demand("read", next_chunk, then=then), len(chunks), "Reading"
            )
        ):
            answers[i], read_by[i] = answer, worker
            if n == 0:  # the next chunks are queued: the workers read on meanwhile
                import_rest_of_build()
                if then is not None and len(self.pool) > 1:
                    compile_templates(self.config)
                if self.fork_workers and derives(tags):
                    lexicon_tables_in_use()  # for choosing tags, not after the reading
        for chunk, worker in zip(chunks, read_by, strict=True):
            for file in chunk:
                self.owner[file.rel] = worker
        return here + [result for answer in answers for result in answer]

    def workers_for(self, articles: int) -> int:
        """The workers to read or render `articles` with: `--jobs` as given, else one a core
        but no more than the memory available holds (`workers_memory_allows`); one means none,
        this process alone, which holds less than itself and one worker."""
        if self.jobs_given or self.jobs == 1:
            return self.jobs
        allowed = workers_memory_allows(articles, self.memory_at_start)
        if allowed < self.jobs:
            self.memory_capped = True
        return min(self.jobs, allowed)

    def fork_pool(self) -> None:
        """Fork the workers first thing, while this process holds little: they make the
        tagger's lexicon (0.04 s) while it lists the files (0.08 s at 10,000), and it imports
        what the model and the pages need while they read. Made before the listing, and
        imports before the fork, they kept both workers waiting 0.1-0.2 s, a tenth of a cold
        build of 1,000 articles. A lexicon in the build cache comes with the fork."""
        from sitegen.pool import WorkerPool
        from sitegen.tags import derives

        tagging = derives(self.config.tags)
        if tagging:
            self.take_lexicon_tables()
        self.pool = WorkerPool(self.jobs, fork=True)
        if tagging:
            self.pool.send_all("make_lexicon", ())
            self.making_lexicon = True

    def read_while_pool_starts(
        self, files: Sequence[SourceFile]
    ) -> tuple[list[tuple[ReadResult, bytes]], list[dict[str, bytes]]]:
        """Start the workers, and read the first files here until they are ready (0.1-0.2 s
        in which this process would only wait). Returns what was read, and the bodies read, in
        one share for each worker: it renders those articles' pages."""
        from sitegen.pool import PoolStarting
        from sitegen.workers import read_files

        if self.pool is not None:  # forked as the build started (`fork_pool`)
            if self.making_lexicon:
                self.pool.receive_each()
                self.making_lexicon = False
            self.read_here = 0
            return [], [{} for _ in range(len(self.pool))]
        starting = PoolStarting(self.jobs)
        results: list[tuple[ReadResult, bytes]] = []
        bodies: dict[str, bytes] = {}
        try:
            while not starting.ready() and len(results) < len(files):
                chunk = [f.full for f in files[len(results) : len(results) + FIRST_READS]]
                config = self.config
                results.extend(
                    read_files(config.source, chunk, bodies, config.tags, self.compress_bodies)
                )
            self.pool = starting.result()
        except BaseException:
            starting.abandon()
            raise
        self.read_here = len(results)
        shares: list[dict[str, bytes]] = [{} for _ in range(len(self.pool))]
        for n, file in enumerate(files[: len(results)]):
            worker = n * len(shares) // len(results)
            self.owner[file.rel] = worker
            if file.rel in bodies:
                shares[worker][file.rel] = bodies[file.rel]
        return results, shares

    def unique_ids(self, articles: list[Article]) -> list[Article]:
        """Two files with the same id in their names: the second is keyed by its path instead."""
        seen: dict[str, str] = {}
        unique = []
        for article in articles:
            if article.id in seen:
                new_id, n = path_id(article.source), 0
                while new_id in seen:  # only by chance: one in 2**64
                    n += 1
                    new_id = path_id(f"{article.source}\0{n}")
                message = f"id {article.id} is also used by {seen[article.id]}; using {new_id}"
                self.problems.append(Problem(self.shown(article.source), message))
                article = replace(article, id=new_id)
            seen[article.id] = article.source
            unique.append(article)
        return unique

    def shown(self, source: str) -> str:
        return display(self.config.source / source)

    def kept_warnings(self, source: str, kept: Iterable[tuple[str, int | None]]) -> list[Problem]:
        """The reader's warnings about a file not read again, as the cache kept them
        (message, line), named as this build names the file."""
        where = self.shown(source)
        return [Problem(where, message, line) for message, line in kept]

    @functools.cached_property
    def today(self) -> dt.date:
        """The day of this build in the site's time zone, once for the whole build."""
        return dt.datetime.now(ZoneInfo(self.config.timezone)).date()

    def future_dated(self, articles: Sequence[Article]) -> list[Problem]:
        """A warning for each article dated after tomorrow in the site's time zone: a typo
        (2062 for 2026, 9999) most of the time, and such an article heads the home page and
        its lists until that day. Checked at every build, against the day of the build, not
        kept with what was read: a file read in May is not in the future in June. Nor in the
        state a build with nothing to do repeats the warnings from: the day is in its
        signature (`sources_signature`)."""
        today = self.today
        latest = today + dt.timedelta(days=FUTURE_DAYS)
        return [
            Problem(
                self.shown(article.source),
                f"dated {article.date}, after today ({today}): it is published now, and listed "
                "first until then (a typo in the year?)",
                line_in_file(self.config.source / article.source, str(article.date)),
            )
            for article in articles
            if article.date > latest
        ]

    # --- rendering and writing -----------------------------------------------------------------

    def body_of(self, article: Article) -> Body:
        return kept_body(self.bodies, self.config.source, article)

    def write_site(self, site: Site, cache: BuildCache) -> tuple[int, WriteReport]:
        from sitegen.model import related_ranks_of
        from sitegen.pool import WorkerPool
        from sitegen.render import (
            Planner,
            plan_key,
            site_renderer,
            url_salt,
            web_files,
        )

        if self.pool is not None:  # the workers that read the corpus plan while we do
            self.take_prepared()
            if self.site_sending is not None:  # sent while the workers scored (`site_in_workers`)
                self.site_sending.wait()
                self.site_sending, self.related_due = None, True
            else:
                self.pool.send_all("load_site", (site,))
        images = self.image_sizes(site)
        planner = Planner(site, images)
        salt = url_salt(site)
        # With nothing to compare with (a cold build in workers), rendering starts at once and
        # the page keys and shape, for the next build, are made while the workers render.
        keys_later = not cache.pages and self.pool is not None
        if keys_later:
            self.side_jobs.append(lambda: setattr(cache, "shape", planner.shape(salt)))
            if cache.sources_changed:
                self.side_jobs.append(
                    lambda: setattr(cache, "sources_data", sources_file(self.config, cache))
                )
        # The last build's site has the last build's shape.
        shape = cache.shape if self.site_reused or keys_later else planner.shape(salt)
        digests = {a.id: a.digest for a in site.articles}
        if images:  # an image's new size changes the article that shows it, as an edit does
            from sitegen.images import sizes_key

            for article_id, sizes in images.items():
                digests[article_id] += sizes_key(sizes)
        same_shape, previous = cache.pages and shape == cache.shape, cache.digests
        cache.shape, cache.digests = shape, digests
        # What changed matters only against a last build's pages (`write_changed_pages`,
        # `plan_pages`): a cold build does not go through its 10,000 articles for it.
        changed = {i for i, d in digests.items() if previous.get(i) != d} if cache.pages else set()
        if same_shape and self.pool is None:  # no workers: a few files were read
            done = self.write_changed_pages(planner, cache, salt, changed)
            if done is not None:
                return done
        pages, keys = self.plan_pages(planner, cache, salt, changed, keys_later)
        later = (plan_key(plan, salt) for plan in planner.plans()) if keys_later else iter(())
        self.lap("plan")

        def finish_planning() -> None:
            pages.extend(self.planning)

        def plan_some() -> None:
            """A cold build's list pages, planned while the workers render the articles'
            (0.13 s at 10,000 articles, seconds at 100,000, that held back their first page);
            they plan their own. Pages are handed out by number meanwhile (`page_count`). In
            slices, each a side job (`SideWork`), so that a build that failed meanwhile stops
            it soon."""
            pages.extend(itertools.islice(self.planning, PLAN_SLICE))
            if len(pages) < total:
                self.side_jobs.insert(0, plan_some)  # before the sitemap needs them

        total = planner.page_count() if keys_later else len(pages)
        paths = [] if keys_later else [plan.path for plan in pages]
        with Writer(self.config.output, self.vouch_for_output) as writer:
            if keys_later:
                todo = list(range(total))
            else:
                previous = cache.pages
                same = [p for p, key in zip(paths, keys, strict=True) if previous.get(p) == key]
                lost = set(writer.set_aside_foreign(writer.keep_all(same, self.output_check)))
                todo = [i for i, p in enumerate(paths) if previous.get(p) != keys[i] or p in lost]
            if self.pool is None and self.jobs > 1 and len(todo) >= late_pool_min(len(pages)):
                # A new template or setting with an unchanged corpus: many pages, no workers yet.
                self.jobs = self.workers_for(len(site.articles))
                if self.jobs > 1:
                    self.pool = WorkerPool(self.jobs)
                    self.pool.send_all("load_site", (site,))
            self.lap("check output")
            if self.pool is not None:
                if self.related_due:
                    # Sent once this process has planned, not before: it would wait for the
                    # workers to unpickle the site (a second at 100,000 articles) to send it.
                    self.pool.send_all("use_related", (related_ranks_of(site),))
                self.pool.receive_each()  # load_site
                if self.related_due:
                    self.pool.receive_each()  # use_related
                    self.related_due = False
                if images:
                    self.pool.send_all("use_images", (images,))
                    self.pool.receive_each()
            web_key, made = "", []  # the sitemap's key and files, made while workers render

            def make_web_files() -> None:
                nonlocal web_key, made
                web_key, made = pages_web_key(pages), list(web_files(self.config, pages))

            if not cache.pages:  # nothing to compare with: the sitemap is made anew
                self.side_jobs.insert(0, make_web_files)
            if len(pages) < total:
                self.side_jobs.insert(0, plan_some)  # before the sitemap needs them
            if self.pool is not None and len(todo) >= PARALLEL_MIN_FILES:
                try:
                    self.render_in_workers(site, pages, todo, writer, later, keys)
                except BaseException:
                    self.pool.terminate()  # before the writer discards the staging folder
                    raise
            else:
                finish_planning()
                renderer = site_renderer(site, self.body_of, images=images)
                self.render_here(planner, renderer, [pages[i] for i in todo], writer)
            if self.pool is not None:  # every page is rendered: the workers can go
                self.pool.dismiss()
            finish_planning()
            if len(pages) != total:  # Planner.page_count and Planner.plans disagree: a bug
                raise RuntimeError(f"{len(pages)} pages planned but {total} counted beforehand")
            if keys_later:
                paths = [plan.path for plan in pages]
            keys.extend(later)
            if make_web_files in self.side_jobs:  # not done while workers rendered
                self.side_jobs.remove(make_web_files)
                make_web_files()
            self.lap("render")
            web_key = web_key or pages_web_key(pages)
            # A site's own robots.txt (or sitemap) in layouts/static/ is published instead.
            mine = self.statics[0].keys()
            previous = [p for p, key in cache.pages.items() if key == web_key and p not in mine]
            if not self.lacks_web_files(previous) and all(map(writer.intact, previous)):
                for path in previous:
                    writer.keep(path, "the sitemap")
                extra_paths, extras = previous, []
            else:
                made = made or web_files(self.config, pages)
                extras = [o for o in made if o.path not in mine]
                extra_paths = [output.path for output in extras]
            self.lap("sitemap")
            report = self.finish(writer, extras)
            self.lap("commit")
        cache.pages = dict(zip(paths, keys, strict=True))
        cache.pages.update((path, web_key) for path in extra_paths)
        return len(todo), report

    def record_site(self, site: Site, cache: BuildCache) -> None:
        """Keep the site for the next build (`model.site_record`), as `plan_pages` made it."""
        from sitegen.model import site_record

        cache.site_record = marshal.dumps(self.record or site_record(site, self.statics[0]))

    def plan_pages(
        self, planner: Planner, cache: BuildCache, salt: str, changed: set[str], keys_later: bool
    ) -> tuple[list[Plan], list[str]]:
        """Every page, and its key unless `keys_later`. After a few articles were added or
        changed in a way that changes the site's shape (new tags, a new date), only the pages
        that may show something new (`model.changes_since` the last build's site) get their
        deps and a new key; the others keep the last build's key. At 10,000 articles, deps
        and keys for every page took 0.27 to 0.3 s of an addition's rebuild."""
        from sitegen.render import plan_key

        if keys_later:  # the articles' plans; the rest are planned while workers render
            self.planning = planner.plans(with_deps=False)
            return list(itertools.islice(self.planning, len(planner.site.articles))), []
        changes = None
        if self.pool is None and cache.pages and cache.site_record and len(changed) <= FEW_CHANGES:
            from sitegen.model import changes_since, site_record

            self.record = site_record(planner.site, self.statics[0])  # for the next build too
            try:
                last = marshal.loads(cache.site_record)
            except (EOFError, ValueError, TypeError):  # a damaged record: plan every page
                last = None
            changes = changes_since(last, self.record, planner.site, changed) if last else None
        if changes is not None:
            pages = list(planner.plans(changes=changes))
            keys = [plan_key(p, salt) if p.deps else cache.pages.get(p.path, "") for p in pages]
            if all(keys):
                return pages, keys
        pages = list(planner.plans())
        return pages, [plan_key(plan, salt) for plan in pages]

    def write_changed_pages(
        self, planner: Planner, cache: BuildCache, salt: str, changed: set[str]
    ) -> tuple[int, WriteReport] | None:
        """When the site has the last build's shape, only the pages that show a changed
        article can differ: plan those, keep the others if they are still on disk. None when
        that is not enough (many changes, a page gone): then the build plans every page."""
        from sitegen.render import plan_key, site_renderer

        if len(changed) > FEW_CHANGES or self.statics_moved(cache.pages):
            return None
        plans = list(planner.plans_showing(changed))
        keys = {plan.path: plan_key(plan, salt) for plan in plans}
        if not keys.keys() <= cache.pages.keys():
            return None
        self.lap("plan changed")
        with Writer(self.config.output, self.vouch_for_output) as writer:
            if writer.set_aside_foreign(
                writer.keep_all(cache.pages.keys() - keys.keys(), self.output_check)
            ):
                return None  # missing or edited by hand: the whole site is checked
            todo = [
                plan
                for plan in plans
                if not (
                    cache.pages[plan.path] == keys[plan.path]
                    and writer.keep(plan.path, plan.source)
                )
            ]
            self.lap("check output")
            renderer = site_renderer(planner.site, self.body_of, images=planner.images)
            self.render_here(planner, renderer, todo, writer)
            self.lap("render")
            report = self.finish(writer)
            self.lap("commit")
        cache.pages.update(keys)
        return len(todo), report

    def write_unchanged_site(self, pages: Collection[str]) -> WriteReport | None:
        """When no article, template or setting changed, check the pages are still on disk
        and refresh the static assets: no model, no rendering. None if a page went missing."""
        if self.statics_moved(pages):
            return None
        with Writer(self.config.output, self.vouch_for_output) as writer:
            if writer.set_aside_foreign(writer.keep_all(pages, self.output_check)):
                return None
            self.lap("check output")
            report = self.finish(writer, pages_change=False)
            self.lap("commit")
            return report

    def finish(
        self, writer: Writer, extras: Sequence[Output] = (), pages_change: bool = True
    ) -> WriteReport:
        """Stage the sitemap and robots.txt (`extras`) and the static assets, then commit.

        When pages are replaced or removed, the last build's page keys are forgotten first,
        and saved anew after (`cache.forget_page_keys`); a build that renders no page
        (`pages_change` false) replaces at most static assets, which no key vouches for."""
        stager = writer.stager()
        statics, unpublished = self.statics
        clashes = self.clashing_statics(statics, writer.sources)
        if clashes:
            statics = {path: file for path, file in statics.items() if path not in clashes}
        for number, output in enumerate([*extras, *static_files(statics)]):
            try:
                writer.add(stager.stage(output, number))
            except (NotADirectoryError, IsADirectoryError, FileExistsError):
                where = display(Path(output.source))
                raise SitegenError(nested_page(output.path, writer.sources), where) from None
        writer.prepare()  # what stands in the way is known before anything moves
        self.foreign = [
            *unpublished,
            *clashes.values(),
            *self.one_file_problems(writer.sources, statics),
            *self.foreign_problems(writer.foreign),
        ]
        if self.strict and self.foreign:
            self.problems.extend(self.foreign)
            self.check_strict()
        return writer.commit(self.forget_page_keys if pages_change else None)

    def clashing_statics(
        self, statics: Mapping[str, Path], pages: Mapping[str, str]
    ) -> dict[str, Problem]:
        """The site's static files that cannot go where pages go, each with a warning: a file
        `2024` where the year's pages need a folder, `feed.xml/a` under a page, a file where a
        list page goes (`tags/cuba/index.html`, a tag the text gave). They are left out; the
        build stopped at the first, and wrote nothing of the site."""
        own = [path for path in statics if self.is_own_static(path, statics)]
        if not own:
            return {}
        ordered = sorted(pages)
        clashes = {}
        for path in own:
            under = bisect.bisect_left(ordered, path + "/")
            if path in pages:  # a tag's or a year's list: its articles decide it, it cannot move
                message = (
                    f"cannot publish {path}: a page of the site goes there; left out (a page "
                    "sitegen makes is changed through its template in layouts/: 404.html, "
                    "list.html, article.html...)"
                )
                clashes[path] = Problem(display(statics[path]), message)
                continue
            if (under < len(ordered) and ordered[under].startswith(path + "/")) or any(
                folder in pages for folder in folders_above(path)
            ):
                why = nested_page(path, pages)
            elif folder := next((f for f in folders_above(path) if f in statics), None):
                why = f"cannot publish {path}: {folder} is a file of the site, not a folder"
            else:
                continue
            clashes[path] = Problem(display(statics[path]), f"{why}; left out (rename it)")
        return clashes

    def lacks_web_files(self, kept: Collection[str]) -> bool:
        """Whether keeping `kept` leaves the site without robots.txt or sitemap.xml: the
        site's own, in layouts/static/, was removed since the last build."""
        return any(name not in kept and name not in self.statics[0] for name in WEB_FILES)

    def statics_moved(self, pages: Collection[str]) -> bool:
        """Whether the last build's generated files and the site's static assets overlap
        otherwise now: a robots.txt of the site's own came, or went. Then the pages, not only
        the assets, change (see `write_site`)."""
        return self.lacks_web_files(pages) or not self.statics[0].keys().isdisjoint(pages)

    @functools.cached_property
    def statics(self) -> tuple[dict[str, Path], list[Problem]]:
        """The static assets to publish, by path (`write.static_sources`), and warnings."""
        return static_sources(self.config)

    @functools.cached_property
    def image_stamps(self) -> list[tuple[object, ...]]:
        """The stats of the images among the static assets (`write.image_stamps`): none, and
        no stat taken, where there is no image."""
        return image_stamps(self.statics[0])

    def image_sizes(self, site: Site) -> ImageSizes:
        """The sizes of the images the articles show (`images.image_sizes`): on a site without
        images, nothing is looked up, nor the reader imported."""
        if not self.image_stamps:
            return {}
        from sitegen.images import image_sizes

        return image_sizes(site, self.statics[0])

    @functools.cached_property
    def static_owners(self) -> dict[str, str]:
        """The static assets' paths with their files, as a warning names them: an article
        at one of those paths moves aside (`model.reserved_paths`)."""
        return {path: display(source) for path, source in self.statics[0].items()}

    def one_file_problems(
        self, outputs: Collection[str], statics: Mapping[str, Path]
    ) -> list[Problem]:
        """A warning for each two outputs a host ignoring case or Unicode normalization takes
        for one file (`one_file_elsewhere`), named by the site's static file where one is:
        a deploy there keeps one of them, in silence (`Feed.xml` for the site's feed)."""
        problems = []
        for name, other in one_file_elsewhere(outputs):
            if not self.is_own_static(name, statics) and self.is_own_static(other, statics):
                name, other = other, name
            where = statics.get(name)
            shown = display(where) if where is not None else display(self.config.output)
            problems.append(Problem(shown, one_file_message(name, other)))
        return problems

    def is_own_static(self, path: str, statics: Mapping[str, Path]) -> bool:
        """Whether `path` is a file of the site's `layouts/static/`, not a built-in asset."""
        return path in statics and statics[path].is_relative_to(self.config.layouts / "static")

    def foreign_problems(self, paths: Sequence[str]) -> list[Problem]:
        """A warning for each file sitegen did not write where an output goes; past a few,
        one warning for them all: a folder whose manifest was deleted holds thousands."""
        output = self.config.output
        if len(paths) <= FOREIGN_LISTED:
            return [Problem(display(output / path), FOREIGN_MESSAGE) for path in sorted(paths)]
        first = ", ".join(sorted(paths)[:FOREIGN_LISTED])
        message = (
            f"{len(paths)} files that sitegen would write are there but not in its manifest "
            f"({MANIFEST}), so left as they are and not written (the first: {first}). If you "
            f"deleted the manifest, delete the folder and build again."
        )
        return [Problem(display(output), message)]

    def vouch_for_output(self, manifest: tuple[int, ...]) -> None:
        """Stamp the output folder as this cache's (`cache.built_here`). Keys the stamp did
        not vouch for before (a build with another cache wrote the folder, and this one
        rendered all and changed nothing) are forgotten first: stopped before saving new
        ones, the old keys would be vouched for by the new stamp (the code review)."""
        if not self.keys_forgotten and not vouched_for(self.config, manifest):
            self.forget_page_keys()
        vouch_for_output(self.config, manifest)

    def forget_page_keys(self) -> None:
        forget_page_keys(self.config)
        self.keys_forgotten = True  # `run` saves them again, whatever the build wrote

    def render_here(
        self, planner: Planner, renderer: Renderer, plans: list[Plan], writer: Writer
    ) -> None:
        from sitegen.workers import render_pages

        stager = writer.stager()
        chunks = chunked(plans, CHUNK)
        for n, chunk in enumerate(self.progress(chunks, len(chunks), "Writing")):
            for staged in render_pages(planner, chunk, renderer, stager, n * CHUNK):
                writer.add(staged)

    def render_in_workers(
        self,
        site: Site,
        pages: list[Plan],
        todo: list[int],
        writer: Writer,
        later: Iterator[str],
        keys: list[str],
    ) -> None:
        """Article pages go to the worker that holds their body; list pages, in chunks, to
        whichever worker has rendered its articles' pages and is free. Meanwhile a thread of
        this process does the side jobs and moves page keys from `later` to `keys`."""
        assert self.pool is not None
        owned: list[list[int]] = [[] for _ in range(len(self.pool))]
        free: tuple[list[int], list[int]] = ([], [])
        depth_of = list_depths(site)
        for i in todo:  # in a cold build, only the articles' pages are planned yet
            article = pages[i].article if i < len(pages) else None
            if article is not None and article.source in self.owner:
                owned[self.owner[article.source]].append(i)
            else:
                free[depth_of(i)].append(i)
        queues = [deque(tapered(share, CHUNK)) for share in owned]
        free_chunks = tuple(deque(tapered(share, CHUNK)) for share in free)
        count = sum(map(len, queues)) + sum(map(len, free_chunks))
        numbers = itertools.count(0, CHUNK)  # where each chunk's staging file names start

        def next_chunk(worker: int) -> Call | None:
            mine = worker % 2
            queue = queues[worker] or free_chunks[mine] or free_chunks[1 - mine]
            return (None, (queue.popleft(), next(numbers))) if queue else None

        self.pool.send_each("use_stager", [(writer.stager(),) for _ in owned])
        self.pool.receive_each()
        with SideWork(self.side_jobs, later, keys):
            for _, _, answer in self.progress(
                self.pool.on_demand("render", next_chunk), count, "Writing"
            ):
                for staged in answer:
                    writer.add(staged)

    def run(self) -> BuildReport:
        # Whether the last build's files are still as written is checked by another process
        # meanwhile (`write.OutputCheck`), where there are any, and page keys that may keep them:
        # without those (a cache deleted), every page is rendered and compared anyway.
        config = self.config
        if pages_file(config.cache, config.output).exists():
            self.output_check = output_check(config.output)
        try:
            return self.run_steps()
        finally:
            if self.output_check is not None:
                self.output_check.close()

    def run_steps(self) -> BuildReport:
        start = time.perf_counter()
        config = self.config
        check_cache_folder(config.cache)  # before anything is written
        unusable: list[Path] = []
        templates: list[Path] = []
        pages_print = pages_fingerprint(
            config, template_digest([config.layouts, BUILTIN_TEMPLATES], unusable, templates)
        )
        started_ns = time.time_ns()
        try:
            if self.jobs > 1 and looks_cold(config):
                self.fork_workers = can_fork_workers()
                if self.fork_workers:
                    self.fork_pool()
                else:
                    from sitegen.pool import start_fork_server

                    start_fork_server()
            files = self.find_sources()
            self.problems.extend(unusable_template(path, config.layouts) for path in unusable)
            skipped = list(self.problems)  # the listing's own warnings, and the templates'
            # Made only when a last build's state is there to compare with, or at the end (or
            # while workers render): 0.17 s at 100,000 files that a cold build need not wait for.
            signature = functools.cache(
                lambda: sources_signature(
                    files,
                    pages_print,
                    self.drafts,
                    self.statics[0],
                    skipped,
                    self.image_stamps,
                    self.today,
                )
            )
            self.side_jobs.append(signature)
            self.lap("find sources")
            quick = self.unchanged_build(pages_print, signature)
            if quick is not None:
                if self.pool is not None:  # forked workers that hold nothing yet
                    self.pool.terminate()
                return replace(
                    quick,
                    seconds=time.perf_counter() - start,
                    phases=tuple(self.phases),
                    sources=tuple(file.rel for file in files),
                    layout_files=(*templates, *self.statics[0].values()),
                )
            kept = self.memory.take(config, pages_print) if self.memory else None
            cache = kept or load_cache(config, pages_print)
        except BaseException:
            if self.pool is not None:
                self.pool.terminate()
            raise
        self.lap("load cache")
        try:
            corpus = self.read_corpus(cache, files)
            self.problems.extend(self.future_dated(corpus.articles))
            site_key = corpus_key(corpus.articles, pages_print, self.statics[0], self.image_stamps)
            report = None
            rendered = 0
            if site_key == cache.site_key and cache.pages:
                self.problems.extend(cache.site_problems)
                self.check_strict()
                report = self.write_unchanged_site(cache.pages)
            if report is None:
                site = self.reused_site(corpus, cache)
                self.site_reused = site is not None
                if site is None:
                    site = self.build_site(corpus, cache)
                else:
                    self.lap("model kept")
                cache.site_problems = [
                    p for p in cache.site_problems if not p.message.startswith(LINK_PROBLEM)
                ] + self.broken_links(site)  # the links of this build's articles, not the last's
                self.problems.extend(cache.site_problems)
                self.check_strict()
                if not self.site_reused:
                    self.side_jobs.append(functools.partial(self.record_site, site, cache))
                rendered, report = self.write_site(site, cache)
                cache.site_key = site_key
                while self.side_jobs:  # those not done while workers rendered
                    self.side_jobs.pop(0)()
        except BaseException:
            if self.pool is not None:
                self.pool.terminate()
            raise
        finally:
            if self.pool is not None:
                self.pool.close()
        counts = (len(corpus.articles), corpus.drafts_skipped)
        changed = self.keys_forgotten or report.written or report.removed or self.read_count
        # Next time, the same files with the same stats and settings mean nothing to do. Not
        # if a file changed in the last moments: it could change again and keep its stat. Nor
        # if one could not be read: it may be readable then with the same stat.
        settled = not self.unreadable and all(file.stat[0] < started_ns - RACY_NS for file in files)
        try:
            self.save_for_next_build(
                pages_print,
                cache,
                bool(changed or rendered),
                signature() if settled else "",
                counts,
            )
        except OSError as exc:  # the site is written: a build that cannot save its cache is done
            cache.notices.append(cache_not_saved(config, exc))
        self.lap("save cache")
        return BuildReport(
            articles=len(corpus.articles),
            drafts_skipped=corpus.drafts_skipped,
            read=self.read_count,
            rendered=rendered,
            written=report.written,
            unchanged=report.unchanged,
            removed=report.removed,
            problems=tuple(self.problems + self.foreign),  # the latter not kept in the state
            notices=tuple(cache.notices),
            seconds=time.perf_counter() - start,
            phases=tuple(self.phases),
            sources=tuple(file.rel for file in files),
            layout_files=(*templates, *self.statics[0].values()),
            workers=len(self.pool.processes) if self.pool is not None else 0,
            cores=self.cores,
            moves=tuple(self.moves),
            memory_capped=self.memory_capped,
        )

    def save_for_next_build(
        self,
        pages_print: str,
        cache: BuildCache,
        changed: bool,
        signature: str,
        counts: tuple[int, int],
    ) -> None:
        """Save what the next build reuses: the tagger's tables, the cache (when this build
        read, rendered or wrote anything) and this build's state."""
        config = self.config
        self.keep_lexicon()
        if changed:
            written = save_cache(config, pages_print, cache)
            if self.memory is not None:
                self.memory.keep(config, pages_print, cache, written)
        retries = [until for _, _, until in cache.skipped.values() if until]
        save_state(config, signature, counts, self.problems, min(retries, default=0))

    def broken_links(self, site: Site) -> list[Problem]:
        """The links and images of Markdown bodies that lead to no file of this site, as
        `sitegen check` would find them in the built pages (a link of one '../' too many, a
        page that does not exist, an image not in `layouts/static/`), named with the article's
        file while it is open in the editor. Only articles with such links cost anything: a
        corpus of plain text has none, and no page is planned for this."""
        linking = [article for article in site.articles if article.links]
        if not linking:
            return []
        from sitegen.check import Served, check_url

        host = Served(frozenset(), self.config.base_url).host
        linking = [a for a in linking if any(leads_here(url, host) for _, url in a.links)]
        if not linking:  # links to other sites only: no page need be planned
            return []
        from sitegen.model import output_path
        from sitegen.render import Planner, root_of

        files = {plan.path for plan in Planner(site).plans(with_deps=False)}
        files.update(self.statics[0], WEB_FILES)
        served = Served(frozenset(files), self.config.base_url)
        problems = []
        for article in linking:
            page = output_path(site.urls[article.id])
            found_here = 0
            text: str | None = None
            root = root_of(site.urls[article.id])
            for what, url in article.links:
                base = served.base_url + page
                # As the page writes it: "/images/a.png" from the site's top (`render`).
                rooted = from_site_top(url, served.path)
                shown = url if rooted is None else root + rooted
                found = check_url(served, page, 0, shown, base, what == "image", what)
                if found is None:
                    continue
                message = found.message
                if message.startswith(("broken link: ", "missing asset: ")):
                    where = message[message.rindex(" (no file ") :]
                    message = f"{what} {url} leads to no file of the site{where}"
                    named = where[len(" (no file ") : -1].partition("; there is ")[0]
                    message += self.left_out_static(named)
                found_here += 1
                if found_here <= LINKS_SHOWN:
                    if text is None:  # read again for the lines: few articles have such links
                        text = text_of(self.config.source / article.source)
                    line = link_line(text, url)
                    problem = Problem(self.shown(article.source), LINK_PROBLEM + message, line)
                    problems.append(problem)
            if found_here > LINKS_SHOWN:  # a file of 40,000 broken links gave 40,000 lines
                more = f"{found_here - LINKS_SHOWN} more links or images that lead nowhere"
                problems.append(Problem(self.shown(article.source), LINK_PROBLEM + more))
        return problems

    def left_out_static(self, missing: str) -> str:
        """Why a file of `layouts/static/` that a link names is not in the site, where it is
        there on disk: "no file .env" alone read as if it were not, beside a file in plain
        sight. (A warning of its own already names a name that a link cannot hold.) Not of a
        folder: its files are published, and a link to it leads nowhere for another reason."""
        if missing.startswith(("/", "..")):
            return ""
        path = self.config.layouts / "static" / missing
        if not os.path.lexists(path) or (path.is_dir() and not path.is_symlink()):
            return ""
        return f"; {display(path)} is not published: {unpublished_because(missing, path)}"

    def unchanged_build(self, pages_print: str, signature: Callable[[], str]) -> BuildReport | None:
        """The quickest build: the same files with the same stats and the same settings and
        templates as the last build, whose pages are all still in place. Only the static assets
        are looked at again. None when anything differs: then the build does the real work."""
        state = load_state(self.config, signature)
        if state is None:
            return None
        (articles, drafts_skipped), problems = state
        found, self.problems = self.problems, problems
        self.check_strict()
        pages = load_cache(self.config, pages_print, sources=False).pages
        report = self.write_unchanged_site(pages) if pages else None
        if report is None:
            self.problems = found
            return None
        return BuildReport(
            articles, drafts_skipped, 0, 0, report.written, report.unchanged, report.removed,
            tuple(problems + self.foreign), (), 0.0,
        )  # fmt: skip

    def check_strict(self) -> None:
        if self.strict and self.problems:
            listed = "\n".join(f"  {p}" for p in self.problems)
            raise SitegenError(
                f"{len(self.problems)} warning(s) with --strict; nothing was written:\n{listed}"
            )


FOREIGN_LISTED = 5
FOREIGN_MESSAGE = (
    "not written by sitegen, so left as it is and sitegen's own file is not written here "
    "(move it away to let sitegen write it)"
)


def cache_not_saved(config: Config, exc: OSError) -> str:
    """The notice of a build whose cache could not be saved (a full disk, a read-only cache
    folder), once the site is written: failing the build then said the output was left as it
    was when it had been rewritten. The page keys and state of this output folder are removed
    where they can be, so none vouches for pages this build changed: the next build renders
    every page and compares it with its file."""
    with contextlib.suppress(OSError):
        forget_page_keys(config)
    return (
        f"cannot save the build cache in {display(config.cache)} ({exc.strerror or exc}); the "
        f"site is built, and the next build reads and renders everything again"
    )


def link_line(text: str, url: str) -> int | None:
    """The line of a Markdown link to `url` in the article's text: as a link's target, else
    anywhere; one without a scheme is recorded with https (`read.url_as_read`). A URL with
    spaces is recorded quoted, its tabs as the spaces Markdown made of them: "java%20%20%20%20
    script:" for "java<TAB>script:", then looked for as its words with any blanks between. Its
    backslashes were read as slashes ("\\javascript:x" is the path "/javascript:x"), and what
    no URL holds was percent-encoded: looked for as written too (the hostile helper)."""
    needles = (f"({url}", url, url.removeprefix("https:"), unquote(url), url.replace("/", "\\"))
    for needle in needles:
        if (line := line_of(text, needle)) is not None:
            return line
    words = unquote(url).split()
    if len(words) > 1:
        blanks = re.compile(r"\s+".join(map(re.escape, words)))
        if (found := blanks.search(text)) is not None:
            return text.count("\n", 0, found.start()) + 1
    return None


def leads_here(url: str, host: str) -> bool:
    """Whether an article's link (`read.local_links`) may lead to a page of the site: a
    relative one, or one naming the site's `host` (as `check.Served` has it)."""
    if is_local_url(url):
        return True
    try:
        parts = urlsplit(url)
    except ValueError:  # not a URL the reader kept; a browser would not follow it either
        return False
    return origin(parts.scheme, parts.netloc) == host


# How a broken Markdown link's warning starts: kept with the model's problems in the cache, and
# replaced by each build's own (`Build.broken_links`).
LINK_PROBLEM = "in its Markdown: "
LINKS_SHOWN = 5  # broken links named for one article; a count of the rest
TAG_KEY = "\0tag "  # tags' addresses sit with the articles' (`BuildCache.urls`); no id has \0


def nested_page(path: str, pages: Collection[str]) -> str:
    """Why a static file cannot go to `path`: a page is a file where it needs a folder
    (`feed.xml/a`), or pages need a folder where it is a file (`tags`)."""
    for folder in folders_above(path):
        if folder in pages:
            return f"cannot publish {path}: {folder} is a page, not a folder"
    return f"cannot publish {path}: pages go into a folder of that name"


def unpublished_because(name: str, path: Path) -> str:
    """Why a file of `layouts/static/` (`name` within it) is left out of the site, as
    `write.static_sources` decides, in the words of its rule."""
    parts = name.split("/")
    if any(not is_published_name(part) for part in parts):
        hidden = any(part.startswith(".") for part in parts)
        return (
            "hidden files are left out" if hidden else "editor backups and swap files are left out"
        )
    if any(UNLINKABLE.search(part) for part in parts):
        return "a link cannot hold its name as it is (a control character, '#' or '?')"
    if any(os.path.islink(path.parents[depth]) for depth in range(len(parts) - 1)):
        return "symlinked folders are not followed"
    if path.is_symlink():
        return "it links out of layouts/static/, or to nothing"
    return "it is not a regular file, or it would go where a page goes"


def folders_above(path: str) -> Iterator[str]:
    """The folders a file of the site goes in, outermost first: "a", "a/b" for "a/b/c.png"."""
    parts = path.split("/")
    for depth in range(1, len(parts)):
        yield "/".join(parts[:depth])


def tag_addresses(tags: Sequence[Tag]) -> dict[str, str]:
    return {TAG_KEY + tag_key(tag.name): tag.url for tag in tags}


def moved_tags(tags: Sequence[Tag], before: Mapping[str, str]) -> list[str]:
    """Notices for tags published at another address than in the last build: a tag whose
    slug another, older tag now claims (an old article given a new tag) moves to a suffix,
    and comes back when that tag is gone."""
    from sitegen.model import plain_tag_slug  # loaded by now: the site was just built

    moves = [
        (tag, before[key], tag.url)
        for tag in tags
        if before.get(key := TAG_KEY + tag_key(tag.name), tag.url) != tag.url
    ]
    notices = [
        f"the tag {tag.name!r} moved from {old} to {new}: "
        + (
            "the tag that had this address is gone, or newer in the corpus than this one"
            if tag.slug == plain_tag_slug(tag.name)
            else "another tag, in the corpus longer, now has that address"
        )
        for tag, old, new in moves
    ]
    return first_of(notices, "tags")


def first_of(notices: list[str], what: str) -> list[str]:
    """The first MOVES_SHOWN notices of moved addresses, and a count of the rest."""
    rest = len(notices) - MOVES_SHOWN
    more = [f"{rest} more {what} moved to a new address"] if rest > 0 else []
    return notices[:MOVES_SHOWN] + more


def pages_web_key(pages: Sequence[Plan]) -> str:
    """The sitemap lists every page with its date: generated again only when those change."""
    listed = repr([(p.url, p.lastmod) for p in pages]).encode()
    return "web:" + hashlib.blake2b(listed, digest_size=16).hexdigest()


def looks_cold(config: Config) -> bool:
    """No cache of what was read, and enough article files at the top of the source folder
    for workers to read them (a quick listing, no stat): a cold build of a large corpus."""
    if (config.cache / SOURCES_FILE).exists():
        return False
    try:
        with os.scandir(config.source) as entries:
            articles = (entry for entry in entries if is_article_name(entry.name))
            return sum(1 for _ in itertools.islice(articles, PARALLEL_MIN_FILES)) >= (
                PARALLEL_MIN_FILES
            )
    except OSError:
        return False


def moved_why(article: Article, aside: bool, back: bool = False, same_slug: bool = False) -> str:
    """What a notice of a moved address adds: why, or how to keep an address. `back`: it is
    at its own address again (what had taken it is gone), not at one of a new title.
    `same_slug`: the old address had this slug (`has_slug`): the date moved it."""
    if aside:  # its own is taken: by another article, a list page, a file of layouts/static/
        return "its own is taken: see the warning"
    if back:
        return "its own address is free again"
    if same_slug:
        return "its date changed, and its address holds the date"
    if article.slug_given:  # said "another article's `slug:` holds it", of its own new slug
        return "the `slug:` in its front matter gives it this one"
    return "a `slug:` in its front matter keeps an address through new titles"


def has_slug(address: str, article: Article, pattern: str) -> bool:
    """Whether `address` is one the permalink pattern makes with this article's slug and id,
    on any date: then a move to its address of today came from its date, not its slug."""
    fields = {"year": r"\d{4}", "month": r"\d{2}", "day": r"\d{2}"}
    fields |= {"slug": re.escape(article.slug), "id": re.escape(article.id)}
    parts = string.Formatter().parse(pattern)
    regex = "".join(re.escape(text) + fields.get(name or "", "") for text, name, _, _ in parts)
    return re.fullmatch(regex, address) is not None


def unusable_template(path: Path, layouts: Path) -> Problem:
    """What a build says of a file in `layouts/` that jinja2 cannot read as a template, which
    it would pass over for the built-in one of the same name, in silence."""
    kind = "a folder" if path.is_dir() else "not a regular file (a pipe, a device or a broken link)"
    builtin = BUILTIN_TEMPLATES / path.relative_to(layouts)
    use = "the built-in template of that name is used" if builtin.is_file() else "not used"
    return Problem(display(path), f"{kind}: {use}")


def can_fork_workers() -> bool:
    """Whether a cold build may fork its workers from this process rather than start them
    from a fork server: on Linux, in a process that runs no other thread (a thread holding a
    lock while the process forks leaves it held in the copy for ever; the preview server and
    `watch` run threads). The fork server took 0.15-0.35 s to import sitegen before the first
    worker could read, while this process read alone: a third of a cold build of 1,000
    articles. Forked as it starts reading, the build holds only the list of files."""
    import threading

    return sys.platform == "linux" and threading.active_count() == 1


def import_rest_of_build() -> None:
    """Import the tagger, the model and the renderer (jinja2 among them: 0.05-0.08 s) while the
    workers read, rather than after: the build needs them next."""
    for module in ("sitegen.tags", "sitegen.model", "sitegen.render"):
        importlib.import_module(module)


def compile_templates(config: Config) -> None:
    """Compile the site's templates into the build cache while the workers read, so that each
    loads them from there when it prepares to render (`WorkerState.prepare`), rather than each
    compiling them itself: 0.1 s of CPU saved for every worker but one."""
    from sitegen.render import preload_templates, site_environment

    preload_templates(site_environment(config))


# List pages whose articles' items are written alike: an item's links climb to the site's root
# ("../../"), so a list page's depth is in each item, and workers remember the items they have
# made (`render.MacroMemo`) for pages of that depth. Home pages past the first, months and tags
# are two or four folders deep; years and days one, three or five.
EVEN_DEPTH_LISTS = frozenset({"home", "month", "tag"})


def list_depths(site: Site) -> Callable[[int], int]:
    """Page number -> 0 for the pages of even-depth lists (`EVEN_DEPTH_LISTS`) and the
    articles, 1 for the other lists and the pages after them (indexes, feeds). A cold build
    deals each kind to its own workers first: dealt in turn, the two workers of a cold build of
    10,000 articles made 50,731 list items between them, where one process made 30,577."""
    from sitegen.model import listing_kinds

    ends, groups = [len(site.articles)], [0]
    for kind, count in listing_kinds(site):
        ends.append(ends[-1] + count)
        groups.append(0 if kind in EVEN_DEPTH_LISTS else 1)
    groups.append(1)

    def group(page: int) -> int:
        return groups[bisect.bisect_right(ends, page)]

    return group


def late_pool_min(pages: int) -> int:
    """Pages to render that make starting workers after the model worth it. Each must be sent
    the whole model (seconds at 100,000 articles, and a copy of it in each): worth it for a
    new template or setting, which renders every page, not for the few hundred or thousand
    pages a handful of changed articles renders on a big site, nor for a small site: starting
    them, from a fork server, and loading the templates in each took 0.3 s."""
    return max(LATE_POOL_MIN_PAGES, pages // 2)


def sources_signature(
    files: list[SourceFile],
    pages_print: str,
    drafts: bool,
    statics: Iterable[str],
    skipped: Iterable[Problem] = (),
    images: Sequence[tuple[object, ...]] = (),
    today: dt.date | None = None,
) -> str:
    """Digest of every source's path and stat, the settings and templates, the static files'
    names (a Markdown link to one is fine only while it is there: `Build.broken_links`) and
    the stats of their images (`write.image_stamps`: an article shows an image's size), what
    decides how warnings are shown (paths are shown relative to the current folder), and the
    warnings of the listing itself (`skipped`: a symlink out, a named pipe): a new one, or one
    gone with its file, is a change, or the last build's warnings would be shown again. And
    the day (`today`): an article dated after tomorrow is warned about until its day comes
    (`Build.future_dated`); the first build of a day does the work, and warns anew."""
    listed = [(f.rel, f.stat) for f in files]
    warned = [(p.path, p.message, p.line) for p in skipped]
    text = repr((pages_print, drafts, os.getcwd(), sorted(statics), images, listed, warned, today))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def corpus_key(
    articles: list[Article],
    pages_print: str,
    statics: Iterable[str],
    images: Sequence[tuple[object, ...]] = (),
) -> str:
    """Digest of the published articles, the static files' names and their images' stats
    (`write.image_stamps`), and everything else a page or a warning depends on."""
    articles_key = [(a.source, a.id, a.digest) for a in articles]
    text = repr((pages_print, sorted(statics), images, articles_key))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def read_site(
    config: Config, *, drafts: bool = False, jobs: int | None = 1
) -> tuple[Corpus, list[Problem]]:
    """Read the corpus the way a build does, cache included, without building anything:
    for `sitegen tags`, which explains the tags a build would give. With `jobs` over one, a
    large corpus the cache does not hold (new tag settings, say) is read by that many workers
    (None: as a build chooses them): tuning `aliases` on 10,000 articles took 8 to 14 s a try
    in one process."""
    builder = Build(config, drafts, False, no_progress, jobs)
    builder.renders = False
    cache = load_cache(config, "")
    try:
        return builder.read_corpus(cache, builder.find_sources()), builder.problems
    finally:
        if builder.pool is not None:
            builder.pool.close()


_UNTIL_EXIT: list[Build] = []  # see `build`: kept alive to the end of the process


def kept_until_exit() -> bool:
    """A build kept what it held for the process's exit (see `build`, and `cli.run`)."""
    return bool(_UNTIL_EXIT)


MAIN_GUARD = (
    "build() was called in a sitegen worker process as it started: workers run the main "
    "script's top level again, as multiprocessing does. Call build() under "
    '`if __name__ == "__main__":`'
)


def run_by_starting_worker() -> bool:
    """Whether this process is one of sitegen's workers (`pool.WORKER_NAME`), which never build:
    a call here comes from the top level of a script that the starting worker imports again.
    Such a build would wait for the build that started the worker to release the output
    folder, which waits for the worker: both would hang.

    A worker gets its name before it imports the script; another program's processes, which
    may run such a script's top level as they start, keep theirs (and build as before)."""
    multiprocessing = sys.modules.get("multiprocessing")  # no worker runs without it
    if multiprocessing is None:
        return False
    from sitegen.pool import WORKER_NAME

    return multiprocessing.current_process().name.startswith(WORKER_NAME)


def build(
    config: Config,
    *,
    drafts: bool = False,
    strict: bool = False,
    progress: Progress = no_progress,
    jobs: int | None = None,
    process_ends: bool = False,
    memory: CacheMemory | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the site. Nothing reaches the output folder unless every page rendered.

    With `process_ends` (the `sitegen` program's build command, whose process exits next, see
    `cli.run`), what the Build object holds (the articles read, the last build's entries) is
    never freed: that took 0.09 s of each rebuild at 10,000 articles, for memory the exit gives
    back anyway. With `memory` (watch, serve), the cache is kept from one build to the next.
    Another build into the same folder is waited for (`write.output_lock`), after `on_wait`
    says so.
    """
    if run_by_starting_worker():
        raise SitegenError(MAIN_GUARD)
    with collector_paused(), output_lock(config.output, on_wait):
        try:
            builder = Build(config, drafts, strict, progress, jobs, memory)
            if process_ends:
                _UNTIL_EXIT.append(builder)
            report = builder.run()
            if process_ends:
                gc.freeze()  # kept to the end: no collection need look at them again
            return report
        except OSError as exc:  # a full disk, an output path through a file, a read-only mount
            if not is_file_error(exc):
                raise
            raise file_error(exc) from None
