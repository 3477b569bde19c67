"""Rebuild the site when its sources change: watchdog behind one small interface.

`Watcher` turns file-system events into batches of `Change`s: bursts of events are debounced
into one batch, and the output folder, hidden files and editor swap/backup files never count.
`Rebuilder` turns a batch into one rebuild, and is the only place where `sitegen watch` and
`sitegen serve` call `build()`.

When a rebuild has failed (the rule the preview follows):
  * the build raised `SitegenError` (a template syntax error, a broken config, ...): nothing was
    written, or
  * the build reported a warning about a file of this rebuild's changes. A broken date or
    broken front matter is only a warning to `sitegen build` (the file is skipped and the rest
    of the site builds), but a writer who just saved that file wants to see it fail. Warnings
    about other files, such as known bad files in an old corpus, or one saved earlier and
    left so (an article dated next year is published, with a warning), do not fail it: a page
    would never reload again.
A failed rebuild is shown (in the terminal, and by `serve` in the browser) and the watcher keeps
running; the next good rebuild recovers.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import queue
import re
import stat
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver
from watchdog.utils.dirsnapshot import DirectorySnapshot

from sitegen.build import BuildReport, build
from sitegen.cache import CacheMemory
from sitegen.config import CONFIG_NAME, Config, links_moved
from sitegen.errors import Problem, SitegenError
from sitegen.errors import printable as shown_name
from sitegen.read import display, is_editor_litter, printable

DEBOUNCE_SECONDS = 0.1
# A steady stream of events (a long copy into articles/) still rebuilds now and then.
MAX_DELAY_SECONDS = 2.0
# Reading a file is an event on Linux too; only these kinds can change what a build produces.
CHANGE_KINDS = frozenset({"created", "modified", "deleted", "moved", "closed"})
RELINKED = "now leads elsewhere"  # a symlinked source or output folder (`config.links_moved`)
# How often, with no events, the root folders are checked for having been replaced: a folder
# made anew where nothing is watched (its parent) gives no event.
ROOTS_CHECKED_EVERY = 1.0
# `--poll` looks through the watched folders, then waits: at least this long, and long enough
# that looking takes at most this share of the time, up to a limit. With a wait of 0.25 s
# always, an idle `watch --poll` took 6.5 % of a core at 1,000 articles, 12 % at 2,000 (the
# watch/serve helper), and would take a core from 10,000.
POLL_SECONDS, POLL_MAX_SECONDS = 0.25, 3.0
POLL_SHARE = 0.025  # of a look alone; comparing it with the last about doubles it


def poll_interval(roots: Sequence[Root]) -> float:
    """How long `--poll` waits between two looks at `roots` (see `POLL_SHARE`): timed by a look
    of its own, in wall time, so that a slow network mount is also looked at less often."""
    start = time.perf_counter()
    for root in roots:
        if root.recursive:
            with contextlib.suppress(OSError):
                DirectorySnapshot(str(root.path), recursive=True)
    took = time.perf_counter() - start
    return min(POLL_MAX_SECONDS, max(POLL_SECONDS, took / POLL_SHARE))


@dataclass(frozen=True)
class Change:
    """One changed path, and what happened to it (created, modified, deleted, moved)."""

    path: Path
    kind: str


@dataclass(frozen=True)
class Root:
    """A watched path: a folder (with everything below it) or one file, such as the config."""

    path: Path
    recursive: bool


def watched_roots(config: Config) -> list[Root]:
    """The article and layout folders, and the config file (watched through its folder)."""
    config_file = config.config_file or Path.cwd() / CONFIG_NAME
    return [
        Root(config.source, True),
        Root(config.layouts, True),
        Root(config_file, False),
    ]


def is_ignored(path: Path, roots: Iterable[Root], outputs: Iterable[Path]) -> bool:
    """True for paths that can never change the site: what sitegen itself writes (the output
    folder and the build cache), hidden and editor temp files."""
    if any(path == folder or path.is_relative_to(folder) for folder in outputs):
        return True
    for root in roots:
        if not root.recursive:
            if path == root.path:
                return False
            continue
        if path.is_relative_to(root.path):
            parts = path.relative_to(root.path).parts
            if any(is_editor_litter(part) for part in parts):
                return True
            return bool(parts) and is_saving(parts[-1])  # no parts: the root itself
    return True


# The file `sed -i` writes beside the one it edits, then renames over it: "sedAb3xYz".
SED_TEMPORARY = re.compile(r"sed[A-Za-z0-9]{6}")


def is_saving(name: str) -> bool:
    """A file a program writes only to rename it over the one it saves: its name in the
    change list of `sed -i layouts/static/style.css` made the stylesheet's change a change
    of two files, and every page reloaded instead of swapping the stylesheet. Not litter to
    the build: a static file may be named "sedentary"; it appears and goes in a moment."""
    return SED_TEMPORARY.fullmatch(name) is not None


def quiet_watchdog() -> None:
    """Keep watchdog's warnings about its own bookkeeping off the terminal. It warns (with a
    line of its code, as Python shows a warning) when a folder gets a watch it already has, or
    loses one it no longer has: folders created inside a folder it is adding, in the moment
    between the two (`mkdir -p`, an unpacked archive), are seen both by the walk and by their
    own events. The watch stays the same, and the warning said nothing the user could act on."""
    warnings.filterwarnings(
        "ignore",
        message=r"Callback with id .* (already exists|does not exist)",
        category=RuntimeWarning,
    )
    inotify_log = logging.getLogger("watchdog.observers.inotify")
    if inactive_emitter not in inotify_log.filters:
        inotify_log.addFilter(inactive_emitter)


def inactive_emitter(record: logging.LogRecord) -> bool:
    """False for watchdog's "InotifyEmitter.queue_events() called when the thread is inactive",
    logged (as an error, shown without a handler) when a folder's watch stops as an event for
    it is read: the config moved the folders, or a folder was deleted. Nothing is lost (the
    watch/serve helper: no edit went unseen in 45 config changes), and the line told the user
    nothing."""
    return "called when the thread is inactive" not in record.getMessage()


class Watcher:
    """Calls `on_batch(changes)` once for each burst of relevant events, on its own thread.

    Batches never overlap: events that arrive while `on_batch` runs make the next batch.
    """

    def __init__(
        self,
        roots: list[Root],
        outputs: tuple[Path, ...],
        on_batch: Callable[[list[Change]], None],
        *,
        poll: bool = False,
        debounce: float = DEBOUNCE_SECONDS,
        on_stop: Callable[[], None] | None = None,
        relinked: Callable[[], Change | None] = lambda: None,
    ) -> None:
        """`relinked`: checked when all is quiet, the change to report when a folder given
        through a symlink now leads elsewhere (`config.links_moved`), which no event tells."""
        self.roots = roots
        self.relinked = relinked
        self.on_stop = on_stop  # tells a batch under way to end soon (`Rebuilder.stop`)
        self.outputs = outputs
        self.on_batch = on_batch
        self.poll = poll
        self.debounce = debounce
        self.events: queue.Queue[Change | None] = queue.Queue()
        self.observer: BaseObserver | None = None
        # folder -> its watch, and the folder's identity (device, inode) when it was scheduled
        self.scheduled: dict[Path, tuple[ObservedWatch, tuple[int, int]]] = {}
        self.worker = threading.Thread(target=self._run, name="sitegen-watch", daemon=True)
        self.stopping = False
        self.output_there = bool(outputs) and outputs[0].is_dir()  # see `output_removed`

    def __enter__(self) -> Watcher:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        quiet_watchdog()
        if self.poll:
            self.observer = PollingObserver(timeout=poll_interval(self.roots))
        else:
            self.observer = Observer()
        self.schedule()
        self.observer.start()
        self.worker.start()

    def stop(self) -> None:
        self.stopping = True  # a batch or check under way may fail as the observer stops
        if self.on_stop is not None:
            self.on_stop()
        if self.observer is not None:
            self.observer.stop()
            with contextlib.suppress(RuntimeError):
                self.observer.join(timeout=5)
        self.events.put(None)
        if self.worker.is_alive() and threading.current_thread() is not self.worker:
            self.worker.join(timeout=30)

    def watch(self, roots: list[Root], outputs: tuple[Path, ...]) -> None:
        """Follow new roots (the config moved the folders); folders created later are added."""
        self.roots, self.outputs = roots, outputs
        self.output_there = bool(outputs) and outputs[0].is_dir()
        assert self.observer is not None
        self.observer.unschedule_all()
        self.scheduled.clear()
        self.schedule()

    def schedule(self) -> list[Path]:
        """Watch each root folder that exists and is not watched yet; returns those."""
        assert self.observer is not None
        added = []
        for root in self.roots:
            folder = root.path if root.recursive else root.path.parent
            identity = folder_identity(folder)
            if folder in self.scheduled or identity is None:
                continue
            # A folder that is (or became) a symlink: the watch is on where it leads, which is
            # where files change, and the events are told by the folder's own name.
            real = os.path.realpath(folder)
            handler = _Handler(self, str(folder), real)
            watch = self.observer.schedule(handler, real, recursive=root.recursive)
            self.scheduled[folder] = (watch, identity)
            added.append(folder)
        return added

    def reschedule(self) -> list[Path]:
        """Watch again each root folder that was deleted, moved away or replaced since it was
        scheduled (`rm -r articles; mkdir articles`, or `mv articles old`): its watch is dead,
        or follows the old folder to its new name. Returns the folders watched anew, whose
        files changed unseen."""
        assert self.observer is not None
        running = {emitter.watch for emitter in self.observer.emitters if emitter.is_alive()}
        for folder, (watch, identity) in list(self.scheduled.items()):
            # A folder deleted and made again may have its old inode: ext4 gives a new folder
            # the number of one just deleted. Then only the watch, stopped as the folder went
            # (watchdog stops an emitter whose folder is deleted), tells; every later edit went
            # unseen.
            if folder_identity(folder) != identity or watch not in running:
                del self.scheduled[folder]
                with contextlib.suppress(KeyError, OSError):  # an emitter that stopped itself
                    self.observer.unschedule(watch)
        return self.schedule()

    def offer(self, path: str | bytes, kind: str) -> None:
        path = Path(os.fsdecode(path))
        if not is_ignored(path, self.roots, self.outputs):
            self.events.put(Change(path, kind))

    def _run(self) -> None:
        while True:
            try:
                first = self.events.get(timeout=ROOTS_CHECKED_EVERY)
            except queue.Empty:  # quiet: a root folder may have come back with no event seen
                added = self.rescheduled()
                if added:
                    first = Change(added[0], "created")
                elif self.output_removed():
                    first = Change(self.outputs[0], "deleted")
                elif (relinked := self.relinked()) is not None:
                    first = relinked
                else:
                    continue
            if first is None:
                return
            batch = [first]
            started = time.monotonic()
            while time.monotonic() - started < MAX_DELAY_SECONDS:
                try:
                    item = self.events.get(timeout=self.debounce)
                except queue.Empty:
                    break
                if item is None:
                    return
                batch.append(item)
            batch.extend(Change(folder, "created") for folder in self.rescheduled())
            try:
                self.on_batch(merge(batch))
            except Exception:  # a bug must not stop the watching; show it and go on
                if not self.stopping:
                    traceback.print_exc()

    def output_removed(self) -> bool:
        """Whether the output folder, there at the last check, is gone: `rm -r public` while
        serving left every page a 404 until the next edit. Told once: a build that cannot
        make it again is not run again every second."""
        there = self.outputs[0].is_dir() if self.outputs else True
        removed, self.output_there = self.output_there and not there, there
        return removed

    def rescheduled(self) -> list[Path]:
        """`reschedule`, which must not end the watching: a folder that cannot be watched
        (out of inotify watches, say) is tried again at the next check."""
        try:
            return self.reschedule()
        except OSError as exc:
            if not self.stopping:
                print(f"cannot watch the folders: {exc.strerror or exc}; trying again", flush=True)
            return []


def folder_identity(folder: Path) -> tuple[int, int] | None:
    """A folder's device and inode, or None when it is not a folder (or not there)."""
    try:
        found = os.stat(folder)
    except OSError:
        return None
    return (found.st_dev, found.st_ino) if stat.S_ISDIR(found.st_mode) else None


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher, folder: str, real: str) -> None:
        self.watcher = watcher
        self.folder = folder  # the root folder as configured
        self.real = real  # where it leads, which is watched (the same unless it is a link)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGE_KINDS:
            return
        if event.is_directory and event.event_type in ("modified", "closed"):
            return  # a folder is "modified" when a file in it is; that file has its own event
        kind = "modified" if event.event_type == "closed" else event.event_type
        if event.event_type == "moved":
            self.watcher.offer(self.shown(event.src_path), "deleted")
            self.watcher.offer(self.shown(event.dest_path), "created")
        else:
            self.watcher.offer(self.shown(event.src_path), kind)

    def shown(self, path: str | bytes) -> str:
        """An event's path under the root folder's own name."""
        text = os.fsdecode(path)
        if self.real != self.folder and (
            text == self.real or text.startswith(self.real.rstrip(os.sep) + os.sep)
        ):
            return self.folder + text[len(self.real) :]
        return text


def merge(batch: list[Change]) -> list[Change]:
    """One change per path, in the order first seen: created then deleted is still a change."""
    first: dict[Path, str] = {}
    last: dict[Path, str] = {}
    for change in batch:
        first.setdefault(change.path, change.kind)
        last[change.path] = change.kind
    merged = []
    for path, kind in first.items():
        end = last[path]
        if kind == "created" and end != "deleted":
            end = "created"
        elif kind == "deleted" and end != "deleted":
            end = "modified"  # save-by-rename: the file was replaced
        merged.append(Change(path, end))
    return merged


# --- rebuilding --------------------------------------------------------------------------------

T = TypeVar("T")


class Stopped(BaseException):
    """A rebuild ended by `Rebuilder.stop`; a BaseException, as KeyboardInterrupt is, so that
    no handler of errors takes it for one and the build cleans up on its way out."""


@dataclass(frozen=True)
class Outcome:
    """What one rebuild did, for the terminal and for the browser."""

    changes: tuple[Change, ...]
    report: BuildReport | None  # None when the build raised
    problems: tuple[Problem, ...]  # what failed it: the error, or warnings about changed files
    seconds: float
    # Warnings about the output folder (a file of the user's where a page goes, left as it is):
    # shown after a rebuild, as `build` shows them, without failing it.
    in_output: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def output_changed(self) -> bool:
        return self.report is not None and (self.report.written + self.report.removed) > 0

    @property
    def styles_only(self) -> bool:
        """Only stylesheets changed: a browser can swap them without reloading the page."""
        files = [c for c in self.changes if not c.path.is_dir()]
        return bool(files) and all(c.path.suffix == ".css" for c in files)

    def line(self) -> str:
        """One line: what changed, what was written, how long it took."""
        what = describe(self.changes)
        if self.report is None:
            return f"{what}: build failed after {self.seconds:.2f} s, nothing written"
        r = self.report
        done = f"{r.written} written, {r.unchanged} unchanged, {r.removed} removed"
        failed = f", {len(self.problems)} problem(s)" if self.problems else ""
        if not self.changes and (warnings := len(r.problems)):  # the first build, as `build` says
            failed = f", {warnings} warning{'s' * (warnings != 1)}"
        return f"{what}: {done}{failed} in {self.seconds:.2f} s"


def describe(changes: tuple[Change, ...]) -> str:
    if not changes:
        return "Built"
    # Escaped as a warning's file name is: `say` keeps a newline as a line break, and a file
    # named "x\n[12:00:00] ..." made a line of its own in the one line a rebuild prints.
    shown = ", ".join(f"{shown_name(display(c.path))} ({c.kind})" for c in changes[:3])
    more = f" and {len(changes) - 3} more" if len(changes) > 3 else ""
    return shown + more


class Rebuilder:
    """Builds the site for `watch` and `serve`, reloading the config when it changed."""

    def __init__(
        self,
        load: Callable[[], Config],
        *,
        drafts: bool = False,
        unread: Callable[[], Config] | None = None,
    ) -> None:
        """`unread`: the config as `load` gives it without reading its file, for a start with
        a config file that fails: the first rebuild then fails with its error, and the next
        one after the file changes reads it again, as when it breaks later (`watch` and
        `serve` had exited, to be started again once it was mended)."""
        self.load = load
        self.drafts = drafts
        self.config_failed = False
        try:
            self.config = load()
        except SitegenError:
            config = unread_config(unread) if unread is not None else None
            if config is None:
                raise
            self.config = config
            self.config_failed = True
        self.folder = Path.cwd()  # the site's folder, by the path it was started in
        self.config_file = self.config.config_file or self.folder / CONFIG_NAME
        self.lock = threading.Lock()
        self.memory = CacheMemory()  # the build cache, from one rebuild to the next
        self.known: Callable[[], frozenset[str]] = frozenset  # the last build's source files
        self.layout_files: Callable[[], frozenset[Path]] = frozenset  # and templates, assets
        self.config_read = self.config.config_file  # the config file the last load read
        self.stopping = threading.Event()  # set by `stop`: a rebuild under way ends at once

    def stop(self) -> None:
        """End a rebuild under way at its next chunk of files, the output folder as it was
        (Ctrl-C during a rebuild waited for it up to 30 s, then left its staging folder)."""
        self.stopping.set()

    def stoppable(self, items: Iterable[T], total: int, label: str) -> Iterator[T]:
        """The build's progress hook (`build.Progress`): raises `Stopped` once stopping."""
        for item in items:
            if self.stopping.is_set():
                raise Stopped
            yield item

    def back_in_folder(self) -> None:
        """Go back into the site's folder when it was removed and made again (`rm -r site`,
        then a clone or a copy): the process stayed in the removed one, where every rebuild
        failed with a traceback. Until it is back, a rebuild fails, saying so."""
        try:
            os.getcwd()
            return
        except FileNotFoundError:
            pass
        try:
            os.chdir(self.folder)
        except OSError:
            message = "the folder sitegen was started in was removed; waiting for it to be back"
            raise SitegenError(message, str(self.folder)) from None

    def rebuild(self, changes: Iterable[Change] = ()) -> Outcome:
        """One full build; never raises for a user mistake."""
        with self.lock:
            changes = self.replaced(tuple(changes))
            start = time.perf_counter()
            try:
                self.back_in_folder()
                if self.config_failed or any(
                    c.path == self.config_file or c.kind == RELINKED for c in changes
                ):
                    self.config_failed = True
                    self.config_read = None
                    loaded = self.load()
                    refuse_foreign_output(loaded, self.config)
                    self.config = loaded
                    self.config_read = self.config.config_file
                    self.config_failed = False
                report = build(
                    self.config, drafts=self.drafts, memory=self.memory, progress=self.stoppable
                )
                self.known = functools.cache(lambda: frozenset(report.sources))
                self.layout_files = functools.cache(lambda: frozenset(report.layout_files))
            except SitegenError as error:
                where = display(Path(error.path)) if error.path else ""  # templates: absolute
                problem = Problem(where, error.detail, error.line)
                return Outcome(changes, None, (problem,), time.perf_counter() - start)
            except OSError as error:  # a full disk, a folder without write permission
                problem = Problem(error.filename or "", error.strerror or str(error))
                return Outcome(changes, None, (problem,), time.perf_counter() - start)
            except Exception as error:  # a bug of ours: shown as a failed rebuild, and reported
                traceback.print_exc()
                detail = f"internal error (please report it): {type(error).__name__}: {error}"
                return Outcome(changes, None, (Problem("", detail),), time.perf_counter() - start)
            failing = about_changes(report.problems, changes)
            in_output = about_output(report.problems, self.config) if changes else ()
            return Outcome(changes, report, failing, time.perf_counter() - start, in_output)

    def replaced(self, changes: tuple[Change, ...]) -> tuple[Change, ...]:
        """The changes, with a file "created" that the last build read (an article, the config,
        a template or static asset of the layouts folder) said to be "modified": an editor's
        atomic save renames a file of its own over it, which file events give as a new file of
        that name (polling sees it replaced)."""
        if not any(change.kind == "created" for change in changes):
            return changes
        return tuple(
            Change(change.path, "modified")
            if change.kind == "created" and self.was_read(change.path)
            else change
            for change in changes
        )

    def was_read(self, path: Path) -> bool:
        if path == self.config_read:
            return True
        if path.is_relative_to(self.config.layouts):
            return path in self.layout_files()
        source = self.config.source
        return path.is_relative_to(source) and path.relative_to(source).as_posix() in self.known()


def refuse_foreign_output(config: Config, before: Config) -> None:
    """Refuse an output folder that a symlink, re-pointed while watching, now leads to, when
    it holds files no sitegen build wrote (no manifest): serve would build into it and serve
    all of it, a folder of yours put in reach of any page open in the browser (the code
    review). An empty or missing folder, or another build's output, is followed; so is any
    folder given when `watch` or `serve` starts, or named anew in the config, which the user
    chose: only the same name leading elsewhere is checked (`Config.links`: source, output)."""
    from sitegen.write import MANIFEST, folder_is_empty

    out, named = config.output, output_named(config)
    if out == before.output or named is None or named != output_named(before):
        return
    if not out.is_dir() or (out / MANIFEST).is_file():
        return
    if not folder_is_empty(out):
        raise SitegenError(
            "the output folder now leads to a folder of files that sitegen did not write (it "
            f"has no {MANIFEST}): not built into nor served; point it at an empty folder or a "
            "site sitegen built, or start again to use it",
            str(out),
        )


def output_named(config: Config) -> Path | None:
    """The output folder as given (`Config.links` holds the source's, then the output's)."""
    return config.links[1][0] if len(config.links) > 1 else None


def unread_config(unread: Callable[[], Config]) -> Config | None:
    """The config without its file, when there is a file (that failed to load); None when
    there is none or the failure is elsewhere (a folder given on the command line, say)."""
    try:
        config = unread()
    except SitegenError:
        return None
    file = config.config_file
    return config if file is not None and file.is_file() else None


def about_changes(problems: Iterable[Problem], changes: tuple[Change, ...]) -> tuple[Problem, ...]:
    """The problems about one of `changes`, by their paths as `read.find_sources` shows them:
    a file name that is not UTF-8 is shown escaped (`read.printable`)."""
    if not changes:
        return ()
    paths = {c.path for c in changes}
    shown = {printable(display(c.path)) for c in changes}
    return tuple(p for p in problems if p.path in shown or Path(os.path.abspath(p.path)) in paths)


def about_output(problems: Iterable[Problem], config: Config) -> tuple[Problem, ...]:
    """The problems about the output folder or a file in it (`Build.foreign_problems`)."""
    output = display(config.output)
    return tuple(p for p in problems if p.path == output or p.path.startswith(f"{output}/"))


def written_by_sitegen(config: Config) -> tuple[Path, ...]:
    """Folders a build writes into: their changes must never trigger another build."""
    return (config.output, config.cache)


def start_watching(
    rebuilder: Rebuilder, on_outcome: Callable[[Outcome], None], *, poll: bool = False
) -> Watcher:
    """Rebuild on every batch of changes, following the folders when the config moves them."""
    config = rebuilder.config

    def on_batch(changes: list[Change]) -> None:
        nonlocal config
        try:
            outcome = rebuilder.rebuild(changes)
        except Stopped:
            return  # Ctrl-C: the build removed what it had staged
        if rebuilder.config is not config:
            config = rebuilder.config
            told.clear()  # followed: where the folders lead is this config's
            watcher.watch(watched_roots(config), written_by_sitegen(config))
        on_outcome(outcome)

    told: dict[Path, str] = {}  # a folder relinked -> where it led when told

    def relinked() -> Change | None:
        """A folder given through a symlink that leads elsewhere now, "relinked": then
        `Rebuilder.rebuild` loads the config again, and the watch follows the folders. Told
        once for each place it leads to: while the config cannot be loaded, the old one
        stays, and a failing rebuild came every second (the code review)."""
        moved = links_moved(config)
        if moved is None:
            if not told:
                return None
            # Back where it led, after a move the config refused (`refuse_foreign_output`):
            # once more, so that a rebuild clears the failure (the verification helper: the
            # pages kept the failed rebuild's overlay, an edit meanwhile was not built).
            back = next(iter(told))
            told.clear()
            return Change(back, RELINKED)
        target = os.path.realpath(moved)
        if told.get(moved) == target:
            return None
        told[moved] = target
        return Change(moved, RELINKED)

    rebuilder.stopping.clear()
    watcher = Watcher(
        watched_roots(config),
        written_by_sitegen(config),
        on_batch,
        poll=poll,
        on_stop=rebuilder.stop,
        relinked=relinked,
    )
    watcher.start()
    return watcher


def run_watch(
    rebuilder: Rebuilder, on_outcome: Callable[[Outcome], None], *, poll: bool = False
) -> None:
    """Build once, then rebuild on every batch of changes until Ctrl-C."""
    watcher = start_watching(rebuilder, on_outcome, poll=poll)  # first: no save goes unseen
    try:
        on_outcome(rebuilder.rebuild())
        wait_for_interrupt()
    finally:
        watcher.stop()


def wait_for_interrupt() -> None:
    """Block until Ctrl-C (SIGINT) and return quietly; a short wait keeps signals prompt."""
    forever = threading.Event()
    with contextlib.suppress(KeyboardInterrupt):
        while not forever.wait(0.5):
            pass
