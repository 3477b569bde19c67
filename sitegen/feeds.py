"""What the web needs to follow and find the site: Atom feeds, the sitemap and robots.txt.

Pure functions from the model to bytes; `render.py` decides which files exist and yields them.
Sitemap indexes are built with `xml.etree.ElementTree`; what there are thousands of (feeds,
their entries, sitemap URLs) is written directly, in the same bytes, every text through
`xml_text` or `xml_attr` (tests hold feed heads and entries to the library's bytes). The output is
deterministic: no build timestamps, a feed's `updated` is its newest entry's date.

Dates: an article has a calendar date and no time of day. It is written as noon of that day in
the site's `timezone`, with that zone's offset on that day (so daylight saving time is right).
Noon rather than midnight: midnight does not exist on some days in some zones (DST starting at
00:00), and a reader that converts the time to its own zone shows the same calendar day as long
as its offset is within 12 hours of the site's; at midnight every reader west of the site would
see the day before.

Entry ids: `urn:uuid:` with a UUID 5 of the site's host and path and the article's id (from its
file name). They survive a new title, slug, date or permalink pattern, and a switch from http to
https; they change only when the site moves to another address, where readers re-subscribe anyway.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from sitegen.config import Config, base_url_given
from sitegen.language import direction
from sitegen.model import Tag, TagRef
from sitegen.read import Article

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED = "feed.xml"  # the site's feed; each tag's is `tags/<slug>/feed.xml`
SITEMAP_LIMIT = 50_000  # URLs per sitemap file (sitemaps.org)
GENERATOR = "sitegen"
# An entry carries the text of an article up to this much HTML (a long story is 50 KB); a longer
# one, its summary and link: fifty articles near the 2 MB limit made a site feed of 100 MB.
MAX_FEED_CONTENT_CHARS = 200_000
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
EPOCH = "1970-01-01T00:00:00+00:00"  # `updated` of a feed with no entries, still deterministic
ID_NAMESPACE = uuid.UUID("6f1c0f6e-2b7a-5a43-9a8e-5e0c6d1f4b21")  # sitegen's own, fixed forever
# Characters XML 1.0 forbids even escaped; ElementTree would write them and break the feed.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class SitemapPage(NamedTuple):
    """One page for the sitemap: its site-relative URL and the date its content last changed.
    A named tuple: a site has tens of thousands, made again whenever the sitemap is."""

    url: str
    lastmod: dt.date | None


SAFE_URL = re.compile(r"[A-Za-z0-9/._~-]*")
SAFE_URLS = re.compile(r"[A-Za-z0-9/._~\n-]*")  # SAFE_URL, one a line


def absolute_url(config: Config, url: str) -> str:
    """A site-relative URL ('' for the home page) made absolute with the configured base_url."""
    if SAFE_URL.fullmatch(url):  # slugs and dates: nothing to quote (the common case)
        return config.base_url + url
    return config.base_url + quote(url, safe="/:@!$&'()*+,;=-._~")


def tag_feed_url(tag: Tag | TagRef) -> str:
    return f"{tag.url}{FEED}"


def published_at(date: dt.date, timezone: str) -> dt.datetime:
    """Noon of the article's day in the site's time zone (see the module docstring)."""
    return dt.datetime.combine(date, dt.time(12), tzinfo=ZoneInfo(timezone))


@functools.cache  # a few thousand days; an article page shows its day twice, feeds often
def timestamp(date: dt.date, timezone: str) -> str:
    """RFC 3339 with the zone's offset on that day: 2026-02-06T12:00:00+01:00.

    Before standard time, zones kept local mean time, offsets with seconds (Amsterdam was
    +00:19:32 until 1937), which RFC 3339 cannot write: the offset is rounded to the minute,
    which keeps the article's day and noon (in UTC, a day far east or west could change)."""
    moment = published_at(date, timezone)
    offset = moment.utcoffset()
    if offset is not None and offset.seconds % 60:
        minutes = round(offset.total_seconds() / 60)
        moment = moment.replace(tzinfo=dt.timezone(dt.timedelta(minutes=minutes)))
    return moment.isoformat()


def entry_id(config: Config, article: Article) -> str:
    parts = urlsplit(config.base_url)
    return (
        f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'{parts.netloc.lower()}{parts.path}#{article.id}')}"
    )


def clean(text: str) -> str:
    return XML_INVALID.sub("", text)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: clean(v) for k, v in attrs.items()})
    if text is not None:
        element.text = clean(text)
    return element


def _serialize(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    return XML_DECLARATION + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"


class FeedWriter:
    """Writes the Atom 1.0 feeds of one site.

    An article appears in the site's feed and in each of its tags' feeds: its entry is
    written once, and the same text is placed in every feed that carries it (a big site has
    thousands of tag feeds).
    """

    def __init__(
        self,
        config: Config,
        urls: Mapping[str, str],
        tag_names: Callable[[Article], Iterable[str]],
        body_html: Callable[[Article], str],
    ) -> None:
        self.config = config
        self.urls = urls
        self.tag_names = tag_names
        self.body_html = body_html
        self.entries: dict[tuple[str, bool], str] = {}

    def feed(
        self,
        *,
        title: str,
        feed_url: str,
        page_url: str,
        articles: Sequence[Article],
        full: bool = True,
    ) -> bytes:
        """A feed of `articles` (newest first, already cut to the limit).

        `feed_url` and `page_url` are site-relative: the feed itself and the page it follows.
        `full` feeds carry each article's text; the others its summary and link (tag feeds: a
        corpus has hundreds, and the text of every article in each would be most of the site).
        """
        newest = timestamp(articles[0].date, self.config.timezone) if articles else EPOCH
        head = self.head(title, feed_url, page_url, newest)
        entries = "".join(self.entry(article, full) for article in articles)
        return XML_DECLARATION + (head + entries + "</feed>\n").encode("utf-8")

    def head(self, title: str, feed_url: str, page_url: str, updated: str) -> str:
        """A feed's start, up to its entries, as ElementTree writes it indented: written
        directly, as entries are (a test holds it to the library's bytes). Built as a tree, it
        took 45 of the 55 us a tag feed of five entries took, and a site has a feed a tag."""
        config = self.config
        lines = [
            f'<feed xmlns="{ATOM_NS}" xml:lang="{xml_attr(config.language)}">',
            f"  {xml_element('id', absolute_url(config, feed_url))}",
            f"  {xml_element('title', title)}",
        ]
        if config.description:
            lines.append(f"  {xml_element('subtitle', config.description)}")
        self_url, page = absolute_url(config, feed_url), absolute_url(config, page_url)
        lines += [
            f'  <link rel="self" type="application/atom+xml" href="{xml_attr(self_url)}" />',
            f'  <link rel="alternate" type="text/html" href="{xml_attr(page)}" />',
            f"  {xml_element('updated', updated)}",
            # Atom wants an author for every entry; the site stands in for those without a byline.
            "  <author>",
            f"    {xml_element('name', config.title)}",
            "  </author>",
            f"  {xml_element('generator', GENERATOR)}",
            "",
        ]
        return "\n".join(lines)

    def entry(self, article: Article, full: bool = True) -> str:
        """The serialized <entry>, indented to sit inside <feed>: the bytes ElementTree gives,
        written directly. A tag feed is mostly entries, and the element tree took four
        milliseconds a feed (a big site has hundreds of tag feeds in every cold build)."""
        cached = self.entries.get((article.id, full))
        if cached is not None:
            return cached
        config = self.config
        link = xml_attr(absolute_url(config, self.urls[article.id]))
        when = timestamp(article.date, config.timezone)
        # Relative links in a Markdown body resolve against the article's page, not the feed.
        # An article in another language than the feed's says so (a language tag: no escaping).
        lang = f' xml:lang="{article.lang}"' if article.lang else ""
        parts = [
            f'  <entry xml:base="{link}"{lang}>\n',
            f"    <id>{xml_text(entry_id(config, article))}</id>\n",
            f"    {xml_element('title', article.title, 'text')}\n",
            f'    <link rel="alternate" type="text/html" href="{link}" />\n',
            f"    <published>{when}</published>\n    <updated>{when}</updated>\n",
        ]
        if article.byline:
            parts.append(
                f"    <author>\n      {xml_element('name', article.byline)}\n    </author>\n"
            )
        parts += [f'    <category term="{xml_attr(name)}" />\n' for name in self.tag_names(article)]
        if article.summary:
            parts.append(f"    {xml_element('summary', article.summary, 'text')}\n")
        body = self.body_html(article) if full else ""
        if body and direction(article.lang or config.language):
            # Feed readers lay entries out left to right; Atom has no direction of its own.
            body = f'<div dir="rtl">{body}</div>'
        if full and len(body) <= MAX_FEED_CONTENT_CHARS:
            # The body is HTML (escaped text or sanitised Markdown); type="html" carries it escaped.
            parts.append(f"    {xml_element('content', body, 'html')}\n")
        parts.append("  </entry>\n")
        text = "".join(parts)
        self.entries[(article.id, full)] = text
        return text


def sitemaps(
    config: Config, pages: Sequence[SitemapPage], limit: int = SITEMAP_LIMIT
) -> dict[str, bytes]:
    """`sitemap.xml`, split into `sitemap-N.xml` files under a sitemap index past `limit` URLs."""
    chunks = [pages[i : i + limit] for i in range(0, len(pages), limit)] or [[]]
    if len(chunks) == 1:
        return {"sitemap.xml": _urlset(config, chunks[0])}
    files = {f"sitemap-{n}.xml": _urlset(config, chunk) for n, chunk in enumerate(chunks, 1)}
    index = ET.Element("sitemapindex", {"xmlns": SITEMAP_NS})
    for name, chunk in zip(files, chunks, strict=True):
        entry = _add(index, "sitemap")
        _add(entry, "loc", absolute_url(config, name))
        dates = [p.lastmod for p in chunk if p.lastmod is not None]
        if dates:
            _add(entry, "lastmod", max(dates).isoformat())
    return {"sitemap.xml": _serialize(index), **files}


def _urlset(config: Config, pages: Sequence[SitemapPage]) -> bytes:
    """The same bytes ElementTree gives, written directly: a site has tens of thousands of
    pages, and the element tree took half a second of every build that added one.

    When every URL holds only characters that need no quoting or escaping (slugs and dates,
    checked in one pass), each is the escaped base URL and itself: a regular expression and an
    escape per URL took 0.08-0.13 s of each rebuild that writes the sitemap at 10,000 articles.
    """
    if not pages:
        return XML_DECLARATION + f'<urlset xmlns="{SITEMAP_NS}" />\n'.encode()
    urls = [page.url for page in pages]
    joined = "\n".join(urls)
    if SAFE_URLS.fullmatch(joined) and joined.count("\n") == len(urls) - 1:  # no URL has one
        base = xml_text(config.base_url)
        locs = [base + url for url in urls]
    else:
        locs = [xml_text(absolute_url(config, url)) for url in urls]
    parts = [f'<urlset xmlns="{SITEMAP_NS}">\n']
    for loc, page in zip(locs, pages, strict=True):
        if page.lastmod is None:
            parts.append(f"  <url>\n    <loc>{loc}</loc>\n  </url>\n")
        else:
            # A date alone (W3C Datetime allows it): no time of day to invent, no offset to shift.
            date = page.lastmod.isoformat()
            parts.append(
                f"  <url>\n    <loc>{loc}</loc>\n    <lastmod>{date}</lastmod>\n  </url>\n"
            )
    parts.append("</urlset>\n")
    return XML_DECLARATION + "".join(parts).encode("utf-8")


def xml_text(text: str) -> str:
    """Text as XML character data, as ElementTree escapes it."""
    text = clean(text)
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def xml_attr(text: str) -> str:
    """Text as an XML attribute value in double quotes, as ElementTree escapes it."""
    text = xml_text(text)
    if '"' in text or "\r" in text or "\n" in text or "\t" in text:
        text = text.replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
        text = text.replace("\t", "&#09;")
    return text


def xml_element(name: str, text: str, content_type: str = "") -> str:
    """A leaf element, as ElementTree writes it (empty text makes an empty-element tag), with
    Atom's `type` attribute if given."""
    text = xml_text(text)
    start = f'{name} type="{content_type}"' if content_type else name
    return f"<{start}>{text}</{name}>" if text else f"<{start} />"


def robots_txt(config: Config) -> bytes:
    """Allow everything and name the sitemap, once the site's address is known: without a
    base_url the line named the placeholder's, https://example.org/sitemap.xml.

    Crawlers read robots.txt only at a host's root: on a sub-path deploy this file is inert
    and the site owner's root robots.txt should carry the Sitemap line.
    """
    if not base_url_given(config):
        return b"User-agent: *\nDisallow:\n"
    return f"User-agent: *\nDisallow:\n\nSitemap: {absolute_url(config, 'sitemap.xml')}\n".encode()
