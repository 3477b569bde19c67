"""Turn the `Site` model into output files (path + bytes) through jinja2 templates.

Never touches the disk except to read templates and static assets: `write.py` decides what
reaches `public/`. Every link is relative (`root` is the way back to the site's top), so the
built folder works at a domain's root and under any sub-path alike.

Absolute URLs appear only where a standard needs them (canonical, OpenGraph, JSON-LD, feeds,
sitemap); they are `base_url` + the site-relative URL, so a sub-path deploy carries its path.

Template context, the same names in every template:
    site         the Config (title, description, language, base_url, ...)
    root         relative prefix from this page to the site's top ("./", "../../", ...)
    page_url     this page's site-relative URL ("" for the home page)
    page_title   the page's own title ("" on the home page)
    description  a one-line description of the page (meta description, OpenGraph, Twitter)
    section      "home", "archive", "tags" or "" (marks the current nav entry)
    urls         article id -> site-relative URL
    canonical    this page's absolute URL ("" on the 404 page, which has no address of its own)
    feeds        Links (label, site-relative url) to the Atom feeds for <link rel="alternate">
    og_type      "article" on article pages, otherwise "website"
    prev_page    site-relative URL of the previous page of a paginated list, or None
    next_page    site-relative URL of the next page of a paginated list, or None
    json_ld      a dict for <script type="application/ld+json"> (use `|tojson`), or None
Article pages add: article, tags, related, newer, older, day_url,
    published (the article's date as an RFC 3339 timestamp with the site's offset).
List pages (list.html) add: listing, heading, children, children_label.
The tag index (tags.html) adds: tags, by_count, by_letter. The archive index adds: years, total.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from sitegen.config import Config
from sitegen.errors import SitegenError
from sitegen.feeds import (
    FEED,
    FeedWriter,
    SitemapPage,
    absolute_url,
    robots_txt,
    sitemaps,
    tag_feed_url,
    timestamp,
)
from sitegen.model import (
    MONTHS,
    Link,
    Listing,
    Site,
    Tag,
    listings,
    output_path,
    years_summary,
)
from sitegen.read import Article, is_editor_litter

PACKAGE_DIR = Path(__file__).parent
BUILTIN_TEMPLATES = PACKAGE_DIR / "templates"
BUILTIN_STATIC = PACKAGE_DIR / "static"
RELATED_LIMIT = 5


@dataclass(frozen=True)
class Output:
    """One file of the built site. `source` names what produced it, for error messages."""

    path: str
    data: bytes
    source: str


@dataclass(frozen=True)
class Child:
    label: str
    url: str
    count: int


def make_environment(layouts: Path) -> jinja2.Environment:
    """The site's `layouts/` first, then the built-in templates.

    A site overrides one template by dropping a file of the same name into `layouts/`, and can
    extend the built-in version of it as `default/<name>`.
    """
    builtin = jinja2.FileSystemLoader(BUILTIN_TEMPLATES)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(layouts),
                jinja2.PrefixLoader({"default": builtin}),
                builtin,
            ]
        ),
        autoescape=jinja2.select_autoescape(("html", "htm", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["longdate"] = lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    # `tojson` escapes <, >, & and ' as \u003c etc.: JSON-LD text cannot close its <script>.
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}
    return env


def root_of(url: str) -> str:
    """The relative way from a page back to the site's top: '' -> './', 'a/b/' -> '../../'."""
    return "../" * url.count("/") or "./"


class Renderer:
    """Renders pages of one site; holds the compiled templates."""

    def __init__(self, site: Site, env: jinja2.Environment) -> None:
        self.site = site
        self.env = env
        self.templates: dict[str, jinja2.Template] = {}

    def template(self, name: str) -> jinja2.Template:
        if name not in self.templates:
            self.templates[name] = load_template(self.env, name)
        return self.templates[name]

    def page(self, template: str, url: str, source: str, **context: Any) -> Output:
        config = self.site.config
        base = {
            "site": config,
            "root": context.pop("root", root_of(url)),
            "page_url": url,
            "urls": self.site.urls,
            "section": "",
            "description": config.description,
            "canonical": absolute_url(config, url),
            "feeds": (Link(config.title, FEED),),
            "og_type": "website",
            "prev_page": None,
            "next_page": None,
            "json_ld": None,
        }
        base.update(context)
        html = render_template(self.template(template), base)
        return Output(output_path(url), html.encode("utf-8"), source)

    def article(self, article: Article) -> Output:
        newer, older = self.site.newer_and_older(article)
        d = article.date
        url = self.site.urls[article.id]
        tags = self.site.tags_of.get(article.id, ())
        return self.page(
            "article.html",
            url,
            article.source,
            article=article,
            page_title=article.title,
            description=article.summary or self.site.config.description,
            og_type="article",
            published=timestamp(article.date, self.site.config.timezone),
            json_ld=news_article(self.site.config, article, url, tags),
            tags=tags,
            related=related_articles(self.site, article),
            newer=newer,
            older=older,
            day_url=f"{d.year:04d}/{d.month:02d}/{d.day:02d}/",
        )

    def listing(self, listing: Listing) -> Output:
        children, label = self.children_of(listing)
        heading = f"Tagged “{listing.title}”" if listing.kind == "tag" else listing.title
        feeds: tuple[Link, ...] = (Link(self.site.config.title, FEED),)
        if listing.tag is not None:
            feeds += (Link(tag_feed_title(self.site, listing.tag), tag_feed_url(listing.tag)),)
        if listing.kind == "home":
            title = "" if listing.number == 1 else f"Latest news, page {listing.number}"
        else:
            title = heading if listing.number == 1 else f"{heading}, page {listing.number}"
        return self.page(
            "list.html",
            listing.url,
            f"the {listing.kind} list {listing.first_url or 'home'}",
            listing=listing,
            heading=heading,
            page_title=title,
            children=children,
            children_label=label,
            section="home" if listing.kind == "home" else "",
            description=listing_description(listing, self.site.config.description),
            feeds=feeds,
            prev_page=listing.newer_page,
            next_page=listing.older_page,
        )

    def children_of(self, listing: Listing) -> tuple[list[Child], str]:
        """On a year page, its months; on a month page, its days (a quick way down)."""
        if listing.kind not in ("year", "month") or listing.number != 1:
            return [], ""
        finer = "month" if listing.kind == "year" else "day"
        prefix = listing.first_url
        groups = [g for g in self.site.archives[finer] if g.url.startswith(prefix)]
        label = "Months" if finer == "month" else "Days"
        names = (lambda g: MONTHS[g.key[1] - 1]) if finer == "month" else (lambda g: str(g.key[2]))
        return [Child(names(g), g.url, len(g.articles)) for g in reversed(groups)], label

    def tag_index(self) -> Output:
        tags = self.site.tags
        by_count = sorted(tags, key=lambda t: (-len(t.articles), t.name.casefold()))[:50]
        by_letter = [
            (letter, list(group)) for letter, group in groupby(tags, key=lambda t: initial(t.name))
        ]
        return self.page(
            "tags.html", "tags/", "the tag index",
            page_title="Tags", tags=tags, by_count=by_count, by_letter=by_letter, section="tags",
            description=f"Every tag of {self.site.config.title}, by use and from A to Z.",
        )  # fmt: skip

    def archive_index(self) -> Output:
        return self.page(
            "archive.html", "archive/", "the archive index",
            page_title="Archive", years=years_summary(self.site), total=len(self.site.articles),
            section="archive",
            description=f"Every year and month of {self.site.config.title}, with article counts.",
        )  # fmt: skip

    def not_found(self) -> Output:
        # Served for any missing URL at any depth, so its links start from the site's own path.
        root = urlsplit(self.site.config.base_url).path or "/"
        return self.page(
            "404.html", "404.html", "the 404 page",
            page_title="Page not found", root=root, canonical="",
        )  # fmt: skip


def listing_description(listing: Listing, site_description: str) -> str:
    count = f"{listing.total} article{'s' * (listing.total != 1)}"
    if listing.kind == "home":
        return site_description
    if listing.kind == "tag":
        return f"Articles tagged “{listing.title}”: {count}."
    return f"News from {listing.title}: {count}."


def news_article(config: Config, article: Article, url: str, tags: tuple[Tag, ...]) -> dict:
    """schema.org NewsArticle for the JSON-LD of an article page."""
    canonical = absolute_url(config, url)
    published = timestamp(article.date, config.timezone)
    publisher = {"@type": "Organization", "name": config.title, "url": config.base_url}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": published,
        "dateModified": published,
        "author": {"@type": "Person", "name": article.byline} if article.byline else publisher,
        "publisher": publisher,
        "keywords": [tag.name for tag in tags],
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": canonical,
        "inLanguage": config.language,
        "wordCount": article.words,
    }
    if article.summary:
        data["description"] = article.summary
    return data


def initial(name: str) -> str:
    first = name[:1].upper()
    return first if first.isalpha() else "#"


def related_articles(site: Site, article: Article) -> list[Article]:
    """Articles sharing the most (and the rarest) tags; the newest first on a tie."""
    tags = site.tags_of.get(article.id, ())
    if not tags:
        return []
    total = max(1, len(site.articles))
    scores: dict[str, float] = {}
    by_id: dict[str, Article] = {}
    for tag in tags:
        weight = 1.0 + math.log(total / len(tag.articles))
        for other in tag.articles:
            if other.id != article.id:
                scores[other.id] = scores.get(other.id, 0.0) + weight
                by_id[other.id] = other
    ranked = sorted(scores, key=lambda i: (-scores[i], -by_id[i].date.toordinal(), by_id[i].source))
    return [by_id[i] for i in ranked[:RELATED_LIMIT]]


def render_site(site: Site, env: jinja2.Environment) -> Iterator[Output]:
    """Every file of the site: pages, feeds, the sitemap of those pages, then static assets."""
    renderer = Renderer(site, env)
    pages: list[SitemapPage] = []
    for article in site.articles:
        pages.append(SitemapPage(site.urls[article.id], article.date))
        yield renderer.article(article)
    newest_of: dict[str, dt.date | None] = {}
    for listing in listings(site):
        # Every page of a list changes when an article joins it: the list's newest date counts.
        if listing.number == 1:
            newest_of[listing.first_url] = listing.articles[0].date if listing.articles else None
        pages.append(SitemapPage(listing.url, newest_of[listing.first_url]))
        yield renderer.listing(listing)
    newest = site.articles[0].date if site.articles else None
    pages += [SitemapPage("tags/", newest), SitemapPage("archive/", newest)]
    yield renderer.tag_index()
    yield renderer.archive_index()
    yield renderer.not_found()
    yield from web_files(site, pages, body_html=lambda article: article.body_html)
    yield from static_files(site.config)


# --- feeds, sitemap and robots.txt: from the model and the list of pages -----------------------


def web_files(
    site: Site, pages: list[SitemapPage], body_html: Callable[[Article], str]
) -> Iterator[Output]:
    """The site's feed, one feed per tag (each with the newest `feeds.limit` articles), the
    sitemap of `pages` and robots.txt. `body_html` gives an article's body for the feeds."""
    limit = site.config.feeds.limit
    writer = FeedWriter(
        site.config,
        site.urls,
        tag_names=lambda a: [t.name for t in site.tags_of.get(a.id, ())],
        body_html=body_html,
    )
    data = writer.feed(
        title=site.config.title, feed_url=FEED, page_url="", articles=site.articles[:limit]
    )
    yield Output(FEED, data, "the site feed")
    for tag in site.tags:
        path = tag_feed_url(tag)
        data = writer.feed(
            title=tag_feed_title(site, tag),
            feed_url=path,
            page_url=tag.url,
            articles=tag.articles[:limit],
        )
        yield Output(path, data, f"the feed of tag {tag.name}")
    for path, data in sitemaps(site.config, pages).items():
        yield Output(path, data, "the sitemap")
    yield Output("robots.txt", robots_txt(site.config), "robots.txt")


def tag_feed_title(site: Site, tag: Tag) -> str:
    return f"{tag.name} · {site.config.title}"


def static_files(config: Config) -> Iterator[Output]:
    """Built-in assets, overridden or extended by files in the site's `layouts/static/`."""
    files: dict[str, Path] = {}
    for folder in (BUILTIN_STATIC, config.layouts / "static"):
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not is_editor_litter(d))
            for name in filenames:
                if not is_editor_litter(name):
                    path = Path(dirpath, name)
                    files[path.relative_to(folder).as_posix()] = path
    for rel in sorted(files):
        yield Output(rel, files[rel].read_bytes(), str(files[rel]))


# --- errors ------------------------------------------------------------------------------------


def load_template(env: jinja2.Environment, name: str) -> jinja2.Template:
    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise SitegenError(
            f"template syntax error: {exc.message}", exc.filename or name, exc.lineno
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise SitegenError(f"template not found: {exc.name}") from None


def render_template(template: jinja2.Template, context: dict[str, Any]) -> str:
    try:
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise SitegenError(
            f"template syntax error: {exc.message}", exc.filename, exc.lineno
        ) from None
    except jinja2.TemplateError as exc:
        where, line = template_frame(exc)
        raise SitegenError(f"template error: {exc}", where or template.filename, line) from None


def template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in a jinja2 traceback (jinja2 rewrites frames)."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and not frame.filename.endswith(".py"):
            found = (frame.filename, frame.lineno)
    return found
