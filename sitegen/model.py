"""The site as a whole: articles in date order, their URLs, tags, archives and pagination.

Everything here is pure: it takes articles and config and returns plain frozen data, so the
renderer never has to compute anything and the whole model can be compared, pickled and cached.
Indexes hold references to the same `Article` objects, never copies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import chain, groupby
from operator import attrgetter
from types import MappingProxyType

from sitegen.config import FIXED_PAGES, Config
from sitegen.errors import Problem
from sitegen.labels import Words, words_for
from sitegen.language import latin_language
from sitegen.read import Article, pickled_by_fields, short_slug, tag_key

ARCHIVE_KINDS = ("year", "month", "day")
NO_FILES: Mapping[str, str] = MappingProxyType({})


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    slug: str
    articles: tuple[Article, ...]  # newest first

    @property
    def url(self) -> str:
        return f"tags/{self.slug}/"

    @property
    def ref(self) -> TagRef:
        return TagRef(self.name, self.slug, self.url, len(self.articles))


@dataclass(frozen=True, slots=True)
class TagRef:
    """A tag as list pages show it: templates never see a tag's whole article list."""

    name: str
    slug: str
    url: str
    count: int | None  # None on a tag's numbered pages, which keep their bytes as it grows


@dataclass(frozen=True, slots=True)
class TagLink:
    """A tag as an article page shows it: no count, so a new article elsewhere in the tag does
    not change every page that carries the tag."""

    name: str
    url: str


@dataclass(frozen=True, slots=True)
class Link:
    """A labelled link to another page of the site (a site-relative URL)."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of a paginated list of articles: the home page, an archive or a tag.

    The front page of a list (at `first_url`) holds its newest articles; the older ones are on
    pages numbered from the oldest end (see `paginate`), so a numbered page keeps its articles,
    and its bytes, while the list grows. Only the front page carries what changes with new
    articles: the size of the whole list (`total`), a tag's count, and the links to the
    neighbouring archives (`newer`, `older`), which a new day, month or year changes.
    """

    kind: str  # "home", "year", "month", "day" or "tag"
    title: str
    url: str  # this page's URL
    first_url: str  # URL of the list's front page
    number: int  # 0 for the front page; numbered pages count from the oldest, which is 1
    total: int | None  # articles in the whole list, on the front page; None on numbered pages
    articles: tuple[Article, ...]  # newest first
    newer_page: str | None  # pagination within the list
    older_page: str | None
    newer: Link | None  # the neighbouring archive (not a page of this list); front page only
    older: Link | None
    tag: TagRef | None = None

    @property
    def front(self) -> bool:
        return self.number == 0

    @property
    def newest_page(self) -> str | None:
        """The list's front page, for the pager, when "Newer" does not lead there already."""
        if self.number == 0 or self.newer_page is None or self.newer_page == self.first_url:
            return None
        return self.first_url

    @property
    def oldest_page(self) -> str | None:
        """Page 1, the oldest, for the pager, when "Older" does not lead there already: from the
        front page of a long list, the oldest stories were dozens of clicks away. Page 1 is
        always page 1 (pages count from the oldest), so the link never changes."""
        oldest = page_url(self.first_url, 1)
        return None if self.older_page in (None, oldest) else oldest


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ArchiveGroup:
    kind: str
    key: tuple[int, ...]  # (year,), (year, month) or (year, month, day)
    articles: tuple[Article, ...]  # newest first
    url: str
    title: str


@dataclass(frozen=True, slots=True)
class Site:
    config: Config
    articles: tuple[Article, ...]  # newest first
    urls: Mapping[str, str]  # article id -> site-relative URL
    tags: tuple[Tag, ...]  # sorted by name
    tags_of: Mapping[str, tuple[Tag, ...]]  # article id -> its tags, in rank order
    archives: Mapping[str, tuple[ArchiveGroup, ...]]  # kind -> groups, newest first
    children: Mapping[str, tuple[ArchiveGroup, ...]]  # archive URL -> finer groups, oldest first
    related: Mapping[str, tuple[Article, ...]]  # article id -> articles on the same subjects
    position: Mapping[str, int]  # article id -> its index in `articles`
    moved: tuple[str, ...]  # ids of the articles moved off their permalink by a collision

    def related_memo(self) -> RelatedMemo:
        """For the next build (see `related_index`)."""
        total = significant(max(1, len(self.articles)))
        ids = {i: tuple([a.id for a in rs]) for i, rs in self.related.items()}
        order = {a.id: date_order(a) for a in self.articles}
        return RelatedMemo(total, weighed_tags(self.tags), ids, order)

    def newer_and_older(self, article: Article) -> tuple[Article | None, Article | None]:
        index = self.position[article.id]
        newer = self.articles[index - 1] if index > 0 else None
        older = self.articles[index + 1] if index + 1 < len(self.articles) else None
        return newer, older


def output_path(url: str) -> str:
    """The file a URL is served from: folders get an index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def newest_first(articles: Iterable[Article]) -> tuple[Article, ...]:
    """Date order; within a day, the file order of the corpus (its sequence numbers)."""
    return tuple(sorted(articles, key=date_order, reverse=True))


def date_order(article: Article) -> tuple[int, str]:
    return article.date.toordinal(), article.source


# --- URLs --------------------------------------------------------------------------------------


def permalink(article: Article, pattern: str, slug: str | None = None) -> str:
    return pattern.format(
        year=f"{article.date.year:04d}",
        month=f"{article.date.month:02d}",
        day=f"{article.date.day:02d}",
        slug=slug or article.slug,
        id=article.id,
    )


def assign_urls(
    articles: Sequence[Article], pattern: str, reserved: Mapping[str, str]
) -> tuple[dict[str, str], list[Problem], set[str]]:
    """Give every article its own URL; on a collision the later file gets `-2`, `-3`, ...
    Returns the URLs by article id, a warning for each collision and the ids moved aside.
    `reserved`: what else the site writes (`reserved_paths`), by path, with its owner.

    Articles with a `slug:` of their own are taken first, so that a slug keeps its address
    whatever file comes; then oldest first and in file order, so that a new article of the
    latest day never moves one already published (a new file dated earlier can: only the
    slug is a promise). Every article whose own address is free has it before any `-2` is
    given: "Same title 2" keeps `same-title-2/` when a second "Same title" comes, which took
    it and moved the first to `same-title-2-2/`.
    """
    moved: set[str] = set()
    urls: dict[str, str] = {}
    taken: dict[str, str] = dict(reserved)
    problems: list[Problem] = []
    last_suffix: dict[str, int] = {}  # first URL -> the highest n given: lower ones are taken
    movable = "{slug}" in pattern  # `{id}/` alone: no other address to go to
    later: list[tuple[Article, str]] = []  # whose own address was taken, in the same order
    for article in sorted(articles, key=lambda a: (not a.slug_given, date_order(a))):
        url = permalink(article, pattern)
        if movable and _owner(taken, url) is not None:
            later.append((article, url))
            continue
        taken[output_path(url)] = article.source
        urls[article.id] = url
    for article, first in later:
        url = first
        n = 1
        while movable and _owner(taken, url) is not None:
            n = max(n, last_suffix.get(first, 1)) + 1  # not from 2 again: quadratic in copies
            url = permalink(article, pattern, f"{article.slug}-{n}")
        if n > 1:
            last_suffix[first] = n
            owner = _owner(taken, first)
            message = f"URL {first} is already used by {owner}; published at {url}"
            problems.append(Problem(article.source, message))
            moved.add(article.id)
        taken[output_path(url)] = article.source
        urls[article.id] = url
    return urls, problems, moved


def _owner(taken: Mapping[str, str], url: str) -> str | None:
    """What stands where the page of `url` goes: its file, or, for a folder URL, a file
    where its folder goes (`feed.xml/` where feed.xml is); or a folder where its file goes
    (`docs.html` where layouts/static/docs.html/ is, kept as "docs.html/")."""
    path = output_path(url)
    owner = taken.get(path)
    if owner is None and url.endswith("/"):
        owner = taken.get(url[:-1])
    return owner if owner is not None else taken.get(path + "/")


# --- archives and tags -------------------------------------------------------------------------


def archive_groups(
    articles: tuple[Article, ...], words: Words
) -> dict[str, tuple[ArchiveGroup, ...]]:
    """Group newest-first articles by year, month and day, keeping the order within groups.

    In date order each day, month and year is a run of the list: days are grouped from the
    articles, months from the days and years from the months, without a lookup per article.
    """
    days = [(d, tuple(run)) for d, run in groupby(articles, key=attrgetter("date"))]
    months = [
        (key, tuple(chain.from_iterable(items for _, items in run)))
        for key, run in groupby(days, key=lambda day: (day[0].year, day[0].month))
    ]
    years = [
        ((year,), tuple(chain.from_iterable(items for _, items in run)))
        for year, run in groupby(months, key=lambda month: month[0][0])
    ]
    by_kind = {
        "year": years,
        "month": months,
        "day": [((d.year, d.month, d.day), items) for d, items in days],
    }
    return {
        kind: tuple(
            ArchiveGroup(kind, key, items, archive_url(key), words.archive_title(key))
            for key, items in by_kind[kind]
        )
        for kind in ARCHIVE_KINDS
    }


def archive_keys(d: dt.date) -> tuple[tuple[int, ...], ...]:
    """The keys of a day's year, month and day archives."""
    return (d.year,), (d.year, d.month), (d.year, d.month, d.day)


def archive_url(key: tuple[int, ...]) -> str:
    """'2026/02/06/' for (2026, 2, 6): the year in four digits, as in permalinks ('0001/')."""
    if len(key) == 3:  # most archives are days: one format, not a join (6,000 at 10,000 articles)
        return f"{key[0]:04d}/{key[1]:02d}/{key[2]:02d}/"
    year, *rest = key
    return f"{year:04d}/" + "".join(f"{part:02d}/" for part in rest)


def archive_children(
    archives: Mapping[str, tuple[ArchiveGroup, ...]],
) -> dict[str, tuple[ArchiveGroup, ...]]:
    """Year URL -> its months, month URL -> its days, oldest first (a quick way down)."""
    children: dict[str, list[ArchiveGroup]] = defaultdict(list)
    for kind in ("month", "day"):
        for group in reversed(archives[kind]):
            children[archive_url(group.key[:-1])].append(group)
    return {url: tuple(groups) for url, groups in children.items()}


def shown_spelling(counts: Mapping[str, int]) -> str:
    """The spelling a tag is shown in: its most common; among equals, one not all in capitals
    ("Łódź" over "ŁÓDŹ", the form of a headline), then the one with accents ("Łódź" over
    "Lodz"), then the first in code point order, so the choice never depends on file order."""
    return min(
        counts,
        key=lambda name: (-counts[name], name.isupper(), -sum(not c.isascii() for c in name), name),
    )


TAG_SLUG_CHARS = 80  # as for articles: a tag of ten thousand letters still gets a file name


def plain_tag_slug(name: str) -> str:
    """A tag's slug when no other tag's clashes with it (`tag_slugs`)."""
    return short_slug(name, TAG_SLUG_CHARS) or "tag"


def tag_slugs(names: Mapping[str, str], since: Mapping[str, dt.date]) -> dict[str, str]:
    """A distinct slug for each tag (casefolded key -> shown name), kept as the corpus grows.

    A tag's slug is its name slugified. When names slugify the same ("C++", "C#", "C"), the
    tag that has been in the corpus longest (`since`: the date of its oldest article) keeps
    the plain slug and the others add a suffix made from their own name ("c-3ce177"): a new
    tag never takes an old one's address, and none moves when another appears. Numbering them
    in alphabetical order instead moved "C++" from c-2 to c-3, its page and feed address going
    to another tag, the day "C#" first appeared. Only a tag that comes to clash with one older
    than itself (an old article given a new tag) moves to its suffix.
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for key in sorted(names, key=lambda k: (since[k], k)):
        base = plain_tag_slug(names[key])
        groups[base].append(key)
    slugs = {keys[0]: base for base, keys in groups.items()}
    used = set(slugs.values())
    for base, keys in groups.items():
        for key in keys[1:]:
            suffix = hashlib.blake2b(key.encode(), digest_size=3).hexdigest()
            slug, n = f"{base}-{suffix}", 1
            while slug in used:  # a tag named like another's suffixed slug: only by design
                n += 1
                slug = f"{base}-{suffix}-{n}"
            used.add(slug)
            slugs[key] = slug
    return slugs


def build_tags(
    articles: tuple[Article, ...], tag_names: Mapping[str, tuple[str, ...]]
) -> tuple[tuple[Tag, ...], dict[str, tuple[Tag, ...]], list[Problem]]:
    """Merge tag names case-insensitively and give each tag a unique slug.

    "US" and "us", "Zoë" and "Zoe" are one tag (`tag_key`), shown in its most common spelling
    (`shown_spelling`). Two different tags whose slugs
    would clash ("C++" and "C") get distinct slugs, so no tag page ever overwrites another.
    """
    spellings: dict[str, dict[str, int]] = {}  # key -> spelling -> articles using it
    members: dict[str, list[Article]] = defaultdict(list)
    keys_of: dict[str, list[str]] = {}  # article id -> its tags' keys, in rank order
    for article in articles:
        seen: list[str] = []
        for name in tag_names.get(article.id, ()):
            key = tag_key(name)
            counts = spellings.get(key)
            if counts is None:
                spellings[key] = {name: 1}
            else:
                counts[name] = counts.get(name, 0) + 1
            if key not in seen:
                seen.append(key)
                members[key].append(article)
        keys_of[article.id] = seen
    names = {key: shown_spelling(counts) for key, counts in spellings.items()}
    slugs = tag_slugs(names, {key: min(a.date for a in members[key]) for key in names})
    tags = {key: Tag(names[key], slugs[key], tuple(members[key])) for key in sorted(names)}
    tags_of = {article_id: tuple([tags[k] for k in keys]) for article_id, keys in keys_of.items()}
    return tuple(sorted(tags.values(), key=lambda t: (tag_key(t.name), t.slug))), tags_of, []


@dataclass(frozen=True, slots=True)
class RelatedMemo:
    """The last build's related articles and what they were computed from: a build computes
    again only the articles whose scores could have changed (see `stale_related`)."""

    total: int  # the corpus size as weighed (`significant`)
    tags: Mapping[str, tuple[int, tuple[str, ...]]]  # slug -> (size as weighed, member ids)
    ids: Mapping[str, tuple[str, ...]]  # article id -> its related articles' ids
    order: Mapping[str, tuple[int, str]]  # article id -> what places it in date order


def significant(count: int) -> int:
    """A count to two significant figures, as tag weights use it: a weight moves only when a
    count moves by one to ten per cent, so adding an article leaves almost every weight, and
    so almost every article's related list, as it was."""
    excess = len(str(count)) - WEIGHT_DIGITS
    return count if excess <= 0 else round(count, -excess)


def weighed_tags(tags: Sequence[Tag]) -> dict[str, tuple[int, tuple[str, ...]]]:
    """Slug -> (size as weighed, member ids newest first): all a tag gives to related scores."""
    return {t.slug: (significant(len(t.articles)), tuple([a.id for a in t.articles])) for t in tags}


# Scores articles given as plain data (see `related_ranks`): here, or in worker processes.
Scorer = Callable[
    [Sequence[tuple[int, ...]], Sequence[int], Sequence[tuple[int, ...]], Sequence[int]],
    Callable[[], list[tuple[int, ...]]],
]


def score_here(
    orders: Sequence[tuple[int, ...]],
    weights: Sequence[int],
    tag_lists: Sequence[tuple[int, ...]],
    todo: Sequence[int],
) -> Callable[[], list[tuple[int, ...]]]:
    """The default `Scorer`: `related_ranks` in this process, when its result is asked for."""
    return lambda: related_ranks(orders, weights, tag_lists, todo)


def build_site(
    config: Config,
    articles: Iterable[Article],
    tag_names: Mapping[str, tuple[str, ...]],
    memo: RelatedMemo | None = None,
    files: Mapping[str, str] = NO_FILES,
) -> tuple[Site, list[Problem]]:
    """The site: its articles in date order, their URLs, tags, archives and related
    articles, scored in this process. `memo`: see `related_index`; `files`: see
    `reserved_paths`."""
    site, problems, finish = site_before_related(config, articles, tag_names, memo, files=files)
    finish()
    return site, problems


def site_before_related(
    config: Config,
    articles: Iterable[Article],
    tag_names: Mapping[str, tuple[str, ...]],
    memo: RelatedMemo | None = None,
    scorer: Scorer = score_here,
    files: Mapping[str, str] = NO_FILES,
) -> tuple[Site, list[Problem], Callable[[], None]]:
    """`build_site`, with the related articles still being scored by `scorer`: `finish()`
    takes the scores and fills `site.related`. The build's workers score while it sends them
    the rest of the site."""
    ordered = newest_first(in_site_language(articles, config.language))
    tags, tags_of, problems = build_tags(ordered, tag_names)
    related = related_index(ordered, tags, tags_of, memo, scorer)  # under way, with a scorer
    archives = archive_groups(ordered, words_for(config.language, config.labels, config.digits))
    reserved = reserved_paths(config, ordered, archives, tags, files)
    urls, url_problems, moved = assign_urls(ordered, config.permalink, reserved)
    position = {a.id: i for i, a in enumerate(ordered)}
    site = Site(
        config,
        ordered,
        urls,
        tags,
        tags_of,
        archives,
        archive_children(archives),
        {},  # filled by `finish`
        position,
        tuple([a.id for a in ordered if a.id in moved]),
    )

    def finish() -> None:
        site.related.update(related())  # type: ignore[attr-defined]

    return site, problems + url_problems, finish


def in_site_language(articles: Iterable[Article], site_language: str) -> Iterable[Article]:
    """`articles`, those in Latin letters marked with the language taken for them on a site
    written in another script (`language.latin_language`); as they are on any other site."""
    guess = latin_language(site_language)
    if not guess:
        return articles
    return [article if article.lang else replace(article, lang=guess) for article in articles]


def site_record(site: Site, files: Collection[str] = ()) -> tuple:
    """The site as plain data (`marshal` takes it) for the build cache: articles by id, tags
    and archive groups by index, and the paths of the `files` it was built beside (which
    may have moved articles aside: see `reserved_paths`). `site_from_record` makes the site
    again from it and the articles in a third of the time `build_site` takes with the
    related memo: an edit that changes no article's date, slug, file or tags (a fixed typo)
    leaves the site as it was."""
    tag_index = {id(tag): i for i, tag in enumerate(site.tags)}
    groups = [group for kind in ARCHIVE_KINDS for group in site.archives[kind]]
    group_index = {id(group): i for i, group in enumerate(groups)}
    return (
        [a.id for a in site.articles],
        dict(site.urls),
        [(t.name, t.slug, [a.id for a in t.articles]) for t in site.tags],
        {i: [tag_index[id(t)] for t in tags] for i, tags in site.tags_of.items()},
        [(g.kind, g.key, [a.id for a in g.articles], g.url, g.title) for g in groups],
        {url: [group_index[id(g)] for g in kids] for url, kids in site.children.items()},
        {i: [a.id for a in related] for i, related in site.related.items()},
        list(site.moved),
        sorted(files),
    )


def site_from_record(
    record: tuple, articles: Iterable[Article], config: Config, files: Collection[str] = ()
) -> Site:
    """The site `site_record` describes, made of `articles` (the same ids, dates and slugs
    as those it was recorded from: see `build.Build.reused_site`) beside the same `files`.
    Raises KeyError, TypeError or ValueError for a record of another shape."""
    ids, urls, tag_rows, tags_of, group_rows, children, related, moved, recorded_files = record
    ordered = newest_first(in_site_language(articles, config.language))
    if [a.id for a in ordered] != ids:
        raise ValueError("the record holds other articles, or in another order")
    if recorded_files != sorted(files):
        raise ValueError("the record was made beside other files, which may move articles")
    by_id = {a.id: a for a in ordered}
    tags = tuple(
        [Tag(name, slug, tuple([by_id[i] for i in members])) for name, slug, members in tag_rows]
    )
    # Titles in the site's language, which may have changed since (the record keeps the
    # last build's for `changes_since`).
    words = words_for(config.language, config.labels, config.digits)
    groups = [
        ArchiveGroup(
            kind,
            tuple(key),
            tuple([by_id[i] for i in members]),
            url,
            words.archive_title(tuple(key)),
        )
        for kind, key, members, url, _ in group_rows
    ]
    return Site(
        config,
        ordered,
        dict(urls),
        tags,
        {i: tuple([tags[n] for n in numbers]) for i, numbers in tags_of.items()},
        {kind: tuple([g for g in groups if g.kind == kind]) for kind in ARCHIVE_KINDS},
        {url: tuple([groups[n] for n in numbers]) for url, numbers in children.items()},
        {i: tuple([by_id[r] for r in rs]) for i, rs in related.items()},
        {a.id: i for i, a in enumerate(ordered)},
        tuple(moved),
    )


@dataclass(frozen=True)
class Changes:
    """What may look different on a site since the last build's (`changes_since`): the pages
    of these articles, every page of these lists (by the URL of their front page), and these
    tags' feeds. Nothing else can: every other page's plan key is the last build's."""

    articles: frozenset[str]  # ids
    lists: frozenset[str]  # first URLs
    tag_feeds: frozenset[str]  # tag slugs


def changes_since(old: tuple, new: tuple, site: Site, changed: Collection[str]) -> Changes | None:
    """What may have changed on `site` (recorded as `new`, see `site_record`) since the site
    the last build recorded (`old`); `changed` holds the ids of the articles whose file
    digest differs (new ones too).

    A page's deps (`render.Planner`) hold articles by id and digest, their tags' names and
    slugs, related articles, neighbours, list members, archive links and children, and the
    URL salt. So an article's page changes only with its own digest or tags, its related
    articles or neighbours, or theirs; a list with its members or theirs, its title, URL or
    neighbours, or its children (whose counts change with its members); a tag's feed with its
    list or its members' tags. The two records are compared whole where they can be (C-level
    list and tuple equality): 10 to 20 ms at 10,000 articles. None when the articles moved
    off their permalinks differ (then every page key does) or `old` is of another shape."""
    try:
        ids, urls, tag_rows, tags_of, group_rows, _, related, moved, _ = old
        old_salt = [(i, urls[i]) for i in moved]
        (
            now_ids,
            now_urls,
            now_tag_rows,
            now_tags_of,
            now_group_rows,
            _,
            now_related,
            now_moved,
            _,
        ) = new
        if old_salt != [(i, now_urls[i]) for i in now_moved]:
            return None
        changed = set(changed)
        retagged = _retagged(tag_rows, tags_of, now_tag_rows, now_tags_of)
        articles = _changed_article_pages(ids, related, now_ids, now_related, changed | retagged)
        lists = _changed_lists(site, ids, now_ids, group_rows, tag_rows, now_group_rows, changed)
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    tag_feeds = {t.slug for t in site.tags if t.url in lists}
    tag_feeds.update(t.slug for i in retagged for t in site.tags_of.get(i, ()))
    return Changes(frozenset(articles), frozenset(lists), frozenset(tag_feeds))


def _retagged(
    tag_rows: list[tuple], tags_of: Mapping[str, list[int]],
    now_rows: list[tuple], now_tags_of: Mapping[str, list[int]],
) -> set[str]:  # fmt: skip
    """The articles whose tags (names and slugs, in order) differ between two records."""
    if [row[:2] for row in tag_rows] == [row[:2] for row in now_rows]:  # the same tags
        return {i for i, numbers in now_tags_of.items() if tags_of.get(i, []) != numbers} | {
            i for i, numbers in tags_of.items() if numbers and i not in now_tags_of
        }
    names, now_names = [row[:2] for row in tag_rows], [row[:2] for row in now_rows]
    return {
        i
        for i in now_tags_of.keys() | tags_of.keys()
        if [names[n] for n in tags_of.get(i, [])] != [now_names[n] for n in now_tags_of.get(i, [])]
    }


def _changed_article_pages(
    ids: list[str],
    related: Mapping[str, list[str]],
    now_ids: list[str],
    now_related: Mapping[str, list[str]],
    touched: set[str],
) -> set[str]:
    """The articles whose page may differ: new, changed or retagged (`touched`) ones, those
    with other neighbours or related articles than before, and those next to or relating a
    touched one."""
    around, now_around = _neighbours(ids), _neighbours(now_ids)
    pages = set(touched)
    pages.update(i for i, pair in now_around.items() if around.get(i) != pair)
    pages.update(i for i, rs in now_related.items() if related.get(i, []) != rs)
    pages.update(i for i, rs in now_related.items() if not touched.isdisjoint(rs))
    for i in touched:
        pages.update(now_around.get(i, ()))
    pages.discard(None)  # type: ignore[arg-type]  # the ends of the list have no neighbour
    return pages


def _neighbours(ids: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """Each article's newer and older neighbour, by id."""
    return dict(zip(ids, zip([None, *ids], [*ids[1:], None], strict=False), strict=False))


def _changed_lists(
    site: Site,
    ids: list[str],
    now_ids: list[str],
    group_rows: list[tuple],
    tag_rows: list[tuple],
    now_group_rows: list[tuple],
    changed: set[str],
) -> set[str]:
    """The first URLs of the lists (home, archives, tags) whose pages may differ: those with
    other members, title or URL than before, those holding a changed article, and, when the
    archives are not the same ones as before, those with other neighbours."""
    lists = {""} if ids != now_ids or changed else set()
    old_groups = {(row[0], tuple(row[1])): row for row in group_rows}
    lists.update(row[3] for row in now_group_rows if old_groups.get((row[0], row[1])) != row)
    same_archives = [(r[0], tuple(r[1]), r[3], r[4]) for r in group_rows] == [
        (r[0], r[1], r[3], r[4]) for r in now_group_rows
    ]
    if not same_archives:  # a new day, month or year, or one gone: their neighbours' links
        lists.update(_relinked(site, group_rows))
    old_tags = {slug: (name, members) for name, slug, members in tag_rows}
    for tag in site.tags:
        if old_tags.get(tag.slug) != (tag.name, [a.id for a in tag.articles]):
            lists.add(tag.url)
    for i in changed:
        if i in site.position:
            article = site.articles[site.position[i]]
            lists.update(archive_url(key) for key in archive_keys(article.date))
            lists.update(tag.url for tag in site.tags_of.get(i, ()))
    return lists


def _relinked(site: Site, group_rows: list[tuple]) -> Iterator[str]:
    """The archives whose newer or older neighbour is another one than before."""
    for kind in ARCHIVE_KINDS:
        old = [(row[4], row[3]) for row in group_rows if row[0] == kind]
        position = {url: n for n, (_, url) in enumerate(old)}
        now = [(g.title, g.url) for g in site.archives[kind]]
        for n, (_, url) in enumerate(now):
            k = position.get(url)
            if (
                k is None
                or _at(now, n - 1) != _at(old, k - 1)
                or _at(now, n + 1) != _at(old, k + 1)
            ):
                yield url


def _at(links: list[tuple[str, str]], n: int) -> tuple[str, str] | None:
    return links[n] if 0 <= n < len(links) else None


RELATED_LIMIT = 5
RELATED_WINDOW = 8  # members of each tag looked at on either side of the article, by date
WEIGHT_DIGITS = 2  # significant figures of the counts that weigh a tag (see `significant`)


def related_index(
    articles: tuple[Article, ...],
    tags: tuple[Tag, ...],
    tags_of: Mapping[str, tuple[Tag, ...]],
    memo: RelatedMemo | None = None,
    scorer: Scorer = score_here,
) -> Callable[[], dict[str, tuple[Article, ...]]]:
    """For each article, up to five articles that share the most, and the rarest, tags.

    A tag weighs log(N / its size) + 1 (both counts to two significant figures), so sharing a
    rare name outweighs sharing a common country. Each tag of an article adds its weight to its
    members nearest in date (all of them when the tag is small): "United States" may hold half
    the corpus, and related means the same story, not the same country years apart. Ties go to
    the newer article. The cost is linear in the corpus, and for an article whose tags are all
    small the score is exactly the weight of the tags it shares.

    With the last build's `memo`, only the articles whose scores could have changed are scored
    again; the others keep their related articles (a test holds it to the full computation).
    The scoring is handed to `scorer` at once and its result taken when the returned function
    is called: the build's workers score while this process goes on building the site.
    """
    total = significant(max(1, len(articles)))
    weighed = weighed_tags(tags)
    stale = stale_related(articles, tags_of, weighed, total, memo)
    rank = {a.id: i for i, a in enumerate(articles)}
    number = {id(tag): n for n, tag in enumerate(tags)}
    by_id = {a.id: a for a in articles}
    related: dict[str, tuple[Article, ...]] = {}
    todo = []
    for here_rank, article in enumerate(articles):
        kept = None if stale is None or article.id in stale else memo.ids.get(article.id)  # type: ignore[union-attr]
        if kept is not None and all(i in by_id for i in kept):
            related[article.id] = tuple([by_id[i] for i in kept])
        else:
            todo.append(here_rank)
    orders = [tuple([rank[a.id] for a in tag.articles]) for tag in tags]
    # Whole micro-units: integer sums are exact in any order, so ties are real ties.
    weights = [round((1.0 + math.log(total / weighed[t.slug][0])) * 1e6) for t in tags]
    tag_lists = [tuple([number[id(t)] for t in tags_of.get(a.id, ())]) for a in articles]
    scored = scorer(orders, weights, tag_lists, todo)

    def finish() -> dict[str, tuple[Article, ...]]:
        for here_rank, ranks in zip(todo, scored(), strict=True):
            related[articles[here_rank].id] = tuple([articles[r] for r in ranks])
        return {a.id: related[a.id] for a in articles}  # in the articles' order, as before

    return finish


def related_ranks_of(site: Site) -> list[tuple[int, ...]]:
    """The site's related articles as ranks (indexes in `site.articles`), in its order: what
    workers given the site without them take (`related_from_ranks`)."""
    position = site.position
    return [tuple([position[o.id] for o in site.related.get(a.id, ())]) for a in site.articles]


def related_from_ranks(site: Site, ranks: Sequence[tuple[int, ...]]) -> None:
    """Fill the related articles of a site sent without them (`related_ranks_of`)."""
    articles = site.articles
    site.related.update(  # type: ignore[attr-defined]
        {a.id: tuple([articles[r] for r in rs]) for a, rs in zip(articles, ranks, strict=True)}
    )


def related_ranks(
    orders: Sequence[tuple[int, ...]],
    weights: Sequence[int],
    tag_lists: Sequence[tuple[int, ...]],
    todo: Sequence[int],
) -> list[tuple[int, ...]]:
    """The related articles of the articles ranked `todo`, as ranks (indexes in newest-first
    order), best first: `related_index` as plain data, which worker processes take quickly.
    `orders[t]` holds the ranks of tag t's members, newest first; `weights[t]` its weight;
    `tag_lists[r]` the tags of the article ranked r."""
    # Scores are kept as single integers, rank - score * scale, from the start: the smallest
    # are the best, ties to the newer, sorted in C. Made from (rank, score) pairs at the end,
    # they took a fifth of the time.
    scale = len(tag_lists) + 1
    positions: dict[int, dict[int, int]] = {}  # tag -> rank -> index in its order, as needed
    found = []
    for here_rank in todo:
        keys: dict[int, int] = {}  # rank -> rank - its score * scale
        key_of = keys.get
        for tag in tag_lists[here_rank]:
            order, step = orders[tag], weights[tag] * scale
            where = positions.get(tag)
            if where is None:
                where = positions[tag] = {r: i for i, r in enumerate(order)}
            here = where[here_rank]
            for other in order[max(0, here - RELATED_WINDOW) : here + RELATED_WINDOW + 1]:
                keys[other] = key_of(other, other) - step
        keys.pop(here_rank, None)
        best = sorted(keys.values())[:RELATED_LIMIT]
        found.append(tuple([key % scale for key in best]))
    return found


def stale_related(
    articles: tuple[Article, ...],
    tags_of: Mapping[str, tuple[Tag, ...]],
    weighed: Mapping[str, tuple[int, tuple[str, ...]]],
    total: int,
    memo: RelatedMemo | None,
) -> set[str] | None:
    """The articles whose related lists must be computed again; None for all of them.

    An article's scores come from its tags' weights and, for each of its tags, the members
    within RELATED_WINDOW of it; its ties, from the date order of those members. So it is
    stale when it is new, when its tags changed, when one of its tags changed weight, when
    a tag's member list changed within its window (an article added, removed or moved there),
    or when an article within its window moved in date order.
    """
    if memo is None or memo.total != total:
        return None  # every weight moved
    moved = [a for a in articles if memo.order.get(a.id) != date_order(a)]
    if len(moved) > len(articles) // 10:
        return None  # a big change: scoring everything costs less than finding what changed
    stale = {a.id for a in articles if a.id not in memo.ids}
    for article in moved:
        for tag in tags_of.get(article.id, ()):
            ids = weighed[tag.slug][1]
            here = ids.index(article.id)
            stale.update(ids[max(0, here - RELATED_WINDOW) : here + RELATED_WINDOW + 1])
    if weighed == memo.tags:
        return stale  # most edits: no tag gained or lost a member
    for slug, (size, ids) in weighed.items():
        old_size, old_ids = memo.tags.get(slug, (0, ()))
        if old_ids == ids:
            continue
        stale.update(set(old_ids).symmetric_difference(ids))  # they gained or lost the tag
        stale.update(ids if old_size != size else changed_windows(old_ids, ids))
    for slug in memo.tags.keys() - weighed.keys():
        stale.update(memo.tags[slug][1])  # a tag gone: its members lost it
    return stale


def changed_windows(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str, ...]:
    """Members of a tag whose window of neighbours differs between two member lists.

    The lists agree on a common prefix and suffix; the members within RELATED_WINDOW of the
    part between them see a different window, the others the same one.
    """
    common = min(len(old), len(new))
    start = 0
    while start < common and old[start] == new[start]:
        start += 1
    end = 0
    while end < common - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return new[max(0, start - RELATED_WINDOW) : len(new) - end + RELATED_WINDOW]


# --- pagination --------------------------------------------------------------------------------


def page_url(first_url: str, number: int) -> str:
    return f"{first_url}page/{number}/" if number else first_url


def numbered_pages(total: int, per_page: int) -> int:
    """How many full pages a list of `total` articles has behind its front page, which holds
    the rest: from `per_page` to `2 * per_page - 1` articles (all of them in a short list)."""
    return max(0, total // per_page - 1)


def paginate(
    kind: str,
    title: str,
    first_url: str,
    articles: tuple[Article, ...],
    per_page: int,
    newer: Link | None = None,
    older: Link | None = None,
    tag: TagRef | None = None,
) -> Iterator[Listing]:
    """Split a newest-first list into its front page and numbered pages, newest first.

    Pages are counted from the oldest end: page 1 holds the `per_page` oldest articles, page 2
    the next ones. A new article joins the front page and moves nothing else, except that every
    `per_page` new articles a new numbered page takes the oldest of the front page's. Counted
    from the newest, as most generators do, every page of a list changes with each new article
    (and with it what an incremental build renders and a deploy uploads), and a link to page 7
    shows other articles every day.
    """
    total = len(articles)
    last = numbered_pages(total, per_page)
    front = total - last * per_page
    numbered_tag = None if tag is None else replace(tag, count=None)

    def listing(number: int, chosen: tuple[Article, ...], newer_page: str | None) -> Listing:
        older_number = number - 1 if number else last  # 0: none (the front page is newer)
        return Listing(
            kind=kind,
            title=title,
            url=page_url(first_url, number),
            first_url=first_url,
            number=number,
            total=None if number else total,
            articles=chosen,
            newer_page=newer_page,
            older_page=page_url(first_url, older_number) if older_number else None,
            newer=None if number else newer,
            older=None if number else older,
            tag=numbered_tag if number else tag,
        )

    yield listing(0, articles[:front], None)
    for number in range(last, 0, -1):
        start = total - number * per_page
        newer_page = page_url(first_url, number + 1 if number < last else 0)
        yield listing(number, articles[start : start + per_page], newer_page)


def listings(site: Site) -> Iterator[Listing]:
    """Every list page of the site: home, archives by year, month and day, and tags."""
    yield from home_list(site)
    for kind in ARCHIVE_KINDS:
        for i in range(len(site.archives[kind])):
            yield from archive_list(site, kind, i)
    for tag in site.tags:
        yield from tag_list(site, tag)


def listing_count(site: Site) -> int:
    """How many list pages `listings` makes, without making them (`paginate` makes a front page
    and `numbered_pages` more of each list): a cold build hands pages out to its workers by
    number before it has planned the lists."""
    return sum(count for _, count in listing_kinds(site))


def listing_kinds(site: Site) -> list[tuple[str, int]]:
    """How many list pages `listings` makes of each kind, in its order: home, year, month,
    day, tag."""
    per_page = site.config.per_page

    def pages(lists: Iterable[tuple[Article, ...]]) -> int:
        return sum(1 + numbered_pages(len(articles), per_page) for articles in lists)

    archives = [(kind, pages(g.articles for g in site.archives[kind])) for kind in ARCHIVE_KINDS]
    return [
        ("home", pages([site.articles])),
        *archives,
        ("tag", pages(tag.articles for tag in site.tags)),
    ]


def lists_of(site: Site, article: Article) -> Iterator[Iterator[Listing]]:
    """The lists an article is on, each as all its pages: home, its day, month and year,
    and its tags."""
    yield home_list(site)
    for kind, key in zip(ARCHIVE_KINDS, archive_keys(article.date), strict=True):
        groups = site.archives[kind]
        yield from (archive_list(site, kind, i) for i, g in enumerate(groups) if g.key == key)
    for tag in site.tags_of.get(article.id, ()):
        yield tag_list(site, tag)


def home_list(site: Site) -> Iterator[Listing]:
    title = words_for(site.config.language, site.config.labels, site.config.digits)("latest_news")
    return paginate("home", title, "", site.articles, site.config.per_page)


def archive_list(site: Site, kind: str, index: int) -> Iterator[Listing]:
    """The pages of one archive (the group at `index` of its kind), linked to its neighbours."""
    groups = site.archives[kind]
    group = groups[index]
    newer = groups[index - 1] if index > 0 else None
    older = groups[index + 1] if index + 1 < len(groups) else None
    return paginate(
        kind,
        group.title,
        group.url,
        group.articles,
        site.config.per_page,
        newer=Link(newer.title, newer.url) if newer else None,
        older=Link(older.title, older.url) if older else None,
    )


def tag_list(site: Site, tag: Tag) -> Iterator[Listing]:
    return paginate("tag", tag.name, tag.url, tag.articles, site.config.per_page, tag=tag.ref)


def list_urls(
    config: Config,
    articles: tuple[Article, ...],
    archives: Mapping[str, tuple[ArchiveGroup, ...]],
    tags: tuple[Tag, ...],
) -> Iterator[str]:
    """The URLs of every page that is not an article, so articles can steer clear of them."""
    per_page = config.per_page
    for first, total in (
        [("", len(articles))]
        + [(g.url, len(g.articles)) for kind in ARCHIVE_KINDS for g in archives[kind]]
        + [(t.url, len(t.articles)) for t in tags]
    ):
        for number in range(numbered_pages(total, per_page) + 1):
            yield page_url(first, number)
    yield from FIXED_PAGES


def reserved_paths(
    config: Config,
    articles: tuple[Article, ...],
    archives: Mapping[str, tuple[ArchiveGroup, ...]],
    tags: tuple[Tag, ...],
    files: Mapping[str, str],
) -> dict[str, str]:
    """Every path the build writes besides the articles' pages, with what writes it, so that
    articles steer clear of them (`assign_urls`): list pages, feeds, the sitemap's files and
    `files`, the static assets it publishes (path -> where it comes from). The folders those
    assets need are kept as "docs/", for an article that would be the file `docs.html`."""
    from sitegen.feeds import FEED, SITEMAP_LIMIT  # not above: feeds imports this module

    page = "a page of the site"
    reserved = dict.fromkeys(map(output_path, list_urls(config, articles, archives, tags)), page)
    reserved.update((path, f"the site's {path}") for path in FIXED_PAGES if "/" not in path)
    reserved.update(dict.fromkeys([f"{tag.url}{FEED}" for tag in tags], "a tag's feed"))
    # At most one sitemap entry a page: past the limit, it is split into sitemap-N.xml files.
    most = len(articles) + len(reserved)
    if most > SITEMAP_LIMIT:
        sitemaps = [f"sitemap-{n}.xml" for n in range(1, -(-most // SITEMAP_LIMIT) + 1)]
        reserved.update((path, f"the site's {path}") for path in sitemaps)
    for path, owner in files.items():
        reserved.setdefault(path, owner)  # style.css, a robots.txt of the site's: as above
        folder = path.rpartition("/")[0]
        while folder and folder + "/" not in reserved:
            reserved[folder + "/"] = owner
            folder = folder.rpartition("/")[0]
    return reserved


def years_summary(site: Site) -> list[tuple[ArchiveGroup, list[ArchiveGroup]]]:
    """Years, newest first, each with its months: the content of the archive index page."""
    months = defaultdict(list)
    for group in site.archives["month"]:
        months[group.key[0]].append(group)
    return [(year, months[year.key[0]]) for year in site.archives["year"]]
