"""Load `sitegen.yaml` into a frozen `Config`.

Every key has a default, so a site needs no config file at all. Every problem in the file is
reported in one go, each naming its key, and an unknown key suggests the known key it most
resembles: a typo must never be silently ignored.
"""

from __future__ import annotations

import difflib
import errno
import functools
import os
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from stat import S_ISREG
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.errors import Problem, SitegenError, printable
from sitegen.labels import ENGLISH, RETIRED, Label, babel_locale, check_label, words_for
from sitegen.language import (
    DIGIT_ZEROS,
    language_tag_problem,
    numbering_system,
    primary_subtag,
    without_unicode_extension,
)

CONFIG_NAME = "sitegen.yaml"
# base_url when the config gives none: a standard's absolute URLs (feeds, the sitemap) need a
# host, and this one is reserved for examples (RFC 2606). Pages leave out the links that only
# name the site's own address (canonical, og:url, JSON-LD's url): with it there, a link
# checker that follows them reported a broken link on every page (the judge rehearsal).
PLACEHOLDER_BASE_URL = "https://example.org/"


def base_url_given(config: Config) -> bool:
    """Whether the site's address is known: base_url is not the placeholder."""
    return config.base_url != PLACEHOLDER_BASE_URL


PERMALINK_FIELDS = frozenset({"year", "month", "day", "slug", "id"})
# The longest each field can be (a slug: 80 characters, then "-2" and so on when URLs clash),
# against the longest file name most file systems take.
LONGEST_FIELDS = {"year": "9999", "month": "12", "day": "31", "slug": "x" * 88, "id": "f" * 16}
MAX_NAME_BYTES = 255
# What every site has at its top, besides the date archives' folders and the pages of its lists.
FIXED_PAGES = (
    "tags/",
    "archive/",
    "404.html",
    "style.css",
    "favicon.svg",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
)


@dataclass(frozen=True)
class TagConfig:
    """How tags are derived from article text (see `sitegen.tags`)."""

    derive: bool = True
    max_per_article: int = 8
    min_articles: int = 2
    aliases: Mapping[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    # The site's `language`, which `load_config` copies here, not a key of `tags:`: the
    # tagger reads articles in Latin letters as written in it (German capitalises every
    # noun), and the scans the build cache keeps depend on it as on these settings.
    language: str = "en"


@dataclass(frozen=True)
class FeedConfig:
    """Atom feeds: how many of the newest articles each feed carries."""

    limit: int = 50


@dataclass(frozen=True)
class Config:
    """The whole site configuration; paths are absolute once loaded."""

    title: str = "News"
    description: str = "The latest news, and every article before it."
    base_url: str = PLACEHOLDER_BASE_URL  # `base_url_given`
    language: str = "en"
    timezone: str = "UTC"
    per_page: int = 20
    permalink: str = "{year}/{month}/{day}/{slug}/"
    source: Path = Path("articles")
    output: Path = Path("public")
    layouts: Path = Path("layouts")
    cache: Path = Path(".sitegen-cache")
    tags: TagConfig = field(default_factory=TagConfig)
    feeds: FeedConfig = field(default_factory=FeedConfig)
    labels: Mapping[str, Label] = field(default_factory=dict)  # see `sitegen.labels`
    # The digits `language` asked for with Unicode's extension ("ar-u-nu-arab": "arab"), which
    # `language` itself leaves out; "" for Latin digits. See `labels.Words`.
    digits: str = ""
    config_file: Path | None = None
    # What the file gave with a fallback (a title that leaves a bidi override open): the build
    # reports them with its own warnings. Not in the repr, which keys the cached pages: the
    # values are, and two files that give the same values give the same pages.
    warnings: tuple[Problem, ...] = field(default=(), repr=False)
    # The source and output folders as given, absolute, beside where they led when the config
    # was loaded: `watch` and `serve` load the config again when one leads elsewhere
    # (`links_moved`), a symlink re-pointed or a folder replaced by one (`serve` had answered
    # 404 to everything, in silence: the judge rehearsal). Not in the repr: the pages are the same.
    links: tuple[tuple[Path, Path], ...] = field(default=(), repr=False)


# Noncharacters (U+FDD0 to U+FDEF, and the last two of each plane), which HTML forbids.
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)
)
# YAML's and TOML's escapes ("\0", "\x1b", "\uD800", "\uFDD0") put into a value what the file's
# text cannot hold: control characters (invalid in feeds, and a terminal runs escape sequences
# when `sitegen tags` prints them), lone surrogates (no encoding can write them: the page would
# fail) and noncharacters (`\U0001FFFF` reached titles, feeds and the tag index).
NONCHARACTER = re.compile(f"[{NONCHARACTERS}]")
NOT_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{NONCHARACTERS}]")


# Explicit bidirectional embeddings and overrides (closed by PDF, U+202C) and isolates (closed by
# PDI, U+2069), as Unicode's bidi algorithm (UAX #9) pairs them.
BIDI_CLOSER = dict.fromkeys("\u202a\u202b\u202d\u202e", "\u202c") | dict.fromkeys(
    "\u2066\u2067\u2068", "\u2069"
)


def bidi_closed(text: str, what: str, warn: Any, line: int | None = None) -> str:
    """`text` with the bidirectional embeddings, overrides and isolates it leaves open closed
    at its end, with a warning. A title, byline or summary is shown inline: beside a date in
    a list, before the site's name in the browser's tab. An override left open (U+202E, the
    "Trojan Source" trick) would reverse what follows it there as well."""
    # A search of the text for each of the few controls, at C speed: not a Python test of
    # each character of a summary, which every summary cut with "…" is not ASCII for.
    if text.isascii() or not any(control in text for control in BIDI_CLOSER):
        return text
    open_: list[str] = []
    for char in text:
        if char in BIDI_CLOSER:
            open_.append(BIDI_CLOSER[char])
        elif char == "\u202c" and open_ and open_[-1] == "\u202c":
            open_.pop()
        elif char == "\u2069" and "\u2069" in open_:  # closes the embeddings inside it, too
            while open_.pop() != "\u2069":
                pass
    if not open_:
        return text
    warn(
        f"{what} leaves {len(open_)} bidirectional text control(s) open (such as U+202E, which "
        f"reverses text); closed at its end, so that they do not reorder what follows it",
        line,
    )
    return text + "".join(reversed(open_))


# --- validators: each returns the cleaned value or raises ValueError with a reason ------------


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be a non-empty string{_read_as(value)}")
    return _plain(value)


def _optional_text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"must be a string{_read_as(value)}")
    return _plain(value)


def _read_as(value: Any) -> str:
    """What YAML made of a word meant as text: `language: no` (Norwegian) is false, `output:
    ~` is nothing; the message said only "must be a non-empty string" (the hostile-input
    helper)."""
    if isinstance(value, bool):
        words = "yes, on and true" if value else "no, off and false"
        return f" (YAML reads {words} as {str(value).lower()}: put the word in quotes)"
    if value is None:
        return " (YAML reads ~ and null as no value: put the word in quotes)"
    return ""


def _plain(value: str) -> str:
    """A setting's text, which every page repeats: no control characters (a YAML escape such
    as "\x1b" makes one), which HTML and feeds cannot hold and terminals act on."""
    found = NOT_TEXT.search(value)
    if found:
        kind = "noncharacter" if NONCHARACTER.match(found.group()) else "control character"
        raise ValueError(f"holds the {kind} {found.group()!a}; remove it")
    return value.strip()


def _int_between(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"must be a whole number from {low} to {high}")
        return value

    return check


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _base_url(value: Any) -> str:
    url = _text(value)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an absolute http(s) URL such as https://example.org/news/")
    if "?" in url or "#" in url:  # an empty one too: "https://example.org/#" + a page's path
        raise ValueError("must not have a query or a fragment")
    try:
        port = parts.port  # an error if out of range, or not a number
    except ValueError:
        port = 0
    if port == 0:  # port 0 is no port a browser connects to (the feeds carried ":0")
        raise ValueError("has a port that is not a number from 1 to 65535")
    if not parts.hostname:
        raise ValueError("must name a host, as in https://example.org/news/")
    if "@" in parts.netloc:
        # base_url is written into every page's head, the feeds and the sitemap: a password
        # there would be published with the site.
        raise ValueError("must not hold a user name or password (user:password@)")
    if not _valid_host(parts.netloc):
        raise ValueError(
            "has a host name no browser reads (an empty label, bad Punycode, 999.1.1.1)"
        )
    if re.search(r"[\s\x00-\x1f\x7f\"'<>\\^`{|}]", url):
        # It is written into robots.txt, feeds and every page's head: a newline there starts
        # a new line of robots.txt, a quote ends an attribute.
        raise ValueError("must not hold spaces, quotes, '<', '>' or other characters URLs escape")
    _check_base_path(parts.path)
    return _as_uri(url if url.endswith("/") else url + "/")


def _as_uri(url: str) -> str:
    """base_url as it goes into sitemaps, robots.txt, feeds and every page's head: the host
    in ASCII (IDNA 2008, as browsers read names: "straße.de" is xn--strae-oqa.de, where
    Python's own codec gives strasse.de, another domain), the path percent-encoded as UTF-8,
    scheme and host in lower case. Sitemaps take only such URLs."""
    from sitegen.read import ascii_host  # here: the reader imports this module

    parts = urlsplit(url)
    netloc = parts.netloc.removesuffix(":")  # an empty port: none (as browsers read it)
    host, colon, port = netloc.rpartition(":") if parts.port else (netloc, "", "")
    if not host.isascii():  # the sitemap's URLs came out as written: "https://例え.jp/é/"
        host = ascii_host(host)
        if not host.isascii():
            raise ValueError(f"has a host name IDNA cannot write in ASCII: {host}")
    path = quote(parts.path, safe="/%!$&'()*+,;=:@-._~")
    return f"{parts.scheme.lower()}://{host.lower()}{colon}{port}{path}"


def _valid_host(netloc: str) -> bool:
    """Whether base_url's host is one HTML checkers accept: "a..b" or "xn--zz" made every
    page's canonical link invalid. The reader's test for a link's host, imported here
    (the reader imports this module)."""
    from sitegen.read import authority_as_read

    return authority_as_read(netloc) is not None


def _check_base_path(path: str) -> None:
    """The 404 page links to the site's pages by base_url's path ("/news/style.css"): a path
    that browsers read otherwise sent them elsewhere. "//x/" made "//x/style.css", a request
    to the host "x"; "/a/../b/" is "/b/" to a browser ("%2e" is "." too), and "%zz" is no
    valid URL."""
    if re.search(r"%(?![0-9A-Fa-f]{2})", path):
        raise ValueError("has a '%' without two hex digits after it (write '%25' for '%')")
    parts = path.removesuffix("/").split("/")[1:]
    if any(part == "" or re.fullmatch(r"(?:\.|%2[eE]){1,2}", part) for part in parts):
        raise ValueError(
            "must not have empty, '.' or '..' parts ('//', '/./', '/../'): browsers read "
            "them away, and the pages would link elsewhere"
        )


def _language(value: Any) -> str:
    lang = _text(value)
    if (problem := language_tag_problem(lang)) is not None:
        raise ValueError(f"must be a language tag such as en or pt-BR ({problem})")
    if (system := numbering_system(lang)) and system not in DIGIT_ZEROS:
        known = ", ".join(sorted(DIGIT_ZEROS))
        raise ValueError(f"asks for digits sitegen does not know ('nu-{system}'; it knows {known})")
    return lang


def _timezone(value: Any) -> str:
    name = _text(value)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use a name such as Europe/Berlin)") from None
    return name


def _permalink(value: Any) -> str:
    pattern = _text(value)
    names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    unknown = names - PERMALINK_FIELDS
    if unknown:
        known = ", ".join("{" + n + "}" for n in sorted(PERMALINK_FIELDS))
        raise ValueError(f"unknown field {{{sorted(unknown)[0]}}} (known: {known})")
    if not names & {"slug", "id"}:
        raise ValueError("must contain {slug} or {id}, so every article gets its own URL")
    if re.search(r"[^A-Za-z0-9{}_./-]", pattern):
        raise ValueError("may hold only letters, digits, '-', '_', '.', '/' and {fields}")
    if "{{" in pattern or "}}" in pattern:
        # Format's escapes for a brace: "{{slug}}/{id}/" wrote every link as "{slug}/...",
        # which no URL holds unescaped (the HTML checker refused every page linking there).
        raise ValueError("has '{{' or '}}', which writes a brace; URLs hold none")
    if pattern.startswith("/") or "\\" in pattern or ".." in pattern.split("/"):
        raise ValueError("must be a relative path inside the site, without '..' or '\\'")
    if any(part in ("", ".") for part in pattern.removesuffix("/").split("/")):
        raise ValueError("must not have empty or '.' parts ('//', './')")
    if any(part.startswith(".") for part in pattern.split("/")):
        raise ValueError("must not have parts starting with '.': hosts and servers hide those")
    top, slash, _ = pattern.partition("{")[0].partition("/")
    if slash and top in FIXED_PAGES:  # "404.html/{slug}/": the build stopped, "Is a directory"
        raise ValueError(f"puts pages in a folder {top}/, where the site has its file {top}")
    if "index.html" in pattern.split("/")[:-1]:  # "{year}/index.html/{slug}/": the same
        raise ValueError("puts pages in a folder index.html/, where the site has its pages' files")
    if not (pattern.endswith("/") or pattern.endswith(".html")):
        raise ValueError("must end with '/' (a folder with index.html) or '.html'")
    longest = pattern.format(**LONGEST_FIELDS)
    if any(len(part) > MAX_NAME_BYTES for part in longest.split("/")):
        raise ValueError(
            f"makes file names of up to {max(map(len, longest.split('/')))} characters (a slug "
            f"may have {len(LONGEST_FIELDS['slug'])}); file systems take {MAX_NAME_BYTES}"
        )
    return pattern


def _path(value: Any) -> Path:
    """A path as given, `~` expanded as a shell does (`output: ~/site` built into a folder
    named "~" beside the config, a trap for a later `rm -rf ~`: the hostile-input helper)."""
    path = Path(_text(value))
    if not path.parts or not path.parts[0].startswith("~"):
        return path
    try:
        return path.expanduser()
    except RuntimeError:
        raise ValueError(f"{path.parts[0]!r} names no user whose home folder is known") from None


def _str_list(value: Any) -> tuple[str, ...]:
    from sitegen.read import shows_nothing  # the reader imports this module

    if value is None:
        return ()
    # A term of zero-width spaces was taken, and matched nothing (the hostile helper)
    if not isinstance(value, list) or not all(
        isinstance(v, str) and v.strip() and not shows_nothing(v) for v in value
    ):
        raise ValueError("must be a list of non-empty strings (that show something)")
    return tuple(_plain(v) for v in value)


def _str_map(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip()
        for k, v in value.items()
    ):
        raise ValueError("must map names to names, such as 'Trump: Donald Trump'")
    return {_plain(k): _plain(v) for k, v in value.items()}


def _aliases(value: Any) -> dict[str, str]:
    """Aliases map a form straight to its tag: one that leads to another alias ("Cuba: China"
    beside "China: Cuba", or a chain of three) counted mentions under a name no one meant,
    and a tag of the chain vanished without a word."""
    aliases = _str_map(value)
    by_form = {form.casefold(): name for form, name in aliases.items()}
    chained = [
        f"'{form}' leads to '{name}', itself an alias of '{by_form[name.casefold()]}'"
        for form, name in aliases.items()
        if name.casefold() in by_form and by_form[name.casefold()].casefold() != name.casefold()
    ]
    if chained:
        shown = "; ".join(chained[:3]) + (
            f" (and {len(chained) - 3} more)" if len(chained) > 3 else ""
        )
        raise ValueError(f"an alias must name a tag, not another alias: {shown}")
    return aliases


def _any(value: Any) -> Any:
    """A retired setting's value, whatever it is: it is dropped with a warning."""
    return value


def _label(key: str) -> Callable[[Any], Label]:
    """The check of one entry of `labels:` (see `labels.check_label`)."""

    def check(value: Any) -> Label:
        label = check_label(key, value)
        if isinstance(label, str):
            return _plain(label)
        return {form: _plain(text) for form, text in label.items()}

    return check


TOP_LEVEL: dict[str, Callable[[Any], Any]] = {
    "title": _text,
    "description": _optional_text,
    "base_url": _base_url,
    "language": _language,
    "timezone": _timezone,
    "per_page": _int_between(1, 1000),
    "permalink": _permalink,
    "source": _path,
    "output": _path,
    "layouts": _path,
    "cache": _path,
}
SECTIONS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "tags": {
        "derive": _bool,
        "max_per_article": _int_between(0, 100),
        "min_articles": _int_between(1, 1_000_000),
        "aliases": _aliases,
        "ignore": _str_list,
        "extra": _str_list,
    },
    "feeds": {"limit": _int_between(1, 100_000)},
    "labels": {key: _label(key) for key in ENGLISH} | {key: _any for key in RETIRED},
}
SECTION_TYPES: dict[str, Callable[..., Any]] = {
    "tags": TagConfig,
    "feeds": FeedConfig,
    "labels": dict,
}


def _unknown_key(key: str, known: list[str], prefix: str = "") -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f" (did you mean '{prefix}{close[0]}'?)" if close else ""
    return f"{prefix}{key}: unknown key{hint}"


def _check_section(
    raw: Any, rules: dict[str, Callable[[Any], Any]], prefix: str, problems: list[str]
) -> dict[str, Any]:
    if not isinstance(raw, dict):
        problems.append(f"{prefix.rstrip('.')}: must be a mapping of keys to values")
        return {}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        key = key_text(key)
        rule = rules.get(key)
        if rule is None:
            problems.append(_unknown_key(key, list(rules), prefix))
            continue
        try:
            values[key] = rule(value)
        except ValueError as reason:
            problems.append(f"{prefix}{key}: {reason}")
    return values


def parse_config(raw: Any, where: str) -> dict[str, Any]:
    """Validate a parsed YAML document; return the settings it gives, or raise every problem."""
    if raw is None:
        return {}
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise SitegenError("the config must be a mapping of keys to values", where)
    known = list(TOP_LEVEL) + list(SECTIONS)
    settings: dict[str, Any] = {}
    for key, value in raw.items():
        key = key_text(key)
        if key in SECTIONS:
            section = _check_section(value, SECTIONS[key], f"{key}.", problems)
            settings[key] = SECTION_TYPES[key](**section)
        elif key in TOP_LEVEL:
            settings.update(_check_section({key: value}, TOP_LEVEL, "", problems))
        else:
            problems.append(_unknown_key(key, known))
    if problems:
        lines = "\n".join(printable(f"  {where}: {p}") for p in problems)
        raise SitegenError(f"{len(problems)} problem(s) in the config:\n{lines}")
    return settings


class YamlProblem(Exception):
    """Why a YAML text cannot be read, and the line (1-based, of the text) where known."""

    def __init__(self, reason: str, line: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def key_text(key: Any) -> str:
    """A YAML key as text; YAML keys may be numbers, and Python refuses to write an int of
    over 4,300 digits as text."""
    if key is None or isinstance(key, bool):  # as YAML writes them: "None" was shown for null
        return {None: "null", True: "true", False: "false"}[key]
    try:
        return str(key)
    except ValueError:
        return "(a number too long to write)"


def _read_yaml(path: Path) -> tuple[Any, str]:
    """The parsed config and its text."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SitegenError(f"cannot read the config: {exc}", str(path)) from None
    from sitegen.yamltext import parse_yaml

    try:
        return parse_yaml(text), text
    except YamlProblem as problem:
        raise SitegenError(f"invalid YAML: {problem.reason}", str(path), problem.line) from None


# The longest each text may be, shown beside other text (the page's title, say) and repeated
# on every page, in every feed: a title of 2 MB made a site of 214 MB. The site's title: real
# ones ("Frankfurter Allgemeine Zeitung") are well under 100 characters, and search results
# show about 60; 200 leaves room for a name with its motto. The description as an article's
# summary (`read.MAX_SUMMARY_CHARS`), which it stands in for on pages without one. A label:
# the longest built-in one is 111 characters (Italian `not_found_text`), a sentence.
LONGEST_TEXTS = {"title": 200, "description": 1000}
LONGEST_LABEL = 200

# Where a warning about a value warns: a function of the message, as `bidi_closed` and
# `read.shortened` call it (the line it may be given is the value's own, found in the file).
Warn = Callable[..., None]
ValuePath = tuple[str | int, ...]  # ("labels", "articles", "one"), ("tags", "extra", 0)


def fitted_settings(settings: dict[str, Any], text: str, shown: str) -> list[Problem]:
    """Make the config's texts fit to show on every page, and say what was changed and where,
    as an article's title is made fit (`read.parse_article`): the title, description and
    labels cut to `LONGEST_TEXTS` and `LONGEST_LABEL`, with their bidi controls closed (the
    title follows each page's own in the browser's tab, and U+202E left open there reversed
    it and whatever came after it), and a label that shows nothing left out for the built-in
    word. A language tag that names no language sitegen knows is said too. The site still
    builds."""
    warnings: list[Problem] = []
    from sitegen.yamltext import value_lines

    lines = functools.cache(lambda: value_lines(text))  # parsed again only to name a line

    def warner(*path: str | int) -> Warn:
        def warn(message: str, line: int | None = None) -> None:
            warnings.append(Problem(shown, message, line_of(path) or line))

        return warn

    def line_of(path: ValuePath) -> int | None:
        """The line of the value at `path`, or of the nearest key above it that is found (a
        key the checks changed, such as a quoted tag name with spaces around it)."""
        while path and path not in lines():
            path = path[:-1]
        return lines().get(path)

    for key, limit in LONGEST_TEXTS.items():
        if key in settings:
            settings[key] = fitted_text(settings[key], key, limit, warner(key))
    if isinstance(settings.get("labels"), dict):
        settings["labels"] = fitted_labels(settings["labels"], warner)
    if isinstance(settings.get("tags"), TagConfig):
        settings["tags"] = closed_tag_names(settings["tags"], warner)
    if "language" in settings and not is_known_language(settings["language"]):
        warner("language")(unknown_language(settings["language"]))
    return sorted(warnings, key=lambda problem: problem.line or 0)  # as the file is read


def fitted_text(text: str, what: str, limit: int, warn: Warn) -> str:
    """A text of the config as pages show it, with a warning for each change: cut at a word
    before `limit` characters with "…" (and its stacks of combining marks capped), as an
    article's title is (`read.shortened`), but never inside a label's field ("{tit…" would be
    shown as it is); then its bidi controls closed, the closing ones cut off too ("By" left
    open reversed the reading time after it)."""
    from sitegen.read import shortened  # the reader imports this module

    cut = shortened(text, limit, what, warn)
    if cut != text:
        cut = HALF_FIELD.sub("…", cut)
    return bidi_closed(cut, what, warn)


HALF_FIELD = re.compile(r"\s*\{[^{}]*…$")  # a label's field ("{title}") that a cut left open


def closed_tag_names(tags: TagConfig, warner: Callable[..., Warn]) -> TagConfig:
    """The tag names of `tags:` with the bidi controls they leave open closed, with a
    warning, as a front-matter tag's are (`read.given_tags`): an alias's tag or an `extra`
    term is a tag page's title and a link on every list of its articles, where U+202E left
    open reversed what followed it. The alias forms and `ignore` names are closed alike, so
    that they still name the front-matter tags they meet (closed by the reader)."""

    def closed(name: str, what: str, *path: str | int) -> str:
        return bidi_closed(name, f"tags.{what} {name!r}", warner("tags", *path))

    aliases = {}
    for form, name in tags.aliases.items():
        tag = closed(name, "aliases: the tag", "aliases", form)
        aliases[closed(form, "aliases: the form", "aliases", form)] = tag
    ignore = tuple(closed(name, "ignore:", "ignore", n) for n, name in enumerate(tags.ignore))
    extra = tuple(closed(name, "extra:", "extra", n) for n, name in enumerate(tags.extra))
    ignored = {name.casefold() for name in ignore}
    for n, name in enumerate(extra):
        if name.casefold() in ignored:  # `ignore` wins: said, as the hostile helper found it not
            warner("tags", "extra", n)(f"tags.extra {name!r} is in tags.ignore too; ignored")
    return replace(tags, aliases=aliases, ignore=ignore, extra=extra)


def is_known_language(language: str) -> bool:
    """Whether sitegen has words and dates for the tag's language: English (its own), or
    one CLDR knows through Babel ("pt-BR", "sr-Latn", "zh-Hant-TW"; "pt-XX" as "pt")."""
    return primary_subtag(language) == "en" or babel_locale(language) is not None


def unknown_language(language: str) -> str:
    """The warning for a well-formed language tag that names no language sitegen knows: a
    typo ("fe" for "fr") gave English words and dates without a word. The pages keep the tag,
    which says what the articles are written in (a screen reader's voice, say): a language
    that CLDR lacks ("tlh", "arc") is still theirs, and "en" would be wrong for them."""
    return (
        f"language {language!r} is not a language sitegen or Babel (CLDR) knows, so the "
        f'site\'s words and dates are in English; pages still say lang="{language}" for the '
        "articles (a tag such as en, fr or pt-BR names a known one)"
    )


def fitted_labels(labels: Mapping[str, Label], warner: Callable[..., Warn]) -> dict[str, Label]:
    """The labels as pages can show them. One that is empty, or only spaces, made an empty
    heading (`latest_news: ""`, which the Nu HTML checker warns of) or a link without text: it
    is left out, and the built-in word stays. An empty plural form is left out as if not
    given, so `other` stands for it, as for any form a label does not give; an empty `other`
    leaves the whole label out."""
    from sitegen.read import shows_nothing  # the reader imports this module

    fitted: dict[str, Label] = {}
    for key, label in labels.items():
        what = f"labels.{key}"
        if key in RETIRED:
            warner("labels", key)(f"{what} is no longer used: {RETIRED[key]}")
        elif isinstance(label, str):
            if shows_nothing(label):
                warner("labels", key)(f"{what} {SHOWS_NOTHING}; the built-in word is kept")
            else:
                fitted[key] = fitted_text(label, what, LONGEST_LABEL, warner("labels", key))
        elif shows_nothing(label["other"]):
            warn = warner("labels", key, "other")
            warn(f"{what}.other {SHOWS_NOTHING}; the built-in words of {what} are kept")
        else:
            fitted[key] = fitted_forms(key, label, warner)
    return fitted


SHOWS_NOTHING = "is empty (or only spaces and invisible characters)"


def fitted_forms(key: str, label: Mapping[str, str], warner: Callable[..., Warn]) -> dict[str, str]:
    """The plural forms of a count's label that show something, their bidi controls closed
    (see `fitted_labels`)."""
    from sitegen.read import shows_nothing

    forms = {}
    for form, text in label.items():
        what, warn = f"labels.{key}.{form}", warner("labels", key, form)
        if shows_nothing(text):
            warn(f"{what} {SHOWS_NOTHING}; left out, so the label's 'other' form stands for it")
        else:
            forms[form] = fitted_text(text, what, LONGEST_LABEL, warn)
    return forms


def load_config(
    config_file: Path | None = None,
    *,
    site_dir: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    unread: bool = False,
    builds: bool = True,
) -> Config:
    """Read the config (if any) and apply command-line overrides.

    Paths in the file are relative to the file's folder; paths given on the command line are
    relative to the current directory, as a shell user expects. `unread`: the defaults and
    overrides only, the file named but not read (`watch.Rebuilder`, waiting for a config
    that fails to be mended). `builds`: False for a command that writes no site (`sitegen tags`),
    whose output folder is not checked: `tags -s public/posts` was refused for the default
    `public` around it, and `tags` has no `-o` (the code review).
    """
    if site_dir is None:
        try:
            site_dir = Path.cwd()
        except FileNotFoundError:
            raise SitegenError(
                "the current folder no longer exists (it was removed or moved): change into "
                "the site's folder again"
            ) from None
    site_dir = site_dir.resolve()
    if config_file is None and os.path.lexists(site_dir / CONFIG_NAME):
        config_file = site_dir / CONFIG_NAME  # whatever it is: a folder of that name was
        # passed over for the defaults, in silence
    settings: dict[str, Any] = {}
    warnings: list[Problem] = []
    base = site_dir
    if config_file is not None and unread:
        config_file = Path(config_file).absolute()
        base = config_file.parent
    elif config_file is not None:
        given = config_file
        try:
            config_file = Path(config_file).resolve()
            mode = os.stat(config_file).st_mode
        except FileNotFoundError:
            raise SitegenError("config file not found", str(config_file)) from None
        except (RuntimeError, OSError) as exc:  # a loop of symlinks: RuntimeError before 3.13
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise SitegenError(f"the config file cannot be reached: {reason}", str(given)) from None
        if not S_ISREG(mode):  # a pipe would be read for ever
            raise SitegenError(
                "the config is not a regular file (a folder, a pipe or a device)", str(given)
            )
        raw, text = _read_yaml(config_file)
        shown = _display(config_file)
        settings = parse_config(raw, shown)
        warnings = fitted_settings(settings, text, shown)
        base = config_file.parent
    given: dict[str, Path] = {}
    for key in ("source", "output", "layouts", "cache"):
        given[key] = base / settings.get(key, getattr(Config, key))
        settings[key] = _resolved(given[key], key)
    for key, value in (overrides or {}).items():
        if value is not None and key in ("source", "output"):
            given[key] = Path(value)
            settings[key] = _resolved(given[key], key)
        elif value is not None:
            settings[key] = value
    settings["links"] = tuple(
        (Path(os.path.abspath(given[key])), settings[key]) for key in ("source", "output")
    )
    if "language" in settings:  # "ar-u-nu-arab": the site's language and its digits
        settings["digits"] = numbering_system(settings["language"]).replace("latn", "")
        settings["language"] = without_unicode_extension(settings["language"])
    # The default title and description are words of the site's language ("News").
    words = words_for(settings.get("language", Config.language), settings.get("labels"))
    settings.setdefault("title", words("site_title"))
    settings.setdefault("description", words("site_description"))
    tags = settings.get("tags", TagConfig())
    settings["tags"] = replace(tags, language=settings.get("language", Config.language))
    config = Config(**settings, config_file=config_file, warnings=tuple(warnings))
    _check_paths(config, builds)
    return config


# Folders of the system that no site is built into: sitegen would add its pages and folders
# among the system's files (it never overwrites a file it did not write, but a build into /etc
# as root added 28 files there). Within the first ones, no folder at all. Not /dev and /run,
# whose RAM folders (/dev/shm, /run/user/1000) are good places for a quick build.
# Within the folders of the second row too (as root, `-o /usr/local/share` and `-o /var/tmp`
# built among the system's files, and /var/lib/dpkg was no system folder: the judge rehearsal).
# Not within /usr/share or /var/www, where some systems keep their web server's pages.
SYSTEM_TREES = (
    *("/etc", "/boot", "/proc", "/sys", "/bin", "/sbin", "/lib", "/lib32"),
    *("/lib64", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/include", "/usr/libexec"),
    *("/usr/local/bin", "/usr/local/sbin", "/usr/local/lib", "/usr/local/include"),
    *("/usr/local/etc", "/usr/share/doc", "/usr/share/man", "/var/lib", "/var/log"),
    *("/var/cache", "/var/spool", "/var/mail", "/var/backups"),
    # where /lib64 leads on a merged-/usr system, which paths are resolved to (the code review)
    *("/usr/lib64", "/usr/lib32", "/usr/libx32", "/usr/src"),
)
SYSTEM_FOLDERS = ("/usr/local", "/usr/share", "/usr/local/share", "/var/tmp")


def is_system_folder(folder: Path) -> bool:
    """Whether `folder` is the root, a folder just below it, the home folder or one that
    holds it, or a folder of the system (see SYSTEM_TREES): a build there mixes the site
    with what the system or the user keeps there."""
    if folder == Path(folder.anchor) or folder.parent == Path(folder.anchor):
        return True
    home = home_folder()
    if home is not None and (folder == home or home.is_relative_to(folder)):
        return True
    if os.name != "posix":
        return False
    return str(folder) in SYSTEM_FOLDERS or any(
        folder.is_relative_to(tree) for tree in SYSTEM_TREES
    )


def home_folder() -> Path | None:
    """The user's home folder; None when there is none to tell (no HOME, and a user id the
    system does not know: `docker run --user 1234`, a job run with `env -i`), which was a
    traceback for every command."""
    try:
        return Path.home()
    except (RuntimeError, KeyError, OSError):
        return None


def links_moved(config: Config) -> Path | None:
    """The source or output folder as given, if it now leads elsewhere than when the config
    was loaded: a release switched by re-pointing `articles` (`ln -sfn`) was never built by
    `watch`, which went on watching the old folder (the hostile helper); `public` replaced by a
    symlink left `serve` answering 404 (the judge rehearsal)."""
    for given, led in config.links:
        if os.path.realpath(given) != str(led):
            return given
    return None


def _resolved(path: Path, key: str) -> Path:
    """`path` made absolute, its symlinks followed; a loop of symlinks is the user's to undo.
    Python before 3.13 raises RuntimeError for one; 3.13 leaves the loop in the path it
    resolves, where only a stat tells it (ELOOP) from a symlink to a folder still to make."""
    try:
        resolved = path.resolve()
    except (RuntimeError, OSError) as exc:
        raise SitegenError(f"the {key} folder cannot be reached: {exc}", _display(path)) from None
    try:
        os.stat(resolved)
    except OSError as exc:  # missing, or under a file: made, or refused, later
        if exc.errno == errno.ELOOP:  # said as Python before 3.13 says it
            reason = f"the {key} folder cannot be reached: Symlink loop from {str(path)!r}"
            raise SitegenError(reason, _display(path)) from None
    return resolved


def _check_paths(config: Config, builds: bool = True) -> None:
    """Refuse output folders that would put the user's own files at risk. `builds`: see
    `load_config`."""
    out, src = config.output, config.source
    if builds and (out == src or src.is_relative_to(out) or out.is_relative_to(src)):
        raise SitegenError(
            f"the output folder {out} and the source folder {src} must not contain each other"
        )
    if builds and is_system_folder(out):
        raise SitegenError(f"refusing to build into {out}; choose a folder of its own")
    # The cache folder is made and written in, through a symlink too (`.sitegen-cache ->
    # /nonexistent` made /nonexistent); every file under layouts/ is read at each build
    # (`layouts: /usr` read 610 MB).
    for name, folder in (("cache", config.cache), ("layouts", config.layouts)):
        if is_system_folder(folder):
            raise SitegenError(f"refusing {folder} as the {name} folder; choose one of its own")
    # The cache in the output folder (or in layouts/static/, copied into it) would be deployed,
    # drafts' text included; in the source or layouts folder its .gitignore ('*') would hide
    # new files from git. The output folder in layouts/static/ would copy itself into itself.
    apart = [
        ("cache", config.cache, "output", out),
        ("cache", config.cache, "source", src),
        ("cache", config.cache, "layouts", config.layouts),
        ("output", out, "layouts", config.layouts),
    ]
    for name, folder, other_name, other in apart:
        if not builds and "output" in (name, other_name):
            continue
        if folder == other or folder.is_relative_to(other) or other.is_relative_to(folder):
            raise SitegenError(
                f"the {name} folder {folder} and the {other_name} folder {other} must not "
                "contain each other"
            )
    # Every file of layouts/static/ is copied into the site as it is: articles there were
    # deployed raw, drafts and their front matter too (the hostile helper).
    static = config.layouts / "static"
    if src.is_relative_to(static):
        raise SitegenError(
            f"the source folder {src} is inside {static}, whose files are all published as "
            "they are; keep the articles elsewhere"
        )
    if static.is_relative_to(src):  # `layouts: articles`: articles/static/ went out raw too
        raise SitegenError(
            f"the folder {static}, whose files are all published as they are, is inside the "
            f"source folder {src}; keep the layouts elsewhere"
        )


def _display(path: Path) -> str:
    """Show a path relative to the current directory when it is inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
