"""URL, collision, archive and pagination rules of the site model."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.config import Config
from sitegen.model import (
    assign_urls,
    build_site,
    changes_since,
    listings,
    output_path,
    page_url,
    paginate,
    site_from_record,
    site_record,
    tag_slugs,
)
from sitegen.read import Article
from sitegen.render import Planner, plan_key, root_of, url_salt


def make_article(n: int, date: str, title: str = "Title", slug: str | None = None) -> Article:
    return Article(
        source=f"{n:03d}_{n:016x}.txt", id=f"{n:016x}", date=dt.date.fromisoformat(date),
        title=title, byline="", slug=slug or f"title-{n}", summary="", words=0, tags=(),
        draft=False, digest=f"{n:032x}",
    )  # fmt: skip


def test_default_permalink_and_output_path() -> None:
    site, problems = build_site(Config(), [make_article(1, "2026-02-06", slug="story")], {})
    assert site.urls["0000000000000001"] == "2026/02/06/story/"
    assert output_path("2026/02/06/story/") == "2026/02/06/story/index.html"
    assert output_path("") == "index.html" and output_path("a.html") == "a.html"
    assert problems == []


def test_custom_permalink_pattern() -> None:
    config = Config(permalink="articles/{id}.html")
    site, _ = build_site(config, [make_article(1, "2026-02-06")], {})
    assert site.urls["0000000000000001"] == "articles/0000000000000001.html"


def test_colliding_urls_both_published_with_warning() -> None:
    a = make_article(1, "2026-02-06", slug="same")
    b = make_article(2, "2026-02-06", slug="same")
    c = make_article(3, "2026-02-06", slug="same")
    site, problems = build_site(Config(), [c, b, a], {})
    assert [site.urls[x.id] for x in (a, b, c)] == [
        "2026/02/06/same/", "2026/02/06/same-2/", "2026/02/06/same-3/"
    ]  # fmt: skip
    assert len(problems) == 2
    assert "already used by 001_0000000000000001.txt; published at 2026/02/06/same-2/" in str(
        problems[0]
    )


def test_an_address_of_its_own_is_kept_against_a_numbered_one() -> None:
    """ "Same title 2" was published at same-title-2/; a second "Same title" took that address
    and moved it to same-title-2-2/ (the hostile helper). Own addresses are given first."""
    first = make_article(1, "2025-01-01", slug="same-title")
    numbered = make_article(3, "2025-01-01", slug="same-title-2")
    second = make_article(2, "2025-01-01", slug="same-title")
    site, problems = build_site(Config(), [first, numbered, second], {})
    assert [site.urls[x.id] for x in (first, numbered, second)] == [
        "2025/01/01/same-title/", "2025/01/01/same-title-2/", "2025/01/01/same-title-3/"
    ]  # fmt: skip
    assert [p.path for p in problems] == [second.source]


def test_a_slug_of_its_own_keeps_its_address_whatever_file_comes() -> None:
    """A new file, dated earlier or sorting first, took a published article's address even
    when that one had set it with `slug:`."""
    published = replace(make_article(100, "2026-05-01", slug="election-results"), slug_given=True)
    newcomer = make_article(50, "2026-05-01", slug="election-results")
    earlier = make_article(40, "2026-04-30", slug="election-results")
    config = Config(permalink="{slug}/")
    site, problems = build_site(config, [published, newcomer, earlier], {})
    assert site.urls[published.id] == "election-results/"
    assert {site.urls[newcomer.id], site.urls[earlier.id]} == {
        "election-results-2/",
        "election-results-3/",
    }
    assert len(problems) == 2


def test_articles_never_take_the_url_of_a_list_page() -> None:
    config = Config(permalink="{slug}/")
    articles = [
        make_article(1, "2026-01-01", slug="tags"),
        make_article(2, "2026-01-01", slug="2026"),
    ]
    site, problems = build_site(config, articles, {})
    assert site.urls["0000000000000001"] == "tags-2/"
    assert site.urls["0000000000000002"] == "2026-2/"
    assert len(problems) == 2


def test_articles_never_take_the_path_of_a_file_the_build_publishes() -> None:
    """Nor a folder where such a file is (`feed.xml/`), nor a file where one's folder is."""
    articles = [make_article(1, "2026-01-01", slug="cname"), make_article(2, "2026-01-01")]
    files = {
        "cname": "layouts/static/cname",
        "title-2.html/a.txt": "layouts/static/title-2.html/a.txt",
    }
    site, problems = build_site(Config(permalink="{slug}/"), articles[:1], {}, files=files)
    assert site.urls["0000000000000001"] == "cname-2/" and site.moved == ("0000000000000001",)
    assert "already used by layouts/static/cname; published at cname-2/" in problems[0].message
    site, _ = build_site(Config(permalink="{slug}.html"), articles, {}, files=files)
    assert site.urls["0000000000000002"] == "title-2-2.html"
    feeds = make_article(3, "2026-01-01", slug="feed")
    site, _ = build_site(Config(permalink="{slug}.xml/"), [feeds], {})
    assert site.urls["0000000000000003"] == "feed-2.xml/"
    # Nowhere to move to without {slug}: left where it is (the write stage names both).
    site, problems = build_site(
        Config(permalink="{id}/"), articles[:1], {}, files={f"{1:016x}": "x"}
    )
    assert site.urls["0000000000000001"] == f"{1:016x}/" and problems == []


def test_newest_first_and_neighbours() -> None:
    articles = [make_article(i, f"2026-01-{i:02d}") for i in range(1, 6)]
    site, _ = build_site(Config(), list(reversed(articles)), {})
    assert [a.id for a in site.articles] == [a.id for a in reversed(articles)]
    newer, older = site.newer_and_older(articles[2])
    assert (newer, older) == (articles[3], articles[1])
    assert site.newer_and_older(articles[4])[0] is None
    assert site.newer_and_older(articles[0])[1] is None


def test_many_articles_at_one_url_get_the_next_free_suffixes() -> None:
    # File order: "news-3" is taken by its own article before the copies reach it.
    own = make_article(1, "2026-03-01", slug="news-3")
    copies = [make_article(n, "2026-03-01", slug="news") for n in range(2, 402)]
    taken = {"2026/03/01/news-5/index.html": "a page of the site"}
    urls, problems, moved = assign_urls([own, *copies], Config().permalink, taken)
    suffixes = [urls[a.id].rsplit("/", 2)[1] for a in copies]
    assert suffixes[:5] == ["news", "news-2", "news-4", "news-6", "news-7"]
    assert len(set(urls.values())) == 401 and len(problems) == len(moved) == 399


def test_pagination_of_home_and_archives() -> None:
    articles = [make_article(i, f"2025-12-{1 + i % 28:02d}") for i in range(45)]
    articles += [make_article(100, "2026-01-05")]
    site, _ = build_site(Config(per_page=20), articles, {})
    pages = list(listings(site))
    home = [p for p in pages if p.kind == "home"]
    assert [p.url for p in home] == ["", "page/1/"]
    assert [len(p.articles) for p in home] == [26, 20]  # the front page holds the rest
    assert home[0].newer_page is None and home[0].older_page == "page/1/"
    assert home[1].newer_page == "" and home[1].older_page is None
    assert home[1].articles == site.articles[-20:]  # page 1: the oldest
    assert [(p.total, p.front) for p in home] == [(46, True), (None, False)]
    years = [p for p in pages if p.kind == "year"]
    assert [(p.url, p.total) for p in years] == [
        ("2026/", 1),
        ("2025/", 45),
        ("2025/page/1/", None),
    ]
    assert years[0].older.url == "2025/" and years[0].newer is None
    assert years[1].newer.url == "2026/" and years[1].older is None
    assert years[2].newer is None and years[2].older is None  # neighbours: front pages only
    months = [p.url for p in pages if p.kind == "month"]
    assert months[:2] == ["2026/01/", "2025/12/"]
    days = [p for p in pages if p.kind == "day" and p.front]
    assert days[0].url == "2026/01/05/" and days[0].older.url == "2025/12/28/"


def test_list_pages_are_grouped_by_the_parity_of_their_depth() -> None:
    """A cold build deals list pages to workers by `build.list_depths`: each group's items are
    written for depths of one parity only, so a worker's memo of items serves all its pages."""
    from sitegen.build import list_depths

    articles = [
        make_article(i, f"{2020 + i % 2}-{1 + i % 3:02d}-{1 + i % 2:02d}") for i in range(90)
    ]
    tags = {a.id: ("Alpha",) if i % 2 else ("Alpha", "Beta") for i, a in enumerate(articles)}
    site, _ = build_site(Config(per_page=4), articles, tags)
    group = list_depths(site)
    pages = list(listings(site))
    first = len(site.articles)
    assert {p.kind for p in pages} == {"home", "year", "month", "day", "tag"}
    assert any(not p.front for p in pages if p.kind == "day")  # numbered pages of each kind
    assert [group(first + i) for i, p in enumerate(pages)] == [p.url.count("/") % 2 for p in pages]
    assert [group(i) for i in range(first)] == [0] * first
    assert group(first + len(pages)) == group(first + len(pages) + 200) == 1


def test_the_pager_links_the_newest_and_oldest_pages_of_a_long_list() -> None:
    articles = [make_article(i, f"2025-12-{1 + i % 28:02d}") for i in range(9)]
    site, _ = build_site(Config(per_page=2), articles, {})
    home = [p for p in listings(site) if p.kind == "home"]
    assert [p.url for p in home] == ["", "page/3/", "page/2/", "page/1/"]
    assert [(p.newest_page, p.oldest_page) for p in home] == [
        (None, "page/1/"),  # "Older" leads to page 3
        (None, "page/1/"),  # "Newer" leads to the front page already
        ("", None),  # "Older" leads to page 1 already
        ("", None),
    ]


@pytest.mark.parametrize("per_page", [1, 3, 20])
def test_numbered_pages_keep_their_articles_as_a_list_grows(per_page: int) -> None:
    """A new article joins the front page: every numbered page keeps its articles and links,
    except the newest numbered page's link to a page newer than it, when one is added."""
    articles = [make_article(i, "2025-01-01") for i in range(70)]  # the same date: file order
    before = None
    for count in range(1, 71):
        pages = list(paginate("home", "Latest news", "", tuple(articles[:count][::-1]), per_page))
        assert pages[0].front and (per_page <= len(pages[0].articles) or len(pages) == 1)
        assert len(pages[0].articles) < 2 * per_page
        assert all(len(p.articles) == per_page for p in pages[1:])
        assert [a for p in pages for a in p.articles] == articles[:count][::-1]
        numbered = {p.url: p for p in pages[1:]}
        if before is not None:
            for url, page in before.items():
                if url in numbered:
                    assert numbered[url].articles == page.articles
                    assert numbered[url].older_page == page.older_page
                    if page.newer_page != "":
                        assert numbered[url] == page
        before = numbered
    assert len(before) == 70 // per_page - 1


def test_empty_site_still_has_a_home_page() -> None:
    site, _ = build_site(Config(), [], {})
    home = list(listings(site))
    assert [(p.url, p.total, p.number) for p in home] == [("", 0, 0)]


def test_tags_merge_case_and_get_distinct_slugs() -> None:
    a, b, c = (make_article(i, f"2026-01-0{i}") for i in (1, 2, 3))
    names = {a.id: ("US", "C++"), b.id: ("us",), c.id: ("US", "C")}
    site, _ = build_site(Config(), [a, b, c], names)
    by_name = {t.name: t for t in site.tags}
    assert set(by_name) == {"US", "C++", "C"}
    assert [x.id for x in by_name["US"].articles] == [c.id, b.id, a.id]
    assert by_name["C++"].slug == "c" and by_name["C"].slug.startswith("c-")  # C++ is older
    assert [t.name for t in site.tags_of[a.id]] == ["US", "C++"]


def test_tags_differing_in_accents_are_one_shown_as_written_not_shouted() -> None:
    a, b, c, d = (make_article(i, f"2026-01-0{i}") for i in (1, 2, 3, 4))
    names = {a.id: ("ŁÓDŹ", "Zoe"), b.id: ("Łódź", "Zoë"), c.id: ("Lodz",), d.id: ("NATO",)}
    site, _ = build_site(Config(), [a, b, c, d], names)
    assert [(t.name, t.slug, len(t.articles)) for t in site.tags] == [
        ("Łódź", "lodz", 3), ("NATO", "nato", 1), ("Zoë", "zoe", 2)
    ]  # fmt: skip


def test_relative_roots() -> None:
    assert root_of("") == "./"
    assert root_of("2026/") == "../"
    assert root_of("2026/02/06/slug/") == "../../../../"
    assert root_of("articles/x.html") == "../"
    assert page_url("tags/x/", 3) == "tags/x/page/3/" and page_url("tags/x/", 0) == "tags/x/"
    assert replace(make_article(1, "2026-01-01"), words=231).reading_minutes == 2


def test_tag_index_files_accented_names_under_their_letter() -> None:
    from sitegen.render import Planner

    a, b, c, d = (make_article(i, f"2026-01-0{i}") for i in (1, 2, 3, 4))
    names = {a.id: ("Élysée", "Łódź"), b.id: ("Egypt", "Lagos"), c.id: ("Zambia", "Lyon"),
             d.id: ("10 Downing Street",)}  # fmt: skip
    site, _ = build_site(Config(), [a, b, c, d], names)
    groups = Planner(site).tag_index().context["by_letter"]
    assert [(letter, [t.name for t in tags]) for letter, tags in groups] == [
        ("#", ["10 Downing Street"]), ("E", ["Egypt", "Élysée"]),
        ("L", ["Lagos", "Łódź", "Lyon"]), ("Z", ["Zambia"])
    ]  # fmt: skip


# Articles as (day, slug, tags): few slugs, so that some collide and move aside.
days_slugs_tags = st.lists(
    st.tuples(st.integers(1, 60), st.sampled_from(["a", "b", "c"]), st.sets(st.sampled_from("AB"))),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(corpus=days_slugs_tags)
def test_a_site_made_again_from_its_record_equals_the_site_built(corpus: list) -> None:
    """Through marshal, as the build cache keeps it: archives, tags, related articles, and
    URLs moved aside by collisions all come back, made of the same articles."""
    import marshal

    articles = [
        make_article(n, (dt.date(2026, 1, 1) + dt.timedelta(days)).isoformat(), slug=slug)
        for n, (days, slug, _) in enumerate(corpus)
    ]
    names = {a.id: tuple(sorted(tags)) for a, (_, _, tags) in zip(articles, corpus, strict=True)}
    config = Config(per_page=3)
    site, _ = build_site(config, articles, names)
    record = marshal.loads(marshal.dumps(site_record(site)))
    assert site_from_record(record, reversed(articles), config) == site


def test_a_site_record_is_refused_for_other_articles() -> None:
    articles = [make_article(n, f"2026-01-0{n}") for n in range(1, 4)]
    record = site_record(build_site(Config(), articles, {})[0])
    with pytest.raises(ValueError, match="other articles"):
        site_from_record(record, articles[:2], Config())
    moved = [*articles[:2], replace(articles[2], date=dt.date(2025, 1, 1))]
    with pytest.raises(ValueError, match="another order"):
        site_from_record(record, moved, Config())
    with pytest.raises(ValueError, match="other files"):  # which may move articles aside
        site_from_record(record, articles, Config(), ["cname"])


# Changes to a corpus: (article index, what): a new text, new tags alone, a new day, removal.
corpus_edits = st.lists(
    st.tuples(
        st.integers(0, 24),
        st.one_of(
            st.just("text"),
            st.just("remove"),
            st.sets(st.sampled_from("ABC")),
            st.integers(1, 60),
        ),
    ),
    max_size=4,
)


@settings(max_examples=120, deadline=None)
@given(corpus=days_slugs_tags, edits=corpus_edits, added=days_slugs_tags)
def test_changes_since_names_every_page_whose_key_changed(
    corpus: list, edits: list, added: list
) -> None:
    """The pages `changes_since` leaves out keep the last build's key: every other page's
    key, computed in full, is the one the old site gave it."""

    def article(n: int, days: int, slug: str, digest: int = 0) -> Article:
        made = make_article(n, (dt.date(2026, 1, 1) + dt.timedelta(days)).isoformat(), slug=slug)
        return replace(made, digest=f"{n + 1000 * digest:032x}")

    before = {n: (article(n, days, slug), tuple(sorted(tags))) for n, (days, slug, tags) in enumerate(corpus)}  # fmt: skip
    after = dict(before)
    for n, what in edits:
        if n not in after:
            continue
        old, tags = after[n]
        if what == "text":
            after[n] = (
                replace(old, digest=f"{n + 1000 * (int(old.digest, 16) // 1000 + 1):032x}"),
                tags,
            )
        elif what == "remove":
            del after[n]
        elif isinstance(what, int):  # a new date is a new file digest, too
            after[n] = (article(n, what, old.slug.removeprefix("title-") or "a", 7), tags)
        else:
            after[n] = (old, tuple(sorted(what)))
    for k, (days, slug, tags) in enumerate(added[:3]):
        after[100 + k] = (article(100 + k, days, slug), tuple(sorted(tags)))

    assert_unplanned_pages_keep_their_keys(before, after)


Corpus = dict[int, tuple[Article, tuple[str, ...]]]  # articles with their tags, by number


def assert_unplanned_pages_keep_their_keys(
    before: Corpus, after: Corpus, leaves_some: bool = False
) -> None:
    """Every page that `changes_since` leaves out has the key the old site gave it (and, with
    `leaves_some`, it leaves some out)."""
    import marshal

    config = Config(per_page=3)
    old_site, _ = build_site(
        config, [a for a, _ in before.values()], {a.id: t for a, t in before.values()}
    )
    new_site, _ = build_site(
        config, [a for a, _ in after.values()], {a.id: t for a, t in after.values()}
    )
    old_digests = {a.id: a.digest for a, _ in before.values()}
    changed = {a.id for a, _ in after.values() if old_digests.get(a.id) != a.digest}
    record = marshal.loads(marshal.dumps(site_record(old_site)))
    changes = changes_since(record, site_record(new_site), new_site, changed)
    if changes is None:  # only when articles moved aside by collisions are others now
        assert url_salt(old_site) != url_salt(new_site)
        return
    salt = url_salt(new_site)
    old_keys = {p.path: plan_key(p, url_salt(old_site)) for p in Planner(old_site).plans()}
    new_keys = {p.path: plan_key(p, salt) for p in Planner(new_site).plans()}
    left_out = [p.path for p in Planner(new_site).plans(changes=changes) if not p.deps]
    assert left_out or not leaves_some
    assert {path: old_keys.get(path) for path in left_out} == {
        path: new_keys[path] for path in left_out
    }


def spread_corpus(tags: dict[int, tuple[str, ...]]) -> Corpus:
    """Articles a week apart, so that most pages are neither neighbours nor on one day."""
    return {
        n: (make_article(n, (dt.date(2026, 1, 1) + dt.timedelta(7 * n)).isoformat()), t)
        for n, t in tags.items()
    }


def test_changes_since_new_tags_alone_replan_the_article_and_its_tags_feeds() -> None:
    """A tag of its own changes neither its related articles nor a list it was on; its page
    shows the tag, and its other tag's feed carries its tags."""
    before = spread_corpus({n: ("A",) for n in range(12)})
    after = before | {6: (before[6][0], ("A", "Solo"))}
    assert_unplanned_pages_keep_their_keys(before, after, leaves_some=True)


def test_changes_since_a_new_text_replans_the_pages_relating_the_article() -> None:
    """Article 3's new text (digest) shows on the pages that relate it, neighbours or not."""
    before = spread_corpus({n: ("A",) if n % 2 else ("A", "B") for n in range(12)})
    changed = replace(before[3][0], digest="f" * 32)
    assert_unplanned_pages_keep_their_keys(
        before, before | {3: (changed, before[3][1])}, leaves_some=True
    )


def test_changes_since_an_addition_are_its_neighbour_lists_and_tags_only() -> None:
    """A new article at the newest end: its page, its older neighbour's, the home list, its
    day, month and year, and its tag; not the other archives, tags or articles."""
    import marshal

    articles = [make_article(n, f"2026-01-{n:02d}") for n in range(1, 21)]
    tags = {a.id: ("A",) if int(a.id, 16) % 2 else ("B",) for a in articles}
    config = Config(per_page=3)
    old, _ = build_site(config, articles, tags)
    new_article = make_article(30, "2026-02-01")
    new, _ = build_site(config, [*articles, new_article], tags | {new_article.id: ("B",)})
    changes = changes_since(
        marshal.loads(marshal.dumps(site_record(old))), site_record(new), new, {new_article.id}
    )
    assert changes is not None
    newest_before = articles[-1].id
    assert {new_article.id, newest_before} <= changes.articles
    assert changes.articles <= {new_article.id, newest_before} | {
        i for i, rs in new.related.items() if new_article in rs or rs != old.related.get(i)
    }
    assert changes.lists == {
        "",
        "2026/",
        "2026/02/",
        "2026/02/01/",
        "tags/b/",
        "2026/01/",
        "2026/01/20/",
    }
    assert changes.tag_feeds == {"b"}


def test_related_articles_are_reused_only_while_tags_stay_the_same() -> None:
    from sitegen.model import RelatedMemo

    articles = [make_article(i, f"2026-01-{i:02d}") for i in range(1, 9)]
    names = {a.id: ("Shared", "Odd" if i % 2 else "Even") for i, a in enumerate(articles)}
    site, _ = build_site(Config(), articles, names)
    memo = site.related_memo()
    again, _ = build_site(Config(), articles, names, memo)
    assert again.related == site.related
    poisoned = RelatedMemo(memo.total, memo.tags, {i: () for i in memo.ids}, memo.order)
    assert all(r == () for r in build_site(Config(), articles, names, poisoned)[0].related.values())
    names[articles[0].id] = ("Other",)  # its tags changed: it is scored again, and its old tags'
    changed, _ = build_site(Config(), articles, names, poisoned)  # members near it too
    rescored = {i for i, r in changed.related.items() if r}
    assert articles[0].id not in rescored  # "Other" is its own: nothing shares it
    assert rescored and rescored < {a.id for a in articles}


# Random corpora and random changes: related articles computed again only where they could have
# changed must equal those computed for every article (windows of 8 matter: tags hold up to 40).
corpus_tags = st.lists(
    st.tuples(st.integers(1, 28), st.sets(st.sampled_from("ABCDEF"), max_size=3)),
    min_size=1,
    max_size=40,
)
change = st.tuples(
    st.sampled_from(["add", "delete", "redate", "retag"]),
    st.integers(0, 60),
    st.integers(1, 28),
    st.sets(st.sampled_from("ABCDEF"), max_size=3),
)


@settings(max_examples=150, deadline=None)
@given(
    start=corpus_tags,
    changes=st.lists(change, min_size=1, max_size=5),
    digits=st.sampled_from([1, 2]),  # 1: sizes move in steps of ten, so most changes keep weights
)
def test_related_computed_again_only_where_stale_equals_computed_for_all(
    start, changes, digits
) -> None:
    from sitegen import model

    corpus = {n: (day, tuple(sorted(tags))) for n, (day, tags) in enumerate(start)}
    saved, model.WEIGHT_DIGITS = model.WEIGHT_DIGITS, digits
    try:
        check_changes(corpus, changes)
    finally:
        model.WEIGHT_DIGITS = saved


def check_changes(corpus: dict, changes: list) -> None:

    def model(memo=None):
        articles = [make_article(n, f"2026-02-{day:02d}") for n, (day, _) in corpus.items()]
        names = {f"{n:016x}": tags for n, (_, tags) in corpus.items()}
        return build_site(Config(), articles, names, memo)[0]

    memo = model().related_memo()
    for kind, n, day, tags in changes:
        if kind == "add":
            corpus[100 + n] = (day, tuple(sorted(tags)))
        elif n in corpus and kind == "delete" and len(corpus) > 1:
            del corpus[n]
        elif n in corpus and kind == "redate":
            corpus[n] = (day, corpus[n][1])
        elif n in corpus and kind == "retag":
            corpus[n] = (corpus[n][0], tuple(sorted(tags)))
        incremental = model(memo)
        assert incremental.related == model().related
        memo = incremental.related_memo()


def test_counts_are_weighed_to_two_significant_figures() -> None:
    from sitegen.model import significant

    assert [significant(n) for n in (7, 99, 100, 104, 106, 10_049, 10_499, 10_501)] == [
        7, 99, 100, 100, 110, 10_000, 10_000, 11_000,
    ]  # fmt: skip


def test_tag_slugs_stay_when_other_tags_come_and_go() -> None:
    """The tag in the corpus longest keeps the plain slug; the others get a suffix of their
    own, so no tag's page or feed moves when a newer tag clashes with it."""
    day = dt.date(2026, 1, 1)
    later = dt.date(2026, 2, 1)
    alone = tag_slugs({"c++": "C++"}, {"c++": day})
    both = tag_slugs({"c++": "C++", "c": "C"}, {"c++": day, "c": later})
    three = tag_slugs({"c++": "C++", "c": "C", "c#": "C#"}, {"c++": day, "c": later, "c#": later})
    assert alone["c++"] == both["c++"] == three["c++"] == "c"
    assert both["c"] == three["c"] != three["c#"]
    assert len({*three.values()}) == 3
    elysee = tag_slugs({"élysée": "Élysée", "elysee": "Elysee"}, {"élysée": day, "elysee": later})
    assert elysee["élysée"] == "elysee" and elysee["elysee"].startswith("elysee-")
    long = tag_slugs({"x" * 10_000: "X" * 10_000}, {"x" * 10_000: day})["x" * 10_000]
    assert long == "x" * 80  # a file name, whatever the tag
    assert tag_slugs({"": "", "!!": "!!"}, {"": day, "!!": later}) == {
        "": "tag",
        "!!": "tag-9bfd44",
    }


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.sets(st.sampled_from("ABCDE"))), max_size=80),
    st.integers(1, 7),
)
def test_pages_are_counted_as_they_are_planned(
    days_and_tags: list[tuple[int, set[str]]], per_page: int
) -> None:
    """A cold build hands pages out by number before it plans the lists (`page_count`)."""
    start = dt.date(2025, 12, 1)
    articles = [
        make_article(n, (start + dt.timedelta(days=day)).isoformat())
        for n, (day, _) in enumerate(days_and_tags)
    ]
    tags = {a.id: tuple(sorted(t)) for a, (_, t) in zip(articles, days_and_tags, strict=True)}
    site, _ = build_site(Config(per_page=per_page), articles, tags)
    planner = Planner(site)
    assert planner.page_count() == len(list(planner.plans(with_deps=False)))
