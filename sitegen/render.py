"""Turn the `Site` model into output files (path + bytes) through jinja2 templates.

Never touches the disk except to read templates and static assets: `write.py` decides what
reaches `public/`. Every link is relative (`root` is the way back to the site's top), so the
built folder works at a domain's root and under any sub-path alike.

Template context, the same names in every template:
    site         the Config (title, description, language, base_url, ...)
    root         relative prefix from this page to the site's top ("./", "../../", ...)
    page_url     this page's site-relative URL ("" for the home page)
    page_title   the page's own title ("" on the home page)
    description  a one-line description of the page
    section      "home", "archive", "tags" or "" (marks the current nav entry)
    urls         article id -> site-relative URL
Article pages add: article, body (body.html is safe HTML), tags (name, url), related, newer,
older, day_url.
List pages (list.html) add: listing, heading, children, children_label.
The tag index (tags.html) adds: tags, by_count, by_letter (tags have name, slug, url, count).
The archive index adds: years (pairs of a year and its months; each has label, url, count), total.

A template sees only what its context holds (no article lists behind tags), which is what lets
an incremental build know exactly which pages changed: see `page_key`.
"""

from __future__ import annotations

import hashlib
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
from sitegen.model import (
    MONTHS,
    ArchiveGroup,
    Listing,
    Site,
    TagLink,
    listings,
    output_path,
    permalink,
    years_summary,
)
from sitegen.read import Article, Body, is_editor_litter

PACKAGE_DIR = Path(__file__).parent
BUILTIN_TEMPLATES = PACKAGE_DIR / "templates"
BUILTIN_STATIC = PACKAGE_DIR / "static"


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
    return env


def root_of(url: str) -> str:
    """The relative way from a page back to the site's top: '' -> './', 'a/b/' -> '../../'."""
    return "../" * url.count("/") or "./"


@dataclass(frozen=True)
class Page:
    """A page to render. Everything it shows is in `context`, except an article's body, which
    is read only when the page is actually rendered (most pages of a rebuild are not)."""

    template: str
    url: str
    source: str  # what produced the page, for error messages
    context: dict[str, Any]
    article: Article | None = None

    @property
    def path(self) -> str:
        return output_path(self.url)


class Planner:
    """Decides every page of a site and the context each template receives."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def page(self, template: str, url: str, source: str, **context: Any) -> Page:
        base = {
            "site": self.site.config,
            "root": context.pop("root", root_of(url)),
            "page_url": url,
            "urls": self.site.urls,
            "section": "",
            "description": self.site.config.description,
        }
        base.update(context)
        return Page(template, url, source, base, context.get("article"))

    def article(self, article: Article) -> Page:
        newer, older = self.site.newer_and_older(article)
        d = article.date
        return self.page(
            "article.html",
            self.site.urls[article.id],
            article.source,
            article=article,
            page_title=article.title,
            description=article.summary or self.site.config.description,
            tags=tuple(TagLink(t.name, t.url) for t in self.site.tags_of.get(article.id, ())),
            related=self.site.related.get(article.id, ()),
            newer=newer,
            older=older,
            day_url=f"{d.year:04d}/{d.month:02d}/{d.day:02d}/",
        )

    def listing(self, listing: Listing) -> Page:
        children, label = self.children_of(listing)
        heading = f"Tagged “{listing.title}”" if listing.kind == "tag" else listing.title
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
        )

    def children_of(self, listing: Listing) -> tuple[list[Child], str]:
        """On a year page, its months; on a month page, its days (a quick way down)."""
        if listing.kind not in ("year", "month") or listing.number != 1:
            return [], ""
        groups = self.site.children.get(listing.first_url, ())
        if listing.kind == "year":
            return [Child(MONTHS[g.key[1] - 1], g.url, len(g.articles)) for g in groups], "Months"
        return [Child(str(g.key[2]), g.url, len(g.articles)) for g in groups], "Days"

    def tag_index(self) -> Page:
        tags = [t.ref for t in self.site.tags]
        by_count = sorted(tags, key=lambda t: (-t.count, t.name.casefold()))[:50]
        by_letter = [
            (letter, list(group)) for letter, group in groupby(tags, key=lambda t: initial(t.name))
        ]
        return self.page(
            "tags.html", "tags/", "the tag index",
            page_title="Tags", tags=tags, by_count=by_count, by_letter=by_letter, section="tags",
        )  # fmt: skip

    def archive_index(self) -> Page:
        years = [
            (summary_of(year), [summary_of(month) for month in months])
            for year, months in years_summary(self.site)
        ]
        return self.page(
            "archive.html", "archive/", "the archive index",
            page_title="Archive", years=years, total=len(self.site.articles), section="archive",
        )  # fmt: skip

    def not_found(self) -> Page:
        # Served for any missing URL at any depth, so its links start from the site's own path.
        root = urlsplit(self.site.config.base_url).path or "/"
        return self.page(
            "404.html", "404.html", "the 404 page", page_title="Page not found", root=root
        )

    def pages(self) -> Iterator[Page]:
        for article in self.site.articles:
            yield self.article(article)
        for listing in listings(self.site):
            yield self.listing(listing)
        yield self.tag_index()
        yield self.archive_index()
        yield self.not_found()


def summary_of(group: ArchiveGroup) -> Child:
    return Child(group.title, group.url, len(group.articles))


def initial(name: str) -> str:
    first = name[:1].upper()
    return first if first.isalpha() else "#"


# --- page keys: what a page shows, hashed, so an unchanged page is never rendered again ---------

SHARED_CONTEXT = frozenset({"site", "urls"})  # covered by the build fingerprint and `url_salt`


def page_key(page: Page, salt: str) -> str:
    """A digest of everything the page's template can see, from the context's `repr`.

    An Article's repr is its id and file digest, which stand for all its fields, so a page is
    rendered again exactly when something it shows changed. Article URLs follow from the
    article and the permalink pattern, except where a collision moved one: `url_salt` covers
    those. Config and templates are not part of the key: any change to them changes the
    build fingerprint, which discards every key.
    """
    context = {k: v for k, v in page.context.items() if k not in SHARED_CONTEXT}
    text = f"{page.template}\0{page.url}\0{salt}\0{context!r}"
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def url_salt(site: Site) -> str:
    """The articles whose URL is not their plain permalink (moved aside by a collision)."""
    pattern = site.config.permalink
    moved = [
        (a.id, site.urls[a.id]) for a in site.articles if site.urls[a.id] != permalink(a, pattern)
    ]
    return hashlib.blake2b(repr(moved).encode(), digest_size=16).hexdigest()


# --- rendering ---------------------------------------------------------------------------------


class Renderer:
    """Renders pages through the compiled templates; bodies come from `body_of`."""

    def __init__(self, env: jinja2.Environment, body_of: Callable[[Article], Body]) -> None:
        self.env = env
        self.body_of = body_of
        self.templates: dict[str, jinja2.Template] = {}

    def template(self, name: str) -> jinja2.Template:
        if name not in self.templates:
            self.templates[name] = load_template(self.env, name)
        return self.templates[name]

    def render(self, page: Page) -> Output:
        context = page.context
        if page.article is not None:
            context = {**context, "body": self.body_of(page.article)}
        html = render_template(self.template(page.template), context)
        return Output(page.path, html.encode("utf-8"), page.source)


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
