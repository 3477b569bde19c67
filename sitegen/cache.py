"""The build cache: what was read from each source, and the key of every page last written.

It lives in `.sitegen-cache/` (the `cache` setting), is ignored by git and is safe to delete at
any time: a build without it is a cold build, nothing worse. Files are `marshal`ed tuples, not
pickles, so a data file cannot run code, and loading 100,000 entries takes a blink. The one
exception is `templates/`: the compiled templates (`render.TemplateCodeCache`), Python code as
`__pycache__` holds it, so the cache folder deserves the trust of the `layouts/` folder.

Nothing in it is trusted blindly: every file carries a fingerprint (sitegen's version and a digest
of its code, the cache format, the Python version and, for page keys, the config and the
templates); a mismatch, or a
file that does not load, means starting from empty, with a notice.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import functools
import hashlib
import importlib.util
import marshal
import os
import shutil
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from typing import TYPE_CHECKING, NamedTuple

from sitegen import __version__
from sitegen.config import Config
from sitegen.errors import Problem, SitegenError
from sitegen.read import Article, display, is_editor_litter, is_regular_file
from sitegen.write import MANIFEST, read_manifest_signed

if TYPE_CHECKING:
    from sitegen.model import RelatedMemo

CACHE_FORMAT = 16
SOURCES_FILE = "sources.marshal"
LEXICON_FILE = "lexicon.marshal"  # the tagger's tables (`tags.lexicon_tables`)
PAGES_PREFIX = "pages-"
STATE_PREFIX = "state-"
OUTPUT_PREFIX = "output-"  # the output folder's manifest as a build left it (`built_here`)
ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
assert ARTICLE_FIELDS[:3] == ("source", "id", "date"), "_article() unpacks these by position"


class SourceEntry(NamedTuple):
    """A source file as it was when read: its stat signature and the article it gave. A named
    tuple: a build loads one for every file of the corpus (10,000 entries and their articles
    take 30 ms to make this way, 34 ms as a frozen dataclass)."""

    stat: tuple[int, ...]  # mtime_ns, size, inode, ctime_ns (`read.SourceFile`)
    article: Article
    scan: bytes  # its tag candidates, packed (tags.scan_packed): the costly part of tagging
    row: tuple | None = None  # as loaded: saved as is
    # The reader's warnings about the file, as (message, line): shown again, named as the
    # build then names the file, at each build that does not read it. Such files were read
    # again at every build so that their warnings showed: in a corpus where many warn (old
    # files in another encoding), that was work in every rebuild after an edit.
    problems: tuple[tuple[str, int | None], ...] = ()


# A file that gave no article (a date that is no date, Markdown over its CPU budget), by its
# source path: its stat when read, the reader's warnings, as (message, line), and the time
# (ns since the epoch) from which it is read again though its stat holds, 0 for never: a file
# over its CPU budget (`read.OutOfBudget`) is tried again a day later (`build.RETRY_SLOW`).
Skipped = tuple[tuple[int, ...], tuple[tuple[str, int | None], ...], int]


@dataclass
class BuildCache:
    sources: dict[str, SourceEntry] = field(default_factory=dict)  # source path -> entry
    # Files that gave no article, not read again while their stat holds: one whose Markdown
    # ran out of its CPU budget cost that budget again at every rebuild, at each save in
    # `serve`.
    skipped: dict[str, Skipped] = field(default_factory=dict)
    sources_changed: bool = True  # False: the sources file need not be written again
    # A new one each time the sources file is written. Tags are chosen from the sources, but
    # kept with the page keys of one output folder: a build into another folder may have
    # changed the sources since, and then the tags chosen here are not what they give.
    generation: str = ""
    sources_data: bytes = b""  # the sources file, made ahead (`sources_file`); not kept
    pages: dict[str, str] = field(default_factory=dict)  # output path -> page key
    site_key: str = ""  # digest of every article and the fingerprint: equal means no change
    site_problems: list[Problem] = field(default_factory=list)  # from the model, e.g. collisions
    related: RelatedMemo | None = None  # the last build's related articles
    shape: str = ""  # the last build's `render.Planner.shape`
    digests: dict[str, str] = field(default_factory=dict)  # article id -> digest, last build
    urls: dict[str, str] = field(default_factory=dict)  # article id -> its URL, last build
    chosen: dict[str, tuple[str, ...]] = field(default_factory=dict)  # article id -> its tags
    # article id -> its tags where `tags.drop_rare_names` changed `chosen` (those few only)
    kept: dict[str, tuple[str, ...]] = field(default_factory=dict)
    spread: dict[str, int] = field(default_factory=dict)  # name (casefolded) -> articles naming it
    notices: list[str] = field(default_factory=list)
    # The last build's site (`model.site_record`), marshalled: kept as bytes, so that a build
    # that does not need it (nothing changed) does not pay 20-36 ms at 10,000 articles to load it.
    site_record: bytes = b""


def base_fingerprint() -> str:
    return (
        f"sitegen {__version__} cache {CACHE_FORMAT} python {sys.version_info[:3]}"
        f" code {code_digest()}"
    )


@functools.cache
def code_digest() -> str:
    """A digest of sitegen's own modules and data files (the tag lexicon, the templates), and
    of the country table it reads from pycountry.

    The version number changes only with a release, but a checkout or a development install
    changes the code under the same number: a new word in the lexicon must not leave last
    week's tags in the cache. Hashing the package (about 400 KB) takes about a millisecond.
    """
    package = Path(__file__).parent
    hasher = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".txt", ".tsv", ".html", ".css", ".xml") and path.is_file():
            hasher.update(os.fsencode(path.relative_to(package)) + b"\0")
            hasher.update(path.read_bytes() + b"\0")
    hasher.update(country_data_stamp().encode())
    hasher.update(libraries_stamp().encode())
    return hasher.hexdigest()


# The libraries whose output the cache keeps, by module and by distribution: Markdown's HTML
# (with pymdown-extensions'), the sanitiser's, the slugs that make addresses, and the language
# registry that tells which `lang:` an article keeps.
CACHED_LIBRARIES = {
    "markdown": "markdown",
    "pymdownx": "pymdown_extensions",
    "nh3": "nh3",
    "slugify": "python_slugify",
    "langcodes": "langcodes",
}


@functools.cache
def libraries_stamp() -> str:
    """The installed versions of `CACHED_LIBRARIES`: an upgrade of one must not leave the
    last version's HTML in the cache. Read from the names of their `.dist-info` folders
    beside them ("nh3-0.3.8.dist-info"), without importing them: `importlib.metadata` took
    70 ms to ask, on every build."""
    listed: dict[str, list[str]] = {}
    found = []
    for module, distribution in CACHED_LIBRARIES.items():
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            continue
        folder = os.path.dirname(os.path.dirname(spec.origin))
        if folder not in listed:
            try:
                names = os.listdir(folder)
                listed[folder] = [
                    n.lower() for n in names if n.endswith((".dist-info", ".egg-info"))
                ]
            except OSError:
                listed[folder] = []
        found += sorted(n for n in listed[folder] if n.startswith(f"{distribution}-"))
    return " ".join(found)


def language_table() -> Path | None:
    """pycountry's table of languages (ISO 639-3, with 639-1's codes), found as
    `country_table` is."""
    table = country_table()
    return table.with_name("iso639-3.json") if table is not None else None


def country_table() -> Path | None:
    """pycountry's table of countries (ISO 3166-1, JSON), found without importing pycountry:
    its import reads every installed package's metadata for its own version (30 to 40 ms,
    in each worker of a cold build). None if pycountry is not installed."""
    spec = importlib.util.find_spec("pycountry")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "databases" / "iso3166-1.json"


def country_data_stamp() -> str:
    """The size and time of pycountry's country table, which the tagger reads: an upgrade of
    pycountry may rename a country."""
    table = country_table()
    try:
        found = table.stat() if table is not None else None
    except OSError:
        found = None
    return f"{found.st_size}:{found.st_mtime_ns}" if found else ""


def sources_fingerprint(config: Config) -> str:
    """What reading and scanning a file depend on besides its bytes: the tag settings."""
    return f"{base_fingerprint()} tags {config.tags!r}"


def pages_fingerprint(config: Config, template_digest: str) -> str:
    return f"{base_fingerprint()} config {config!r} templates {template_digest}"


TEMPLATE_BYTES = 1_000_000  # larger files under layouts/ (not static/) count by their stat
PAGE_SUFFIXES = (".html", ".xml")  # of templates: a folder of such a name is no template


def template_digest(
    folders: Iterable[Path], unusable: list[Path] | None = None, read: list[Path] | None = None
) -> str:
    """A digest of every template file: any edit to one may change any page.

    `layouts/static/` is left out: assets are copied, not rendered, so editing a stylesheet
    must not re-render every page. A file over `TEMPLATE_BYTES` (media kept beside the
    templates, most likely) counts by its size and times, not its bytes: reading them all at
    each build took seconds and hundreds of MB. What jinja2 would pass over in silence for the
    built-in template of the same name (a pipe, a device, a broken link, a folder named like a
    page template) goes into `unusable`, for the build to say so, and each template it counts
    into `read`, for `watch` (see `BuildReport.layout_files`).
    """
    hasher = hashlib.blake2b(digest_size=16)
    for folder in folders:
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(
                d
                for d in dirnames
                if not is_editor_litter(d) and Path(dirpath, d) != folder / "static"
            )
            if unusable is not None:
                unusable.extend(Path(dirpath, d) for d in dirnames if d.endswith(PAGE_SUFFIXES))
            for name in sorted(filenames):
                path = Path(dirpath, name)
                if is_editor_litter(name):
                    continue
                if not is_regular_file(path):
                    if unusable is not None:
                        unusable.append(path)
                    continue
                hasher.update(os.fsencode(path.relative_to(folder)) + b"\0")  # any bytes
                if read is not None:
                    read.append(path)
                stat = path.stat()
                if stat.st_size > TEMPLATE_BYTES:
                    seen = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
                    hasher.update(f"{seen}\0".encode())
                else:
                    hasher.update(path.read_bytes() + b"\0")
    return hasher.hexdigest()


def template_cache(config: Config) -> Path:
    """Where compiled templates are kept (see `render.TemplateCodeCache`)."""
    return config.cache / "templates"


def pages_file(cache_dir: Path, out_dir: Path, prefix: str = PAGES_PREFIX) -> Path:
    """Page keys belong to one output folder: building elsewhere must not trust them."""
    name = hashlib.blake2b(os.fsencode(out_dir), digest_size=8).hexdigest()
    return cache_dir / f"{prefix}{name}.marshal"


def forget_page_keys(config: Config) -> None:
    """Remove this output folder's page keys and build state, before a build changes the
    folder: were the build stopped after that and before saving new ones (Ctrl-C, a crash),
    the old keys would vouch for pages it had rewritten. Without keys, the next build renders
    every page and compares bytes, writing only what differs."""
    for prefix in (PAGES_PREFIX, STATE_PREFIX):
        try:
            remove_cache_file(pages_file(config.cache, config.output, prefix))
        except OSError as exc:
            if exc.errno not in UNWRITABLE:
                raise
            # A cache folder this user may not change (left by `sudo sitegen build`, or on a
            # read-only mount): its keys stay, and no build trusts them (`keys_trusted`).


UNWRITABLE = (errno.EACCES, errno.EPERM, errno.EROFS)


def keys_trusted(cache_dir: Path, notices: list[str] | None = None) -> bool:
    """Whether the page keys and build state in `cache_dir` may vouch for the output: not in
    a folder this process cannot write, where a build could not remove them before changing
    pages (`forget_page_keys`), nor save its own after: they may be an older build's. Then
    every page is rendered and compared, as without a cache."""
    if os.access(cache_dir, os.W_OK) or not cache_dir.is_dir():
        return True
    if notices is not None:
        notices.append(
            f"the build cache folder {display(cache_dir)} cannot be written; its page keys are "
            f"not used, and every page is rendered and compared"
        )
    return False


def vouch_for_output(config: Config, manifest: tuple[int, ...]) -> None:
    """Record the output folder's manifest (inode, size, mtime) as a build with this cache
    left it (`write.Writer.on_commit`): the page keys here vouch for that folder only while it
    is the same (`built_here`). Written only when it changed: a build with nothing to do
    writes no file."""
    if vouched_for(config, manifest):
        return
    path = pages_file(config.cache, config.output, OUTPUT_PREFIX)
    with contextlib.suppress(OSError):  # a cache folder it cannot write: see `keys_trusted`
        ensure_cache_folder(config.cache)
        _write(path, marshal.dumps(tuple(manifest)))


def vouched_for(config: Config, manifest: tuple[int, ...]) -> bool:
    """Whether this cache vouches for the output folder with this manifest already."""
    return _stamp(pages_file(config.cache, config.output, OUTPUT_PREFIX)) == tuple(manifest)


def built_here(cache_dir: Path, out_dir: Path, notices: list[str] | None = None) -> bool:
    """Whether the output folder's manifest is still the one a build with this cache left
    (`vouch_for_output`). A build with another cache (from another working folder, or with
    another `cache:`) rewrites pages that the keys here call unchanged: a --drafts preview
    built from the parent folder, then the usual build, left an embargoed draft's text in
    the feed and the lists (the hostile helper). Then every page is rendered and compared."""
    stamp = _stamp(pages_file(cache_dir, out_dir, OUTPUT_PREFIX))
    _, manifest = read_manifest_signed(out_dir, files=False)
    if stamp == manifest:
        return True
    if notices is not None and stamp is not None and any(manifest):  # not for a folder gone
        notices.append(
            f"{display(out_dir / MANIFEST)} changed since the last build with "
            f"{display(cache_dir)} (another build with another cache folder, or an edit); "
            f"every page is rendered and compared"
        )
    return False


def _stamp(path: Path) -> tuple[int, ...] | None:
    try:
        stamp = marshal.loads(read_cache_file(path))
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return stamp if isinstance(stamp, tuple) else None


def remove_cache_file(path: Path) -> None:
    """Remove a cache file, or a folder found in its place: the cache folder is sitegen's, and
    names such as `pages-<hash>.marshal` only sitegen's files. A folder there made every build
    stop with "Is a directory" where any other damage to the cache is read past with a notice
    (`_load` gives it)."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        if not S_ISDIR(os.lstat(path).st_mode):
            raise
        shutil.rmtree(path)


def load_state(
    config: Config, signature: Callable[[], str]
) -> tuple[tuple[int, int], list[Problem]] | None:
    """What the last build into this output folder reported (article counts, warnings), if
    its sources signature (see `build.sources_signature`) is `signature()`, called only when
    there is one to compare with."""
    if not keys_trusted(config.cache) or not built_here(config.cache, config.output):
        return None
    stored = _load(pages_file(config.cache, config.output, STATE_PREFIX), base_fingerprint(), [])
    if stored is None:
        return None
    try:
        stored_signature, (articles, drafts), problems, until = stored  # type: ignore[misc]
        counts, warnings = (int(articles), int(drafts)), [Problem(*p) for p in problems]
    except (TypeError, ValueError):
        return None
    if until and time.time_ns() >= until:  # a file skipped for its CPU time is due again
        return None
    if not stored_signature or stored_signature != signature():
        return None
    return counts, warnings


def check_cache_folder(cache_dir: Path) -> None:
    """Refuse to build when a file is where the cache folder goes (the config has followed
    symlinks already). Found only when the cache was saved, after the site was written, that
    failed every build with "File exists"."""
    if cache_dir.is_dir() or not os.path.lexists(cache_dir):
        return
    raise SitegenError(
        "the build cache folder is a file: remove it, or set `cache:` in the config to a "
        "folder sitegen may use",
        display(cache_dir),
    )


def ensure_cache_folder(cache_dir: Path) -> None:
    """Make the cache folder, with a .gitignore that hides it from git, if it is not there.
    An existing folder gets none: `cache:` may name a folder of the user's (a sibling git
    repository, say), where a .gitignore of '*' would hide every new file from git."""
    if cache_dir.is_dir():
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    (cache_dir / ".gitignore").write_text(
        "# sitegen's build cache: safe to delete at any time\n*\n"
    )


def save_state(
    config: Config,
    signature: str,
    counts: tuple[int, int],
    problems: list[Problem],
    until: int = 0,
) -> None:
    """Record the build just done; an empty signature records that none may be trusted, and
    `until` (ns since the epoch, 0 for ever) until when it may (`Skipped`)."""
    ensure_cache_folder(config.cache)
    payload = (signature, counts, [(p.path, p.message, p.line) for p in problems], until)
    _save(pages_file(config.cache, config.output, STATE_PREFIX), base_fingerprint(), payload)


def load_cache(config: Config, pages_print: str, *, sources: bool = True) -> BuildCache:
    """The cache for a build; without `sources`, only the page keys (for an unchanged build)."""
    cache = BuildCache()
    cache_dir, out_dir = config.cache, config.output
    if not sources:
        cache.pages = _load_pages(cache_dir, out_dir, pages_print, cache.notices)[1]
        return cache
    stored = _load(cache_dir / SOURCES_FILE, sources_fingerprint(config), cache.notices)
    if stored is not None:
        try:
            generation, entries, skipped = stored  # type: ignore[misc]
            cache.sources = {row[0]: _entry(row) for row in entries}
            cache.skipped = {row[0]: _skipped(row) for row in skipped}
            cache.generation = str(generation)
        except (TypeError, ValueError, IndexError):
            cache.notices.append("the build cache was damaged; reading every file again")
            cache.sources, cache.skipped = {}, {}
    if not cache.sources:
        return cache  # page keys vouch for pages made from the cached sources: not without them
    loaded = _load_pages(cache_dir, out_dir, pages_print, cache.notices)
    site_key, cache.pages, problems, related, shape, record = loaded
    if cache.pages:
        cache.site_problems, cache.site_key = problems, site_key
        cache.related = _related_memo(related)
        cache.shape, cache.digests, cache.urls, generation, chosen, spread, kept = shape
        if generation == cache.generation:
            cache.chosen, cache.spread, cache.kept = chosen, spread, kept
            cache.site_record = record  # made with those tags: `build.Build.reused_site`
    return cache


class CacheMemory:
    """The last build's cache, kept in memory by a process that builds again and again
    (`watch`, `serve`): loading it from disk took 0.08-0.1 s of every rebuild at 10,000
    articles in a process that had built before (0.1-0.25 s in a fresh one).

    It stands in for the files only while they are the ones this process saved (same inode,
    size and time: another build, say into another folder, replaces them) and for the same
    settings and templates; then it holds what loading them would give. It is handed out once:
    a build that fails half-way leaves nothing in memory to trust, and the next loads from disk.
    What it cannot tell apart: another process's save of the same size, in the same mtime tick,
    into a file that got the same inode number back (file systems do reuse freed inodes).
    """

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._cache: BuildCache | None = None

    def take(self, config: Config, pages_print: str) -> BuildCache | None:
        """The kept cache, if it still stands for the files; else None. Forgets it either way."""
        key, cache = self._key, self._cache
        self._key = self._cache = None
        if cache is None or key != _memory_key(config, pages_print):
            return None
        cache.notices = []
        return cache

    def keep(
        self, config: Config, pages_print: str, cache: BuildCache, written: dict[Path, Signature]
    ) -> None:
        """Keep the cache a build has just saved, with the signatures of the files it wrote
        (`save_cache`): taken as written, not from the disk, where another build may have
        replaced them since. A file not written this time is the one the build loaded."""
        self._key, self._cache = _memory_key(config, pages_print, written), cache
        if self._key is None or not cache.sources or not cache.pages:
            self._key = self._cache = None  # what `load_cache` would not give back either


Signature = tuple[int, int, int]  # a file's inode, size and mtime (ns)


def signature(stat: os.stat_result) -> Signature:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _memory_key(
    config: Config, pages_print: str, known: dict[Path, Signature] | None = None
) -> tuple | None:
    # The manifest too: another build into the output folder rewrites it (`built_here`).
    files = (
        config.cache / SOURCES_FILE,
        pages_file(config.cache, config.output),
        config.output / MANIFEST,
    )
    known = known or {}
    try:
        signatures = tuple(known.get(path) or signature(os.stat(path)) for path in files)
    except OSError:
        return None
    return (sources_fingerprint(config), pages_print, str(config.output), signatures)


# shape, digests, article URLs, sources generation, chosen tags, spread, kept tags
PagesState = tuple[str, dict, dict, str, dict, dict, dict]


def _load_pages(
    cache_dir: Path, out_dir: Path, pages_print: str, notices: list[str]
) -> tuple[str, dict[str, str], list[Problem], object, PagesState, bytes]:
    """(site key, page keys, site problems, related memo as stored, (shape, digests, article
    URLs, sources generation, chosen tags, spread, kept tags), site record); all empty when the
    file is missing, damaged or of other settings: then every page is rendered and compared."""
    path = pages_file(cache_dir, out_dir)
    trusted = not os.path.lexists(path) or (
        keys_trusted(cache_dir, notices) and built_here(cache_dir, out_dir, notices)
    )
    stored = _load(path, pages_print, notices) if trusted else None
    try:
        site_key, pages, problems, related, shape, digests, urls, tagged, record = stored  # type: ignore[misc]
        generation, chosen, spread, kept = tagged
        if not all(isinstance(names, tuple) for names in [*chosen.values(), *kept.values()]):
            raise TypeError("tags of another shape")
        if not all(isinstance(count, int) for count in spread.values()):
            raise TypeError("counts of another shape")
        return (
            str(site_key),
            dict(pages),
            [Problem(*p) for p in problems],
            related,
            (
                str(shape),
                dict(digests),
                dict(urls),
                str(generation),
                dict(chosen),
                dict(spread),
                dict(kept),
            ),
            record if isinstance(record, bytes) else b"",
        )
    except (TypeError, ValueError, AttributeError):
        return "", {}, [], None, ("", {}, {}, "", {}, {}, {}), b""


def _related_memo(stored: object) -> RelatedMemo | None:
    """The related-articles memo as saved, if it has the shape `model.RelatedMemo` gives it."""
    from sitegen.model import RelatedMemo  # not above: an unchanged build needs no model

    try:
        total, tags, ids, order = stored  # type: ignore[misc]
        if not (
            isinstance(total, int)
            and all(isinstance(v, tuple) and len(v) == 2 for v in tags.values())
            and all(isinstance(v, tuple) for v in ids.values())
            and isinstance(order, dict)
        ):
            return None
        return RelatedMemo(total, tags, ids, order)
    except (TypeError, ValueError, AttributeError):
        return None


def load_lexicon_tables(config: Config) -> tuple | None:
    """The tagger's tables as a build kept them (`save_lexicon_tables`), if they are of this
    sitegen and pycountry (`base_fingerprint` covers both); else None, and they are made again."""
    from sitegen.tags import LEXICON_SECTIONS  # here: only a build that reads needs the tagger

    stored = _load(config.cache / LEXICON_FILE, base_fingerprint(), [])
    try:
        sections, rows = stored  # type: ignore[misc]
        if not all(name in sections for name in LEXICON_SECTIONS):
            raise TypeError("sections missing")
        if not all(isinstance(words, list) for words in sections.values()):
            raise TypeError("sections of another shape")
        if not all(_is_lexicon_row(row) for row in rows.values()):
            raise TypeError("rows of another shape")
    except (TypeError, ValueError, AttributeError):
        return None
    return sections, rows


def _is_lexicon_row(row: object) -> bool:
    """A known form's entry as `tags.lexicon_tables` keeps it: (name, weight, capital)."""
    return (
        isinstance(row, tuple)
        and len(row) == 3
        and isinstance(row[0], str)
        and isinstance(row[1], float | int)
        and isinstance(row[2], bool)
    )


def save_lexicon_tables(config: Config, tables: tuple) -> None:
    ensure_cache_folder(config.cache)
    _save(config.cache / LEXICON_FILE, base_fingerprint(), tables)


def save_cache(config: Config, pages_print: str, cache: BuildCache) -> dict[Path, Signature]:
    """Save the cache; return the signatures of the files written, as written (`CacheMemory`)."""
    cache_dir, out_dir = config.cache, config.output
    written: dict[Path, Signature] = {}
    ensure_cache_folder(cache_dir)
    if cache.sources_changed:
        data = cache.sources_data or sources_file(config, cache)
        cache.sources_data = b""
        sources_path = cache_dir / SOURCES_FILE
        written[sources_path] = _write(sources_path, data)
    problems = [(p.path, p.message, p.line) for p in cache.site_problems]
    memo = cache.related
    related = (memo.total, dict(memo.tags), dict(memo.ids), dict(memo.order)) if memo else None
    payload = (
        cache.site_key,
        cache.pages,
        problems,
        related,
        cache.shape,
        cache.digests,
        cache.urls,
        (cache.generation, cache.chosen, cache.spread, cache.kept),
        cache.site_record,
    )
    pages_path = pages_file(cache_dir, out_dir)
    written[pages_path] = _save(pages_path, pages_print, payload)
    return written


def sources_file(config: Config, cache: BuildCache) -> bytes:
    """The bytes of the sources file, of a new generation. A cold build in workers makes them
    while they render (`BuildCache.sources_data`): 0.06 of the 0.11 s it saved its cache in
    after the last page at 10,000 articles, for 9.6 MB more at its peak (238 MB)."""
    sources = [
        entry.row or (source, entry.stat, _fields(entry.article), entry.scan, entry.problems)
        for source, entry in sorted(cache.sources.items())
    ]
    skipped = [
        (source, stat, problems, until)
        for source, (stat, problems, until) in sorted(cache.skipped.items())
    ]
    cache.generation = os.urandom(8).hex()
    return _file_bytes(sources_fingerprint(config), (cache.generation, sources, skipped))


def read_cache_file(path: Path) -> bytes:
    """A cache file's bytes; OSError if it is not a regular file. The cache folder is only
    sitegen's by convention: a named pipe there kept the build waiting for ever, a link to
    /dev/zero read until memory ran out."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        if not S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
    except BaseException:
        os.close(fd)
        raise
    with open(fd, "rb") as file:
        return file.read()


def _load(path: Path, fingerprint: str, notices: list[str]) -> object | None:
    try:
        data = read_cache_file(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        notices.append(f"cannot read the build cache ({exc.strerror}); building without it")
        return None
    try:
        stored = marshal.loads(data)
        if stored[0] != fingerprint:
            return None  # another version, config or set of templates: start afresh, quietly
        return unsealed(stored[1:])
    except (EOFError, ValueError, TypeError, IndexError, KeyError):
        notices.append(f"the build cache file {path.name} was damaged and is ignored")
        return None


def sealed(value: object) -> tuple[int, bytes]:
    """A value as a cache file keeps it: marshalled, with a checksum of those bytes.

    Bytes changed on disk (a bad sector, a copy cut short, a hand edit) can still load: a
    title with one letter changed, or a compiled template's code doing anything. The checksum
    (CRC-32: 3 ms for the 7 MB of a 10,000-article cache) lets no such file be trusted."""
    data = marshal.dumps(value)
    return zlib.crc32(data), data


def unsealed(stored: object) -> object:
    """The value `sealed` kept; ValueError when its bytes are not those it wrote."""
    checksum, data = stored  # type: ignore[misc]
    if not isinstance(data, bytes) or zlib.crc32(data) != checksum:
        raise ValueError("checksum mismatch")
    return marshal.loads(data)


def _save(path: Path, fingerprint: str, payload: object) -> Signature:
    """Write through a file of its own name, then move it into place: two builds (a watcher
    and a manual build) may save at the same time. Returns the file's signature as written."""
    return _write(path, _file_bytes(fingerprint, payload))


def _file_bytes(fingerprint: str, payload: object) -> bytes:
    return marshal.dumps((fingerprint, *sealed(payload)))


def _write(path: Path, data: bytes) -> Signature:
    """`_save`'s writing: through a file of its own name, then moved into place."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(data)
        written = signature(os.stat(tmp))  # before the move: no other build can touch it yet
        try:
            os.replace(tmp, path)
        except OSError:  # a folder in its place (see `remove_cache_file`)
            if not (os.path.isdir(path) and not os.path.islink(path)):
                raise
            remove_cache_file(path)
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()  # not left behind, one more for each build that fails here
        raise
    return written


def _entry(row: tuple) -> SourceEntry:
    _source, stat, fields, scan, problems = row
    if not isinstance(scan, bytes):
        raise TypeError("a scan of another shape")
    if problems and not all(_is_problem_row(problem) for problem in problems):
        raise TypeError("a warning of another shape")
    return SourceEntry(tuple(stat), _article(fields), scan, row, problems)


def _skipped(row: tuple) -> Skipped:
    _source, stat, problems, until = row
    if not all(_is_problem_row(problem) for problem in problems) or type(until) is not int:
        raise TypeError("a warning of another shape")
    return tuple(stat), tuple(problems), until


def _is_problem_row(row: object) -> bool:
    return (
        isinstance(row, tuple)
        and len(row) == 2
        and isinstance(row[0], str)
        and (row[1] is None or type(row[1]) is int)
    )


def _fields(article: Article) -> tuple:
    return tuple(
        getattr(article, name).toordinal() if name == "date" else getattr(article, name)
        for name in ARTICLE_FIELDS
    )


def _article(fields: tuple) -> Article:
    if len(fields) != len(ARTICLE_FIELDS):
        raise ValueError("an article of another shape")
    source, id_, date, *rest = fields
    return Article(source, id_, dt.date.fromordinal(date), *rest)
