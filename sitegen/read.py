"""Find article files and parse them into `Article`s.

The corpus format (see FORMAT.md): a header line ` date YYYY-MM-DD Title`, an optional
`By ...` byline, then paragraphs separated by blank lines. A file may start with a YAML front
matter block that sets or corrects metadata. A `.txt` body is text, never markup; a `.md` body is
Markdown whose HTML is sanitised, because article text is data, not code.

Reading never raises for a bad file: it returns the problems it found, so one bad file among
thousands costs that file only.
"""

from __future__ import annotations

import bisect
import codecs
import collections
import contextlib
import datetime as dt
import difflib
import functools
import hashlib
import html
import itertools
import math
import operator
import os
import posixpath
import re
import signal
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar
from urllib.parse import unquote

from slugify import slugify

from sitegen.config import (
    NONCHARACTERS,
    NOT_TEXT,
    YamlProblem,
    bidi_closed,
    key_text,
)
from sitegen.errors import Problem, SitegenError, clipped
from sitegen.language import (
    detect_language,
    direction,
    language_tag_problem,
    may_hold_other_scripts,
    may_hold_other_scripts_utf8,
    paragraph_attributes,
    text_attributes,
    unspaced_words,
    without_unicode_extension,
)

if TYPE_CHECKING:
    import markdown

MARKDOWN_SUFFIXES = (".md", ".markdown")  # the second as `jekyll new` names its posts
ARTICLE_SUFFIXES = (".txt", *MARKDOWN_SUFFIXES)
WORDS_PER_MINUTE = 230
SUMMARY_CHARS = 220
SLUG_CHARS = 80

# Any space but a newline between the parts ("date 2026-02-06\u00a0Title" from a word
# processor); a byte order mark or a zero-width character before them is read as nothing.
INVISIBLE_LEADERS = "\ufeff\u200b-\u200f\u2060"  # a regex class's ranges
HEADER = re.compile(
    rf"(?:[{INVISIBLE_LEADERS}]|[^\S\n])*"
    r"date[^\S\n]+(?P<date>\S+)(?:[^\S\n]+(?P<title>.*))?",
    re.IGNORECASE,
)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # not \d: other scripts' digits too
# Format characters that show nothing: marks of direction, zero-width ones, a byte order mark.
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
LEADING_BLANK_LINES = re.compile(r"(?:[^\S\n]*\n)+")
INVISIBLE_LEAD = re.compile(f"[{INVISIBLE_LEADERS}]+")  # as `HEADER` reads them
# "By", or the word an Arabic or a Russian byline starts with ("بقلم: الجزيرة نت", "Автор:
# Интерфакс"), which no story's first sentence does: read as text, the byline was the summary.
BYLINE = re.compile(r"(?:By|بقلم|Автор(?=:)):?\s+(?P<name>\S.*)", re.IGNORECASE)
# The word a French ("Par"), German ("Von"), Spanish or Portuguese ("Por"), Italian ("Di") or
# Dutch ("Door") byline starts with. Each starts English text too ("Di Maio said", "Von der
# Leyen arrived", "Door-to-door sales fell"): a byline only with a colon after it (French
# writes a space before: "Par : Jeanne Dupont"), or names alone after it (`names_only`). In
# capitals or capitalised: "PAR JEANNE DUPONT", never "par" within a sentence.
OTHER_BYLINE_WORDS = ("Par", "Von", "Por", "Di", "Door", "PAR", "VON", "POR", "DI", "DOOR")
OTHER_BYLINE = re.compile(rf"(?:{'|'.join(OTHER_BYLINE_WORDS)})(?P<colon>\s?:)?\s+(?P<name>\S.*)")
# The small words of names and of lists of names in those languages, in lower case: particles
# ("Jan de Vries", "Ursula von der Leyen", "Luiz Inácio Lula da Silva") and "and" ("Jeanne
# Dupont et Paul Martin", "Hans Müller und Anna Schmidt", "Juan Pérez y Ana López"), "with"
# ("Le Monde avec AFP") and "in" ("Von Hans Müller, in Berlin"). Not English "and": "Di Maio
# and Salvini" is a subject.
NAME_LINKS = frozenset({
    "de", "du", "des", "la", "le", "les", "van", "von", "der", "den", "ter", "ten", "zu", "zur",
    "di", "da", "del", "della", "dello", "dei", "degli", "do", "dos", "das",
    "e", "y", "et", "und", "en", "avec", "mit", "con", "com", "met", "à", "in", "a", "aus", "em",
})  # fmt: skip
# A byline of one word in capitals-and-lower-case, which names no one person: a wire or a
# newsroom ("Par Reuters", "Von Redaktion", "Por Agencias"). Any one word in capitals is one.
NEWSROOMS = frozenset({
    "Reuters", "Bloomberg", "Xinhua", "dpa", "Belga", "Lusa",
    "Agencias", "Agências", "Agenturen", "Agenzie", "Agences",
    "Rédaction", "Redaktion", "Redacción", "Redação", "Redazione", "Redactie",
})  # fmt: skip
FOLDED_NEWSROOMS = frozenset(word.casefold() for word in NEWSROOMS)
NEWSROOM_ARTICLES = frozenset({"la", "le", "les", "der", "die", "de", "het", "el", "a", "il"})
# A wire dateline at the start of a story: "BEIJING, Feb 6 (Reuters) - ", "VIENNA (AP) -Iran".
# The story after it starts a sentence: "NATO - the alliance said" is no dateline; without a
# space after the dash, only after an agency in brackets: "NATO-Russia talks" is none either.
# After an agency in brackets, or a place of two words ("NEW DELHI - health minister ..."), the
# dateline is certain, and the story may start in lower case as some wires write it
# ("STOCKHOLM (AP) - climate minister ..."; "STOCKHOLM" and "NEW DELHI" were tags).
# A city's name keeps its accents ("SÃO PAULO", "BOGOTÁ"), and a story filed from two cities
# names both ("ISLAMABAD/KABUL (Reuters) -"); its first word has two letters only before
# another ("LA PAZ —", "EL PASO, Texas —").
DATELINE = re.compile(
    r"[A-ZÀ-ÖØ-Þ](?:[A-ZÀ-ÖØ-Þ'’./-]{2,}|[A-ZÀ-ÖØ-Þ](?= [A-ZÀ-ÖØ-Þ]{2}))"
    r"(?P<more>(?: [A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’./-]+)+)?"
    r"(?:, (?:[A-Z][a-z]{2,8}\.? \d{1,2}|[A-Z][\w.]+))?"
    r"(?: \([^)]{1,40}\) ?[—–-]{1,2} ?(?=[\w“\"'‘])| ?[—–-]{1,2} (?=[A-Z“\"'‘]|(?(more)\w|(?!))))"
)
# A dateline the agency's mark makes certain, the place in any case and no dash after it:
# "WASHINGTON, September 22. /TASS/. Congressional leaders", "Havana, Dec 15 (Prensa Latina)
# The Cuban ..." (the judge helper: 38 summaries of 300 began so, on every list and feed).
AGENCY_DATELINE = re.compile(
    r"[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:[ /][\w'’.-]+){0,3}"
    r", [A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?\.?"
    r" (?:/[A-Z]{2,8}/\.?|\([A-Z][^()]{1,30}\))(?: ?[—–-]{1,2})? ?(?=[\w“\"'‘])"
)


def dateline(text: str) -> re.Match[str] | None:
    """The wire dateline `text` starts with (`DATELINE`, `AGENCY_DATELINE`), if any."""
    return DATELINE.match(text) or AGENCY_DATELINE.match(text)


FILE_ID = re.compile(r"(?:^|[_-])(?P<id>[0-9a-f]{16})$")
# Control characters have no place in text and make feeds invalid XML; C1 controls come from
# text decoded with the wrong code page.
# Noncharacters too (`config.NONCHARACTERS`), which HTML forbids.
CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{NONCHARACTERS}]")
# The C0 controls among them and DEL, as UTF-8 bytes: in UTF-8 no other character holds one.
C0_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# BYTES_IN: `b"..." in data` first tries the needle as a number, raises a TypeError, formats
# its message and drops it: 1,700 instructions each time (callgrind), 74 times an article on
# the hot path, 4 % of reading and scanning. `data.find(b"...") >= 0`, or a single byte as
# its number (`0 in data`), asks only what is meant.
#
# The lead bytes of U+0080 to U+00BF (C1 controls among them), of U+FFF0 to U+FFFF and of
# U+FDC0 to U+FDFF; and the last two bytes of U+xFFFE and U+xFFFF in every plane.
C1_OR_NONCHAR_LEADS = (b"\xc2", b"\xef\xbf", b"\xef\xb7", b"\xbf\xbe", b"\xbf\xbf")
# Every byte that any of those (or a C0 control) holds: a file without one holds none of them.
CONTROL_BYTES = C0_BYTES + b"\xc2\xef\xbf"
# Line breaks other than LF and CR: a file of them was one line, its whole text the title.
OTHER_LINE_BREAKS = "\x0b\x0c\x85\u2028\u2029"
AS_NEWLINES = str.maketrans(dict.fromkeys(OTHER_LINE_BREAKS, "\n"))
FRONT_MATTER_KEYS = (
    "title",
    "date",
    "byline",
    "author",
    "tags",
    "categories",  # Hugo's and Jekyll's sections, and Jekyll's and Pelican's `category`:
    "category",  # read as tags, the site's one kind of label (after the file's own tags)
    "slug",
    "summary",
    "description",  # Hugo's and Jekyll's summary: `summary` when there is none
    "draft",
    "published",  # Jekyll's: `published: false` is a draft
    "status",  # Pelican's and WordPress exports': `STATUSES`
    "lang",
)


C = TypeVar("C", bound=type)


def pickled_by_fields(cls: C) -> C:
    """Pickle a slotted dataclass as its class and its field values, so that unpickling calls
    the class. Python's own way for slotted dataclasses calls `dataclasses.fields` for every
    object, both ways: with it, sending 10,000 articles between processes took 103 ms to
    pickle and 45 ms to unpickle, against 62 and 28 ms this way."""
    names = [f.name for f in fields(cls)]
    values = operator.attrgetter(*names)
    assert len(names) > 1, "attrgetter of one name gives a value, not a tuple"

    def __reduce__(self: object) -> tuple[type, tuple[Any, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[assignment]
    return cls


@pickled_by_fields
@dataclass(frozen=True, repr=False, slots=True)
class Article:
    """One article as read from its file; everything a page shows about it."""

    source: str  # path relative to the source folder, with '/' separators
    id: str  # stable: the 16-hex id from the file name, or a hash of the path
    date: dt.date
    title: str
    byline: str  # without the leading "By "; empty when the file has none
    slug: str  # only [a-z0-9-], never empty
    summary: str
    words: int
    tags: tuple[str, ...]  # tags given in front matter; derived tags are added by sitegen.tags
    draft: bool
    digest: str  # hash of the file's path and bytes: an unchanged file has an unchanged digest
    # A Markdown body's links and images that may lead within the site, as ("link" or "image",
    # URL): the build checks them against the pages it makes (`Build.broken_links`). Plain text
    # has none.
    links: tuple[tuple[str, str], ...] = ()
    # The article's language tag where it is not the site's: from front matter, or from the
    # letters of a text in another script than Latin (`language.detect_language`); else "".
    lang: str = ""
    slug_given: bool = False  # the slug is the front matter's, not made from the title

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))

    def __repr__(self) -> str:
        # Every field derives from the file's path and bytes, which the digest covers, and from
        # the id (unique_ids may change it). Page keys are digests of reprs: this keeps them
        # exact and short.
        return f"Article({self.id} {self.digest})"


@dataclass(frozen=True, slots=True)
class Body:
    """An article's text. Kept apart from `Article` so that the metadata of a whole corpus
    stays small enough to cache and to send between processes; bodies are read when needed."""

    html: str  # safe HTML: escaped text, or sanitised Markdown
    paragraphs: tuple[str, ...]  # plain text, for summaries and tag derivation; () once read
    # False where the paragraphs are known to hold no letters of another script than Latin
    # (`language.may_hold_other_scripts`), so that the tagger need not look again.
    other_scripts: bool = True


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ReadResult:
    """What reading one file gave: an article and its body, or None when it was skipped."""

    article: Article | None
    body: Body | None
    problems: tuple[Problem, ...] = ()
    # Skipped as it could not be read (an I/O error, a file this user may not read): that says
    # nothing of its bytes, and may pass with its stat the same, so it is not kept as skipped.
    unreadable: bool = False
    # Skipped for the CPU time its Markdown took (`OutOfBudget`): kept by `watch` and `serve`
    # for their next rebuilds, not in the cache on disk.
    timed_out: bool = False


# Forty times a very long news story. A bigger file is a dump, not an article, and would cost
# minutes (Markdown's parser is slower than linear on huge documents) and a page of megabytes.
MAX_ARTICLE_BYTES = 2_000_000


class SkipFile(Exception):
    """Raised inside the reader when a file cannot become an article."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class OutOfBudget(SkipFile):
    """A file skipped for the CPU time its Markdown took: a measure of this machine at this
    moment, not of the bytes alone (a rebuild in `serve` runs under a hook that about doubles
    it), so it is kept as skipped for a day only (`ReadResult.timed_out`, `build.RETRY_SLOW`)."""


# --- finding files -----------------------------------------------------------------------------


def is_editor_litter(name: str) -> bool:
    """Hidden files, backups and swap files: never articles, never worth a warning.

    By the names editors give them: Emacs's autosave "#a.txt#", Office's lock "~$a.txt", vim's
    "a.txt~". A name that only starts with "#" or "~" is a person's ("#MeToo, a year on.txt",
    "~draft.txt"): those articles were left out without a word."""
    return (
        name.startswith((".", "~$"))
        or (name.startswith("#") and name.endswith("#"))
        or name.endswith(("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".orig", ".part"))
        or name.endswith(("___jb_tmp___", "___jb_old___", ".kate-swp"))  # JetBrains, Kate
        or name == "4913"  # vim's probe file
    )


def is_article_name(name: str) -> bool:
    return not is_editor_litter(name) and name.lower().endswith(ARTICLE_SUFFIXES)


class SourceFile(NamedTuple):
    """An article file found in the source folder, with the stat the build cache compares.

    A named tuple: a corpus has tens of thousands, listed on every build."""

    rel: str  # relative to the source folder, with '/' separators
    full: str  # the path as found (a string: a Path per file would cost more than the listing)
    stat: tuple[int, int, int, int]  # mtime_ns, size, inode, ctime_ns

    @property
    def path(self) -> Path:
        return Path(self.full)


def find_sources(root: Path) -> tuple[list[SourceFile], list[Problem]]:
    """List article files under `root` in a stable order, with their stat signatures.

    Symlinks are followed only when they stay inside `root`: a link to /etc/passwd in a corpus
    must not publish it. Uses `os.scandir` and plain strings: this runs on every build, over
    every file, and an unchanged corpus should cost little more than this listing.
    """
    found: list[SourceFile] = []
    problems: list[Problem] = []
    real_root = str(root.resolve())
    linked: dict[str, str] = {}  # a symlink's path -> where it leads, from the root
    for rel, entry in _walk(str(root), "", problems):
        if entry.is_symlink() and links_to_folder(entry):  # see _walk: never followed
            holds = holds_articles(entry.path)  # else a folder of images, say: nothing to say
            if holds is not False:
                problems.append(Problem(display(Path(entry.path)), LINKED_FOLDER[holds]))
            continue
        if not is_text(rel):
            message = "the file name is not valid UTF-8; skipped (rename the file)"
            problems.append(Problem(printable(display(Path(entry.path))), message))
            continue
        try:
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if not resolves_inside(entry.path, real_root):
                    message = "symlink points outside the source folder; not followed"
                    problems.append(Problem(display(Path(entry.path)), message))
                    continue
                if not os.path.isfile(target):
                    message = "symlink to nothing readable (broken, or a folder); skipped"
                    problems.append(Problem(display(Path(entry.path)), message))
                    continue
                linked[rel] = Path(os.path.relpath(target, real_root)).as_posix()
            stat = entry.stat()
        except FileNotFoundError:
            continue  # vanished while listing
        except OSError as error:  # a folder listed but not searchable (no x permission)
            message = f"cannot be read ({error.strerror or error}); skipped"
            problems.append(Problem(display(Path(entry.path)), message))
            continue
        if not S_ISREG(stat.st_mode):  # reading a named pipe would wait forever
            message = "not a regular file (a pipe or a device); skipped"
            problems.append(Problem(display(Path(entry.path)), message))
            continue
        # The change time too: an edit that keeps the size, followed by `touch -r`, `cp -p` or
        # `rsync -t` (which set the modification time back), changes only that.
        found.append(
            SourceFile(
                rel, entry.path, (stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_ctime_ns)
            )
        )
    if linked:  # a link to an article of the folder would publish it twice
        files = {f.rel for f in found} - linked.keys()
        for rel, target in linked.items():
            if target in files:
                message = f"symlink to {target}, an article here already; skipped"
                problems.append(Problem(display(root / rel), message))
        found = [f for f in found if linked.get(f.rel) not in files]
    found.sort(key=operator.itemgetter(0))  # by `rel`
    return found, problems


def resolves_inside(path: str | Path, real_folder: str) -> bool:
    """Whether `path`, its symlinks followed, lies in `real_folder` (itself resolved)."""
    return os.path.commonpath([os.path.realpath(path), real_folder]) == real_folder


# The warnings for a symlinked folder that holds articles (True), or may (None: see
# `holds_articles`).
LINKED_FOLDER = {
    True: "symlinked folder of articles; not followed (link the files instead)",
    None: "symlinked folder too big to search for articles; not followed (link the files instead)",
}
# Entries of a symlinked folder's tree looked at, at most, for an article file: a link to "/",
# to a loop or to a tree of millions of files must not hold up the build (10,000 took 9 ms
# here on a warm disk; 30 to 50 ms when each is a symlink, which takes a stat).
MAX_LINKED_ENTRIES = 10_000


def holds_articles(folder: str) -> bool | None:
    """Whether a symlinked folder holds article files anywhere below it: True when it does,
    False when it does not, None when its tree has over MAX_LINKED_ENTRIES entries and the
    first of them hold none (too big to tell, so it may).

    Its articles would be left out, as a symlinked folder is not followed: they must not go
    silently, wherever they sit. One that holds none (images, data shared with another
    project) is passed over as a real folder without articles is: a warning at every build
    that nothing can silence but moving the folder would be noise, and an error under
    `--strict`. Searched breadth first, so that articles at its top are found in one listing,
    and it stops at the first; symlinked folders inside it are searched too (their articles
    would be lost as well), each real folder once, so a loop ends. Hidden folders are not
    searched: the build skips their articles anyway."""
    seen: set[tuple[int, int]] = set()
    queue = collections.deque([folder])
    looked = 0
    while queue:
        current = queue.popleft()
        try:
            key = os.stat(current)
            if (key.st_dev, key.st_ino) in seen:
                continue
            seen.add((key.st_dev, key.st_ino))
            with os.scandir(current) as entries:
                for entry in entries:
                    looked += 1
                    if looked > MAX_LINKED_ENTRIES:
                        return None
                    if is_editor_litter(entry.name):
                        continue
                    if links_to_folder(entry):  # a folder, linked or not
                        queue.append(entry.path)
                    elif entry.name.lower().endswith(ARTICLE_SUFFIXES):
                        return True
        except OSError:  # a folder that cannot be listed, or vanished: no article seen there
            continue
    return False


def is_regular_file(path: str | Path) -> bool:
    """A file to read, not a named pipe or a device (reading one could wait forever)."""
    try:
        return S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def is_text(name: str) -> bool:
    """A name decoded from bytes that are not UTF-8 holds surrogates: it cannot become a URL,
    a cache key or a line of the manifest."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable(text: str) -> str:
    """Undecodable bytes of a file name shown as \\xff, so a warning can always be printed."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _walk(
    folder: str, prefix: str, problems: list[Problem]
) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Article files under `folder`, and symlinked folders (for a warning), depth first, with
    a stack rather than recursion: a corpus can nest folders deeper than Python's limit. A
    folder that cannot be listed is named in `problems`: its articles would vanish silently."""
    stack = [(folder, prefix)]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue  # removed while listing
        except OSError as error:
            if not prefix:  # the source folder itself: an empty site would remove every page
                reason = error.strerror or str(error)
                raise SitegenError(
                    f"the source folder cannot be listed ({reason})", display(Path(folder))
                ) from None
            message = f"folder cannot be listed ({error.strerror or error}); its files skipped"
            problems.append(Problem(display(Path(folder)), message))
            continue
        for entry in entries:
            name = entry.name
            if is_editor_litter(name):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, f"{prefix}{name}/"))
            elif entry.is_symlink() and links_to_folder(entry):
                yield f"{prefix}{name}", entry  # linked folders could loop or escape: a warning
            elif name.lower().endswith(ARTICLE_SUFFIXES):  # `is_article_name`: no litter
                yield f"{prefix}{name}", entry


def links_to_folder(entry: os.DirEntry[str]) -> bool:
    """Whether a symlink leads to a folder. False for a loop of links (ELOOP) or a link
    that cannot be followed: `DirEntry.is_dir` raises for those, and one such link anywhere
    in the source folder stopped the whole build."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def folded(name: str) -> str:
    """A file name as a host that ignores case and Unicode normalization compares it."""
    if name.isascii():
        return name.lower()
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", name).casefold())


def display(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when inside it,
    and as it is when there is no current folder (removed under `watch`)."""
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except (ValueError, FileNotFoundError):
        return str(path)


# --- reading one file --------------------------------------------------------------------------


def read_article(path: Path | str, root: Path | str, real_root: str | None = None) -> ReadResult:
    """Read and parse one file; never raises for bad content. `real_root`: `root` with its
    symlinks resolved, made once for many files by the caller (else here, for this one).

    Works on strings: a build reads every file of the corpus, and making `Path` objects and
    the shown path of each (wanted only for a warning) cost a fifth of reading a text file."""
    full, base = os.fspath(path), os.fspath(root)
    if full.startswith(base + os.sep):
        source = full[len(base) + 1 :].replace(os.sep, "/")
    else:
        source = Path(full).relative_to(base).as_posix()
    problems: list[Problem] = []

    def warn(message: str, line: int | None = None) -> None:
        problems.append(Problem(display(Path(full)), message, line))

    try:
        data = read_file(full, real_root or os.path.realpath(base))
        text, utf8 = decode_text(data, warn)
        article, body = parse_article(
            text,
            source=source,
            digest=file_digest(source, data),
            markdown_body=full.lower().endswith(MARKDOWN_SUFFIXES),
            warn=warn,
            # The file's bytes tell it at `memchr`'s speed, where the text was encoded again.
            other_scripts=not utf8 or may_hold_other_scripts_utf8(data),
        )
    except SkipFile as skip:
        warn(f"{skip.message}; skipped", skip.line)
        return ReadResult(None, None, tuple(problems), timed_out=isinstance(skip, OutOfBudget))
    except OSError as exc:
        warn(f"cannot read: {exc.strerror or exc}; skipped")
        return ReadResult(None, None, tuple(problems), unreadable=True)
    return ReadResult(article, body, tuple(problems))


def read_file(path: str, real_root: str | None = None) -> bytes:
    """An article file's bytes, refused (SkipFile) above MAX_ARTICLE_BYTES. Plain system
    calls: `open` made a buffered file object and five more calls (an ioctl, two lseeks, two
    fstats), ten a file where these are five: 6 against 12 us a file here, for every file of
    a cold build.

    The listing (`find_sources`) refused symlinks out of the source folder `root` and named
    pipes, but a file can be replaced between the listing and the read: a symlink to a file
    outside, renamed over it, was published, and a named pipe made the build wait for ever
    in `open`. So the file is opened without waiting (a pipe opens at once), and what was
    opened must be a regular file inside the source folder, `real_root` (`opened_inside`)."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    try:
        stat = os.fstat(fd)
        if not S_ISREG(stat.st_mode):
            raise SkipFile("not a regular file (a pipe or a device) when it was read")
        if real_root is not None and not opened_inside(fd, real_root):
            raise SkipFile("led outside the source folder when it was read (a symlink)")
        size = stat.st_size
        if size > MAX_ARTICLE_BYTES:
            raise SkipFile(f"{size / 1e6:.1f} MB, more than an article's limit of 2 MB")
        chunks, total = [], 0
        want = size + 1  # one read for the file, one to see its end (it may have grown)
        while chunk := os.read(fd, want):
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_ARTICLE_BYTES:  # it grows as it is read: a log, a download
                raise SkipFile("more than an article's limit of 2 MB as it was read")
            want = 1 << 16
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def opened_inside(fd: int, real_root: str) -> bool:
    """Whether the file open as `fd` lies inside the folder `real_root` (symlinks resolved:
    made again for each build, as `watch` follows a source folder replaced by a symlink).
    Linux names an open file's real path in /proc (one system call, 1-2 us); where nothing
    does (macOS, a sandbox without /proc), the listing's check stands alone."""
    try:
        where = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return True
    return where.startswith(real_root.rstrip(os.sep) + os.sep)


def file_digest(source: str, data: bytes) -> str:
    """Names what an article's file held. SHA-256, cut to 128 bits: CPUs hash it in hardware,
    twice as fast as BLAKE2b here (8.5 against 16.6 us for 10 KB)."""
    return hashlib.sha256(source.encode() + b"\0" + data).hexdigest()[:32]


# How a build keeps a body until its page is rendered (`pack_body`): the first byte says.
UTF8_BODY, LZ4_BODY = b"U", b"L"
# A build that reads this many articles or more keeps their bodies compressed with LZ4: half
# the memory, for 13 us an article there and back of the 18 us it took with the encoding. At
# 10,000 articles, keeping them as UTF-8 took 0.3 s less CPU and 17 MB more at the peak (263
# against 246 MB); at 100,000, LZ4 keeps about 170 MB off a peak of 1.7 GB.
COMPRESS_BODIES_FROM = 30_000


def pack_body(body: Body, compress: bool = False) -> bytes:
    """A body's HTML as a build keeps it until its page is rendered: UTF-8 (a text with one
    curly quote is two bytes a character as a string), compressed with LZ4 if `compress`.
    Workers hold a share of the corpus each."""
    data = body.html.encode("utf-8")
    if not compress:
        return UTF8_BODY + data
    import lz4.block  # imported here: a rebuild with nothing to do keeps no bodies

    return LZ4_BODY + lz4.block.compress(data, store_size=True)


def unpack_body(packed: bytes) -> Body:
    data = memoryview(packed)[1:]  # not copied
    if packed[:1] == UTF8_BODY:
        return Body(str(data, "utf-8"), ())
    import lz4.block

    return Body(lz4.block.decompress(data).decode("utf-8"), ())


def kept_body(bodies: Mapping[str, bytes], root: Path, article: Article) -> Body:
    """An article's body from those this process read (packed), else from its file."""
    packed = bodies.get(article.source)
    return unpack_body(packed) if packed is not None else load_body(root, article)


def load_body(root: Path, article: Article) -> Body:
    """Read an article's body again (the metadata came from the cache).

    If the file changed since its metadata was read, the body still comes from the file: a page
    then shows the newer text, and the next build brings the metadata up to date.
    """
    result = read_article(root / article.source, root)
    return Body(result.body.html if result.body else "", ())  # as workers keep it: HTML only


def decode(data: bytes, warn: Any) -> str:
    """Bytes to text with normalised newlines; refuse binaries, rescue Windows-1252 files.

    Old corpora hold files saved by Windows editors: those decode as Windows-1252 (a superset of
    Latin-1 for printable text), which is right far more often than dropping the article.
    """
    return decode_text(data, warn)[0]


def latin1_with_nel_breaks(data: bytes) -> bool:
    """Whether a file not in UTF-8 is Latin-1 with NEL line breaks (a mainframe's export),
    which Windows-1252 reads as "…": the whole file had been its title (the hostile helper).
    So when it has no other line break, a blank line of NELs with text after it (after an
    article's title), and no other byte that Windows-1252 reads as punctuation: a line of
    Windows-1252 with an ellipsis in it had been cut there (the code review)."""
    return (
        b"\x85\x85" in data.rstrip(b"\x85")
        and b"\n" not in data
        and b"\r" not in data
        and not WINDOWS_PUNCTUATION.search(data)
    )


WINDOWS_PUNCTUATION = re.compile(rb"[\x80-\x84\x86-\x9f]")  # but 0x85, "…" or NEL


def decode_text(data: bytes, warn: Any) -> tuple[str, bool]:
    """`decode`, and whether the text is `data`'s UTF-8 (its characters are among those of
    `data`, which can then be looked through as bytes), as for most files."""
    controls = True  # whether the text may hold some: most files are quickly shown to hold none
    utf8 = False
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:  # cut short, or half a surrogate pair
            warn(f"damaged UTF-16 at byte {exc.start}; what cannot be read shows as U+FFFD")
            text = data.decode("utf-16", errors="replace")
    elif 0 in data and (found := utf16_without_bom(data)) is not None:  # NUL: see BYTES_IN
        utf16, body = found
        if len(body) < len(data):
            cut = len(data) - len(body)
            warn(f"{cut} byte(s) after the UTF-16 text (NULs a crash leaves, half a character)")
        try:
            text = body.decode(utf16)
        except UnicodeDecodeError as exc:  # half a surrogate pair
            warn(f"damaged UTF-16 at byte {exc.start}; what cannot be read shows as U+FFFD")
            text = body.decode(utf16, errors="replace")
    else:
        if 0 in data:
            data = without_stray_nuls(data, warn)
        try:
            text = data.decode("utf-8-sig")
            controls, utf8 = may_hold_controls(data), True
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            text = data.decode("utf-8-sig", errors="replace")
            good, bad = utf8_counts(text)
            mixed = data.decode("utf-8-sig", errors=WINDOWS_1252_BYTES) if good else ""
            if good and (good >= bad or (4 * good >= bad and not looks_misread(mixed))):
                text = mixed
                silence = "save the file as UTF-8 to silence this"
                warn(f"bytes that are not UTF-8, read as Windows-1252 ({silence})", line)
            else:
                text, name = data.decode("cp1252", errors="replace"), "Windows-1252"
                if looks_misread(text) and (found := other_encoding(data)) is not None:
                    name, text = found
                elif latin1_with_nel_breaks(data):
                    text, name = data.decode("latin-1"), "Latin-1"
                silence = "save the file as UTF-8 to silence this"
                warn(f"not valid UTF-8; read as {name} ({silence})", line)
    if "\r" in text:
        # "\r\r\n": CRLF converted to CRLF again (a transfer in text mode from Windows), one
        # line break, not two: each wrapped line had been a paragraph (the hostile helper)
        text = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    if (controls or not text.isascii()) and any(c in text for c in OTHER_LINE_BREAKS):
        text = text.translate(AS_NEWLINES)
    return (CONTROL.sub("", text) if controls else text), utf8


# Encodings of other scripts than Latin, tried when a file read as Windows-1252 is plainly no
# Western text. Not all encodings: on short Western texts, detection picked Central European,
# Big5 or EBCDIC code pages ("São Paulo" as cp1250), worse than Windows-1252.
OTHER_SCRIPT_ENCODINGS = (
    *("cp1251", "koi8_r", "cp866", "cp1253", "cp1255", "cp1256", "cp874"),
    *("cp932", "euc_jp", "gb18030", "big5", "cp949"),
)
ACCENTED = re.compile("[\u00c0-\u00ff]")  # À to ÿ: what Cyrillic or Greek bytes become in it
UNACCENTED_LETTERS = re.compile("[A-Za-z]")
# Four accented letters in a row, which no word of a Western language has: "Ïðèâåò" was
# "Привет", a Russian quote in an English text of Windows-1251 (the hostile helper).
ACCENTED_WORD = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]{4}")


def looks_misread(text: str) -> bool:
    """Whether text read as Windows-1252 is plainly not: bytes undefined there (U+FFFD), a
    word of accented letters only (`ACCENTED_WORD`), or mostly such words ("Ïðåçèäåíò" was
    "Президент" in Windows-1251). Western languages accent a few letters in ten at most."""
    if "\ufffd" in text or ACCENTED_WORD.search(text):
        return True
    accented = len(ACCENTED.findall(text))
    return accented > 0.4 * (accented + len(UNACCENTED_LETTERS.findall(text)))


def other_encoding(data: bytes) -> tuple[str, str] | None:
    """The encoding of another script the bytes are most likely in, and the text, by
    charset-normalizer's statistics; None when none fits."""
    from charset_normalizer import from_bytes  # only for such files

    best = from_bytes(data, cp_isolation=list(OTHER_SCRIPT_ENCODINGS)).best()
    return None if best is None else (best.encoding, str(best))


def utf16_without_bom(data: bytes) -> tuple[str, bytes] | None:
    """ "utf-16-le" or "utf-16-be" for text saved as UTF-16 without a byte order mark, told by
    its zero bytes: the high bytes of Latin letters, nearly all on one side of each pair (a
    few characters such as 一, U+4E00, have a zero low byte); and the text without what follows
    it: zeros a crash left, an odd last byte. Else None."""
    zeros = len(data) - len(data.rstrip(b"\x00"))
    body = data[: len(data) - zeros // 2 * 2]  # the trailing zeros in pairs, at one cut
    body = body[: len(body) - len(body) % 2]
    if len(body) < 4:
        return None
    even, odd, half = body[0::2].count(0), body[1::2].count(0), len(body) // 2
    few = max(2, UTF16_OTHER_ZEROS * half)
    if odd > 0.6 * half and even <= few:
        return "utf-16-le", body
    if even > 0.6 * half and odd <= few:
        return "utf-16-be", body
    return None


UTF16_OTHER_ZEROS = 0.05  # zero bytes on the other side of the pairs, at most, as a share


# More NUL bytes than this, and it is no text with a few NULs in it: a share of its bytes, or
# a few in a short file.
MAX_STRAY_NULS, FEW_STRAY_NULS = 0.01, 2


def without_stray_nuls(data: bytes, warn: Any) -> bytes:
    """Text with a few NUL bytes (the zeros a crash leaves at a file's end, a stray one) loses
    them, with a warning; a file with many is binary (SkipFile)."""
    trimmed = data.rstrip(b"\x00")
    controls = len(trimmed) - len(trimmed.translate(None, C0_BYTES))  # NULs among them
    if controls > max(FEW_STRAY_NULS, MAX_STRAY_NULS * len(trimmed)):
        raise SkipFile("binary file, not text")
    warn(f"{data.count(0)} NUL bytes, which text does not hold; removed")
    return trimmed.replace(b"\x00", b"")


def windows_1252_byte(exc: UnicodeError) -> tuple[str, int]:
    """A codec error handler: a lone byte that is not UTF-8 read as Windows-1252 reads it
    ("\xe9" is "é", "\x93" is "“"): text pasted in the other encoding. A sequence cut short
    (the first bytes of a character), 0xFF (no letter of a Western text, a junk byte) and the
    bytes Windows-1252 leaves undefined show as U+FFFD."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    if len(bad) == 1 and bad != b"\xff":
        return bad.decode("cp1252", errors="replace"), exc.end
    return "\ufffd", exc.end


WINDOWS_1252_BYTES = "sitegen-windows-1252-bytes"
codecs.register_error(WINDOWS_1252_BYTES, windows_1252_byte)


def utf8_counts(text: str) -> tuple[int, int]:
    """Of text decoded from UTF-8 with its bad bytes replaced: the characters beyond ASCII
    that UTF-8 decoded, and the bad bytes (U+FFFD). `decode_text` reads such a file as UTF-8
    with its bad bytes as Windows-1252 reads them (`windows_1252_byte`) when it holds as many
    good characters as bad bytes, or more: a stray byte in a file of curly quotes and accents.
    Read as Windows-1252 whole, one bad byte had turned every "é" of the file into "Ã©", even
    in a short file of one "é" (the README helper). Likewise when a fifth or more are good and
    the result reads as Western text: a UTF-8 title "café" over a body with Latin-1 pasted in
    had the title "cafÃ©" (the judge rehearsal). Windows-1252 text rarely holds what reads as
    UTF-8 (an accented capital before a symbol, "SOCIÉTÉ»" holds "É»", U+027B), and then
    among far more bytes that do not."""
    bad = text.count("\ufffd")
    return sum(1 for char in text if char > "\x7f") - bad, bad


def may_hold_controls(utf8: bytes) -> bool:
    """Whether UTF-8 bytes may hold a character that `CONTROL` removes: a quick test, so that
    most files skip the regex, which tests a character class at every character (3 against
    12 us for 2.6 KB of text). True for any text with a character from U+0080 to U+00BF (a
    no-break space, a guillemet), which then goes through the regex."""
    if len(utf8.translate(None, CONTROL_BYTES)) == len(utf8):
        return False  # one pass, for most files: five searches took 17 of their 20 us
    if len(utf8.translate(None, C0_BYTES)) != len(utf8):
        return True
    return not utf8.isascii() and any(utf8.find(lead) >= 0 for lead in C1_OR_NONCHAR_LEADS)


def short_slug(text: str, limit: int = SLUG_CHARS) -> str:
    """`text` as a slug of at most `limit` characters, cut after the last whole word that fits.
    python-slugify's own cut (`word_boundary`) skips a word too long to fit and goes on with
    the shorter ones after it: "bundestag-verabschiedet-rules-on-in-landmark" left out the
    law the title named, and a title whose first word is longer than `limit` kept none. A
    name Windows keeps for a device takes "-1" (`WINDOWS_DEVICE_NAMES`). An apostrophe within
    a word goes, straight as curly: "Kiev's" had been "kiev-s" and "Powell’s" "powells"."""
    if "'" in text:
        text = APOSTROPHE_IN_WORD.sub("", text)
    slug = slugify(text)
    if len(slug) > limit:
        slug = slug[: limit + 1].rpartition("-")[0] or slug[:limit]
    return f"{slug}-1" if slug in WINDOWS_DEVICE_NAMES else slug


APOSTROPHE_IN_WORD = re.compile(r"(?<=\w)'(?=\w)")

# Names Windows keeps for devices, in any case and with any extension: a folder "aux" or "con"
# (a tag "CON", a title "Aux") cannot be made there, so a site deployed to, or copied onto, a
# Windows file system lost those pages. Such a slug takes "-1" ("aux-1"); a clash with another
# ("Aux 1") is told apart as any other.
WINDOWS_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))}
)


def parse_article(
    text: str,
    *,
    source: str,
    digest: str,
    markdown_body: bool,
    warn: Any,
    other_scripts: bool = True,
) -> tuple[Article, Body]:
    """Turn a file's text into an Article and its Body, or raise SkipFile. `other_scripts`:
    False where the text is known to hold no letters of another script than Latin (its
    front matter may make some: "\\u0627" in a title)."""
    if not text.strip():
        raise SkipFile("empty file")
    meta, body, body_line = split_front_matter(text, warn)
    # Blank lines before the date line (after front matter, or at the top) are harmless.
    blank = LEADING_BLANK_LINES.match(body)
    if blank:
        body_line += blank.group().count("\n")
        body = body[blank.end() :]
    first, _, rest = body.partition("\n")  # not split: the rest can be a long text
    header = HEADER.fullmatch(first.rstrip())
    if header:
        header_date, header_title = header["date"], clean_text(header["title"] or "")
        body = rest
        body_line += 1
    elif "date" in meta:
        header_date, header_title = None, ""
    elif text.startswith(("---", "+++")) and (named := JEKYLL_NAME.match(source)) is not None:
        # Jekyll's posts: "_posts/2024-01-03-council-votes.md", the day in the file's name.
        try:
            meta["date"] = parse_date(named[1], None)
        except SkipFile:
            raise SkipFile(f"the day its name begins with, {named[1]}, is no date") from None
        header_date, header_title = None, ""
    elif markdown_body and not meta and (pelican := pelican_metadata(body, warn, body_line)):
        meta, body, lines = pelican
        body_line += lines
        if "date" not in meta:
            raise SkipFile("its metadata (Pelican's 'Title: ...' lines) has no 'Date:'", 1)
        header_date, header_title = None, ""
    elif first.strip() == "---" and not text.startswith("---"):
        if blank:
            raise SkipFile("front matter must start on the first line: blank lines come first", 1)
        raise SkipFile(
            "the `---` that opens front matter must begin its line, with no space before it",
            body_line,
        )
    elif meta:
        raise SkipFile(
            "no date: its front matter has no 'date:', and no date line (' date YYYY-MM-DD "
            "Title') follows it",
            body_line,
        )
    elif markdown_body:  # a README.md among the articles: say what a Markdown article takes
        raise SkipFile(
            "no date: a Markdown article starts with front matter giving its 'date:' (or a "
            "' date YYYY-MM-DD Title' line)",
            body_line,
        )
    else:
        raise SkipFile("no date line: the first line must read ' date YYYY-MM-DD Title'", body_line)

    date = meta["date"] if "date" in meta else parse_date(header_date or "", body_line - 1, warn)
    byline_line = None
    if "byline" not in meta:  # counted, not stripped: `split_byline` copies the body once already
        lead = LEADING_BLANK_LINES.match(body)
        byline_line = body_line + (lead.group().count("\n") if lead else 0)
    byline, body = split_byline(body, warn, byline_line, bare=bool(header) and not markdown_body)
    if "byline" in meta:  # "By Jane Doe" as the text writes it: "By By Jane Doe" on the page
        given = BYLINE.fullmatch(meta["byline"])
        byline = given["name"] if given else meta["byline"]
    # "By ㅤ", a Hangul filler: "By" and a blank; or `byline: By` alone
    if byline and (shows_nothing(byline) or EMPTY_BYLINE.fullmatch(byline.strip())):
        warn(f"a byline naming nobody ({clipped(ascii(byline))}); left out", byline_line)
        byline = ""

    dropped_ids = 0

    def warn_about_id(message: str, heading_id: str, nth: int) -> None:  # at its `{: #id }`
        nonlocal dropped_ids
        dropped_ids += 1
        if dropped_ids <= MAX_SAME_WARNINGS:  # each looks through the text for its line
            line = line_of(text, heading_id) if nth < 0 else id_line(text, heading_id, nth)
            warn(message, line)

    body_html, paragraphs = render_body(body, markdown_body, warn_about_id)
    if not body_html:  # published, for it may be a brief that is its title; but said
        warn("no text after its title and byline; its page shows those alone")
    if dropped_ids > MAX_SAME_WARNINGS:
        warn(f"{dropped_ids - MAX_SAME_WARNINGS:,} more heading ids or attributes are dropped")
    title = meta.get("title") or header_title
    if not title or shows_nothing(title):  # zero-width characters only: an invisible link
        title = fallback_title(paragraphs)
        warn(f"empty title; using {clipped(title)!r}", body_line - 1 if header else None)
    if markdown_body:
        body_html, paragraphs = without_title_heading(body_html, paragraphs, title)
        body_html = headings_under_the_title(body_html)
        body_html, orphans = without_dead_backlinks(body_html)
        for label in orphans[:MAX_SAME_WARNINGS]:
            warn(
                f"the note [^{clipped(label)}] is never referred to in the text; shown at the "
                "end without a link back",
                line_of(text, f"[^{label}]:"),
            )
    # After the heading that repeats the title is left out: a link to its id leads nowhere.
    if markdown_body and 'href="#' in body_html:
        missing = missing_places(body_html)
        for place in missing[:MAX_SAME_WARNINGS]:
            warn(
                f"its Markdown links to #{clipped(place)}, which no heading or note names",
                line_of(text, f"(#{place}"),
            )
        if len(missing) > MAX_SAME_WARNINGS:
            more = len(missing) - MAX_SAME_WARNINGS
            warn(f"its Markdown links to {more:,} more places that no heading or note names")
    title_line = body_line - 1 if header and not meta.get("title") else None
    title = shortened(title, MAX_TITLE_CHARS, "title", warn, title_line)
    title = bidi_closed(title, "title", warn, title_line)
    byline = shortened(byline, MAX_BYLINE_CHARS, "byline", warn, byline_line)
    byline = bidi_closed(byline, "byline", warn, byline_line)
    summary = meta.get("summary") or meta.get("description", "")
    if summary and shows_nothing(summary):
        warn(f"a summary that shows nothing ({clipped(ascii(summary))}); the text's first is used")
        summary = ""
    summary = shortened(summary, MAX_SUMMARY_CHARS, "summary", warn)
    summary = bidi_closed(summary, "summary", warn)
    tags = given_tags(meta.get("tags", ()), warn)
    file_id = article_id(source)
    other_scripts = may_hold_other_scripts(title) or (
        other_scripts and may_hold_other_scripts(body)
    )
    lang = meta.get("lang") or (detect_language((title, *paragraphs)) if other_scripts else "")
    if other_scripts or direction(lang):  # else no paragraph can be in another script
        if markdown_body:
            body_html = blocks_marked(body_html, lang)
        elif attributes := paragraph_attributes(paragraphs, lang):
            body_html = paragraphs_html(paragraphs, attributes)
    lead = lead_paragraph(body_html) if markdown_body else paragraphs[:1]
    given = meta.get("slug") and short_slug(meta["slug"])
    if meta.get("slug") and not given:  # "\u200b", "../..": no letter or digit to keep
        warn(f"slug: {clipped(ascii(meta['slug']))} makes no address; the title's is used")
    slug = given or short_slug(title) or file_id
    article = Article(
        source=source,
        id=file_id,
        date=date,
        title=title,
        byline=byline,
        slug=slug,
        summary=summary or bidi_closed(summarize(lead), "summary", warn),
        words=word_count(paragraphs) + unspaced_words(paragraphs, lang),
        tags=tags,
        draft=meta.get("draft", False) or not meta.get("published", True) or in_drafts(source),
        digest=digest,
        links=local_links(body_html) if markdown_body else (),
        lang=lang,
        slug_given=bool(given),
    )
    # Markdown's paragraphs are its text as shown, which "&#1575;" can make Arabic.
    return article, Body(body_html, paragraphs, markdown_body or other_scripts)


LINK_OR_IMAGE = re.compile(r'<(a|img)\b[^>]*?\b(?:href|src)="([^"]*)"')


def local_links(safe: str) -> tuple[tuple[str, str], ...]:
    """The links and images of sanitised HTML that may lead within the site, each once, in
    order: relative ones (no scheme, no host), and web addresses, which the build keeps when
    they name base_url's host (the reader does not know it); links to a place on the same page
    ("#notes") left out."""
    found: dict[tuple[str, str], None] = {}
    for element, attribute in LINK_OR_IMAGE.findall(safe):
        url = html.unescape(attribute).strip()
        if url and not url.startswith("#") and (is_local_url(url) or is_web_url(url)):
            found[("image" if element == "img" else "link", url)] = None
    return tuple(found)


# Far beyond any real headline, byline, summary or tag list: these are repeated on many pages
# (a title on every list and feed that carries the article, a tag list in every tag's feed).
MAX_TITLE_CHARS = 500
MAX_BYLINE_CHARS = 300
MAX_SUMMARY_CHARS = 1000
MAX_FRONT_TAGS = 50
MAX_TAG_CHARS = 100  # "Ministry of Foreign Affairs of the People's Republic of China": 61


def given_tags(tags: tuple[str, ...], warn: Any) -> tuple[str, ...]:
    """Front matter tags as they can be shown: each becomes a page title, a link on every
    list that shows the article and a feed. Without limits, ten files of long tag names made
    a site of 1.2 GB."""
    if len(tags) > MAX_FRONT_TAGS:  # each tag page lists the article, each tag feed its tags
        warn(f"{len(tags)} tags in the front matter; the first {MAX_FRONT_TAGS} are kept")
        tags = tags[:MAX_FRONT_TAGS]
    kept: dict[str, None] = {}
    for tag in tags:
        if not tag:
            warn("an empty front matter tag (a blank item of the list); left out")
            continue
        if shows_nothing(tag):  # zero-width characters only: an invisible link
            warn(f"a front matter tag shows nothing ({clipped(ascii(tag))}); left out")
            continue
        tag = bidi_closed(shortened(tag, MAX_TAG_CHARS, "tag", warn), "tag", warn)
        kept[tag] = None
    return tuple(kept)


# A stack of combining marks over one letter ("Zalgo" text): over a few, it draws through the
# lines above and below, over the site's header from a title, and a stripe down a list of
# related articles; 8 still reached the line above a list's title. Letters of real words carry
# one to three of these (IPA's most); the marks of scripts that stack more (Tibetan, Hebrew's
# points) are not in the class.
MAX_MARKS = 4
_MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_MARK_STACK = re.compile(f"([{_MARKS}]{{{MAX_MARKS}}})[{_MARKS}]+")


def without_mark_stacks(text: str) -> str:
    return text if text.isascii() else _MARK_STACK.sub(r"\1", text)


def line_of(text: str, needle: str) -> int | None:
    """The line of `text` where `needle` first is, for a warning about it; None if nowhere."""
    at = text.find(needle)
    return None if at < 0 else text.count("\n", 0, at) + 1


def text_of(path: Path) -> str:
    """A file's text read again, as lines count in it (CRLF or not), for the few warnings the
    build gives about an article after reading it (a link that leads nowhere, a date next
    year); "" where it cannot be read now."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_ARTICLE_BYTES + 1)
    except OSError:
        return ""
    return data.decode("utf-8", errors="replace")


# Warnings of one kind about one file, each with its line, before the rest are only counted:
# each line is looked for through the text, and a file of 10,000 headings of one id took 14 s
# to read, and printed 9,999 warnings (the hostile helper).
MAX_SAME_WARNINGS = 10


def id_line(text: str, heading_id: str, nth: int = 0) -> int | None:
    """The line of `text` where an attribute list gives `heading_id` the `nth` time (from 0):
    "## Later {: #later }", "{#later}"."""
    given = re.compile(r"\{:?[^}\n]*#" + re.escape(heading_id) + r"(?=[\s}])")
    found = next(itertools.islice(given.finditer(text), nth, None), None)
    return None if found is None else text.count("\n", 0, found.start()) + 1


def line_in_file(path: Path, needle: str) -> int | None:
    """`line_of` in a file's text, read again (`text_of`)."""
    return line_of(text_of(path), needle)


def shortened(text: str, limit: int, what: str, warn: Any, line: int | None = None) -> str:
    """`text` cut at a word before `limit` characters, and its stacks of combining marks to
    `MAX_MARKS`, with a warning (naming `line`, the file's line of the text), when longer."""
    if (capped := without_mark_stacks(text)) != text:
        warn(f"{what} stacks over {MAX_MARKS} combining marks on a letter; the rest removed", line)
        text = capped
    if len(text) <= limit:
        return text
    warn(f"{what} of {len(text):,} characters; shortened to {limit}", line)
    return text[: whole_characters_end(text, limit - 1)].rsplit(" ", 1)[0].rstrip() + "…"


# What goes on a character before it, and makes one with it: marks, the zero-width joiner of
# an emoji sequence (U+200D), variation selectors, skin tones, tag characters (a flag's).
_EXTENDING = re.compile(
    "[\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)
_REGIONAL_INDICATOR = re.compile("[\U0001f1e6-\U0001f1ff]")


def whole_characters_end(text: str, end: int) -> int:
    """`end`, or before it, where `text` can be cut without splitting a character written as
    several code points: an accent off its letter ("e" and U+0301), a flag in two ("🇺🇸"),
    an emoji family cut at a joiner. A cut through one left half a flag before the "…"."""
    if text.isascii():
        return end
    while 0 < end < len(text) and (
        _EXTENDING.match(text, end)
        or unicodedata.category(text[end])[0] == "M"
        or text[end - 1] == "\u200d"
    ):
        end -= 1
    flags = end
    while flags > 0 and _REGIONAL_INDICATOR.match(text, flags - 1):
        flags -= 1
    return end - (end - flags) % 2  # the indicators before the cut pair up into flags


def parse_date(value: str, line: int | None, warn: Any = None) -> dt.date:
    """A YYYY-MM-DD date. A year-first date written otherwise (2026-2-6, 2026/02/06, a time of
    day after it) is read too, with a warning when `warn` is given: it is unambiguous, and
    skipping the file would lose the article. Day-first or month-first forms are skipped.
    Invisible characters pasted with it (a right-to-left mark, a zero-width space) go."""
    if not ISO_DATE.fullmatch(value) and (bare := INVISIBLE.sub("", value)) != value:
        if warn is not None:
            shown, read_as = clipped(ascii(value)), clipped(bare)
            warn(f"date {shown} holds invisible characters; read as {read_as!r}", line)
        value = bare
    if not ISO_DATE.fullmatch(value):
        loose = LOOSE_DATE.fullmatch(value)
        if loose is None:
            raise SkipFile(f"{clipped(value)!r} is not a date in YYYY-MM-DD form", line)
        year, _, month, day = loose.groups()
        iso = f"{year}-{int(month):02d}-{int(day):02d}"
        if warn is not None:
            warn(f"date {value!r} read as {iso} (write dates as YYYY-MM-DD)", line)
        value = iso
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise SkipFile(f"impossible date {clipped(value)}", line) from None
    if warn is not None:
        warn_of_unlikely_year(date, line, warn)
    return date


# 0001-01-01 is the "no date" of many programs: such an article was published in silence, with
# archive pages for the year 1 (the judge rehearsal). Still published, with a warning.
EARLIEST_LIKELY_YEAR = 1000


def warn_of_unlikely_year(date: dt.date, line: int | None, warn: Any) -> None:
    if date.year < EARLIEST_LIKELY_YEAR:
        warn(f"dated {date}, before the year {EARLIEST_LIKELY_YEAR}: a placeholder or typo?", line)


# A front matter date with a time of day as programs write one: RFC 3339 (Hugo), with a space
# for the "T", seconds or not, a zone or not, "+0100" after a space (Jekyll), "10:20" after a
# day in any form `parse_date` reads (Pelican).
FRONT_MATTER_TIME = re.compile(
    r"([0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2})[Tt ]+(?:[01]?[0-9]|2[0-3]):[0-5][0-9]"
    r"(?::(?:[0-5][0-9]|60)(?:[.,][0-9]+)?)?"
    r"(?: ?(?:[Zz]|[+-](?:[01][0-9]|2[0-3])(?::?[0-5][0-9])?))?"
)

# Year first, with one or two digits for the month and day, any of three separators, perhaps a
# time of day (which the site does not show): "2026-2-6", "2026/02/06", "2026-02-06T10:00:00Z".
LOOSE_DATE = re.compile(
    r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})"
    r"(?:T(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::(?:[0-5][0-9]|60)(?:\.[0-9]+)?)?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])?)?"
)


def split_byline(
    body: str, warn: Any = None, line_number: int | None = None, bare: bool = False
) -> tuple[str, str]:
    """Take a `By ...` line off the top of the body, if there is one: in English, Arabic,
    Russian, French, German, Spanish, Portuguese, Italian or Dutch, told by its shape, not by
    the article's language, which a corpus file does not state.

    A byline names someone and is not a sentence, so a first paragraph such as "By noon the
    square was empty." stays in the text, and nor is it a heading: "By the numbers: 5 killed,
    12 injured". A stop after an abbreviation or an initial ends no sentence: "By John Smith
    Jr.", "By Acme Inc." A line of "By" alone names nobody: it goes, with a warning.

    `bare`: in the corpus's format (a date line first), where the line after it is the byline,
    a line of names alone is one too (`bare_byline`): "Prensa Latina", "Tehran Times" were the
    first paragraph, so their outlet a tag of each article they wrote (the tag helper).
    """
    lead = LEADING_BLANK_LINES.match(body)
    first, *after = BLANK_LINE.split(body[lead.end() :] if lead else body, 1)
    rest = after[0] if after else ""
    line = first.strip()
    if EMPTY_BYLINE.fullmatch(line):
        if warn is not None:
            warn(f"a byline line naming nobody ({clipped(line)!r}); left out", line_number)
        return "", rest
    match = BYLINE.fullmatch(line)
    if match is None and line.startswith(OTHER_BYLINE_WORDS):  # one str test on most articles
        match = OTHER_BYLINE.fullmatch(line)
        if match is not None and not (match["colon"] or names_only(match["name"])):
            match = None
    if match is None and bare and after and bare_byline(line):
        return line, rest
    if (
        match
        and "\n" not in line
        and len(line) <= MAX_BYLINE_LINE
        and not (line.endswith((".", "!", "?", "”", '"')) and not ABBREVIATED.search(line))
        and ": " not in match["name"]
    ):
        return match["name"].strip(), rest
    return "", body


# The first words of a byline, and of sentences that start like one ("Von der Leyen arrived"):
# a line starting with one is read as `BYLINE` and `OTHER_BYLINE` say, never as a bare byline.
BY_WORDS = frozenset({"By", "BY", "by", "By:", "BY:", *OTHER_BYLINE_WORDS})


def bare_byline(line: str) -> bool:
    """Whether a line without "By" is a byline: a wire or newsroom alone ("AFP", "Reuters"), or
    two to eight capitalised words and the small words of lists of names, with no stop at its
    end ("Prensa Latina", "Press TV Staff", "Jane Doe and Mark Roe, IRNA"). Not a first
    paragraph ("Tehran, Iran." ends with a stop), nor a heading that starts as a sentence
    does ("The Story So Far")."""
    words = line.replace(",", " ").split()
    if not words or words[0] in BY_WORDS:
        return False
    if len(words) == 1:
        return words[0] in NEWSROOMS or (
            len(words[0]) > 1 and words[0].isalpha() and words[0].isupper()
        )
    return (
        len(words) <= MAX_BARE_BYLINE_WORDS
        and len(line) <= MAX_BARE_BYLINE_CHARS
        and line[-1] not in BARE_BYLINE_ENDS
        and words[0] not in SENTENCE_OPENERS
        and all(is_capitalised(word) or word in NAME_LINKS or word in LIST_WORDS for word in words)
        and sum(map(is_capitalised, words)) >= 2
    )


MAX_BARE_BYLINE_WORDS = 8
MAX_BARE_BYLINE_CHARS = 80
BARE_BYLINE_ENDS = frozenset(".!?:;\"”’'…")
LIST_WORDS = frozenset({"and", "&"})
SENTENCE_OPENERS = frozenset(
    {"The", "A", "An", "In", "On", "At", "As", "For", "With", "This", "That", "These", "What"}
    | {"How", "Why", "When", "Who", "Where", "It", "We", "I", "He", "She", "They", "Our", "My"}
)


def names_only(names: str) -> bool:
    """Whether the text after a French, German, Spanish, Portuguese, Italian or Dutch byline
    word names people, as a byline does, rather than going on as a sentence: each of these
    words also starts English text ("Di Maio said on Tuesday", "Von der Leyen arrived"), and,
    unlike "By", none is English for "by".

    Names are capitalised words, with the small words names and lists of them hold between
    them ("Jan de Vries en Piet Jansen"). The first name starts with a capital and is a first
    and last name ("Hans Müller"), or one word for an agency or newsroom ("AFP", "Reuters",
    "dpa"): one capitalised word alone is more likely a surname, the story's subject ("Di
    Maio", "Von Braun"). After a comma, any capitalised words: "Von Hans Müller, Berlin"."""
    first, *others = names.split(",")
    words = [word.strip("()") for word in first.split()]
    if len(words) == 2 and words[0].casefold() in NEWSROOM_ARTICLES:
        # "Par la rédaction", "Door de redactie", "Por la redacción", "Von der Redaktion":
        # the newsroom, in small letters too; "Von der Leyen" names no newsroom.
        named = words[1].casefold() in FOLDED_NEWSROOMS
    elif len(words) == 1:
        named = words[0] in NEWSROOMS or (len(words[0]) > 1 and words[0].isupper())
    else:
        named = (
            len(words) > 1
            and is_capitalised(words[0])
            and sum(map(is_capitalised, words)) >= 2
            and _names_words(first)
        )
    return named and all(map(_names_words, others))


def _names_words(text: str) -> bool:
    """Capitalised words and the small words between them, at least one capitalised; an
    agency may stand among them in its own case ("Von Lena Groß (dpa)", as "(AFP)"), or alone
    after a comma ("Von Anna Müller, dpa": the article went without its byline, which became
    its summary)."""
    words = [word.strip("()") for word in text.split()]
    return any(is_capitalised(word) or word in NEWSROOMS for word in words) and all(
        is_capitalised(word) or word in NAME_LINKS or word in NEWSROOMS for word in words
    )


def is_capitalised(word: str) -> bool:
    """A name's word: "Müller", "AFP", "O'Brien", "J.", and "d'Alema" with its elision."""
    if word[:2] in ("d'", "d’", "l'", "l’"):
        word = word[2:]
    return word[:1].isupper()


MAX_BYLINE_LINE = 400  # a list of a dozen names; `MAX_BYLINE_CHARS` then shortens it
EMPTY_BYLINE = re.compile(r"(?:By|بقلم|Автор):?|(?:Par|Von|Por|Di|Door)\s?:", re.IGNORECASE)
# The end of a byline that ends with a stop: "Jr.", "Inc.", "Ph.D.", an initial ("J."). Not
# any short word: "By Monday, troops had entered Gaza." is the story's first sentence.
ABBREVIATED = re.compile(r"(?:^|\s)(?:Jr|Sr|Inc|Ltd|Co|Corp|Bros|Esq|Ph\.D|[A-Z](?:\.[A-Z])*)\.$")


# Letters NFKD leaves whole, folded as a reader would type them without the accent.
UNACCENTED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t"})


def tag_key(name: str) -> str:
    """What makes two tag names one tag: case and accents do not ("Łódź", "Lodz" and "ŁÓDŹ";
    "Zoë" and "Zoe" slugified alike but were two tags, two pages, one with a suffix). Only
    the accents of Latin, Greek and Cyrillic letters (U+0300 to U+036F once decomposed):
    Japanese voicing marks, Thai tone marks and Indic signs make other words ("バス", "パス")."""
    if name.isascii():
        return name.casefold()
    folded = unicodedata.normalize("NFKD", name.casefold())
    return ACCENTS.sub("", folded).translate(UNACCENTED)


ACCENTS = re.compile("[\u0300-\u036f]+")


def shows_nothing(text: str) -> bool:
    """Text of spaces, format characters (zero-width, bidi), controls, combining marks with no
    letter to go on, and the letters and symbols drawn blank (`DRAWN_BLANK`) only."""
    return all(unicodedata.category(char)[0] in "ZCM" or char in DRAWN_BLANK for char in text)


# Hangul's fillers and the blank Braille pattern: a letter or a symbol to Unicode, nothing on a
# page. A title of one was an invisible link on the home page, and a tag of one a tag page whose
# links showed nothing (the hostile helper).
DRAWN_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def fallback_title(paragraphs: tuple[str, ...]) -> str:
    """The first words of the first paragraph that shows something, for a title that shows
    nothing; "Untitled" if none does. A paragraph of zero-width spaces had become the title:
    an empty heading, and an empty link in every list (the hostile helper)."""
    shown = next((p for p in paragraphs if not shows_nothing(p)), "")
    words = [word for word in shown.split() if not shows_nothing(word)]
    return " ".join(words[:8]) + ("…" if len(words) > 8 else "") or "Untitled"


def word_count(paragraphs: tuple[str, ...]) -> int:
    """Paragraphs are normalised (`clean_text`): one space between words, or a list's
    `LINE_BREAK`."""
    spaces = sum(map(str.count, paragraphs, itertools.repeat(" "))) + len(paragraphs)
    return spaces + sum(map(str.count, paragraphs, itertools.repeat(LINE_BREAK)))


def article_id(source: str) -> str:
    """The 16-hex id from the file name; otherwise a hash of the path, stable across builds."""
    match = FILE_ID.search(posixpath.splitext(posixpath.basename(source))[0])
    if match:
        return match["id"]
    return path_id(source)


def path_id(source: str) -> str:
    """An id from the path alone: for a file without one in its name, or whose name has the
    id of another file."""
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def summarize(paragraphs: tuple[str, ...]) -> str:
    """The first paragraph; a long one ends after its last sentence that fits, if that leaves
    over half of what fits, else at a word boundary with "…" (never ".…"): a summary never
    ends mid-word."""
    if not paragraphs:
        return ""
    first = without_mark_stacks(paragraphs[0]).replace(LINE_BREAK, " ")
    if (start := dateline(first)) is not None and start.end() < len(first):
        first = first[start.end() :]  # on every list and in search results: the story
        first = first[:1].upper() + first[1:]  # "- climate minister Sofia Andersson said"
    if len(first) <= SUMMARY_CHARS:
        return first
    head = first[: SUMMARY_CHARS + 1]  # with the character after the last that fits
    half = SUMMARY_CHARS // 2
    for end in reversed(list(SENTENCE_STOP.finditer(head, half))):
        stop = end.start(1)
        if ends_word(head, stop, half) and not head.endswith(NOT_SENTENCE_ENDS, 0, stop):
            return head[: end.end(1)]
    cut = first[: whole_characters_end(first, SUMMARY_CHARS)].rsplit(" ", 1)[0]
    while (space := cut.rfind(" ")) > half and cut[space + 1 :].casefold() in WEAK_ENDS:
        cut = cut[:space]  # "…opened a…" says less than "…opened…"
    return cut.rstrip(" ,;:.!?-–—") + "…"


# Words a cut summary does not end on: they announce what was cut ("the talks opened a…").
WEAK_ENDS = frozenset((
    "a", "an", "the", "of", "to", "and", "or", "but", "in", "on", "at", "for", "with", "by",
    "from", "as", "that", "than", "its", "their", "his", "her", "our", "into", "over", "after",
))  # fmt: skip


# The end of a sentence, before the space that follows it: "said.", "said?”", "(2026)." An
# abbreviation or initial before the stop ends none: "Mr.", "U.S.", "J." Found from the stop:
# a pattern of the word before it too, r"\w[\w)]*([.!?][\"”’)]*) ", tried a match at every
# letter of every word (9.5 us an article); `ends_word` then tells whether a word ends at the
# stop as that pattern read one (the same ends, in 1.2 us).
SENTENCE_STOP = re.compile(r"([.!?][\"”’)]*) ")
NOT_SENTENCE_ENDS = (
    *(f" {t}" for t in ("Mr", "Mrs", "Ms", "Dr", "St", "Sen", "Rep", "Gen", "Gov", "Lt", "Col")),
    *(f" {t}" for t in ("Prof", "Rev", "Jr", "Sr", "No", "vs", "Gov", "Capt", "Sgt", "Adm")),
    *(f".{c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),  # U.S., U.K., a.m.
    *(f" {c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),  # an initial: "Donald J."
)


def ends_word(text: str, stop: int, start: int) -> bool:
    """Whether a word ends before the stop at `stop`: the closing brackets read back from it,
    within `text[start:stop]`, follow a letter, digit or "_" ("(2026)." and "said." do, "x ))."
    and "... ." do not)."""
    i = stop - 1
    while i >= start and text[i] == ")":
        i -= 1
    return i >= start and (text[i].isalnum() or text[i] == "_")  # what \w matches


# --- front matter ------------------------------------------------------------------------------


# The line that opens front matter: editors leave spaces or tabs after it (Jekyll and Hugo
# accept them), and such a file was skipped as having no date line. Not "----", nor "--- x".
FRONT_MATTER_OPENER = re.compile(r"---[ \t]*\n")


TOML_OPENER = re.compile(r"\+\+\+[ \t]*\n")
# Where tomllib says a problem is: "Expected '=' after a key (at line 2, column 7)".
TOML_AT = re.compile(r" \(at line (\d+), column \d+\)$")
# A number of over 4,300 digits, from where its digits start (so each is looked at once).
_LONG_NUMBER = re.compile(r"(?<![\d_])\d[\d_]{4300}")


def split_front_matter(text: str, warn: Any) -> tuple[dict[str, Any], str, int]:
    """Split `---` YAML `---` (or `+++` TOML `+++`, as Hugo writes it) off the top; return
    (metadata, body, line number of the body). Either line may end in spaces or tabs. A byte
    order mark or a zero-width character before the opener is read as nothing, as before a
    date line (`HEADER`): a second BOM, left by an editor that added one to a file that had
    one, hid the front matter, and the file was skipped for want of a date line."""
    invisible = INVISIBLE_LEAD.match(text)
    if invisible is not None and text.startswith(("---", "+++"), invisible.end()):
        text = text[invisible.end() :]
    toml = text.startswith("+++") and TOML_OPENER.match(text) is not None
    if not toml and (not text.startswith("---") or not FRONT_MATTER_OPENER.match(text)):
        return {}, text, 1
    lines = text.split("\n")
    closers = ("+++",) if toml else ("---", "...")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in closers), None)
    if end is None:
        raise SkipFile(f"front matter opened with '{closers[0]}' on line 1 is never closed", 1)
    raw = front_matter_toml(lines[1:end]) if toml else front_matter_yaml(lines[1:end])
    meta = check_front_matter(raw if raw is not None else {}, warn, lines[1:end])
    return meta, "\n".join(lines[end + 1 :]), end + 2


def front_matter_yaml(lines: list[str]) -> Any:
    from sitegen.yamltext import FrontMatterLoader, parse_yaml  # see `sitegen.yamltext`

    try:
        return parse_yaml("\n".join(lines), FrontMatterLoader)
    except YamlProblem as problem:
        line = problem.line + 1 if problem.line is not None else 1
        raise SkipFile(f"invalid front matter YAML: {problem.reason}", line) from None


def front_matter_toml(lines: list[str]) -> dict[str, Any]:
    """TOML front matter, which Hugo's `hugo new` writes: a site moved from Hugo had every
    such article skipped for want of a date line. Python's own reader (tomllib), its floats
    kept as written, as YAML's numbers are: `slug = 1e400` published at "inf/", and a title
    `1.50` read "1.5"."""
    import tomllib

    try:
        return tomllib.loads("\n".join(lines), parse_float=str)
    except tomllib.TOMLDecodeError as error:
        reason = str(error)
        at = TOML_AT.search(reason)
        line = int(at[1]) + 1 if at else 1
        shown = reason[: at.start()] if at else reason
        raise SkipFile(f"invalid front matter TOML: {shown}", line) from None
    except RecursionError:  # arrays in arrays, thousands deep: the reader recurses
        raise SkipFile("invalid front matter TOML: nested too deeply", 1) from None
    except ValueError:  # `title = 1111…`: Python reads no int of over 4,300 digits, and
        # tomllib lets its ValueError through: the build stopped with a traceback.
        line = next((n for n, text in enumerate(lines, 2) if _LONG_NUMBER.search(text)), 1)
        raise SkipFile("invalid front matter TOML: a number of over 4,300 digits", line) from None


# A file named for its day, as Jekyll names its posts, anywhere in the source folder.
JEKYLL_NAME = re.compile(r"(?:.*/)?([0-9]{4}-[0-9]{2}-[0-9]{2})-[^/]")


def in_drafts(source: str) -> bool:
    """Whether a file is in a folder named `_drafts`, Jekyll's for posts not yet published
    (`jekyll build --drafts` shows them, as `sitegen build --drafts` does): a site moved from
    Jekyll had its drafts published. In any case: a `_Drafts` folder from a disk that ignores
    case, as macOS's and Windows's do, was published (the hostile helper)."""
    folded = source.lower()
    return "_drafts/" in folded and "_drafts" in folded.split("/")[:-1]


# Pelican's metadata in a Markdown file, as Python-Markdown's `meta` extension reads it for
# Pelican: "Key: value" lines indented under four spaces, a value going on in lines indented
# four or more, up to a blank line or a line of the body.
PELICAN_FIELD = re.compile(r" {0,3}([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*)")
PELICAN_MORE = re.compile(r" {4,}(.*)")
PELICAN_KEYS = {"authors": "author", "modified": None}
# Statuses, Pelican's and WordPress's (which its exports to front matter keep: `status: publish`,
# `future`, `pending`, `private`), and whether each keeps the article out. Any other skips the
# file: "Status: unpublished" or "Status: draft # embargo" published the article (the hostile
# helper), and so did a YAML `status: draft`, an unknown key (the README helper).
STATUSES = {
    **{"published": False, "publish": False},
    **dict.fromkeys(("draft", "hidden", "future", "pending", "private", "trash"), True),
}
# A flag written as a word, as Pelican's `Draft: true` or an exporter's `Published: no`.
FLAG_WORDS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
PELICAN_LISTS = frozenset({"tags", "author", "category"})  # a value going on: one more name


def pelican_metadata(
    body: str, warn: Any, first_line: int
) -> tuple[dict[str, Any], str, int] | None:
    """A Markdown file's metadata as Pelican writes it ("Title: ...", "Date: 2024-01-03
    10:20", "Tags: a, b", "Status: draft", then a blank line), or None if it starts otherwise.

    Read only where a file has neither front matter nor a date line, which would be skipped:
    a site moved from Pelican had every Markdown article skipped so. It must start on the
    first line, with a title or a date among its keys; it ends at a blank line, which goes
    with it, or at a line of the body, which stays in the body (as Pelican reads it: those two
    cases were skipped, "no date line"). Pelican's `Modified:` is left out, without a warning;
    its `Category:` is a tag, as any front matter's; a date's time of day goes as in any front
    matter (`FRONT_MATTER_TIME`). A key given twice skips the file, as in YAML front matter:
    which one Pelican keeps is no promise (`Status:` twice could publish a draft)."""
    raw: dict[str, Any] = {}
    where: list[str] = []  # each line as "key:", for the line of a key's warning
    key, at, blank = "", 0, False
    twice: tuple[str, int] | None = None  # the first key given again, and its line
    while at <= len(body) and len(where) < MAX_PELICAN_LINES:
        end = len(body) if (end := body.find("\n", at)) < 0 else end
        line = body[at:end]
        if where and (more := PELICAN_MORE.fullmatch(line)):
            if isinstance(raw.get(key), str) and (value := more[1].strip()):
                joiner = ", " if key in PELICAN_LISTS else " "
                raw[key] = f"{raw[key]}{joiner}{value}" if raw[key] else value
            where.append("")
        elif (field := PELICAN_FIELD.fullmatch(line.rstrip())) is not None:
            name = field[1].lower()
            key = PELICAN_KEYS.get(name, name) or ""  # "" for a key left out
            if f"{name}:" in where or key in raw:
                twice = twice or (field[1], first_line + len(where))
            where.append(f"{name}:")
            value = field[2].strip()
            if name == "status":
                held = keeps_out("Status", value, first_line + len(where) - 1)
                raw["draft"] = raw.get("draft") is True or held
            elif key in ("draft", "published"):  # a word, else its type is refused
                raw[key] = FLAG_WORDS.get(value.lower(), value)
            elif key:
                raw[key] = value
        else:  # a blank line ends it, and goes with it; any other starts the body
            blank = not line.strip()
            at = end + 1 if blank else at
            break
        at = end + 1
    if not any(line in ("title:", "date:") for line in where):
        return None
    if twice:
        raise SkipFile(f"its metadata gives {twice[0]!r} twice", twice[1])
    return check_front_matter(raw, warn, where, first_line), body[at:], len(where) + blank


MAX_PELICAN_LINES = 1_000  # lines of metadata; a file of "Key: value" lines is no article


def known_statuses() -> str:
    """ "published, publish, draft, ... and trash": every status `STATUSES` reads, from it
    (a list written out left out `publish` and `trash`: the hostile helper)."""
    *rest, last = STATUSES
    return f"{', '.join(rest)} and {last}"


def keeps_out(key: str, status: Any, line: int | None) -> bool:
    """Whether a status (`STATUSES`) keeps its article out, as a draft; SkipFile for any other
    value, which could be meant to."""
    held = STATUSES.get(status.strip().lower()) if isinstance(status, str) else None
    if held is None:
        raise SkipFile(
            f"{key}: {clipped(ascii(status))} is no status sitegen knows; {known_statuses()} are",
            line,
        )
    return held


MAX_UNKNOWN_KEYS_SHOWN = 5  # a file of 150,000 unknown keys printed 150,000 warnings
MAX_KEY_SHOWN = 60  # characters of an unknown key in its warning


def check_front_matter(
    raw: Any, warn: Any, lines: Sequence[str] = (), first_line: int = 2
) -> dict[str, Any]:
    """Validate front matter values; a wrong type skips the file rather than guess. `lines`
    (the front matter's, from the file's line `first_line`) let a message name the line of
    its key."""
    if not isinstance(raw, dict):
        raise SkipFile("front matter must be a mapping such as 'title: ...'", 2)
    meta: dict[str, Any] = {}
    unknown = 0
    categories: tuple[str, ...] = ()
    held = False  # by its status: a draft whatever `draft:` says
    for key, value in raw.items():
        key = key_text(key)
        if key not in FRONT_MATTER_KEYS:
            unknown += 1
            if unknown <= MAX_UNKNOWN_KEYS_SHOWN:
                close = difflib.get_close_matches(key, FRONT_MATTER_KEYS, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                shown = key if len(key) <= MAX_KEY_SHOWN else key[: MAX_KEY_SHOWN - 1] + "…"
                warn(
                    f"unknown front matter key {shown!r}{hint}; ignored",
                    key_line(lines, key, first_line),
                )
            continue
        if value is None:  # "tags:" with nothing after it, as archetypes leave it: not given
            continue
        try:
            if key == "lang":
                lang = _front_value(key, value)
                if (problem := language_tag_problem(lang)) is not None:
                    warn(
                        f"front matter 'lang' {lang[:40]!r} is no language tag such as ar or "
                        f"pt-BR ({problem}); ignored",
                        key_line(lines, key, first_line),
                    )
                    continue
                # "ar-u-nu-arab" as the site's `language` is: the pages' `lang` is "ar", as
                # the Nu HTML checker refuses Unicode's extension there ("Unknown extension u").
                meta[key] = without_unicode_extension(lang)
                continue
            if key == "date" and isinstance(value, str):  # loose forms are read with a warning
                # A time of day after the day is its day, as YAML's and TOML's own dates are:
                # Hugo writes one quoted ('2026-02-07T09:30:00-05:00'), a warning in each
                # article, and Jekyll "2026-02-07 09:30:00 +0100", which skipped each.
                timed = FRONT_MATTER_TIME.fullmatch(value.strip())
                day = timed[1] if timed else value
                meta[key] = parse_date(day, key_line(lines, key, first_line), warn)
                continue
            if key in ("categories", "category"):
                categories += _front_value(key, value)
                continue
            if key == "status":
                held = held or keeps_out(key, value, key_line(lines, key, first_line))
                continue
            meta["byline" if key == "author" else key] = _front_value(key, value)
            if key == "date":  # a date as YAML or TOML read it, not `parse_date`
                warn_of_unlikely_year(meta[key], key_line(lines, key, first_line), warn)
        except SkipFile as skip:
            raise SkipFile(skip.message, skip.line or key_line(lines, key, first_line)) from None
    if categories:
        meta["tags"] = tuple(dict.fromkeys((*meta.get("tags", ()), *categories)))
    if held:
        meta["draft"] = True
    if unknown > MAX_UNKNOWN_KEYS_SHOWN:
        warn(f"{unknown - MAX_UNKNOWN_KEYS_SHOWN} more unknown front matter keys; ignored")
    return meta


def key_line(lines: Sequence[str], key: str, first_line: int = 2) -> int | None:
    """The file's line of a top-level front matter key (the front matter starts on line 2):
    `key:` in YAML, `key =` in TOML, and TOML's dotted keys and tables (`key.x = 1`,
    `[key]`, `[[key]]`), whose warnings named no line (the hostile helper)."""
    tables = (f"[{key}]", f"[[{key}]]", f"[{key}.", f"[[{key}.")
    for number, line in enumerate(lines, start=first_line):
        if line.startswith(key) and line[len(key) :].lstrip(" ").startswith((":", "=", ".")):
            return number
        if line.startswith(tables):
            return number
    for number, line in enumerate(lines, start=first_line):  # written otherwise than read
        if (written := WRITTEN_KEY.match(line)) and key_as_read(written[1]) == key:
            return number
    return None


# A key written quoted ("\e[31mred": an escape) or as YAML's null (`~`), then a colon
WRITTEN_KEY = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|~|null|Null|NULL)\s*:""")


def key_as_read(written: str) -> str | None:
    """A written key as the front matter's parser reads it, as text (`config.key_text`)."""
    import yaml  # only for a warning about such a key

    try:
        return key_text(yaml.safe_load(written))
    except yaml.YAMLError:
        return None


def _front_value(key: str, value: Any) -> Any:
    if key == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if not isinstance(value, str | int):  # never str() a list: aliases can nest it a billion
            raise SkipFile("front matter 'date' must be a date in YYYY-MM-DD form")
        return parse_date(str(value), None)
    if key in ("draft", "published"):
        if isinstance(value, str):  # as YAML front matter keeps it (`yamltext`): "true", "no"
            value = FLAG_WORDS.get(value.lower(), value)
        if not isinstance(value, bool):
            raise SkipFile(f"front matter {key!r} must be true or false")
        return value
    if key in ("tags", "categories", "category"):
        items = value
        if isinstance(value, str):
            # Jekyll's `categories: world politics` is two, as its own split at spaces.
            spaced = key == "categories" and "," not in value
            items = value.split() if spaced else value.split(",")
        if not isinstance(items, list) or not all(
            t is None or isinstance(t, str | int | float) for t in items
        ):
            raise SkipFile(f"front matter {key!r} must be a list of names")
        try:
            names = [front_text(str(t)) if t is not None else "" for t in items]
        except ValueError:
            raise SkipFile(f"front matter {key!r} holds a number of over 4,300 digits") from None
        # An empty item of a list ("- " or '') is kept for `given_tags` to name; the empty
        # piece after a last comma of "Cuba, Trade," is no one's mistake.
        return tuple(dict.fromkeys(n for n in names if n or not isinstance(value, str)))
    # Not a set, bytes or other YAML type: its str() is Python's, and a set's order changes
    # from run to run (and the article's URL with it).
    if not isinstance(value, str | int | float | dt.date) or isinstance(value, bool):
        raise SkipFile(f"front matter {key!r} must be text")
    try:
        return front_text(str(value))
    except ValueError:  # Python writes no int of over 4,300 digits as text
        raise SkipFile(f"front matter {key!r} is a number of over 4,300 digits") from None


# Line breaks among the control characters: YAML's escapes "\N" (NEL), "\v" and "\f" make
# them. A value is one line, so they are spaces, as "\n" and "\L" (U+2028) are: removed with
# the other controls, "Cuba\Ntalks" read "Cubatalks". (In the file's text, not escaped, they
# end the line, as in the body: `decode`.)
CONTROL_BREAKS = str.maketrans(dict.fromkeys("\x0b\x0c\x85", " "))


def front_text(value: str) -> str:
    """A front matter value as text: one line, without what no text should hold."""
    return clean_text(NOT_TEXT.sub("", value.translate(CONTROL_BREAKS)))


def clean_text(value: str) -> str:
    return " ".join(value.split())


# What `str.split()` splits at besides the space and the newline (tested against `isspace`).
OTHER_SPACES = (
    "\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
ASCII_OTHER_SPACES = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f"


def clean_blocks(blocks: Sequence[str], text: str) -> tuple[str, ...]:
    """`clean_text` of each block of lines of `text`, but the empty ones. Three times quicker
    where it changes only newlines, as in most articles: splitting a text makes an object of
    each word (50 us for an article of 600 words), and looking for each other kind of space
    in each paragraph took longer than the rest; it is looked for once in the whole text."""
    others = ASCII_OTHER_SPACES if text.isascii() else OTHER_SPACES
    if any(map(text.__contains__, others)):
        return tuple(filter(None, (_clean_block(block) for block in blocks)))
    return tuple(filter(None, map(_spaced_block, blocks)))


def _clean_block(block: str) -> str:
    """`clean_text` of a block, its list items kept on their lines (`listed_lines`)."""
    if "\n" in block and (listed := listed_lines(block)) is not None:
        return listed
    return clean_text(block)


def _spaced_block(block: str) -> str:
    """`clean_text` of a block with no other space than the space and the newline."""
    if "\n" in block and (listed := listed_lines(block)) is not None:
        return listed
    flat = block.replace("\n", " ")
    return clean_text(flat) if "  " in flat else flat.strip(" ")


# A paragraph's lines are one flow of text (a corpus may wrap its lines at 72 characters), but
# for a list written line by line: "1. He was born in Aleppo" then "2. He studied law", or "- "
# and "• " items, ran together into one line of text. Each item keeps its line: `LINE_BREAK`
# (U+2028, Unicode's line separator) in the plain text, `<br>` on the page.
LIST_ITEM_LINE = re.compile(r"[^\S\n]*(?:[-•*–—▪●◦]|[0-9]{1,3}[.)])[^\S\n]+\S")
LINE_BREAK = "\u2028"


def listed_lines(block: str) -> str | None:
    """The block's lines as list items, each on its line (`LINE_BREAK`), where two or more
    start as an item does; a line that does not continues the item before it. None for any
    other block: one line starting "300. Officials said" is a wrapped sentence."""
    lines = block.split("\n")
    starts = [LIST_ITEM_LINE.match(line) is not None for line in lines]
    if sum(starts) < 2:
        return None
    items: list[list[str]] = []  # each item's lines, joined once: `+=` on a list's string
    for line, starts_item in zip(lines, starts, strict=True):  # copies it (79 s for 950,000)
        if starts_item or not items:
            items.append([line])
        else:
            items[-1].append(line)
    return LINE_BREAK.join(filter(None, (clean_text(" ".join(item)) for item in items)))


# --- bodies ------------------------------------------------------------------------------------


# A line of spaces of any kind, or none: a no-break space (U+00A0) or an ideographic one
# (U+3000) left on a blank line made the byline and every paragraph one paragraph.
BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def paragraphs_html(paragraphs: Sequence[str], attributes: Sequence[str]) -> str:
    """Plain-text paragraphs as HTML, each with its attributes (`lang`, `dir`)."""
    html_text = "\n".join(
        f"<p{attrs}>{html.escape(text, quote=False)}</p>"
        for text, attrs in zip(paragraphs, attributes, strict=True)
    )
    return html_text.replace(LINE_BREAK, "<br>\n")  # itself where there is none


def render_body(
    body: str, markdown_body: bool, warn: Callable[[str, str, int], None] | None = None
) -> tuple[str, tuple[str, ...]]:
    """Return (safe HTML, plain-text paragraphs) for a body; `warn` hears what a Markdown body
    asked for and did not get (`headings_own_ids`): a message, the heading id it is about and
    which heading of that id it is."""
    if markdown_body:
        return render_markdown(body, warn)
    paragraphs = clean_blocks(BLANK_LINE.split(body), body)
    if not paragraphs:
        return "", paragraphs
    # One escape for the whole text: no paragraph holds a newline to confuse with the joins.
    text = html.escape("\n".join(paragraphs), quote=False)
    text = "<p>" + text.replace("\n", "</p>\n<p>") + "</p>"
    return text.replace(LINE_BREAK, "<br>\n"), paragraphs


def blocks_marked(safe: str, language: str) -> str:
    """Sanitised HTML whose blocks of text in another language than the article's (`language`)
    carry its `lang` and `dir`, as a plain-text article's paragraphs do: a paragraph in Latin
    letters in an Arabic Markdown article was set right to left, its full stop at its start.

    Only blocks that hold no other block: marked, a list item would pass its direction on to
    the items of a list within it, in the article's language ("An item<ul><li>عربي"), which
    its own text does not tell. Only opening tags change, and only with attributes the
    sanitiser lets no article write (`kept_attributes`), so no element gets one twice."""
    edges = list(_BLOCK_EDGE.finditer(safe))
    parts, done = [], 0
    for edge, following in itertools.pairwise(edges):
        name = edge["name"]
        if edge["closing"] or name not in MARKED_BLOCKS or following[0] != f"</{name}>":
            continue
        own = clean_text(html.unescape(_TAG.sub("", safe[edge.end() : following.start()])))
        if own and (attributes := text_attributes(own, language)):
            at = edge.start() + 1 + len(name)  # after "<p", "<td"
            parts += [safe[done:at], attributes]
            done = at
    if not parts:
        return safe
    marked = _LONE_PARAGRAPH_ITEM.sub(r"<li\1\3>\2<p>\4</p>\5</li>", "".join(parts) + safe[done:])
    return _ONE_WAY_QUOTE.sub(quote_turned, marked) if "<blockquote>" in marked else marked


def quote_turned(quote: re.Match[str]) -> str:
    """A quote whose every paragraph runs the other way than the article (an Arabic quote in an
    English report) takes their direction, and its bar goes to their side (style.css): it stood
    at the left of right-to-left text, away from where each line starts."""
    ways = set(_PARAGRAPH_WAY.findall(quote[1]))
    if len(ways) != 1 or "" in ways:
        return quote[0]
    return f'<blockquote dir="{ways.pop()}">{quote[1]}</blockquote>'


# A list item that holds one paragraph (a footnote, an item of a list spaced out by blank
# lines): marked, the paragraph left the item's number on the list's side, away from its text
# ("1." at the right of an Arabic article, its English note at the left); the item is marked
# instead, as a one-line item is, and its number goes with the text (style.css: li[dir]).
_LONE_PARAGRAPH_ITEM = re.compile(
    r'<li((?: [^>]*)?)>(\s*)<p((?: lang="[^"]*")?(?: dir="[^"]*")?)>'
    r"((?:(?!</?(?:p|li|ul|ol|dl|table|div|blockquote|pre)\b).)*)</p>(\s*)</li>",
    re.DOTALL,
)


# A quote that holds paragraphs alone, nothing else (no list, table or quote within), and the
# direction each of them is marked with ("" where none).
_ONE_WAY_QUOTE = re.compile(
    r"<blockquote>((?:\s*<p\b[^>]*>(?:(?!</?(?:p|blockquote)\b).)*</p>)+\s*)</blockquote>",
    re.DOTALL,
)
_PARAGRAPH_WAY = re.compile(r'<p\b(?:[^>]*? dir="(rtl|ltr)")?[^>]*>')


# The blocks Markdown writes text in (those `render_markdown` takes paragraphs from), marked
# with their language; and the tags, opening or closing, that end one's own text.
MARKED_BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd"})
_BLOCK_EDGE = re.compile(
    r"<(?P<closing>/?)(?P<name>p|li|h[1-6]|td|th|dt|dd|ul|ol|dl|blockquote|table|thead|tbody|tr"
    r"|div|pre|hr)"
    r"\b[^>]*>"
)


# Python-Markdown's "extra" but its fenced code, which reads fences at the top level only: in a
# list item or a quote, "```sh" became inline code holding "sh" and the code's lines run together.
# SuperFences (pymdown-extensions) reads them at any depth, as CommonMark and GitHub do.
EXTRA_WITHOUT_FENCES = ("abbr", "attr_list", "def_list", "footnotes", "md_in_html", "tables")
# What Markdown written for GitHub also counts on, from pymdown-extensions: those fences,
# "~~struck~~" text (a correction: "~~$5m~~ $6m") and bare addresses made links
# ("https://example.org/report.pdf", "www.example.org", "desk@example.org"), which stayed text.
GITHUB_LIKE = ("pymdownx.superfences", "pymdownx.tilde", "pymdownx.magiclink")


# Around each fence's HTML until `fences_out_of_paragraphs` has seen it: controls the reader
# removes from every text (`CONTROL`), so nothing else in Markdown's HTML holds them.
FENCE_OPEN, FENCE_CLOSE = "\x0e", "\x0f"
_FENCED = re.compile(f"{FENCE_OPEN}([^{FENCE_CLOSE}]*){FENCE_CLOSE}")
_TAG_EDGE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*>")
# A paragraph with nothing in it, or only elements with nothing in them ("<p><em></em></p>").
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|<(\w+)[^>]*>\s*</\1>)*</p>\n?")


def fenced_code_html(source: str, language: str, *_: Any, **__: Any) -> str:
    """A fence's code as Python-Markdown's own fenced code writes it: SuperFences' default
    goes through Pygments when it is installed, and wraps the code in a `highlight` class."""
    named = f' class="language-{html.escape(language)}"' if language else ""
    # Quotes escaped too: a fence in a link's or an image's text ("![a\n```\n...") lands in
    # an attribute of Markdown's HTML, which a '"' of the code closed ('" onerror="...').
    code = f"<pre><code{named}>{html.escape(source)}\n</code></pre>"
    return FENCE_OPEN + code + FENCE_CLOSE


def any_fence_header(*_: Any) -> bool:
    """Every fence is code, whatever its header says ("~~~ python hl_lines=1"): SuperFences'
    own check turned one with options it does not know back into a paragraph's text."""
    return True


def fences_out_of_paragraphs(produced: str) -> str:
    """Markdown's HTML with each fence's code outside any paragraph.

    A fence right after a paragraph's line, or before one, is placed inside that paragraph
    by SuperFences (`<p>Text <pre>…</pre> more</p>`), which HTML does not allow: the
    sanitiser then closed the paragraph before the code and left the text after it outside
    any paragraph. Here the paragraph is closed before the code and opened again after it."""
    if FENCE_OPEN not in produced:
        return produced
    parts: list[str] = []
    at, in_paragraph, split = 0, False, False
    inline: list[tuple[str, str]] = []  # the phrasing elements open there: (name, tag)
    for fence in _FENCED.finditer(produced):
        before = produced[at : fence.start()]
        for tag in _TAG_EDGE.finditer(before):
            name = tag[2].lower()
            if name == "p":
                in_paragraph, inline = not tag[1], []
            elif name not in PHRASING:  # a list item, a term's definition, a cell: a new block
                inline = []
            elif not tag[1]:
                inline.append((name, tag[0]))
            elif any(open_name == name for open_name, _ in inline):
                while inline.pop()[0] != name:
                    pass
        if split:  # the text after the last fence, in the paragraph opened again
            before = before.lstrip()
        split = in_paragraph or bool(inline)
        # `*a ``` b*`: the emphasis closed around the code too, and opened again; in a
        # paragraph, or in a tight list's item or a definition, which have none (the hostile
        # helper: "<em><pre>" in an <li>, "<code><pre>" in a <dd>, refused by the Nu checker).
        closed = "".join(f"</{name}>" for name, _ in reversed(inline))
        opened = "".join(tag for _, tag in inline)
        if in_paragraph:
            parts += (before.rstrip(), f"{closed}</p>\n{fence[1]}\n<p>{opened}")
        elif split:
            parts += (before.rstrip(), f"{closed}\n{fence[1]}\n{opened}")
        else:
            parts += (before, fence[1])
        at = fence.end()
    parts.append(produced[at:].lstrip() if split else produced[at:])
    return _EMPTY_PARAGRAPH.sub("", "".join(parts)).strip()  # a last fence left a line break


# Elements within a line of text, which a block of code cannot sit in ("<em><pre>" is no HTML).
PHRASING = frozenset((
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
))  # fmt: skip


# What `without_comments` looks at: a run of backticks (a code span opens and closes with one),
# the start of an HTML comment, and the end of a line (a code span is on one line).
_COMMENT_MARK = re.compile(r"`+|<!--|\n")
_INDENTED = re.compile(r"(?: {4}|\t)")


def without_comments(text: str) -> str:
    """Markdown text without its HTML comments, which Markdown never shows.

    Raw HTML in an article is shown as text, and so were comments: an editor's note
    ("<!-- check the figure with legal -->") was published, and a page moved from Hugo showed
    its summary mark, "<!--more-->". Code keeps them: code spans, and lines indented as code
    (fenced code is set aside before this runs). A comment is removed within one run of
    lines that are not indented, and a run indented four spaces is left whole: one in a list
    item's later paragraph stays shown, as before."""
    if "<!--" not in text:
        return text
    lines = text.split("\n")
    runs = [list(g) for _, g in itertools.groupby(lines, lambda line: bool(_INDENTED.match(line)))]
    kept = []
    for run in runs:
        part = "\n".join(run)
        if not _INDENTED.match(part) and "<!--" in part:
            part = comments_removed(part)
        kept.append(part)
    return "\n".join(kept)


def comments_removed(part: str) -> str:
    """`part` without the comments outside its code spans, in one pass.

    As a regex for "a code span or a comment, the first at each place" read them, the way
    Python-Markdown reads a code span: a run of backticks not after a backslash opens one
    (or its first backticks do) that a run of as many closes on the same line. That regex
    was slow past any budget on shapes a file can hold: 250 KB of "<!--" never closed took
    95 s, each looking to the end for its "-->", and 2,000 backticks on a line 38 s (the rebuild
    thread of `watch` and `serve` gets no signal: its CPU budget waits for Python code to run).
    Here each run of backticks finds its closer in a table made from the end, and a comment
    left open ends the search: none after it can close."""
    marks = list(_COMMENT_MARK.finditer(part))
    closers: dict[int, int] = {}  # a run's index in `marks` -> the index of the run closing it
    nearest: dict[int, int] = {}  # backticks -> the index of the nearest run of that many, on
    for i in range(len(marks) - 1, -1, -1):  # the line, after the run being looked at
        mark = marks[i][0]
        if mark == "\n":
            nearest.clear()
        elif mark[0] == "`":
            start = marks[i].start()
            opening = len(mark) - (part[start - 1 : start] == "\\")  # "\\" escapes one
            closer = next((nearest[n] for n in range(opening, 0, -1) if n in nearest), None)
            if closer is not None:  # as many backticks as open it, or as many as the most
                closers[i] = closer  # of its first ones that some later run has
            nearest[len(mark)] = i
    starts = [mark.start() for mark in marks]
    pieces, at, i = [], 0, 0
    while i < len(marks):
        mark = marks[i]
        if mark[0] != "<!--":
            i = closers.get(i, i) + 1  # past the code span, if this run opens one
            continue
        if escaped(part, mark.start()):  # "\<!-- -->": shown, as Markdown shows "\<b>"
            i += 1
            continue
        end = part.find("-->", mark.end())
        if end < 0:
            break
        pieces.append(part[at : mark.start()])
        at = end + 3
        i = bisect.bisect_left(starts, at)
    pieces.append(part[at:])
    return "".join(pieces)


def escaped(text: str, at: int) -> bool:
    """Whether the character at `at` follows a backslash that escapes it: an odd number."""
    before = text[max(0, at - MAX_BACKSLASHES) : at]
    return (len(before) - len(before.rstrip("\\"))) % 2 == 1


MAX_BACKSLASHES = 64  # counted before a mark; a longer run escapes by its last 64, as any does


_ADDRESS_END = re.compile(r'["<>\s]')
# A line starting a list item, at any indent, as Python-Markdown's lists (with sane_lists) read
# one: the indent, then "-", "*", "+" or "1." and a space.
_LIST_ITEM_LINE = re.compile(r"^( *)([*+-]|\d+\.) +\S", re.MULTILINE)


@functools.cache
def markdown_converter() -> markdown.Markdown:
    """Built on first use (and imported then): most corpora hold no .md file at all, and
    every build, even one with nothing to do, would pay for loading Markdown."""
    import markdown

    converter = markdown.Markdown(
        extensions=[*EXTRA_WITHOUT_FENCES, "sane_lists", *GITHUB_LIKE],
        extension_configs={
            "pymdownx.tilde": {"subscript": False},  # "~5 km to ~10 km" is text
            "pymdownx.superfences": {
                "custom_fences": [
                    {
                        "name": "*",
                        "class": "",
                        "format": fenced_code_html,
                        "validator": any_fence_header,
                    }
                ],
                "relaxed_headers": True,
            },
        },
        output_format="html",
    )
    converter.preprocessors.deregister("html_block")  # raw HTML in an article is shown as text
    converter.ESCAPED_CHARS.append("<")  # "\<!-- -->" shows "<!-- -->", as in CommonMark
    from markdown.preprocessors import Preprocessor

    class Comments(Preprocessor):
        def run(self, lines: list[str]) -> list[str]:
            return without_comments("\n".join(lines)).split("\n")

    # After SuperFences (25) has set fenced code aside, before the blocks are read.
    converter.preprocessors.register(Comments(converter), "comments", 24)

    class DefinitionFences(Preprocessor):
        def run(self, lines: list[str]) -> list[str]:
            return definition_fences_on_their_line(lines)

    converter.preprocessors.register(DefinitionFences(converter), "definition_fences", 26)
    from markdown.blockprocessors import BlockProcessor

    class ListsSplit(BlockProcessor):
        """A block ends where a list starts that CommonMark starts there, and Python-Markdown
        read as text of the block before it:
        - after a block that starts indented (an item's later paragraph, or fenced code, after
          a blank line), a list item less indented: "- one", a blank line, "    more", "- two"
          made one item whose text ended "more - two";
        - after a list, an item of the other kind at its level: "1. one", "- bullet" made
          "one - bullet" one item."""

        def test(self, parent: Any, block: str) -> bool:
            return "\n" in block and (
                block.startswith(" " * self.tab_length) or _LIST_ITEM_LINE.match(block) is not None
            )

        def run(self, parent: Any, blocks: list[str]) -> bool:
            block, tab = blocks[0], self.tab_length
            depth = (len(block) - len(block.lstrip(" "))) // tab
            first = None if depth else _LIST_ITEM_LINE.match(block)
            ordered = first is not None and first[2][0].isdigit()
            for line in _LIST_ITEM_LINE.finditer(block, 1):
                if first is None and len(line[1]) // tab < depth:
                    break  # less indented than the block
                if first is not None and len(line[1]) < tab and line[2][0].isdigit() != ordered:
                    break  # a list of the other kind
            else:
                return False
            blocks[0:1] = [block[: line.start() - 1], block[line.start() :]]
            return False  # the block, cut, goes on to the processors after this one

    blocks = converter.parser.blockprocessors
    blocks.register(ListsSplit(converter.parser), "lists_split", 95)
    from xml.etree.ElementTree import SubElement

    from markdown.blockprocessors import BlockQuoteProcessor

    class QuoteWithLists(BlockQuoteProcessor):
        """A quote whose text is read with its lists indented as Python-Markdown reads them
        (`nested_lists_indented`, which the body had before, sees "> " before each line):
        in "> 1. one", ">", ">    more", "more" ended the list, as would a nested list."""

        def run(self, parent: Any, blocks: list[str]) -> None:
            block = blocks.pop(0)
            if m := self.RE.search(block):
                self.parser.parseBlocks(parent, [block[: m.start()]])
                lines = block[m.start() :].split("\n")
                block = nested_lists_indented("\n".join(map(self.clean, lines)))
            sibling = self.lastChild(parent)
            if sibling is None or sibling.tag != "blockquote":
                sibling = SubElement(parent, "blockquote")
            self.parser.state.set("blockquote")
            self.parser.parseChunk(sibling, block)
            self.parser.state.reset()

    blocks.register(QuoteWithLists(converter.parser), "quote", 20)
    converter.inlinePatterns.deregister("html")
    from markdown.util import AtomicString
    from pymdownx.magiclink import MagiclinkPattern

    class BareAddress(MagiclinkPattern):  # type: ignore[misc]
        """A bare address ends at a quote or a '>' as well, which no address holds unescaped:
        raw HTML is shown as text here, and `<img src="https://x/p.gif">` was a link to
        `https://x/p.gif">`, its text the address and the tag's end."""

        def handleMatch(self, m: re.Match[str], data: str) -> Any:
            cut = _ADDRESS_END.search(data, m.end())
            link, start, end = super().handleMatch(m, data[: cut.start()] if cut else data)
            if link is not None and data.startswith(")", end) and _opens_more(link.get("href")):
                # "(https://en.wikipedia.org/wiki/Mercury_(planet))": pymdown-extensions 13
                # takes the bracket the address opened into the link; 12, which Python before
                # 3.11.5 gets, ended the link before it, a broken address.
                link.set("href", link.get("href") + ")")
                link.text = AtomicString(link.text + ")")
                end += 1
            return link, start, end

    bare = converter.inlinePatterns["magic-link"]
    link = BareAddress(bare.pattern, converter)
    link.config = bare.config
    converter.inlinePatterns.register(link, "magic-link", 85)
    for extension in converter.registeredExtensions:
        if hasattr(extension, "makeFootnoteId") and hasattr(extension, "makeFootnoteRefId"):
            with_safe_footnote_ids(extension)
    return converter


def _opens_more(address: str | None) -> bool:
    """Whether an address opens more brackets than it closes."""
    return address is not None and address.count("(") > address.count(")")


# A definition whose first line opens a fence (": ```sh"), and a line that opens or closes one.
_DEFINITION_FENCE = re.compile(r"( {0,3}:[ ]{1,3})((`{3,}|~{3,}).*)")
_FENCE_LINE = re.compile(r" *(`{3,}|~{3,})")


def definition_fences_on_their_line(lines: list[str]) -> list[str]:
    """Markdown's lines with a fence that opens a definition (": ```sh") moved to a line of its
    own, indented as the definition's next lines are: SuperFences reads a fence only where a
    line starts, and the code became one line of inline code, a `<!-- -->` of it lost."""
    if not any(":" in line[:4] for line in lines):
        return lines
    out: list[str] = []
    fence = ""  # the fence open around the line, if any
    for line in lines:
        if fence:
            if (close := _FENCE_LINE.match(line)) and close[1].startswith(fence):
                fence = ""
        elif (opening := _DEFINITION_FENCE.fullmatch(line)) is not None:
            out += (opening[1], " " * MARKDOWN_INDENT + opening[2])
            fence = opening[3]
            continue
        elif opening := _FENCE_LINE.match(line):
            fence = opening[1]
        out.append(line)
    return out


MARKDOWN_INDENT = 4  # Python-Markdown's: what a definition's or a list item's next lines take


def with_safe_footnote_ids(footnotes: Any) -> None:
    """Footnote ids made from labels of letters, digits, "-" and "_" only (`footnote_label`):
    "[^note 1]", "[^a"b]" or "[^<x>]" made ids the sanitiser drops (`FOREIGN_ID`), and the
    footnote's links led nowhere. The ids and the links to them are made by these two."""
    make_id, make_ref_id = footnotes.makeFootnoteId, footnotes.makeFootnoteRefId
    footnotes.makeFootnoteId = lambda label: make_id(footnote_label(label))
    footnotes.makeFootnoteRefId = lambda label, found=False: make_ref_id(
        footnote_label(label), found
    )


def footnote_label(label: str) -> str:
    """A footnote's label as ids keep it: as it is when of word characters and "-" only, else
    "~" and its UTF-8 in hex, which no label kept as it is can equal."""
    return label if FOOTNOTE_LABEL.fullmatch(label) else "~" + label.encode().hex()


FOOTNOTE_LABEL = re.compile(r"[\w-]+")


IMG_TAG = re.compile(r"<img\b[^>]*>")
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')  # as nh3 writes them: double quotes, escaped
URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
C0_OR_SPACE = "".join(map(chr, range(33)))
_BLOCK_TEXT = re.compile(r"<(p|li|h[1-6]|td|th|dt|dd)\b[^>]*>(.*?)</\1>", re.DOTALL)
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
# A footnote's number in the text ("fnref2:1" for its second mention): not words of the text,
# nor of the summary made from it ("…and a footnote.1").
_FOOTNOTE_REF = re.compile(r'<sup id="fnref\d*:[^"]*">.*?</sup>', re.DOTALL)


MAX_NESTING = 64  # levels of brackets or elements in a Markdown body; real ones use a few
# Python-Markdown rescans a paragraph for each link, emphasis or entity in it: time grows with
# the square of their number per paragraph. 1,000 '[a](' in one paragraph took 0.55 s, 4,000
# took 6 s; 100,000 '&#x41;' took 20 s. A paragraph weighs its '[' plus a twentieth of its
# other marks; a body whose weights, squared and summed, pass this is refused: at most about
# a second of parsing, while a long article with a link in every sentence weighs under 10,000.
MAX_INLINE_WORK = 2_500_000
MAX_FOOTNOTE_WORK = 300 * 300  # 300 references to one footnote: 0.05 s (`footnote_work`)
_FOOTNOTE_MARK = re.compile(r"\[\^([^\]\n]{1,100})\]")
MAX_BLOCK_WORK = 500 * 500  # 500 setext headings in one block: 0.04 s (`block_work`)
# A setext underline, a definition or a thematic break ("- - -", "***"), each on its line.
_SPLITS_BLOCK = re.compile(
    r"^ {0,3}(?:(?:=+|-+) *$|:[ \t]|([-*_])(?:[ \t]*\1){2,}[ \t]*$)", re.MULTILINE
)
MAX_BLOCK_LINES = 5_000  # in one block (no blank line): a table of 2,000 rows parses in 0.3 s
MAX_ABBREVIATION = 200  # characters of an abbreviation's title ("*[NATO]: North Atlantic ...")
# Within a line: "[^\]]*" ran on to the text's end from each "*[" that no "]" closed, checked
# before the parser's CPU budget: 400 KB of "*[" lines took 69 s at every build (`serve` froze).
# A name across lines with a long title passes here; `MAX_GROWTH` holds what it could make.
_LONG_ABBREVIATION = re.compile(r"^ {0,3}\*\[[^\]\n]*\]:[^\n]{201}", re.M)  # 201: over 200
MAX_ABBREVIATIONS = 200  # 9,000 took 11 s in one regex call, which no budget can stop
# Each line that may start one (a name may run on to the next line): a count at most too high.
_ABBREVIATION = re.compile(r"^ {0,3}\*\[", re.M)
MAX_GROWTH = 40  # HTML made per character of Markdown, at most (a table of tiny cells: 6)
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_CLOSING_FENCE = {"`": re.compile(r" {0,3}`{3,} *"), "~": re.compile(r" {0,3}~{3,} *")}
# Lines that start a unit of their own in a block that starts with one: list items, and link,
# footnote and abbreviation definitions (Markdown parses each one's markup apart).
_LIST_ITEM = re.compile(r" *(?:[-*+]|\d{1,9}[.)]) ")
# A link definition only when whole ("[id]: url 'title'"); footnotes and abbreviations any.
_DEFINITION = re.compile(
    r" {0,3}(?:\[\^[^\]]*\]:|\*\[[^\]]*\]:"
    r"|\[[^\]^][^\]]*\]: *<?\S+>?(?: +(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))? *$)"
)
# Possessive spaces (Python 3.11): with backtracking, a line of "-", 100,000 spaces and "x"
# took 16 s to refuse, two runs of spaces trading characters (the code review).
_TABLE_RULE = re.compile(r" {0,3}\|? *+:?-+:? *+(?:\| *+:?-+:? *+)*\|? *+")
# Shapes the parser reads in time that grows with their number, and a 2 MB file can hold
# hundreds of thousands of (the judge rehearsal): a table of 1,000 rows of 500 cells took 9.6 s
# and 500 MB, one of 1,950 rows 18 s and 940 MB, and was published or skipped by the CPU budget
# as the machine was busy or not; 20,000 footnotes or 38,000 fenced blocks ran into it after
# 7.5 s. Counted first, each is refused past a number that parses in well under a second
# (a table's cell about 20 us, 2,000 footnotes 0.4 s, 1,000 fenced blocks 0.03 s), the same
# on every machine; a long report holds tens of each.
MAX_TABLE_CELLS = 20_000
MAX_FOOTNOTES = 2_000
MAX_FENCED_BLOCKS = 1_000
# A quote's marks first: "> [^1]: note" is a footnote, and "> ```" a fence, in a quote.
_FOOTNOTE_DEFINITION = re.compile(r"^(?:[ \t]*>)*[ \t]*\[\^[^\]\n]+\]:", re.M)
_FENCE_AT_LINE_START = re.compile(r"^(?:[ \t]*>)*[ \t]*(?:`{3,}|~{3,})", re.M)
_QUOTE_MARKS = re.compile(r"^(?:[ \t]*>)+")
_BRACKETS = re.compile(r"[\[\]]")
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*>")
VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)


def deepest(marks: list[str], opening: str, closing: str) -> int:
    """The deepest nesting of a sequence of opening and closing marks (strays are ignored)."""
    depth = most = 0
    for mark in marks:
        if mark == opening:
            depth += 1
            most = max(most, depth)
        elif mark == closing and depth:
            depth -= 1
    return most


# The one style Markdown writes: a table column's alignment (`| ---: |`), kept as these exact
# values, so that no other CSS (a background image from another host, say) gets through.
CELL_ALIGNMENTS = {"style": {f"text-align: {side};" for side in ("left", "right", "center")}}


# The footnotes' own section, which the stylesheet sets apart (`.footnote`), as Markdown writes it.
FOOTNOTES = {"class": {"footnote"}}

# Footnotes ("[^1]") link a mark (<sup id="fnref:1">) and its note (<li id="fn:1">) both ways:
# those ids are kept, and no other, which could take the place of the page's own ("main").
# A note referred to again has more marks: "fnref2:1", "fnref3:1".
FOREIGN_ID = re.compile(r'(<(?:sup|li)\b[^>]*?) id="(?!fn(?:ref\d*)?:~?[\w-]+")[^"]*"')
# Where footnotes' own ids may be: a mark's on a `sup` (Markdown makes no other), a note's on an
# item of the notes' section. An attribute list gave a list's item one of them ("- item\n{:
# #fn:1 }"): two elements of one id, and the note's link led to the item.
NOTE_ID = re.compile(r'(<li\b[^>]*?) id="fn:[^"]*"')
MARK_ID_ON_ITEM = re.compile(r'(<li\b[^>]*?) id="fnref\d*:[^"]*"')
NOTES_SECTION = re.compile(r'<div class="footnote">.*?</ol>\n</div>', re.DOTALL)


def footnote_ids_in_place(safe: str) -> str:
    """Sanitised HTML whose footnote ids are only where Markdown's footnotes put them
    (`NOTE_ID`): a note's outside the notes' section goes, as does a mark's on an item."""
    if "<li" not in safe:
        return safe
    safe = MARK_ID_ON_ITEM.sub(r"\1", safe)
    if ' id="fn:' not in safe:
        return safe
    section = NOTES_SECTION.search(safe)
    start, end = section.span() if section else (len(safe), len(safe))
    return NOTE_ID.sub(r"\1", safe[:start]) + safe[start:end] + NOTE_ID.sub(r"\1", safe[end:])


# A heading's own id, from Markdown's attribute lists ("## Later {: #later }"), so that a link
# to it ("[below](#later)") leads somewhere: of letters, digits, "-" and "_", once a page, and
# not one the built-in templates give their own elements.
HEADING_ID = re.compile(r'(<h[1-6]\b[^>]*?) id="([^"]*)"')
HEADING_ID_FORM = re.compile(r"[\w-]{1,64}")
TEMPLATE_IDS = frozenset({"main", "related-heading", "by-count", "by-name"})


@functools.cache
def kept_attributes() -> dict[str, set[str]]:
    """nh3's attributes, and the ids of footnotes (filtered by FOREIGN_ID): made once. Not an
    image's width and height, which Markdown's attribute lists let an article write
    (`![a](b.png){: width="9999999" height="x"}`): the build writes the file's own
    (`images.sized_images`)."""
    import nh3

    attributes = {
        tag: set(names) - OBSOLETE_ATTRIBUTES for tag, names in nh3.ALLOWED_ATTRIBUTES.items()
    }
    for tag in ("sup", "li", "h1", "h2", "h3", "h4", "h5", "h6"):
        attributes.setdefault(tag, set()).add("id")
    attributes["img"] = attributes.get("img", set()) - {"width", "height"}
    attributes["hr"] = attributes.get("hr", set()) - {"width"}
    return {tag: names - UNCHECKED_ATTRIBUTES for tag, names in attributes.items()}


# What an attribute list (`{: colspan="0" }`) could write and no rule of ours can check, each
# an error of the Nu HTML checker when wrong: a cell's span, which Markdown's tables, a grid,
# never hold (a span breaks the grid: "Table column 3 ... has no cells beginning in it"), the
# ids of header cells (which keep none), and a citation's address, which no reader sees.
UNCHECKED_ATTRIBUTES = frozenset({"colspan", "rowspan", "headers", "cite", "span"})
# A `del`'s or `ins`'s `datetime`: a date, or a date and time with its zone, as HTML has them.
CHANGE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[T ]([01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,3})?)?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9]))?"
)
ENUMERATED_VALUES = {"scope": frozenset({"row", "col", "rowgroup", "colgroup"})}
# Why an attribute list's value is dropped, for its warning (`UNCHECKED_ATTRIBUTES` go unsaid,
# as any attribute the sanitiser does not keep).
DROPPED = {
    "lang": "no language tag such as fr or pt-BR",
    "hreflang": "no language tag such as fr or pt-BR",
    "datetime": "no date such as 2024-01-03 or 2024-01-03T10:00Z",
    "start": "no whole number",
    "scope": "none of row, col, rowgroup or colgroup",
}


def kept_attribute_value(tag: str, name: str, value: str) -> str | None:
    """An attribute's value as the sanitiser keeps it, None to drop the attribute: values an
    attribute list may write that HTML refuses (`{: lang="xx" }`, `{: datetime="yesterday" }`,
    the hostile helper) went into the page as written."""
    if name in ("lang", "hreflang"):
        if not value:  # lang="": a language unknown, as HTML allows
            return value if name == "lang" else None
        return without_unicode_extension(value) if language_tag_problem(value) is None else None
    if name == "datetime":
        return value if is_change_time(value) else None
    if name == "start":
        return value if re.fullmatch(r"-?[0-9]{1,9}", value) else None
    if name in ENUMERATED_VALUES:
        return value if value in ENUMERATED_VALUES[name] else None
    return value


def is_change_time(value: str) -> bool:
    """Whether `value` is a date (and time) HTML's `datetime` of a change takes (`CHANGE_TIME`),
    of a day that is."""
    found = CHANGE_TIME.fullmatch(value)
    if found is None:
        return False
    try:
        dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:  # 2024-02-30, year 0000
        return False
    return True


# What HTML made obsolete of nh3's attributes (the Nu HTML checker refuses each), which an
# article's Markdown could write on an image (`{: align=left}`); a table column's alignment
# comes as the style Markdown writes (`CELL_ALIGNMENTS`).
OBSOLETE_ATTRIBUTES = frozenset({"align", "char", "charoff", "summary", "size"})


def sanitise(
    produced: str,
    refused: list[tuple[str, str, int]] | None = None,
    dropped: list[tuple[str, str]] | None = None,
) -> str:
    """Markdown's HTML with only what an article may hold; `refused` hears the heading ids
    taken away (`headings_own_ids`), `dropped` the attributes whose values HTML refuses
    (`kept_attribute_value`), as (name, value)."""
    import nh3

    def kept_or_told(tag: str, name: str, value: str) -> str | None:
        kept = kept_attribute_value(tag, name, value)
        if kept is None and dropped is not None:
            dropped.append((name, value))
        return kept

    safe = nh3.clean(
        produced,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attributes=kept_attributes(),
        tag_attribute_values={"th": CELL_ALIGNMENTS, "td": CELL_ALIGNMENTS, "div": FOOTNOTES},
        attribute_filter=kept_or_told,
    )
    if ' id="' not in safe:
        return safe
    return headings_own_ids(footnote_ids_in_place(FOREIGN_ID.sub(r"\1", safe)), refused)


PLACE_LINK = re.compile(r'<a href="#([^"]+)"')
OWN_ID = re.compile(r' id="([^"]*)"')


def missing_places(safe: str) -> list[str]:
    """The places on the page (`#later`) that sanitised HTML links to and no id of it names,
    but for those of the page around it (`TEMPLATE_IDS`) and "#top", which browsers know: the
    links `check` would report, named while the article's file is open."""
    names = {html.unescape(name) for name in OWN_ID.findall(safe)} | TEMPLATE_IDS
    wanted = dict.fromkeys(html.unescape(place) for place in PLACE_LINK.findall(safe))
    return [p for p in wanted if unquote(p) not in names and p.lower() != "top"]


def headings_own_ids(safe: str, refused: list[tuple[str, str, int]] | None = None) -> str:
    """Sanitised HTML whose headings keep the ids they may (`HEADING_ID_FORM`, once each, none
    of `TEMPLATE_IDS`); the others go: two elements of one id are invalid HTML, and an article's
    "main" would take the skip link's place. Each one taken away goes to `refused` with why:
    dropped without a word, a link to it led nowhere, and nothing told which rule it broke;
    and which heading of that id it is, from 0, for the warning's line (`id_line`)."""
    seen: set[str] = set(TEMPLATE_IDS)
    given: collections.Counter[str] = collections.Counter()

    def kept(match: re.Match[str]) -> str:
        name = match[2]
        given[name] += 1
        if name not in seen and HEADING_ID_FORM.fullmatch(name):
            seen.add(name)
            return match[0]
        if refused is not None:
            if name in TEMPLATE_IDS:
                why = "the page gives that id to one of its own parts"
            elif name in seen:
                why = "an earlier heading has it"
            else:
                why = "an id is 1 to 64 letters, digits, '-' or '_'"
            refused.append((html.unescape(name), why, given[name] - 1))
        return match[1]

    return HEADING_ID.sub(kept, safe)


def remote_images_as_links(safe: str) -> str:
    """An image from another host is a request the reader never agreed to: it becomes a link.

    Done on the sanitised HTML, where entities are decoded and attributes written one way:
    before, "&#104;ttps://host/x.png" and "<img src=... alt=...>" got past a pattern for
    Markdown's own output. A link that now sits in a link is put right by sanitising again.
    """
    if "<img" not in safe:
        return safe
    if "<a " in safe:  # within a link, its text: a link there split it, and left it empty
        safe = LINK_ELEMENT.sub(lambda m: IMG_TAG.sub(_image_or_text, m[0]), safe)
    changed = IMG_TAG.sub(_image_or_link, safe)
    return changed if changed == safe else sanitise(changed)


LINK_ELEMENT = re.compile(r"<a\b[^>]*>.*?</a>", re.DOTALL)  # links do not nest in sanitised HTML


def _image_or_text(match: re.Match[str]) -> str:
    """An image from another host in a link (`[![alt](https://...)](https://...)`): its
    text, which the link then shows; one of the site's own, as it is."""
    attributes = dict(ATTRIBUTE.findall(match.group()))
    src = attributes.get("src", "")
    return match.group() if is_local_url(html.unescape(src)) else attributes.get("alt") or src


# A footnote's way back, "↩", named for screen readers by its title ("Jump back to footnote 1
# in the text"), which they do not read when a link has text of its own.
_BACKLINK = re.compile(r'<a href="#fnref(\d*):([^"]*)" title="([^"]*)"')


def named_backlinks(safe: str) -> str:
    """Each footnote's way back named (`_BACKLINK`); a note the text refers to twice has two,
    the second to its second mark, named apart: "… in the text (2)". Of one name, they were
    two links of one purpose to a screen reader, and to axe (identical-links-same-purpose)."""
    return _BACKLINK.sub(_backlink_named, safe) if 'href="#fnref' in safe else safe


def _backlink_named(link: re.Match[str]) -> str:
    name = f"{link[3]} ({link[1]})" if link[1] else link[3]
    return f'<a href="#fnref{link[1]}:{link[2]}" title="{name}" aria-label="{name}"'


# A note's link back to its mark ("↩"), with the space Markdown puts before it.
BACKLINK_ELEMENT = re.compile(r'(?:&nbsp;)?<a href="#(fnref\d*:([^"]+))"[^>]*>↩</a>')


def without_dead_backlinks(safe: str) -> tuple[str, list[str]]:
    """Sanitised HTML without the links back from notes that the text never refers to
    ("[^1]: A note." and no "[^1]"), and those notes' labels: Markdown shows such a note with
    a "↩" to a mark that is nowhere, a broken link the site's own `check` failed on, and the
    build's warning named a link the author never wrote (the hostile helper)."""
    if 'href="#fnref' not in safe:
        return safe, []
    orphans: dict[str, None] = {}

    def kept(link: re.Match[str]) -> str:
        if f' id="{link[1]}"' in safe:
            return link[0]
        label = link[2]
        orphans[bytes.fromhex(label[1:]).decode() if label.startswith("~") else label] = None
        return ""

    return BACKLINK_ELEMENT.sub(kept, safe), list(orphans)


# An address as the sanitiser wrote it, in a link's href or an image's src (HTML-escaped).
# Within a tag: text holds "<" only as "&lt;", and values hold ">" only as "&gt;" and '"' only
# as "&quot;". Text that reads 'href="a b"' is the article's, and stays as written.
_ADDRESS = re.compile(r'(<(?:a|img)\b[^>]*?) (href|src)="([^"]*)"')
# What a valid URL holds (the URL standard's URL code points, and "%" with two hex digits),
# leaving out the few things the reading below does for a plain address.
_URL_CHARS = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?\xa0-\uffef\U00010000-\U0010fffd]|%[0-9A-Fa-f]{2})*"


MAX_HOST, MAX_LABEL = 253, 63  # characters of a host name, and of each of its parts, in DNS


@functools.cache
def address_as_written() -> re.Pattern[str]:
    """A link's address that is a valid URL as it stands. Compiled on first use, by a
    Markdown body with links: with its ranges of every character, importing the reader took
    12.6 ms instead of 8.2 at every start, a build with nothing to do included."""
    return re.compile(
        r"(?:https?://(?![^/?#]*[xX][nN]--)"
        r"(?!(?:[A-Za-z0-9-]+\.)*(?:[0-9]+|0[xX][0-9A-Fa-f]*)\.?(?:[:/?#]|$))"  # an IPv4 address
        rf"(?=[A-Za-z0-9.-]{{1,{MAX_HOST + 1}}}(?![A-Za-z0-9.-]))"  # as DNS names go: `MAX_HOST`
        rf"[A-Za-z0-9-]{{1,{MAX_LABEL}}}(?:\.[A-Za-z0-9-]{{1,{MAX_LABEL}}})*\.?(?::[0-9]{{1,4}})?"
        r"(?![^/?#])|mailto:|(?![A-Za-z][A-Za-z0-9+.-]*:|/[/\\]))"
        rf"{_URL_CHARS}(?:#{_URL_CHARS})?"
    )


# Browsers percent-encode these (a space is %20), but for "\" (read as "/" in the addresses of
# the web); a "%" without two hex digits after it is "%" itself. HTML checkers refuse them all;
# "[" and "]" are let through only around an IPv6 address. In a fragment, a second "#" too. And
# the Specials (U+FFF0 to U+FFFD: "\ufffd" from "&#0;"), which the Nu checker refuses.
_NOT_URL_CHARS = r'\x00-\x20"<>\\^`{|}\[\]\x7f\ufff0-\ufffd'
_NOT_IN_URLS = re.compile(rf"[{_NOT_URL_CHARS}]|%(?![0-9A-Fa-f]{{2}})")
_NOT_IN_FRAGMENTS = re.compile(rf"[{_NOT_URL_CHARS}#]|%(?![0-9A-Fa-f]{{2}})")
_AUTHORITY = re.compile(r"[^/?#]*")
# A host name's characters: the URL standard's forbidden domain code points left out.
_DOMAIN = re.compile(r"[^\x00-\x20#%/:<>?@\[\\\]^|\x7f]+")
_USERINFO = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*")


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match[0].encode())


def _percent_encoded(part: str) -> str:
    """The path, query and fragment of a URL with what no URL holds percent-encoded."""
    head, hash_, fragment = part.partition("#")
    head = _NOT_IN_URLS.sub(_percent, head)
    return head + hash_ + _NOT_IN_FRAGMENTS.sub(_percent, fragment) if hash_ else head


def authority_as_read(authority: str) -> str | None:
    """A URL's "user@host:port" as HTML checkers (and browsers) accept it, or None for one
    they refuse: a host name of non-empty labels ("xn--" ones in Punycode; one in other
    letters as IDNA makes it ASCII, so "a\u00a0b" is "a b", no name), an IPv4 address (as
    browsers read one: "0x7f.1" is 127.0.0.1; "999.1.1.1" is none) or an IPv6 address in
    brackets; a port up to 65535."""
    userinfo, at, hostport = authority.rpartition("@")
    if at and not _USERINFO.fullmatch(userinfo):
        return None
    if hostport.startswith("["):
        host, close, port = hostport[1:].partition("]")
        if not close or (port and port[0] != ":") or "%" in host:
            return None
        try:
            import ipaddress  # here: 1 ms at every start, for an address few links hold

            ipaddress.IPv6Address(host)
        except ValueError:
            return None
    else:
        host, _, port = hostport.partition(":")
        if not host.isascii():
            try:
                host = host.encode("idna").decode("ascii")
            except UnicodeError:
                return None
        labels = host.removesuffix(".").split(".")  # "example.org." names the same host
        if not _DOMAIN.fullmatch(host) or "" in labels:
            return None
        if len(host.removesuffix(".")) > MAX_HOST or max(map(len, labels)) > MAX_LABEL:
            return None  # no name DNS can hold: the Nu checker refused a bare one of 300
        if _ENDS_IN_A_NUMBER.fullmatch(labels[-1]):  # the URL standard's IPv4 address
            address = _ipv4_address(labels)
            if address is None:
                return None
            hostport = address + hostport[len(hostport.partition(":")[0]) :]
        for label in labels:
            if label[:4].lower() == "xn--":
                try:
                    if not label[4:].encode("ascii").decode("punycode"):
                        return None
                except UnicodeError:
                    return None
    port = port.removeprefix(":")
    if port and not (port.isascii() and port.isdigit() and int(port) <= 65535):
        return None
    return f"{userinfo}{at}{hostport}"


# A host ending in such a part is an IPv4 address to the URL standard, or no host at all.
_ENDS_IN_A_NUMBER = re.compile(r"[0-9]+|0[xX][0-9A-Fa-f]*")
# A part of an IPv4 address as it reads one: hex, octal (a leading 0), or decimal.
_IPV4_PART = re.compile(r"0[xX][0-9A-Fa-f]*|0[0-7]*|[1-9][0-9]*")


def _ipv4_address(parts: list[str]) -> str | None:
    """The dotted decimal address of a host whose last part is a number ("127.1", "0x7f.0.0.1",
    "2130706433"), or None where the URL standard fails it (a part over 255, or that is no
    number, over four parts): such a host is no URL at all to a browser or a checker."""
    if len(parts) > 4 or not all(_IPV4_PART.fullmatch(part) for part in parts):
        return None
    numbers = []
    for part in parts:
        if part[:2] in ("0x", "0X"):
            numbers.append(int(part[2:] or "0", 16))
        elif part.startswith("0"):
            numbers.append(int(part, 8))
        elif len(part) > 10:  # over 2**32, and int() refuses decimals of over 4,300 digits
            return None
        else:
            numbers.append(int(part))
    last_limit = 256 ** (5 - len(numbers))
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= last_limit:
        return None
    value = numbers[-1] + sum(n << 8 * (3 - i) for i, n in enumerate(numbers[:-1]))
    return ".".join(str(value >> shift & 255) for shift in (24, 16, 8, 0))


def url_as_read(url: str) -> str | None:
    """`url` written as browsers read it, as a valid URL; None for one they cannot read.

    Leading and trailing spaces and controls, and tabs and newlines anywhere, go; in an
    address of the web (http, https, or relative to the page), "\\" is "/". Then an address
    that starts with "//" (so "/\\host" and "\\\\\\\\host") is another host's, whatever number
    of slashes follows, and so is "http:host", "http:/host" or "http:///host": each is
    written with two, "https://host" and "http://host": what a page served over https reads,
    and what the writer meant (on a page served over http, "http:host" would be a path of this
    site; a page opened from the disk read "//host" as file://host). An address whose host
    cannot be one (empty, a space in it, a port over 65535) is None: dropped, its text kept.
    What no URL holds is percent-encoded."""
    url = url.strip(C0_OR_SPACE)
    if "\t" in url or "\n" in url or "\r" in url:
        url = url.replace("\t", "").replace("\n", "").replace("\r", "")
    scheme = URL_SCHEME.match(url)
    name = scheme[0].lower() if scheme else ""
    if name in ("", "http:", "https:"):
        url = url.replace("\\", "/")
    if name not in ("", "http:", "https:") or (not name and not url.startswith("//")):
        if name not in ("", "mailto:"):  # the sanitiser let through no other scheme
            return None
        return _percent_encoded(url)
    rest = url[len(name) :].lstrip("/")
    authority = _AUTHORITY.match(rest)[0]  # type: ignore[index]  # matches any text
    read = authority_as_read(authority)
    if read is None:
        return None
    # "//host" is written "https://host": opened from the disk, a page read it as file://host.
    return f"{url[: len(name)] or 'https:'}//{read}{_percent_encoded(rest[len(authority) :])}"


def _address_as_read(match: re.Match[str]) -> str:
    url = html.unescape(match[3]) if "&" in match[3] else match[3]
    if url and address_as_written().fullmatch(url):
        return match[0]
    read = url_as_read(url)
    if read is None or (not read and match[2] == "src"):  # an image of "": the page itself
        return match[1]  # no address: `without_dead_ends` makes it its text
    return f'{match[1]} {match[2]}="{html.escape(read)}"'


def addresses_as_read(safe: str) -> str:
    """Each link's and image's address written as a valid URL, as browsers read it (see
    `url_as_read`): `/\\host` is `//host`, a space is %20, `[` is %5B. The sanitiser keeps
    `[a](a b.html)`, `[m](mailto:x?s=<b>)` and `[x](http:host)` as written, which HTML
    checkers refuse."""
    return _ADDRESS.sub(_address_as_read, safe) if ("href=" in safe or "src=" in safe) else safe


def scrolling_tables(safe: str) -> str:
    """Each table in a box that scrolls sideways on a narrow screen. The table itself stays
    a table: made a block to scroll, some screen readers stopped reading it as one. The box
    takes the keyboard's focus, so a reader without a mouse or touch screen scrolls it with
    the arrow keys (axe's `scrollable-region-focusable`), and is named, as a focusable
    region must be: by its number where the article has more than one ("Table 2"), for a
    region is a landmark, and landmarks of one name are one place to a screen reader (axe's
    `landmark-unique`, the judge helper)."""
    if "<table" not in safe:
        return safe
    safe = _EMPTY_HEADER_CELL.sub(r"<td\1></td>", safe)
    safe = _TABLE_CELL.sub(_cell_of_prose, safe).replace("</table>", "</table></div>")
    first, *tables = safe.split("<table")
    numbered = len(tables) > 1
    boxed = (
        TABLE_BOX.format(
            name=f"Table {n}" if numbered else "Table",
            wide=" wide" if table_chars(rest) > WIDE_TABLE_CHARS else "",
        )
        + "<table"
        + rest
        for n, rest in enumerate(tables, 1)
    )
    return first + "".join(boxed)


TABLE_BOX = '<div class="table-scroll{wide}" role="region" aria-label="{name}" tabindex="0">'
_TABLE_CELL = re.compile(r"<(td|th)\b([^>]*)>(.*?)</\1>", re.DOTALL)
# A header cell that names nothing (a table's top left corner, left empty): a data cell, as
# accessibility checkers ask (axe's `empty-table-header`), which screen readers do not read
# out as a header of its row and column (the Markdown review helper).
_EMPTY_HEADER_CELL = re.compile(r"<th\b([^>]*)>(?:\s|&nbsp;|&#160;)*</th>")
_TABLE_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.DOTALL)
PROSE_CELL_CHARS = 40  # a cell of more text is given room to read (style.css: td.prose)
# A table whose cells, each on one line, take more characters than a desktop's column holds
# scrolls on every screen: its cells of words and figures then keep to one line each (style.css:
# .wide). Wrapped at every space to fit, a table of 12 columns had rows two and three lines
# high, mostly empty, and scrolled all the same (the Markdown review helper).
WIDE_TABLE_CHARS = 76
PROSE_CELL_ROOM = 24  # characters of a prose cell's least width (style.css: 12em)


def table_chars(table: str) -> int:
    """The characters a table's widest cell of each column takes, plus two for its padding,
    summed: its width with no cell wrapped, a prose cell at its least."""
    widths: dict[int, int] = {}
    for row in _TABLE_ROW.findall(table):
        for column, cell in enumerate(_TABLE_CELL.finditer(row)):
            text = html.unescape(_TAG.sub("", cell[3]))
            chars = min(len(text), PROSE_CELL_ROOM) if 'class="prose"' in cell[2] else len(text)
            widths[column] = max(widths.get(column, 0), chars + 2)
    return sum(widths.values())


def _cell_of_prose(cell: re.Match[str]) -> str:
    """A table's cell, marked as prose when it holds a sentence or more: on a phone, beside
    columns of figures that do not wrap, such a cell was squeezed to a word a line, 15 lines
    high (the judge helper)."""
    if len(cell[3]) <= PROSE_CELL_CHARS or len(_TAG.sub("", cell[3])) <= PROSE_CELL_CHARS:
        return cell[0]
    if " class=" in cell[2]:  # the sanitiser keeps none on a cell; one class attribute only
        return cell[0]
    return f'<{cell[1]} class="prose"{cell[2]}>{cell[3]}</{cell[1]}>'


def scrolling_code(safe: str) -> str:
    """Each block of code takes the keyboard's focus, as a table's box does: a line wider
    than the column scrolls sideways (`overflow-x: auto`), which a reader without a mouse
    could not do (axe's `scrollable-region-focusable`, the judge helper). Not named: a `pre`
    is no region, and a name on it is one screen readers may not read."""
    return safe.replace("<pre>", '<pre tabindex="0">') if "<pre>" in safe else safe


LINK_REL = ' rel="noopener noreferrer"'  # the sanitiser's, on every link (`sanitise`)
LINK_WITH_REL = re.compile(r'<a\b([^>]*?) rel="noopener noreferrer"')


def without_dead_ends(safe: str) -> str:
    """Sanitised HTML without what the sanitiser leaves broken: a link whose address it
    refused (javascript:, tel:) keeps a `rel` that HTML allows only beside an `href`, an image
    whose source it refused (data:, file:) has no `src`, and a control character written as an
    entity (`&#x1b;`) comes out as the character, which HTML forbids. A link within the site
    (relative: `../other/`, `#fn:1`) loses its `rel` too, which is for other sites: on the
    site's own links it only hid the referring page from its logs (the build does the same
    for links that name the site's host: `render.own_links_without_rel`)."""
    if "<a" in safe:
        safe = LINK_WITH_REL.sub(_rel_for_other_sites, safe)
    if "<img" in safe:
        safe = IMG_TAG.sub(_image_with_source, safe)
    return CONTROL.sub("", safe)


def _rel_for_other_sites(match: re.Match[str]) -> str:
    href = dict(ATTRIBUTE.findall(match[1])).get("href")
    return (
        match[0] if href is not None and not is_local_url(html.unescape(href)) else "<a" + match[1]
    )


def _image_with_source(match: re.Match[str]) -> str:
    """An image without a source is shown as its description (escaped as the attribute was)."""
    attributes = dict(ATTRIBUTE.findall(match.group()))
    return match.group() if "src" in attributes else attributes.get("alt", "")


def _image_or_link(match: re.Match[str]) -> str:
    attributes = dict(ATTRIBUTE.findall(match.group()))
    src = attributes.get("src", "")
    if is_local_url(html.unescape(src)):
        return match.group()
    return f'<a href="{src}">{attributes.get("alt") or src}</a>'


def is_local_url(url: str) -> bool:
    """A URL a browser resolves against this site: no scheme, no host ("//host", "\\\\host")."""
    url = url.strip(C0_OR_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")
    return not (URL_SCHEME.match(url) or url.startswith("//") or "\\" in url)


def from_site_top(url: str, base_path: str) -> str | None:
    """An address written from the top of the host ("/images/map.png"), as an address from
    the site's top ("images/map.png"), which pages write relative to themselves: the site is
    built for any sub-path and for the disk. One under the site's own path ("/news/2026/",
    with `base_url` https://example.org/news/) is taken from there. None for any other
    address (relative, "//host/...", with a scheme)."""
    if not url.startswith("/") or url.startswith("//"):
        return None
    if base_path != "/" and url.startswith(base_path):
        return url[len(base_path) :]
    return url[1:]


def origin(scheme: str, netloc: str) -> str:
    """The host and port, ignoring the scheme's default port and http/https (one site). A
    host in other letters is written in ASCII, as base_url is (`config._as_uri`): a link to
    "https://straße.de/x" on the site of "https://straße.de/" was taken for another site's,
    neither checked nor kept as the site's own."""
    host = netloc.lower().rsplit("@", 1)[-1]
    if not host.isascii():
        host = ascii_host(host)
    default = {"http": ":80", "https": ":443"}.get(scheme.lower())
    return host.removesuffix(default) if default else host


def ascii_host(host: str) -> str:
    """A host (and port) in other letters as browsers write it, IDNA 2008 ("straße.de" is
    xn--strae-oqa.de); as it is where IDNA cannot write it, which then names no site."""
    import idna  # here: only for such a host

    name, colon, port = host.partition(":")  # no IPv6 address holds other letters
    try:
        return idna.encode(name, uts46=True).decode("ascii") + colon + port
    except (idna.IDNAError, UnicodeError):
        return host


def is_web_url(url: str) -> bool:
    """An http(s) address, or one with a host and no scheme ("//example.org/x")."""
    return url.lower().startswith(("http://", "https://", "//"))


# Python-Markdown is slow, quadratic or worse, on shapes no guard above can list them all:
# 20,000 setext headings ("a\\n=\\n") took 55 s, 10,000 rules 10 s. An article's Markdown
# parses in milliseconds; past this much CPU time the file is skipped: two seconds, and one
# more for each 100 KB. It reads about 150 KB a second of ordinary text rich in links and
# emphasis: with a flat 2 s, a report of 300 KB was published by some builds and skipped by
# others, and one of 400 KB never.
MARKDOWN_CPU_SECONDS = 2.0
MARKDOWN_BYTES_PER_SECOND = 100_000


def markdown_budget(body: str) -> float:
    """The CPU seconds a Markdown body may take to parse (see MARKDOWN_CPU_SECONDS)."""
    return MARKDOWN_CPU_SECONDS + len(body) / MARKDOWN_BYTES_PER_SECOND


class OutOfTime(Exception):
    """Raised inside code that ran past its `cpu_budget`."""


@contextlib.contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Stop the code in the block (OutOfTime) once it has used `seconds` of CPU time.

    In a main thread, a CPU-time timer signal (user and system time: an escape-heavy body
    spent twice its user time in the kernel). Other threads cannot take signals (the rebuild
    thread of `watch` and `serve`): there a profile hook checks the thread's CPU time every
    thousand calls, which slows the parse it watches (a few files of a rebuild) about twice."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        with profiled_budget(seconds):
            yield
        return

    def expire(signum: int, frame: object) -> None:
        raise OutOfTime

    previous = signal.signal(signal.SIGPROF, expire)
    # Again every tenth of a second after the first: an exception raised while a garbage
    # collector callback or a __del__ runs is printed and dropped, and the parse would go on.
    signal.setitimer(signal.ITIMER_PROF, seconds, 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@contextlib.contextmanager
def profiled_budget(seconds: float) -> Iterator[None]:
    """`cpu_budget` for a thread that is not the main one: a profile hook on this thread."""
    deadline = time.thread_time() + seconds
    calls = 0

    def check(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        calls += 1
        if not calls % 1000 and time.thread_time() > deadline:
            raise OutOfTime

    previous = sys.getprofile()
    sys.setprofile(check)
    try:
        yield
    finally:
        sys.setprofile(previous)


def markup_units(body: str) -> Iterator[str]:
    """The parts of a Markdown body whose inline markup is parsed, each as one string.

    A block (lines between blank lines) is one paragraph unless it starts as something else:
    a list (each item apart), a table (each row after the '|---|' rule apart), definitions
    (each apart), or indented code. Fenced code, when its fence is closed, is left out: code is
    not parsed for markup. As in Markdown, a list or table cannot interrupt a paragraph."""
    lines = body.split("\n")
    closers = {  # lines that can close a fence of backticks or tildes, in order
        char: [i for i, line in enumerate(lines) if _CLOSING_FENCE[char].fullmatch(line)]
        for char in "`~"
    }
    block: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        end = None
        if fence:  # the fence's code runs to the next closing fence of its kind, if any
            after = closers[fence.group(1)[0]]
            k = bisect.bisect_right(after, i)
            end = after[k] if k < len(after) else None
        if end is not None or not line.strip():
            yield from _block_units(block)
            block = []
            i = end + 1 if end is not None else i + 1
            continue
        block.append(line)
        i += 1
    yield from _block_units(block)


def _block_units(block: list[str]) -> Iterator[str]:
    if not block or block[0].startswith(("    ", "\t")):
        return  # nothing, or indented code
    first = block[0]
    if _LIST_ITEM.match(first) or _DEFINITION.match(first):
        starts = _LIST_ITEM if _LIST_ITEM.match(first) else _DEFINITION
        unit: list[str] = []
        for line in block:
            if starts.match(line) and unit:
                yield "\n".join(unit)
                unit = []
            unit.append(line)
        yield "\n".join(unit)
    elif len(block) > 1 and "|" in first and _TABLE_RULE.fullmatch(block[1]):
        yield from block  # the header, the rule, then each row
    else:
        yield "\n".join(block)


def footnote_work(body: str) -> int:
    """What the references to footnotes cost Python-Markdown, in MAX_FOOTNOTE_WORK's units:
    each reference to a footnote looks through those made before to the same one, so the
    squares of their numbers add up (2,000 references to one footnote took 2.5 s: the hostile
    helper)."""
    counts = collections.Counter(_FOOTNOTE_MARK.findall(body))
    return sum(n * n for n in counts.values())


def block_work(body: str) -> int:
    """What the setext underlines ("a" then "==="), definitions (": a") and thematic breaks
    ("- - -") of each block cost Python-Markdown, in MAX_BLOCK_WORK's units: each one splits
    its block and hands the rest back to be read again, so the squares of their numbers in a
    block add up (2,500 underlines in one block of 10 KB took 0.6 s, 4,900 "- - -" 5 s: the
    hostile helper; the CPU budget stopped them, at every build)."""
    work = 0
    for block in body.split("\n\n"):
        if (n := len(_SPLITS_BLOCK.findall(block))) > 1:
            work += n * n
    return work


def inline_work(units: Iterable[str]) -> int:
    """What parsing the markup of these units costs, in the units of MAX_INLINE_WORK.

    Each is weighed on its own: a list of 2,000 links parses in a fifth of a second, a
    paragraph of 2,000 links in two seconds. Footnote marks ("[^1]") cost little."""
    work = 0
    for unit in units:
        marks = sum(map(unit.count, "*_`&<\\")) + unit.count("  \n")  # escapes, breaks
        weight = unit.count("[") - unit.count("[^") + marks // 20
        work += weight * weight
    return work


# A list item's line: its indent, its marker and the spaces after it.
_LIST_ITEM = re.compile(r"( *)([-*+]|[0-9]{1,9}[.)])( +|$)")
# A line indented by one to three spaces: maybe in a list item, as CommonMark reads it.
_SHALLOW_LINE = re.compile(r"^ {1,3}\S", re.MULTILINE)
_FENCE = re.compile(r" *(`{3,}|~{3,})")
# A list item indented as one nested over MAX_NESTING deep, four spaces a level.
_DEEP_ITEM = re.compile(rf"^ {{{4 * MAX_NESTING},}}(?:[-*+]|[0-9]{{1,9}}[.)])(?: |$)", re.MULTILINE)


@dataclass
class _OpenItem:
    """A list item whose lines may follow: where its text starts, as written and as given."""

    indent: int  # of its marker, as given to Python-Markdown
    text_at: int  # the column its text starts at, as written


def nested_lists_indented(body: str) -> str:
    """`body` with its lists indented as Python-Markdown reads them, as written for CommonMark.

    CommonMark (GitHub, most editors) nests a list under an item's text ("  - b" under "- a",
    "   1." under "1."); Python-Markdown only four spaces deeper, and it made the two-space
    lists that most Markdown holds one flat list. So each line within an item moves to where
    Python-Markdown looks for that item's text, four spaces past its marker, keeping any
    further indentation (a code block stays one); a nested item's marker goes there. Lines
    in fenced code move with their fence.

    A list nested over MAX_NESTING deep is a SkipFile here, before the parser sees it: the
    parser's time grows with the square of the depth (a 1,000-deep list of 1 MB ran into its
    CPU budget after 12 s, at every build), and the nesting check after it would refuse it."""
    shallow = _SHALLOW_LINE.search(body)
    if not shallow and not _DEEP_ITEM.search(body):
        return body  # nothing indented less than four spaces: nothing reads otherwise
    lines = body.split("\n")
    items: list[_OpenItem] = []  # the items the next line may be inside, innermost last
    fence, shift, after_blank = "", 0, False
    for n, line in enumerate(lines):
        if fence:  # in fenced code: moved as its opening line was
            if line.lstrip(" ").startswith(fence):
                fence = ""
            lines[n] = " " * shift + line if shift > 0 else line
            continue
        stripped = line.lstrip(" ")
        if not stripped.strip():
            after_blank = True
            continue
        if stripped.startswith("\t"):  # indented by tabs: left as written
            after_blank = False
            continue
        indent = len(line) - len(stripped)
        item = _LIST_ITEM.match(line)
        while items and indent < items[-1].text_at and (after_blank or item):
            items.pop()  # the line is outside that item
        if item:
            spaces = len(item[3])
            text_at = indent + len(item[2]) + (spaces if 0 < spaces <= 4 else 1)
            given = items[-1].indent + 4 if items else indent
            items.append(_OpenItem(given, text_at))
            if len(items) > MAX_NESTING:
                raise SkipFile(f"its Markdown nests lists more than {MAX_NESTING} deep")
        elif items and indent >= items[-1].text_at:
            given = items[-1].indent + 4 + indent - items[-1].text_at
        else:
            given = indent  # a lazy line of a paragraph, or no list at all
        shift = given - indent
        if shift:
            lines[n] = " " * given + stripped
        if (opening := _FENCE.match(line)) is not None:
            fence = opening[1][:3]
        after_blank = False
    return "\n".join(lines) if shallow else body  # a list in fours reads as written


# The quote marks and list markers that open a line ("> > - x"), each a level of nesting.
_CONTAINERS = re.compile(r"^[ \t]*(?:(?:>|(?:[-*+]|[0-9]{1,9}[.)])[ \t])[ \t]*)+", re.MULTILINE)
_CONTAINER_MARK = re.compile(r">|[-*+][ \t]|[0-9]{1,9}[.)][ \t]")


def deepest_quoting(body: str) -> int:
    """The most quote marks and list markers that open one line, where over MAX_NESTING:
    the parser's time grows with the square of the depth of quotes ("> > > x", or with lists
    between, "> > - > x"), and 1,000 deep took 10 to 12 s before the nesting check after it
    refused the file (lists alone: `nested_lists_indented`)."""
    return max(
        (
            container_marks(body[match.start() : line_end(body, match.end())])
            for match in _CONTAINERS.finditer(body)
            if match.end() - match.start() > MAX_NESTING  # a mark takes a character or more
        ),
        default=0,
    )


def table_cells(body: str) -> int:
    """The cells of the body's tables, or a few more (`MAX_TABLE_CELLS`): in each block (lines
    between blank lines) with a line that can be a table's rule ("|---|:--:|"), the cells
    between the '|' of each other line ("a | b" and "| a | b |" have two). In quotes too
    ("> | a | b |": 1 MB of them took 10 s and 486 MB); not in fenced code, which is no table
    (a listing of 10,000 lines of "1 | 2" was refused: the code review), when the fence is
    one, as `markup_units` reads it: closed, and indented three spaces at most (an unclosed
    or indented "```" before a table had let 500,000 cells through: the verification helper)."""
    lines = [_QUOTE_MARKS.sub("", line, count=1) if ">" in line[:8] else line for line in
             body.split("\n")]  # fmt: skip
    closers = {
        char: [i for i, line in enumerate(lines) if _CLOSING_FENCE[char].fullmatch(line)]
        for char in "`~"
    }
    cells, block, i = 0, [], 0
    while i <= len(lines):
        line = lines[i] if i < len(lines) else ""
        end = None
        if fence := _FENCE.match(line):  # closed later: its code is skipped, with the fences
            after = closers[fence.group(1)[0]]
            k = bisect.bisect_right(after, i)
            end = after[k] if k < len(after) else None
        if end is None and line.strip():
            block.append(line.strip())
            i += 1
            continue
        if any("|" in rule and _TABLE_RULE.fullmatch(rule) for rule in block):
            for row in block:
                if not _TABLE_RULE.fullmatch(row):
                    cells += row.count("|") + 1 - row.startswith("|") - row.endswith("|")
        block = []
        i = end + 1 if end is not None else i + 1
    return cells


def line_end(text: str, start: int) -> int:
    """Where the line of `text` at `start` ends: its newline, or the end of `text`."""
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def container_marks(line: str) -> int:
    """The quote marks and list markers that open `line`, but for a thematic break that ends
    it ("- - -", "* * *": three or more of one mark, at most two spaces apart, as Python-Markdown
    reads a rule). A rule across the page, alone or in a quote ("> - - - ..."), is no nesting:
    70 "- " were refused as lists 70 deep where the article held a ">" anywhere."""
    marks = len(_CONTAINER_MARK.findall(line))
    mark = line.rstrip(" ")[-1:]
    if mark in ("-", "*"):
        rule = line[len(line.rstrip(mark + " ")) :]
        if rule.count(mark) >= 3 and "   " not in rule.strip(" "):
            marks -= len(_CONTAINER_MARK.findall(rule))
    return marks


def render_markdown(
    body: str, warn: Callable[[str, str, int], None] | None = None
) -> tuple[str, tuple[str, ...]]:
    units = list(markup_units(body))
    if any(unit.count("\n") >= MAX_BLOCK_LINES for unit in units):
        # Block-level parsing is quadratic in a block's lines: 20,000 setext headings, 55 s.
        raise SkipFile(
            f"its Markdown has a block of over {MAX_BLOCK_LINES:,} lines with no blank line"
        )
    if len(_ABBREVIATION.findall(body)) > MAX_ABBREVIATIONS:  # one regex over the text each
        raise SkipFile(f"its Markdown defines over {MAX_ABBREVIATIONS} abbreviations")
    if _LONG_ABBREVIATION.search(body):  # repeated at each use: 100 KB made an 80 MB page
        raise SkipFile(
            f"its Markdown defines an abbreviation of over {MAX_ABBREVIATION} characters"
        )
    if deepest(_BRACKETS.findall("\n".join(units)), "[", "]") > MAX_NESTING:
        # Markdown's link parser is quadratic in nested brackets: 20,000 took a minute.
        raise SkipFile(f"its Markdown nests brackets more than {MAX_NESTING} deep")
    if inline_work(units) > MAX_INLINE_WORK:
        raise SkipFile(
            "its Markdown has more links, emphasis or entities in a paragraph than the parser "
            "reads in reasonable time (thousands)"
        )
    if ">" in body and deepest_quoting(body) > MAX_NESTING:
        raise SkipFile(f"its Markdown nests quotes and lists more than {MAX_NESTING} deep")
    if "[^" in body and footnote_work(body) > MAX_FOOTNOTE_WORK:
        raise SkipFile(
            "its Markdown refers to one footnote more times than the parser reads in "
            "reasonable time (hundreds)"
        )
    if block_work(body) > MAX_BLOCK_WORK:
        raise SkipFile(
            "its Markdown has more headings underlined with '=' or '-', definitions or rules "
            "in one block (no blank line) than the parser reads in reasonable time (hundreds)"
        )
    if "|" in body and table_cells(body) > MAX_TABLE_CELLS:
        raise SkipFile(f"its Markdown has tables of over {MAX_TABLE_CELLS:,} cells")
    if "[^" in body and len(_FOOTNOTE_DEFINITION.findall(body)) > MAX_FOOTNOTES:
        raise SkipFile(f"its Markdown has over {MAX_FOOTNOTES:,} footnotes")
    if len(_FENCE_AT_LINE_START.findall(body)) > 2 * MAX_FENCED_BLOCKS:  # two fences a block
        raise SkipFile(f"its Markdown has over {MAX_FENCED_BLOCKS:,} fenced code blocks")
    listed = nested_lists_indented(body)
    try:
        with cpu_budget(budget := markdown_budget(body)):
            produced = markdown_converter().reset().convert(listed)
    except BaseException as exc:
        markdown_converter.cache_clear()  # left half-way, it would garble the next articles
        if isinstance(exc, RecursionError):  # it recurses per level of nesting: "> > > ..."
            raise SkipFile("its Markdown is nested too deeply to read") from None
        if isinstance(exc, OutOfTime):
            took = f"took over {budget:.1f} s to read (most take milliseconds)"
            raise OutOfBudget(
                f"its Markdown {took}: a shape the parser is slow on (read again when it "
                "changes, or in a day)"
            ) from None
        raise
    if len(produced) > MAX_GROWTH * len(body) + 100_000:
        size = f"{len(produced) / 1e6:.1f} MB of HTML from {len(body) / 1e3:.0f} KB"
        raise SkipFile(f"its Markdown makes {size}")
    refused: list[tuple[str, str, int]] = []
    dropped: list[tuple[str, str]] = []
    safe = sanitise(fences_out_of_paragraphs(produced), refused, dropped)
    if warn is not None:
        for name, reason, nth in refused:
            warn(f"the heading id {clipped(name)!r} is dropped: {reason}", name, nth)
        for name, value in dropped:  # found by its value (-1): an attribute list wrote it
            warn(
                f"the attribute {name}={clipped(ascii(value))} is dropped: {DROPPED[name]}",
                value,
                -1,
            )
    safe = without_dead_ends(remote_images_as_links(addresses_as_read(safe)))
    safe = named_backlinks(scrolling_code(scrolling_tables(safe)))
    if "<dl>\n<dd>" in safe:  # ": a definition" after a heading or a list: no term to define
        safe = safe.replace("<dl>\n<dd>", "<dl>\n<dt></dt>\n<dd>")  # a dl starts with one
    tags = [("/" if closing else "<") for closing, name in _HTML_TAG.findall(safe)
            if name.lower() not in VOID_ELEMENTS]  # fmt: skip
    if deepest(tags, "<", "/") > MAX_NESTING:  # browsers and HTML checkers give up at 256-512
        raise SkipFile(f"its Markdown nests elements more than {MAX_NESTING} deep")
    paragraphs = tuple(
        text for _, inner in _BLOCK_TEXT.findall(safe) if (text := block_text(inner))
    )
    return safe, paragraphs


def block_text(inner: str) -> str:
    """The text of one block of sanitised HTML, as words are counted and scanned for tags."""
    return clean_text(html.unescape(_TAG.sub("", _FOOTNOTE_REF.sub("", inner))))


_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>])")


def headings_under_the_title(produced: str) -> str:
    """Markdown's headings a level down when it has a `#` one: on an article's page the title
    is the one h1, and a section headed `# Background` came out as a second, beside it, for
    screen readers' list of headings. A body that starts at `##` is left as it is. (Text and
    code are escaped: "<h1" in sanitised HTML is a heading.)"""
    if "<h1" not in produced:
        return produced
    return _HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}", produced)


_LEADING_HEADING = re.compile(r"\s*<h([1-6])\b[^>]*>(.*?)</h\1>\s*", re.DOTALL)


def without_title_heading(
    body_html: str, paragraphs: tuple[str, ...], title: str
) -> tuple[str, tuple[str, ...]]:
    """A Markdown body without a first heading that repeats the title ("# Council opens
    portal" under the front matter's `title: Council opens portal`): the page showed the
    title twice, one above the other."""
    first = _LEADING_HEADING.match(body_html)
    if first is None or not paragraphs:
        return body_html, paragraphs
    text = block_text(first[2])
    if " ".join(text.split()).casefold() != " ".join(title.split()).casefold():
        return body_html, paragraphs
    return body_html[first.end() :], paragraphs[1:] if paragraphs[0] == text else paragraphs


def lead_paragraph(body_html: str) -> tuple[str, ...]:
    """The first paragraph of a Markdown body, as a summary starts; without one, its first
    block that is not a heading: lists showed "Background" for an article whose text starts
    under `## Background`, and "Country" or "Term one" for one that starts with a table or a
    definition list (the judge helper)."""
    for paragraph in _PARAGRAPH.finditer(body_html):
        if text := block_text(paragraph[1]):
            return (text,)
    for block in _BLOCK_TEXT.finditer(body_html):
        if block[1][0] != "h" and (text := block_text(block[2])):
            return (text,)
    return ()
