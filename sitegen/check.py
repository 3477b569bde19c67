"""Check a built site before it is deployed: `sitegen check [PUBLIC_DIR]`.

Works on the files alone, so it checks any build (and hand-added files) the way a browser and a
crawler will meet them, with `base_url` telling where the folder will be served:

* every internal link and asset resolves to a file (a folder to its index.html); a link that
  climbs above the site's own path (`/style.css` on a site served at `/news/`) is an error;
* every HTML page has a doctype and parses without errors: UTF-8, no end tag that closes
  nothing or the wrong element (the parser is libxml2's HTML5 tokenizer, through lxml);
* every .xml file is well-formed; Atom and RSS feeds and sitemaps list only pages that exist;
* no page and no stylesheet makes the browser *request* another host: scripts, stylesheets,
  images, media, frames (and what an <iframe srcdoc> holds), objects, fonts and CSS url(),
  image-set() and @import (read by CSS's tokenizer, escapes and all), preload and preconnect
  hints.
  A plain <a href> (or <form action>) to another site is a link the reader chooses to follow,
  not a request, and is allowed; so are canonical/alternate/prev/next <link>s, which browsers
  do not fetch.
* a link to a place on its own page (`#fn:1`) finds an element with that id there (a
  footnote's link whose id the sanitiser dropped led nowhere); fragments of links to other
  pages are not checked.

Finding files is one directory walk into a set, so a link costs a set lookup, not a stat.
Pages are parsed by lxml (C, about ten times faster than the standard library's html.parser:
15,000 pages in seconds, not a minute); big sites are checked by several processes at once.
"""

from __future__ import annotations

import contextlib
import functools
import os
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from sitegen.errors import clipped, locate, printable
from sitegen.read import (
    URL_SCHEME,
    display,
    folded,
    is_regular_file,
    origin,
    resolves_inside,
)

# <link rel> values that make a browser fetch the href (or connect to its host).
FETCHING_RELS = frozenset({
    "stylesheet", "icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon",
    "manifest", "preload", "prefetch", "preconnect", "dns-prefetch", "modulepreload",
    "prerender",
})  # fmt: skip
# Attributes whose URL the browser loads by itself, by element.
REQUEST_ATTRS: dict[str, tuple[str, ...]] = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),  # SVG
    "use": ("href", "xlink:href"),  # SVG
    "html": ("manifest",),
    "body": ("background",),
}
LINK_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "form": ("action",),
    "button": ("formaction",),
}
# A comment cannot hold "-->": with `.*?`, a file of 40 comments and no doctype took the regex
# through every way of grouping them (doubling with each comment), and `check` never ended.
DOCTYPE = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<!--(?:[^-]|-(?!->))*-->\s*)*<!doctype html\b", re.I | re.S
)
URL_TAGS = (*REQUEST_ATTRS, *LINK_ATTRS, "link", "style", "base")
STYLED = etree.XPath("//*[@style]")
# CSS functions whose strings the browser loads: url("x") and, in image sets, "x" 2x.
CSS_LOADING = frozenset({"url", "src", "image-set", "-webkit-image-set"})
# A relative path with nothing to decode: no scheme, query, fragment or %-escape.
PLAIN_RELATIVE = re.compile(r"[^/:?#%\s\\][^:?#%\s\\]*")
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MAX_SRCDOC_DEPTH = 8  # frames in frames: each level's quotes escaped again, a page of them
PARALLEL_FROM = 400  # pages; below this, starting processes costs more than it saves
CHUNK = 200


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: the file (relative to the checked folder), its line if known, what is wrong."""

    path: str
    line: int
    message: str

    def text(self, public: Path) -> str:
        where = display(public / self.path)
        return printable(f"{locate(where, self.line)}: {clipped(self.message)}")


@dataclass(frozen=True)
class CheckReport:
    files: int
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Served:
    """What every file's check needs: the files that exist and where the site is served."""

    files: frozenset[str]
    base_url: str  # ends with '/'
    host: str = field(init=False)
    path: str = field(init=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        object.__setattr__(self, "host", origin(parts.scheme, parts.netloc))
        object.__setattr__(self, "path", parts.path or "/")

    @functools.cached_property
    def by_folded_name(self) -> dict[str, str]:
        """The files by their names as a host ignoring case and accents' encoding compares
        them (`read.folded`): made once, for the first link that leads nowhere."""
        return {folded(name): name for name in sorted(self.files, reverse=True)}


# --- the whole folder --------------------------------------------------------------------------


def check_site(public: Path, base_url: str, *, jobs: int | None = None) -> CheckReport:
    """Check every page, feed, sitemap and stylesheet under `public`.

    `jobs`: processes to use; by default one per CPU for big sites, none for small ones.
    """
    files = frozenset(walk(public))
    site = Served(files, base_url)
    checked = sorted(f for f in files if f.endswith((".html", ".htm", ".xml", ".css")))
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(checked) >= PARALLEL_FROM else 1
    if jobs > 1:
        chunks = [checked[i : i + CHUNK] for i in range(0, len(checked), CHUNK)]
        with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(public, site)) as pool:
            results = list(pool.map(_check_chunk, chunks))
        findings = [f for chunk in results for f in chunk]
    else:
        findings = [f for rel in checked for f in check_file(public, site, rel)]
    return CheckReport(len(checked), tuple(sorted(findings)))


def is_inside(path: Path, folder: Path) -> bool:
    return resolves_inside(path, os.path.realpath(folder))


def walk(public: Path) -> Iterator[str]:
    """Every file's path relative to `public`, with '/'; hidden files and folders left out."""
    for dirpath, dirnames, filenames in os.walk(public):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        rel = Path(dirpath).relative_to(public).as_posix()
        prefix = "" if rel == "." else rel + "/"
        for name in filenames:
            if not name.startswith("."):
                yield prefix + name


_WORKER: tuple[Path, Served] | None = None


def _init_worker(public: Path, site: Served) -> None:
    global _WORKER
    _WORKER = (public, site)


def _check_chunk(rels: list[str]) -> list[Finding]:
    assert _WORKER is not None
    public, site = _WORKER
    return [f for rel in rels for f in check_file(public, site, rel)]


def check_file(public: Path, site: Served, rel: str) -> list[Finding]:
    path = public / rel
    if not is_regular_file(path) or (path.is_symlink() and not is_inside(path, public)):
        # A named pipe would be read forever, a link to /dev/zero until memory runs out; a
        # link out of the folder is not served (`serve`), nor deployed by most tools.
        return [
            Finding(rel, 0, "not a regular file in the folder (a pipe, a device or a link out)")
        ]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [Finding(rel, 0, f"cannot read: {exc.strerror or exc}")]
    if rel.endswith(".xml"):
        return check_xml(site, rel, data)
    if rel.endswith(".css"):
        text, findings = decode(rel, data)
        return findings + check_css(site, rel, text, 1)
    return check_html(site, rel, data)


def decode(rel: str, data: bytes) -> tuple[str, list[Finding]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return data.decode("utf-8", errors="replace"), [Finding(rel, line, "not valid UTF-8")]


# --- URLs --------------------------------------------------------------------------------------


def page_url(site: Served, rel: str) -> str:
    return site.base_url + rel


def check_url(
    site: Served, rel: str, line: int, url: str, base: str, request: bool, what: str
) -> Finding | None:
    """None when `url` (found in file `rel`, relative to `base`) is fine; else the problem."""
    url = url.strip()
    if not url or url.startswith("#"):
        return None  # this very page
    if base == site.base_url + rel and PLAIN_RELATIVE.fullmatch(url):
        return check_plain_relative(site, rel, line, url, request, what)
    read = url  # as a browser reads it: "\\" is "/", so "/\\host/x" is on another host
    if "\\" in url and web_or_relative(url):
        read = url.replace("\\", "/")
    try:
        above = climbs_above_top(site, url, base)
        parts = urlsplit(urljoin(base, read))
    except ValueError:  # "//[::1" (an IPv6 host not closed), a host NFKC reads as another
        return Finding(rel, line, f"{what} {url} is not a valid URL")
    if above:
        return Finding(rel, line, f"{what} {url} climbs above the site's top folder")
    if parts.scheme not in ("http", "https"):
        if request and parts.scheme not in ("data", "blob"):
            return Finding(rel, line, f"{what} {url!r} is loaded with a {parts.scheme}: URL")
        return None  # mailto:, tel:, ... are for the reader's other programs
    if origin(parts.scheme, parts.netloc) != site.host:
        if request:
            return Finding(rel, line, f"requests another host: {what} {url}")
        return None  # a link to another site
    if not parts.path.startswith(site.path):
        if not request and urlsplit(read).netloc:  # https://example.org/ from /news/: the
            return None  # author names the host's other pages on purpose, as another site's
        return Finding(rel, line, f"{what} {url} points outside the site (served at {site.path})")
    target = unquote(parts.path[len(site.path) :])
    return missing(site, rel, line, url, target, request, what)


def web_or_relative(url: str) -> bool:
    """An http(s) URL or one without a scheme: where the URL standard reads "\\" as "/"."""
    scheme = URL_SCHEME.match(url)
    return scheme is None or scheme.group().lower() in ("http:", "https:")


def check_plain_relative(
    site: Served, rel: str, line: int, url: str, request: bool, what: str
) -> Finding | None:
    """The common case, a relative path such as ../../style.css, without urljoin's cost."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(rel), url))
    if joined == ".." or joined.startswith("../"):
        return Finding(rel, line, f"{what} {url} climbs above the site's top folder")
    if joined == ".":
        target = ""
    elif url.endswith("/") or url.rsplit("/", 1)[-1] in (".", ".."):
        target = joined + "/"
    else:
        target = joined
    return missing(site, rel, line, url, target, request, what)


def missing(
    site: Served, rel: str, line: int, url: str, target: str, request: bool, what: str
) -> Finding | None:
    if resolves(site, target):
        return None
    shown = target + "index.html" if target == "" or target.endswith("/") else target
    kind = "missing asset" if request else "broken link"
    hint = spelled_otherwise(site, shown)
    return Finding(rel, line, f"{kind}: {what} {url} (no file {shown}{hint})")


def spelled_otherwise(site: Served, name: str) -> str:
    """'; there is X' for a file of the site whose name differs from `name` only in case or
    in how its accents are encoded (é as one letter or as e and an accent, which print
    alike): typed on one system and saved on another, "no file café.png" beside a café.png
    said nothing that helped."""
    there = site.by_folded_name.get(folded(name))
    if there is None:
        return ""
    if there.lower() == name.lower():
        return f"; there is {there}"
    return f"; there is {there}, its accents encoded otherwise: {there!a}, not {name!a}"


def climbs_above_top(site: Served, url: str, base: str) -> bool:
    """A relative link with one '../' too many.

    Browsers stop at the host's root, so it works when the site is served at the root and
    breaks under a sub-path: catch it whatever base_url says.
    """
    ref = urlsplit(url)
    if ref.scheme or ref.netloc or not ref.path or ref.path.startswith("/"):
        return False
    base_path = urlsplit(base).path
    if not base_path.startswith(site.path):
        return False
    folder = posixpath.dirname(base_path[len(site.path) :])
    return posixpath.normpath(posixpath.join(folder, ref.path)).split("/")[0] == ".."


def resolves(site: Served, target: str) -> bool:
    if target == "" or target.endswith("/"):
        return target + "index.html" in site.files
    if posixpath.normpath(target) != target:
        return False
    # A folder named without its slash: servers redirect to the slash.
    return target in site.files or target + "/index.html" in site.files


# --- HTML --------------------------------------------------------------------------------------


def check_html(site: Served, rel: str, data: bytes) -> list[Finding]:
    """Parse errors (end tags that close nothing or the wrong element, bad bytes) and URLs."""
    if (crowded := crowded_tag(data)) is not None:
        line = data.count(b"\n", 0, crowded) + 1
        return [Finding(rel, line, f"an element of over {MAX_ATTRIBUTES:,} attributes: not read")]
    parser = etree.HTMLParser(encoding="utf-8", no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.LxmlError as exc:
        return [Finding(rel, 0, f"cannot parse: {exc}")]
    findings = [Finding(rel, e.line, f"does not parse: {e.message}") for e in parser.error_log]
    if root is None:
        return [*findings, Finding(rel, 0, "empty page")]
    if not DOCTYPE.match(data):
        findings.append(Finding(rel, 1, "no <!DOCTYPE html>: browsers render it in quirks mode"))
    findings.extend(document_urls(site, rel, root, page_url(site, rel), b"style" in data))
    if b'href="#' in data:
        findings.extend(missing_places(rel, root))
    return findings


# libxml2 compares each attribute of an element with those before it: 100,000 on one element
# took 20 s to parse (the hostile helper), 10,000 a fifth of a second. No page has that many.
MAX_ATTRIBUTES = 10_000
LONG_TAG = re.compile(rb"<[A-Za-z][^<>]{%d}" % (MAX_ATTRIBUTES * 2))  # 2: the least, "a "
QUOTED = re.compile(rb"\"[^\"]*\"|'[^']*'")


def crowded_tag(data: bytes) -> int | None:
    """Where an element of more than `MAX_ATTRIBUTES` attributes starts, if one does: only a
    start tag long enough to hold them is counted (a search at C speed, for any page), by
    its words outside quotes ("a=1", "b" and "c = '1 2'" are three)."""
    for long in LONG_TAG.finditer(data):
        end = data.find(b">", long.start())
        tag = QUOTED.sub(b"v", data[long.start() : len(data) if end < 0 else end])
        if len(re.sub(rb"\s*=\s*", b"=", tag).split()) > MAX_ATTRIBUTES + 1:  # + the name
            return long.start()
    return None


NAMED_PLACES = etree.XPath("//@id | //a/@name")
LINKS_TO_PLACES = etree.XPath('//a[starts-with(normalize-space(@href), "#")]')


def missing_places(rel: str, root: etree._Element) -> Iterator[Finding]:
    """Links to a place on their own page (`<a href="#fn:1">`) that no element's id (or an
    <a>'s name) names. "#" alone and "#top" lead to the top of any page."""
    ids = set(NAMED_PLACES(root))
    for element in LINKS_TO_PLACES(root):
        href = element.get("href").strip()
        if len(href) > 1:
            place = unquote(href[1:])
            if place not in ids and place.lower() != "top":
                yield Finding(
                    rel,
                    element.sourceline or 0,
                    f"broken link: <a href> {href} (no element with id {place!r} on the page)",
                )


def document_urls(
    site: Served,
    rel: str,
    root: etree._Element,
    base: str,
    styled: bool,
    line: int = 0,
    depth: int = 0,
) -> Iterator[Finding]:
    """The problems with the URLs of a page, or of a document an <iframe srcdoc> holds
    (`line`: the iframe's, for all of them; `base`: the page's, which srcdoc inherits)."""
    for element in root.iter(*URL_TAGS):  # lxml filters the elements in C: much faster
        yield from element_urls(site, rel, element, base, line, depth)
        if element.tag == "base" and element.get("href"):
            with contextlib.suppress(ValueError):  # browsers ignore a <base> not parsing
                base = urljoin(base, element.get("href"))
    if styled:
        for element in STYLED(root):
            where = line or element.sourceline or 0
            yield from check_css(site, rel, element.get("style"), where, base)


def srcdoc_urls(
    site: Served, rel: str, html: str, base: str, line: int, depth: int
) -> Iterator[Finding]:
    """An <iframe srcdoc>'s document loads what a page would: its images, scripts, frames."""
    if depth >= MAX_SRCDOC_DEPTH:
        yield Finding(
            rel, line, f"<iframe srcdoc> nested over {MAX_SRCDOC_DEPTH} deep: not checked"
        )
        return
    if "<" not in html:
        return
    parser = etree.HTMLParser(encoding="utf-8", no_network=True)
    root = etree.fromstring(html.encode(), parser)
    if root is not None:
        yield from document_urls(site, rel, root, base, "style" in html, line, depth + 1)


def element_urls(
    site: Served, rel: str, element: etree._Element, base: str, line: int = 0, depth: int = 0
) -> Iterator[Finding]:
    """The problems with the URLs one element links to or makes the browser load (`line`:
    where they are, if not the element's own line)."""
    tag, values, line = element.tag, element.attrib, line or element.sourceline or 0

    def check(url: str, request: bool, what: str) -> Iterator[Finding]:
        finding = check_url(site, rel, line, url, base, request, what)
        if finding is not None:
            yield finding

    if tag == "style" and element.text:
        yield from check_css(site, rel, element.text, line, base)
    if tag == "link" and "href" in values:
        rels = set(values.get("rel", "").lower().split())
        if rels & {"preconnect", "dns-prefetch"}:
            try:
                parts = urlsplit(urljoin(base, values["href"]))
            except ValueError:  # a hint to no host: browsers connect nowhere
                parts = None
            if parts and parts.netloc and origin(parts.scheme, parts.netloc) != site.host:
                yield Finding(rel, line, f"requests another host: <link> hint to {values['href']}")
        else:
            request = bool(rels & FETCHING_RELS)
            yield from check(values["href"], request, f"<link rel={values.get('rel', '')}>")
    for name in REQUEST_ATTRS.get(tag, ()):
        if name in values:
            for url in srcset(values[name]) if name == "srcset" else (values[name],):
                yield from check(url, True, f"<{tag} {name}>")
    if tag == "iframe" and values.get("srcdoc"):
        yield from srcdoc_urls(site, rel, values["srcdoc"], base, line, depth)
    for name in LINK_ATTRS.get(tag, ()):
        if name in values:
            yield from check(values[name], False, f"<{tag} {name}>")


def srcset(value: str) -> list[str]:
    """The URLs of a srcset ('a.jpg 1x, b.jpg 2x')."""
    return [c.split()[0] for c in re.split(r",\s+", value.strip()) if c.strip()]


def check_css(
    site: Served, rel: str, text: str, first_line: int, base: str | None = None
) -> list[Finding]:
    """What a stylesheet, a <style> element or a style attribute makes the browser load."""
    if "(" not in text and "@" not in text:  # url(), image-set() and @import all need one
        return []
    findings = []
    for line, url in css_urls(text):
        where = first_line + line - 1
        found = check_url(site, rel, where, url, base or page_url(site, rel), True, "CSS url()")
        if found is not None:
            findings.append(found)
    return findings


def css_urls(text: str) -> Iterator[tuple[int, str]]:
    """(line, URL) of each url(), image-set() string and @import in `text`, read by CSS's own
    tokenizer (tinycss2), as the browser reads them: escapes included, so `url(\\2f\\2f
    host/x)` and `\\75rl(//host/x)` are the URL //host/x, which no pattern of ours caught."""
    import tinycss2  # 5 ms; the build imports this module for Markdown links, without CSS

    pending = [iter(tinycss2.parse_component_value_list(text, skip_comments=True))]
    importing = False  # after @import: its string or url() comes next
    while pending:
        node = next(pending[-1], None)
        if node is None:
            pending.pop()
            continue
        kind = node.type
        if kind == "url" or (kind == "string" and importing):
            yield node.source_line, node.value
        elif kind == "function":
            if node.lower_name in CSS_LOADING:
                for argument in node.arguments:
                    if argument.type == "string":
                        yield argument.source_line, argument.value
            pending.append(iter(node.arguments))
        elif kind in ("() block", "[] block", "{} block"):
            pending.append(iter(node.content))
        if kind not in ("whitespace", "comment"):
            importing = kind == "at-keyword" and node.lower_value == "import"


# --- feeds and sitemaps ------------------------------------------------------------------------


def check_xml(site: Served, rel: str, data: bytes) -> list[Finding]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        return [Finding(rel, line, f"not well-formed XML: {exc}")]
    if root.tag == f"{ATOM}feed":
        urls = [(e.get("href", ""), "feed link") for e in root.iter(f"{ATOM}link")]
    elif root.tag in (f"{SITEMAP}urlset", f"{SITEMAP}sitemapindex"):
        urls = [(e.text or "", "sitemap URL") for e in root.iter(f"{SITEMAP}loc")]
    elif root.tag == "rss":
        urls = [(e.text or "", "feed link") for e in root.iter("link")]
    else:
        return []
    findings = []
    for url, what in urls:
        found = xml_url(site, rel, url, what)
        if found is not None:
            findings.append(found)
    return findings


def xml_url(site: Served, rel: str, url: str, what: str) -> Finding | None:
    """Feeds and sitemaps may list only this site's pages, and only existing ones."""
    try:
        parts = urlsplit(urljoin(page_url(site, rel), url.strip()))
    except ValueError:
        return Finding(rel, 0, f"{what} {url} is not a valid URL")
    if origin(parts.scheme, parts.netloc) != site.host:
        return Finding(rel, 0, f"{what} {url} is not on this site ({site.base_url})")
    return check_url(site, rel, 0, url, page_url(site, rel), False, what)
