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
Article pages add: article, tags, related, newer, older, day_url.
List pages (list.html) add: listing, heading, children, children_label.
The tag index (tags.html) adds: tags, by_count, by_letter. The archive index adds: years, total.
"""

from __future__ import annotations

import heapq
import math
import os
import traceback
from collections.abc import Iterable, Iterator
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
RELATED_SCAN = 16  # tags with more articles are searched with bit sets (see RelatedIndex)


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


class Renderer:
    """Renders pages of one site; holds the compiled templates."""

    def __init__(self, site: Site, env: jinja2.Environment) -> None:
        self.site = site
        self.env = env
        self.templates: dict[str, jinja2.Template] = {}
        self.related = RelatedIndex(site)

    def template(self, name: str) -> jinja2.Template:
        if name not in self.templates:
            self.templates[name] = load_template(self.env, name)
        return self.templates[name]

    def page(self, template: str, url: str, source: str, **context: Any) -> Output:
        base = {
            "site": self.site.config,
            "root": context.pop("root", root_of(url)),
            "page_url": url,
            "urls": self.site.urls,
            "section": "",
            "description": self.site.config.description,
        }
        base.update(context)
        html = render_template(self.template(template), base)
        return Output(output_path(url), html.encode("utf-8"), source)

    def article(self, article: Article) -> Output:
        newer, older = self.site.newer_and_older(article)
        d = article.date
        return self.page(
            "article.html",
            self.site.urls[article.id],
            article.source,
            article=article,
            page_title=article.title,
            description=article.summary or self.site.config.description,
            tags=self.site.tags_of.get(article.id, ()),
            related=related_articles(self.site, article, self.related),
            newer=newer,
            older=older,
            day_url=f"{d.year:04d}/{d.month:02d}/{d.day:02d}/",
        )

    def listing(self, listing: Listing) -> Output:
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
        )  # fmt: skip

    def archive_index(self) -> Output:
        return self.page(
            "archive.html", "archive/", "the archive index",
            page_title="Archive", years=years_summary(self.site), total=len(self.site.articles),
            section="archive",
        )  # fmt: skip

    def not_found(self) -> Output:
        # Served for any missing URL at any depth, so its links start from the site's own path.
        root = urlsplit(self.site.config.base_url).path or "/"
        return self.page(
            "404.html", "404.html", "the 404 page", page_title="Page not found", root=root
        )


def initial(name: str) -> str:
    first = name[:1].upper()
    return first if first.isalpha() else "#"


def related_articles(
    site: Site, article: Article, index: RelatedIndex | None = None
) -> list[Article]:
    """Articles sharing the most (and the rarest) tags; the newer first on a tie.

    A tag shared counts 1 + log(articles / articles with the tag), so a rare tag counts more.
    """
    return (index or RelatedIndex(site)).related(article)


class RelatedIndex:
    """Finds each article's related articles without scoring every pair of articles.

    Derived tags give some tags thousands of articles ("United States"), and scoring all the
    articles of such a tag for every article of it is quadratic. So articles of small tags are
    scored one by one, and articles reachable only through large tags are found with bit sets
    (one bit per article, in site order): for each set of large tags that some articles share,
    only the newest few of them can make the list, so only those are scored. The result is the
    same as scoring every pair.
    """

    def __init__(self, site: Site) -> None:
        self.site = site
        self.position = {a.id: i for i, a in enumerate(site.articles)}
        self.slugs_at = [
            frozenset(t.slug for t in site.tags_of.get(a.id, ())) for a in site.articles
        ]
        self.masks: dict[str, int] = {}  # slug of a large tag -> bit set of its articles

    def weight(self, tag: Tag) -> float:
        return 1.0 + math.log(max(1, len(self.site.articles)) / len(tag.articles))

    def related(self, article: Article) -> list[Article]:
        search = _RelatedSearch(self, article)
        return [self.site.articles[p] for p in search.ranked()]

    def mask(self, tag: Tag) -> int:
        cached = self.masks.get(tag.slug)
        if cached is None:
            cached = self.masks[tag.slug] = self.bits(self.position[a.id] for a in tag.articles)
        return cached

    def bits(self, positions: Iterable[int]) -> int:
        data = bytearray(len(self.site.articles) // 8 + 1)
        for p in positions:
            data[p >> 3] |= 1 << (p & 7)
        return int.from_bytes(data, "little")


class _RelatedSearch:
    """The search for one article's related articles (see `RelatedIndex`)."""

    def __init__(self, index: RelatedIndex, article: Article) -> None:
        self.index = index
        self.tags = index.site.tags_of.get(article.id, ())
        self.weights = {tag.slug: index.weight(tag) for tag in self.tags}
        self.me = index.position[article.id]
        self.scores: dict[int, float] = {}  # site position -> score
        self.best: list[float] = []  # a min-heap of the best scores: best[0] is the one to reach
        self.large: list[Tag] = []  # the tags searched with bit sets, heaviest first
        self.masks: list[int] = []
        self.within: list[float] = []  # within[i]: the weight of large[i:] together

    def ranked(self) -> list[int]:
        for tag in self.tags:
            if len(tag.articles) <= RELATED_SCAN:
                for other in tag.articles:
                    self.score(self.index.position[other.id])
        large = [tag for tag in self.tags if len(tag.articles) > RELATED_SCAN]
        if large:
            self.large = sorted(large, key=lambda tag: -self.weights[tag.slug])
            self.masks = [self.index.mask(tag) for tag in self.large]
            weights = [self.weights[tag.slug] for tag in self.large]
            self.within = [math.fsum(weights[i:]) for i in range(len(weights))]
            done = self.index.bits([self.me, *self.scores])
            self.newest_sharing(0, ~done, 0.0)
        return sorted(self.scores, key=lambda p: (-self.scores[p], p))[:RELATED_LIMIT]

    def score(self, position: int) -> None:
        if position == self.me or position in self.scores:
            return
        shared = self.index.slugs_at[position] & self.weights.keys()
        value = math.fsum(map(self.weights.__getitem__, shared))  # exact: no order effects
        self.scores[position] = value
        if len(self.best) < RELATED_LIMIT:
            heapq.heappush(self.best, value)
        else:
            heapq.heappushpop(self.best, value)

    def newest_sharing(self, start: int, common: int, reached: float) -> None:
        """Score the newest articles sharing each combination of large tags (depth first).

        An article sharing exactly the tags S is in `common` at S's node; if it is not among
        the newest RELATED_LIMIT there, that many newer articles score at least as much. A
        branch that cannot reach the current fifth best score is skipped.
        """
        for i in range(start, len(self.large)):
            to_reach = self.best[0] if len(self.best) == RELATED_LIMIT else 0.0
            if reached + self.within[i] + 1e-9 < to_reach:
                return  # nor can any later branch: `large` is sorted by weight
            shared = common & self.masks[i]
            if not shared:
                continue  # nothing shares these tags, nor any more of them
            found, rest = 0, shared
            while rest and found < RELATED_LIMIT:
                lowest = rest & -rest
                self.score(lowest.bit_length() - 1)
                rest ^= lowest
                found += 1
            self.newest_sharing(i + 1, shared, reached + self.weights[self.large[i].slug])


def render_site(site: Site, env: jinja2.Environment) -> Iterator[Output]:
    """Every file of the site, pages first, then static assets."""
    renderer = Renderer(site, env)
    for article in site.articles:
        yield renderer.article(article)
    for listing in listings(site):
        yield renderer.listing(listing)
    yield renderer.tag_index()
    yield renderer.archive_index()
    yield renderer.not_found()
    yield from static_files(site.config)


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
