"""The only module that writes into the output folder.

Writing happens in two phases so that a failed build leaves the output folder exactly as it was:
`stage()` puts each new or changed file into a hidden staging folder inside the output folder
(same file system, so the final move is an atomic rename), and only `commit()`, called after the
whole site rendered without error, moves them into place and removes stale files.

A manifest (`.sitegen-manifest.json`, deterministic: paths and sizes only) records what sitegen
wrote, so that:
  * a file whose bytes did not change is not rewritten, and keeps its mtime;
  * a file an earlier build wrote and this one no longer produces is removed;
  * a file sitegen never wrote is never touched, even where an output should go (`FOREIGN`).
Files about to be added are written down first (`JOURNAL`), so that a build stopped before its
manifest is written leaves nothing of its own that looks like someone else's.
"""

from __future__ import annotations

import contextlib
import filecmp
import json
import os
import posixpath
import re
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISDIR, S_ISLNK, S_ISREG
from types import TracebackType
from typing import TYPE_CHECKING

from sitegen import BUILTIN_STATIC
from sitegen.errors import Problem, SitegenError
from sitegen.read import display, folded, is_editor_litter, is_regular_file, resolves_inside

if TYPE_CHECKING:
    from sitegen.config import Config

MANIFEST = ".sitegen-manifest.json"
# The files a build adds, listed as it goes (before a move, after a batch of writes in place):
# if the build stops before the manifest is written (a crash, a kill, a full disk), they are
# still known to be sitegen's. Files it wrote but had not listed yet look like someone else's
# to the next build: kept, with a warning, never removed or overwritten.
JOURNAL = f"{MANIFEST}.pending"
JOURNAL_HEADER = "sitegen journal 1\n"
JOURNAL_BATCH = 500  # files written in place between two appends to the journal
MAX_RECORD_BYTES = 1 << 30  # a manifest or journal past this is damage, not a site's list
UNKNOWN = -1  # the manifest entry (a size) of a journaled file: its bytes are not known
STAGING_PREFIX = ".sitegen-staging-"
# Each file's entry is ["", size]. The first field held a SHA-256 digest of the bytes, which
# spared a build reading a file to compare a page it rendered again with the same size. A cold
# build hashed every page for that (20,000 pages at 10,000 articles, about 3 % of its workers'
# time), when a rebuild renders again only what an edit touches, and compares a page of 7 KB
# with its file in 11 us against 7 us to hash it. The field stays, empty, and the version with
# it: an older sitegen reads this manifest as its own and, finding no digest that matches,
# compares bytes; a newer version number would have made it take the manifest for lost and
# leave every page it would write as it stood. A digest an older sitegen wrote is ignored.
MANIFEST_VERSION = 1
NO_DIGEST = ""


# What every build writes (`render.web_files`), unless the site's layouts/static/ has its own.
WEB_FILES = ("robots.txt", "sitemap.xml")


LOCK_FDS: set[int] = set()  # the files of the output locks this process holds


def close_locks_in_child() -> None:
    """A forked child (a build's worker) closes its copies of the lock files: the lock lasts
    while any copy is open, so workers left behind by a killed build kept the next build
    waiting for ever. The parent's copy still holds the lock (flock's are per open file)."""
    for fd in LOCK_FDS:
        with contextlib.suppress(OSError):
            os.close(fd)
    LOCK_FDS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=close_locks_in_child)


@contextlib.contextmanager
def output_lock(output: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """One build at a time into a folder: a second (a `sitegen build` while `serve` rebuilds)
    waits for the first. Two at once removed each other's staged pages mid-commit.

    The lock is an flock on the output folder's parent, which exists before a first build
    makes the output folder and is never written to; so builds into two folders side by side
    (www/a, www/b) take turns too. The system frees it when its process ends, however it
    ends. Where there is no flock (Windows, some network mounts) or no parent yet, builds
    are not kept apart."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        fd = os.open(Path(os.path.abspath(output)).parent, os.O_RDONLY)
    except OSError:
        yield
        return
    LOCK_FDS.add(fd)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(
                    f"waiting for another sitegen build into {display(output)} "
                    "(or a folder beside it) to finish"
                )
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            pass  # no locks on this file system
        yield
    finally:
        LOCK_FDS.discard(fd)
        os.close(fd)  # and with it the lock


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def check_output_path(path: str, source: str) -> str:
    """Refuse any path that could land outside the output folder or on sitegen's own files."""
    if (
        not path
        or "\\" in path
        or "\x00" in path
        or path.startswith("/")
        or posixpath.normpath(path) != path
        or any(part in ("", ".", "..") for part in path.split("/"))
        or path.startswith((MANIFEST, STAGING_PREFIX))
    ):
        raise SitegenError(f"refusing to write outside the output folder: {path!r}", source)
    return path


@dataclass(frozen=True)
class Staged:
    """One output after staging: its manifest entry and where its new bytes wait, if anywhere."""

    path: str
    size: int  # of the bytes: the manifest's entry
    staged_as: str | None  # file name in the staging folder; None when the file is unchanged
    source: str


@dataclass(frozen=True)
class Output:
    """One file of the built site. `source` names what produced it, for error messages.
    `copy_of`: a file whose bytes it is, copied rather than held (`static_files`)."""

    path: str
    data: bytes
    source: str
    copy_of: str | None = None


IN_PLACE = "/"  # `staged_as` of a file written straight into an output folder that was empty
FOREIGN = "!"  # `staged_as` of a file left alone: one sitegen did not write is in its place


@dataclass(frozen=True)
class Stager:
    """Stages outputs into the staging folder. Picklable, so worker processes stage their own
    share of the pages; `prefix` keeps their file names apart."""

    out_dir: Path
    staging: Path
    previous: dict[str, int]  # the last build's manifest: path -> size
    manifest_mtime: int
    prefix: str
    empty_at_start: bool  # nothing on disk to compare with: a cold build into a new folder
    made: set[str] = field(default_factory=set, compare=False)  # folders made, in place

    def stage(self, output: Output, number: int) -> Staged:
        try:
            return self._stage(output, number)
        except OSError as exc:
            # A write that failed (a full disk) names no file, a staged one names the staging
            # file: name the page instead.
            if exc.filename is None or str(exc.filename).startswith(str(self.staging)):
                exc.filename = f"{self.out_dir}/{output.path}"
            raise

    def _stage(self, output: Output, number: int) -> Staged:
        path = check_output_path(output.path, output.source)
        if output.copy_of is not None:
            return self.stage_copy(path, output.copy_of, number, output.source)
        size = len(output.data)
        if self.empty_at_start:
            # Nothing of the user's is in the folder: write in place, no staging and renaming;
            # a failed build empties the folder again (see Writer.abort).
            self.write_in_place(path, output.data)
            return Staged(path, size, IN_PLACE, output.source)
        if self.is_unchanged(path, output.data):
            return Staged(path, size, None, output.source)
        if self.is_foreign(path) and not self.is_cut_short(path, output.data):
            return Staged(path, size, FOREIGN, output.source)  # someone's own file: keep it
        name = f"{self.prefix}{number}"  # flat: no folder tree to create twice and remove again
        try:
            write_new_file(f"{self.staging}/{name}", output.data)
        except FileNotFoundError:  # the first file staged: the staging folder comes with it
            self.staging.mkdir(parents=True, exist_ok=True)
            write_new_file(f"{self.staging}/{name}", output.data)
        return Staged(path, size, name, output.source)

    def stage_copy(self, path: str, source: str, number: int, shown: str) -> Staged:
        """`_stage` for a file copied (`Output.copy_of`): compared and copied a block at a
        time, by the kernel where it can, never held whole (a 1 GB video took 1 GB of
        memory to publish, and 2 GB at each build after, reading the copy to compare)."""
        size = os.stat(source).st_size
        target = f"{self.out_dir}/{path}"
        if self.empty_at_start:
            make_folders(self.out_dir, path.rpartition("/")[0], self.made)
            shutil.copyfile(source, target)
            return Staged(path, size, IN_PLACE, shown)
        try:
            found = os.lstat(target)
        except OSError:
            found = None
        there = found is not None and S_ISREG(found.st_mode)  # never read a pipe or a device
        if there and found.st_size == size and filecmp.cmp(source, target, shallow=False):
            return Staged(path, size, None, shown)
        if self.is_foreign(path) and not (
            there and found.st_size < size and starts_alike(source, target, found.st_size)
        ):
            return Staged(path, size, FOREIGN, shown)  # someone's own file: keep it
        name = f"{self.prefix}{number}"
        self.staging.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, f"{self.staging}/{name}")
        return Staged(path, size, name, shown)

    def is_foreign(self, path: str) -> bool:
        """A file sitegen did not write is where this output goes."""
        return path not in self.previous and is_file_there(f"{self.out_dir}/{path}")

    def is_cut_short(self, path: str, data: bytes) -> bool:
        """The file there holds the start of `data`, and less: a page that a build killed as
        it wrote it left cut short (often empty), before it could list it (see JOURNAL). Kept
        as foreign, it was published so by every build after. Written over, nothing of it is
        lost; someone's own file at a page's place holds something else."""
        target = f"{self.out_dir}/{path}"
        try:
            found = os.lstat(target)
            if not S_ISREG(found.st_mode) or found.st_size >= len(data):
                return False
            with open(target, "rb") as existing:
                return data.startswith(existing.read(len(data)))
        except OSError:
            return False

    def write_in_place(self, path: str, data: bytes) -> None:
        make_folders(self.out_dir, path.rpartition("/")[0], self.made)
        write_new_file(f"{self.out_dir}/{path}", data)

    def is_unchanged(self, path: str, data: bytes) -> bool:
        """True when the file on disk already holds these bytes: compared when the size is
        the same (see MANIFEST_VERSION)."""
        target = f"{self.out_dir}/{path}"
        try:
            found = os.lstat(target)
            if not S_ISREG(found.st_mode) or found.st_size != len(data):
                return False  # never read a pipe (forever) or a link to /dev/zero (no end)
            with open(target, "rb") as existing:
                return existing.read() == data
        except OSError:
            return False


WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC


def write_new_file(path: str, data: bytes) -> None:
    """Write `data` as the whole of the file at `path`. Plain system calls: Python's `open`
    adds a buffered file object and three more calls a file (fstat, ioctl, lseek), 7 to 12
    us of the 41 to 61 us a page took to write here (mkdir included), 20,000 a cold build."""
    fd = os.open(path, WRITE_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:  # a regular file takes it all at once, but for a signal or a full disk
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def is_file_there(path: str) -> bool:
    """Something other than a folder is at `path` (a file, or a symlink to anything)."""
    try:
        return not S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def make_folders(out_dir: Path, folder: str, made: set[str]) -> None:
    """Create `folder` (relative to `out_dir`) top down, one mkdir per folder not in `made`.

    A folder that was already there may be a symlink someone put in the output folder:
    sitegen refuses to write through one that leads outside it. Another worker may have
    made it a moment ago, which is fine.
    """
    if not folder or folder in made:
        return
    parts = folder.split("/")
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        if prefix in made:
            continue
        target = f"{out_dir}/{prefix}"
        try:
            os.mkdir(target)
        except FileExistsError:
            if os.path.islink(target):
                raise SitegenError(symlink_refused(target, os.path.realpath(out_dir))) from None
        made.add(prefix)


def symlink_refused(full: str, real_out: str) -> str:
    """Why sitegen does not write through a symlinked folder in the output folder: one out of
    it would carry pages elsewhere; one within it would make two pages one file (with
    `tags -> .`, the tag index overwrote the home page)."""
    if not resolves_inside(full, real_out):
        return f"refusing to write through a symlink out of the output folder: {full}"
    return (
        f"refusing to write through a symlink in the output folder: {full} leads to "
        f"{os.path.relpath(os.path.realpath(full), real_out)}, where other pages go; remove it"
    )


def on_disk_as_written(out_dir: Path, path: str, size: int, manifest_mtime: int) -> bool:
    """The file has the size sitegen wrote and was not touched after the manifest was."""
    try:
        stat = os.lstat(f"{out_dir}/{path}")  # a string join: this runs for every page
    except OSError:
        return False
    return stat.st_size == size and stat.st_mtime_ns <= manifest_mtime and S_ISREG(stat.st_mode)


class Writer:
    """Collect staged outputs, then commit them all at once (use as a context manager)."""

    def __init__(
        self, out_dir: Path, on_commit: Callable[[tuple[int, ...]], None] | None = None
    ) -> None:
        """`on_commit`: given the manifest's inode, size and mtime once a commit is done, as
        they are then, whether the commit wrote it or not (`cache.vouch_for_output`)."""
        self.out_dir = out_dir
        self.on_commit = on_commit
        self.out_dir_existed = out_dir.exists()
        self.empty_at_start = not self.out_dir_existed or folder_is_empty(out_dir)
        self.previous, self.manifest_signature = read_manifest_signed(out_dir)
        self.manifest_mtime = self.manifest_signature[2]
        self.journaled = read_journal(out_dir)
        self.had_journal = os.path.lexists(out_dir / JOURNAL)  # damaged or not: removed at commit
        self.unjournaled: list[str] = []  # written in place, not yet in the journal
        for path in self.journaled:
            self.previous.setdefault(path, UNKNOWN)  # sitegen's, its bytes unknown: rewritten
        self.entries: dict[str, int] = {}  # the new manifest: path -> size
        self.sources: dict[str, str] = {}
        self.staged: list[tuple[str, str]] = []  # (path, staged file name)
        self.unchanged = 0
        self.in_place = 0  # written straight into place (the folder was empty)
        self.foreign: list[str] = []  # outputs not written: a file sitegen never wrote is there
        self.stale: list[str] | None = None  # files to remove, once `prepare` ran
        self.staging = out_dir / f"{STAGING_PREFIX}{os.getpid()}"
        self._stagers = 0
        if self.out_dir_existed:
            remove_leftover_staging(out_dir)

    def __enter__(self) -> Writer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self.abort()

    def stager(self) -> Stager:
        """A stager for one process; the staging folder appears with the first staged file."""
        if self.empty_at_start and not self._stagers:
            self.out_dir.mkdir(parents=True, exist_ok=True)  # abort() removes it again
        elif not self._stagers:
            try:  # made here, not found: a symlink put under its name would lead elsewhere
                os.mkdir(self.staging)
            except FileExistsError:
                raise SitegenError(f"{self.staging} is in the way; remove it") from None
            except OSError as exc:  # the folder of sitegen's own was named, not the user's
                exc.filename = str(self.out_dir)
                raise
        self._stagers += 1
        return Stager(
            self.out_dir,
            self.staging,
            self.previous,
            self.manifest_mtime,
            f"s{self._stagers}-",
            self.empty_at_start,
        )

    def add(self, staged: Staged) -> None:
        """Record a staged output; two outputs for one path is an error naming both sources."""
        self.claim(staged.path, staged.source)
        if staged.staged_as == FOREIGN:
            self.foreign.append(staged.path)  # not in the manifest: never ours to replace
            return
        self.entries[staged.path] = staged.size
        if staged.staged_as is None:
            self.unchanged += 1
        elif staged.staged_as == IN_PLACE:
            self.in_place += 1
            self.unjournaled.append(staged.path)
            if len(self.unjournaled) >= JOURNAL_BATCH:
                self.journal_in_place()
        else:
            self.staged.append((staged.path, staged.staged_as))

    def keep(self, path: str, source: str) -> bool:
        """Keep a page that was not rendered again, if its file is still as sitegen wrote it.

        False means the file is missing or was edited by hand: the caller must render it.
        """
        if not self.intact(path):
            return False
        size = self.previous[path]
        self.claim(path, source)
        self.entries[path] = size
        self.unchanged += 1
        return True

    def keep_all(self, paths: Iterable[str], check: OutputCheck | None = None) -> list[str]:
        """`keep` for many pages at once, each standing as its own source; the pages not kept
        (missing or edited by hand) are returned, for the caller to render. Every rebuild runs
        this over each unchanged page of the site, so it is one tight loop of stat calls, or
        none when `check` made them, for this manifest, in another process."""
        previous, entries, sources = self.previous, self.entries, self.sources
        lost_there = check.lost(self.manifest_signature) if check is not None else None

        def as_written(path: str, size: int) -> bool:
            if lost_there is None:
                return on_disk_as_written(self.out_dir, path, size, self.manifest_mtime)
            return size >= 0 and path not in lost_there  # a journaled file's bytes: unknown

        lost = []
        for path in paths:
            size = previous.get(path)
            if size is None or not as_written(path, size):
                lost.append(path)
            elif path in sources:
                self.claim(path, path)  # raises, naming both
            else:
                sources[path] = path
                entries[path] = size
                self.unchanged += 1
        return lost

    def set_aside_foreign(self, lost: list[str]) -> list[str]:
        """Of pages `keep_all` found lost, those where a file sitegen did not write stands are
        noted as foreign (left alone, reported) rather than rendered again; the rest remain."""
        out = f"{self.out_dir}/"
        foreign = [p for p in lost if p not in self.previous and is_file_there(out + p)]
        if not foreign:
            return lost
        for path in foreign:
            self.claim(path, path)
        self.foreign.extend(foreign)
        set_aside = set(foreign)
        return [p for p in lost if p not in set_aside]

    def intact(self, path: str) -> bool:
        """The file is still as sitegen wrote it (asks only; `keep` also records it)."""
        size = self.previous.get(path)
        return size is not None and on_disk_as_written(
            self.out_dir, path, size, self.manifest_mtime
        )

    def claim(self, path: str, source: str) -> None:
        if path in self.sources:
            first = self.sources[path]
            raise SitegenError(
                f"two pages would be written to {path}: {first} and {source}"
                + template_hint(first, source)
            )
        self.sources[path] = source

    def journal_in_place(self) -> None:
        """List the files written in place so far (see JOURNAL)."""
        if self.unjournaled:
            append_journal(self.out_dir, self.unjournaled)
            self.unjournaled = []

    def prepare(self) -> None:
        """Check what commit will do (`check_targets`), once every output is added: the files
        of someone else's it finds are in `foreign` after this."""
        if self.stale is None:
            self.stale = sorted(set(self.previous) - set(self.entries))
            self.check_targets(set(self.stale))  # what would fail half-way fails now

    def commit(self, before_change: Callable[[], None] | None = None) -> WriteReport:
        """Move staged files into place, remove stale ones and record the new manifest;
        `before_change` runs first if any file is to be replaced or removed."""
        self.prepare()
        stale = self.stale or []
        if before_change is not None and (self.staged or stale):
            before_change()
        self.journal_in_place()
        added = [path for path, _ in self.staged if path not in self.previous]
        if added:
            append_journal(self.out_dir, added)
        real_out = os.path.realpath(self.out_dir)
        removed = sum(remove_file(self.out_dir, path, real_out) for path in stale)
        folders: set[str] = set()
        for path, name in self.staged:
            folder, _, _ = path.rpartition("/")
            make_folders(self.out_dir, folder, folders)
            target = f"{self.out_dir}/{path}"
            try:
                os.replace(f"{self.staging}/{name}", target)
            except IsADirectoryError:
                raise SitegenError(
                    f"cannot write {path}: a folder of that name is in the way"
                ) from None
        self.out_dir.mkdir(parents=True, exist_ok=True)
        signed = self.manifest_signature  # vouched for as the commit found it or wrote it
        if self.entries != self.previous or self.staged or stale or not self.manifest_mtime:
            signed = write_manifest(self.out_dir, self.entries)
        if self.had_journal or added or self.in_place:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.out_dir / JOURNAL)  # the manifest now lists them
        self.discard_staging()
        if self.on_commit is not None:
            # Not read again from disk: another build's manifest written meanwhile would be
            # vouched for by this build's cache (the code review)
            self.on_commit(signed)
        return WriteReport(len(self.staged) + self.in_place, self.unchanged, removed)

    def check_targets(self, stale: set[str]) -> None:
        """Refuse before the first file moves: a folder where a staged file or the manifest
        goes, a file (or a symlink out of the output folder) where a folder goes, a folder
        sitegen may not write into. Found half-way through the moves, these left the output
        folder half old, half new. Stale files, removed before the moves, are no obstacle, nor
        is a folder that holds only stale files. What the system refuses only when asked (a
        full disk, a file made immutable by root) can still stop a commit half-way."""
        real_out = os.path.realpath(self.out_dir)
        for record in (MANIFEST, JOURNAL):
            if os.path.isdir(self.out_dir / record):
                raise SitegenError(f"cannot write {record}: a folder of that name is in the way")
        checked: set[str] = set()
        for path in [*stale, *(path for path, _ in self.staged)]:
            folder = os.path.dirname(f"{self.out_dir}/{path}")
            if folder in checked:
                continue
            checked.add(folder)
            while not os.path.isdir(folder) and len(folder) > len(str(self.out_dir)):
                folder = os.path.dirname(folder)  # the deepest folder there: new ones go in it
            if not os.access(folder, os.W_OK | os.X_OK):
                raise SitegenError(f"cannot write into {folder}: permission denied")
        folders: set[str] = set()  # folders there, or to be made
        blockers: set[str] = set()  # files of someone else's where a folder of outputs goes
        kept: list[tuple[str, str]] = []
        for path, name in self.staged:
            blocked = self.blocker(path, stale, real_out, folders, blockers)
            if blocked is not None:  # the user's file stays; these outputs are not written
                blockers.add(blocked)
                del self.entries[path]
                continue
            target = f"{self.out_dir}/{path}"
            if os.path.isdir(target) and not holds_only(target, f"{path}/", stale):
                raise SitegenError(f"cannot write {path}: a folder of that name is in the way")
            kept.append((path, name))
        self.staged = kept
        self.foreign.extend(sorted(blockers - set(self.foreign)))

    def blocker(
        self, path: str, stale: set[str], real_out: str, folders: set[str], blockers: set[str]
    ) -> str | None:
        """The file where a folder of `path` goes, if one of someone else's stands there."""
        parts = path.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in blockers:
                return folder
            if folder in folders:
                continue
            full = f"{self.out_dir}/{folder}"
            try:
                mode = os.lstat(full).st_mode
            except OSError:
                return None  # not there yet: commit makes it, and those below it
            if S_ISLNK(mode) and os.path.isdir(full):
                raise SitegenError(symlink_refused(full, real_out))
            if not S_ISDIR(mode) and not os.path.isdir(full) and folder not in stale:
                if folder in self.previous:  # sitegen's own file, and a folder of its own
                    raise SitegenError(f"cannot write {path}: {folder} is a file, not a folder")
                return folder
            folders.add(folder)
        return None

    def abort(self) -> None:
        self.discard_staging()
        if self.empty_at_start and self.out_dir.is_dir():  # it held nothing: empty it again
            for entry in os.scandir(self.out_dir):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
        if not self.out_dir_existed:
            with contextlib.suppress(OSError):
                self.out_dir.rmdir()

    def discard_staging(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


# `OutputCheck`'s process: `Writer.keep_all`'s test of every file the manifest lists, with the
# standard library alone, so it starts in a few milliseconds (python -I -S).
CHECK_SCRIPT = """
import json, os, stat, sys
out, name, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
manifest = os.lstat(out + "/" + name)
if not stat.S_ISREG(manifest.st_mode) or manifest.st_size > limit:
    sys.exit(0)
with open(out + "/" + name, encoding="utf-8") as file:
    files = json.loads(file.read())["files"]
lost = []
for path, (_, size) in files.items():
    try:
        found = os.lstat(out + "/" + path)
    except (OSError, ValueError):  # ValueError: a NUL in a path of a tampered manifest
        lost.append(path)
        continue
    mode, written = found.st_mode, found.st_mtime_ns
    if found.st_size != size or written > manifest.st_mtime_ns or not stat.S_ISREG(mode):
        lost.append(path)
signature = [manifest.st_ino, manifest.st_size, manifest.st_mtime_ns]
sys.stdout.write(json.dumps([signature, lost]))
"""


class OutputCheck:
    """Whether each file of the last build is still as written: a stat call for every page
    (20,000 at 10,000 articles, 0.1-0.18 s), made by another process while the build lists,
    reads and plans. Started where a manifest is (`output_check`: a big enough one); any
    failure of its process leaves `Writer.keep_all` to make the calls itself."""

    def __init__(self, out_dir: Path) -> None:
        import subprocess
        import sys

        self.answer: set[str] | None = None
        self.signature: tuple[int, ...] = ()
        self.process: subprocess.Popen[bytes] | None = None
        if not sys.executable or not (out_dir / MANIFEST).is_file():
            return
        command = [sys.executable, "-I", "-S", "-c", CHECK_SCRIPT, os.fspath(out_dir), MANIFEST]
        try:
            self.process = subprocess.Popen(
                [*command, str(MAX_RECORD_BYTES)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self.process = None

    def lost(self, signature: tuple[int, ...]) -> set[str] | None:
        """The files of the manifest with `signature` that are missing or changed; None when
        the check looked at another manifest (replaced meanwhile) or did not finish."""
        self.finish()
        return self.answer if self.signature == signature and signature[0] else None

    def finish(self) -> None:
        """Take the check's answer, waiting for it if need be; any failure leaves none."""
        import subprocess

        if self.process is None:
            return
        try:
            out, _ = self.process.communicate(timeout=CHECK_TIMEOUT)
            signature, lost = json.loads(out)
            if self.process.returncode == 0 and all(isinstance(p, str) for p in lost):
                self.signature, self.answer = tuple(signature), set(lost)
        except (subprocess.TimeoutExpired, OSError, ValueError, TypeError):  # no answer as wanted
            pass
        self.close()

    def close(self) -> None:
        """End the check's process, if it still runs (the build stopped early), and reap it."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()


CHECK_TIMEOUT = 60  # seconds: a check this slow is not waited for again
CHECK_MIN_BYTES = 100_000  # a smaller manifest (about 1,900 files) is checked faster in place


def output_check(out_dir: Path) -> OutputCheck | None:
    """An `OutputCheck` of `out_dir`, if its manifest lists enough files to be worth one."""
    try:
        if os.stat(out_dir / MANIFEST).st_size < CHECK_MIN_BYTES:
            return None
    except OSError:
        return None
    return OutputCheck(out_dir)


def folder_is_empty(folder: Path) -> bool:
    """Whether `folder` holds nothing; its listing closed at once (`any(os.scandir(...))` left
    it open until the collector came, with a ResourceWarning)."""
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def remove_leftover_staging(out_dir: Path) -> None:
    """A build killed mid-way leaves its staging folder behind; it holds nothing of value.
    Anything else under a staging name (a symlink someone put there, which would carry the
    staged pages out of the output folder) goes too: the names are sitegen's."""
    for entry in os.scandir(out_dir):
        if not entry.name.startswith(STAGING_PREFIX):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def remove_file(out_dir: Path, path: str, real_out: str | None = None) -> bool:
    """Remove a stale output and any folders it leaves empty (never the output folder).

    The path comes from the manifest, which anyone could edit: it is checked first, so a
    tampered manifest cannot make sitegen delete a file outside the output folder, not even
    through a symlinked folder someone put in it (`real_out`: the output folder's real path),
    nor through one that stays inside it (with `tags -> .`, `tags/x/index.html` is `x/index.html`,
    another page). Whether a file was removed (the report counts those).
    """
    if not is_safe_manifest_path(path):
        return False
    full = f"{out_dir}/{path}"
    if not os.path.lexists(full) and not os.path.lexists(os.path.dirname(full)):
        return False  # neither it nor its folder is there: 300,000 such entries of a tampered
        # manifest took 35 s, each a path resolved and folders tried (the hostile helper)
    target = out_dir / path
    real_out = real_out or os.path.realpath(out_dir)
    if os.path.realpath(target.parent) != os.path.join(real_out, os.path.dirname(path)).rstrip("/"):
        return False  # a symlinked folder on the way: what is there is not this path's file
    removed = False
    with contextlib.suppress(OSError):  # gone already, or not removable: it stays, harmless
        if target.is_file() or target.is_symlink():
            target.unlink()
            removed = True
    parent = target.parent
    while parent != out_dir and parent.is_relative_to(out_dir):
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent
    return removed


def holds_only(folder: str, prefix: str, paths: set[str]) -> bool:
    """Removing `paths` (relative to the output folder) removes the folder: it holds no file
    but those, and no folder that would stay behind empty (`remove_file` removes the folders
    it empties, no others)."""
    for dirpath, dirnames, filenames in os.walk(folder):
        if not dirnames and not filenames:
            return False
        below = os.path.relpath(dirpath, folder).replace(os.sep, "/")
        rel = prefix if below == "." else f"{prefix}{below}/"
        if any(f"{rel}{name}" not in paths for name in filenames):
            return False
    return True


def read_record(path: Path, errors: str = "strict") -> str | None:
    """A manifest or journal's text; None when it is missing, not a regular file (a pipe would
    be read forever, a link to /dev/zero until memory ran out), too big or not UTF-8."""
    try:
        stat = os.lstat(path)
        if not S_ISREG(stat.st_mode) or stat.st_size > MAX_RECORD_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors=errors)
    except UnicodeError:
        return None
    except OSError as exc:
        if os.path.lexists(path) and not isinstance(exc, FileNotFoundError):
            raise unreadable_record(path, exc) from None
        return None


def unreadable_record(path: Path, exc: OSError) -> SitegenError:
    """A manifest or journal that is there but cannot be read (a build run with `sudo` and
    umask 077 left it root's own, 0600). Taken as missing, every page became someone else's
    file, kept and never written again, and a new manifest that listed none of them replaced
    it: the site stayed as it was for good. The build stops before it writes anything."""
    return SitegenError(
        f"cannot be read ({exc.strerror or exc}): it lists the files sitegen wrote, which it "
        f"cannot tell from yours without it; make it readable (or delete the folder)",
        display(path),
    )


def read_journal(out_dir: Path) -> list[str]:
    """The files a stopped build had added (see JOURNAL); a line cut short by the stop is left
    out, and so is anything that is no path inside the output folder."""
    text = read_record(out_dir / JOURNAL, "surrogateescape")  # names need not be UTF-8
    if text is None or not text.startswith(JOURNAL_HEADER):
        return []
    lines = text[len(JOURNAL_HEADER) :].split("\n")[:-1]  # the last, unended, is cut short
    return [line for line in lines if is_safe_manifest_path(line)]


def append_journal(out_dir: Path, paths: Iterable[str]) -> None:
    """Add paths to the journal in one write, starting it if need be."""
    journal = out_dir / JOURNAL
    with naming(journal), open(journal, "a", encoding="utf-8", errors="surrogateescape") as file:
        if file.tell() == 0:
            file.write(JOURNAL_HEADER)
        file.write("".join(f"{path}\n" for path in paths))


@contextlib.contextmanager
def naming(path: Path, *aliases: Path) -> Iterator[None]:
    """Name `path` in an OSError that names no file, or names one of `aliases` (its temporary
    file): a write to a full disk names none, and such an error was a traceback, not the
    "cannot build" message that says where (`errors.file_error`)."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None or exc.filename in {str(alias) for alias in aliases}:
            exc.filename = str(path)
        raise


def read_manifest(out_dir: Path) -> tuple[dict[str, int], int]:
    """The previous build's files and the manifest's mtime; empty when absent or unreadable."""
    files, signature = read_manifest_signed(out_dir)
    return files, signature[2]


def read_manifest_signed(
    out_dir: Path, files: bool = True
) -> tuple[dict[str, int], tuple[int, ...]]:
    """`read_manifest`, with the manifest's inode, size and mtime (all 0 when absent); only
    the latter without `files`."""
    path = out_dir / MANIFEST
    try:
        found = os.lstat(path)
        if not files:
            return {}, stamp_of(found)
        text = read_record(path)
        if text is None:
            return {}, (0, 0, 0)
        raw = json.loads(text)
        if raw.get("version") != MANIFEST_VERSION:
            return {}, (0, 0, 0)
        files = {str(p): manifest_size(entry) for p, entry in raw["files"].items()}
        return files, stamp_of(found)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return {}, (0, 0, 0)  # RecursionError: "[[[[..." nested past what json reads


def is_safe_manifest_path(path: str) -> bool:
    """A tampered manifest must not make sitegen delete files outside the output folder, nor
    name a path no file system holds (a part over 255 bytes), which fails every build."""
    try:
        check_output_path(path, MANIFEST)
        parts = [part.encode("utf-8", "surrogateescape") for part in path.split("/")]
    except (SitegenError, UnicodeError):
        return False
    return len(path) < 4000 and all(len(part) <= 255 for part in parts)


def manifest_size(entry: object) -> int:
    """The size of a manifest entry ([digest, size]); ValueError for anything else (damage:
    `1e999` reads as a float infinity, which no int is)."""
    if not isinstance(entry, list) or len(entry) != 2 or type(entry[1]) is not int:
        raise ValueError(f"not a manifest entry: {entry!r}")
    return entry[1]


def stamp_of(found: os.stat_result) -> tuple[int, int, int]:
    """A manifest's inode, size and mtime: what tells one written file from another."""
    return (found.st_ino, found.st_size, found.st_mtime_ns)


def write_manifest(out_dir: Path, entries: dict[str, int]) -> tuple[int, int, int]:
    """Write the manifest; its inode, size and mtime as written (`read_manifest_signed`)."""
    # No indent: with one, json falls back to its pure-Python encoder, 20 times slower.
    files = {p: [NO_DIGEST, entries[p]] for p in sorted(entries)}
    data = json.dumps({"version": MANIFEST_VERSION, "files": files}, separators=(",", ":"))
    written = replace_file(out_dir / MANIFEST, data + "\n")
    return stamp_of(written)


def replace_file(path: Path, text: str) -> os.stat_result:
    """Write a whole file at once (a temporary file, then a rename), leaving no temporary
    file behind when that fails: it would be deployed with the site. The file's status as
    written, which the rename keeps."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        with naming(path, tmp):
            tmp.write_text(text, encoding="utf-8")
            written = os.lstat(tmp)
            os.replace(tmp, path)
            return written
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


# Hidden names a site publishes on purpose: RFC 8615's folder (security.txt, ACME challenges,
# app links), Apache's per-folder settings, GitHub Pages' switch for folders starting with "_".
PUBLISHED_HIDDEN = frozenset({".well-known", ".htaccess", ".nojekyll"})


def is_published_name(name: str) -> bool:
    """Whether a file or folder of `layouts/static/` is published: not hidden files (a `.env`
    with secrets, `.git`), backups or swap files, except those of PUBLISHED_HIDDEN."""
    return name in PUBLISHED_HIDDEN or not is_editor_litter(name)


def static_sources(config: Config) -> tuple[dict[str, Path], list[Problem]]:
    """Built-in assets, overridden or extended by files in the site's `layouts/static/`, by
    their path in the site; and a warning for each file whose name cannot be published (a
    backslash, which a web server may read as a folder), left out."""
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    for folder in (BUILTIN_STATIC, config.layouts / "static"):
        if folder != BUILTIN_STATIC and os.path.islink(folder):
            # As a folder in it is: a site cloned with `static -> ../../.ssh` published the keys.
            message = "symlinked folder; not followed (link the files instead)"
            problems.append(Problem(display(folder), message))
            continue
        if not folder.is_dir():
            continue
        real_folder = os.path.realpath(folder)
        for dirpath, dirnames, filenames in os.walk(folder, onerror=unlisted(problems)):
            dirnames[:] = sorted(
                d for d in dirnames if is_published_name(d) and linkable(Path(dirpath, d), problems)
            )
            for name in dirnames:  # os.walk does not follow them: say so, as for articles
                if os.path.islink(os.path.join(dirpath, name)):
                    message = "symlinked folder; not followed (link the files instead)"
                    problems.append(Problem(display(Path(dirpath, name)), message))
            for name in filenames:
                path = Path(dirpath, name)
                if not is_published_name(name) or not linkable(path, problems):
                    continue
                if not is_regular_file(path):  # a pipe would be read for ever, /dev/zero too
                    message = "not a regular file (a pipe, a device or a broken link); left out"
                    problems.append(Problem(display(path), message))
                    continue
                if path.is_symlink() and not resolves_inside(path, real_folder):
                    # As for articles: a link to /etc/passwd must not be published.
                    message = "symlink points outside the static folder; not followed"
                    problems.append(Problem(display(path), message))
                    continue
                rel = path.relative_to(folder).as_posix()
                try:
                    files[check_output_path(rel, str(path))] = path
                except SitegenError:
                    message = "a file name sitegen will not publish (a backslash?); left out"
                    problems.append(Problem(display(path), message))
    return files, problems


# What a link cannot hold as it is: "#" starts a fragment, "?" a query, and a control character
# (a newline, an escape) has no place in an address. Published, such a file could be reached
# only as "%23", "%3F" or "%0A", which no one writes. A space and "%" are left alone: links
# write them "%20" and "%25", as they do for any address, and the build checks links to them.
UNLINKABLE = re.compile("[\x00-\x1f\x7f-\x9f#?]")


def linkable(path: Path, problems: list[Problem]) -> bool:
    """Whether a static file's (or folder's) name can be published; a warning if not."""
    if UNLINKABLE.search(path.name) is None:
        return True
    message = (
        "a name that a link cannot hold as it is (a control character, '#' or '?'); left "
        "out: rename it"
    )
    problems.append(Problem(display(path), message))
    return False


def unlisted(problems: list[Problem]) -> Callable[[OSError], None]:
    """`os.walk`'s handler for a folder it cannot list: it passed over one in silence, and the
    files of a `layouts/static/` without read permission left the site with no word."""

    def warn(error: OSError) -> None:
        if isinstance(error, FileNotFoundError):
            return  # removed while listing
        where = Path(os.fsdecode(error.filename)) if error.filename else Path()
        message = f"folder cannot be listed ({error.strerror or error}); its files left out"
        problems.append(Problem(display(where), message))

    return warn


def template_hint(first: str, second: str) -> str:
    """What to do when a static file meets a page sitegen makes (`layouts/static/404.html`
    and the 404 page): the page is changed through its template, not replaced by a file."""
    static = f"{os.sep}static{os.sep}"
    if (static in first) == (static in second):
        return ""
    return (
        "; a page sitegen makes is changed through its template in layouts/ (404.html, "
        "list.html, article.html...), not replaced by a static file"
    )


def one_file_elsewhere(paths: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of outputs that differ only in case or in how their accents are encoded (NFC,
    NFD), or a file and a folder ("TAGS", "tags/") that do: one file on a host whose file
    names ignore that (a Windows or macOS disk, or a deploy through one), which keeps either.
    Sitegen's own names are lower-case ASCII: only a static file or a permalink in capitals
    can clash, and a site without either is told apart in one pass."""
    files = list(paths)
    joined = "\0".join(files)
    if joined.isascii() and joined == joined.lower():
        return []
    files.sort()
    folders: set[str] = set()
    for path in files:
        folder = path.rpartition("/")[0]
        while folder and folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    first_of: dict[str, str] = {}
    pairs = []
    for name in [*files, *(f"{folder}/" for folder in sorted(folders))]:
        first = first_of.setdefault(folded(name.removesuffix("/")), name)
        if first != name and not (first.endswith("/") and name.endswith("/")):
            pairs.append((first, name))  # two folders merge into one: no file is lost
    return pairs


def one_file_message(name: str, other: str) -> str:
    """Why `name` and `other` (see `one_file_elsewhere`) are a problem, both named."""
    plain = (name + other).isascii()  # else "café" and "café" print alike: show code points
    shown = [shown_name(n, plain) for n in (name, other)]
    return (
        f"{shown[0]} and {shown[1]} are one file on a host whose file names ignore case or "
        "how accents are encoded (Windows, macOS), which keeps only one; rename one of them"
    )


def shown_name(name: str, plain: bool) -> str:
    """An output's path in a message, a folder said to be one (`one_file_elsewhere` marks it
    with '/'), as written or (`plain` false) in code points."""
    shown = name if plain else ascii(name)
    return f"the folder {shown}" if name.endswith("/") else shown


# The files given a size, by name: the formats browsers show. Another name (no suffix, .bmp)
# gets none, and its stat is not taken (`image_stamps`).
IMAGE_SUFFIXES = frozenset(
    [".png", ".apng", ".jpg", ".jpeg", ".jpe", ".jfif", ".gif", ".webp", ".avif", ".svg"]
)


def is_image_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in IMAGE_SUFFIXES


def image_stamps(statics: Mapping[str, Path]) -> list[tuple[object, ...]]:
    """The stat of each image among the static files, for the keys that decide whether
    anything changed (`build.sources_signature`, `build.corpus_key`): an image replaced by
    one of another size changes the pages that show it, though no article changed."""
    stamps: list[tuple[object, ...]] = []
    for name, path in statics.items():
        if is_image_name(name):
            try:
                stat = os.stat(path)
            except OSError:
                stamps.append((name,))
                continue
            stamps.append((name, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino))
    return sorted(stamps, key=lambda stamp: str(stamp[0]))


# Static files from this size on are copied, not read into memory (`Output.copy_of`).
COPIED_FROM = 1 << 20


def static_files(files: dict[str, Path]) -> Iterator[Output]:
    """The assets `static_sources` found, read; a big one (a video, an archive) to be
    copied."""
    for rel in sorted(files):
        path = files[rel]
        if path.stat().st_size >= COPIED_FROM:
            yield Output(rel, b"", str(path), copy_of=str(path))
        else:
            yield Output(rel, path.read_bytes(), str(path))


def starts_alike(source: str, target: str, length: int) -> bool:
    """Whether the first `length` bytes of `source` are the file `target` (`is_cut_short`
    for copies), read a block at a time."""
    with open(source, "rb") as whole, open(target, "rb") as start:
        while length > 0:
            block = start.read(min(length, 1 << 20))
            if not block or whole.read(len(block)) != block:
                return False
            length -= len(block)
    return True
